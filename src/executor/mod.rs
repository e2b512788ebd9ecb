//! The executor: the one owner of the keyspace and of every client's server-side state.
//!
//! # Who owns what
//! - [`Executor`] owns [`ServerState`] (databases, configuration, statistics, the command table)
//!   and the [`ClientTable`]. Nothing else holds a reference into them; there are no locks.
//! - Connection tasks own their sockets and buffers. They decode whole batches of requests and
//!   hand each batch to [`Executor::run_batch`], which runs every command to completion, in order,
//!   and encodes replies into the connection's [`Reply`] buffer. One hand-off per read, not one per
//!   command.
//! - With `io-threads 1` the executor and every connection task share one current-thread runtime,
//!   so a hand-off is a plain function call under a `RefCell` borrow that never spans an `.await`.
//!
//! # Channels
//! - In: batches from connection tasks (`run_batch`), registrations (`register_client` /
//!   `unregister_client`), and timer ticks from the server's cron task.
//! - Out: each client's [`ClientEvent`] channel (kill, and later pushed messages and replies to
//!   blocked clients), and the shutdown request read by the server.
//!
//! # Seams for what comes next
//! Handlers mutate, then signal modified keys (WATCH) and count `dirty` ([`Ctx::key_modified`]),
//! and will notify keyspace events, in that order. Writes bump [`ServerState::dirty`]; the propagation log for AOF and
//! replication will be appended where `dirty` changes in `dispatch::call`, and queued MULTI
//! commands (see `multi`) and scripts re-enter through the same `dispatch::call`.

mod blocking;
mod client;
mod context;
mod dispatch;
mod memory;
mod multi;

use std::time::Instant;

pub use blocking::{BlockTimeout, Blocking, OnTimeout, Unblock};
pub use client::{Client, ClientEvent, ClientId, ClientTable, NewClient, ReplyMode, Transport};
pub use context::Ctx;
pub use memory::{MemoryState, OOM_ERROR};
pub use multi::{Transaction, Watches};

use crate::commands::CommandTable;
use crate::config::Config;
use crate::keyspace::Db;
use crate::protocol::{Batch, Reply};
use crate::stats::Stats;

/// How the server was asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShutdownRequest {
    /// Save a snapshot first (SHUTDOWN SAVE, or save points configured).
    pub save: bool,
    /// Skip the wait for lagging replicas (NOW).
    pub now: bool,
    /// Exit even if saving fails (FORCE).
    pub force: bool,
}

/// Server-wide state owned by the executor.
pub struct ServerState {
    /// Live configuration.
    pub config: Config,
    /// The databases (`databases` of them).
    pub dbs: Vec<Db>,
    /// Counters for INFO.
    pub stats: Stats,
    /// The command table.
    pub commands: CommandTable,
    /// Changes since the last save (INFO `rdb_changes_since_last_save`).
    pub dirty: u64,
    /// When the server started.
    pub started: Instant,
    /// Randomness for RANDOMKEY and sampling.
    pub rng: fastrand::Rng,
    /// Random id of this run (INFO `run_id`).
    pub run_id: String,
    /// Replication id (INFO `master_replid`).
    pub replid: String,
    /// Listeners opened by CONFIG SET port/bind, waiting for the server to swap them in.
    pub new_listeners: Option<Vec<tokio::net::TcpListener>>,
    /// Eviction state and the keys' access clock.
    pub memory: MemoryState,
    /// Set by SHUTDOWN; the server stops once the current batch is answered.
    pub shutdown: Option<ShutdownRequest>,
    /// Keys clients WATCH (see [`multi`]).
    pub watches: Watches,
    /// Clients blocked on keys (see [`blocking`]).
    pub blocking: Blocking,
    /// Next client id to hand out.
    next_client_id: ClientId,
}

impl ServerState {
    /// CONFIG RESETSTAT: zeroes the server counters and the per-database ones (expired keys,
    /// keyspace hits and misses).
    pub fn reset_stats(&mut self) {
        self.stats.reset();
        self.memory.evictor.reset_stats();
        for db in &mut self.dbs {
            db.reset_stats();
        }
    }
}

/// Why a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchOutcome {
    /// Keep the connection open.
    Continue,
    /// Write the replies, then close the connection.
    Close,
}

/// The single owner of server state.
pub struct Executor {
    state: ServerState,
    clients: ClientTable,
}

impl Executor {
    /// An executor over empty databases with the given configuration and command table.
    pub fn new(config: Config, commands: CommandTable) -> Self {
        let dbs = (0..config.databases).map(|_| Db::default()).collect();
        let stats = Stats::new(commands.len());
        Executor {
            state: ServerState {
                config,
                dbs,
                stats,
                commands,
                dirty: 0,
                started: Instant::now(),
                rng: fastrand::Rng::new(),
                run_id: crate::stats::system::random_hex40(),
                replid: crate::stats::system::random_hex40(),
                new_listeners: None,
                memory: MemoryState::default(),
                shutdown: None,
                watches: Watches::default(),
                blocking: Blocking::default(),
                next_client_id: 1,
            },
            clients: ClientTable::default(),
        }
    }

    /// Read access to the server state (listeners read limits from the configuration).
    pub fn state(&self) -> &ServerState {
        &self.state
    }

    /// Mutable access to the server state.
    pub fn state_mut(&mut self) -> &mut ServerState {
        &mut self.state
    }

    /// Number of connected clients.
    pub fn client_count(&self) -> usize {
        self.clients.len()
    }

    /// Registers an accepted connection and returns its id.
    pub fn register_client(&mut self, new: NewClient) -> ClientId {
        let id = self.state.next_client_id;
        self.state.next_client_id += 1;
        self.state.stats.total_connections_received += 1;
        let authenticated = self.state.config.requirepass.is_none();
        self.clients.insert(Client::new(id, new, authenticated));
        id
    }

    /// Forgets a disconnected client.
    pub fn unregister_client(&mut self, id: ClientId) {
        if let Some(mut client) = self.clients.remove(id) {
            blocking::release(&mut self.state, &mut client);
        }
        self.state.release_watches(id);
    }

    /// A connected client (for the connection log lines).
    pub fn client(&self, id: ClientId) -> Option<&Client> {
        self.clients.get(id)
    }

    /// Whether the client must authenticate before sending large requests.
    pub fn auth_required(&self, id: ClientId) -> bool {
        self.clients.get(id).is_some_and(|c| !c.authenticated)
    }

    /// Records buffer sizes the connection task observed, for CLIENT LIST and INFO.
    pub fn note_buffers(&mut self, id: ClientId, query_buffer: usize, output_buffer: usize) {
        if let Some(c) = self.clients.get_mut(id) {
            c.query_buffer = query_buffer;
            c.output_buffer = output_buffer;
        }
    }

    /// Closes every client (shutdown).
    pub fn kill_all_clients(&mut self) {
        for c in self.clients.iter_mut() {
            c.kill();
        }
    }

    /// Periodic housekeeping, called `hz` times a second: active expiry within a quarter of the
    /// tick (Redis's slow cycle budget), a bounded amount of incremental rehashing, then the
    /// memory work (access clock, unfinished eviction, peak).
    pub fn cron(&mut self) {
        let hz = u64::from(self.state.config.hz.max(1));
        let budget = std::time::Duration::from_micros(1_000_000 / hz / 4);
        let deadline = Instant::now() + budget;
        crate::keyspace::active_expire_cycle(&mut self.state.dbs, crate::keyspace::now_ms(), deadline);
        crate::keyspace::rehash_cycle(&mut self.state.dbs);
        memory::cron(&mut self.state, budget);
    }

    /// Runs a batch of requests from client `id`, appending replies to `out`.
    ///
    /// `buf` is the connection's read buffer the batch was decoded from. A client killed or a
    /// server shut down meanwhile runs nothing more, as Redis skips clients closing ASAP.
    pub fn run_batch(&mut self, id: ClientId, buf: &[u8], batch: &Batch, out: &mut Reply) -> BatchOutcome {
        let Some(mut client) = self.clients.remove(id) else { return BatchOutcome::Close };
        // One clock read per batch for the idle time (Redis also stamps the read, not each
        // command) and the start of command timing.
        let now = Instant::now();
        client.last_interaction = now;
        let mut clock = dispatch::CallClock::start();
        // CLIENT LIST's qbuf while these run: Redis trims processed input only after the batch.
        client.query_buffer = buf.len();
        // A client served while this input was being read answers what came before it first.
        self.run_pending(&mut client, out, &mut clock);
        let mut argv: Vec<&[u8]> = Vec::with_capacity(8);
        for args in batch.iter(buf) {
            if client.close_after_reply || self.state.shutdown.is_some() {
                break;
            }
            argv.clear();
            argv.extend(args);
            if client.blocked.is_some() || !client.deferred.is_empty() {
                // Redis leaves a blocked client's input unread until it is unblocked.
                client.deferred.push_back(argv.iter().map(|a| a.to_vec()).collect());
                continue;
            }
            dispatch::process_command(&mut self.state, &mut client, &mut self.clients, out, &argv, &mut clock);
        }
        self.finish_batch(client)
    }

    /// Puts a client back after running commands for it, and tells its connection what next.
    fn finish_batch(&mut self, client: Client) -> BatchOutcome {
        let outcome = if client.close_after_reply { BatchOutcome::Close } else { BatchOutcome::Continue };
        self.clients.insert(client);
        outcome
    }

    /// When a blocked client times out: `None` when it is not blocked, `Some(None)` when it
    /// waits forever.
    pub fn block_deadline(&self, id: ClientId) -> Option<Option<Instant>> {
        self.clients.get(id).and_then(|c| c.blocked.as_ref()).map(|on| on.deadline)
    }

    /// Bytes of requests a blocked client sent that wait for it to be unblocked.
    pub fn deferred_bytes(&self, id: ClientId) -> usize {
        self.clients.get(id).map_or(0, |c| c.deferred.iter().flatten().map(Vec::len).sum())
    }

    /// After a [`ClientEvent::Wake`]: appends the reply of the client's served blocking command
    /// to `out`, then runs the requests it sent while blocked, until one blocks again.
    pub fn resume(&mut self, id: ClientId, out: &mut Reply) -> BatchOutcome {
        let Some(mut client) = self.clients.remove(id) else { return BatchOutcome::Close };
        self.run_pending(&mut client, out, &mut dispatch::CallClock::start());
        self.finish_batch(client)
    }

    /// Appends the reply of a served blocking command, then runs the requests the client sent
    /// while it was blocked, in order, until one blocks again.
    fn run_pending(&mut self, client: &mut Client, out: &mut Reply, clock: &mut dispatch::CallClock) {
        if client.blocked.is_some() {
            return;
        }
        out.raw(&client.woken_reply);
        client.woken_reply.clear();
        while client.blocked.is_none() && !client.close_after_reply && self.state.shutdown.is_none() {
            let Some(args) = client.deferred.pop_front() else { break };
            let argv: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
            dispatch::process_command(&mut self.state, client, &mut self.clients, out, &argv, clock);
        }
    }

    /// The connection task's timer for a blocked client fired: answers the timeout reply if the
    /// client is still blocked and its deadline has passed, then runs what it sent meanwhile.
    pub fn time_out(&mut self, id: ClientId, out: &mut Reply) -> BatchOutcome {
        let Some(mut client) = self.clients.remove(id) else { return BatchOutcome::Close };
        let due = client.blocked.as_ref().and_then(|on| on.deadline).is_some_and(|d| d <= Instant::now());
        if due {
            blocking::unblock(&mut self.state, &mut client, Unblock::Timeout);
        }
        self.clients.insert(client);
        if due { self.resume(id, out) } else { BatchOutcome::Continue }
    }
}
