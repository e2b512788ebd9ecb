//! Transactions: the commands a client queues between MULTI and EXEC, and the registry of
//! WATCHed keys that a write invalidates.
//!
//! A client in MULTI owns a [`Transaction`] (in [`Client::multi`]) holding owned copies of the
//! queued arguments: the request buffer they came from is gone by EXEC time. EXEC runs each
//! queued command through [`super::call`], so every one is accounted exactly like a
//! command sent on its own (command stats, error stats, `dirty`).
//!
//! The [`Watches`] registry lives in [`ServerState`] so that any write can signal a modified key
//! with the server state alone ([`ServerState::signal_modified_key`], [`Ctx::changed`]). It
//! costs one emptiness check per write while nobody watches anything. As in Redis, a client is
//! marked dirty when a key it watches changes, and its watches are dropped at once (they can no
//! longer matter). A key that was live with a TTL when watched and whose TTL has passed by EXEC
//! also breaks the transaction (Redis 7.0's `isWatchedKeyExpired`); its recorded expiry is enough
//! to tell, since any other change to the key signals it.

use std::collections::HashMap;

use super::client::{Client, ClientId, ClientTable, ReplyMode};
use super::{Ctx, ServerState};
use crate::commands::{CommandId, Flags};
use crate::keyspace::{Db, now_ms};
use crate::protocol::Reply;

/// The reply to EXEC after a command was refused while queueing.
const EXECABORT: &str = "EXECABORT Transaction discarded because of previous errors.";
/// Bytes Redis accounts per watched key in `multi-mem` (a list node and a `watchedKey`).
const WATCHED_KEY_MEM: usize = 56;
/// Bytes Redis accounts per slot of its queued-command array in `multi-mem`.
const QUEUED_SLOT_MEM: usize = 24;
/// Bytes of one argument pointer, counted per queued argument in `multi-mem`.
const ARG_POINTER_MEM: usize = 8;

/// A command queued inside MULTI.
#[derive(Debug)]
struct Queued {
    id: CommandId,
    argv: Vec<Vec<u8>>,
}

/// The state of a client between MULTI and EXEC/DISCARD.
#[derive(Debug, Default)]
pub struct Transaction {
    queued: Vec<Queued>,
    /// A command was refused while queueing: EXEC answers EXECABORT.
    aborted: bool,
    /// Bytes of queued arguments plus their pointers, as Redis counts them for `multi-mem`.
    argv_mem: usize,
    /// Number of commands EXEC is running (the queue is moved out while they run; CLIENT LIST
    /// still shows the count, as Redis does until EXEC returns).
    running: usize,
    /// The flags of every queued command, as each was dispatched (a script's declared flags
    /// included; Redis's `mstate.cmd_flags`).
    flags: Flags,
    /// The flags some queued command lacks (Redis's `mstate.cmd_inv_flags`).
    lacking: Flags,
}

impl Transaction {
    /// Whether a queued command has one of `flags` (EXEC then counts as a write, may grow
    /// memory, or waits for a write pause, as Redis decides).
    pub fn queues(&self, flags: Flags) -> bool {
        self.flags.intersects(flags)
    }

    /// Whether a queued command lacks one of `flags` (EXEC is refused while loading when one is
    /// not flagged `loading`).
    pub fn queues_lacking(&self, flags: Flags) -> bool {
        self.lacking.intersects(flags)
    }

    /// Number of queued commands (CLIENT LIST `multi=`).
    pub fn len(&self) -> usize {
        self.queued.len().max(self.running)
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of queued arguments and their pointers (CLIENT LIST `multi-mem`).
    pub fn argv_memory(&self) -> usize {
        self.argv_mem
    }

    /// Bytes Redis accounts for the whole queue in a client's `tot-mem`.
    fn memory(&self) -> usize {
        let slots = match self.len() {
            0 => 0,
            // Redis allocates two slots first, then doubles.
            n => n.next_power_of_two().max(2),
        };
        self.argv_mem + slots * QUEUED_SLOT_MEM
    }
}

/// A key one client watches.
#[derive(Debug)]
struct Watched {
    db: usize,
    key: Vec<u8>,
    /// The key's expiry when it was watched, if it was live with a TTL.
    expires_at: Option<i64>,
    /// The key was there but past its TTL when watched: its lazy deletion is no change
    /// (Redis's `watchedKey.expired`).
    stale: bool,
}

/// What one client watches.
#[derive(Debug, Default)]
struct Watcher {
    keys: Vec<Watched>,
    /// A watched key changed (Redis's `CLIENT_DIRTY_CAS`): the next EXEC fails.
    dirty: bool,
}

/// Which clients watch which keys, in both directions.
#[derive(Debug, Default)]
pub struct Watches {
    /// Per database: key → the clients watching it.
    by_key: Vec<HashMap<Vec<u8>, Vec<ClientId>>>,
    /// Per client: its watched keys and dirty flag.
    by_client: HashMap<ClientId, Watcher>,
}

impl Watches {
    /// Whether no client watches anything or is dirty.
    fn is_empty(&self) -> bool {
        self.by_client.is_empty()
    }

    /// Adds `key` of database `db` to `client`'s watches, unless already there.
    fn watch(&mut self, client: ClientId, db: usize, key: &[u8], expires_at: Option<i64>, stale: bool) {
        let watcher = self.by_client.entry(client).or_default();
        if watcher.keys.iter().any(|w| w.db == db && w.key == key) {
            return;
        }
        watcher.keys.push(Watched { db, key: key.to_vec(), expires_at, stale });
        if self.by_key.len() <= db {
            self.by_key.resize_with(db + 1, HashMap::new);
        }
        self.by_key[db].entry(key.to_vec()).or_default().push(client);
    }

    /// How many keys `client` watches and whether one of them changed (CLIENT LIST).
    pub fn summary(&self, client: ClientId) -> (usize, bool) {
        (self.count(client), self.is_dirty(client))
    }

    /// Whether a key `client` watches changed.
    fn is_dirty(&self, client: ClientId) -> bool {
        self.by_client.get(&client).is_some_and(|w| w.dirty)
    }

    /// Number of keys `client` watches.
    fn count(&self, client: ClientId) -> usize {
        self.by_client.get(&client).map_or(0, |w| w.keys.len())
    }

    /// Whether a key `client` watched while it was live has reached its TTL.
    fn any_expired(&self, client: ClientId, now: i64) -> bool {
        self.by_client.get(&client).is_some_and(|w| w.keys.iter().any(|k| k.expires_at.is_some_and(|at| at < now)))
    }

    /// Forgets everything about `client`: its watches and its dirty flag (UNWATCH, EXEC,
    /// DISCARD, RESET, disconnection).
    fn release(&mut self, client: ClientId) {
        if let Some(watcher) = self.by_client.remove(&client) {
            self.unlink(client, &watcher.keys);
        }
    }

    /// Removes `client` from the per-key lists of `keys`.
    fn unlink(&mut self, client: ClientId, keys: &[Watched]) {
        for w in keys {
            let Some(map) = self.by_key.get_mut(w.db) else { continue };
            if let Some(clients) = map.get_mut(w.key.as_slice()) {
                clients.retain(|&c| c != client);
                if clients.is_empty() {
                    map.remove(w.key.as_slice());
                }
            }
        }
    }

    /// Marks `client` dirty and drops its watches: nothing else can change the outcome.
    fn make_dirty(&mut self, client: ClientId) {
        let Some(watcher) = self.by_client.get_mut(&client) else { return };
        watcher.dirty = true;
        let keys = std::mem::take(&mut watcher.keys);
        self.unlink(client, &keys);
    }

    /// A write changed `key` in database `db`; `present` tells whether the key is in the
    /// database now.
    /// A key that was already expired when watched and is now gone did not change.
    fn touch(&mut self, db: usize, key: &[u8], present: impl FnOnce() -> bool) {
        let Some(clients) = self.by_key.get_mut(db).and_then(|map| map.remove(key)) else { return };
        // Looked up only for a watched key: other writes pay nothing for it.
        let present = present();
        let mut unchanged = Vec::new();
        for client in clients {
            let watched =
                self.by_client.get_mut(&client).and_then(|w| w.keys.iter_mut().find(|k| k.db == db && k.key == key));
            if !present && watched.is_some_and(|k| std::mem::replace(&mut k.stale, false)) {
                unchanged.push(client);
            } else {
                self.make_dirty(client);
            }
        }
        if !unchanged.is_empty() {
            self.by_key[db].insert(key.to_vec(), unchanged);
        }
    }

    /// Database `emptied` is flushed, or swapped with `replaced_with`: every watched key of
    /// `emptied` that is live there, or live in the database taking its place, changes.
    fn touch_db(&mut self, dbs: &[Db], emptied: usize, replaced_with: Option<usize>, now: i64) {
        let Some(map) = self.by_key.get(emptied) else { return };
        let live = |db: Option<usize>, key: &[u8]| db.and_then(|i| dbs.get(i)).is_some_and(|d| d.is_live(key, now));
        let changed: Vec<ClientId> = map
            .iter()
            .filter(|(key, _)| live(Some(emptied), key) || live(replaced_with, key))
            .flat_map(|(_, clients)| clients.iter().copied())
            .collect();
        for client in changed {
            self.make_dirty(client);
        }
    }
}

impl ServerState {
    /// Tells WATCH that `key` in database `db` changed (Redis's `signalModifiedKey`), without
    /// counting a change in `dirty` (for the second key of one change, e.g. RENAME's source).
    pub fn signal_modified_key(&mut self, db: usize, key: &[u8]) {
        if !self.watches.is_empty() {
            let dbs = &self.dbs;
            self.watches.touch(db, key, || dbs.get(db).is_some_and(|d| d.holds(key)));
        }
        self.signal_ready_key(db, key);
    }

    /// Database `db` is about to be emptied (FLUSHDB, FLUSHALL): watched keys that exist change.
    pub fn signal_flushed_db(&mut self, db: usize) {
        if !self.watches.is_empty() {
            self.watches.touch_db(&self.dbs, db, None, now_ms());
        }
        // Waited-on keys are gone: an XREADGROUP waiting on a stream ends (Redis 7.0's
        // `scanDatabaseForDeletedStreams`); other waiters keep waiting.
        self.signal_ready_dbs(db, db);
    }

    /// Databases `a` and `b` are about to be swapped (SWAPDB): a watched key changes when it
    /// exists on either side.
    pub fn signal_swapped_dbs(&mut self, a: usize, b: usize) {
        if !self.watches.is_empty() {
            let now = now_ms();
            self.watches.touch_db(&self.dbs, a, Some(b), now);
            self.watches.touch_db(&self.dbs, b, Some(a), now);
        }
        self.signal_ready_dbs(a, b);
    }

    /// Drops a departing client's watches.
    pub(crate) fn release_watches(&mut self, client: ClientId) {
        self.watches.release(client);
    }
}

impl Ctx<'_> {
    /// MULTI.
    pub fn begin_transaction(&mut self) {
        if self.client.multi.is_some() {
            return self.out.error("ERR MULTI calls can not be nested");
        }
        self.client.multi = Some(Transaction::default());
        self.out.ok();
    }

    /// Leaves MULTI, dropping the queue and the watches (DISCARD, RESET). Returns whether the
    /// client was in MULTI.
    pub fn discard_transaction(&mut self) -> bool {
        self.server.watches.release(self.client.id);
        self.client.multi.take().is_some()
    }

    /// WATCH key [key ...].
    pub fn watch_keys(&mut self, keys: &[&[u8]]) {
        if self.client.multi.is_some() {
            return self.out.error("ERR WATCH inside MULTI is not allowed");
        }
        let id = self.client.id;
        // A dirty client's EXEC fails whatever else happens: no point watching more.
        if !self.server.watches.is_dirty(id) {
            let now = now_ms();
            let db = self.client.db;
            for key in keys {
                let store = &self.server.dbs[db];
                let live = store.is_live(key, now);
                let expires_at = if live { store.expire_at(key) } else { None };
                self.server.watches.watch(id, db, key, expires_at, !live && store.holds(key));
            }
        }
        self.out.ok();
    }

    /// UNWATCH.
    pub fn unwatch_keys(&mut self) {
        self.server.watches.release(self.client.id);
        self.out.ok();
    }

    /// EXEC: runs the queued commands, or fails as a whole if one was refused while queueing
    /// (EXECABORT) or a watched key changed (null array).
    pub fn exec_transaction(&mut self) {
        let Some(tx) = self.client.multi.as_mut() else {
            return self.out.error("ERR EXEC without MULTI");
        };
        let id = self.client.id;
        let broken = self.server.watches.is_dirty(id) || self.server.watches.any_expired(id, now_ms());
        self.server.watches.release(id);
        if tx.aborted {
            self.client.multi = None;
            return self.out.error(EXECABORT);
        }
        if broken {
            self.client.multi = None;
            return self.out.null_array();
        }
        let queued = std::mem::take(&mut tx.queued);
        tx.running = queued.len();
        // A client with replies off hears nothing of the transaction, header included.
        let reply_start = self.out.len();
        self.out.array(queued.len());
        if self.client.reply_mode == ReplyMode::Off {
            self.out.truncate(reply_start);
        }
        let mut argv: Vec<&[u8]> = Vec::new();
        let mut clock = super::call::CallClock::start();
        for q in &queued {
            argv.clear();
            argv.extend(q.argv.iter().map(Vec::as_slice));
            run_queued(self.server, self.client, self.clients, self.out, q.id, &argv, &mut clock);
        }
        self.client.multi = None;
    }
}

/// Runs one queued command as EXEC's part, with the accounting of a command on its own: its
/// errors are counted now, so they neither mark EXEC failed nor the next command.
fn run_queued(
    server: &mut ServerState,
    client: &mut Client,
    clients: &mut ClientTable,
    out: &mut Reply,
    id: CommandId,
    argv: &[&[u8]],
    clock: &mut super::call::CallClock,
) {
    let start = out.len();
    super::call::call(server, client, clients, out, argv, id, clock, super::call::Source::Client);
    let errors = out.take_errors();
    if !errors.is_empty() {
        server.stats.record_errors(errors);
    }
    // A queued CLIENT REPLY OFF silences the rest of the transaction, as in Redis.
    if client.reply_mode == ReplyMode::Off {
        out.truncate(start);
    }
}

/// Whether a command runs at once inside MULTI instead of being queued (Redis's list in
/// `processCommand`).
pub(crate) fn runs_inside_multi(fullname: &str) -> bool {
    matches!(fullname, "exec" | "discard" | "multi" | "watch" | "quit" | "reset")
}

/// Queues an accepted command inside MULTI and answers `+QUEUED`; `flags` are the command's as
/// dispatched. A transaction already bound to fail keeps nothing (as Redis, which spares the
/// memory).
pub(crate) fn queue(
    server: &ServerState,
    client: &mut Client,
    out: &mut Reply,
    argv: &[&[u8]],
    id: CommandId,
    flags: Flags,
) {
    let dirty = server.watches.is_dirty(client.id);
    if let Some(tx) = client.multi.as_mut().filter(|tx| !tx.aborted && !dirty) {
        tx.flags = tx.flags.union(flags);
        tx.lacking = tx.lacking.union(flags.complement());
        tx.argv_mem += argv.iter().map(|a| a.len() + ARG_POINTER_MEM).sum::<usize>();
        tx.queued.push(Queued { id, argv: argv.iter().map(|a| a.to_vec()).collect() });
    }
    out.simple("QUEUED");
}

/// A command was refused before running: inside MULTI the transaction will fail at EXEC.
pub(crate) fn flag_refused(client: &mut Client) {
    if let Some(tx) = client.multi.as_mut() {
        tx.aborted = true;
    }
}

/// Writes the error for a refused command. EXEC refused (wrong arity, authentication) also ends
/// the transaction and says so (Redis's `execCommandAbort`).
pub(crate) fn refusal(server: &mut ServerState, client: &mut Client, out: &mut Reply, fullname: &str, msg: &str) {
    if fullname != "exec" {
        return out.error(msg);
    }
    server.watches.release(client.id);
    client.multi = None;
    let reason = msg.strip_prefix("ERR ").unwrap_or(msg);
    out.error(&format!("EXECABORT Transaction discarded because of: {reason}"));
}

impl Client {
    /// Bytes Redis adds to a client's `tot-mem` (CLIENT LIST) for its queue and its `watched`
    /// keys.
    pub fn multi_memory(&self, watched: usize) -> usize {
        self.multi.as_ref().map_or(0, Transaction::memory) + watched * WATCHED_KEY_MEM
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touch_marks_every_watcher_and_drops_their_watches() {
        let mut w = Watches::default();
        w.watch(1, 0, b"k", None, false);
        w.watch(1, 0, b"k", None, false);
        w.watch(1, 2, b"other", None, false);
        w.watch(2, 0, b"k", None, false);
        assert_eq!(w.count(1), 2);
        w.touch(0, b"missing", || true);
        w.touch(1, b"k", || true);
        assert!(!w.is_dirty(1));
        w.touch(0, b"k", || true);
        assert!(w.is_dirty(1) && w.is_dirty(2));
        assert_eq!(w.count(1), 0);
        assert!(w.by_key.iter().all(HashMap::is_empty));
        w.release(1);
        w.release(2);
        assert!(w.is_empty());
    }

    #[test]
    fn a_key_expired_when_watched_changes_only_if_it_comes_back() {
        let mut w = Watches::default();
        w.watch(1, 0, b"k", None, true);
        w.touch(0, b"k", || false);
        assert!(!w.is_dirty(1) && w.count(1) == 1);
        w.touch(0, b"k", || true);
        assert!(w.is_dirty(1));
    }

    #[test]
    fn expiry_recorded_at_watch_time() {
        let mut w = Watches::default();
        w.watch(1, 0, b"k", Some(100), false);
        assert!(!w.any_expired(1, 100));
        assert!(w.any_expired(1, 101));
    }

    #[test]
    fn queue_memory_follows_redis_growth() {
        let mut tx = Transaction::default();
        assert_eq!(tx.memory(), 0);
        tx.queued.push(Queued { id: 0, argv: vec![] });
        assert_eq!(tx.memory(), 2 * QUEUED_SLOT_MEM);
        tx.queued.extend((0..2).map(|_| Queued { id: 0, argv: vec![] }));
        assert_eq!(tx.memory(), 4 * QUEUED_SLOT_MEM);
    }
}
