//! Server-side client state, owned by the executor.
//!
//! The connection task owns the socket; everything a command can read or change about a client
//! (selected database, protocol, name, authentication, reply mode…) lives here so commands such as
//! CLIENT LIST and CLIENT KILL see every client consistently.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime};

use tokio::sync::mpsc::UnboundedSender;

use crate::protocol::Reply;
use crate::types::hash::FxHashMap;

/// A client's unique, never reused id (CLIENT ID).
pub type ClientId = u64;

/// Something the executor tells a connection task outside a reply to its own request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// Close the connection (CLIENT KILL, shutdown).
    Close,
    /// Output waits in [`Client::output`]: a served, timed-out or unblocked blocking command's
    /// reply, pub/sub messages, MONITOR lines (see `Executor::resume`). Sent once until
    /// the connection task takes the output.
    Output,
}

/// What CLIENT REPLY asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReplyMode {
    /// Replies are sent.
    #[default]
    On,
    /// Replies are discarded.
    Off,
    /// The next command's reply is discarded.
    Skip,
    /// The current command's reply is discarded (SKIP was the previous command).
    SkipThis,
}

/// How a client connected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// TCP, with the peer and local `ip:port`.
    Tcp {
        /// The peer's address.
        peer: String,
        /// The local address.
        local: String,
    },
    /// A unix socket, with the socket path.
    Unix {
        /// The socket path.
        path: String,
    },
    /// No connection: the client scripts run their commands as (Redis's Lua client).
    Script,
}

/// What the connection task knows when it registers a client.
#[derive(Debug)]
pub struct NewClient {
    /// How the client connected.
    pub transport: Transport,
    /// The socket's file descriptor (shown by CLIENT LIST).
    pub fd: i32,
    /// Channel to the connection task.
    pub events: UnboundedSender<ClientEvent>,
    /// Bytes of replies the connection task holds but has not written yet, which it updates
    /// from its own thread.
    pub in_flight: Arc<AtomicUsize>,
}

/// The executor's view of one connected client.
#[derive(Debug)]
pub struct Client {
    /// Unique id.
    pub id: ClientId,
    /// How it connected.
    pub transport: Transport,
    /// File descriptor.
    pub fd: i32,
    /// CLIENT SETNAME name (empty = none).
    pub name: Vec<u8>,
    /// CLIENT SETINFO lib-name.
    pub lib_name: Vec<u8>,
    /// CLIENT SETINFO lib-ver.
    pub lib_ver: Vec<u8>,
    /// Selected database.
    pub db: usize,
    /// Protocol version, 2 or 3.
    pub resp: u8,
    /// Whether the client passed AUTH (or no password is required).
    pub authenticated: bool,
    /// The user it is authenticated as.
    pub user: String,
    /// When it connected (monotonic, for `age`).
    pub created: Instant,
    /// When it connected (wall clock).
    pub created_at: SystemTime,
    /// When it last sent a command.
    pub last_interaction: Instant,
    /// Full name of the last command it ran (`client|list`), for CLIENT LIST.
    pub last_command: &'static str,
    /// CLIENT REPLY state.
    pub reply_mode: ReplyMode,
    /// CLIENT NO-EVICT.
    pub no_evict: bool,
    /// CLIENT NO-TOUCH: its commands leave keys' LRU/LFU clock alone.
    pub no_touch: bool,
    /// Close the connection once the current replies are written.
    pub close_after_reply: bool,
    /// Close the connection at once, dropping unwritten output (over its output limit).
    pub close_asap: bool,
    /// The transaction being queued, between MULTI and EXEC/DISCARD.
    pub multi: Option<super::Transaction>,
    /// Bytes waiting in its query buffer when its last batch ran.
    pub query_buffer: usize,
    /// Bytes allocated for its query buffer (CLIENT LIST `qbuf-free` is what `query_buffer`
    /// leaves of it).
    pub query_buffer_capacity: usize,
    /// Channel to the connection task.
    pub events: UnboundedSender<ClientEvent>,
    /// What a blocking command waits for (BLPOP and friends), while it waits.
    pub blocked: Option<Box<super::blocking::BlockedOn>>,
    /// Held by CLIENT PAUSE: its command and what it sends meanwhile wait in `deferred`.
    pub postponed: bool,
    /// Requests received while blocked, run once it is unblocked.
    pub deferred: std::collections::VecDeque<Vec<Vec<u8>>>,
    /// Channels and patterns it subscribes to (`None` until it subscribes to something).
    pub subscriptions: Option<Box<super::pubsub::Subscriptions>>,
    /// In MONITOR mode.
    pub monitoring: bool,
    /// CLIENT TRACKING settings, while tracking is on.
    pub tracking: Option<Box<super::tracking::ClientTracking>>,
    /// Output the executor produced outside the client's own batch (see [`Client::deliver`]),
    /// encoded for the client's protocol, waiting for the connection task to take it.
    pub output: Reply,
    /// A [`ClientEvent::Output`] was sent and the connection task has not taken the output yet.
    output_signalled: bool,
    /// Bytes of replies the connection task holds but has not written to the socket yet (it
    /// updates them, from an I/O thread with `io-threads` above 1).
    in_flight: Arc<AtomicUsize>,
    /// Since when the pending output has been over its class's soft limit.
    pub soft_limit_since: Option<Instant>,
}

impl Client {
    /// A client just accepted.
    pub fn new(id: ClientId, new: NewClient, authenticated: bool) -> Self {
        let now = Instant::now();
        Client {
            id,
            transport: new.transport,
            fd: new.fd,
            name: Vec::new(),
            lib_name: Vec::new(),
            lib_ver: Vec::new(),
            db: 0,
            resp: 2,
            authenticated,
            user: "default".to_owned(),
            created: now,
            created_at: SystemTime::now(),
            last_interaction: now,
            last_command: "NULL",
            reply_mode: ReplyMode::On,
            no_evict: false,
            no_touch: false,
            close_after_reply: false,
            close_asap: false,
            multi: None,
            query_buffer: 0,
            // The connection task starts with a read buffer of this size.
            query_buffer_capacity: 16 * 1024,
            events: new.events,
            blocked: None,
            postponed: false,
            deferred: std::collections::VecDeque::new(),
            subscriptions: None,
            monitoring: false,
            tracking: None,
            output: Reply::new(false),
            output_signalled: false,
            in_flight: new.in_flight,
            soft_limit_since: None,
        }
    }

    /// `ip:port` of the peer, or `path:0` for unix sockets as Redis shows them.
    pub fn peer_addr(&self) -> String {
        match &self.transport {
            Transport::Tcp { peer, .. } => peer.clone(),
            Transport::Unix { path } => format!("{path}:0"),
            Transport::Script => String::new(),
        }
    }

    /// Local `ip:port`, or the socket path for unix sockets.
    pub fn local_addr(&self) -> String {
        match &self.transport {
            Transport::Tcp { local, .. } => local.clone(),
            Transport::Unix { path } => format!("{path}:0"),
            Transport::Script => String::new(),
        }
    }

    /// Whether the client is on the loopback interface or a unix socket.
    pub fn is_local(&self) -> bool {
        match &self.transport {
            Transport::Unix { .. } | Transport::Script => true,
            Transport::Tcp { peer, .. } => {
                peer.starts_with("127.") || peer.starts_with("[::1]") || peer.starts_with("::1:")
            }
        }
    }

    /// RESET: database 0, RESP2, no name, replies on, eviction and touching back to normal,
    /// default user (authenticated only when no password is required). The library name and
    /// version stay: they still describe the client behind the connection.
    pub fn reset_connection_state(&mut self, authenticated: bool) {
        self.db = 0;
        self.set_protocol(2);
        self.name.clear();
        self.reply_mode = ReplyMode::On;
        self.no_evict = false;
        self.no_touch = false;
        self.user = "default".to_owned();
        self.authenticated = authenticated;
    }

    /// Appends output for the client outside its own batch (`write` encodes it with the
    /// client's protocol) and wakes its connection task, once until it takes the output.
    pub fn deliver(&mut self, write: impl FnOnce(&mut Reply)) {
        write(&mut self.output);
        if !self.output_signalled && !self.output.is_empty() {
            self.output_signalled = true;
            // The task may already be gone; its client is then about to be unregistered.
            let _ = self.events.send(ClientEvent::Output);
        }
    }

    /// Whether its commands wait (blocked on keys, or held by CLIENT PAUSE).
    pub fn is_waiting(&self) -> bool {
        self.blocked.is_some() || self.postponed
    }

    /// Wakes its connection task to run what it deferred (the end of a pause).
    pub fn wake(&mut self) {
        self.output_signalled = true;
        let _ = self.events.send(ClientEvent::Output);
    }

    /// Moves the pending output to `out` (the connection task is about to write it).
    pub fn take_output(&mut self, out: &mut Reply) {
        out.raw(self.output.as_bytes());
        self.output.clear();
        self.output_signalled = false;
    }

    /// Bytes of output not yet written to the socket: pending plus what the connection holds.
    pub fn pending_output(&self) -> usize {
        self.output.len() + self.in_flight.load(Ordering::Relaxed)
    }

    /// Sets the protocol version (HELLO, RESET): replies and pushed output follow it.
    pub fn set_protocol(&mut self, resp: u8) {
        self.resp = resp;
        self.output.set_resp3(resp == 3);
    }

    /// Whether it is subscribed to any channel, pattern or shard channel (RESP2 clients are then
    /// in subscribed mode).
    pub fn in_pubsub(&self) -> bool {
        self.subscriptions.as_ref().is_some_and(|s| s.is_active())
    }

    /// The `client-output-buffer-limit` class it belongs to.
    pub fn output_class(&self) -> crate::config::ClientClass {
        if self.in_pubsub() { crate::config::ClientClass::PubSub } else { crate::config::ClientClass::Normal }
    }

    /// Asks the connection task to close the connection.
    pub fn kill(&mut self) {
        self.close_after_reply = true;
        // The task may already be gone; then there is nothing to close.
        let _ = self.events.send(ClientEvent::Close);
    }
}

/// Every registered client except the one whose batch is running (see [`super::Ctx`]).
#[derive(Debug, Default)]
pub struct ClientTable {
    /// Keyed by server-assigned ids, so the fast Fx hash is safe here.
    clients: FxHashMap<ClientId, Client>,
}

impl ClientTable {
    /// Adds a client.
    pub fn insert(&mut self, client: Client) {
        self.clients.insert(client.id, client);
    }

    /// Removes a client, handing it back.
    pub fn remove(&mut self, id: ClientId) -> Option<Client> {
        self.clients.remove(&id)
    }

    /// Looks a client up.
    pub fn get_mut(&mut self, id: ClientId) -> Option<&mut Client> {
        self.clients.get_mut(&id)
    }

    /// Looks a client up for reading.
    pub fn get(&self, id: ClientId) -> Option<&Client> {
        self.clients.get(&id)
    }

    /// Number of clients in the table.
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }

    /// All clients in the table.
    pub fn iter(&self) -> impl Iterator<Item = &Client> {
        self.clients.values()
    }

    /// All clients in the table, mutably.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Client> {
        self.clients.values_mut()
    }
}
