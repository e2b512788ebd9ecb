//! `rkv-server --check-aof [--fix|--truncate-to-timestamp T] FILE`: checks a manifest (with its
//! base and incremental files), an old-style AOF or an RDB-preamble AOF, and reports in
//! redis-check-aof's words (its offsets, line counts and error texts), so scripts that read that
//! tool's output read ours. With `--fix` or `--truncate-to-timestamp` it cuts the last file as
//! the tool does (only the last one: cutting an earlier file would drop the files after it).

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
    /// `--fix`: the file is valid up to this offset only, and the user agreed to cut it there.
    Fix(u64),
    /// `--truncate-to-timestamp`: the file is to be cut at this offset, where the first
    /// timestamp annotation past the limit starts.
    PastTimestamp(u64),
}

/// What to do with the last file (redis-check-aof's options).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repair {
    /// Report only.
    None,
    /// `--fix`: cut the file after its last whole command, once the user confirms.
    Fix,
    /// `--truncate-to-timestamp T`: cut the file where a `#TS:` annotation past `T` starts.
    ToTimestamp(i64),
}

/// How the checker asks "Continue? [y/N]" before `--fix` cuts a file: true to go on.
pub type Confirm<'a> = &'a mut dyn FnMut() -> bool;

/// What the RDB preamble check needs.
#[derive(Clone, Copy)]
pub struct RdbCheck {
    /// Encodings values are decoded into.
    pub limits: EncodingLimits,
    /// Now, for counting already expired keys.
    pub now_ms: i64,
}

/// Checks `path` (a manifest, an RDB-preamble AOF or a RESP AOF, told apart as
/// redis-check-aof does), writing the report to `out`, and repairs the last file as `repair`
/// says (asking `confirm` before `--fix` cuts).
pub fn check(
    path: &Path,
    rdb: RdbCheck,
    repair: Repair,
    confirm: Confirm<'_>,
    out: &mut impl Write,
) -> std::io::Result<Result<(), Invalid>> {
    let shown = path.display().to_string();
    let opened = std::fs::File::open(path).and_then(|file| is_manifest(std::io::BufReader::new(file)));
    let manifest = match opened {
        Ok(manifest) => manifest,
        Err(e) => {
            writeln!(out, "Cannot open file {shown}: {}", os_text(&e))?;
            return Ok(Err(Invalid));
        }
    };
    let mut run = Run { rdb, repair, confirm, line: 1 };
    if let Some(text) = manifest {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        return check_multi_part(dir, &text, &mut run, out);
    }
    writeln!(out, "Start checking Old-Style AOF")?;
    let file = SingleFile { name: &shown, path, preamble: is_rdb(path), last: true };
    run.file("", &file, out)
}

/// The manifest's files, base first.
fn check_multi_part(
    dir: &Path,
    text: &[u8],
    run: &mut Run<'_>,
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
        let file = SingleFile { name: &base.name, path: &path, preamble, last: manifest.incr.is_empty() };
        if let Err(Invalid) = run.file("BASE ", &file, out)? {
            return Ok(Err(Invalid));
        }
    }
    if !manifest.incr.is_empty() {
        writeln!(out, "Start to check INCR files.")?;
    }
    for (i, incr) in manifest.incr.iter().enumerate() {
        let path = dir.join(&incr.name);
        let file = SingleFile { name: &incr.name, path: &path, preamble: false, last: i + 1 == manifest.incr.len() };
        if let Err(Invalid) = run.file("INCR ", &file, out)? {
            return Ok(Err(Invalid));
        }
    }
    writeln!(out, "All AOF files and manifest are valid")?;
    Ok(Ok(()))
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

/// One file of a check.
struct SingleFile<'a> {
    /// Its name in the report.
    name: &'a str,
    path: &'a Path,
    /// It opens with an RDB preamble.
    preamble: bool,
    /// It is the last file (the only one that may be cut).
    last: bool,
}

/// A check in progress over one or more files.
struct Run<'a> {
    rdb: RdbCheck,
    repair: Repair,
    confirm: Confirm<'a>,
    /// Lines consumed, counted across the files of a manifest as the tool does.
    line: u64,
}

impl Run<'_> {
    /// redis-check-aof's `checkSingleAof` on `file` and its verdict line (`kind` names its part
    /// of a manifest: `BASE `, `INCR `, or nothing), cutting it when the repair asks.
    fn file(
        &mut self,
        kind: &str,
        file: &SingleFile<'_>,
        out: &mut impl Write,
    ) -> std::io::Result<Result<(), Invalid>> {
        let SingleFile { name, path, preamble, last } = *file;
        let opened = std::fs::OpenOptions::new().read(true).write(self.repair != Repair::None).open(path);
        let handle = match opened {
            Ok(handle) => handle,
            Err(e) => {
                writeln!(out, "Cannot open file {}: {}, aborting...", path.display(), os_text(&e))?;
                return Ok(Err(Invalid));
            }
        };
        let size = handle.metadata()?.len();
        let source = std::io::BufReader::with_capacity(1 << 16, &handle);
        let checked =
            CheckedFile { name, path: &path.display().to_string(), size, preamble, last, repair: self.repair };
        let verdict = match check_contents(&checked, source, self.rdb, &mut self.line, &mut *self.confirm, out)? {
            Ok(verdict) => verdict,
            Err(Invalid) => return Ok(Err(Invalid)),
        };
        match verdict {
            Single::Valid => writeln!(out, "{kind}AOF {name} is valid")?,
            Single::Empty => writeln!(out, "{kind}AOF {name} is empty")?,
            Single::Fix(at) => {
                if handle.set_len(at).and_then(|()| handle.sync_all()).is_err() {
                    writeln!(out, "Failed to truncate AOF {name}")?;
                    return Ok(Err(Invalid));
                }
                writeln!(out, "Successfully truncated AOF {name}")?;
            }
            Single::PastTimestamp(at) => {
                let Repair::ToTimestamp(limit) = self.repair else { return Ok(Err(Invalid)) };
                if handle.set_len(at).and_then(|()| handle.sync_all()).is_err() {
                    writeln!(out, "Failed to truncate AOF {} to timestamp {limit}", path.display())?;
                    return Ok(Err(Invalid));
                }
                writeln!(out, "Successfully truncated AOF {name} to timestamp {limit}")?;
            }
        }
        Ok(Ok(()))
    }
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
    /// Whether it is the last file (the only one a repair may cut).
    pub last: bool,
    /// What to do when it is not valid to its end.
    pub repair: Repair,
}

/// redis-check-aof's `checkSingleAof` on the contents of `file` in `source`: the RDB
/// preamble if any, then commands up to the end; `line` counts lines across files. A repair
/// is only decided here (asking `confirm` for `--fix`); the caller cuts the file.
pub fn check_contents(
    file: &CheckedFile<'_>,
    mut source: impl BufRead + std::io::Seek,
    rdb: RdbCheck,
    line: &mut u64,
    confirm: Confirm<'_>,
    out: &mut impl Write,
) -> std::io::Result<Result<Single, Invalid>> {
    let CheckedFile { name, path, size, preamble, last, repair } = *file;
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
    let limit = match repair {
        Repair::ToTimestamp(limit) => Some(limit),
        Repair::None | Repair::Fix => None,
    };
    let mut scan = Scan {
        source,
        pos: start,
        epos: 0,
        eof: false,
        line,
        error: None,
        argc_line: [0; HEADER_MAX + 1],
        limit,
        past_limit: None,
    };
    let ok_up_to = match scan.commands(name, path, out)? {
        Ok(ok_up_to) => ok_up_to,
        Err(Invalid) => return Ok(Err(Invalid)),
    };
    if let Some(at) = scan.past_limit {
        if at == 0 {
            writeln!(out, "AOF {path} has nothing before timestamp {}, aborting...", limit.unwrap_or_default())?;
            return Ok(Err(Invalid));
        }
        if !last {
            let limit = limit.unwrap_or_default();
            writeln!(
                out,
                "Failed to truncate AOF {path} to timestamp {limit} to offset {at} because it is not the last file."
            )?;
            writeln!(
                out,
                "If you insist, please delete all files after this file according to the manifest file and delete the corresponding records in manifest file manually. Then re-run redis-check-aof."
            )?;
            return Ok(Err(Invalid));
        }
        return Ok(Ok(Single::PastTimestamp(at)));
    }
    if let Some(error) = &scan.error {
        out.write_all(error)?;
        writeln!(out)?;
    }
    let diff = size.saturating_sub(ok_up_to);
    if let (0, Some(limit)) = (diff, limit) {
        writeln!(out, "Truncate nothing in AOF {name} to timestamp {limit}")?;
        return Ok(Ok(Single::Valid));
    }
    writeln!(
        out,
        "AOF analyzed: filename={name}, size={size}, ok_up_to={ok_up_to}, ok_up_to_line={}, diff={diff}",
        scan.line
    )?;
    if diff == 0 {
        return Ok(Ok(Single::Valid));
    }
    if repair != Repair::Fix {
        writeln!(out, "AOF {name} is not valid. Use the --fix option to try fixing it.")?;
        return Ok(Err(Invalid));
    }
    if !last {
        writeln!(out, "Failed to truncate AOF {name} because it is not the last file")?;
        return Ok(Err(Invalid));
    }
    writeln!(out, "This will shrink the AOF {name} from {size} bytes, with {diff} bytes, to {ok_up_to} bytes")?;
    write!(out, "Continue? [y/N]: ")?;
    out.flush()?;
    if !confirm() {
        writeln!(out, "Aborting...")?;
        return Ok(Err(Invalid));
    }
    Ok(Ok(Single::Fix(ok_up_to)))
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
    /// `--truncate-to-timestamp`'s limit.
    limit: Option<i64>,
    /// Where the first timestamp annotation past `limit` starts, once found (reading stops).
    past_limit: Option<u64>,
}

/// Longest header line `readLong` reads (`char buf[128]`, less the terminator).
const HEADER_MAX: usize = 127;
/// Longest annotation line (`AOF_ANNOTATION_LINE_MAX_LEN`, less the terminator).
const ANNOTATION_MAX: usize = 1023;

impl<R: BufRead> Scan<'_, R> {
    /// Reads commands and annotations to the end, the first error or the first timestamp past
    /// the limit; the offset up to which the file is valid (the start of an unfinished MULTI
    /// counts as its end).
    fn commands(&mut self, name: &str, path: &str, out: &mut impl Write) -> std::io::Result<Result<u64, Invalid>> {
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
                    let annotation = self.fgets(ANNOTATION_MAX)?;
                    if let (Some(limit), Some(rest)) = (self.limit, annotation.strip_prefix(b"#TS:")) {
                        let (ts, end, overflowed) = strtol(rest);
                        if overflowed || rest.get(end) != Some(&b'\r') {
                            writeln!(out, "Invalid timestamp annotation")?;
                            return Ok(Err(Invalid));
                        }
                        if ts > limit {
                            self.past_limit = Some(self.epos);
                            return Ok(Ok(ok_up_to));
                        }
                    }
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
        Ok(Ok(ok_up_to))
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
        let (value, end, _) = strtol(&line[1..]);
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

/// C's `strtol(s, &end, 10)`: the value (saturated), the index where parsing stopped (0
/// when no digits were found), and whether it overflowed (`errno` ERANGE).
fn strtol(s: &[u8]) -> (i64, usize, bool) {
    let mut i = s.iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')).count();
    let negative = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = s[i.min(s.len())..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return (0, 0, false);
    }
    let mut value: Option<i64> = Some(0);
    for &d in &s[i..i + digits] {
        let d = i64::from(d - b'0');
        value = value
            .and_then(|v| v.checked_mul(10))
            .and_then(|v| if negative { v.checked_sub(d) } else { v.checked_add(d) });
    }
    let saturated = if negative { i64::MIN } else { i64::MAX };
    (value.unwrap_or(saturated), i + digits, value.is_none())
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
        let (text, verdict) = repair(file, Repair::None, true, true);
        (text, verdict.is_ok())
    }

    /// The report on `file` checked with `repair`, as the last file or not, answering
    /// `answer` to "Continue?"; and the verdict.
    fn repair(file: &[u8], repair: Repair, last: bool, answer: bool) -> (String, Result<Single, Invalid>) {
        let checked =
            CheckedFile { name: "f.aof", path: "f.aof", size: file.len() as u64, preamble: false, last, repair };
        let rdb = RdbCheck { limits: EncodingLimits::redis_defaults(), now_ms: 0 };
        let mut out = Vec::new();
        let source = std::io::Cursor::new(file);
        let verdict = check_contents(&checked, source, rdb, &mut 1, &mut || answer, &mut out).expect("memory");
        (String::from_utf8(out).expect("utf-8"), verdict)
    }

    const SET: &[u8] = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n";

    #[test]
    fn fix_cuts_after_the_last_whole_command_once_confirmed() {
        let file = [SET, b"*3\r\n$3\r\nSET"].concat();
        let (text, verdict) = repair(&file, Repair::Fix, true, true);
        assert_eq!(verdict.ok(), Some(Single::Fix(SET.len() as u64)), "{text}");
        assert!(
            text.ends_with(
                "This will shrink the AOF f.aof from 38 bytes, with 11 bytes, to 27 bytes\nContinue? [y/N]: "
            ),
            "{text}"
        );
        let (text, verdict) = repair(&file, Repair::Fix, true, false);
        assert!(verdict.is_err() && text.ends_with("Continue? [y/N]: Aborting...\n"), "{text}");
        let (text, verdict) = repair(&file, Repair::Fix, false, true);
        assert!(
            verdict.is_err() && text.ends_with("Failed to truncate AOF f.aof because it is not the last file\n"),
            "{text}"
        );
        assert_eq!(repair(SET, Repair::Fix, true, true).1.ok(), Some(Single::Valid));
    }

    #[test]
    fn truncate_to_timestamp_cuts_at_the_first_later_annotation() {
        let file = [&b"#TS:10\r\n"[..], SET, b"#TS:20\r\n", SET].concat();
        let (text, verdict) = repair(&file, Repair::ToTimestamp(15), true, false);
        assert_eq!(verdict.ok(), Some(Single::PastTimestamp(8 + SET.len() as u64)), "{text}");
        let (text, verdict) = repair(&file, Repair::ToTimestamp(15), false, false);
        assert!(
            verdict.is_err() && text.starts_with("Failed to truncate AOF f.aof to timestamp 15 to offset 35 because"),
            "{text}"
        );
        let (text, verdict) = repair(&file, Repair::ToTimestamp(5), true, false);
        assert!(verdict.is_err() && text == "AOF f.aof has nothing before timestamp 5, aborting...\n", "{text}");
        let (text, verdict) = repair(&file, Repair::ToTimestamp(20), true, false);
        assert_eq!(
            (verdict.ok(), text.as_str()),
            (Some(Single::Valid), "Truncate nothing in AOF f.aof to timestamp 20\n")
        );
        let (text, verdict) = repair(b"#TS:x\r\n", Repair::ToTimestamp(20), true, false);
        assert!(verdict.is_err() && text == "Invalid timestamp annotation\n", "{text}");
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
        assert_eq!(strtol(b"12\r\n"), (12, 2, false));
        assert_eq!(strtol(b" -3x"), (-3, 3, false));
        assert_eq!(strtol(b"\r\n"), (0, 0, false));
        assert_eq!(strtol(b"99999999999999999999"), (i64::MAX, 20, true));
        assert_eq!(strtol(b"-9223372036854775808"), (i64::MIN, 20, false));
    }
}
