//! Point-in-time images of a database taken without `fork()`: the keyspace side of BGSAVE (and,
//! later, of AOF rewrites and replica full syncs).
//!
//! A snapshot walks a database's keys a few at a time between commands and serializes each one
//! with the [`Encode`] function it was given. For the image to be the dataset as of the start,
//! every [`Entry`] carries a one-bit mark, and a key counts as written when its mark equals the
//! database's epoch bit:
//! - starting a snapshot flips the epoch, which makes every existing key unwritten at once (O(1));
//!   keys created afterwards are born with the new epoch, so they are not part of the image;
//! - before anything changes or deletes an unwritten key, the database writes it first (its old
//!   value and TTL) and marks it; the walk then skips it, and the SCAN-style walk, which may meet
//!   an entry twice across a resize, writes each key once for the same reason;
//! - FLUSHDB/FLUSHALL park the old tables in the snapshot instead of dropping them; they are
//!   walked, then handed back to be freed, so nothing is copied;
//! - SWAPDB moves a database with its snapshot, whose `origin` keeps the index the database had
//!   when the snapshot started.
//!
//! Extra memory is what has been serialized and not yet taken by the writer, plus the parked
//! tables of flushes; no value is ever cloned.

use super::{Db, Entry};

/// Serializes one key (its name, value and absolute expiry in Unix ms) onto `out`; shared by the
/// databases of one snapshot, and `Send` because a flushed [`Db`] may travel to the lazyfree thread.
pub type Encode = std::sync::Arc<dyn Fn(&[u8], &Entry, Option<i64>, &mut Vec<u8>) + Send + Sync>;

/// Entries looked at per [`Db::snapshot_step`] budget unit when most are already written.
const SKIPPED_PER_UNIT: usize = 16;

/// A snapshot in progress on one database.
pub struct DbSnapshot {
    /// The database's index when the snapshot started.
    origin: usize,
    encode: Encode,
    /// Where the walk of the live table resumes; `None` once it went all the way round.
    cursor: Option<u64>,
    /// Tables emptied by a flush during the snapshot, still to be walked.
    parked: Vec<Db>,
    /// Tables whose walk is finished, to be freed by whoever ends the snapshot.
    finished: Vec<Db>,
    /// Serialized keys not yet taken.
    out: Vec<u8>,
    /// Keys serialized so far.
    keys_written: u64,
    /// Bytes serialized ahead of the walk because a change was about to touch an unwritten key:
    /// the memory writes during a snapshot cost, which is what copy-on-write is to Redis's fork.
    written_ahead: u64,
}

impl DbSnapshot {
    /// Writes `entry` unless it is already part of the image, and marks it written.
    fn write(&mut self, epoch: bool, key: &[u8], entry: &Entry, expire_ms: Option<i64>) {
        if entry.mark() != epoch {
            (self.encode)(key, entry, expire_ms, &mut self.out);
            entry.set_mark(epoch);
            self.keys_written += 1;
        }
    }
}

/// What ending a snapshot leaves: the last bytes, and flushed tables to free.
pub struct SnapshotEnd {
    /// Serialized keys not taken before the end.
    pub bytes: Vec<u8>,
    /// Tables a flush emptied during the snapshot.
    pub garbage: Vec<Db>,
    /// Bytes it wrote ahead of its walk because of changes.
    pub written_ahead: u64,
}

impl Db {
    /// Starts a snapshot of this database, serialized with `encode`; `origin` is its index.
    pub fn begin_snapshot(&mut self, origin: usize, encode: Encode) {
        self.epoch = !self.epoch;
        self.snapshot = Some(Box::new(DbSnapshot {
            origin,
            encode,
            cursor: Some(0),
            parked: Vec::new(),
            finished: Vec::new(),
            out: Vec::new(),
            keys_written: 0,
            written_ahead: 0,
        }));
    }

    /// The index this database had when its running snapshot started.
    pub fn snapshot_origin(&self) -> Option<usize> {
        self.snapshot.as_ref().map(|s| s.origin)
    }

    /// Writes `key` into the running snapshot before it changes, if it is not written yet. Every
    /// mutation path of [`Db`] calls this first; it is one untaken branch without a snapshot.
    #[inline]
    pub(super) fn save_before_change(&mut self, key: &[u8]) {
        if let Some(snap) = self.snapshot.as_deref_mut()
            && let Some((_, entry)) = self.keys.get_entry(key)
        {
            let expire = self.expires.get(key).copied();
            let before = snap.out.len();
            snap.write(self.epoch, key, entry, expire);
            snap.written_ahead += (snap.out.len() - before) as u64;
        }
    }

    /// Parks the tables `old` (just taken by a flush) in the running snapshot, if any, so the
    /// walk still writes their keys; returns what the caller may free now.
    pub(super) fn park_flushed(&mut self, old: Db) -> Db {
        match self.snapshot.as_deref_mut() {
            Some(snap) => {
                snap.parked.push(old);
                Db::default()
            }
            None => old,
        }
    }

    /// Walks about `budget` keys of the running snapshot (flushed tables first, then the live
    /// table); returns true once every key of the image is serialized.
    pub fn snapshot_step(&mut self, budget: usize) -> bool {
        let epoch = self.epoch;
        let Some(snap) = self.snapshot.as_deref_mut() else { return true };
        let mut work = 0;
        while work < budget {
            if let Some(mut old) = snap.parked.pop() {
                for (key, entry) in old.keys.entries() {
                    let expire = old.expires.get(key.as_bytes()).copied();
                    snap.write(epoch, key.as_bytes(), entry, expire);
                }
                work += old.keys.len();
                // Its keys are written; freeing it is the caller's business.
                old.snapshot = None;
                snap.finished.push(old);
                continue;
            }
            let Some(cursor) = snap.cursor else { break };
            let (keys, expires) = (&self.keys, &self.expires);
            let before = snap.keys_written;
            let mut seen = 0;
            let next = keys.scan(cursor, |key, entry| {
                seen += 1;
                snap.write(epoch, key.as_bytes(), entry, expires.get(key.as_bytes()).copied());
            });
            let written = (snap.keys_written - before) as usize;
            work += written + (seen - written).div_ceil(SKIPPED_PER_UNIT).max(1);
            snap.cursor = (next != 0).then_some(next);
        }
        snap.cursor.is_none() && snap.parked.is_empty()
    }

    /// Bytes the running snapshot serialized ahead of its walk because of changes (0 without
    /// one); see [`DbSnapshot`]'s `written_ahead`.
    pub fn snapshot_written_ahead(&self) -> u64 {
        self.snapshot.as_ref().map_or(0, |s| s.written_ahead)
    }

    /// Keys the running snapshot has written so far (0 without one).
    pub fn snapshot_keys_written(&self) -> u64 {
        self.snapshot.as_ref().map_or(0, |s| s.keys_written)
    }

    /// Takes the bytes serialized so far.
    pub fn take_snapshot_bytes(&mut self) -> Vec<u8> {
        self.snapshot.as_deref_mut().map(|s| std::mem::take(&mut s.out)).unwrap_or_default()
    }

    /// Ends the running snapshot (finished or abandoned).
    pub fn end_snapshot(&mut self) -> Option<SnapshotEnd> {
        let snap = self.snapshot.take()?;
        let DbSnapshot { out, parked, finished, written_ahead, .. } = *snap;
        Some(SnapshotEnd { bytes: out, garbage: finished.into_iter().chain(parked).collect(), written_ahead })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyspace::{StringValue, Value, wall_clock_ms};

    /// `key=value;` (with `@expire` when volatile), so a test can read the image back.
    fn encode(key: &[u8], entry: &Entry, expire_ms: Option<i64>, out: &mut Vec<u8>) {
        out.extend_from_slice(key);
        out.push(b'=');
        if let Value::String(s) = &entry.value {
            out.extend_from_slice(&s.to_vec());
        }
        if let Some(at) = expire_ms {
            out.extend_from_slice(format!("@{at}").as_bytes());
        }
        out.push(b';');
    }

    fn s(v: &str) -> Value {
        Value::String(StringValue::from_bytes(v.as_bytes()))
    }

    fn image(bytes: &[u8]) -> Vec<String> {
        let mut items: Vec<String> =
            String::from_utf8_lossy(bytes).split(';').filter(|p| !p.is_empty()).map(str::to_owned).collect();
        items.sort();
        items
    }

    fn run_to_end(db: &mut Db, bytes: &mut Vec<u8>) {
        while !db.snapshot_step(7) {
            bytes.extend(db.take_snapshot_bytes());
        }
        let end = db.end_snapshot().expect("a snapshot was running");
        bytes.extend(end.bytes);
    }

    #[test]
    fn the_image_is_the_data_at_the_start_whatever_changes_meanwhile() {
        let mut db = Db::default();
        for i in 0..1000 {
            db.insert(format!("k{i}").as_bytes(), s(&format!("v{i}")), false);
        }
        let later = wall_clock_ms() + 1_000_000;
        db.set_expire(b"k5", later);
        db.begin_snapshot(0, std::sync::Arc::new(encode));
        let mut bytes = Vec::new();
        assert!(!db.snapshot_step(10));
        bytes.extend(db.take_snapshot_bytes());
        // Changes of every kind while the walk runs; enough inserts to make the table grow.
        for i in 0..1000 {
            db.insert(format!("k{i}").as_bytes(), s("changed"), false);
            db.insert(format!("new{i}").as_bytes(), s("new"), false);
        }
        db.remove(b"k7");
        db.persist(b"k5");
        db.set_expire(b"k8", later);
        run_to_end(&mut db, &mut bytes);
        let mut expected: Vec<String> = (0..1000).map(|i| format!("k{i}=v{i}")).collect();
        expected[5] = format!("k5=v5@{later}");
        expected.sort();
        assert_eq!(image(&bytes), expected);
        // The next snapshot sees the current data, each key once.
        db.begin_snapshot(0, std::sync::Arc::new(encode));
        let mut second = Vec::new();
        run_to_end(&mut db, &mut second);
        assert_eq!(image(&second).len(), 1999);
        assert!(image(&second).contains(&format!("k8=changed@{later}")));
    }

    #[test]
    fn a_flush_parks_the_old_tables_and_new_keys_stay_out() {
        let mut db = Db::default();
        for i in 0..100 {
            db.insert(format!("k{i}").as_bytes(), s("v"), false);
        }
        db.begin_snapshot(3, std::sync::Arc::new(encode));
        assert_eq!(db.snapshot_origin(), Some(3));
        let freed_now = db.take_all();
        assert!(freed_now.is_empty(), "the old tables belong to the snapshot until it is done");
        db.insert(b"after", s("x"), false);
        let mut bytes = Vec::new();
        while !db.snapshot_step(7) {
            bytes.extend(db.take_snapshot_bytes());
        }
        let end = db.end_snapshot().expect("running");
        bytes.extend(end.bytes);
        assert_eq!(image(&bytes).len(), 100);
        assert_eq!(end.garbage.iter().map(Db::len).sum::<usize>(), 100);
        assert_eq!(db.snapshot_origin(), None);
    }
}
