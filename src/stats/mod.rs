//! Server statistics reported by INFO (stats, commandstats, errorstats) and reset by
//! CONFIG RESETSTAT.

use std::collections::BTreeMap;
use std::time::Duration;

/// Redis stops tracking new error codes past this many distinct ones.
const MAX_ERROR_CODES: usize = 128;

/// Calls of one command.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommandStats {
    /// Times it ran.
    pub calls: u64,
    /// Total run time.
    pub usec: u64,
    /// Times it was refused before running (arity, auth, OOM…).
    pub rejected_calls: u64,
    /// Times it ran and replied with an error.
    pub failed_calls: u64,
}

/// Server-wide counters.
#[derive(Debug, Default)]
pub struct Stats {
    /// Connections accepted.
    pub total_connections_received: u64,
    /// Commands run.
    pub total_commands_processed: u64,
    /// Connections refused because of maxclients.
    pub rejected_connections: u64,
    /// Bytes read from clients.
    pub net_input_bytes: u64,
    /// Bytes written to clients.
    pub net_output_bytes: u64,
    /// Error replies sent.
    pub total_error_replies: u64,
    /// Errors by code (`ERR`, `WRONGTYPE`…).
    pub errors: BTreeMap<String, u64>,
    /// Per command, indexed by command id.
    pub commands: Vec<CommandStats>,
}

impl Stats {
    /// Counters for a table of `commands` entries.
    pub fn new(commands: usize) -> Self {
        Stats { commands: vec![CommandStats::default(); commands], ..Default::default() }
    }

    /// Counts error replies by code.
    pub fn record_errors(&mut self, codes: Vec<String>) {
        for code in codes {
            self.total_error_replies += 1;
            if let Some(n) = self.errors.get_mut(&code) {
                *n += 1;
            } else if self.errors.len() < MAX_ERROR_CODES {
                self.errors.insert(code, 1);
            }
        }
    }

    /// Counts a completed call of command `id`.
    pub fn record_call(&mut self, id: usize, took: Duration, failed: bool) {
        self.total_commands_processed += 1;
        if let Some(s) = self.commands.get_mut(id) {
            s.calls += 1;
            s.usec += took.as_micros() as u64;
            s.failed_calls += u64::from(failed);
        }
    }

    /// Counts a call of command `id` refused before it ran.
    pub fn record_rejected(&mut self, id: Option<usize>) {
        if let Some(s) = id.and_then(|id| self.commands.get_mut(id)) {
            s.rejected_calls += 1;
        }
    }

    /// CONFIG RESETSTAT: zeroes everything.
    pub fn reset(&mut self) {
        *self = Stats::new(self.commands.len());
    }
}
