//! RDB saves as the server runs them: SAVE (on the executor, blocking, as Redis's), background
//! saves (forkless, driven between batches by the server's save task), the `save` points the
//! cron checks, and the status INFO, LASTSAVE and MISCONF report.

/// The error a write gets while the last background save failed.
pub const MISCONF_ERROR: &str = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

use std::time::Duration;

use super::client::ClientTable;
use super::{ServerEvent, ServerState};
use crate::keyspace::wall_clock_ms;
use crate::persistence::bgsave::{BackgroundSave, Format, SaveTarget, Step};
use crate::persistence::file::AtomicFile;
use crate::persistence::rdb::{self, Aux, SaveOptions};
use crate::scripting::RestorePolicy;

/// Seconds a failed background save waits before a save point may try again (Redis's
/// `CONFIG_BGSAVE_RETRY_DELAY`).
const RETRY_DELAY_SECS: u64 = 5;
/// Keys a background save step writes before letting clients in again.
const KEYS_PER_STEP: usize = 1000;

/// Where saving stands.
pub struct SaveStatus {
    /// Unix time of the last successful save (the start counts as one, as in Redis).
    pub last_save: u64,
    /// Whether the last background save succeeded.
    pub last_bgsave_ok: bool,
    /// Seconds the last background save took (-1: none yet).
    pub last_bgsave_secs: i64,
    /// Successful saves (INFO `rdb_saves`).
    pub saves: u64,
    /// Unix time of the last background save attempt.
    last_try: u64,
    /// BGSAVE SCHEDULE asked for a save once none runs.
    pub scheduled: bool,
    /// The background save in progress.
    pub running: Option<BackgroundSave>,
    /// Number of background saves started: a save's driver stops once another one runs. INFO
    /// reports it as `total_forks`: each is what a fork is to Redis (a snapshot's start).
    pub started: u64,
    /// Microseconds the last background save took to start (INFO `latest_fork_usec`).
    pub latest_start_us: u64,
    /// Keys the startup load read, and expired keys it skipped.
    pub loaded: (u64, u64),
    /// What the last background save's snapshot wrote ahead because of changes (INFO
    /// `rdb_last_cow_size`; see [`ServerState::snapshot_written_ahead`]).
    pub last_written_ahead: u64,
}

impl Default for SaveStatus {
    fn default() -> Self {
        SaveStatus {
            last_save: unix_secs(),
            last_bgsave_ok: true,
            last_bgsave_secs: -1,
            saves: 0,
            last_try: 0,
            scheduled: false,
            running: None,
            started: 0,
            latest_start_us: 0,
            loaded: (0, 0),
            last_written_ahead: 0,
        }
    }
}

fn unix_secs() -> u64 {
    u64::try_from(wall_clock_ms() / 1000).unwrap_or(0)
}

/// The temporary file a save on the executor's thread writes before renaming it (Redis's
/// `temp-<pid>.rdb`).
fn temp_name() -> String {
    format!("temp-{}.rdb", std::process::id())
}

/// The temporary file a background save writes. Redis's child writes `temp-<child pid>.rdb`;
/// a forkless save has no child, and must not share [`temp_name`]: a shutdown save starts while
/// the writer of the background save it aborted may still be removing its file.
fn background_temp_name() -> String {
    format!("temp-bg-{}.rdb", std::process::id())
}

/// The temporary files of an RDB save, foreground and background (a second SIGINT removes
/// them before the process quits).
pub fn temp_file_names() -> [String; 2] {
    [temp_name(), background_temp_name()]
}

/// `rdb-key-save-delay` after each key a save on the executor's thread writes (see
/// [`debug_delay`](super::loading::debug_delay)).
pub(crate) fn key_save_pacer(delay_us: i64) -> impl FnMut() {
    let mut rng = fastrand::Rng::new();
    move || super::loading::debug_delay(delay_us, &mut rng)
}

impl ServerState {
    /// How a save starting now writes keys, and the fields of its header.
    pub(crate) fn save_settings(&self) -> (SaveOptions, Aux) {
        let clock = self.dbs.first().map(|db| *db.clock()).unwrap_or_default();
        (SaveOptions::from_config(&self.config, clock), Aux::snapshot(crate::alloc::used_memory()))
    }

    /// Where a background save of `dbfilename` in `dir` goes.
    fn background_target(&self) -> SaveTarget {
        SaveTarget {
            dir: self.config.dir.clone(),
            name: self.config.snapshot.dbfilename.clone(),
            temp_name: background_temp_name(),
        }
    }

    /// SAVE, and saves at shutdown or DEBUG RELOAD: writes every database now, on this thread
    /// (a background save may run meanwhile: it writes another temporary file, and whichever
    /// finishes last is the file left). `rdb-key-save-delay` pauses after each key, as in Redis.
    pub fn save_now(&mut self) -> std::io::Result<()> {
        self.write_rdb_now()?;
        self.saves.saves += 1;
        Ok(())
    }

    /// Writes the RDB file now, as [`Self::save_now`], without counting it in INFO `rdb_saves`
    /// (FLUSHALL's save, as Redis's `flushAllDataAndResetRDB`).
    pub fn write_rdb_now(&mut self) -> std::io::Result<()> {
        let file = AtomicFile::create(&self.config.dir, &self.config.snapshot.dbfilename, &temp_name())?;
        let (options, aux) = self.save_settings();
        let functions = self.scripting.library_codes();
        let mut pace = key_save_pacer(self.config.snapshot.key_save_delay_us);
        let result =
            rdb::save_paced(file, &self.dbs, &functions, &options, &aux, &mut pace).and_then(AtomicFile::commit);
        match result {
            Ok(bytes) => {
                tracing::info!("DB saved on disk ({bytes} bytes)");
                self.dirty = 0;
                self.saves.last_save = unix_secs();
                self.saves.last_bgsave_ok = true;
                Ok(())
            }
            Err(e) => {
                tracing::warn!("Failed saving the DB: {e}");
                Err(e)
            }
        }
    }

    /// BGSAVE: starts a forkless background save (none may be running); the server's save task
    /// drives it.
    pub fn start_background_save(&mut self) -> std::io::Result<()> {
        self.saves.last_try = unix_secs();
        let target = self.background_target();
        match self.launch_background_save(target, false) {
            Ok(()) => {
                tracing::info!("Background saving started");
                self.saves.scheduled = false;
                Ok(())
            }
            Err(e) => {
                tracing::warn!("Can't save in background: {e}");
                self.saves.last_bgsave_ok = false;
                Err(e)
            }
        }
    }

    /// Starts a forkless background snapshot of every database into `target` (an RDB file, or
    /// the base of an AOF rewrite when `aof_base`: RDB or commands per
    /// `aof-use-rdb-preamble`), driven by the server's save task.
    pub(crate) fn launch_background_save(&mut self, target: SaveTarget, aof_base: bool) -> std::io::Result<()> {
        let format = if aof_base && !self.config.aof.use_rdb_preamble {
            Format::Commands { timestamps: self.config.aof.timestamps }
        } else {
            let (options, mut aux) = self.save_settings();
            aux.aof_base = aof_base;
            Format::Rdb { options, aux }
        };
        let functions: Vec<Vec<u8>> = self.scripting.library_codes();
        let functions: Vec<&[u8]> = functions.iter().map(Vec::as_slice).collect();
        let began = std::time::Instant::now();
        let save = BackgroundSave::start(&mut self.dbs, &functions, target, format, self.dirty)?;
        self.saves.latest_start_us = u64::try_from(began.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.saves.running = Some(save);
        self.saves.started += 1;
        self.tell_server(ServerEvent::DriveBackgroundSave(self.saves.started));
        Ok(())
    }

    /// One step of background save number `save` (see [`BackgroundSave::step`]); `None` once
    /// it is no longer the one running (finished, aborted, or followed by another).
    pub fn background_save_step(&mut self, save: u64) -> Option<Step> {
        if save != self.saves.started {
            return None;
        }
        let budget = if self.config.snapshot.key_save_delay_us > 0 { 1 } else { KEYS_PER_STEP };
        let save = self.saves.running.as_mut()?;
        let mut garbage = Vec::new();
        let step = save.step(&mut self.dbs, budget, &mut garbage);
        self.lazyfree.free_dbs(garbage);
        Some(step)
    }

    /// How long the save task waits between steps (`rdb-key-save-delay` slows saves for tests).
    pub fn background_save_pause(&self) -> Option<Duration> {
        let delay = self.config.snapshot.key_save_delay_us;
        (delay > 0).then(|| Duration::from_micros(delay.unsigned_abs()))
    }

    /// Background save number `save` has its file committed (or failed); ignored when that
    /// save was aborted meanwhile.
    pub fn finish_background_save(&mut self, save: u64, outcome: std::io::Result<u64>) {
        if save != self.saves.started {
            return;
        }
        let Some(save) = self.saves.running.take() else { return };
        let written_ahead = save.written_ahead(&self.dbs);
        let mut garbage = Vec::new();
        save_end(&mut self.dbs, &mut garbage);
        self.lazyfree.free_dbs(garbage);
        if self.aof.rewrite.is_some() {
            self.aof.last_written_ahead = written_ahead;
            return self.finish_aof_rewrite(outcome);
        }
        self.saves.last_written_ahead = written_ahead;
        self.saves.last_bgsave_secs = i64::try_from(save.started.elapsed().as_secs()).unwrap_or(i64::MAX);
        match outcome {
            Ok(bytes) => {
                tracing::info!("Background saving terminated with success ({bytes} bytes)");
                self.dirty = self.dirty.saturating_sub(save.dirty_at_start);
                self.saves.last_save = unix_secs();
                self.saves.last_bgsave_ok = true;
                self.saves.saves += 1;
            }
            Err(e) => {
                tracing::warn!("Background saving error: {e}");
                self.saves.last_bgsave_ok = false;
            }
        }
    }

    /// Stops a running background save (or AOF rewrite) without a file (SHUTDOWN, CONFIG SET
    /// appendonly no).
    pub fn abort_background_save(&mut self) {
        if let Some(save) = self.saves.running.take() {
            tracing::warn!("Background saving aborted");
            // Dropping the save drops its writer, which removes the temporary file.
            drop(save);
            let mut garbage = Vec::new();
            save_end(&mut self.dbs, &mut garbage);
            self.lazyfree.free_dbs(garbage);
        }
    }

    /// The cron's check: start a background save when a `save` point is reached (after a
    /// failure, only once the retry delay passed) or one was scheduled.
    pub fn check_save_points(&mut self) {
        if self.saves.running.is_some() {
            return;
        }
        let now = unix_secs();
        let retry_ok = self.saves.last_bgsave_ok || now.saturating_sub(self.saves.last_try) > RETRY_DELAY_SECS;
        let since_save = now.saturating_sub(self.saves.last_save);
        let due = self
            .config
            .snapshot
            .save_points
            .iter()
            .find(|p| self.dirty >= p.changes && since_save >= p.seconds && retry_ok)
            .copied();
        if let Some(point) = due {
            tracing::info!("{} changes in {} seconds. Saving...", point.changes, point.seconds);
            let _ = self.start_background_save();
        } else if self.saves.scheduled && retry_ok {
            let _ = self.start_background_save();
        }
    }

    /// The save a shutdown owes (Redis's `prepareForShutdown`): a running background save or
    /// AOF rewrite is stopped, the AOF is written and fsynced, then the dataset is saved when
    /// asked or when save points exist, unless NOSAVE or loading. Returns whether the shutdown
    /// may go on: a failed save stops it, except with FORCE.
    pub fn save_for_shutdown(&mut self, request: super::ShutdownRequest) -> bool {
        if self.aof.rewrite.is_some() {
            tracing::info!("There is a child rewriting the AOF. Killing it!");
            self.abort_aof_rewrite();
        }
        self.sync_aof();
        if self.saves.running.is_some() {
            tracing::warn!("There is a child saving an .rdb. Killing it!");
            self.abort_background_save();
        }
        // A half-loaded dataset is never saved (Redis forces NOSAVE while loading).
        let wanted =
            !self.is_loading() && (request.save || (!request.nosave && !self.config.snapshot.save_points.is_empty()));
        if !wanted {
            return true;
        }
        tracing::info!("Saving the final RDB snapshot before exiting.");
        match self.save_now() {
            Ok(()) => true,
            Err(_) if request.force => {
                tracing::warn!("Error trying to save the DB. Exit anyway.");
                true
            }
            Err(_) => {
                tracing::warn!("Error trying to save the DB, can't exit.");
                false
            }
        }
    }

    /// Whether a background RDB save runs (INFO `rdb_bgsave_in_progress`): a running snapshot
    /// that is not an AOF rewrite's.
    pub fn rdb_bgsave_in_progress(&self) -> bool {
        self.saves.running.is_some() && self.aof.rewrite.is_none()
    }

    /// Whether writes are refused because the last background save failed (MISCONF).
    pub fn writes_refused_for_disk_errors(&self) -> bool {
        let settings = &self.config.snapshot;
        settings.stop_writes_on_error && !settings.save_points.is_empty() && !self.saves.last_bgsave_ok
    }

    /// Bytes the running snapshot serialized ahead of its walk because commands were about to
    /// change keys it had not written yet: the extra memory writes during a forkless save cost,
    /// which is what copy-on-write is to Redis's fork (INFO `current_cow_size`).
    pub fn snapshot_written_ahead(&self) -> u64 {
        self.saves.running.as_ref().map_or(0, |save| save.written_ahead(&self.dbs))
    }

    /// Progress of the running background save in percent (INFO `current_fork_perc`: keys
    /// written out of the keys in the image).
    pub fn background_save_percent(&self) -> f64 {
        match &self.saves.running {
            Some(save) if save.keys_total > 0 => save.keys_done() as f64 * 100.0 / save.keys_total as f64,
            _ => 0.0,
        }
    }

    /// Seconds the running background save has taken (-1: none runs).
    pub fn current_save_secs(&self) -> i64 {
        if self.aof.rewrite.is_some() {
            return -1;
        }
        self.saves.running.as_ref().map_or(-1, |s| i64::try_from(s.started.elapsed().as_secs()).unwrap_or(i64::MAX))
    }
}

/// Ends whatever snapshot state the databases still hold.
fn save_end(dbs: &mut [crate::keyspace::Db], garbage: &mut Vec<crate::keyspace::Db>) {
    for db in dbs.iter_mut() {
        if let Some(end) = db.end_snapshot() {
            garbage.extend(end.garbage);
        }
    }
}

/// Why the RDB file could not be loaded.
#[derive(Debug)]
pub enum LoadFailure {
    /// Opening or reading it failed.
    Io(std::io::Error),
    /// Its contents are not a valid RDB file.
    Format(rdb::RdbError),
    /// A key appears twice (allowed only by DEBUG RELOAD MERGE).
    DuplicateKey {
        /// The database.
        db: usize,
        /// The key, lossily printable.
        key: String,
    },
    /// A function library does not load.
    Functions(String),
    /// A shutdown was asked for meanwhile: the load was given up.
    Interrupted,
}

impl std::fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadFailure::Io(e) => write!(f, "{e}"),
            LoadFailure::Format(e) => write!(f, "{e}"),
            LoadFailure::DuplicateKey { db, key } => write!(f, "RDB has duplicated key '{key}' in DB {db}"),
            LoadFailure::Functions(e) => write!(f, "Failed loading library: {e}"),
            LoadFailure::Interrupted => write!(f, "Shutdown requested while loading"),
        }
    }
}

/// What a load read.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LoadStats {
    /// Keys stored.
    pub keys: u64,
    /// Keys skipped because their TTL had passed.
    pub expired: u64,
    /// Keys skipped because their collection was empty.
    pub empty: u64,
}

impl ServerState {
    /// Reads `dir/dbfilename` into the databases, serving `clients` meanwhile (see
    /// [`super::loading`]); `Ok(None)` when there is no file. Keys whose TTL passed are skipped
    /// (as a master does); a key already present is an error unless `merge` (DEBUG RELOAD
    /// MERGE), which replaces it.
    pub fn load_snapshot(&mut self, clients: &mut ClientTable, merge: bool) -> Result<Option<LoadStats>, LoadFailure> {
        let path = self.config.dir.join(&self.config.snapshot.dbfilename);
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(LoadFailure::Io(e)),
        };
        let size = file.metadata().map_or(0, |m| m.len());
        self.start_loading(size);
        let source = std::io::BufReader::with_capacity(1 << 16, file);
        let loaded = self.load_rdb(clients, source, merge, true);
        self.stop_loading();
        let stats = loaded?.0;
        let LoadStats { keys, expired, empty } = stats;
        if empty > 0 {
            tracing::warn!(
                "Done loading RDB, keys loaded: {keys}, keys expired: {expired}, empty keys skipped: {empty}."
            );
        } else {
            tracing::info!("Done loading RDB, keys loaded: {keys}, keys expired: {expired}.");
        }
        self.saves.loaded = (keys, expired);
        Ok(Some(stats))
    }

    /// Reads an RDB stream from `source` into the databases, reporting its progress (and
    /// serving `clients`) as the load in progress; returns what was read and the stream's
    /// length. Keys whose TTL passed are skipped when `skip_expired` (not for an AOF base, as
    /// in Redis); a key already present is an error unless `merge`.
    pub(crate) fn load_rdb(
        &mut self,
        clients: &mut ClientTable,
        source: impl std::io::Read,
        merge: bool,
        skip_expired: bool,
    ) -> Result<(LoadStats, u64), LoadFailure> {
        let options = rdb::LoadOptions::from_config(&self.config, self.skip_checksum_validation);
        let mut loader = rdb::Loader::new(source, options).map_err(LoadFailure::Format)?;
        let now = wall_clock_ms();
        let mut stats = LoadStats::default();
        let mut libraries = Vec::new();
        let start = self.loading.as_ref().map_or(0, |l| l.loaded_bytes);
        let mut reported = start;
        while let Some(record) = loader.next_record().map_err(LoadFailure::Format)? {
            let position = start + loader.position();
            self.loading_progress(clients, reported, position).map_err(|_| LoadFailure::Interrupted)?;
            reported = position;
            let loaded = match record {
                rdb::Record::Key(loaded) => loaded,
                rdb::Record::Function(code) => {
                    libraries.push(code);
                    continue;
                }
                rdb::Record::Aux { name, value } => {
                    self.note_rdb_aux(&name, &value);
                    continue;
                }
                rdb::Record::ResizeDb { db, keys, volatile } => {
                    // The counts come from the file: no more than its bytes could hold (a key
                    // takes at least 3: type, name length, value length).
                    let most = self.loading.as_ref().map_or(0, |l| l.total_bytes) / 3;
                    let fit = |n: u64| usize::try_from(n.min(most)).unwrap_or(0);
                    if let Some(db) = self.dbs.get_mut(db) {
                        db.reserve(fit(keys), fit(volatile));
                    }
                    continue;
                }
                rdb::Record::EmptyKey { key, .. } => {
                    tracing::warn!("rdbLoadObject skipping empty key: {}", String::from_utf8_lossy(&key));
                    stats.empty += 1;
                    continue;
                }
                _ => continue,
            };
            self.key_load_delay();
            if skip_expired && loaded.expire.is_some_and(|at| at < now) {
                stats.expired += 1;
                continue;
            }
            let Some(db) = self.dbs.get_mut(loaded.db) else { continue };
            let lru = db.clock().restored(loaded.freq, loaded.idle_secs);
            if merge {
                db.put(&loaded.key, loaded.value, loaded.expire);
                if let Some(lru) = lru {
                    db.set_lru(&loaded.key, lru);
                }
            } else if !db.add_loaded(&loaded.key, loaded.value, loaded.expire, lru) {
                let key = String::from_utf8_lossy(&loaded.key).into_owned();
                return Err(LoadFailure::DuplicateKey { db: loaded.db, key });
            }
            stats.keys += 1;
        }
        if !libraries.is_empty() {
            let functions = self.scripting.functions().map_err(LoadFailure::Functions)?;
            // A library already loaded is an error, unless merging (DEBUG RELOAD MERGE).
            let policy = if merge { RestorePolicy::Replace } else { RestorePolicy::Append };
            functions.restore(&libraries, policy).map_err(LoadFailure::Functions)?;
        }
        Ok((stats, loader.position()))
    }

    /// An auxiliary field read while loading: `used-mem` is logged and shown in INFO.
    fn note_rdb_aux(&mut self, name: &[u8], value: &[u8]) {
        if !name.eq_ignore_ascii_case(b"used-mem") {
            return;
        }
        let used = crate::types::number::atoi(value);
        tracing::info!("RDB memory usage when created {:.2} Mb", used as f64 / (1024.0 * 1024.0));
        if let Some(loading) = self.loading.as_mut() {
            loading.rdb_used_mem = u64::try_from(used).unwrap_or(0);
        }
    }
}
