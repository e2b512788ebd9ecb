//! Server-side client state, owned by the executor.
//!
//! The connection task owns the socket; everything a command can read or change about a client
//! (selected database, protocol, name, authentication, reply mode…) lives here so commands such as
//! CLIENT LIST and CLIENT KILL see every client consistently.

use std::time::{Instant, SystemTime};

use tokio::sync::mpsc::UnboundedSender;

use crate::types::hash::FxHashMap;

/// A client's unique, never reused id (CLIENT ID).
pub type ClientId = u64;

/// Something the executor tells a connection task outside a reply to its own request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// Close the connection (CLIENT KILL, shutdown).
    Close,
    /// A blocked client was served, timed out or unblocked: its reply waits in
    /// [`Client::woken_reply`] (see [`super::Executor::resume`]).
    Wake,
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
    /// The transaction being queued, between MULTI and EXEC/DISCARD.
    pub multi: Option<super::Transaction>,
    /// Bytes waiting in its query buffer when its last batch ran.
    pub query_buffer: usize,
    /// Bytes of pending output when its last batch ran.
    pub output_buffer: usize,
    /// Channel to the connection task.
    pub events: UnboundedSender<ClientEvent>,
    /// What a blocking command waits for (BLPOP and friends), while it waits.
    pub blocked: Option<Box<super::blocking::BlockedOn>>,
    /// Requests received while blocked, run once it is unblocked.
    pub deferred: std::collections::VecDeque<Vec<Vec<u8>>>,
    /// The reply of a blocked command that was served, for the connection task to send.
    pub woken_reply: Vec<u8>,
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
            multi: None,
            query_buffer: 0,
            output_buffer: 0,
            events: new.events,
            blocked: None,
            deferred: std::collections::VecDeque::new(),
            woken_reply: Vec::new(),
        }
    }

    /// `ip:port` of the peer, or `path:0` for unix sockets as Redis shows them.
    pub fn peer_addr(&self) -> String {
        match &self.transport {
            Transport::Tcp { peer, .. } => peer.clone(),
            Transport::Unix { path } => format!("{path}:0"),
        }
    }

    /// Local `ip:port`, or the socket path for unix sockets.
    pub fn local_addr(&self) -> String {
        match &self.transport {
            Transport::Tcp { local, .. } => local.clone(),
            Transport::Unix { path } => format!("{path}:0"),
        }
    }

    /// Whether the client is on the loopback interface or a unix socket.
    pub fn is_local(&self) -> bool {
        match &self.transport {
            Transport::Unix { .. } => true,
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
        self.resp = 2;
        self.name.clear();
        self.reply_mode = ReplyMode::On;
        self.no_evict = false;
        self.no_touch = false;
        self.user = "default".to_owned();
        self.authenticated = authenticated;
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
