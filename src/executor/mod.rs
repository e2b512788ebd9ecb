//! The executor: the one owner of the server state (see [`crate::state`]), driving it.
//!
//! # Who owns what
//! - [`Executor`] owns [`ServerState`] (databases, configuration, statistics, the command table)
//!   and the [`ClientTable`]. Nothing else holds a reference into them; there are no locks.
//! - Connection tasks own their sockets and buffers. They decode whole batches of requests and
//!   hand each batch to [`ExecutorMut::run_batch`], which runs every command to completion, in
//!   order, and encodes replies into the connection's [`Reply`] buffer. One hand-off per read,
//!   not one per command. [`ExecutorMut`] is the executor lent as its two halves: whatever holds
//!   the executor's thread (a script past `busy-reply-threshold`, a load) runs the other
//!   clients' batches through it from its hook.
//! - With `io-threads 1` the executor and every connection task share one current-thread runtime,
//!   so a hand-off is a plain function call under a `RefCell` borrow that never spans an `.await`.
//!
//! # Channels
//! - In: batches from connection tasks (`run_batch`, `resume` after an output wake-up,
//!   `time_out`), registrations (`register_client` / `unregister_client`), and timer ticks from
//!   the server's cron task.
//! - Out: each client's [`crate::state::ClientEvent`] channel (close; output waiting in its queue: pushed
//!   messages, MONITOR lines, invalidations, replies to blocked clients), and [`ServerEvent`]s
//!   to the server task (shutdown, new listeners).
//!
//! # The command path
//! Every handler runs through [`crate::state::call`] (client requests, EXEC's queued commands, blocked
//! clients being served): it fixes the command's time, accounts the call, feeds MONITOR, SLOWLOG
//! and LATENCY, and collects the command's effects (see `effects`): handlers report each change
//! once with [`crate::state::Ctx::changed`] (WATCH, blocked clients, client-side caching, the keyspace event,
//! `dirty`) and choose what is propagated; expiry and eviction report theirs the same way. The
//! outermost command's operations go to the [`crate::state::PropagationLog`] that the AOF and replicas will
//! consume. Scripts will re-enter through the same `call`.

mod dispatch;

use std::time::Instant;

use crate::commands::CommandTable;
use crate::config::Config;
use crate::protocol::{Batch, Reply};
use crate::state::{
    CallClock, Client, ClientId, ClientTable, NewClient, Recipients, ServerEvent, ServerState, Unblock, blocking,
    effects, memory,
};

/// Why a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchOutcome {
    /// Keep the connection open.
    Continue,
    /// Write the replies, then close the connection.
    Close,
    /// Close the connection at once without writing (the client broke its output limit).
    Drop,
}

/// The single owner of server state.
pub struct Executor {
    state: ServerState,
    clients: ClientTable,
}

impl Executor {
    /// An executor over empty databases with the given configuration and command table.
    pub fn new(config: Config, commands: CommandTable) -> Self {
        let mut state = ServerState::new(config, commands);
        // A busy script or a load serves other clients through the same checks.
        state.while_blocked.dispatch = Some(dispatch::process_command);
        Executor { state, clients: ClientTable::default() }
    }

    /// Connects the executor to the server task, which then receives [`ServerEvent`]s.
    pub fn connect_server(&mut self, to_server: tokio::sync::mpsc::UnboundedSender<ServerEvent>) {
        self.state.connect_server(to_server);
    }

    /// Read access to the server state (listeners read limits from the configuration).
    pub fn state(&self) -> &ServerState {
        &self.state
    }

    /// Mutable access to the server state.
    pub fn state_mut(&mut self) -> &mut ServerState {
        &mut self.state
    }

    /// The executor as its two halves, to run clients' jobs with.
    pub fn borrowed(&mut self) -> ExecutorMut<'_> {
        ExecutorMut { state: &mut self.state, clients: &mut self.clients }
    }

    /// Number of connected clients.
    pub fn client_count(&self) -> usize {
        self.clients.len()
    }

    /// Registers an accepted connection and returns its id.
    pub fn register_client(&mut self, new: NewClient) -> ClientId {
        self.state.register_client(&mut self.clients, new)
    }

    /// Closes every client (shutdown).
    pub fn kill_all_clients(&mut self) {
        for c in self.clients.iter_mut() {
            c.kill();
        }
    }

    /// Periodic housekeeping, called `hz` times a second: active expiry within a quarter of the
    /// tick (Redis's slow cycle budget), a bounded amount of incremental rehashing, then the
    /// memory work (access clock, unfinished eviction, peak). A pending SIGTERM or SIGINT starts
    /// the shutdown first. Nothing at all while DEBUG
    /// PAUSE-CRON holds it, as Redis's serverCron returns at once then.
    pub fn cron(&mut self) {
        if self.state.cron_paused {
            return;
        }
        if let Some(signal) = crate::state::signals::pending() {
            self.state.shutdown_for_signal(signal);
            if self.state.shutdown.is_some() {
                return;
            }
        }
        let hz = u64::from(self.state.config.hz.max(1));
        let budget = std::time::Duration::from_micros(1_000_000 / hz / 4);
        let deadline = Instant::now() + budget;
        // While writes are paused the dataset must not change: no active expiry, no eviction.
        let paused = self.state.check_pause(&mut self.clients);
        if !paused && self.state.active_expire_enabled {
            let expire_start = Instant::now();
            crate::keyspace::active_expire_cycle(&mut self.state.dbs, crate::keyspace::now_ms(), deadline);
            let expire_ms = u64::try_from(expire_start.elapsed().as_millis()).unwrap_or(u64::MAX);
            let threshold = self.state.config.latency_monitor_threshold;
            self.state.latency.events.add_if_needed("expire-cycle", expire_ms, threshold);
        }
        crate::keyspace::rehash_cycle(&mut self.state.dbs);
        self.state.migrate_sockets.close_idle(crate::keyspace::clock::unix_secs());
        self.state.check_save_points();
        memory::cron(&mut self.state, budget, paused);
        let mut executor = self.borrowed();
        let (state, mut to) = executor.recipients();
        effects::report_expired(state, &mut to);
        // Deletions by the active expiry cycle are propagated as they are, never wrapped in
        // MULTI/EXEC (report_evicted flushes eviction's own).
        state.flush_propagation(false);
        effects::report_evicted(state, &mut to);
        state.aof_cron();
        if state.tracking.is_active() {
            let max_keys = state.config.tracking_table_max_keys;
            state.tracking.enforce_limit(&mut to, max_keys);
        }
        executor.broadcast_invalidations();
        // A client past its soft output limit is closed once its time is up, even when no more
        // output comes (Redis's clientsCron).
        let limits = self.state.config.client_output_limits;
        for client in self.clients.iter_mut().filter(|c| c.soft_limit_since.is_some()) {
            client.enforce_output_limit(&limits, 0);
        }
    }

    /// When the CLIENT PAUSE in force ends (the server's timer wakes the executor then).
    pub fn pause_deadline(&self) -> Option<Instant> {
        self.state.pause.deadline()
    }
}

/// The executor borrowed as its two halves: what runs a client's job (see
/// `server::link::execute`). The executor lends itself so ([`Executor::borrowed`]); so does
/// whatever holds the executor's thread (a busy script, a load) to serve the other clients'
/// jobs from its hook, where it holds both halves while the executor itself is borrowed.
pub struct ExecutorMut<'a> {
    state: &'a mut ServerState,
    clients: &'a mut ClientTable,
}

impl<'a> ExecutorMut<'a> {
    /// The executor made of `state` and `clients`.
    pub fn new(state: &'a mut ServerState, clients: &'a mut ClientTable) -> Self {
        ExecutorMut { state, clients }
    }

    /// Read access to the server state.
    pub fn state(&self) -> &ServerState {
        self.state
    }

    /// Mutable access to the server state.
    pub fn state_mut(&mut self) -> &mut ServerState {
        self.state
    }

    /// The server state and the client table together (registering a connection).
    pub fn parts_mut(&mut self) -> (&mut ServerState, &mut ClientTable) {
        (self.state, self.clients)
    }

    /// Forgets a disconnected client.
    pub fn unregister_client(&mut self, id: ClientId) {
        self.state.forget_client(self.clients, id);
    }

    /// Recipients of pushes made outside any client's command (cron, expiry, eviction).
    fn recipients(&mut self) -> (&mut ServerState, Recipients<'_>) {
        let limits = self.state.config.client_output_limits;
        (self.state, Recipients { clients: self.clients, caller: None, limits })
    }

    /// A connected client (for the connection log lines).
    pub fn client(&self, id: ClientId) -> Option<&Client> {
        self.clients.get(id)
    }

    /// Whether the client must authenticate before sending large requests.
    pub fn auth_required(&self, id: ClientId) -> bool {
        self.clients.get(id).is_some_and(|c| !c.authenticated)
    }

    /// Records the bytes waiting in the connection task's query buffer, for CLIENT LIST and INFO.
    pub fn note_query_buffer(&mut self, id: ClientId, waiting: usize) {
        if let Some(c) = self.clients.get_mut(id) {
            c.query_buffer = waiting;
        }
    }

    /// Records the size of the connection task's query buffer after it grew, shrank or was
    /// given back (CLIENT LIST `qbuf-free`).
    pub fn note_query_buffer_allocation(&mut self, id: ClientId, bytes: usize) {
        if let Some(c) = self.clients.get_mut(id) {
            c.query_buffer_capacity = bytes;
        }
    }

    /// What replies must wait for before they are written: the propagation offset the AOF
    /// writer must have written (with `appendfsync always`, fsynced), and where it publishes it.
    pub fn aof_wait(&self) -> Option<crate::state::aof::AofWait> {
        self.state.aof_wait()
    }

    /// Sends the invalidations BCAST tracking collected (after each batch, as Redis does before
    /// its event loop sleeps).
    fn broadcast_invalidations(&mut self) {
        if self.state.tracking.has_broadcasts() {
            let (state, mut to) = self.recipients();
            state.tracking.broadcast(&mut to);
        }
    }

    /// Runs a batch of requests from client `id`, appending replies to `out`.
    ///
    /// `buf` holds the requests of the batch, and `unparsed` more bytes wait in the connection's
    /// read buffer. A client killed or a server shut down meanwhile runs nothing more, as Redis
    /// skips clients closing ASAP.
    pub fn run_batch(
        &mut self,
        id: ClientId,
        buf: &[u8],
        unparsed: usize,
        batch: &Batch,
        out: &mut Reply,
    ) -> BatchOutcome {
        let Some(mut client) = self.clients.remove(id) else { return BatchOutcome::Close };
        // One clock read per batch for the idle time (Redis also stamps the read, not each
        // command) and the start of command timing.
        let now = Instant::now();
        client.last_interaction = now;
        out.set_resp3(client.resp == 3);
        let mut clock = CallClock::start();
        // CLIENT LIST's qbuf while these run: Redis trims processed input only after the batch.
        client.query_buffer = buf.len() + unparsed;
        // A client served while this input was being read answers what came before it first.
        self.run_pending(&mut client, out, &mut clock);
        let mut argv: Vec<&[u8]> = Vec::with_capacity(8);
        for args in batch.iter(buf) {
            if client.close_after_reply || self.state.shutdown.is_some() {
                break;
            }
            argv.clear();
            argv.extend(args);
            if client.is_waiting() || !client.deferred.is_empty() {
                // Redis leaves a blocked client's input unread until it is unblocked.
                client.deferred.push_back(argv.iter().map(|a| a.to_vec()).collect());
                continue;
            }
            dispatch::process_command(self.state, &mut client, self.clients, out, &argv, &mut clock);
        }
        self.finish_batch(client)
    }

    /// Puts a client back after running commands for it, and tells its connection what next.
    fn finish_batch(&mut self, client: Client) -> BatchOutcome {
        let outcome = self.put_back(client);
        self.state.schedule_aof_feed();
        self.broadcast_invalidations();
        outcome
    }

    fn put_back(&mut self, client: Client) -> BatchOutcome {
        // SHUTDOWN's client is closed with the others once the listeners are: by the time it
        // sees its connection end, the port refuses connections (Redis exits then).
        let outcome = if client.close_asap {
            BatchOutcome::Drop
        } else if client.close_after_reply && self.state.shutdown.is_none() {
            BatchOutcome::Close
        } else {
            BatchOutcome::Continue
        };
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

    /// After a [`crate::state::ClientEvent::Output`]: appends the client's pending output (a served blocking
    /// command's reply, pushed messages) to `out`, then runs the requests it sent while blocked,
    /// until one blocks again.
    pub fn resume(&mut self, id: ClientId, out: &mut Reply) -> BatchOutcome {
        let Some(mut client) = self.clients.remove(id) else { return BatchOutcome::Close };
        self.run_pending(&mut client, out, &mut CallClock::start());
        self.finish_batch(client)
    }

    /// Appends the client's pending output (a served blocking command's reply, pushed
    /// messages), then runs the requests it sent while it was blocked, in order, until one
    /// blocks again.
    fn run_pending(&mut self, client: &mut Client, out: &mut Reply, clock: &mut CallClock) {
        client.take_output(out);
        while !client.is_waiting() && !client.close_after_reply && self.state.shutdown.is_none() {
            let Some(args) = client.deferred.pop_front() else { break };
            let argv: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
            dispatch::process_command(self.state, client, self.clients, out, &argv, clock);
        }
    }

    /// The connection task's timer for a blocked client fired: answers the timeout reply if the
    /// client is still blocked and its deadline has passed, then runs what it sent meanwhile.
    pub fn time_out(&mut self, id: ClientId, out: &mut Reply) -> BatchOutcome {
        let Some(mut client) = self.clients.remove(id) else { return BatchOutcome::Close };
        let due = client.blocked.as_ref().and_then(|on| on.deadline).is_some_and(|d| d <= Instant::now());
        if due {
            blocking::unblock(self.state, &mut client, Unblock::Timeout);
        }
        self.clients.insert(client);
        if due { self.resume(id, out) } else { BatchOutcome::Continue }
    }
}
