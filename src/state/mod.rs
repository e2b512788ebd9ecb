//! Server state and the context commands run in: everything a command can read or change
//! (databases, clients' server-side state, pub/sub, tracking, blocking, transactions, pause,
//! effects and the propagation stream), and [`call`], the one path every handler runs through.
//!
//! This module sits below `commands`: handlers take a [`Ctx`] from here and never see the
//! [`crate::executor`], which owns a [`ServerState`] and drives it (batches from connections,
//! cron ticks). Effects of a command are data collected here (see `effects`); the executor
//! only decides what runs when.

pub mod aof;
pub mod aof_load;
pub mod blocked;
pub mod blocking;
pub mod busy;
mod call;
mod client;
mod context;
pub mod effects;
mod latency;
mod lazyfree;
pub mod loading;
pub mod memory;
pub mod migrate_sockets;
mod monitor;
pub mod multi;
mod output;
mod pause;
pub mod persist;
pub mod pubsub;
pub mod replication;
pub mod script;
pub mod signals;
pub mod tracking;

use std::time::Instant;

pub use blocking::{BlockTimeout, Blocking, OnTimeout, Unblock};
pub use call::{CallClock, Source, call};
pub use client::{Client, ClientEvent, ClientId, ClientTable, NewClient, ReplyMode, Transport};
pub use context::Ctx;
pub use effects::{Effects, PropagationLog, Recipients, Removal};
pub use lazyfree::LazyFree;
pub use memory::{MemoryState, OOM_ERROR};
pub use monitor::Monitors;
pub use multi::{Transaction, Watches};
pub use pause::{Pause, PauseKind};
pub use pubsub::PubSub;

use crate::commands::CommandTable;
use crate::config::Config;
use crate::keyspace::Db;
use crate::stats::Stats;

/// How the server was asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShutdownRequest {
    /// Save a snapshot first even without save points (SAVE).
    pub save: bool,
    /// Do not save even with save points (NOSAVE).
    pub nosave: bool,
    /// Skip the wait for lagging replicas (NOW).
    pub now: bool,
    /// Exit even if saving fails (FORCE).
    pub force: bool,
}

/// What the executor tells the server task, outside any client's connection.
#[derive(Debug)]
pub enum ServerEvent {
    /// SHUTDOWN ran: stop the server (the request is in [`ServerState::shutdown`]).
    Shutdown,
    /// CONFIG SET port/bind opened these listeners: serve them instead of the current ones.
    Rebind(Vec<tokio::net::TcpListener>),
    /// Background save number N started: drive it between batches until its file is written.
    DriveBackgroundSave(u64),
    /// Writes are waiting for the AOF: hand them over once the connections ready now have run
    /// (Redis writes its AOF buffer once per event loop turn, in `beforeSleep`).
    FeedAof,
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
    /// The channel to the server task (shutdown, new listeners); none in in-process uses.
    to_server: Option<tokio::sync::mpsc::UnboundedSender<ServerEvent>>,
    /// Eviction state and the keys' access clock.
    pub memory: MemoryState,
    /// Set by SHUTDOWN; the server stops once the current batch is answered.
    pub shutdown: Option<ShutdownRequest>,
    /// Keys clients WATCH (see [`multi`]).
    pub watches: Watches,
    /// Clients blocked on keys (see [`blocking`]).
    pub blocking: Blocking,
    /// The running command's effects (see [`effects`]).
    pub effects: Effects,
    /// The stream of propagated commands (for the AOF and replicas).
    pub propagation: PropagationLog,
    /// Pub/Sub subscribers.
    pub pubsub: PubSub,
    /// Clients in MONITOR mode.
    pub monitors: Monitors,
    /// Client-side caching: tracked keys and prefixes.
    pub tracking: tracking::Tracking,
    /// CLIENT PAUSE and the clients it holds.
    pub pause: Pause,
    /// The background thread freeing big values and flushed databases.
    pub lazyfree: LazyFree,
    /// MIGRATE's cached connections to target servers.
    pub migrate_sockets: migrate_sockets::MigrateSockets,
    /// Whether the cron removes expired keys nobody reads (DEBUG SET-ACTIVE-EXPIRE).
    pub active_expire_enabled: bool,
    /// The periodic cron does nothing (DEBUG PAUSE-CRON): no active expiry, rehashing, memory
    /// work, tracking-table trimming or output-limit checks until it is resumed.
    pub cron_paused: bool,
    /// Whether RESTORE payloads and RDB files skip their checksum check
    /// (DEBUG SET-SKIP-CHECKSUM-VALIDATION).
    pub skip_checksum_validation: bool,
    /// Slow log, latency monitor and per-command latency histograms (see [`latency`]).
    pub latency: crate::stats::latency::Latency,
    /// RDB saves: status, the background save in progress, save points.
    pub saves: persist::SaveStatus,
    /// The append-only file: its files, writer and rewrites.
    pub aof: aof::AofState,
    /// The Lua engine and the scripts' client.
    pub scripting: script::Scripting,
    /// What serves clients while the executor's thread is held (see [`blocked`]).
    pub while_blocked: blocked::WhileBlocked,
    /// The dataset being loaded, while it is (Redis's `server.loading`).
    pub loading: Option<loading::Loading>,
    /// Next client id to hand out.
    next_client_id: ClientId,
}

impl ServerState {
    /// Empty databases with the given configuration and command table.
    pub fn new(config: Config, commands: CommandTable) -> Self {
        let dbs = (0..config.databases).map(|_| Db::default()).collect();
        let stats = Stats::new(commands.len());
        ServerState {
            config,
            dbs,
            stats,
            commands,
            dirty: 0,
            started: Instant::now(),
            rng: fastrand::Rng::new(),
            run_id: crate::stats::system::random_hex40(),
            replid: crate::stats::system::random_hex40(),
            to_server: None,
            memory: MemoryState::default(),
            shutdown: None,
            watches: Watches::default(),
            blocking: Blocking::default(),
            effects: Effects::default(),
            propagation: PropagationLog::default(),
            pubsub: PubSub::default(),
            monitors: Monitors::default(),
            tracking: tracking::Tracking::default(),
            pause: Pause::default(),
            lazyfree: LazyFree::default(),
            migrate_sockets: migrate_sockets::MigrateSockets::default(),
            active_expire_enabled: true,
            cron_paused: false,
            skip_checksum_validation: false,
            latency: Default::default(),
            saves: persist::SaveStatus::default(),
            aof: aof::AofState::default(),
            scripting: script::Scripting::default(),
            while_blocked: blocked::WhileBlocked::default(),
            loading: None,
            next_client_id: 1,
        }
    }

    /// Registers an accepted connection in `clients` and returns its id.
    pub fn register_client(&mut self, clients: &mut ClientTable, new: NewClient) -> ClientId {
        let id = self.next_client_id();
        self.stats.total_connections_received += 1;
        let authenticated = self.config.requirepass.is_none();
        clients.insert(Client::new(id, new, authenticated));
        id
    }

    /// Forgets a disconnected client: what it blocked on, subscribed to, tracked, watched.
    pub fn forget_client(&mut self, clients: &mut ClientTable, id: ClientId) {
        if let Some(mut client) = clients.remove(id) {
            blocking::release(self, &mut client);
            pubsub::release(&mut self.pubsub, &mut client);
            tracking::disable(&mut self.tracking, &mut client);
            self.release_postponed(id);
            self.monitors.remove(id);
        }
        self.release_watches(id);
    }

    /// A new client id: unique, never reused.
    pub fn next_client_id(&mut self) -> ClientId {
        let id = self.next_client_id;
        self.next_client_id += 1;
        id
    }

    /// Connects to the server task, which then receives [`ServerEvent`]s.
    pub fn connect_server(&mut self, to_server: tokio::sync::mpsc::UnboundedSender<ServerEvent>) {
        self.to_server = Some(to_server);
    }

    /// Whether a server task listens to [`Self::tell_server`] (not in in-process uses).
    pub fn has_server(&self) -> bool {
        self.to_server.is_some()
    }

    /// Sends `event` to the server task (dropped when there is none, as in-process tests run).
    pub fn tell_server(&self, event: ServerEvent) {
        if let Some(to_server) = &self.to_server {
            // The server task outlives the executor's users; a closed channel means it is
            // already stopping.
            let _ = to_server.send(event);
        }
    }

    /// SHUTDOWN: no more commands run, and the server task is told to stop.
    pub fn request_shutdown(&mut self, request: ShutdownRequest) {
        self.shutdown = Some(request);
        self.tell_server(ServerEvent::Shutdown);
    }

    /// Starts the shutdown SIGTERM or SIGINT (`signal`) asked for (see [`signals`]), with the
    /// flags `shutdown-on-sigterm`/`-sigint` name (default, save, nosave, now, force). A failed
    /// save keeps the server running and forgets the signal, as in Redis.
    pub fn shutdown_for_signal(&mut self, signal: i32) {
        if self.shutdown.is_some() {
            return;
        }
        let directive = if signal == libc::SIGINT { "shutdown-on-sigint" } else { "shutdown-on-sigterm" };
        let flags = String::from_utf8_lossy(self.config.get_value(directive).unwrap_or_default()).into_owned();
        let has = |flag: &str| flags.split(' ').any(|f| f == flag);
        let request =
            ShutdownRequest { save: has("save"), nosave: has("nosave"), now: has("now"), force: has("force") };
        if !self.prepare_for_shutdown(request) {
            signals::clear();
        }
    }

    /// Redis's `prepareForShutdown`: saves as `request` asks (see `save_for_shutdown`), then
    /// tells the server to stop; returns false, and the server goes on, when the save failed.
    pub fn prepare_for_shutdown(&mut self, request: ShutdownRequest) -> bool {
        tracing::warn!("User requested shutdown...");
        if self.save_for_shutdown(request) {
            self.request_shutdown(request);
            return true;
        }
        tracing::warn!("Errors trying to shut down the server. Check the logs for more information.");
        false
    }

    /// CONFIG RESETSTAT: zeroes the server counters and the per-database ones (expired keys,
    /// keyspace hits and misses).
    pub fn reset_stats(&mut self) {
        self.stats.reset();
        self.memory.evictor.reset_stats();
        self.lazyfree.reset_stats();
        self.latency.reset_histograms();
        for db in &mut self.dbs {
            db.reset_stats();
        }
    }
}
