//! Lazy freeing: big values and whole databases are dropped on one long-lived background thread
//! instead of the executor's, so UNLINK, FLUSHALL ASYNC and the `lazyfree-lazy-*` directives
//! answer at once whatever the size of what they delete (Redis's lazyfree.c and its bio
//! thread). INFO shows `lazyfree_pending_objects` and `lazyfreed_objects`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use crate::keyspace::{Db, Value};

/// Below this free effort a value is freed at once: handing it to the thread costs more
/// (Redis's LAZYFREE_THRESHOLD).
const LAZYFREE_THRESHOLD: usize = 64;

/// Something to drop on the background thread (only its destructor runs there).
type Garbage = Box<dyn Send>;

/// The handle to the lazyfree thread (started on first use) and its counters.
#[derive(Debug, Default)]
pub struct LazyFree {
    sender: Option<mpsc::Sender<(Garbage, u64)>>,
    counters: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    /// Objects handed over and not freed yet.
    pending: AtomicU64,
    /// Objects freed by the thread since the start (or CONFIG RESETSTAT).
    freed: AtomicU64,
}

impl LazyFree {
    /// Drops `value`, on the background thread when freeing it is costly.
    pub fn free_value(&mut self, value: Value) {
        if value.free_effort() > LAZYFREE_THRESHOLD {
            self.hand_over(Box::new(value), 1);
        }
    }

    /// Drops emptied databases on the background thread (FLUSHALL/FLUSHDB ASYNC); they count
    /// as their number of keys.
    pub fn free_dbs(&mut self, dbs: Vec<Db>) {
        let keys = dbs.iter().map(|db| db.len() as u64).sum();
        if keys > 0 {
            self.hand_over(Box::new(dbs), keys);
        }
    }

    /// INFO `lazyfree_pending_objects`.
    pub fn pending(&self) -> u64 {
        self.counters.pending.load(Ordering::Relaxed)
    }

    /// INFO `lazyfreed_objects`.
    pub fn freed(&self) -> u64 {
        self.counters.freed.load(Ordering::Relaxed)
    }

    /// CONFIG RESETSTAT.
    pub fn reset_stats(&self) {
        self.counters.freed.store(0, Ordering::Relaxed);
    }

    fn hand_over(&mut self, garbage: Garbage, objects: u64) {
        self.counters.pending.fetch_add(objects, Ordering::Relaxed);
        let unsent = match self.sender() {
            Some(sender) => sender.send((garbage, objects)).err().map(|e| e.0),
            None => Some((garbage, objects)),
        };
        // No thread (it could not be started): free here, as Redis would without bio.
        if let Some((garbage, objects)) = unsent {
            drop(garbage);
            self.counters.pending.fetch_sub(objects, Ordering::Relaxed);
        }
    }

    /// The channel to the thread, starting it the first time.
    fn sender(&mut self) -> Option<&mpsc::Sender<(Garbage, u64)>> {
        if self.sender.is_none() {
            let (tx, rx) = mpsc::channel::<(Garbage, u64)>();
            let counters = Arc::clone(&self.counters);
            let started = std::thread::Builder::new().name("lazyfree".to_owned()).spawn(move || {
                for (garbage, objects) in rx {
                    drop(garbage);
                    counters.pending.fetch_sub(objects, Ordering::Relaxed);
                    counters.freed.fetch_add(objects, Ordering::Relaxed);
                }
            });
            match started {
                Ok(_) => self.sender = Some(tx),
                Err(e) => tracing::warn!("Could not start the lazyfree thread: {e}"),
            }
        }
        self.sender.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyspace::StringValue;

    #[test]
    fn big_values_and_databases_are_freed_on_the_thread() {
        let mut lazy = LazyFree::default();
        lazy.free_value(Value::String(StringValue::from_bytes(b"small")));
        assert!(lazy.sender.is_none(), "a string is freed at once");
        let mut db = Db::default();
        for i in 0..100 {
            db.insert(format!("k{i}").as_bytes(), Value::String(StringValue::from_bytes(b"v")), false);
        }
        lazy.free_dbs(vec![db]);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while lazy.freed() < 100 {
            assert!(std::time::Instant::now() < deadline, "the thread never freed the database");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert_eq!(lazy.pending(), 0);
    }
}
