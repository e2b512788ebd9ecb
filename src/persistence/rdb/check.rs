//! `rkv-server --check-rdb FILE`: reads a file record by record, as loading it would, and reports
//! in redis-check-rdb's words (each record's end offset, then the key counts), so scripts that
//! read that tool's output read ours. Nothing is kept: values are decoded to be checked, then
//! dropped.

use std::io::Write;
use std::path::Path;

use super::build::EncodingLimits;
use super::error::RdbError;
use super::load::{LoadOptions, Loader, Record, Trailer};

/// What the check counted.
#[derive(Debug, Default)]
struct Counts {
    keys: u64,
    expires: u64,
    already_expired: u64,
}

/// Checks the RDB file at `path` (decoding values as `limits` would encode them), writing the
/// report to `out`; whether the file is sound.
pub fn check_file(path: &Path, limits: EncodingLimits, now_ms: i64, out: &mut impl Write) -> std::io::Result<bool> {
    let name = path.display().to_string();
    match std::fs::File::open(path) {
        Ok(file) => Ok(check_stream(&name, std::io::BufReader::new(file), limits, now_ms, out)?.is_some()),
        Err(e) => {
            writeln!(out, "[offset 0] Checking RDB file {name}")?;
            report_end(&Err(format!("[offset 0] Cannot open the file: {e}")), &Counts::default(), out)?;
            Ok(false)
        }
    }
}

/// Checks the RDB stream in `source` (the file `name`, or an AOF's RDB preamble), writing
/// the report to `out`; the stream's length when it is sound.
pub fn check_stream(
    name: &str,
    source: impl std::io::Read,
    limits: EncodingLimits,
    now_ms: i64,
    out: &mut impl Write,
) -> std::io::Result<Option<u64>> {
    writeln!(out, "[offset 0] Checking RDB file {name}")?;
    let mut counts = Counts::default();
    let outcome = walk(source, limits, now_ms, &mut counts, out)?;
    report_end(&outcome, &counts, out)?;
    Ok(outcome.ok())
}

/// The report's last lines: the error, if any, then the counts.
fn report_end(outcome: &Result<u64, String>, counts: &Counts, out: &mut impl Write) -> std::io::Result<()> {
    if let Err(message) = outcome {
        writeln!(out, "--- RDB ERROR DETECTED ---")?;
        writeln!(out, "{message}")?;
    }
    writeln!(out, "[info] {} keys read", counts.keys)?;
    writeln!(out, "[info] {} expires", counts.expires)?;
    writeln!(out, "[info] {} already expired", counts.already_expired)
}

/// Reads every record, reporting auxiliary fields as they come; the stream's length, or the
/// error line on failure.
fn walk(
    source: impl std::io::Read,
    limits: EncodingLimits,
    now_ms: i64,
    counts: &mut Counts,
    out: &mut impl Write,
) -> std::io::Result<Result<u64, String>> {
    // Any database number: the file is judged, not a server's configuration.
    let options = LoadOptions { databases: usize::MAX, verify_checksum: true, limits };
    let located = |e: RdbError| format!("[offset {}] {}", e.offset, e.kind);
    let mut loader = match Loader::new(source, options) {
        Ok(loader) => loader,
        Err(e) => return Ok(Err(located(e))),
    };
    loop {
        match loader.next_record() {
            Ok(Some(Record::Aux { name, value })) => writeln!(
                out,
                "[offset {}] AUX FIELD {} = '{}'",
                loader.position(),
                String::from_utf8_lossy(&name),
                String::from_utf8_lossy(&value)
            )?,
            Ok(Some(Record::SelectDb(db))) => writeln!(out, "[offset {}] Selecting DB ID {db}", loader.position())?,
            Ok(Some(Record::Key(key))) => {
                counts.keys += 1;
                if let Some(at) = key.expire {
                    counts.expires += 1;
                    counts.already_expired += u64::from(at < now_ms);
                }
            }
            Ok(Some(Record::EmptyKey { .. } | Record::ResizeDb { .. } | Record::Function(_))) => {}
            Ok(None) => break,
            Err(e) => return Ok(Err(located(e))),
        }
    }
    let end = loader.position();
    match loader.trailer() {
        Some(Trailer::Verified) => writeln!(out, "[offset {end}] Checksum OK")?,
        Some(Trailer::NotChecked) => {
            writeln!(out, "[offset {end}] RDB file was saved with checksum disabled: no check performed.")?
        }
        None => {}
    }
    writeln!(out, "[offset {end}] \\o/ RDB looks OK! \\o/")?;
    Ok(Ok(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(bytes: &[u8]) -> (bool, String) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("dump.rdb");
        std::fs::write(&path, bytes).expect("write");
        let mut out = Vec::new();
        let names: Vec<&str> = crate::commands::all().iter().map(|spec| spec.name).collect();
        let config = crate::config::load(&[], &names).expect("defaults").config;
        let ok = check_file(&path, EncodingLimits::from_config(&config), 0, &mut out).expect("report");
        (ok, String::from_utf8(out).expect("utf-8"))
    }

    #[test]
    fn a_sound_empty_file_passes() {
        // REDIS0011, one aux field, EOF, then a zero (not checked) checksum.
        let mut file = b"REDIS0011\xfa\x03ver\x067.0.15\xff".to_vec();
        file.extend([0; 8]);
        let (ok, text) = report(&file);
        assert!(ok, "{text}");
        assert!(text.contains("[offset 21] AUX FIELD ver = '7.0.15'"), "{text}");
        assert!(text.contains("checksum disabled"), "{text}");
        assert!(text.contains("\\o/ RDB looks OK! \\o/"), "{text}");
        assert!(text.ends_with("[info] 0 keys read\n[info] 0 expires\n[info] 0 already expired\n"), "{text}");
    }

    #[test]
    fn truncation_and_bad_signatures_are_reported_with_offsets() {
        let (ok, text) = report(b"REDIS0011\xfa\x03ver");
        assert!(!ok);
        assert!(text.contains("--- RDB ERROR DETECTED ---\n[offset "), "{text}");
        let (ok, text) = report(b"NOTREDIS!");
        assert!(!ok);
        assert!(text.contains("[offset 0] wrong signature"), "{text}");
    }
}
