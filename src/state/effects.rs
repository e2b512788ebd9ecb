//! What commands change, as data: keyspace events, the commands to propagate, and the
//! propagation stream they end up in.
//!
//! A handler reports each change once through [`Ctx::changed`] (WATCH and blocked clients are
//! signalled, the keyspace event fires, `dirty` counts it), may add events with [`Ctx::notify`],
//! and may replace or extend what is propagated for it ([`Ctx::propagate_as`],
//! [`Ctx::also_propagate`], [`Ctx::prevent_propagation`]). The server's own deletions (lazy and
//! active expiry, eviction) go through [`removed_by_server`] the same way.
//!
//! [`super::call`] collects, for the outermost command (EXEC counts as one), the list of
//! operations to propagate: deletions by expiry as they happen, what the handler added, then the
//! command itself (or its replacement) when it changed the dataset. When the outermost command
//! returns, the list goes to the [`PropagationLog`]: wrapped in MULTI/EXEC when it holds more
//! than one operation, with SELECT inserted whenever the database changes, exactly as Redis
//! 7.0's `propagatePendingCommands` feeds its AOF and replicas.

use super::client::{Client, ClientTable};
use super::{Ctx, ServerState};
use crate::config::{NotifyFlags, OutputLimits};
use crate::protocol::Reply;

/// One command to propagate, in the database it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Op {
    db: usize,
    argv: Vec<Vec<u8>>,
}

/// Propagation state of the running command (saved and restored around nested calls).
#[derive(Debug, Default)]
pub(crate) struct CommandPropagation {
    /// What to propagate instead of the command's own arguments.
    replacement: Option<Vec<Vec<u8>>>,
    /// The command itself is not propagated (what it added with `also_propagate` still is).
    prevented: bool,
}

/// The effects collected while the outermost command runs.
#[derive(Debug, Default)]
pub struct Effects {
    /// Operations to propagate when the outermost command returns.
    ops: Vec<Op>,
    /// The running command's own propagation choices.
    current: CommandPropagation,
    /// How deep the running command is nested (EXEC's queued commands are 2).
    pub(crate) depth: u32,
}

impl Effects {
    /// Starts a command: its propagation choices start empty; returns the outer command's.
    pub(crate) fn enter(&mut self) -> CommandPropagation {
        self.depth += 1;
        std::mem::take(&mut self.current)
    }

    /// Ends a command: restores the outer command's choices and returns this one's.
    pub(crate) fn leave(&mut self, outer: CommandPropagation) -> CommandPropagation {
        self.depth -= 1;
        std::mem::replace(&mut self.current, outer)
    }

    /// Number of operations queued so far (a script notes it before each command it runs).
    pub(crate) fn queued(&self) -> usize {
        self.ops.len()
    }

    /// Drops the operations queued after the first `len` (a script's command run under
    /// `redis.set_repl(redis.REPL_NONE)`).
    pub(crate) fn unqueue_after(&mut self, len: usize) {
        self.ops.truncate(len);
    }

    /// Queues `argv` for propagation in database `db`.
    fn push(&mut self, db: usize, argv: Vec<Vec<u8>>) {
        self.ops.push(Op { db, argv });
    }
}

impl CommandPropagation {
    /// What the finished command propagates itself: its replacement, or `argv` when it changed
    /// the dataset; nothing when it prevented propagation.
    pub(crate) fn own_form(self, argv: &[&[u8]], changed_dataset: bool) -> Option<Vec<Vec<u8>>> {
        if self.prevented {
            return None;
        }
        match self.replacement {
            Some(replacement) => Some(replacement),
            None if changed_dataset => Some(argv.iter().map(|a| a.to_vec()).collect()),
            None => None,
        }
    }
}

/// The largest buffer the propagation stream takes back from its consumer.
const RECYCLED_BUFFER_BYTES: usize = 1 << 20;

/// The ordered stream of propagated commands, RESP-encoded, with its running offset: what the
/// AOF and replicas consume. It is only kept while something consumes it (Redis propagates
/// nothing when it has neither), so a server without consumers pays nothing per write.
#[derive(Debug, Default)]
pub struct PropagationLog {
    enabled: bool,
    /// Encoded commands not yet taken by the consumer (RESP2).
    buf: Reply,
    /// Bytes ever appended (the replication offset of the stream's end).
    offset: u64,
    /// The database the stream last selected.
    selected_db: Option<usize>,
}

impl PropagationLog {
    /// Starts keeping the stream (a consumer attached). The first command selects its database.
    pub fn enable(&mut self) {
        self.enabled = true;
        self.selected_db = None;
    }

    /// Stops keeping the stream (its last consumer left); what was not taken is dropped.
    pub fn disable(&mut self) {
        self.enabled = false;
        self.buf = Reply::default();
    }

    /// The next command selects its database again (a consumer starts a new file).
    pub fn reselect(&mut self) {
        self.selected_db = None;
    }

    /// Whether the stream is kept.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The offset of the stream's end: bytes ever appended.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Takes the bytes appended since the last call.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf).into_bytes()
    }

    /// Takes back a buffer [`Self::take`] gave, emptied by its consumer, so that the next
    /// batch does not grow a new one from nothing (a big one is let go instead).
    pub fn recycle(&mut self, spare: Vec<u8>) {
        if self.buf.is_empty() && spare.is_empty() && spare.capacity() <= RECYCLED_BUFFER_BYTES {
            self.buf = Reply::from_buffer(spare);
        }
    }

    /// Appends one command in database `db` (`None` for MULTI/EXEC, which need no SELECT).
    fn append(&mut self, db: Option<usize>, argv: &[Vec<u8>]) {
        if let Some(db) = db.filter(|&d| self.selected_db != Some(d)) {
            self.encode(&[b"SELECT".to_vec(), db.to_string().into_bytes()]);
            self.selected_db = Some(db);
        }
        self.encode(argv);
    }

    fn encode(&mut self, argv: &[Vec<u8>]) {
        let start = self.buf.len();
        self.buf.array(argv.len());
        for a in argv {
            self.buf.bulk(a);
        }
        self.offset += (self.buf.len() - start) as u64;
    }

    /// Feeds the operations of one finished outermost command (Redis's
    /// `propagatePendingCommands`): several are wrapped in MULTI/EXEC, unless the command may
    /// touch arbitrary keys (SCAN, RANDOMKEY expiring keys as they go).
    fn feed(&mut self, ops: &[Op], wrap: bool) {
        let transaction = wrap && ops.len() > 1;
        if transaction {
            // MULTI takes the first operation's database, so SELECT comes before it.
            self.append(Some(ops[0].db), &[b"MULTI".to_vec()]);
        }
        for op in ops {
            self.append(Some(op.db), &op.argv);
        }
        if transaction {
            self.append(None, &[b"EXEC".to_vec()]);
        }
    }
}

impl ServerState {
    /// After the outermost command: hands its operations to the propagation stream.
    pub(crate) fn flush_propagation(&mut self, wrap: bool) {
        if self.effects.ops.is_empty() {
            return;
        }
        let ops = std::mem::take(&mut self.effects.ops);
        self.propagation.feed(&ops, wrap);
    }

    /// Queues `argv` for propagation in database `db`, if anything consumes the stream.
    pub(crate) fn propagate(&mut self, db: usize, argv: Vec<Vec<u8>>) {
        if self.propagation.is_enabled() {
            self.effects.push(db, argv);
        }
    }
}

/// Who receives pushed output: every client in the table, plus the calling one (taken out of
/// the table while it runs) whose output goes to its reply buffer, so pushes to itself stay in
/// order with its replies.
pub struct Recipients<'a> {
    /// Every client but the caller.
    pub clients: &'a mut ClientTable,
    /// The running command's client and its reply buffer, if a client is running one.
    pub caller: Option<(&'a mut Client, &'a mut Reply)>,
    /// Output limits: a recipient pushed past its class's limit is closed.
    pub limits: OutputLimits,
}

impl Recipients<'_> {
    /// Writes output for client `id` with its protocol; returns whether the client exists.
    pub fn send(&mut self, id: super::ClientId, write: impl FnOnce(&mut Reply)) -> bool {
        if let Some((client, out)) = self.caller.as_mut().filter(|(c, _)| c.id == id) {
            // The caller's output is checked against its limit after its command.
            push_to_caller(client, out, write);
            return true;
        }
        match self.clients.get_mut(id) {
            Some(client) if !client.close_asap => {
                client.deliver(write);
                client.enforce_output_limit(&self.limits, 0);
                true
            }
            // A client being closed still counts as a receiver, as in Redis until it is freed.
            Some(_) => true,
            None => false,
        }
    }
}

/// Writes a push for the running command's own client: into its replies, in order, unless
/// CLIENT REPLY OFF/SKIP silences them, which never silences pushes (Redis's CLIENT_PUSHING):
/// those go to its pending output.
pub(crate) fn push_to_caller(client: &mut Client, out: &mut Reply, write: impl FnOnce(&mut Reply)) {
    if matches!(client.reply_mode, super::ReplyMode::On) {
        write(out);
    } else {
        client.deliver(write);
    }
}

/// Why the server removed a key on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Its TTL passed (lazy or active expiry).
    Expired,
    /// `maxmemory` evicted it.
    Evicted,
}

/// A key the server removed by itself: WATCH and tracking learn it changed, the `expired` or
/// `evicted` event fires, and a DEL is propagated (Redis's `deleteExpiredKeyAndPropagate` and
/// `performEvictions`).
pub(crate) fn removed_by_server(
    server: &mut ServerState,
    to: &mut Recipients<'_>,
    db: usize,
    key: &[u8],
    why: Removal,
) {
    let (class, event) = match why {
        Removal::Expired => (NotifyFlags::EXPIRED, "expired"),
        Removal::Evicted => (NotifyFlags::EVICTED, "evicted"),
    };
    // Redis fires the event first for expiry, and signals first for eviction; neither order is
    // visible to a client, since both finish before any reply is written.
    server.notify_keyspace_event(to, class, event, key, db);
    server.key_signal(to, db, key);
    server.propagate(db, vec![b"DEL".to_vec(), key.to_vec()]);
}

/// Reports every key expiry removed since the last call (lazily, in lookups, or by the active
/// cycle), database by database, then the keys created since (see [`report_new`]).
pub(crate) fn report_expired(server: &mut ServerState, to: &mut Recipients<'_>) {
    if crate::keyspace::take_expired_pending() {
        for db in 0..server.dbs.len() {
            let keys = server.dbs[db].take_expired();
            for key in keys {
                removed_by_server(server, to, db, key.as_bytes(), Removal::Expired);
            }
        }
    }
    report_new(server, to);
}

/// Fires the `new` event for each key created since the last call (Redis's `dbAdd` fires it
/// before the creating command's own event, which drains this first through
/// [`Ctx::notify_in`]). Also keeps `Db::insert` logging created keys exactly while
/// `notify-keyspace-events` has `n`: this runs after every command and cron tick, so the
/// setting is current before any command a subscriber could observe (subscribing is one).
fn report_new(server: &mut ServerState, to: &mut Recipients<'_>) {
    crate::keyspace::log_new_keys(server.config.notify_keyspace_events.intersects(NotifyFlags::NEW));
    if !crate::keyspace::take_new_pending() {
        return;
    }
    for db in 0..server.dbs.len() {
        for key in server.dbs[db].take_new() {
            server.notify_keyspace_event(to, NotifyFlags::NEW, "new", key.as_bytes(), db);
        }
    }
}

/// Reports the keys eviction removed since the last call, and propagates their deletions at
/// once, never wrapped in MULTI/EXEC (Redis's performEvictions).
pub(crate) fn report_evicted(server: &mut ServerState, to: &mut Recipients<'_>) {
    if server.memory.evictor.just_evicted.is_empty() {
        return;
    }
    for (db, key) in std::mem::take(&mut server.memory.evictor.just_evicted) {
        removed_by_server(server, to, db, key.as_bytes(), Removal::Evicted);
    }
    server.flush_propagation(false);
}

impl ServerState {
    /// `key` in database `db` changed (Redis's `signalModifiedKey`): WATCH, blocked clients and
    /// client-side caching learn it. The running command's client, if any, is the writer.
    pub(crate) fn key_signal(&mut self, to: &mut Recipients<'_>, db: usize, key: &[u8]) {
        self.signal_modified_key(db, key);
        if self.tracking.is_active() {
            let writer = to.caller.as_ref().map(|(c, _)| c.id);
            self.tracking.invalidate(to, writer, key);
        }
    }

    /// Publishes a keyspace event for `key` in database `db` if `notify-keyspace-events` enables
    /// its class: on `__keyspace@<db>__:<key>` (K) with the event as message, and on
    /// `__keyevent@<db>__:<event>` (E) with the key as message (Redis's `notifyKeyspaceEvent`).
    pub(crate) fn notify_keyspace_event(
        &mut self,
        to: &mut Recipients<'_>,
        class: NotifyFlags,
        event: &str,
        key: &[u8],
        db: usize,
    ) {
        let flags = self.config.notify_keyspace_events;
        if !flags.intersects(class) {
            return;
        }
        if flags.intersects(NotifyFlags::KEYSPACE) {
            let mut channel = format!("__keyspace@{db}__:").into_bytes();
            channel.extend_from_slice(key);
            self.pubsub.publish(to, &channel, event.as_bytes());
        }
        if flags.intersects(NotifyFlags::KEYEVENT) {
            let channel = format!("__keyevent@{db}__:{event}").into_bytes();
            self.pubsub.publish(to, &channel, key);
        }
    }
}

impl Ctx<'_> {
    /// The calling client, its reply buffer and every other client, as recipients of pushes.
    pub fn recipients(&mut self) -> (&mut ServerState, Recipients<'_>) {
        let limits = self.server.config.client_output_limits;
        (self.server, Recipients { clients: self.clients, caller: Some((self.client, self.out)), limits })
    }

    /// A write changed `key` in the caller's database: WATCH, blocked clients and (later)
    /// client-side caching are told, the keyspace event `event` of class `class` fires, and
    /// `dirty` counts one change (Redis's signalModifiedKey, notifyKeyspaceEvent, dirty++).
    /// Call it once per key actually modified, never for a no-op.
    pub fn changed(&mut self, key: &[u8], class: NotifyFlags, event: &str) {
        let db = self.client.db;
        self.signal_modified(db, key);
        self.notify_in(db, class, event, key);
        self.server.dirty += 1;
    }

    /// `key` in database `db` changed, with no event and no change counted (the other key of a
    /// change reported with [`Ctx::changed`], such as RENAME's source): WATCH, blocked clients
    /// and client-side caching learn it.
    pub fn signal_modified(&mut self, db: usize, key: &[u8]) {
        let (server, mut to) = self.recipients();
        server.key_signal(&mut to, db, key);
    }

    /// FLUSHDB/FLUSHALL emptied databases: every client-side cache is invalidated.
    pub fn flushed(&mut self) {
        // The table empties even with no tracking client left (it may still hold their keys).
        let (server, mut to) = self.recipients();
        let writer = to.caller.as_ref().map(|(c, _)| c.id);
        server.tracking.invalidate_all(&mut to, writer);
    }

    /// Fires keyspace event `event` of class `class` for `key` in the caller's database, with
    /// no other effect (a command's second event, such as `expire` after `set`).
    pub fn notify(&mut self, class: NotifyFlags, event: &str, key: &[u8]) {
        let db = self.client.db;
        self.notify_in(db, class, event, key);
    }

    /// Fires keyspace event `event` for `key` in database `db` (MOVE, COPY … DB, SWAPDB).
    pub fn notify_in(&mut self, db: usize, class: NotifyFlags, event: &str, key: &[u8]) {
        if !self.server.config.notify_keyspace_events.intersects(class) {
            return;
        }
        // Keys expired by this command's lookups report their events first, as they happened.
        let (server, mut to) = self.recipients();
        report_expired(server, &mut to);
        server.notify_keyspace_event(&mut to, class, event, key, db);
    }

    /// Counts `n` more changes in `dirty` than [`Ctx::changed`] did (HSET of several fields).
    pub fn add_dirty(&mut self, n: u64) {
        self.server.dirty += n;
    }

    /// Propagates `argv` instead of the command's own arguments (EXPIRE → PEXPIREAT, SETEX →
    /// SET … PXAT): the deterministic form a replica or an AOF replay must run.
    pub fn propagate_as(&mut self, argv: &[&[u8]]) {
        if self.server.propagation.is_enabled() {
            self.server.effects.current.replacement = Some(argv.iter().map(|a| a.to_vec()).collect());
        }
    }

    /// Propagates `argv` in the caller's database in addition to (before) the command itself.
    pub fn also_propagate(&mut self, argv: &[&[u8]]) {
        if self.server.propagation.is_enabled() {
            let db = self.client.db;
            self.server.effects.push(db, argv.iter().map(|a| a.to_vec()).collect());
        }
    }

    /// The command itself is not propagated (SPOP with a count propagates SREMs instead).
    pub fn prevent_propagation(&mut self) {
        self.server.effects.current.prevented = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(list: &[(usize, &[&str])]) -> Vec<Op> {
        list.iter()
            .map(|(db, argv)| Op { db: *db, argv: argv.iter().map(|a| a.as_bytes().to_vec()).collect() })
            .collect()
    }

    #[test]
    fn select_before_the_first_command_and_on_database_changes() {
        let mut log = PropagationLog::default();
        log.enable();
        log.feed(&ops(&[(0, &["SET", "a", "1"])]), true);
        log.feed(&ops(&[(0, &["DEL", "a"])]), true);
        log.feed(&ops(&[(2, &["DEL", "b"])]), true);
        let text = String::from_utf8(log.take()).expect("utf8");
        assert_eq!(
            text,
            "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\nDEL\r\n$1\r\na\r\n\
             *2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n*2\r\n$3\r\nDEL\r\n$1\r\nb\r\n"
        );
        assert_eq!(log.offset() as usize, text.len());
        assert!(log.take().is_empty());
    }

    #[test]
    fn several_operations_are_wrapped_unless_told_not_to() {
        let mut log = PropagationLog::default();
        log.enable();
        log.feed(&ops(&[(1, &["DEL", "x"]), (1, &["SET", "x", "2"])]), true);
        let text = String::from_utf8(log.take()).expect("utf8");
        assert!(text.starts_with("*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n*1\r\n$5\r\nMULTI\r\n"), "{text}");
        assert!(text.ends_with("*1\r\n$4\r\nEXEC\r\n"), "{text}");
        log.feed(&ops(&[(1, &["DEL", "y"]), (1, &["DEL", "z"])]), false);
        let text = String::from_utf8(log.take()).expect("utf8");
        assert!(!text.contains("MULTI"), "{text}");
    }
}
