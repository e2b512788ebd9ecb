//! The dataset being loaded (Redis's `server.loading`, `startLoading`, `loadingAbsProgress`,
//! `stopLoading`): at startup, by DEBUG RELOAD and by DEBUG LOADAOF. While it loads, the
//! loader reports its progress here; every `loading-process-events-interval-bytes` of input
//! (every [`COMMANDS_PER_SERVE`] commands of an AOF) the other clients are served (see
//! `blocked`), and dispatch refuses with [`LOADING_ERROR`] every command not flagged `loading`.
//! INFO shows the progress. `key-load-delay` slows loading down for tests. A SIGTERM or SIGINT
//! during a load (see `signals`) stops it and the server without saving, as Redis's
//! `whileBlockedCron` does.

use super::client::ClientTable;
use super::{ServerState, ShutdownRequest, blocked};
use crate::keyspace::clock::unix_secs;

pub use crate::config::LOADING_ERROR;

/// AOF commands replayed between two servings of the other clients (as Redis's
/// `loadSingleAppendOnlyFile`).
pub const COMMANDS_PER_SERVE: u64 = 1024;

/// A load in progress: what INFO reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loading {
    /// Unix time it started (`loading_start_time`).
    pub start_time: u64,
    /// Bytes of input in all (`loading_total_bytes`).
    pub total_bytes: u64,
    /// Bytes of input read so far (`loading_loaded_bytes`).
    pub loaded_bytes: u64,
    /// The memory the saving server used, from the file's `used-mem` field
    /// (`loading_rdb_used_mem`).
    pub rdb_used_mem: u64,
}

impl Loading {
    /// `loading_loaded_perc`: the share of the input read, in percent.
    pub fn percent(&self) -> f64 {
        if self.total_bytes == 0 {
            return 0.0;
        }
        self.loaded_bytes as f64 / self.total_bytes as f64 * 100.0
    }

    /// `loading_eta_seconds` at Unix time `now`: the time left at the pace so far (1 within the
    /// first second, when there is no pace yet).
    pub fn eta_secs(&self, now: u64) -> u64 {
        let elapsed = now.saturating_sub(self.start_time);
        if elapsed == 0 {
            return 1;
        }
        // Redis's `remaining_bytes` is 1 when the total is unknown.
        let remaining = if self.total_bytes == 0 { 1 } else { self.total_bytes.saturating_sub(self.loaded_bytes) };
        let eta = u128::from(elapsed) * u128::from(remaining) / (u128::from(self.loaded_bytes) + 1);
        u64::try_from(eta).unwrap_or(u64::MAX)
    }
}

/// A load given up because a shutdown was asked for meanwhile (SHUTDOWN served during it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

impl ServerState {
    /// Whether the dataset is being loaded.
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// A load of `total_bytes` of input starts.
    pub fn start_loading(&mut self, total_bytes: u64) {
        super::signals::set_loading(true);
        self.loading = Some(Loading { start_time: unix_secs(), total_bytes, loaded_bytes: 0, rdb_used_mem: 0 });
    }

    /// The load ended (loaded, failed or interrupted).
    pub fn stop_loading(&mut self) {
        super::signals::set_loading(false);
        self.loading = None;
    }

    /// The loader read up to `loaded_bytes` of its input; when that crosses a multiple of
    /// `loading-process-events-interval-bytes` since `previous`, the other clients are served.
    pub(crate) fn loading_progress(
        &mut self,
        clients: &mut ClientTable,
        previous: u64,
        loaded_bytes: u64,
    ) -> Result<(), Interrupted> {
        let interval = self.config.loading_events_interval_bytes.max(1);
        if loaded_bytes / interval == previous / interval {
            return Ok(());
        }
        self.serve_while_loading(clients, loaded_bytes)
    }

    /// Notes `loaded_bytes` read and serves the other clients (nothing outside a load); `Err`
    /// when one asked for a shutdown meanwhile.
    pub(crate) fn serve_while_loading(
        &mut self,
        clients: &mut ClientTable,
        loaded_bytes: u64,
    ) -> Result<(), Interrupted> {
        let Some(loading) = self.loading.as_mut() else { return Ok(()) };
        loading.loaded_bytes = loaded_bytes;
        {
            // Commands served meanwhile read the real clock, even in the middle of an AOF
            // replay that holds it still.
            let _clock = crate::keyspace::LoadingTime::release();
            blocked::serve_clients(self, clients);
        }
        if super::signals::pending().is_some() && self.shutdown.is_none() {
            let request = ShutdownRequest { save: false, nosave: true, now: false, force: false };
            if !self.prepare_for_shutdown(request) {
                super::signals::clear();
            }
        }
        if self.shutdown.is_some() { Err(Interrupted) } else { Ok(()) }
    }

    /// After each key (or AOF command) loaded: `key-load-delay`, as [`debug_delay`].
    pub(crate) fn key_load_delay(&mut self) {
        debug_delay(self.config.key_load_delay_us, &mut self.rng);
    }
}

/// Redis's `debugDelay`, which `key-load-delay` and `rdb-key-save-delay` slow loads and saves
/// with: sleeps `delay_us` microseconds; a negative delay -N sleeps one microsecond once in
/// about N calls.
pub(crate) fn debug_delay(delay_us: i64, rng: &mut fastrand::Rng) {
    let micros = match delay_us {
        0 => return,
        d if d < 0 => u64::from(rng.u64(0..d.unsigned_abs()) == 0),
        d => d.unsigned_abs(),
    };
    if micros > 0 {
        std::thread::sleep(std::time::Duration::from_micros(micros));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_and_eta_follow_redis_formulas() {
        let mut loading = Loading { start_time: 100, total_bytes: 1000, loaded_bytes: 250, rdb_used_mem: 0 };
        assert_eq!(format!("{:.2}", loading.percent()), "25.00");
        // Within the first second there is no pace yet.
        assert_eq!(loading.eta_secs(100), 1);
        // 10 s for 250 bytes, 750 left: (10 * 750) / 251.
        assert_eq!(loading.eta_secs(110), 29);
        loading.total_bytes = 0;
        assert_eq!(format!("{:.2}", loading.percent()), "0.00");
        assert_eq!(loading.eta_secs(110), 0);
    }
}
