//! Databases: keys, values, expiry.
//!
//! A [`Db`] keeps its keys in a [`Dict`] of [`Entry`] values and the expiry times of volatile
//! keys in a second dict, as Redis does: keys without a TTL cost nothing extra, and the active
//! expiry cycle walks only volatile keys. Expired keys are removed lazily on access and actively
//! by [`Db::active_expire`]; both count in [`Db::expired_keys`]. Every lookup stamps the key's
//! access clock ([`clock`]) unless it is a [`Access::Peek`] or the clock says not to touch.

pub mod clock;
pub mod evict;
pub mod hash;
pub mod snapshot;
pub mod usage;
pub mod value;

use crate::types::dict::{Dict, TableStats};
use crate::types::small_bytes::SmallBytes;
pub use clock::AccessClock;
pub use hash::{FieldValue, HashLimits, HashValue};
pub use value::{StringValue, Value};

/// The current Unix time in milliseconds (the clock TTLs are compared against). While a command
/// runs this is the command's time snapshot (see [`CommandTime`]), so a command, a transaction or
/// a script sees one clock, as Redis's `commandTimeSnapshot`.
pub fn now_ms() -> i64 {
    match COMMAND_TIME_MS.get() {
        NO_COMMAND => wall_clock_ms(),
        // The first reading inside a command fixes its time: commands that never look at the
        // clock (PING, GET on a table without TTLs) pay nothing for the snapshot.
        NOT_READ_YET => {
            let now = wall_clock_ms();
            COMMAND_TIME_MS.set(now);
            now
        }
        fixed => fixed,
    }
}

/// [`COMMAND_TIME_MS`] outside any command.
const NO_COMMAND: i64 = 0;
/// [`COMMAND_TIME_MS`] inside a command that has not read the clock yet.
const NOT_READ_YET: i64 = -1;
/// [`COMMAND_TIME_MS`] while a dataset is replayed from the AOF: a time long before any expiry
/// (about 142,000 years before 1970), so that nothing expires and a past expiry time is set
/// rather than deleting the key, as Redis does while loading. Far from `i64::MIN`, so
/// arithmetic on it never overflows.
const LOADING_TIME_MS: i64 = -(1 << 52);

/// The system clock in Unix milliseconds, ignoring any command snapshot.
pub fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// The system clock in Unix microseconds (MONITOR and SLOWLOG stamps).
pub fn wall_clock_micros() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0)
}

thread_local! {
    /// The running command's time snapshot in Unix ms ([`NO_COMMAND`] outside commands,
    /// [`NOT_READ_YET`] until the command first reads it). Thread-local rather
    /// than passed around because every lookup reads it (lazy expiry) and the executor owns the
    /// keyspace on one thread: commands nest (EXEC, later scripts) but never run concurrently.
    static COMMAND_TIME_MS: std::cell::Cell<i64> = const { std::cell::Cell::new(NO_COMMAND) };
    /// Some database logged a lazily expired key since the executor last drained the logs.
    static EXPIRED_PENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Whether [`Db::insert`] logs the keys it creates: only while `notify-keyspace-events` has
    /// `n`, so creating a key costs one untaken branch otherwise.
    static LOG_NEW_KEYS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Some database logged a created key since the executor last drained the logs.
    static NEW_PENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Holds the command time snapshot while alive: the outermost command of a nest fixes the time,
/// inner ones (EXEC's queued commands) keep it.
#[derive(Debug)]
#[must_use]
pub struct CommandTime {
    outermost: bool,
}

impl CommandTime {
    /// Fixes the clock for the command about to run (unless an outer command already did).
    pub fn fix() -> CommandTime {
        let outermost = COMMAND_TIME_MS.get() == NO_COMMAND;
        if outermost {
            COMMAND_TIME_MS.set(NOT_READ_YET);
        }
        CommandTime { outermost }
    }
}

impl Drop for CommandTime {
    fn drop(&mut self) {
        if self.outermost {
            COMMAND_TIME_MS.set(NO_COMMAND);
        }
    }
}

/// Holds the clock at "while loading" (see [`LOADING_TIME_MS`]) while alive: commands replayed
/// from the AOF meanwhile expire nothing. [`LoadingTime::release`] lets it run again for a while.
#[derive(Debug)]
#[must_use]
pub struct LoadingTime {
    previous: i64,
}

impl LoadingTime {
    /// Stops the clock for loading until the guard is dropped.
    pub fn hold() -> LoadingTime {
        LoadingTime { previous: COMMAND_TIME_MS.replace(LOADING_TIME_MS) }
    }

    /// Lets the clock run, outside any command, until the guard is dropped (clients served in
    /// the middle of a load).
    pub fn release() -> LoadingTime {
        LoadingTime { previous: COMMAND_TIME_MS.replace(NO_COMMAND) }
    }
}

/// Whether the dataset is being loaded (AOF replay): commands then obey what they are given,
/// as Redis's `mustObeyClient` makes them.
pub fn is_loading() -> bool {
    COMMAND_TIME_MS.get() == LOADING_TIME_MS
}

impl Drop for LoadingTime {
    fn drop(&mut self) {
        COMMAND_TIME_MS.set(self.previous);
    }
}

/// Whether any database logged expired keys since the last [`take_expired_pending`].
pub fn take_expired_pending() -> bool {
    EXPIRED_PENDING.replace(false)
}

/// Makes [`Db::insert`] log the keys it creates (for the `new` keyspace event) or stop doing so.
pub fn log_new_keys(on: bool) {
    LOG_NEW_KEYS.set(on);
}

/// Whether any database logged created keys since the last [`take_new_pending`].
pub fn take_new_pending() -> bool {
    NEW_PENDING.replace(false)
}

/// Volatile keys examined per round of the active expiry cycle (Redis's keys-per-loop).
const EXPIRE_KEYS_PER_ROUND: usize = 20;
/// Another round runs while more than this percentage of examined keys had expired.
const EXPIRE_ACCEPTABLE_STALE_PERCENT: usize = 10;
/// Rehash work per database per cron tick.
const REHASH_STEPS_PER_TICK: usize = 100;

/// One run of the active expiry cycle over every database, adaptive like Redis's: a database
/// gets more rounds while many of the keys examined were expired, until `deadline`. Returns the
/// number of keys removed.
pub fn active_expire_cycle(dbs: &mut [Db], now_ms: i64, deadline: std::time::Instant) -> usize {
    let mut removed = 0;
    for db in dbs.iter_mut() {
        loop {
            let round = db.active_expire(now_ms, EXPIRE_KEYS_PER_ROUND);
            removed += round.expired;
            let stale_enough =
                round.sampled > 0 && round.expired * 100 / round.sampled > EXPIRE_ACCEPTABLE_STALE_PERCENT;
            if !stale_enough || std::time::Instant::now() >= deadline {
                break;
            }
        }
        if std::time::Instant::now() >= deadline {
            break;
        }
    }
    removed
}

/// Incremental rehashing (and shrinking) of every database, a bounded amount per call.
pub fn rehash_cycle(dbs: &mut [Db]) {
    for db in dbs.iter_mut() {
        db.rehash(REHASH_STEPS_PER_TICK);
    }
}

/// A key's entry: its value, and in the table's 32 spare bits ([`Dict`]'s entry metadata) its
/// access clock (24 bits, see [`clock`]) and the snapshot mark (the top bit, see [`snapshot`]).
pub type Entry = crate::types::dict::Entry<Value>;

/// The bits of an entry's metadata holding the access clock (Redis's 24-bit `lru` field).
const CLOCK_BITS: u32 = (1 << 24) - 1;
/// The bit of an entry's metadata holding the snapshot mark.
const MARK_BIT: u32 = 1 << 31;

impl Entry {
    /// An entry outside any database (tests, payload round trips); a database stamps its own.
    pub fn new(value: Value, lru: u32) -> Entry {
        Entry::detached(value, lru & CLOCK_BITS)
    }

    /// The access clock (LRU time or LFU counter, see [`clock`]).
    pub fn lru(&self) -> u32 {
        self.meta() & CLOCK_BITS
    }

    /// Replaces the access clock.
    pub fn set_lru(&self, lru: u32) {
        self.set_meta((self.meta() & !CLOCK_BITS) | (lru & CLOCK_BITS));
    }

    /// Whether the snapshot of the epoch `mark` has written this key (see [`snapshot`]).
    fn mark(&self) -> bool {
        self.meta() & MARK_BIT != 0
    }

    /// Sets the snapshot mark.
    fn set_mark(&self, mark: bool) {
        self.set_meta(if mark { self.meta() | MARK_BIT } else { self.meta() & !MARK_BIT });
    }
}

/// One database (SELECT index).
#[derive(Default)]
pub struct Db {
    keys: Dict<Value>,
    /// Absolute expiry in Unix milliseconds, for volatile keys only.
    expires: Dict<i64>,
    /// Where the active expiry cycle resumes.
    expire_cursor: u64,
    /// Keys removed because their TTL passed.
    pub expired_keys: u64,
    /// Read lookups that found their key (INFO `keyspace_hits`).
    pub hits: u64,
    /// Read lookups that did not (INFO `keyspace_misses`).
    pub misses: u64,
    /// Running estimate of the TTL of volatile keys, in milliseconds (INFO `avg_ttl`).
    pub avg_ttl: i64,
    /// What lookups stamp keys with; kept current by the executor.
    clock: AccessClock,
    /// CLIENT PAUSE holds writes: expired keys read as missing but are not deleted.
    writes_paused: bool,
    /// Keys removed because their TTL passed, not yet reported by the executor (it propagates a
    /// DEL and fires the `expired` event for each, see [`Db::take_expired`]).
    expired_log: Vec<SmallBytes>,
    /// Keys created while [`log_new_keys`] was on, not yet reported (the `new` event, which
    /// Redis fires from `dbAdd` before the creating command's own event; see [`Db::take_new`]).
    new_log: Vec<SmallBytes>,
    /// The mark of entries the running (or last) snapshot has written (see [`snapshot`]).
    epoch: bool,
    /// The snapshot in progress, if any.
    snapshot: Option<Box<snapshot::DbSnapshot>>,
}

/// Why a command looks a key up: reads count in `keyspace_hits`/`keyspace_misses`, writes do not
/// (Redis's `lookupKeyRead` versus `lookupKeyWrite`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The command reads the value.
    Read,
    /// The command is about to modify the key.
    Write,
    /// The command reads metadata only (TYPE, EXISTS, the TTL family, OBJECT): counted like a
    /// read but leaves the access clock alone (Redis's `LOOKUP_NOTOUCH`).
    Peek,
}

/// What one call of [`Db::active_expire`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ExpireRound {
    /// Volatile keys looked at.
    pub sampled: usize,
    /// Keys removed.
    pub expired: usize,
}

impl Db {
    /// Number of keys (expired keys not yet collected included, as in Redis's DBSIZE).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the database has no keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Zeroes the counters INFO reports (CONFIG RESETSTAT).
    pub fn reset_stats(&mut self) {
        self.expired_keys = 0;
        self.hits = 0;
        self.misses = 0;
    }

    /// CLIENT PAUSE started or ended: while writes are paused, expired keys are not deleted.
    pub fn set_writes_paused(&mut self, paused: bool) {
        self.writes_paused = paused;
    }

    /// The access clock lookups use.
    pub fn clock(&self) -> &AccessClock {
        &self.clock
    }

    /// Replaces the access clock (the executor refreshes it; cheap to call when unchanged).
    pub fn set_clock(&mut self, clock: AccessClock) {
        self.clock = clock;
    }

    /// Number of keys with a TTL.
    pub fn volatile_len(&self) -> usize {
        self.expires.len()
    }

    /// Removes `key` if its TTL has passed; returns whether it did. A key expires once the clock
    /// is past its expiry time (Redis's `now > when`), not at it.
    fn expire_if_needed(&mut self, key: &[u8], now_ms: i64) -> bool {
        if self.expires.is_empty() {
            return false;
        }
        match self.expires.get(key) {
            Some(&at) if at < now_ms => {
                self.remove(key);
                self.log_expired(SmallBytes::new(key));
                true
            }
            _ => false,
        }
    }

    /// Whether `key` has a TTL that has passed (without removing it: for read-only walks).
    pub fn is_expired(&self, key: &[u8], now_ms: i64) -> bool {
        !self.expires.is_empty() && self.expires.get(key).is_some_and(|&at| at < now_ms)
    }

    /// Whether `key` is in the table, expired or not.
    pub fn holds(&self, key: &[u8]) -> bool {
        self.keys.contains_key(key)
    }

    /// Whether `key` holds a value whose TTL has not passed, without expiring it or counting a
    /// hit (WATCH and FLUSHDB/SWAPDB decide whether a watched key changes by looking).
    pub fn is_live(&self, key: &[u8], now_ms: i64) -> bool {
        self.keys.contains_key(key) && !self.is_expired(key, now_ms)
    }

    /// The live entry at `key` (expiring it first if due), for a write.
    pub fn lookup(&mut self, key: &[u8], now_ms: i64) -> Option<&mut Entry> {
        self.lookup_for(key, now_ms, Access::Write)
    }

    /// The live entry at `key` (expiring it first if due), counting reads in the hit/miss stats.
    pub fn lookup_for(&mut self, key: &[u8], now_ms: i64, access: Access) -> Option<&mut Entry> {
        // Whoever gets `&mut Entry` may change it.
        self.save_before_change(key);
        let entry = if self.writes_paused && self.is_expired(key, now_ms) {
            None
        } else {
            self.expire_if_needed(key, now_ms);
            self.keys.get_entry_mut(key)
        };
        if access != Access::Write {
            if entry.is_some() {
                self.hits += 1;
            } else {
                self.misses += 1;
            }
        }
        let entry = entry?;
        if access != Access::Peek && self.clock.touch {
            let mut lru = entry.lru();
            self.clock.touch(&mut lru);
            entry.set_lru(lru);
        }
        Some(entry)
    }

    /// The entry at `key` as stored: no expiry check, no statistics, no touch (MEMORY USAGE,
    /// DEBUG OBJECT).
    pub fn peek(&self, key: &[u8]) -> Option<(&SmallBytes, &Entry)> {
        self.keys.get_entry(key)
    }

    /// Whether a live key exists, for a write.
    pub fn contains(&mut self, key: &[u8], now_ms: i64) -> bool {
        self.lookup_for(key, now_ms, Access::Write).is_some()
    }

    /// Whether a live key exists, counted as a read; `access` is [`Access::Read`] (TOUCH) or
    /// [`Access::Peek`] (EXISTS, TTL).
    pub fn contains_read(&mut self, key: &[u8], now_ms: i64, access: Access) -> bool {
        self.lookup_for(key, now_ms, access).is_some()
    }

    /// Stores `value` at `key`. The TTL is cleared unless `keep_ttl` (SET's KEEPTTL). A key
    /// whose TTL has passed expires first (counted and logged, as Redis's `setKey` looks the key
    /// up before writing), so the write creates the key anew.
    pub fn insert(&mut self, key: &[u8], value: Value, keep_ttl: bool) {
        self.save_before_change(key);
        if !self.expires.is_empty() {
            if keep_ttl {
                self.expire_if_needed(key, now_ms());
            } else if let Some((stored, at)) = self.expires.remove(key)
                && at < now_ms()
            {
                self.keys.remove(key);
                self.log_expired(stored);
            }
        }
        let lru = self.clock.initial();
        match self.keys.get_entry_mut(key) {
            // A new value gets a new access time; an LFU counter survives the overwrite.
            Some(entry) => {
                entry.value = value;
                if !self.clock.is_lfu() {
                    entry.set_lru(lru);
                }
            }
            None => {
                self.add_new(key, value, lru);
                if LOG_NEW_KEYS.get() {
                    self.new_log.push(SmallBytes::new(key));
                    NEW_PENDING.set(true);
                }
            }
        }
    }

    /// Deletes `key`; returns its value.
    pub fn remove(&mut self, key: &[u8]) -> Option<Value> {
        self.save_before_change(key);
        let (_, value) = self.keys.remove(key)?;
        if !self.expires.is_empty() {
            self.expires.remove(key);
        }
        Some(value)
    }

    /// Removes `key`, returning its value and expiry (RENAME, MOVE).
    pub fn take(&mut self, key: &[u8]) -> Option<(Value, Option<i64>)> {
        let expire = self.expire_at(key);
        self.remove(key).map(|value| (value, expire))
    }

    /// Makes room for `keys` keys of which `volatile` have a TTL (an RDB file's RESIZEDB, as
    /// Redis's `dictExpand` on both tables).
    pub fn reserve(&mut self, keys: usize, volatile: usize) {
        self.keys.reserve(keys);
        self.expires.reserve(volatile);
    }

    /// Adds a key read from an RDB file, with its expiry and the access clock the file gave it
    /// (else a new key's); one lookup, as Redis's `dictAdd`. Returns false, changing nothing,
    /// when the key exists.
    pub fn add_loaded(&mut self, key: &[u8], value: Value, expire: Option<i64>, lru: Option<u32>) -> bool {
        if self.keys.contains_key(key) {
            return false;
        }
        let lru = lru.unwrap_or_else(|| self.clock.initial());
        self.add_new(key, value, lru);
        if let Some(at) = expire {
            self.expires.insert(key, at);
        }
        true
    }

    /// Adds `key`, known to be absent, with access clock `lru`.
    fn add_new(&mut self, key: &[u8], value: Value, lru: u32) {
        let entry = self.keys.insert_new(SmallBytes::new(key), value);
        entry.set_lru(lru);
        // Created during a snapshot: not part of its image, so written already.
        entry.set_mark(self.epoch);
    }

    /// Stores `value` at `key` with the given expiry, replacing what was there.
    pub fn put(&mut self, key: &[u8], value: Value, expire: Option<i64>) {
        self.insert(key, value, false);
        if let Some(at) = expire {
            self.expires.insert(key, at);
        }
    }

    /// The absolute expiry of `key` in Unix milliseconds, if it has one.
    pub fn expire_at(&self, key: &[u8]) -> Option<i64> {
        self.expires.get(key).copied()
    }

    /// Sets the absolute expiry of an existing key; returns false when the key does not exist.
    pub fn set_expire(&mut self, key: &[u8], at_ms: i64) -> bool {
        if !self.keys.contains_key(key) {
            return false;
        }
        self.save_before_change(key);
        self.expires.insert(key, at_ms);
        true
    }

    /// Sets the access clock field of an existing key (RESTORE's IDLETIME and FREQ, RDB loading's
    /// hints; see [`AccessClock::restored`]); returns false when the key does not exist.
    pub fn set_lru(&mut self, key: &[u8], lru: u32) -> bool {
        self.keys.get_entry_mut(key).map(|entry| entry.set_lru(lru)).is_some()
    }

    /// Removes the TTL of `key`; returns whether it had one.
    pub fn persist(&mut self, key: &[u8]) -> bool {
        self.save_before_change(key);
        self.expires.remove(key).is_some()
    }

    /// Bytes the key table and the expiry table allocated, entries and buckets (MEMORY STATS
    /// overheads; keys' and values' own heap bytes excluded).
    pub fn table_sizes(&self) -> (usize, usize) {
        (self.keys.heap_size(), self.expires.heap_size())
    }

    /// The shapes of the key table and of the expiry table (DEBUG HTSTATS's two sections: the
    /// expiry times live in a dict of their own, as in Redis).
    pub fn table_stats(&self) -> [Vec<TableStats>; 2] {
        [self.keys.stats(), self.expires.stats()]
    }

    /// Calls `visit` with up to `count` random keys, their entries and expiry times, taken among
    /// keys with a TTL when `volatile` (eviction sampling; a key may come twice).
    pub fn sample(
        &self,
        rng: &mut fastrand::Rng,
        count: usize,
        volatile: bool,
        mut visit: impl FnMut(&SmallBytes, &Entry, Option<i64>),
    ) {
        for _ in 0..count {
            if volatile {
                let Some((key, at)) = self.expires.random_entry(rng) else { return };
                if let Some((_, entry)) = self.keys.get_entry(key.as_bytes()) {
                    visit(key, entry, Some(at.value));
                }
            } else {
                let Some((key, entry)) = self.keys.random_entry(rng) else { return };
                visit(key, entry, None);
            }
        }
    }

    /// Removes every key, returning the old tables so the caller may free them elsewhere
    /// (FLUSHDB ASYNC). During a snapshot the old tables stay with it and an empty database is
    /// returned.
    pub fn take_all(&mut self) -> Db {
        let (expired_keys, clock) = (self.expired_keys, self.clock);
        let mut old = std::mem::take(self);
        self.expired_keys = expired_keys;
        self.clock = clock;
        self.writes_paused = old.writes_paused;
        self.expired_log = std::mem::take(&mut old.expired_log);
        self.new_log = std::mem::take(&mut old.new_log);
        self.epoch = old.epoch;
        self.snapshot = old.snapshot.take();
        self.park_flushed(old)
    }

    /// One SCAN step over the keys (see [`Dict::scan`]).
    pub fn scan(&self, cursor: u64, visit: impl FnMut(&SmallBytes, &Entry)) -> u64 {
        self.keys.scan(cursor, visit)
    }

    /// Every key and entry.
    pub fn iter(&self) -> impl Iterator<Item = (&SmallBytes, &Entry)> {
        self.keys.entries()
    }

    /// A random key (RANDOMKEY), skipping ones whose TTL passed.
    pub fn random_key(&mut self, rng: &mut fastrand::Rng, now_ms: i64) -> Option<SmallBytes> {
        // Bounded retries: a database of only expired keys must not loop forever.
        for _ in 0..100 {
            let key = self.keys.random_entry(rng).map(|(k, _)| k.clone())?;
            if !self.expire_if_needed(key.as_bytes(), now_ms) {
                return Some(key);
            }
        }
        None
    }

    /// Walks up to `budget` volatile keys from where the last call stopped and removes the
    /// expired ones (the active expiry cycle's unit of work).
    pub fn active_expire(&mut self, now_ms: i64, budget: usize) -> ExpireRound {
        let mut round = ExpireRound::default();
        if self.expires.is_empty() {
            // Redis resets the estimate when no key has a TTL.
            self.avg_ttl = 0;
            return round;
        }
        let mut due = Vec::new();
        let (mut ttl_sum, mut ttl_samples) = (0i64, 0i64);
        while round.sampled < budget && !self.expires.is_empty() {
            self.expire_cursor = self.expires.scan(self.expire_cursor, |key, at| {
                let at = at.value;
                round.sampled += 1;
                if at < now_ms {
                    due.push(key.clone());
                } else {
                    ttl_sum = ttl_sum.saturating_add(at - now_ms);
                    ttl_samples += 1;
                }
            });
            if self.expire_cursor == 0 {
                break;
            }
        }
        if ttl_samples > 0 {
            // Redis's running average: 2% weight for this round's estimate.
            let avg = ttl_sum / ttl_samples;
            if self.avg_ttl == 0 {
                self.avg_ttl = avg;
            }
            self.avg_ttl = (self.avg_ttl / 50) * 49 + avg / 50;
        }
        for key in due {
            if self.remove(key.as_bytes()).is_some() {
                self.log_expired(key);
                round.expired += 1;
            }
        }
        round
    }

    /// Counts and logs a key removed by expiry.
    fn log_expired(&mut self, key: SmallBytes) {
        self.expired_keys += 1;
        self.expired_log.push(key);
        EXPIRED_PENDING.set(true);
    }

    /// Takes the keys removed by expiry since the last call, oldest first.
    pub fn take_expired(&mut self) -> Vec<SmallBytes> {
        std::mem::take(&mut self.expired_log)
    }

    /// Takes the keys created (while [`log_new_keys`] was on) since the last call, oldest first.
    pub fn take_new(&mut self) -> Vec<SmallBytes> {
        std::mem::take(&mut self.new_log)
    }

    /// Does `steps` units of incremental rehashing on both tables, starting a shrink where the
    /// tables became sparse; returns whether work remains.
    pub fn rehash(&mut self, steps: usize) -> bool {
        self.keys.shrink_if_needed();
        self.expires.shrink_if_needed();
        let a = self.keys.rehash(steps);
        let b = self.expires.rehash(steps);
        a || b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_and_the_commands_it_nests_see_one_clock() {
        let outer = CommandTime::fix();
        let first = now_ms();
        std::thread::sleep(std::time::Duration::from_millis(5));
        {
            let _inner = CommandTime::fix();
            assert_eq!(now_ms(), first);
        }
        assert_eq!(now_ms(), first, "the inner command must not end the outer snapshot");
        drop(outer);
        assert!(now_ms() >= first + 5);
    }

    fn s(v: &[u8]) -> Value {
        Value::String(StringValue::from_bytes(v))
    }

    fn get(db: &mut Db, key: &[u8], now: i64) -> Option<Vec<u8>> {
        db.lookup(key, now).map(|e| match &e.value {
            Value::String(v) => v.to_vec(),
            Value::Set(_) | Value::Hash(_) | Value::List(_) | Value::ZSet(_) | Value::Stream(_) => Vec::new(),
        })
    }

    #[test]
    fn lazy_expiry() {
        let mut db = Db::default();
        db.insert(b"k", s(b"v"), false);
        assert!(db.set_expire(b"k", 1000));
        assert!(!db.set_expire(b"missing", 1000));
        assert_eq!(get(&mut db, b"k", 999), Some(b"v".to_vec()));
        assert_eq!(db.expire_at(b"k"), Some(1000));
        // Live at its expiry time, gone one millisecond later (Redis's `now > when`).
        assert_eq!(get(&mut db, b"k", 1000), Some(b"v".to_vec()));
        assert_eq!(get(&mut db, b"k", 1001), None);
        assert_eq!(db.len(), 0);
        assert_eq!(db.volatile_len(), 0);
        assert_eq!(db.expired_keys, 1);
    }

    #[test]
    fn overwrite_clears_ttl_unless_kept() {
        let mut db = Db::default();
        let later = wall_clock_ms() + 100_000;
        db.insert(b"k", s(b"1"), false);
        db.set_expire(b"k", later);
        db.insert(b"k", s(b"2"), true);
        assert_eq!(db.expire_at(b"k"), Some(later));
        db.insert(b"k", s(b"3"), false);
        assert_eq!(db.expire_at(b"k"), None);
        assert!(!db.persist(b"k"));
    }

    #[test]
    fn created_keys_are_logged_only_when_asked() {
        let mut db = Db::default();
        db.insert(b"a", s(b"1"), false);
        assert!(!take_new_pending() && db.take_new().is_empty());
        log_new_keys(true);
        db.insert(b"a", s(b"2"), false);
        db.insert(b"b", s(b"1"), false);
        db.put(b"c", s(b"1"), Some(wall_clock_ms() + 100_000));
        db.insert(b"c", s(b"2"), true);
        assert!(take_new_pending() && !take_new_pending());
        let logged: Vec<SmallBytes> = db.take_new();
        assert_eq!(logged, [SmallBytes::new(b"b"), SmallBytes::new(b"c")]);
        log_new_keys(false);
        db.insert(b"d", s(b"1"), false);
        assert!(!take_new_pending() && db.take_new().is_empty());
    }

    #[test]
    fn writing_over_an_expired_key_expires_it_then_creates_it() {
        let mut db = Db::default();
        for keep_ttl in [false, true] {
            db.insert(b"k", s(b"1"), false);
            db.set_expire(b"k", 1);
            log_new_keys(true);
            db.insert(b"k", s(b"2"), keep_ttl);
            log_new_keys(false);
            assert!(take_expired_pending() && take_new_pending());
            assert_eq!(db.take_expired(), [SmallBytes::new(b"k")]);
            assert_eq!(db.take_new(), [SmallBytes::new(b"k")]);
            assert_eq!(db.expire_at(b"k"), None);
        }
        assert_eq!(db.expired_keys, 2);
    }

    #[test]
    fn active_expiry_collects_everything_due() {
        let mut db = Db::default();
        for i in 0..10_000 {
            let key = format!("k{i}");
            db.insert(key.as_bytes(), s(b"v"), false);
            db.set_expire(key.as_bytes(), if i % 2 == 0 { 100 } else { 1_000_000 });
        }
        let mut expired = 0;
        for _ in 0..1000 {
            expired += db.active_expire(500, 200).expired;
            if expired == 5000 {
                break;
            }
        }
        assert_eq!(expired, 5000);
        assert_eq!(db.len(), 5000);
        assert_eq!(db.volatile_len(), 5000);
    }

    #[test]
    fn adaptive_cycle_clears_a_mostly_expired_database() {
        let mut dbs = vec![Db::default(), Db::default()];
        for i in 0..50_000 {
            let key = format!("k{i}");
            dbs[1].insert(key.as_bytes(), s(b"v"), false);
            dbs[1].set_expire(key.as_bytes(), 10);
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let removed = active_expire_cycle(&mut dbs, 20, deadline);
        assert_eq!(removed, 50_000);
        assert!(dbs[1].is_empty());
    }

    #[test]
    fn random_key_skips_expired() {
        let mut db = Db::default();
        let mut rng = fastrand::Rng::with_seed(3);
        assert!(db.random_key(&mut rng, 0).is_none());
        db.insert(b"dead", s(b"v"), false);
        db.set_expire(b"dead", 1);
        db.insert(b"live", s(b"v"), false);
        for _ in 0..20 {
            assert_eq!(db.random_key(&mut rng, 10).as_ref().map(|k| k.as_bytes()), Some(&b"live"[..]));
        }
    }
}
