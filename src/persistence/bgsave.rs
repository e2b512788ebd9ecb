//! BGSAVE without `fork()`: the executor-side driver of a background RDB save.
//!
//! [`BackgroundSave::start`] marks every database for a point-in-time snapshot (see
//! [`crate::keyspace::snapshot`]: O(1), nothing copied) and opens the file on a writer thread.
//! Between client batches [`BackgroundSave::step`] serializes a bounded number of keys, database
//! after database in the order of their index when the save started (SWAPDB meanwhile moves a
//! snapshot with its database), passes the bytes through an RDB [`Saver`] writing into memory
//! (which checksums them in file order), and hands them to the writer thread.
//! After the last database the trailer goes out and the writer commits the file; its outcome
//! arrives on the [`Outcome`] the last step returns.

use std::collections::VecDeque;
use std::time::Instant;

use super::file::{BackgroundWriter, Outcome, SendError};
use super::rdb::{Aux, SaveOptions, Saver};
use crate::keyspace::Db;
use crate::keyspace::snapshot::Encode;

/// What one [`BackgroundSave::step`] achieved.
pub enum Step {
    /// Keys were written; call again soon.
    Working,
    /// The writer thread is behind; call again a little later.
    WriterBusy,
    /// Everything is handed over: the outcome arrives here once the file is committed.
    Written(Outcome),
}

/// Where a save goes: `dir/name`, written as `dir/temp_name` first.
pub struct SaveTarget {
    /// The directory (`dir`).
    pub dir: std::path::PathBuf,
    /// The file name (`dbfilename`).
    pub name: String,
    /// The temporary file's name.
    pub temp_name: String,
}

/// What a background save writes.
pub enum Format {
    /// An RDB image (BGSAVE; an AOF base with `aof-use-rdb-preamble yes`).
    Rdb {
        /// How keys are written.
        options: SaveOptions,
        /// The header's fields.
        aux: Aux,
    },
    /// The commands that rebuild the dataset (an AOF base with `aof-use-rdb-preamble no`).
    Commands {
        /// Whether the file opens with a `#TS:` annotation.
        timestamps: bool,
    },
}

/// The file's stream as it is produced, in memory between hand-offs to the writer.
enum Stream {
    /// Through an RDB saver, which frames databases and checksums the bytes.
    Rdb(Saver<Vec<u8>>),
    /// Plain commands.
    Commands(Vec<u8>),
}

impl Stream {
    fn select_db(&mut self, index: usize, keys: usize, volatile: usize) -> std::io::Result<()> {
        match self {
            Stream::Rdb(saver) => saver.select_db(index, keys, volatile),
            Stream::Commands(out) => {
                super::aof::rewrite::select_db(index, out);
                Ok(())
            }
        }
    }

    /// A function library's code: an RDB function record, or `FUNCTION LOAD`.
    fn save_function(&mut self, code: &[u8]) -> std::io::Result<()> {
        match self {
            Stream::Rdb(saver) => saver.save_function(code),
            Stream::Commands(out) => {
                super::aof::rewrite::function_load(code, out);
                Ok(())
            }
        }
    }

    fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Stream::Rdb(saver) => saver.append(bytes),
            Stream::Commands(out) => {
                out.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// The bytes produced since the last call.
    fn take_chunk(&mut self) -> Vec<u8> {
        match self {
            Stream::Rdb(saver) => std::mem::take(saver.sink_mut()),
            Stream::Commands(out) => std::mem::take(out),
        }
    }

    /// The last bytes (an RDB's end marker and checksum).
    fn finish(self) -> std::io::Result<Vec<u8>> {
        match self {
            Stream::Rdb(saver) => saver.finish(),
            Stream::Commands(out) => Ok(out),
        }
    }
}

/// Which database the save is writing, and how far.
struct Progress {
    /// Start index of the database being written; the number of databases once all are.
    next: usize,
    /// Keys and volatile keys of each database at the start (for the RESIZEDB hint; databases
    /// that were empty are skipped, as Redis skips them).
    sizes: Vec<(usize, usize)>,
    /// Whether the current database's SELECTDB went out.
    section_open: bool,
    /// Keys written so far.
    keys_done: u64,
    /// What the databases already written wrote ahead of their walks because of changes.
    written_ahead: u64,
}

impl Progress {
    fn finished(&self) -> bool {
        self.next == self.sizes.len()
    }

    /// Serializes one budget's worth of the current database into `saver` (skipping databases
    /// that were empty at the start).
    fn write_some(
        &mut self,
        saver: &mut Stream,
        dbs: &mut [Db],
        budget: usize,
        garbage: &mut Vec<Db>,
    ) -> std::io::Result<()> {
        while !self.finished() {
            let origin = self.next;
            let Some(db) = dbs.iter_mut().find(|db| db.snapshot_origin() == Some(origin)) else {
                self.next += 1;
                continue;
            };
            let (keys, volatile) = self.sizes[origin];
            if keys > 0 && !self.section_open {
                saver.select_db(origin, keys, volatile)?;
                self.section_open = true;
            }
            let before = db.snapshot_keys_written();
            let done = keys == 0 || db.snapshot_step(budget);
            saver.append(&db.take_snapshot_bytes())?;
            self.keys_done += db.snapshot_keys_written() - before;
            if !done {
                return Ok(());
            }
            if let Some(end) = db.end_snapshot() {
                saver.append(&end.bytes)?;
                garbage.extend(end.garbage);
                self.written_ahead += end.written_ahead;
            }
            self.next += 1;
            self.section_open = false;
            if keys > 0 {
                return Ok(());
            }
        }
        Ok(())
    }
}

/// A background save in progress.
pub struct BackgroundSave {
    /// The writer thread's input; dropped to abandon the file.
    writer: Option<BackgroundWriter>,
    outcome: Option<Outcome>,
    /// Chunks the writer has not taken yet, in order; an empty one is the end marker.
    queue: VecDeque<Vec<u8>>,
    /// The file's stream, writing into memory; `None` once finished.
    saver: Option<Stream>,
    progress: Progress,
    /// When the save started.
    pub started: Instant,
    /// Keys in the image (INFO `current_save_keys_total`).
    pub keys_total: u64,
    /// `dirty` when the save started: what a successful save may subtract.
    pub dirty_at_start: u64,
}

impl BackgroundSave {
    /// Starts saving `dbs` as they are now, after the function libraries' `functions` code,
    /// into `target`, in `format`.
    pub fn start(
        dbs: &mut [Db],
        functions: &[&[u8]],
        target: SaveTarget,
        format: Format,
        dirty: u64,
    ) -> std::io::Result<BackgroundSave> {
        let (mut stream, encode): (Stream, Encode) = match format {
            Format::Rdb { options, aux } => {
                let saver = Saver::new(Vec::new(), &options, &aux)?;
                let encode = move |key: &[u8], entry: &_, expire, out: &mut Vec<u8>| {
                    super::rdb::encode_key(&options, key, entry, expire, out)
                };
                (Stream::Rdb(saver), std::sync::Arc::new(encode))
            }
            Format::Commands { timestamps } => (
                Stream::Commands(super::aof::rewrite::header(timestamps)),
                std::sync::Arc::new(super::aof::rewrite::encode_key),
            ),
        };
        for code in functions {
            stream.save_function(code)?;
        }
        let (writer, outcome) = BackgroundWriter::spawn(target.dir, target.name, target.temp_name)?;
        let sizes: Vec<(usize, usize)> = dbs.iter().map(|db| (db.len(), db.volatile_len())).collect();
        for (index, db) in dbs.iter_mut().enumerate() {
            db.begin_snapshot(index, encode.clone());
        }
        let header = stream.take_chunk();
        Ok(BackgroundSave {
            writer: Some(writer),
            outcome: Some(outcome),
            // An empty chunk is the end marker: a base of commands may have no header.
            queue: VecDeque::from_iter((!header.is_empty()).then_some(header)),
            saver: Some(stream),
            keys_total: sizes.iter().map(|s| s.0 as u64).sum(),
            progress: Progress { next: 0, sizes, section_open: false, keys_done: 0, written_ahead: 0 },
            started: Instant::now(),
            dirty_at_start: dirty,
        })
    }

    /// Bytes the snapshot wrote ahead of its walk because commands were about to change keys
    /// it had not written yet, over all of `dbs` (see `ServerState::snapshot_written_ahead`).
    pub fn written_ahead(&self, dbs: &[Db]) -> u64 {
        self.progress.written_ahead + dbs.iter().map(Db::snapshot_written_ahead).sum::<u64>()
    }

    /// Keys written so far (INFO `current_save_keys_processed`).
    pub fn keys_done(&self) -> u64 {
        self.progress.keys_done
    }

    /// Writes about `budget` keys; flushed tables the save no longer needs go to `garbage`.
    pub fn step(&mut self, dbs: &mut [Db], budget: usize, garbage: &mut Vec<Db>) -> Step {
        if let Some(step) = self.flush() {
            return step;
        }
        let Some(saver) = self.saver.as_mut() else { return self.written() };
        if let Err(e) = self.progress.write_some(saver, dbs, budget, garbage) {
            tracing::warn!("Background save stopped: {e}");
            // Dropping the writer without its end marker abandons the file.
            self.writer = None;
            self.saver = None;
            return self.written();
        }
        let chunk = saver.take_chunk();
        if !chunk.is_empty() {
            self.queue.push_back(chunk);
        }
        if self.progress.finished()
            && let Some(saver) = self.saver.take()
        {
            match saver.finish() {
                Ok(last) => {
                    if !last.is_empty() {
                        self.queue.push_back(last);
                    }
                    self.queue.push_back(Vec::new());
                }
                Err(e) => {
                    tracing::warn!("Background save stopped: {e}");
                    self.writer = None;
                }
            }
        }
        self.flush().unwrap_or(Step::Working)
    }

    /// Hands queued chunks to the writer; `Some` when the step must end here.
    fn flush(&mut self) -> Option<Step> {
        let Some(writer) = &self.writer else { return Some(self.written()) };
        while let Some(chunk) = self.queue.pop_front() {
            match writer.send(chunk) {
                Ok(()) => {}
                Err(SendError::Full(chunk)) => {
                    self.queue.push_front(chunk);
                    return Some(Step::WriterBusy);
                }
                Err(SendError::Stopped) => return Some(self.written()),
            }
        }
        None
    }

    /// The outcome, once everything is handed over (or the writer stopped).
    fn written(&mut self) -> Step {
        match self.outcome.take() {
            Some(outcome) => Step::Written(outcome),
            // Asked again after the outcome was handed out: nothing more to do.
            None => Step::WriterBusy,
        }
    }
}
