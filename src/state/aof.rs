//! The append-only file as the server runs it (Redis 7's multi-part AOF): opening it at
//! startup, feeding it the propagation stream after every batch and cron tick, holding the
//! replies of `appendfsync always` until their writes are on disk, forkless rewrites
//! (BGREWRITEAOF, automatic ones, and the one `CONFIG SET appendonly yes` starts), and turning
//! it off.
//!
//! States, as Redis's `aof_state`: `Off`; `WaitRewrite` (turned on at runtime: writes go to a
//! temporary incremental file until the first rewrite's base is done); `On`. A rewrite takes a
//! point-in-time snapshot with the forkless machinery BGSAVE uses, so it shares the one
//! background-save slot: it never runs beside a BGSAVE, as Redis runs one child at a time.

use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::time::Instant;

use super::ServerState;
use crate::persistence::aof::{AofWriter, Manifest, manifest};
use crate::persistence::bgsave::SaveTarget;

/// Redis's `aof_state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AofStatus {
    /// No AOF is written.
    Off,
    /// Turned on at runtime: waiting for the first rewrite to finish.
    WaitRewrite,
    /// Every write is appended.
    On,
}

/// A rewrite could not start (the log says why), so the AOF could not be turned on either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RewriteFailed;

impl std::fmt::Display for RewriteFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the AOF rewrite could not start")
    }
}

impl std::error::Error for RewriteFailed {}

/// A rewrite in progress.
#[derive(Debug)]
pub struct Rewrite {
    /// When it started.
    pub started: Instant,
}

/// Where the AOF stands.
pub struct AofState {
    /// Off, waiting for its first rewrite, or on.
    pub status: AofStatus,
    /// The files in use.
    pub manifest: Manifest,
    writer: Option<AofWriter>,
    /// Bytes of the base and incremental files (INFO `aof_current_size`).
    pub current_size: u64,
    /// `current_size` after the last rewrite (INFO `aof_base_size`).
    pub base_size: u64,
    /// Bytes in the incremental file being appended to.
    last_incr_size: u64,
    /// A rewrite waits for the running background save to end.
    pub rewrite_scheduled: bool,
    /// The rewrite in progress.
    pub rewrite: Option<Rewrite>,
    /// Rewrites started (INFO `aof_rewrites`).
    pub rewrites: u64,
    /// Failed rewrites since the last success.
    pub consecutive_failures: u64,
    /// Whether the last rewrite succeeded.
    pub last_rewrite_ok: bool,
    /// Seconds the last rewrite took (-1: none yet).
    pub last_rewrite_secs: i64,
    /// What the last rewrite's snapshot wrote ahead because of changes (INFO
    /// `aof_last_cow_size`).
    pub last_written_ahead: u64,
    /// The second of the last `#TS:` annotation.
    last_timestamp: u64,
    /// The propagation offset handed to the writer so far.
    fed: u64,
    /// DEBUG AOF-FLUSH-SLEEP, for writers started later too.
    flush_sleep_us: u64,
    /// A feed of the writer is scheduled (see [`ServerState::schedule_aof_feed`]).
    feed_scheduled: bool,
}

impl Default for AofState {
    fn default() -> Self {
        AofState {
            status: AofStatus::Off,
            manifest: Manifest::default(),
            writer: None,
            current_size: 0,
            base_size: 0,
            last_incr_size: 0,
            rewrite_scheduled: false,
            rewrite: None,
            rewrites: 0,
            consecutive_failures: 0,
            last_rewrite_ok: true,
            last_written_ahead: 0,
            feed_scheduled: false,
            last_rewrite_secs: -1,
            last_timestamp: 0,
            fed: 0,
            flush_sleep_us: 0,
        }
    }
}

impl AofState {
    /// Whether the last write to the AOF failed (INFO `aof_last_write_status`).
    pub fn write_failed(&self) -> bool {
        self.writer.as_ref().is_some_and(AofWriter::write_failed)
    }

    /// Why writes are refused: the AOF is on and its last write failed (Redis's MISCONF).
    pub fn write_error(&self) -> Option<String> {
        self.writer.as_ref().filter(|_| self.status != AofStatus::Off).and_then(AofWriter::write_error)
    }
}

/// The temporary file a rewrite's snapshot is committed to before it becomes the base.
fn rewrite_temp_name() -> String {
    format!("temp-rewriteaof-bg-{}.aof", std::process::id())
}

/// Opens an incremental file for appending (`truncate`: start it empty).
fn open_incr(path: &std::path::Path, truncate: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true);
    if truncate {
        options.write(true).truncate(true);
    } else {
        options.append(true);
    }
    options.open(path)
}

/// A point in the propagation stream replies wait for: the AOF writer publishes the offset it
/// has written (with `appendfsync always`, fsynced). It may cross to an I/O thread.
#[derive(Debug)]
pub struct AofWait {
    durable: tokio::sync::watch::Receiver<u64>,
    target: u64,
}

impl AofWait {
    /// Resolves once the writer has reached the offset (or is gone).
    pub async fn done(mut self) {
        let target = self.target;
        let _ = self.durable.wait_for(|&on_disk| on_disk >= target).await;
    }
}

impl ServerState {
    /// The append-only directory (`dir`/`appenddirname`).
    pub fn aof_dir(&self) -> PathBuf {
        self.config.dir.join(&self.config.aof.dirname)
    }

    /// The manifest in the append-only directory, if there is one.
    pub fn read_aof_manifest(&self) -> Result<Option<Manifest>, String> {
        let path = self.aof_dir().join(manifest::manifest_name(&self.config.aof.filename));
        match std::fs::read(&path) {
            Ok(text) => Manifest::parse(&text).map(Some).map_err(|e| e.to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("Fatal error: can't open the AOF manifest file {}: {e}", path.display())),
        }
    }

    /// Startup with `appendonly yes`, after loading (Redis's `aofOpenIfNeededOnServerStart`):
    /// creates the directory, writes a base when there is no file yet, opens the last
    /// incremental file (or a new one) and persists the manifest.
    pub fn open_aof_on_start(&mut self) -> Result<(), String> {
        let dir = self.aof_dir();
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("Can't open or create append-only dir {}: {e}", self.config.aof.dirname))?;
        let prefix = self.config.aof.filename.clone();
        let had_incr = !self.aof.manifest.incr.is_empty();
        if self.aof.manifest.is_empty() {
            let base = self.aof.manifest.new_base(&prefix, self.config.aof.use_rdb_preamble);
            self.write_aof_base(&dir.join(&base)).map_err(|e| format!("Can't write the AOF base file {base}: {e}"))?;
            tracing::info!("Creating AOF base file {base} on server start");
        }
        let name = self.aof.manifest.last_incr(&prefix);
        let file =
            open_incr(&dir.join(&name), false).map_err(|e| format!("Can't open the append-only file {name}: {e}"))?;
        self.aof.manifest.persist(&dir, &prefix).map_err(|e| format!("Can't persist the AOF manifest: {e}"))?;
        self.aof.last_incr_size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if had_incr {
            tracing::info!("Opening AOF incr file {name} on server start");
        } else {
            // As Redis, a base written here is not counted in INFO's sizes until a reload.
            tracing::info!("Creating AOF incr file {name} on server start");
        }
        self.start_aof_writer(file).map_err(|e| format!("Can't start the AOF writer: {e}"))?;
        self.aof.status = AofStatus::On;
        Ok(())
    }

    /// Starts the writer thread on `file` and keeps the propagation stream for it, from a
    /// fresh SELECT.
    fn start_aof_writer(&mut self, file: File) -> std::io::Result<()> {
        self.propagation.enable();
        self.aof.fed = self.propagation.offset();
        let writer = AofWriter::spawn(file, self.config.aof.fsync, self.aof.fed)?;
        writer.set_flush_sleep(self.aof.flush_sleep_us);
        self.aof.writer = Some(writer);
        Ok(())
    }

    /// DEBUG AOF-FLUSH-SLEEP: the writer sleeps `micros` before each write.
    pub fn set_aof_flush_sleep(&mut self, micros: u64) {
        self.aof.flush_sleep_us = micros;
        if let Some(writer) = &self.aof.writer {
            writer.set_flush_sleep(micros);
        }
    }

    /// Writes a base of the dataset as it is now into `path`, on this thread: an RDB image
    /// flagged `aof-base`, or the commands rebuilding it with `aof-use-rdb-preamble no`;
    /// `rdb-key-save-delay` pauses after each key, as in Redis.
    fn write_aof_base(&self, path: &std::path::Path) -> std::io::Result<u64> {
        use crate::persistence::file::AtomicFile;
        use std::io::Write;
        let dir = path.parent().unwrap_or(std::path::Path::new("."));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut file = AtomicFile::create(dir, &name, &format!("temp-rewriteaof-{}.aof", std::process::id()))?;
        let mut pace = super::persist::key_save_pacer(self.config.snapshot.key_save_delay_us);
        if !self.config.aof.use_rdb_preamble {
            use crate::persistence::aof::rewrite;
            let mut out = rewrite::header(self.config.aof.timestamps);
            for (index, db) in self.dbs.iter().enumerate().filter(|(_, db)| !db.is_empty()) {
                rewrite::select_db(index, &mut out);
                for (key, entry) in db.iter() {
                    rewrite::encode_key(key.as_bytes(), entry, db.expire_at(key.as_bytes()), &mut out);
                    pace();
                }
            }
            file.write_all(&out)?;
            return file.commit();
        }
        let (options, mut aux) = self.save_settings();
        aux.aof_base = true;
        crate::persistence::rdb::save_paced(file, &self.dbs, &[], &options, &aux, &mut pace)
            .and_then(AtomicFile::commit)
    }

    /// After a client's batch: the writes it propagated go to the AOF writer once every
    /// connection ready now has run its batch, in one handover (one write(2), or one message to
    /// the `always` thread, for all of them), as Redis writes its AOF buffer once per event
    /// loop turn. Replies wait for it meanwhile (see [`Self::aof_wait`]). Without a server task
    /// (in-process uses) the feed happens at once.
    pub fn schedule_aof_feed(&mut self) {
        if self.aof.writer.is_none() {
            // No writer: nothing to wait for (a rewrite still to retry drops the stream now).
            return self.feed_aof();
        }
        if self.propagation.offset() == self.aof.fed || self.aof.feed_scheduled {
            return;
        }
        if self.has_server() {
            self.aof.feed_scheduled = true;
            self.tell_server(super::ServerEvent::FeedAof);
        } else {
            self.feed_aof();
        }
    }

    /// Hands what the propagation stream gained to the AOF writer (once per turn of the event
    /// loop, see [`Self::schedule_aof_feed`], and at every cron tick).
    pub fn feed_aof(&mut self) {
        self.aof.feed_scheduled = false;
        if !self.propagation.is_enabled() {
            return;
        }
        let Some(writer) = &mut self.aof.writer else {
            // Waiting to retry a failed first rewrite: these writes will be in its base.
            if self.aof.status == AofStatus::WaitRewrite {
                self.propagation.take();
            }
            return;
        };
        let bytes = self.propagation.take();
        if bytes.is_empty() {
            // A failed write is retried after every batch and cron tick, as Redis's beforeSleep.
            return writer.retry();
        }
        let mut chunk = Vec::new();
        if self.config.aof.timestamps {
            let now = crate::keyspace::clock::unix_secs();
            if now > self.aof.last_timestamp {
                self.aof.last_timestamp = now;
                chunk = format!("#TS:{now}\r\n").into_bytes();
            }
        }
        let chunk = if chunk.is_empty() {
            bytes
        } else {
            chunk.extend_from_slice(&bytes);
            chunk
        };
        self.aof.fed = self.propagation.offset();
        self.aof.current_size += chunk.len() as u64;
        self.aof.last_incr_size += chunk.len() as u64;
        writer.append(chunk, self.aof.fed);
        if let Some(spare) = writer.spare_buffer() {
            self.propagation.recycle(spare);
        }
    }

    /// What replies must wait for when writes fed so far are not in the file yet: as Redis
    /// writes its AOF buffer before answering, a reply never overtakes its write (with
    /// `appendfsync always`, its fsync).
    pub fn aof_wait(&self) -> Option<AofWait> {
        let writer = self.aof.writer.as_ref()?;
        let durable = writer.durable();
        // The stream's end: writes not handed over yet are waited for too.
        let target = self.propagation.offset();
        let on_disk = *durable.borrow();
        (on_disk < target).then_some(AofWait { durable, target })
    }

    /// Writes and fsyncs everything fed so far (SHUTDOWN, DEBUG LOADAOF).
    pub fn sync_aof(&mut self) {
        self.feed_aof();
        if let Some(writer) = &mut self.aof.writer {
            writer.sync();
        }
    }

    /// Applies a changed `appendfsync` and `appendonly` (CONFIG SET); `Err` when the AOF could
    /// not be turned on.
    pub fn aof_config_changed(&mut self) -> Result<(), RewriteFailed> {
        if let Some(writer) = &mut self.aof.writer {
            writer.set_policy(self.config.aof.fsync);
        }
        match (self.config.aof.enabled, self.aof.status) {
            (true, AofStatus::Off) => self.start_append_only(),
            (false, AofStatus::On | AofStatus::WaitRewrite) => {
                self.stop_append_only();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// `appendonly yes` at runtime (Redis's `startAppendOnly`): a rewrite writes the first
    /// base; until it ends, writes collect in a temporary incremental file.
    fn start_append_only(&mut self) -> Result<(), RewriteFailed> {
        self.aof.status = AofStatus::WaitRewrite;
        if self.rdb_bgsave_in_progress() {
            self.aof.rewrite_scheduled = true;
            tracing::warn!(
                "AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible."
            );
        } else if self.effects.depth > 1 {
            self.aof.rewrite_scheduled = true;
            tracing::warn!(
                "AOF was enabled during a transaction. An AOF background was scheduled to start when possible."
            );
        } else {
            if self.aof.rewrite.is_some() {
                tracing::warn!(
                    "AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now."
                );
                self.abort_aof_rewrite();
            }
            if self.start_aof_rewrite().is_err() {
                self.aof.status = AofStatus::Off;
                tracing::warn!(
                    "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error."
                );
                return Err(RewriteFailed);
            }
        }
        Ok(())
    }

    /// `appendonly no` at runtime (Redis's `stopAppendOnly`): the writer writes and fsyncs what
    /// it has, a rewrite in progress is abandoned.
    fn stop_append_only(&mut self) {
        self.feed_aof();
        // Dropping the writer joins its thread after a last write and fsync.
        self.aof.writer = None;
        self.aof.status = AofStatus::Off;
        self.aof.rewrite_scheduled = false;
        self.aof.last_incr_size = 0;
        self.abort_aof_rewrite();
        self.propagation.disable();
    }

    /// BGREWRITEAOF's start (Redis's `rewriteAppendOnlyFileBackground`): opens the incremental
    /// file later writes go to, then snapshots the dataset in the background as the new base.
    pub fn start_aof_rewrite(&mut self) -> Result<(), RewriteFailed> {
        let dir = self.aof_dir();
        if let Err(e) = std::fs::create_dir_all(&dir) {
            tracing::warn!("Can't open or create append-only dir {}: {e}", self.config.aof.dirname);
            self.aof.last_rewrite_ok = false;
            return Err(RewriteFailed);
        }
        self.feed_aof();
        if self.open_incr_for_rewrite().is_err() {
            self.aof.last_rewrite_ok = false;
            return Err(RewriteFailed);
        }
        self.aof.rewrites += 1;
        let target = SaveTarget {
            dir: self.config.dir.clone(),
            name: rewrite_temp_name(),
            // Not the foreground rewrite's temporary name: an aborted rewrite's writer may
            // still be removing its file when a foreground one starts.
            temp_name: format!("temp-bg-rewriteaof-{}.aof", std::process::id()),
        };
        if let Err(e) = self.launch_background_save(target, true) {
            tracing::warn!("Can't rewrite append only file in background: {e}");
            self.aof.last_rewrite_ok = false;
            return Err(RewriteFailed);
        }
        self.aof.rewrite = Some(Rewrite { started: Instant::now() });
        self.aof.rewrite_scheduled = false;
        if self.config.aof.no_fsync_on_rewrite
            && let Some(writer) = &self.aof.writer
        {
            writer.suppress_fsync(true);
        }
        tracing::info!("Background append only file rewriting started");
        Ok(())
    }

    /// Redis's `openNewIncrAofForAppend`: with the AOF on, a new incremental file joins the
    /// manifest; while waiting for the first rewrite, writes go to the temporary one.
    fn open_incr_for_rewrite(&mut self) -> std::io::Result<()> {
        let dir = self.aof_dir();
        let prefix = self.config.aof.filename.clone();
        let (name, next) = match self.aof.status {
            AofStatus::Off => return Ok(()),
            AofStatus::WaitRewrite => (manifest::temp_incr_name(&prefix), None),
            AofStatus::On => {
                let mut next = self.aof.manifest.clone();
                (next.new_incr(&prefix), Some(next))
            }
        };
        let file = open_incr(&dir.join(&name), true)
            .inspect_err(|e| tracing::warn!("Can't open the append-only file {name}: {e}"))?;
        if let Some(next) = &next {
            next.persist(&dir, &prefix).inspect_err(|e| tracing::warn!("Can't persist the AOF manifest: {e}"))?;
        }
        tracing::info!("Creating AOF incr file {name} on background rewrite");
        // The new file starts with a SELECT of its own.
        self.propagation.reselect();
        match &mut self.aof.writer {
            Some(writer) => writer.switch(file),
            None => self.start_aof_writer(file)?,
        }
        self.aof.last_incr_size = 0;
        if let Some(next) = next {
            self.aof.manifest = next;
        }
        Ok(())
    }

    /// The rewrite's snapshot is committed (or failed): the new base and incremental file go
    /// into the manifest, older files become history and are deleted (Redis's
    /// `backgroundRewriteDoneHandler`).
    pub(crate) fn finish_aof_rewrite(&mut self, outcome: std::io::Result<u64>) {
        let Some(rewrite) = self.aof.rewrite.take() else { return };
        if let Some(writer) = &self.aof.writer {
            writer.suppress_fsync(false);
        }
        let installed = outcome.and_then(|_| self.install_rewrite());
        match installed {
            Ok(()) => {
                self.aof.last_rewrite_ok = true;
                self.aof.consecutive_failures = 0;
                if self.aof.status == AofStatus::WaitRewrite {
                    self.aof.status = AofStatus::On;
                }
                tracing::info!("Background AOF rewrite finished successfully");
            }
            Err(e) => {
                tracing::warn!("Background AOF rewrite terminated with error: {e}");
                self.aof.last_rewrite_ok = false;
                self.aof.consecutive_failures += 1;
            }
        }
        let _ = std::fs::remove_file(self.config.dir.join(rewrite_temp_name()));
        if self.aof.status == AofStatus::WaitRewrite {
            // Writes since the failed rewrite's start are in no base: start over.
            self.aof.writer = None;
            let temp = self.aof_dir().join(manifest::temp_incr_name(&self.config.aof.filename));
            let _ = std::fs::remove_file(temp);
            self.aof.rewrite_scheduled = true;
        }
        self.aof.last_rewrite_secs = i64::try_from(rewrite.started.elapsed().as_secs()).unwrap_or(i64::MAX);
    }

    /// Moves the committed snapshot into place as the new base and persists the manifest.
    fn install_rewrite(&mut self) -> std::io::Result<()> {
        tracing::info!("Background AOF rewrite terminated with success");
        let dir = self.aof_dir();
        let prefix = self.config.aof.filename.clone();
        let mut next = self.aof.manifest.clone();
        let base = next.new_base(&prefix, self.config.aof.use_rdb_preamble);
        let temp = rewrite_temp_name();
        std::fs::rename(self.config.dir.join(&temp), dir.join(&base))?;
        tracing::info!("Successfully renamed the temporary AOF base file {temp} into {base}");
        if self.aof.status == AofStatus::WaitRewrite {
            let temp_incr = manifest::temp_incr_name(&prefix);
            let incr = next.new_incr(&prefix);
            if let Err(e) = std::fs::rename(dir.join(&temp_incr), dir.join(&incr)) {
                let _ = std::fs::remove_file(dir.join(&base));
                return Err(e);
            }
            tracing::info!("Successfully renamed the temporary AOF incr file {temp_incr} into {incr}");
        }
        // The file being appended to stays; the ones the new base covers become history.
        next.retire_incr(usize::from(self.aof.writer.is_some()));
        if let Err(e) = next.persist(&dir, &prefix) {
            let _ = std::fs::remove_file(dir.join(&base));
            return Err(e);
        }
        self.aof.manifest = next;
        if self.aof.status != AofStatus::Off {
            let base_len = std::fs::metadata(dir.join(&base)).map(|m| m.len()).unwrap_or(0);
            self.aof.current_size = base_len + self.aof.last_incr_size;
            self.aof.base_size = self.aof.current_size;
        }
        self.delete_aof_history();
        Ok(())
    }

    /// Deletes the history files and drops them from the manifest, unless `aof-disable-auto-gc`.
    pub fn delete_aof_history(&mut self) {
        if self.config.aof.disable_auto_gc || self.aof.manifest.history.is_empty() {
            return;
        }
        let dir = self.aof_dir();
        for file in std::mem::take(&mut self.aof.manifest.history) {
            tracing::info!("Removing the history file {} in the background", file.name);
            let _ = std::fs::remove_file(dir.join(&file.name));
        }
        if let Err(e) = self.aof.manifest.persist(&dir, &self.config.aof.filename) {
            tracing::warn!("Can't persist the AOF manifest: {e}");
        }
    }

    /// Stops a rewrite in progress without installing anything (Redis's `killAppendOnlyChild`).
    pub fn abort_aof_rewrite(&mut self) {
        if self.aof.rewrite.take().is_none() {
            return;
        }
        tracing::info!("Killing running AOF rewrite child");
        if let Some(writer) = &self.aof.writer {
            writer.suppress_fsync(false);
        }
        // The snapshot slot is the rewrite's: abandoning it removes its temporary file.
        self.abort_background_save();
        let _ = std::fs::remove_file(self.config.dir.join(rewrite_temp_name()));
    }

    /// The cron's part: feeds the writer, starts a scheduled rewrite once no background save
    /// runs, and an automatic one when the AOF grew by `auto-aof-rewrite-percentage` over its
    /// size after the last rewrite (and is above `auto-aof-rewrite-min-size`).
    pub fn aof_cron(&mut self) {
        self.feed_aof();
        if self.saves.running.is_some() {
            return;
        }
        if self.aof.rewrite_scheduled && self.aof.consecutive_failures < 3 {
            let _ = self.start_aof_rewrite();
            return;
        }
        let settings = &self.config.aof;
        if self.aof.status == AofStatus::On
            && settings.auto_rewrite_percentage > 0
            && self.aof.current_size > settings.auto_rewrite_min_size
        {
            let base = self.aof.base_size.max(1);
            let growth = (self.aof.current_size * 100 / base).saturating_sub(100);
            if growth >= settings.auto_rewrite_percentage && self.aof.consecutive_failures < 3 {
                tracing::info!("Starting automatic rewriting of AOF on {growth}% growth");
                let _ = self.start_aof_rewrite();
            }
        }
    }

    /// Sizes after loading the AOF: the current size and, as Redis, the base file's as the
    /// size after the last rewrite.
    pub fn note_aof_loaded(&mut self, total: u64, base: u64) {
        self.aof.current_size = total;
        self.aof.base_size = base;
    }
}
