//! `rkv-server --check-aof FILE`: checks a manifest (with its base and incremental files), an
//! old-style AOF or an RDB-preamble AOF, and reports in redis-check-aof's words (its offsets,
//! line counts and error texts), so scripts that read that tool's output read ours. Checking
//! only: nothing is truncated.

use std::io::{BufRead, Write};
use std::path::Path;

use super::manifest::Manifest;
use crate::persistence::rdb::{EncodingLimits, check_stream};

/// The check stopped: the file (or manifest) is not valid; the process exits with 1.
#[derive(Debug)]
pub struct Invalid;

/// What a check that did not stop found in a file.
#[derive(Debug, PartialEq, Eq)]
pub enum Single {
    /// The file is whole.
    Valid,
    /// The file is empty.
    Empty,
}

/// What the RDB preamble check needs.
#[derive(Clone, Copy)]
pub struct RdbCheck {
    /// Encodings values are decoded into.
    pub limits: EncodingLimits,
    /// Now, for counting already expired keys.
    pub now_ms: i64,
}

/// Checks `path` (a manifest, an RDB-preamble AOF or a RESP AOF, told apart as
/// redis-check-aof does), writing the report to `out`.
pub fn check(path: &Path, rdb: RdbCheck, out: &mut impl Write) -> std::io::Result<Result<(), Invalid>> {
    let shown = path.display().to_string();
    let opened = std::fs::File::open(path).and_then(|file| is_manifest(std::io::BufReader::new(file)));
    let manifest = match opened {
        Ok(manifest) => manifest,
        Err(e) => {
            writeln!(out, "Cannot open file {shown}: {}", os_text(&e))?;
            return Ok(Err(Invalid));
        }
    };
    let mut line = 1;
    if let Some(text) = manifest {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        return check_multi_part(dir, &text, rdb, &mut line, out);
    }
    writeln!(out, "Start checking Old-Style AOF")?;
    let preamble = is_rdb(path);
    Ok(match check_single(&shown, path, preamble, rdb, &mut line, out)? {
        Ok(Single::Valid) => writeln!(out, "AOF {shown} is valid").map(Ok)?,
        Ok(Single::Empty) => writeln!(out, "AOF {shown} is empty").map(Ok)?,
        Err(Invalid) => Err(Invalid),
    })
}

/// The file's text when it is a manifest: some line (read as `fgets` reads it, 1024 bytes
/// at most) that is not a comment starts with `file`. Only a small file's text is kept.
fn is_manifest(mut source: impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    const LINE_MAX: u64 = 1024;
    let (mut text, mut found, mut line) = (Vec::new(), false, Vec::new());
    loop {
        line.clear();
        if std::io::Read::take(&mut source, LINE_MAX).read_until(b'\n', &mut line)? == 0 {
            break;
        }
        found |= line.starts_with(b"file");
        if text.len() < 1 << 20 {
            text.extend_from_slice(&line);
        }
    }
    Ok(found.then_some(text))
}

/// An RDB file (or preamble) opens with `REDIS` and has room for its header.
fn is_rdb(path: &Path) -> bool {
    let mut head = [0; 8];
    std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok()
        && head.starts_with(b"REDIS")
}

/// The manifest's files, base first.
fn check_multi_part(
    dir: &Path,
    text: &[u8],
    rdb: RdbCheck,
    line: &mut u64,
    out: &mut impl Write,
) -> std::io::Result<Result<(), Invalid>> {
    writeln!(out, "Start checking Multi Part AOF")?;
    let manifest = match Manifest::parse(text) {
        Ok(manifest) => manifest,
        Err(e) => {
            // Redis's log lines, without their pid and time.
            writeln!(out, "\n*** FATAL AOF MANIFEST FILE ERROR ***\n")?;
            if let Some((number, text)) = &e.line {
                writeln!(out, "Reading the manifest file, at line {number}\n")?;
                writeln!(out, ">>> '{text}'\n")?;
            }
            writeln!(out, "{}\n", e.message)?;
            return Ok(Err(Invalid));
        }
    };
    if let Some(base) = &manifest.base {
        let path = dir.join(&base.name);
        let preamble = is_rdb(&path);
        writeln!(out, "Start to check BASE AOF ({} format).", if preamble { "RDB" } else { "RESP" })?;
        match check_single(&base.name, &path, preamble, rdb, line, out)? {
            Ok(Single::Valid) => writeln!(out, "BASE AOF {} is valid", base.name)?,
            Ok(Single::Empty) => writeln!(out, "BASE AOF {} is empty", base.name)?,
            Err(Invalid) => return Ok(Err(Invalid)),
        }
    }
    if !manifest.incr.is_empty() {
        writeln!(out, "Start to check INCR files.")?;
    }
    for incr in &manifest.incr {
        match check_single(&incr.name, &dir.join(&incr.name), false, rdb, line, out)? {
            Ok(Single::Valid) => writeln!(out, "INCR AOF {} is valid", incr.name)?,
            Ok(Single::Empty) => writeln!(out, "INCR AOF {} is empty", incr.name)?,
            Err(Invalid) => return Ok(Err(Invalid)),
        }
    }
    writeln!(out, "All AOF files and manifest are valid")?;
    Ok(Ok(()))
}

/// redis-check-aof's `checkSingleAof`: the RDB preamble if any, then commands up to the end.
fn check_single(
    name: &str,
    path: &Path,
    preamble: bool,
    rdb: RdbCheck,
    line: &mut u64,
    out: &mut impl Write,
) -> std::io::Result<Result<Single, Invalid>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => {
            writeln!(out, "Cannot open file {}: {}, aborting...", path.display(), os_text(&e))?;
            return Ok(Err(Invalid));
        }
    };
    let size = file.metadata()?.len();
    let source = std::io::BufReader::with_capacity(1 << 16, file);
    let file = CheckedFile { name, path: &path.display().to_string(), size, preamble };
    check_contents(&file, source, rdb, line, out)
}

/// A file [`check_contents`] reads.
pub struct CheckedFile<'a> {
    /// Its name in the report (a manifest's entry, or the path given).
    pub name: &'a str,
    /// Its path, as the MULTI/EXEC errors name it.
    pub path: &'a str,
    /// Its length.
    pub size: u64,
    /// Whether it opens with an RDB preamble.
    pub preamble: bool,
}

/// redis-check-aof's `checkSingleAof` on the contents of `file` in `source`: the RDB
/// preamble if any, then commands up to the end; `line` counts lines across files.
pub fn check_contents(
    file: &CheckedFile<'_>,
    mut source: impl BufRead + std::io::Seek,
    rdb: RdbCheck,
    line: &mut u64,
    out: &mut impl Write,
) -> std::io::Result<Result<Single, Invalid>> {
    let CheckedFile { name, path, size, preamble } = *file;
    if size == 0 {
        return Ok(Ok(Single::Empty));
    }
    let mut start = 0;
    if preamble {
        match check_stream(name, &mut source, rdb.limits, rdb.now_ms, out)? {
            Some(end) => {
                writeln!(out, "RDB preamble is OK, proceeding with AOF tail...")?;
                start = end;
            }
            None => {
                writeln!(out, "RDB preamble of AOF file is not sane, aborting.")?;
                return Ok(Err(Invalid));
            }
        }
        source.seek(std::io::SeekFrom::Start(start))?;
    }
    let mut scan = Scan { source, pos: start, epos: 0, eof: false, line, error: None, argc_line: [0; HEADER_MAX + 1] };
    let ok_up_to = scan.commands(name, path, out)?;
    if let Some(error) = &scan.error {
        out.write_all(error)?;
        writeln!(out)?;
    }
    let diff = size.saturating_sub(ok_up_to);
    writeln!(
        out,
        "AOF analyzed: filename={name}, size={size}, ok_up_to={ok_up_to}, ok_up_to_line={}, diff={diff}",
        scan.line
    )?;
    if diff > 0 {
        writeln!(out, "AOF {name} is not valid. Use the --fix option to try fixing it.")?;
        return Ok(Err(Invalid));
    }
    Ok(Ok(Single::Valid))
}

/// The RESP part of a file, read as redis-check-aof reads it (`fgets`/`fread` semantics).
struct Scan<'a, R> {
    source: R,
    /// Offset of the next byte.
    pos: u64,
    /// Where the item being read started (the offset in error lines).
    epos: u64,
    /// A read reached the end of the file.
    eof: bool,
    /// Lines consumed, counted across the files of a manifest as the tool does.
    line: &'a mut u64,
    /// The error line, if reading stopped on one.
    error: Option<Vec<u8>>,
    /// `readLong`'s line buffer for `*` lines: a short line leaves the earlier ones' bytes
    /// after its end, which the tool's error line shows (for `$` lines, as observed, zeros).
    argc_line: [u8; HEADER_MAX + 1],
}

/// Longest header line `readLong` reads (`char buf[128]`, less the terminator).
const HEADER_MAX: usize = 127;
/// Longest annotation line (`AOF_ANNOTATION_LINE_MAX_LEN`, less the terminator).
const ANNOTATION_MAX: usize = 1023;

impl<R: BufRead> Scan<'_, R> {
    /// Reads commands and annotations to the end or the first error; the offset up to which
    /// the file is valid (the start of an unfinished MULTI counts as its end).
    fn commands(&mut self, name: &str, path: &str, out: &mut impl Write) -> std::io::Result<u64> {
        let (mut multi, mut ok_up_to) = (0i64, self.pos);
        loop {
            if multi == 0 {
                ok_up_to = self.pos;
            }
            let Some(&first) = self.source.fill_buf()?.first() else {
                self.eof = true;
                break;
            };
            match first {
                b'#' => {
                    self.epos = self.pos;
                    self.fgets(ANNOTATION_MAX)?;
                }
                b'*' => {
                    if !self.command(path, &mut multi)? {
                        break;
                    }
                }
                _ => {
                    writeln!(out, "AOF {name} format error")?;
                    break;
                }
            }
        }
        if self.eof && multi != 0 && self.error.is_none() {
            self.fail("Reached EOF before reading EXEC for MULTI");
        }
        Ok(ok_up_to)
    }

    /// One command (`processRESP`); false when it is not whole or not well formed.
    fn command(&mut self, path: &str, multi: &mut i64) -> std::io::Result<bool> {
        let Some(argc) = self.number(b'*')? else { return Ok(false) };
        for i in 0..argc {
            let Some(arg) = self.string(i == 0)? else { return Ok(false) };
            if i != 0 {
                continue;
            }
            // strcasecmp stops at a NUL.
            let name = arg.split(|&b| b == 0).next().unwrap_or_default();
            if name.eq_ignore_ascii_case(b"multi") {
                *multi += 1;
                if *multi != 1 {
                    self.fail(format!("Unexpected MULTI in AOF {path}"));
                    return Ok(false);
                }
            } else if name.eq_ignore_ascii_case(b"exec") {
                *multi -= 1;
                if *multi != 0 {
                    self.fail(format!("Unexpected EXEC in AOF {path}"));
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// `readLong`: a `<prefix><number>\r\n` line; `None` when it is missing or malformed.
    fn number(&mut self, prefix: u8) -> std::io::Result<Option<i64>> {
        self.epos = self.pos;
        let line = self.fgets(HEADER_MAX)?;
        let Some(&first) = line.first() else { return Ok(None) };
        let mut buf = [0; HEADER_MAX + 1];
        let header = if prefix == b'*' { &mut self.argc_line } else { &mut buf };
        header[..line.len()].copy_from_slice(&line);
        header[line.len()] = 0;
        let buf = *header;
        if first != prefix {
            self.fail([&b"Expected prefix '"[..], &[prefix], b"', got: '", &[first], b"'"].concat());
            return Ok(None);
        }
        let (value, end) = strtol(&line[1..]);
        Ok(self.newline(&buf, 1 + end).then_some(value))
    }

    /// `readString`: a bulk string; its bytes are kept only when `keep` (a command's name).
    fn string(&mut self, keep: bool) -> std::io::Result<Option<Vec<u8>>> {
        let Some(len) = self.number(b'$')? else { return Ok(None) };
        if !(0..=i64::MAX - 2).contains(&len) {
            self.fail(format!("Expected to read string of {len} bytes, which is not in the suitable range"));
            return Ok(None);
        }
        let total = len + 2;
        self.epos = self.pos;
        let (read, tail, kept) = self.fread(total as u64, keep)?;
        if read != total as u64 {
            self.fail(format!("Expected to read {total} bytes, got {read} bytes"));
            return Ok(None);
        }
        Ok(self.newline(&tail, 0).then_some(kept))
    }

    /// `consumeNewline`: `\r\n` at `at` in `buf` (zeros past its end).
    fn newline(&mut self, buf: &[u8], at: usize) -> bool {
        let byte = |i: usize| buf.get(i).copied().unwrap_or(0);
        let (a, b) = (byte(at), byte(at + 1));
        if (a, b) != (b'\r', b'\n') {
            self.fail(format!("Expected \\r\\n, got: {}{}", c_hex(a), c_hex(b)));
            return false;
        }
        *self.line += 1;
        true
    }

    /// Keeps the first error line, in the tool's `0x<offset>: <message>` form.
    /// A NUL in the message ends the line, as it ends the tool's C string (whose bytes it
    /// writes as they are: `%c` of a byte from a file).
    fn fail(&mut self, message: impl AsRef<[u8]>) {
        let mut line = format!("0x{:>16x}: ", self.epos).into_bytes();
        line.extend(message.as_ref().iter().take_while(|&&b| b != 0));
        self.error = Some(line);
    }

    /// `fgets`: up to `max` bytes, through the first `\n`.
    fn fgets(&mut self, max: usize) -> std::io::Result<Vec<u8>> {
        let mut line = Vec::new();
        while line.len() < max {
            let buf = self.source.fill_buf()?;
            if buf.is_empty() {
                self.eof = true;
                break;
            }
            let room = (max - line.len()).min(buf.len());
            let take = buf[..room].iter().position(|&b| b == b'\n').map_or(room, |i| i + 1);
            line.extend_from_slice(&buf[..take]);
            self.source.consume(take);
            self.pos += take as u64;
            if line.last() == Some(&b'\n') {
                break;
            }
        }
        Ok(line)
    }

    /// `fread` of `len` bytes, without holding them: how many were read, the last two (the
    /// expected `\r\n`), and when `keep` the first bytes before those (enough to tell a
    /// command's name).
    fn fread(&mut self, len: u64, keep: bool) -> std::io::Result<(u64, Vec<u8>, Vec<u8>)> {
        const KEPT_MAX: u64 = 16;
        let keep_len = if keep { len.saturating_sub(2).min(KEPT_MAX) } else { 0 };
        let (mut read, mut kept, mut tail) = (0u64, Vec::new(), Vec::with_capacity(4));
        while read < len {
            let buf = self.source.fill_buf()?;
            if buf.is_empty() {
                self.eof = true;
                break;
            }
            let take = usize::try_from(len - read).unwrap_or(usize::MAX).min(buf.len());
            let chunk = &buf[..take];
            let wanted = usize::try_from(keep_len.saturating_sub(read)).unwrap_or(0).min(take);
            kept.extend_from_slice(&chunk[..wanted]);
            tail.extend_from_slice(&chunk[take.saturating_sub(2)..]);
            tail.drain(..tail.len().saturating_sub(2));
            self.source.consume(take);
            self.pos += take as u64;
            read += take as u64;
        }
        Ok((read, tail, kept))
    }
}

/// C's `strtol(s, &end, 10)`: the value (saturated) and the index where parsing stopped (0
/// when no digits were found).
fn strtol(s: &[u8]) -> (i64, usize) {
    let mut i = s.iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')).count();
    let negative = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = s[i.min(s.len())..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return (0, 0);
    }
    let mut value: i64 = 0;
    for &d in &s[i..i + digits] {
        let d = i64::from(d - b'0');
        value = if negative {
            value.saturating_mul(10).saturating_sub(d)
        } else {
            value.saturating_mul(10).saturating_add(d)
        };
    }
    (value, i + digits)
}

/// A `char` as `printf("%02x")` shows it (signed: bytes from 0x80 widen to `ffffff..`).
fn c_hex(b: u8) -> String {
    if b >= 0x80 { format!("ffffff{b:02x}") } else { format!("{b:02x}") }
}

/// An I/O error as `strerror` words it (without Rust's `(os error N)`).
fn os_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The report on `file` and whether it is valid.
    fn report(file: &[u8]) -> (String, bool) {
        let checked = CheckedFile { name: "f.aof", path: "f.aof", size: file.len() as u64, preamble: false };
        let rdb = RdbCheck { limits: EncodingLimits::redis_defaults(), now_ms: 0 };
        let mut out = Vec::new();
        let verdict = check_contents(&checked, std::io::Cursor::new(file), rdb, &mut 1, &mut out).expect("memory");
        (String::from_utf8(out).expect("utf-8"), verdict.is_ok())
    }

    #[test]
    fn whole_commands_and_annotations_are_valid() {
        let (text, ok) = report(b"#TS:1\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n");
        assert!(ok, "{text}");
        assert_eq!(text, "AOF analyzed: filename=f.aof, size=30, ok_up_to=30, ok_up_to_line=6, diff=0\n");
    }

    #[test]
    fn an_unfinished_multi_is_valid_only_up_to_its_start() {
        let (text, ok) = report(b"*1\r\n$5\r\nMULTI\r\n*1\r\n$4\r\nINCR\r\n");
        assert!(!ok);
        assert!(text.starts_with("0x              17: Reached EOF before reading EXEC for MULTI\n"), "{text}");
        assert!(text.contains("ok_up_to=0, ok_up_to_line=7, diff=29"), "{text}");
    }

    #[test]
    fn errors_name_their_offset_and_stop_at_a_nul() {
        let (text, ok) = report(b"*1\r\n$4\r\nEXEC\r\n");
        assert!(!ok);
        assert!(text.starts_with("0x               8: Unexpected EXEC in AOF f.aof\n"), "{text}");
        let (text, _) = report(b"*1\r\n\0");
        assert!(text.starts_with("0x               4: Expected prefix '$', got: '\n"), "{text}");
        let (text, _) = report(b"*1\r\n$3\r\nabcd\r\n");
        assert!(text.starts_with("0x               8: Expected \\r\\n, got: 640d\n"), "{text}");
    }

    #[test]
    fn strtol_reads_as_c_does() {
        assert_eq!(strtol(b"12\r\n"), (12, 2));
        assert_eq!(strtol(b" -3x"), (-3, 3));
        assert_eq!(strtol(b"\r\n"), (0, 0));
        assert_eq!(strtol(b"99999999999999999999"), (i64::MAX, 20));
    }
}
