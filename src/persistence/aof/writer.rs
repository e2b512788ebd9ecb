//! The AOF writer: a thread of its own that appends the propagation stream to the current
//! incremental file and fsyncs it per `appendfsync`, so the executor never waits on the disk.
//!
//! The executor sends each batch's propagated bytes with the stream offset they end at. The
//! thread takes everything queued at once, writes it, and (with `always`) fsyncs once for all
//! of it — group commit — then publishes the offset now written (with `always`, fsynced) on a
//! watch channel; connections holding replies of writes wait for that offset before answering,
//! as Redis writes its AOF buffer before answering. With `everysec` it fsyncs
//! about once a second, with `no` never. A failed write keeps the bytes and is retried; with
//! `always` it ends the process, as Redis does, because nothing unwritten may be acknowledged.

use std::fs::File;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use crate::config::aof::FsyncPolicy;

/// What the executor sends the writer thread.
enum Message {
    /// Bytes to append, ending at this stream offset.
    Data(Vec<u8>, u64),
    /// Continue in this file (a rewrite started): the old one is fsynced and closed first.
    Switch(File),
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

/// The executor's handle on the writer thread; dropping it ends the thread after a final
/// write and fsync.
pub struct AofWriter {
    tx: Option<Sender<Message>>,
    shared: Arc<Shared>,
    durable: tokio::sync::watch::Receiver<u64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl AofWriter {
    /// Starts a writer appending to `file`, whose contents so far end at stream offset `start`.
    pub fn spawn(file: File, policy: FsyncPolicy, start: u64) -> std::io::Result<AofWriter> {
        let (tx, rx) = channel();
        let shared = Arc::new(Shared {
            policy: AtomicU8::new(policy_code(policy)),
            fsync_suppressed: AtomicBool::new(false),
            write_failed: AtomicBool::new(false),
            write_error: std::sync::Mutex::new(String::new()),
            flush_sleep_us: AtomicU64::new(0),
        });
        let (durable_tx, durable) = tokio::sync::watch::channel(start);
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new().name("rkv-aof".into()).spawn(move || {
            Thread { file, shared: thread_shared, durable: durable_tx, pending: Vec::new(), end: start }.run(rx)
        })?;
        Ok(AofWriter { tx: Some(tx), shared, durable, thread: Some(thread) })
    }

    /// Appends `bytes`, which end at stream offset `end`.
    pub fn append(&self, bytes: Vec<u8>, end: u64) {
        self.send(Message::Data(bytes, end));
    }

    /// Continues in `file` from now on.
    pub fn switch(&self, file: File) {
        self.send(Message::Switch(file));
    }

    /// Waits until everything sent so far is written and fsynced.
    pub fn sync(&self) {
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

    /// Changes the fsync policy (CONFIG SET appendfsync).
    pub fn set_policy(&self, policy: FsyncPolicy) {
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

    /// The stream offset known to be on disk (as far as the policy asks), to wait on.
    pub fn durable(&self) -> tokio::sync::watch::Receiver<u64> {
        self.durable.clone()
    }
}

impl Drop for AofWriter {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread's side.
struct Thread {
    file: File,
    shared: Arc<Shared>,
    durable: tokio::sync::watch::Sender<u64>,
    /// Bytes received and not yet written (after a failed write).
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
            // A failed write is retried every 100 ms; everysec wakes up for its fsync.
            let wait = if !self.pending.is_empty() {
                Duration::from_millis(100)
            } else if unsynced && policy == FsyncPolicy::EverySec {
                Duration::from_secs(1).saturating_sub(last_fsync.elapsed())
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
                                self.write_pending(policy);
                                let _ = self.file.sync_data();
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
            let wrote = self.write_pending(policy);
            unsynced |= wrote;
            let suppressed = self.shared.fsync_suppressed.load(Ordering::Relaxed);
            let fsync_now = !acks.is_empty()
                || closing
                || (unsynced && !suppressed && policy == FsyncPolicy::Always)
                || (unsynced
                    && !suppressed
                    && policy == FsyncPolicy::EverySec
                    && last_fsync.elapsed() >= Duration::from_secs(1));
            if fsync_now && unsynced {
                if let Err(e) = self.file.sync_data() {
                    tracing::warn!("Fail to fsync the AOF file: {e}");
                    if policy == FsyncPolicy::Always {
                        fatal("fsync");
                    }
                }
                last_fsync = Instant::now();
                unsynced = false;
            }
            // A failed write is retried; meanwhile only `always` holds replies (it ends the
            // process instead), as Redis answers with the bytes still in its buffer.
            if self.pending.is_empty() || policy != FsyncPolicy::Always {
                self.durable.send_replace(self.end);
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
    /// not written for the next try.
    fn write_pending(&mut self, policy: FsyncPolicy) -> bool {
        let sleep = self.shared.flush_sleep_us.load(Ordering::Relaxed);
        if sleep > 0 && !self.pending.is_empty() {
            std::thread::sleep(Duration::from_micros(sleep));
        }
        let mut written = 0;
        while written < self.pending.len() {
            match self.file.write(&self.pending[written..]) {
                Ok(0) => break,
                Ok(n) => written += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    if let Ok(mut text) = self.shared.write_error.lock() {
                        *text = crate::config::strerror(&e);
                    }
                    if !self.shared.write_failed.swap(true, Ordering::Relaxed) {
                        tracing::warn!("Error writing to the AOF file: {e}");
                    }
                    break;
                }
            }
        }
        let complete = written == self.pending.len();
        self.pending.drain(..written);
        if !complete && policy == FsyncPolicy::Always {
            fatal("write");
        }
        if complete && self.shared.write_failed.swap(false, Ordering::Relaxed) {
            tracing::warn!("AOF write error looks solved, Redis can write again.");
        }
        written > 0
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
        let writer = AofWriter::spawn(first, FsyncPolicy::Always, 10).expect("spawn");
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
}
