//! The AOF manifest: which files of the append-only directory hold the dataset, in Redis 7's
//! multi-part layout (one BASE snapshot, then INCR files of commands, plus HISTORY files a
//! finished rewrite left for deletion), read and written exactly as Redis 7.0.15 does.
//!
//! A manifest line is `file <name> seq <n> type <b|h|i>`; the base comes first, then history,
//! then incremental files in sequence order. Names are `<appendfilename>.<seq>.base.rdb` (or
//! `.base.aof` without an RDB preamble) and `<appendfilename>.<seq>.incr.aof`.

use std::io::Write;
use std::path::Path;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// The snapshot the incremental files apply to.
    Base,
    /// Commands written after the base.
    Incr,
    /// Left by a finished rewrite, to be deleted.
    History,
}

impl FileType {
    fn letter(self) -> char {
        match self {
            FileType::Base => 'b',
            FileType::Incr => 'i',
            FileType::History => 'h',
        }
    }
}

/// One file of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AofFile {
    /// Its name inside the append-only directory.
    pub name: String,
    /// Its sequence number.
    pub seq: u64,
    /// What it holds.
    pub kind: FileType,
}

/// The manifest's contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The base file.
    pub base: Option<AofFile>,
    /// Files to delete.
    pub history: Vec<AofFile>,
    /// Incremental files, in order.
    pub incr: Vec<AofFile>,
    /// The last base sequence number handed out.
    pub base_seq: u64,
    /// The last incremental sequence number handed out.
    pub incr_seq: u64,
}

/// Why a manifest was refused, with Redis's words and the line it was read at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    /// What is wrong.
    pub message: &'static str,
    /// The line number and its text, when a line is to blame.
    pub line: Option<(usize, String)>,
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.line {
            Some((n, text)) => write!(f, "{} (manifest line {n}: '{text}')", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// The manifest file's name for `appendfilename` (`appendonly.aof.manifest`).
pub fn manifest_name(prefix: &str) -> String {
    format!("{prefix}.manifest")
}

/// The temporary incremental file written while `appendonly` is being turned on.
pub fn temp_incr_name(prefix: &str) -> String {
    format!("temp-{prefix}.incr")
}

/// The longest manifest line Redis reads.
const MAX_LINE: usize = 1024;

impl Manifest {
    /// Parses a manifest as Redis's `aofLoadManifestFromFile` does.
    pub fn parse(text: &[u8]) -> Result<Manifest, ManifestError> {
        let mut manifest = Manifest::default();
        if text.is_empty() {
            return Err(ManifestError { message: "Found an empty AOF manifest", line: None });
        }
        let mut rest = text;
        let mut number = 0;
        while !rest.is_empty() {
            number += 1;
            let (line, terminated) = match rest.iter().position(|&b| b == b'\n') {
                Some(end) if end < MAX_LINE => {
                    let line = &rest[..end];
                    rest = &rest[end + 1..];
                    (line, true)
                }
                _ => {
                    let line = &rest[..rest.len().min(MAX_LINE)];
                    rest = &rest[line.len()..];
                    (line, false)
                }
            };
            if line.first() == Some(&b'#') {
                continue;
            }
            let text = String::from_utf8_lossy(line).trim_matches([' ', '\t', '\r', '\n']).to_owned();
            let fail = |message| Err(ManifestError { message, line: Some((number, text.clone())) });
            if !terminated {
                return fail("The AOF manifest file contains too long line");
            }
            if text.is_empty() {
                return fail("Invalid AOF manifest file format");
            }
            let Some(words) = crate::protocol::split_args(text.as_bytes()) else {
                return fail("Invalid AOF manifest file format");
            };
            if words.len() < 6 || words.len() % 2 == 1 {
                return fail("Invalid AOF manifest file format");
            }
            let (mut name, mut seq, mut kind) = (None, 0u64, None);
            for pair in words.chunks_exact(2) {
                let value = String::from_utf8_lossy(&pair[1]).into_owned();
                if pair[0].eq_ignore_ascii_case(b"file") {
                    if value.contains('/') {
                        return fail("File can't be a path, just a filename");
                    }
                    name = Some(value);
                } else if pair[0].eq_ignore_ascii_case(b"seq") {
                    seq = atoll(&value);
                } else if pair[0].eq_ignore_ascii_case(b"type") {
                    kind = value.bytes().next();
                }
            }
            let (Some(name), Some(kind)) = (name.filter(|n| !n.is_empty()), kind) else {
                return fail("Invalid AOF manifest file format");
            };
            if seq == 0 {
                return fail("Invalid AOF manifest file format");
            }
            match kind {
                b'b' => {
                    if manifest.base.is_some() {
                        return fail("Found duplicate base file information");
                    }
                    manifest.base_seq = seq;
                    manifest.base = Some(AofFile { name, seq, kind: FileType::Base });
                }
                b'h' => manifest.history.push(AofFile { name, seq, kind: FileType::History }),
                b'i' => {
                    if manifest.incr.last().is_some_and(|last| seq <= last.seq) {
                        return fail("Found a non-monotonic sequence number");
                    }
                    manifest.incr_seq = seq;
                    manifest.incr.push(AofFile { name, seq, kind: FileType::Incr });
                }
                _ => return fail("Unknown AOF file type"),
            }
        }
        Ok(manifest)
    }

    /// The manifest's text, as Redis writes it: base, history, then incremental files.
    pub fn format(&self) -> String {
        let mut out = String::new();
        for file in self.base.iter().chain(&self.history).chain(&self.incr) {
            let name = if needs_quoting(&file.name) {
                let mut quoted = Vec::new();
                crate::protocol::quote_repr(&mut quoted, file.name.as_bytes());
                String::from_utf8_lossy(&quoted).into_owned()
            } else {
                file.name.clone()
            };
            out.push_str(&format!("file {name} seq {} type {}\n", file.seq, file.kind.letter()));
        }
        out
    }

    /// Whether the manifest names no file to load.
    pub fn is_empty(&self) -> bool {
        self.base.is_none() && self.incr.is_empty()
    }

    /// The files to load, in order: the base, then the incremental files.
    pub fn load_order(&self) -> impl Iterator<Item = &AofFile> {
        self.base.iter().chain(&self.incr)
    }

    /// Starts a new base (the previous one becomes history); returns its name.
    pub fn new_base(&mut self, prefix: &str, rdb_preamble: bool) -> String {
        if let Some(mut old) = self.base.take() {
            old.kind = FileType::History;
            self.history.insert(0, old);
        }
        self.base_seq += 1;
        let format = if rdb_preamble { "rdb" } else { "aof" };
        let name = format!("{prefix}.{}.base.{format}", self.base_seq);
        self.base = Some(AofFile { name: name.clone(), seq: self.base_seq, kind: FileType::Base });
        name
    }

    /// Adds a new incremental file at the end; returns its name.
    pub fn new_incr(&mut self, prefix: &str) -> String {
        self.incr_seq += 1;
        let name = format!("{prefix}.{}.incr.aof", self.incr_seq);
        self.incr.push(AofFile { name: name.clone(), seq: self.incr_seq, kind: FileType::Incr });
        name
    }

    /// The incremental file being appended to, created when there is none.
    pub fn last_incr(&mut self, prefix: &str) -> String {
        match self.incr.last() {
            Some(file) => file.name.clone(),
            None => self.new_incr(prefix),
        }
    }

    /// After a rewrite: every incremental file but the last `keep` becomes history.
    pub fn retire_incr(&mut self, keep: usize) {
        let retired = self.incr.len().saturating_sub(keep);
        for mut file in self.incr.drain(..retired).rev() {
            file.kind = FileType::History;
            self.history.insert(0, file);
        }
    }

    /// Writes the manifest into `dir` safely: a temporary file, fsynced, renamed over the
    /// manifest, then the directory fsynced (Redis's `writeAofManifestFile`).
    pub fn persist(&self, dir: &Path, prefix: &str) -> std::io::Result<()> {
        let temp = dir.join(format!("temp-{}", manifest_name(prefix)));
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(self.format().as_bytes())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, dir.join(manifest_name(prefix)))?;
        std::fs::File::open(dir)?.sync_all()
    }
}

/// C's `atoll`: leading digits (after an optional sign), 0 when there are none.
fn atoll(text: &str) -> u64 {
    let digits: String = text.trim_start().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}

/// Whether Redis's `sdsneedsrepr` would quote the name.
fn needs_quoting(name: &str) -> bool {
    name.bytes()
        .any(|b| matches!(b, b'\\' | b'"' | b'\n' | b'\r' | b'\t' | 0x07 | 0x08 | b' ') || !(0x21..0x7f).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REDIS_WRITTEN: &str = "file appendonly.aof.2.base.rdb seq 2 type b\n\
        file appendonly.aof.1.incr.aof seq 1 type h\n\
        file appendonly.aof.4.incr.aof seq 4 type i\n\
        file appendonly.aof.5.incr.aof seq 5 type i\n";

    #[test]
    fn reads_and_writes_redis_manifests() {
        let m = Manifest::parse(REDIS_WRITTEN.as_bytes()).expect("valid");
        assert_eq!(m.base.as_ref().map(|b| b.name.as_str()), Some("appendonly.aof.2.base.rdb"));
        assert_eq!((m.base_seq, m.incr_seq, m.history.len(), m.incr.len()), (2, 5, 1, 2));
        assert_eq!(m.format(), REDIS_WRITTEN);
        let names: Vec<&str> = m.load_order().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["appendonly.aof.2.base.rdb", "appendonly.aof.4.incr.aof", "appendonly.aof.5.incr.aof"]);
    }

    #[test]
    fn a_rewrite_moves_old_files_to_history() {
        let mut m = Manifest::default();
        assert_eq!(m.new_base("appendonly.aof", true), "appendonly.aof.1.base.rdb");
        assert_eq!(m.last_incr("appendonly.aof"), "appendonly.aof.1.incr.aof");
        assert_eq!(m.new_incr("appendonly.aof"), "appendonly.aof.2.incr.aof");
        assert_eq!(m.new_base("appendonly.aof", false), "appendonly.aof.2.base.aof");
        m.retire_incr(1);
        assert_eq!(
            m.format(),
            "file appendonly.aof.2.base.aof seq 2 type b\n\
             file appendonly.aof.1.incr.aof seq 1 type h\n\
             file appendonly.aof.1.base.rdb seq 1 type h\n\
             file appendonly.aof.2.incr.aof seq 2 type i\n"
        );
    }

    #[test]
    fn refuses_what_redis_refuses() {
        let error = |text: &str| Manifest::parse(text.as_bytes()).expect_err(text).message;
        assert_eq!(error(""), "Found an empty AOF manifest");
        assert_eq!(error("file a seq 1\n"), "Invalid AOF manifest file format");
        assert_eq!(error("\n"), "Invalid AOF manifest file format");
        assert_eq!(error("file a seq 1 type b"), "The AOF manifest file contains too long line");
        assert_eq!(error("file a/b seq 1 type b\n"), "File can't be a path, just a filename");
        assert_eq!(error("file a seq 1 type b\nfile b seq 2 type b\n"), "Found duplicate base file information");
        assert_eq!(error("file a seq 2 type i\nfile b seq 2 type i\n"), "Found a non-monotonic sequence number");
        assert_eq!(error("file a seq 1 type x\n"), "Unknown AOF file type");
        assert_eq!(error("file a seq 0 type i\n"), "Invalid AOF manifest file format");
        // Comments are skipped; extra key-value pairs are allowed for forward compatibility.
        assert!(Manifest::parse(b"# c\nfile a seq 1 type i extra x\n").is_ok());
    }

    #[test]
    fn odd_names_are_quoted_and_read_back() {
        let mut m = Manifest::default();
        m.incr.push(AofFile { name: "my file".into(), seq: 1, kind: FileType::Incr });
        assert_eq!(m.format(), "file \"my file\" seq 1 type i\n");
        assert_eq!(Manifest::parse(m.format().as_bytes()).expect("quoted").incr[0].name, "my file");
    }
}
