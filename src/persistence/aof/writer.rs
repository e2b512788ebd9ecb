//! The AOF writer. The executor writes each batch's propagated bytes to the current
//! incremental file before its replies go out, as Redis writes its AOF buffer before answering;
//! how depends on `appendfsync`:
//!
//! - `everysec` and `no`: the executor calls write(2) itself, as Redis does in `beforeSleep`,
//!   and a thread of its own fsyncs the file about once a second (`no`: never). Handing each
//!   batch to a thread instead cost two context switches per batch.
//! - `always`: the bytes go to that thread with the stream offset they end at. It takes
//!   everything queued at once, writes it and fsyncs once for all of it (group commit), so the
//!   executor never waits on the disk, then publishes the offset now fsynced on a watch
//!   channel; connections holding replies of writes wait for that offset before answering.
//!
//! A failed write keeps the bytes and is retried (with `everysec`/`no` at the next batch or
//! cron tick, as Redis retries in `beforeSleep`); replies are not held meanwhile, as Redis
//! answers with the bytes still in its buffer, but writes are refused (MISCONF). With `always`
//! a failed write ends the process, as Redis does, because nothing unwritten may be
//! acknowledged.

use std::fs::File;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use crate::config::aof::FsyncPolicy;

/// What the executor sends the writer thread.
enum Message {
    /// Bytes to append, ending at this stream offset (`always`).
    Data(Vec<u8>, u64),
    /// Continue in this file (a rewrite started): the old one is fsynced and closed first.
    Switch(Arc<File>),
    /// Write and fsync everything sent so far, then answer.
    Sync(Sender<()>),
}

/// Settings and status shared with the thread.
struct Shared {
    policy: AtomicU8,
    /// No fsync while a rewrite runs (`no-appendfsync-on-rewrite`).
    fsync_suppressed: AtomicBool,
    /// The last write failed (INFO `aof_last_write_status`, MISCONF).
    write_failed: AtomicBool,
    /// Why it failed (the OS's words, for MISCONF).
    write_error: std::sync::Mutex<String>,
    /// Microseconds to sleep before each write (DEBUG AOF-FLUSH-SLEEP).
    flush_sleep_us: AtomicU64,
    /// The executor wrote bytes the thread has not fsynced yet (`everysec`, `no`).
    written_unsynced: AtomicBool,
    /// The stream offset replies may go out at (see the module docs).
    durable: tokio::sync::watch::Sender<u64>,
}

fn policy_code(policy: FsyncPolicy) -> u8 {
    match policy {
        FsyncPolicy::Always => 0,
        FsyncPolicy::EverySec => 1,
        FsyncPolicy::No => 2,
    }
}

fn policy_of(code: u8) -> FsyncPolicy {
    match code {
        0 => FsyncPolicy::Always,
        1 => FsyncPolicy::EverySec,
        _ => FsyncPolicy::No,
    }
}

/// The executor's handle on the writer; dropping it ends the thread after a final write and
/// fsync.
pub struct AofWriter {
    tx: Option<Sender<Message>>,
    shared: Arc<Shared>,
    durable: tokio::sync::watch::Receiver<u64>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// The file the executor writes to itself (`everysec`, `no`).
    file: Arc<File>,
    /// Bytes the executor could not write yet (after a failed write).
    pending: Vec<u8>,
    /// The stream offset the bytes handed over so far end at.
    end: u64,
}

impl AofWriter {
    /// Starts a writer appending to `file`, whose contents so far end at stream offset `start`.
    pub fn spawn(file: File, policy: FsyncPolicy, start: u64) -> std::io::Result<AofWriter> {
        let (tx, rx) = channel();
        let (durable_tx, durable) = tokio::sync::watch::channel(start);
        let shared = Arc::new(Shared {
            policy: AtomicU8::new(policy_code(policy)),
            fsync_suppressed: AtomicBool::new(false),
            write_failed: AtomicBool::new(false),
            write_error: std::sync::Mutex::new(String::new()),
            flush_sleep_us: AtomicU64::new(0),
            written_unsynced: AtomicBool::new(false),
            durable: durable_tx,
        });
        let file = Arc::new(file);
        let thread = Thread { file: file.clone(), shared: shared.clone(), pending: Vec::new(), end: start };
        let thread = std::thread::Builder::new().name("rkv-aof".into()).spawn(move || thread.run(rx))?;
        Ok(AofWriter { tx: Some(tx), shared, durable, thread: Some(thread), file, pending: Vec::new(), end: start })
    }

    fn policy(&self) -> FsyncPolicy {
        policy_of(self.shared.policy.load(Ordering::Relaxed))
    }

    /// Appends `bytes`, which end at stream offset `end`.
    pub fn append(&mut self, bytes: Vec<u8>, end: u64) {
        self.end = end;
        if self.policy() == FsyncPolicy::Always {
            return self.send(Message::Data(bytes, end));
        }
        if self.pending.is_empty() {
            self.pending = bytes;
        } else {
            self.pending.extend_from_slice(&bytes);
        }
        self.write_pending();
    }

    /// The executor's emptied buffer, once everything it held is written, for the next batch
    /// to reuse.
    pub fn spare_buffer(&mut self) -> Option<Vec<u8>> {
        (self.pending.is_empty() && self.pending.capacity() > 0).then(|| std::mem::take(&mut self.pending))
    }

    /// Retries the bytes a failed write left (`everysec`, `no`); nothing otherwise.
    pub fn retry(&mut self) {
        if !self.pending.is_empty() {
            self.write_pending();
        }
    }

    /// Writes what the executor holds, then lets replies go out (even when the write failed:
    /// see the module docs).
    fn write_pending(&mut self) {
        if write_out(&self.file, &mut self.pending, &self.shared) {
            self.shared.written_unsynced.store(true, Ordering::Relaxed);
        }
        self.shared.durable.send_replace(self.end);
    }

    /// Continues in `file` from now on.
    pub fn switch(&mut self, file: File) {
        self.retry();
        self.file = Arc::new(file);
        self.send(Message::Switch(self.file.clone()));
    }

    /// Waits until everything handed over so far is written and fsynced.
    pub fn sync(&mut self) {
        self.retry();
        let (ack, done) = channel();
        self.send(Message::Sync(ack));
        let _ = done.recv();
    }

    fn send(&self, message: Message) {
        if let Some(tx) = &self.tx {
            // The thread only ends when this handle drops it.
            let _ = tx.send(message);
        }
    }

    /// Changes the fsync policy (CONFIG SET appendfsync). Bytes keep their order across the
    /// change: leaving `always`, the thread writes what it was given first; entering it, the
    /// bytes a failed write left go to the thread first.
    pub fn set_policy(&mut self, policy: FsyncPolicy) {
        let was_always = self.policy() == FsyncPolicy::Always;
        if was_always && policy != FsyncPolicy::Always {
            self.sync();
        }
        if !was_always && policy == FsyncPolicy::Always && !self.pending.is_empty() {
            let held = std::mem::take(&mut self.pending);
            self.send(Message::Data(held, self.end));
        }
        self.shared.policy.store(policy_code(policy), Ordering::Relaxed);
    }

    /// Stops or resumes fsyncs (a rewrite with `no-appendfsync-on-rewrite yes` runs).
    pub fn suppress_fsync(&self, suppressed: bool) {
        self.shared.fsync_suppressed.store(suppressed, Ordering::Relaxed);
    }

    /// Sleeps this many microseconds before each write (DEBUG AOF-FLUSH-SLEEP; 0: none).
    pub fn set_flush_sleep(&self, micros: u64) {
        self.shared.flush_sleep_us.store(micros, Ordering::Relaxed);
    }

    /// Whether the last write failed.
    pub fn write_failed(&self) -> bool {
        self.shared.write_failed.load(Ordering::Relaxed)
    }

    /// Why the last write failed, while it has not succeeded since.
    pub fn write_error(&self) -> Option<String> {
        if !self.write_failed() {
            return None;
        }
        Some(self.shared.write_error.lock().map(|e| e.clone()).unwrap_or_default())
    }

    /// The stream offset replies may go out at (as far as the policy asks), to wait on.
    pub fn durable(&self) -> tokio::sync::watch::Receiver<u64> {
        self.durable.clone()
    }
}

impl Drop for AofWriter {
    fn drop(&mut self) {
        // A last try for what a failed write left; the thread then fsyncs.
        self.retry();
        self.tx = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Writes `pending` to `file` (after DEBUG AOF-FLUSH-SLEEP's pause); returns whether any bytes
/// were written. What a failure leaves stays in `pending`, and the failure is noted in
/// `shared` until a later write succeeds.
fn write_out(mut file: &File, pending: &mut Vec<u8>, shared: &Shared) -> bool {
    if pending.is_empty() {
        return false;
    }
    let sleep = shared.flush_sleep_us.load(Ordering::Relaxed);
    if sleep > 0 {
        std::thread::sleep(Duration::from_micros(sleep));
    }
    let mut written = 0;
    while written < pending.len() {
        match file.write(&pending[written..]) {
            Ok(0) => break,
            Ok(n) => written += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                if let Ok(mut text) = shared.write_error.lock() {
                    *text = crate::config::strerror(&e);
                }
                if !shared.write_failed.swap(true, Ordering::Relaxed) {
                    tracing::warn!("Error writing to the AOF file: {e}");
                }
                break;
            }
        }
    }
    let complete = written == pending.len();
    pending.drain(..written);
    if complete && shared.write_failed.swap(false, Ordering::Relaxed) {
        tracing::warn!("AOF write error looks solved, Redis can write again.");
    }
    written > 0
}

/// The thread's side.
struct Thread {
    file: Arc<File>,
    shared: Arc<Shared>,
    /// Bytes received and not yet written (`always`, after a failed write).
    pending: Vec<u8>,
    /// The stream offset the received bytes end at.
    end: u64,
}

impl Thread {
    fn run(mut self, rx: Receiver<Message>) {
        let mut last_fsync = Instant::now();
        let mut unsynced = false;
        loop {
            let policy = policy_of(self.shared.policy.load(Ordering::Relaxed));
            // A failed write is retried every 100 ms; everysec wakes up for its fsync (the
            // executor's own writes send no message, so it looks every second).
            let wait = if !self.pending.is_empty() {
                Duration::from_millis(100)
            } else if policy == FsyncPolicy::EverySec {
                Duration::from_secs(1).saturating_sub(last_fsync.elapsed()).max(Duration::from_millis(10))
            } else {
                Duration::from_secs(3600)
            };
            let mut acks = Vec::new();
            let mut closing = false;
            match rx.recv_timeout(wait) {
                Ok(first) => {
                    // Group commit: everything queued meanwhile goes out with one write and one fsync.
                    for message in std::iter::once(first).chain(rx.try_iter()) {
                        match message {
                            Message::Data(bytes, end) => {
                                self.pending.extend_from_slice(&bytes);
                                self.end = end;
                            }
                            Message::Switch(file) => {
                                unsynced |= self.write_pending(policy);
                                if unsynced || self.shared.written_unsynced.swap(false, Ordering::Relaxed) {
                                    let _ = self.file.sync_data();
                                }
                                self.file = file;
                                unsynced = false;
                            }
                            Message::Sync(ack) => acks.push(ack),
                        }
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => closing = true,
            }
            unsynced |= self.write_pending(policy);
            let dirty = unsynced || self.shared.written_unsynced.load(Ordering::Relaxed);
            let suppressed = self.shared.fsync_suppressed.load(Ordering::Relaxed);
            let fsync_now = !acks.is_empty()
                || closing
                || (!suppressed && policy == FsyncPolicy::Always)
                || (!suppressed && policy == FsyncPolicy::EverySec && last_fsync.elapsed() >= Duration::from_secs(1));
            if fsync_now && dirty {
                // Cleared before the fsync: a write the executor makes meanwhile is either
                // covered by it or marks the file again.
                self.shared.written_unsynced.store(false, Ordering::Relaxed);
                if let Err(e) = self.file.sync_data() {
                    tracing::warn!("Fail to fsync the AOF file: {e}");
                    if policy == FsyncPolicy::Always {
                        fatal("fsync");
                    }
                }
                last_fsync = Instant::now();
                unsynced = false;
            }
            // Only `always` publishes here (the executor publishes its own writes); a failed
            // write is retried, and ends the process with `always` before that.
            if policy == FsyncPolicy::Always && self.pending.is_empty() {
                self.shared.durable.send_replace(self.end);
            }
            for ack in acks {
                let _ = ack.send(());
            }
            if closing {
                return;
            }
        }
    }

    /// Writes the pending bytes; returns whether any were written. A failure keeps what was
    /// not written for the next try (with `always` it ends the process).
    fn write_pending(&mut self, policy: FsyncPolicy) -> bool {
        let wrote = write_out(&self.file, &mut self.pending, &self.shared);
        if !self.pending.is_empty() && policy == FsyncPolicy::Always {
            fatal("write");
        }
        wrote
    }
}

/// With `appendfsync always` a write that cannot reach the disk must not be acknowledged: the
/// process ends, as Redis's does.
fn fatal(what: &str) -> ! {
    tracing::warn!("Can't recover from AOF {what} error when the AOF fsync policy is 'always'. Exiting...");
    std::process::exit(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_in_order_and_reports_the_durable_offset() {
        let dir = tempfile::tempdir().expect("dir");
        let first = File::create(dir.path().join("a")).expect("create");
        let mut writer = AofWriter::spawn(first, FsyncPolicy::Always, 10).expect("spawn");
        assert_eq!(*writer.durable().borrow(), 10);
        writer.append(b"one ".to_vec(), 14);
        writer.append(b"two ".to_vec(), 18);
        writer.switch(File::create(dir.path().join("b")).expect("create"));
        writer.append(b"three".to_vec(), 23);
        writer.sync();
        assert_eq!(*writer.durable().borrow(), 23);
        drop(writer);
        assert_eq!(std::fs::read(dir.path().join("a")).expect("a"), b"one two ");
        assert_eq!(std::fs::read(dir.path().join("b")).expect("b"), b"three");
    }

    #[test]
    fn everysec_writes_before_returning_and_keeps_order_across_policy_changes() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("a");
        let mut writer =
            AofWriter::spawn(File::create(&path).expect("create"), FsyncPolicy::EverySec, 0).expect("spawn");
        writer.append(b"one ".to_vec(), 4);
        // Written by the caller itself: in the file, and replies may go, at once.
        assert_eq!(std::fs::read(&path).expect("read"), b"one ");
        assert_eq!(*writer.durable().borrow(), 4);
        writer.set_policy(FsyncPolicy::Always);
        writer.append(b"two ".to_vec(), 8);
        writer.set_policy(FsyncPolicy::No);
        // Leaving `always` waits for the thread, so this lands after "two ".
        writer.append(b"three".to_vec(), 13);
        assert_eq!(std::fs::read(&path).expect("read"), b"one two three");
        assert_eq!(*writer.durable().borrow(), 13);
        writer.switch(File::create(dir.path().join("b")).expect("create"));
        writer.append(b"four".to_vec(), 17);
        drop(writer);
        assert_eq!(std::fs::read(dir.path().join("b")).expect("b"), b"four");
    }
}
