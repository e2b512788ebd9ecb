//! The slow log: the latest commands that ran longer than `slowlog-log-slower-than`
//! microseconds, newest first, at most `slowlog-max-len` of them (Redis's slowlog.c).
//!
//! An entry keeps at most [`MAX_ARGS`] arguments (the last replaced by `... (N more
//! arguments)`) and at most [`MAX_ARG_BYTES`] bytes of each (followed by `... (N more bytes)`),
//! so a huge command cannot make the log huge.

use std::collections::VecDeque;

/// Most arguments an entry keeps (Redis's `SLOWLOG_ENTRY_MAX_ARGC`).
pub const MAX_ARGS: usize = 32;
/// Most bytes of an argument an entry keeps (Redis's `SLOWLOG_ENTRY_MAX_STRING`).
pub const MAX_ARG_BYTES: usize = 128;

/// One logged command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Unique, increasing id (kept across SLOWLOG RESET).
    pub id: u64,
    /// Unix time, in seconds, when it was logged.
    pub time: u64,
    /// How long it ran, in microseconds.
    pub duration_us: u64,
    /// Its arguments, trimmed.
    pub argv: Vec<Vec<u8>>,
    /// The client's `ip:port`.
    pub peer: String,
    /// The client's name (empty when it has none).
    pub name: Vec<u8>,
}

/// What a command that may be logged brings along.
#[derive(Clone, Copy)]
#[allow(missing_debug_implementations)]
pub struct Candidate<'a> {
    /// Its arguments, with secrets already redacted.
    pub argv: &'a [&'a [u8]],
    /// How long it ran, in microseconds.
    pub duration_us: u64,
    /// The client's `ip:port`, computed only if the command is logged.
    pub peer: &'a dyn Fn() -> String,
    /// The client's name.
    pub name: &'a [u8],
}

/// The log, newest entry first.
#[derive(Debug, Default)]
pub struct SlowLog {
    entries: VecDeque<Entry>,
    next_id: u64,
}

impl SlowLog {
    /// Logs `command` if it ran for at least `slower_than` µs (a negative threshold disables the
    /// log), then trims the log to `max_len` entries, as `slowlogPushEntryIfNeeded` does.
    pub fn push_if_needed(&mut self, command: Candidate<'_>, slower_than: i64, max_len: u64) {
        let Ok(slower_than) = u64::try_from(slower_than) else { return };
        if command.duration_us >= slower_than {
            let id = self.next_id;
            self.next_id += 1;
            self.entries.push_front(Entry {
                id,
                time: unix_time(),
                duration_us: command.duration_us,
                argv: trimmed_argv(command.argv),
                peer: (command.peer)(),
                name: command.name.to_vec(),
            });
        }
        let max_len = usize::try_from(max_len).unwrap_or(usize::MAX);
        self.entries.truncate(max_len);
    }

    /// Number of entries (SLOWLOG LEN).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries, newest first.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    /// SLOWLOG RESET: forgets every entry; ids keep counting.
    pub fn reset(&mut self) {
        self.entries.clear();
    }
}

/// Seconds since the epoch.
fn unix_time() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The arguments an entry keeps (see the module documentation).
fn trimmed_argv(argv: &[&[u8]]) -> Vec<Vec<u8>> {
    let kept = argv.len().min(MAX_ARGS);
    let mut out = Vec::with_capacity(kept);
    for (i, arg) in argv.iter().take(kept).enumerate() {
        if kept != argv.len() && i == kept - 1 {
            out.push(format!("... ({} more arguments)", argv.len() - kept + 1).into_bytes());
        } else if arg.len() > MAX_ARG_BYTES {
            let mut s = arg[..MAX_ARG_BYTES].to_vec();
            s.extend_from_slice(format!("... ({} more bytes)", arg.len() - MAX_ARG_BYTES).as_bytes());
            out.push(s);
        } else {
            out.push(arg.to_vec());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate<'a>(argv: &'a [&'a [u8]], duration_us: u64) -> Candidate<'a> {
        Candidate { argv, duration_us, peer: &|| "127.0.0.1:1".to_owned(), name: b"" }
    }

    #[test]
    fn logs_at_the_threshold_newest_first_and_trims() {
        let mut log = SlowLog::default();
        log.push_if_needed(candidate(&[b"a"], 9), 10, 128);
        assert!(log.is_empty());
        log.push_if_needed(candidate(&[b"b"], 10), 10, 128);
        log.push_if_needed(candidate(&[b"c"], 0), 0, 128);
        assert_eq!(
            log.entries().map(|e| (e.id, e.argv[0].clone())).collect::<Vec<_>>(),
            [(1, b"c".to_vec()), (0, b"b".to_vec())]
        );
        log.push_if_needed(candidate(&[b"d"], 0), -1, 1);
        assert_eq!(log.len(), 2, "a disabled log is not trimmed either");
        log.push_if_needed(candidate(&[b"e"], 0), 100, 1);
        assert_eq!(log.len(), 1);
        log.reset();
        log.push_if_needed(candidate(&[b"f"], 0), 0, 5);
        assert_eq!(log.entries().next().map(|e| e.id), Some(2));
    }

    #[test]
    fn long_commands_are_trimmed_like_redis() {
        let args: Vec<Vec<u8>> = (0..34).map(|i| i.to_string().into_bytes()).collect();
        let argv: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
        let kept = trimmed_argv(&argv);
        assert_eq!(kept.len(), 32);
        assert_eq!(kept[30], b"30");
        assert_eq!(kept[31], b"... (3 more arguments)");
        let long = vec![b'A'; 129];
        let kept = trimmed_argv(&[b"set", &long]);
        assert_eq!(kept[1], [vec![b'A'; 128], b"... (1 more bytes)".to_vec()].concat());
        assert_eq!(trimmed_argv(&[&[b'x'; 128]])[0].len(), 128);
    }
}
