//! Blocking commands (BLPOP and friends): clients waiting for keys, served in the order they
//! blocked.
//!
//! A blocking command first tries to serve itself like its non-blocking twin. When there is
//! nothing to pop it calls [`Ctx::block`], which parks the client: its arguments are kept, the
//! client is queued on each of its keys, and whatever it sends meanwhile is deferred (Redis keeps
//! it in the query buffer). Any write that signals a key ([`ServerState::signal_modified_key`])
//! marks a waited-on key ready. After the command that made keys ready returns (EXEC counts as
//! one command, so pushes inside a transaction wake clients after it), [`serve_ready_keys`] re-runs
//! each waiting client's command, first blocked first. A re-run that still finds nothing calls
//! [`Ctx::block`] again, which leaves the client where it was in the queues; one that replies
//! unblocks the client, and its reply is handed to the connection task with
//! [`super::ClientEvent::Output`]. Serving one client may make more keys ready (BLMOVE pushes), so this
//! repeats until no key is ready.
//!
//! Re-running the command rather than popping on the client's behalf is Redis 7.2's design: a
//! client blocked on several keys is served by its command's own key order, and one code path
//! does the popping. Redis 7.0 instead served it from the key that became ready first; the two
//! differ only when several of a client's keys become ready in one transaction.
//!
//! Timeouts are kept by each blocked client's connection task, which sleeps until the deadline
//! and then asks the executor to time the client out (`Executor::time_out`), so a
//! timeout fires within a millisecond or so instead of at the next cron tick.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::client::{Client, ClientId, ClientTable};
use super::{Ctx, ServerState};
use crate::commands::{CommandId, Lookup};
use crate::protocol::Reply;
use crate::types::long_double::LongDouble;

/// What a blocking command replies when its timeout passes (or CLIENT UNBLOCK … TIMEOUT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnTimeout {
    /// A null array (BLPOP, BRPOP, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP).
    NullArray,
    /// A null bulk string (BLMOVE, BRPOPLPUSH).
    NullBulk,
}

impl OnTimeout {
    /// Writes the timeout reply.
    fn write(self, out: &mut Reply) {
        match self {
            OnTimeout::NullArray => out.null_array(),
            OnTimeout::NullBulk => out.null(),
        }
    }
}

/// Why a blocked client stops waiting without being served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unblock {
    /// Its timeout passed, or CLIENT UNBLOCK … TIMEOUT.
    Timeout,
    /// CLIENT UNBLOCK … ERROR.
    Error,
}

/// The error a client unblocked by CLIENT UNBLOCK … ERROR receives.
const UNBLOCKED_ERROR: &str = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

/// What a blocked client waits for.
#[derive(Debug)]
pub struct BlockedOn {
    /// The database of its keys (a blocked client cannot SELECT another).
    db: usize,
    /// Its keys, without repeats.
    keys: Vec<Vec<u8>>,
    /// When it times out; `None` waits forever.
    pub deadline: Option<Instant>,
    /// The type its keys must hold to serve it (TYPE's name): a key made of another type does
    /// not wake it, as in Redis 7.0.
    type_name: &'static str,
    /// The command to re-run when a key becomes ready.
    command: CommandId,
    argv: Vec<Vec<u8>>,
    on_timeout: OnTimeout,
}

/// Which clients wait for which keys, and the keys made ready by the current command.
#[derive(Debug, Default)]
pub struct Blocking {
    /// Per database: key → blocked clients, first blocked first. Looked up by the written key's
    /// bytes, so a write allocates nothing unless someone waits for that very key.
    waiting: Vec<HashMap<Vec<u8>, VecDeque<ClientId>>>,
    /// Keys with waiters that a write touched, in the order they were touched, each once (a
    /// command touches few keys, so a linear check is enough).
    ready: Vec<(usize, Vec<u8>)>,
    /// Number of blocked clients (INFO `blocked_clients`).
    blocked: usize,
    /// Number of blocked clients with a timeout (INFO `clients_in_timeout_table`).
    with_timeout: usize,
    /// Set by [`Ctx::block`] when a re-run command still has nothing to serve.
    still_waiting: bool,
}

impl Blocking {
    /// Number of blocked clients (INFO `blocked_clients`).
    pub fn blocked_clients(&self) -> usize {
        self.blocked
    }

    /// Number of blocked clients that will time out (INFO `clients_in_timeout_table`).
    pub fn clients_with_timeout(&self) -> usize {
        self.with_timeout
    }

    /// Whether the command just re-run for a blocked client still has nothing to serve.
    pub(crate) fn still_waiting(&self) -> bool {
        self.still_waiting
    }

    /// A write touched `key` of database `db`: if anyone waits for it, it is ready.
    fn signal(&mut self, db: usize, key: &[u8]) {
        if self.blocked == 0 || self.queue(db, key).is_none() {
            return;
        }
        if !self.ready.iter().any(|(d, k)| *d == db && k == key) {
            self.ready.push((db, key.to_vec()));
        }
    }

    /// The clients waiting for `key` of database `db`.
    fn queue(&self, db: usize, key: &[u8]) -> Option<&VecDeque<ClientId>> {
        self.waiting.get(db).and_then(|keys| keys.get(key))
    }

    /// Every waited-on key of databases `a` and `b` may have changed (SWAPDB).
    fn signal_dbs(&mut self, a: usize, b: usize) {
        for db in [a, b] {
            let keys: Vec<Vec<u8>> =
                self.waiting.get(db).map(|keys| keys.keys().cloned().collect()).unwrap_or_default();
            for key in keys {
                self.signal(db, &key);
            }
        }
    }

    /// Queues `client` on its keys.
    fn enqueue(&mut self, client: ClientId, on: &BlockedOn) {
        if self.waiting.len() <= on.db {
            self.waiting.resize_with(on.db + 1, HashMap::new);
        }
        for key in &on.keys {
            self.waiting[on.db].entry(key.clone()).or_default().push_back(client);
        }
        self.blocked += 1;
        self.with_timeout += usize::from(on.deadline.is_some());
    }

    /// Removes `client` from the queues of its keys.
    fn dequeue(&mut self, client: ClientId, on: &BlockedOn) {
        if let Some(keys) = self.waiting.get_mut(on.db) {
            for key in &on.keys {
                if let Some(queue) = keys.get_mut(key) {
                    queue.retain(|&c| c != client);
                    if queue.is_empty() {
                        keys.remove(key);
                    }
                }
            }
        }
        self.blocked -= 1;
        self.with_timeout -= usize::from(on.deadline.is_some());
    }

    /// Takes the keys made ready so far.
    fn take_ready(&mut self) -> Vec<(usize, Vec<u8>)> {
        std::mem::take(&mut self.ready)
    }
}

/// A blocking command's timeout argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockTimeout(Option<Duration>);

impl BlockTimeout {
    /// Parses a timeout in seconds as Redis 7.0 does: a `long double` (decimals, hex, exponents)
    /// rounded up to whole milliseconds, so 0.0001 waits 1 ms and only 0 (or a negative value
    /// above -0.001, which rounds up to 0) waits forever. Values whose milliseconds overflow
    /// convert like x87 (to the most negative integer) and so are "negative", as `inf` is.
    pub fn parse(arg: &[u8]) -> Result<Self, &'static str> {
        let Some(seconds) = LongDouble::parse(arg) else {
            return Err("ERR timeout is not a float or out of range");
        };
        let millis = seconds.scaled_ceil(1000).unwrap_or(i64::MIN);
        match u64::try_from(millis) {
            Err(_) => Err("ERR timeout is negative"),
            Ok(0) => Ok(BlockTimeout(None)),
            Ok(ms) => Ok(BlockTimeout(Some(Duration::from_millis(ms)))),
        }
    }
}

impl ServerState {
    /// Keys waited on by blocked clients that a write touched (see [`Blocking`]).
    pub(crate) fn signal_ready_key(&mut self, db: usize, key: &[u8]) {
        self.blocking.signal(db, key);
    }

    /// SWAPDB: keys waited on in either database may now exist.
    pub(crate) fn signal_ready_dbs(&mut self, a: usize, b: usize) {
        self.blocking.signal_dbs(a, b);
    }
}

impl Ctx<'_> {
    /// Parks the caller until one of `keys` holds a `type_name` value or `timeout` passes, then
    /// its command (`argv`) runs again. Inside MULTI/EXEC a blocking command cannot wait, so it answers the
    /// timeout reply at once, as in Redis. Called again by the re-run command, it leaves the
    /// client waiting where it was.
    pub fn block(
        &mut self,
        argv: &[&[u8]],
        keys: &[&[u8]],
        type_name: &'static str,
        timeout: BlockTimeout,
        on_timeout: OnTimeout,
    ) {
        if self.client.blocked.is_some() {
            self.server.blocking.still_waiting = true;
            return;
        }
        let Lookup::Found(command) = self.server.commands.lookup(argv) else {
            return on_timeout.write(self.out);
        };
        // Nor can a script's command (Redis's CLIENT_DENY_BLOCKING).
        if self.client.multi.is_some() || self.client.transport == super::Transport::Script {
            return on_timeout.write(self.out);
        }
        let mut unique: Vec<Vec<u8>> = Vec::with_capacity(keys.len());
        for key in keys {
            if !unique.iter().any(|k| k == key) {
                unique.push(key.to_vec());
            }
        }
        let on = BlockedOn {
            db: self.client.db,
            keys: unique,
            deadline: timeout.0.map(|d| Instant::now() + d),
            type_name,
            command,
            argv: argv.iter().map(|a| a.to_vec()).collect(),
            on_timeout,
        };
        self.server.blocking.enqueue(self.client.id, &on);
        self.client.blocked = Some(Box::new(on));
    }
}

impl Ctx<'_> {
    /// CLIENT UNBLOCK: ends client `id`'s wait; returns whether it was blocked.
    pub fn unblock_client(&mut self, id: ClientId, why: Unblock) -> bool {
        let Some(mut target) = self.clients.remove(id) else { return false };
        let unblocked = unblock(self.server, &mut target, why);
        self.clients.insert(target);
        unblocked
    }
}

/// Re-runs the commands of clients waiting on the keys made ready, until none is left.
pub(crate) fn serve_ready_keys(server: &mut ServerState, clients: &mut ClientTable) {
    while !server.blocking.ready.is_empty() {
        for (db, key) in server.blocking.take_ready() {
            let waiters: Vec<ClientId> =
                server.blocking.queue(db, &key).map(|q| q.iter().copied().collect()).unwrap_or_default();
            for id in waiters {
                let Some(type_name) = live_type(server, db, &key) else { break };
                let Some(mut client) = clients.remove(id) else { continue };
                if client.blocked.as_ref().is_some_and(|on| on.type_name == type_name) {
                    rerun(server, &mut client, clients);
                }
                clients.insert(client);
            }
        }
    }
}

/// The type of the live value at `key`, if any, without touching it.
fn live_type(server: &mut ServerState, db: usize, key: &[u8]) -> Option<&'static str> {
    let now = crate::keyspace::now_ms();
    server.dbs[db].lookup_for(key, now, crate::keyspace::Access::Peek).map(|e| e.value.type_name())
}

/// Runs a blocked client's command again; unblocks it and wakes its connection if it replied.
fn rerun(server: &mut ServerState, client: &mut Client, clients: &mut ClientTable) {
    let Some(on) = client.blocked.as_ref() else { return };
    let command = on.command;
    let argv_owned = on.argv.clone();
    let argv: Vec<&[u8]> = argv_owned.iter().map(Vec::as_slice).collect();
    let mut out = Reply::new(client.resp == 3);
    server.blocking.still_waiting = false;
    let mut clock = super::call::CallClock::start();
    super::call::call(server, client, clients, &mut out, &argv, command, &mut clock, super::call::Source::BlockedRerun);
    if server.blocking.still_waiting {
        return;
    }
    let errors = out.take_errors();
    if !errors.is_empty() {
        server.stats.record_errors(errors);
    }
    release(server, client);
    wake(client, out.as_bytes());
}

/// Ends `client`'s wait without serving it (timeout, CLIENT UNBLOCK); returns whether it was
/// blocked.
pub(crate) fn unblock(server: &mut ServerState, client: &mut Client, why: Unblock) -> bool {
    let Some(on) = client.blocked.as_ref() else { return false };
    let (command, on_timeout) = (on.command, on.on_timeout);
    let mut out = Reply::new(client.resp == 3);
    match why {
        Unblock::Timeout => on_timeout.write(&mut out),
        Unblock::Error => out.error(UNBLOCKED_ERROR),
    }
    let errors = out.take_errors();
    server.stats.record_call(command, Duration::ZERO, !errors.is_empty());
    if !errors.is_empty() {
        server.stats.record_errors(errors);
    }
    release(server, client);
    wake(client, out.as_bytes());
    true
}

/// Forgets `client`'s wait (served, timed out, unblocked, or disconnected).
pub(crate) fn release(server: &mut ServerState, client: &mut Client) {
    if let Some(on) = client.blocked.take() {
        server.blocking.dequeue(client.id, &on);
    }
}

/// Hands a woken client's reply to its connection task.
fn wake(client: &mut Client, reply: &[u8]) {
    client.deliver(|out| out.raw(reply));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_parse_like_redis() {
        let ms = |s: &str| BlockTimeout::parse(s.as_bytes()).map(|t| t.0.map(|d| d.as_millis()));
        assert_eq!(ms("0"), Ok(None));
        assert_eq!(ms("0.0001"), Ok(Some(1)));
        assert_eq!(ms("-0.0001"), Ok(None));
        assert_eq!(ms("1.5"), Ok(Some(1500)));
        assert_eq!(ms("0x1"), Ok(Some(1000)));
        assert_eq!(ms("1e-3"), Ok(Some(1)));
        assert_eq!(ms("0.001"), Ok(Some(1)));
        assert_eq!(ms("0.3"), Ok(Some(300)));
        assert_eq!(ms("-1"), Err("ERR timeout is negative"));
        assert_eq!(ms("inf"), Err("ERR timeout is negative"));
        assert_eq!(ms("1e20"), Err("ERR timeout is negative"));
        assert_eq!(ms("abc"), Err("ERR timeout is not a float or out of range"));
        assert_eq!(ms("nan"), Err("ERR timeout is not a float or out of range"));
        assert_eq!(ms(" 1"), Err("ERR timeout is not a float or out of range"));
    }

    #[test]
    fn waiters_are_queued_in_order_and_released() {
        let mut b = Blocking::default();
        let on = |keys: &[&[u8]]| BlockedOn {
            db: 0,
            keys: keys.iter().map(|k| k.to_vec()).collect(),
            deadline: None,
            type_name: "list",
            command: CommandId::default(),
            argv: Vec::new(),
            on_timeout: OnTimeout::NullArray,
        };
        let (one, two) = (on(&[b"a", b"b"]), on(&[b"b"]));
        b.enqueue(1, &one);
        b.enqueue(2, &two);
        assert_eq!(b.queue(0, b"b").map(|q| q.iter().copied().collect::<Vec<_>>()), Some(vec![1, 2]));
        b.signal(0, b"b");
        b.signal(0, b"b");
        b.signal(0, b"zzz");
        b.signal(1, b"a");
        assert_eq!(b.take_ready(), [(0, b"b".to_vec())]);
        b.dequeue(1, &one);
        assert_eq!(b.blocked_clients(), 1);
        assert!(b.queue(0, b"a").is_none());
        b.dequeue(2, &two);
        assert!(b.waiting.iter().all(HashMap::is_empty));
    }
}
