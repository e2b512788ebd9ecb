//! Server statistics reported by INFO (stats, commandstats, errorstats) and reset by
//! CONFIG RESETSTAT.

pub mod hdr;
pub mod latency;
pub mod slowlog;
pub mod system;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Redis stops tracking new error codes past this many distinct ones.
const MAX_ERROR_CODES: usize = 128;

/// Samples averaged by the instantaneous metrics (Redis's `STATS_METRIC_SAMPLES`).
const METRIC_SAMPLES: usize = 16;

/// Shortest time between two samples (Redis samples every 100 ms from its cron).
const SAMPLE_INTERVAL: Duration = Duration::from_millis(100);

/// A rate sampled from a growing counter, averaged over the last [`METRIC_SAMPLES`] samples.
#[derive(Debug, Default, Clone)]
pub struct Metric {
    last: Option<(Instant, u64)>,
    samples: [f64; METRIC_SAMPLES],
    next: usize,
}

impl Metric {
    /// Records the counter's value at `now`; ignored when the previous sample is too recent.
    pub fn sample(&mut self, now: Instant, value: u64) {
        if let Some((at, before)) = self.last {
            let elapsed = now.saturating_duration_since(at);
            if elapsed < SAMPLE_INTERVAL {
                return;
            }
            self.samples[self.next] = value.saturating_sub(before) as f64 / elapsed.as_secs_f64();
            self.next = (self.next + 1) % METRIC_SAMPLES;
        }
        self.last = Some((now, value));
    }

    /// Mean rate per second; like Redis, missing samples count as zero.
    pub fn per_second(&self) -> f64 {
        self.samples.iter().sum::<f64>() / METRIC_SAMPLES as f64
    }
}

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

/// Counters the connection tasks update, on the executor's thread or on I/O threads.
#[derive(Debug, Default)]
pub struct IoCounters {
    /// Bytes written to clients (`total_net_output_bytes`).
    pub output_bytes: AtomicU64,
    /// Batches of requests read and decoded by I/O threads (`io_threaded_reads_processed`).
    pub threaded_reads: AtomicU64,
    /// Replies written by I/O threads (`io_threaded_writes_processed`).
    pub threaded_writes: AtomicU64,
}

impl IoCounters {
    /// Zeroes every counter (CONFIG RESETSTAT).
    fn reset(&self) {
        for counter in [&self.output_bytes, &self.threaded_reads, &self.threaded_writes] {
            counter.store(0, Ordering::Relaxed);
        }
    }

    /// Adds `n` to `counter`.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
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
    /// What connection tasks count from whichever thread they run on (bytes written; batches
    /// handled by I/O threads). Shared with every connection, so kept across CONFIG RESETSTAT.
    pub io: Arc<IoCounters>,
    /// Error replies sent.
    pub total_error_replies: u64,
    /// Errors by code (`ERR`, `WRONGTYPE`…).
    pub errors: BTreeMap<String, u64>,
    /// Per command, indexed by command id.
    pub commands: Vec<CommandStats>,
    /// Commands per second (`instantaneous_ops_per_sec`).
    pub ops_per_sec: Metric,
    /// Input bytes per second.
    pub input_per_sec: Metric,
    /// Output bytes per second.
    pub output_per_sec: Metric,
    /// Highest `used_memory` seen (kept by CONFIG RESETSTAT).
    pub peak_memory: u64,
    /// `used_memory` when the server started (kept by CONFIG RESETSTAT).
    pub startup_memory: u64,
}

impl Stats {
    /// Counters for a table of `commands` entries.
    pub fn new(commands: usize) -> Self {
        let memory = crate::alloc::used_memory();
        Stats {
            commands: vec![CommandStats::default(); commands],
            peak_memory: memory,
            startup_memory: memory,
            ..Default::default()
        }
    }

    /// Samples the instantaneous metrics; meant for a 100 ms cron (INFO also calls it, so the
    /// numbers move even before a cron drives it).
    pub fn sample_metrics(&mut self, now: Instant) {
        self.ops_per_sec.sample(now, self.total_commands_processed);
        self.input_per_sec.sample(now, self.net_input_bytes);
        self.output_per_sec.sample(now, self.io.output_bytes.load(Ordering::Relaxed));
    }

    /// Records `used` bytes of memory and returns the peak so far.
    pub fn note_memory(&mut self, used: u64) -> u64 {
        self.peak_memory = self.peak_memory.max(used);
        self.peak_memory
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
        let (peak_memory, startup_memory, io) = (self.peak_memory, self.startup_memory, self.io.clone());
        io.reset();
        *self = Stats { peak_memory, startup_memory, io, ..Stats::new(self.commands.len()) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_averages_over_sixteen_samples() {
        let mut m = Metric::default();
        let t0 = Instant::now();
        m.sample(t0, 0);
        m.sample(t0 + Duration::from_millis(50), 999); // too soon: ignored
        m.sample(t0 + Duration::from_millis(100), 100);
        // One sample of 1000/s among sixteen.
        assert!((m.per_second() - 1000.0 / 16.0).abs() < 1e-6);
    }
}
