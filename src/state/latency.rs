//! The hook the command path calls once after each command runs: latency monitor events, the
//! per-command latency histogram, and the slow log, in the order and with the exceptions of
//! Redis 7.0's `call()` and `updateStatsOnUnblock()`:
//!
//! - The monitor records `command` (or `fast-command` for FAST commands) for every run,
//!   a command that just blocked included; a served blocked command records
//!   `command-unblocking`.
//! - A command that blocked is put in the histogram and the slow log when it is served, with the
//!   time it ran, not the time it waited (a timed-out one is never logged, as in 7.0).
//! - SKIP_SLOWLOG commands (EXEC) are not logged; the commands EXEC runs are, each on its own.
//! - Secrets (AUTH and HELLO passwords, sensitive CONFIG SET values…) show as `(redacted)`.

use std::time::Duration;

use super::{Client, ServerState};
use crate::commands::{CommandId, Flags};
use crate::stats::slowlog::Candidate;

/// How a command reached the hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// It ran from the command path (client input, EXEC). If it blocked, it is logged when served.
    Called,
    /// A blocked command that was served.
    Served,
}

/// What a redacted argument shows (Redis's `shared.redacted`).
const REDACTED: &[u8] = b"(redacted)";

/// `CONFIG SET` values never shown (Redis's `SENSITIVE_CONFIG` directives).
const SENSITIVE_CONFIGS: &[&str] = &["requirepass", "masterauth", "masteruser"];

impl ServerState {
    /// Records what a command's run time means for the latency monitor, the command's latency
    /// histogram and the slow log (see the module documentation). `took` is its run time.
    pub(crate) fn record_command_latency(
        &mut self,
        id: CommandId,
        argv: &[&[u8]],
        took: Duration,
        client: &Client,
        run: Run,
    ) {
        let entry = self.commands.entry(id);
        let (flags, fullname) = (entry.spec.flags, entry.fullname);
        let us = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        let config = &self.config;
        let latency = &mut self.latency;
        let threshold = config.latency_monitor_threshold;
        match run {
            Run::Called => {
                let event = if flags.contains(Flags::FAST) { "fast-command" } else { "command" };
                latency.events.add_if_needed(event, us / 1000, threshold);
                if client.blocked.is_some() {
                    return;
                }
            }
            Run::Served => latency.events.add_if_needed("command-unblocking", us / 1000, threshold),
        }
        if config.latency_tracking {
            latency.record_histogram(id, us.saturating_mul(1000));
        }
        if flags.contains(Flags::SKIP_SLOWLOG) {
            return;
        }
        let slower_than = config.slowlog_log_slower_than;
        let logged = u64::try_from(slower_than).is_ok_and(|t| us >= t);
        let redacted = if logged { redacted(fullname, argv) } else { None };
        let candidate = Candidate {
            argv: redacted.as_deref().unwrap_or(argv),
            duration_us: us,
            peer: &|| client.peer_addr(),
            name: &client.name,
        };
        latency.slowlog.push_if_needed(candidate, slower_than, config.slowlog_max_len);
    }
}

/// `argv` with its secrets replaced by `(redacted)`, where the command has any, at the
/// positions Redis's handlers redact (`redactClientCommandArgument`).
fn redacted<'a>(fullname: &str, argv: &[&'a [u8]]) -> Option<Vec<&'a [u8]>> {
    let mut hide: Vec<usize> = Vec::new();
    match fullname {
        // Only the two- and three-argument forms get as far as redacting.
        "auth" if argv.len() <= 3 => hide.extend(1..argv.len()),
        "hello" => {
            let proto_ok = argv.get(1).is_none_or(|v| matches!(*v, b"2" | b"3"));
            let mut j = 2;
            while proto_ok && j < argv.len() {
                let more = argv.len() - 1 - j;
                if argv[j].eq_ignore_ascii_case(b"auth") && more >= 2 {
                    hide.extend([j + 1, j + 2]);
                    j += 3;
                } else if argv[j].eq_ignore_ascii_case(b"setname") && more >= 1 {
                    j += 2;
                } else {
                    break;
                }
            }
        }
        "config|set" if argv.len() >= 4 && argv.len() % 2 == 0 => {
            for i in (2..argv.len()).step_by(2) {
                if SENSITIVE_CONFIGS.iter().any(|c| argv[i].eq_ignore_ascii_case(c.as_bytes())) {
                    hide.push(i + 1);
                }
            }
        }
        "acl|setuser" => hide.extend(2..argv.len()),
        "migrate" => {
            let mut j = 6;
            while j < argv.len() {
                let more = argv.len() - 1 - j;
                if argv[j].eq_ignore_ascii_case(b"auth") && more >= 1 {
                    hide.push(j + 1);
                    j += 1;
                } else if argv[j].eq_ignore_ascii_case(b"auth2") && more >= 2 {
                    hide.extend([j + 1, j + 2]);
                    j += 2;
                } else if argv[j].eq_ignore_ascii_case(b"keys") {
                    break;
                }
                j += 1;
            }
        }
        _ => {}
    }
    if hide.is_empty() {
        return None;
    }
    let mut out = argv.to_vec();
    for i in hide {
        out[i] = REDACTED;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(fullname: &str, argv: &[&str]) -> String {
        let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_bytes()).collect();
        let out = redacted(fullname, &argv).unwrap_or(argv);
        out.iter().map(|a| String::from_utf8_lossy(a)).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn secrets_are_redacted_where_redis_redacts_them() {
        assert_eq!(shown("auth", &["auth", "pw"]), "auth (redacted)");
        assert_eq!(shown("auth", &["auth", "u", "pw"]), "auth (redacted) (redacted)");
        assert_eq!(shown("auth", &["auth", "a", "b", "c"]), "auth a b c");
        assert_eq!(
            shown("hello", &["hello", "3", "SETNAME", "n", "AUTH", "u", "p"]),
            "hello 3 SETNAME n AUTH (redacted) (redacted)"
        );
        assert_eq!(shown("hello", &["hello", "4", "AUTH", "u", "p"]), "hello 4 AUTH u p");
        assert_eq!(
            shown("config|set", &["config", "set", "maxmemory", "1", "MasterAuth", "x"]),
            "config set maxmemory 1 MasterAuth (redacted)"
        );
        assert_eq!(shown("acl|setuser", &["acl", "setuser", "u", "+get"]), "acl setuser (redacted) (redacted)");
        assert_eq!(
            shown("migrate", &["migrate", "h", "1", "k", "9", "5000", "AUTH2", "u", "p"]),
            "migrate h 1 k 9 5000 AUTH2 (redacted) (redacted)"
        );
        assert_eq!(shown("get", &["get", "k"]), "get k");
    }
}
