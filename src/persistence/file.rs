//! Writing a persistence file so that a crash never leaves a torn one under the real name: the
//! bytes go to a temporary file in the same directory, which is flushed, fsynced and renamed
//! over the target, and then the directory itself is fsynced so the rename survives a power cut.
//!
//! [`AtomicFile`] does this on the calling thread (SAVE, SHUTDOWN); [`BackgroundWriter`] runs one
//! on a thread of its own and takes the bytes in chunks, so a snapshot serialized on the executor
//! never waits on the disk.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

/// Chunks that may wait for the background writer before the producer is told to hold off.
const QUEUED_CHUNKS: usize = 64;

/// A file being written under a temporary name, renamed into place by [`AtomicFile::commit`]
/// and removed if dropped before that.
pub struct AtomicFile {
    temp: PathBuf,
    target: PathBuf,
    file: Option<BufWriter<File>>,
    written: u64,
}

impl AtomicFile {
    /// Creates `dir/temp_name` (truncating a stale one) for what will become `dir/name`.
    pub fn create(dir: &Path, name: &str, temp_name: &str) -> io::Result<AtomicFile> {
        let temp = dir.join(temp_name);
        let file = File::create(&temp)?;
        Ok(AtomicFile { temp, target: dir.join(name), file: Some(BufWriter::with_capacity(1 << 16, file)), written: 0 })
    }

    /// Makes the file durable under its real name; returns its size.
    pub fn commit(mut self) -> io::Result<u64> {
        let file = self.file.take().ok_or_else(|| io::Error::other("file already committed"))?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.temp, &self.target)?;
        // The rename is durable only once the directory entry is.
        let dir = self.target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        File::open(dir)?.sync_all()?;
        Ok(self.written)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let file = self.file.as_mut().ok_or_else(|| io::Error::other("file already committed"))?;
        let n = file.write(bytes)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// An [`AtomicFile`] written by a thread of its own from chunks sent to it; the outcome arrives
/// on the receiver [`BackgroundWriter::spawn`] returns.
pub struct BackgroundWriter {
    chunks: SyncSender<Vec<u8>>,
}

/// Why [`BackgroundWriter::send`] did not take a chunk.
#[derive(Debug)]
pub enum SendError {
    /// The writer is behind: try again later with the same chunk.
    Full(Vec<u8>),
    /// The writer stopped (a write failed): its outcome tells why.
    Stopped,
}

/// What the writer thread reports: the committed file's size, or why it failed.
pub type Outcome = tokio::sync::oneshot::Receiver<io::Result<u64>>;

impl BackgroundWriter {
    /// Starts the writer thread, which creates the file with [`AtomicFile::create`]'s arguments:
    /// a file that cannot be created fails the save's outcome, not its start (as Redis's child
    /// process fails after BGSAVE answered).
    pub fn spawn(dir: PathBuf, name: String, temp_name: String) -> io::Result<(BackgroundWriter, Outcome)> {
        let (tx, rx) = sync_channel(QUEUED_CHUNKS);
        let (done, outcome) = tokio::sync::oneshot::channel();
        std::thread::Builder::new().name("rkv-save".into()).spawn(move || {
            let result = AtomicFile::create(&dir, &name, &temp_name).and_then(|file| write_all(file, rx));
            let _ = done.send(result);
        })?;
        Ok((BackgroundWriter { chunks: tx }, outcome))
    }

    /// Queues `chunk` without waiting; an empty chunk ends the file, which is then committed.
    /// Dropping the writer without that end aborts: the temporary file is removed.
    pub fn send(&self, chunk: Vec<u8>) -> Result<(), SendError> {
        match self.chunks.try_send(chunk) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(chunk)) => Err(SendError::Full(chunk)),
            Err(TrySendError::Disconnected(_)) => Err(SendError::Stopped),
        }
    }
}

/// The writer thread: writes chunks until the empty end marker, then commits; the channel
/// closing before the marker means the save was abandoned.
fn write_all(mut file: AtomicFile, chunks: Receiver<Vec<u8>>) -> io::Result<u64> {
    for chunk in chunks {
        if chunk.is_empty() {
            return file.commit();
        }
        file.write_all(&chunk)?;
    }
    Err(io::Error::other("save aborted"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_files_appear_whole_and_abandoned_ones_vanish() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut file = AtomicFile::create(dir.path(), "a.rdb", "temp-a.rdb").expect("create");
        file.write_all(b"hello ").expect("write");
        file.write_all(b"world").expect("write");
        assert!(!dir.path().join("a.rdb").exists(), "nothing under the real name before commit");
        assert_eq!(file.commit().expect("commit"), 11);
        assert_eq!(std::fs::read(dir.path().join("a.rdb")).expect("read"), b"hello world");
        assert!(!dir.path().join("temp-a.rdb").exists());

        let mut file = AtomicFile::create(dir.path(), "a.rdb", "temp-b.rdb").expect("create");
        file.write_all(b"partial").expect("write");
        drop(file);
        assert!(!dir.path().join("temp-b.rdb").exists());
        assert_eq!(std::fs::read(dir.path().join("a.rdb")).expect("read"), b"hello world");
    }

    #[test]
    fn the_background_writer_commits_on_the_end_marker_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let spawn = |name: &str, temp: &str| {
            BackgroundWriter::spawn(dir.path().to_owned(), name.to_owned(), temp.to_owned()).expect("spawn")
        };
        let (writer, outcome) = spawn("b.rdb", "temp-1.rdb");
        for chunk in [b"ab".to_vec(), b"cd".to_vec(), Vec::new()] {
            let mut chunk = chunk;
            loop {
                match writer.send(chunk) {
                    Ok(()) => break,
                    Err(SendError::Full(back)) => chunk = back,
                    Err(SendError::Stopped) => panic!("writer stopped"),
                }
            }
        }
        assert_eq!(outcome.blocking_recv().expect("outcome").expect("committed"), 4);
        assert_eq!(std::fs::read(dir.path().join("b.rdb")).expect("read"), b"abcd");

        let (writer, outcome) = spawn("c.rdb", "temp-2.rdb");
        writer.send(b"xy".to_vec()).expect("queued");
        drop(writer);
        assert!(outcome.blocking_recv().expect("outcome").is_err());
        assert!(!dir.path().join("c.rdb").exists() && !dir.path().join("temp-2.rdb").exists());

        let (writer, outcome) = spawn("d.rdb", "missing/temp-3.rdb");
        let _ = writer.send(Vec::new());
        assert!(outcome.blocking_recv().expect("outcome").is_err(), "an uncreatable file fails the outcome");
    }
}
