//! The network side: listeners, connection tasks, protected mode, maxclients, shutdown.
//!
//! [`run`] builds a current-thread runtime for the executor. With `io-threads 1` (the default)
//! every connection task shares that one OS thread and a batch hand-off is a function call; with
//! `io-threads N` connections are handed round-robin to N-1 I/O threads (see `io_threads`), and
//! batches cross to the executor's thread as messages. Either way a connection reaches the
//! executor only through its `link`.

mod banner;
mod blocked_accept;
mod connection;
mod io_threads;
mod link;

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::mpsc;

pub use crate::listen::ListenError;

use crate::commands::CommandTable;
use crate::config::Config;
use crate::executor::Executor;
use crate::state::persist::LoadFailure;
use crate::state::{ClientTable, NewClient, ServerEvent, ServerState, Transport};

/// The server could not start.
#[derive(Debug)]
pub enum ServerError {
    /// A listener could not be opened.
    Listen(ListenError),
    /// `rename-command` named an unknown command or a taken name.
    Rename(String),
    /// The runtime could not be built.
    Runtime(std::io::Error),
    /// The RDB file could not be loaded.
    Load(crate::state::persist::LoadFailure),
    /// The AOF could not be loaded or opened (Redis's log line).
    Aof(String),
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServerError::Listen(e) => write!(f, "{e}"),
            ServerError::Rename(e) => write!(f, "{e}"),
            ServerError::Runtime(e) => write!(f, "Failed to start the runtime: {e}"),
            ServerError::Load(LoadFailure::Io(e)) => write!(f, "Fatal error loading the DB: {e}. Exiting."),
            // The reason was logged and the file checked before (Redis's rdbCheckThenExit).
            ServerError::Load(_) => write!(f, "Terminating server after rdb file reading failure."),
            ServerError::Aof(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ServerError {}

/// The reply sent to non-loopback clients in protected mode, before closing them.
const PROTECTED_MODE_DENIED: &str = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/// Runs the server until SHUTDOWN or SIGTERM/SIGINT.
pub fn run(config: Config) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(ServerError::Runtime)?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, serve(config))
}

async fn serve(config: Config) -> Result<(), ServerError> {
    let table = CommandTable::build(&crate::commands::all(), &config.rename_commands)
        .map_err(|e| ServerError::Rename(format!("{e:?}")))?;
    let tcp = crate::listen::bind_tcp(&config).map_err(ServerError::Listen)?;
    let unix = match &config.unixsocket {
        Some(path) => Some(crate::listen::bind_unix(path, config.unixsocketperm).map_err(ServerError::Listen)?),
        None => None,
    };
    banner::announce(&config);
    let unix_path = config.unixsocket.clone();
    let port = config.port;
    let executor = Rc::new(RefCell::new(Executor::new(config, table)));
    let (to_server, mut events) = mpsc::unbounded_channel();
    executor.borrow_mut().connect_server(to_server);

    tracing::info!("Server initialized");
    let io_threads = match executor.borrow().state().config.io_threads {
        0 | 1 => None,
        n => Some(Rc::new(io_threads::IoThreads::start(n - 1, executor.clone()).map_err(ServerError::Runtime)?)),
    };
    let unix_dup = unix.as_ref().zip(unix_path.as_ref()).map(|(l, path)| (l, path.display().to_string()));
    let held = Rc::new(blocked_accept::HeldListeners::new(&executor, unix_dup, io_threads.clone()));
    let acceptor = Acceptor { executor: executor.clone(), io_threads, held };
    blocked_accept::install(&acceptor);
    acceptor.held.set_tcp(&tcp);
    // From here SIGTERM and SIGINT schedule a shutdown, for the load or the cron to start.
    crate::state::signals::install(crate::state::persist::temp_file_names());
    // The sockets listen already: clients connecting during the load are accepted and served
    // between its steps, refused with -LOADING what must wait for the dataset.
    load_dataset(&executor)?;
    tokio::task::spawn_local(cron(executor.clone()));
    let mut accepting = spawn_tcp_accepts(tcp, &acceptor);
    if let (Some(l), Some(path)) = (unix, unix_path.clone()) {
        tokio::task::spawn_local(accept_unix(l, path, acceptor.clone()));
        tracing::info!(
            "The server is now ready to accept connections at {}",
            unix_path.as_ref().map(|p| p.display().to_string()).unwrap_or_default()
        );
    }
    if port != 0 {
        tracing::info!("Ready to accept connections tcp");
    }
    crate::supervise::ready();

    // A load stopped by SHUTDOWN or a signal leaves nothing to serve (and nothing to save).
    if executor.borrow().state().shutdown.is_none() {
        run_until_shutdown(&acceptor, &mut events, &mut accepting).await;
    }
    crate::supervise::stopping();
    tracing::warn!("rkv is now ready to exit, bye bye...");
    // The listening sockets close first, as Redis's prepareForShutdown closes them: a client
    // that sees its connection end then finds the port refused.
    for task in accepting {
        task.abort();
    }
    acceptor.held.close();
    crate::listen::forget_bound();
    tokio::task::yield_now().await;
    executor.borrow_mut().kill_all_clients();
    if let Some(path) = unix_path {
        let _ = std::fs::remove_file(path);
    }
    // Give connection tasks a moment to flush their final replies and close.
    tokio::task::yield_now().await;
    if let Some(threads) = &acceptor.io_threads {
        threads.stop(std::time::Duration::from_secs(1)).await;
    }
    Ok(())
}

/// Loads the dataset: the AOF when `appendonly yes` (then opened for appending; the RDB file is
/// not read, as in Redis), the RDB file otherwise. A load interrupted by SHUTDOWN leaves the
/// server to stop.
fn load_dataset(executor: &RefCell<Executor>) -> Result<(), ServerError> {
    let started = std::time::Instant::now();
    let mut executor = executor.borrow_mut();
    let mut executor = executor.borrowed();
    let (state, clients) = executor.parts_mut();
    if state.config.aof.enabled {
        use crate::state::aof_load::AofLoaded;
        match crate::state::aof_load::load_aof(state, clients).map_err(ServerError::Aof)? {
            AofLoaded::Loaded { .. } | AofLoaded::Empty => {
                tracing::info!("DB loaded from append only file: {:.3} seconds", started.elapsed().as_secs_f64());
            }
            AofLoaded::Interrupted => return Ok(()),
            AofLoaded::NotExist => {}
        }
        return state.open_aof_on_start().map_err(ServerError::Aof);
    }
    match state.load_snapshot(clients, false) {
        Ok(Some(_)) => {
            tracing::info!("DB loaded from disk: {:.3} seconds", started.elapsed().as_secs_f64());
            Ok(())
        }
        Ok(None) | Err(LoadFailure::Interrupted) => Ok(()),
        Err(e @ LoadFailure::Io(_)) => Err(ServerError::Load(e)),
        Err(e) => {
            // As Redis's rdbCheckThenExit: the reason, then the checker's report on standard
            // output, then the fatal line.
            tracing::warn!("{e}");
            let path = state.config.dir.join(&state.config.snapshot.dbfilename);
            let limits = crate::persistence::rdb::EncodingLimits::from_config(&state.config);
            let now = crate::keyspace::now_ms();
            let _ = crate::persistence::rdb::check_file(&path, limits, now, &mut std::io::stdout().lock());
            Err(ServerError::Load(e))
        }
    }
}

/// Starts an accept loop per TCP listener; returns their handles.
fn spawn_tcp_accepts(listeners: Vec<TcpListener>, acceptor: &Acceptor) -> Vec<tokio::task::JoinHandle<()>> {
    acceptor.held.set_tcp(&listeners);
    listeners
        .into_iter()
        .map(|l| {
            if let Ok(addr) = l.local_addr() {
                tracing::debug!("Listening on {addr}");
            }
            tokio::task::spawn_local(accept_tcp(l, acceptor.clone()))
        })
        .collect()
}

/// Calls [`Executor::cron`] `hz` times a second (re-reading `hz`, which CONFIG SET may change),
/// and also when a CLIENT PAUSE ends, so held clients resume on time.
async fn cron(executor: Rc<RefCell<Executor>>) {
    loop {
        let (hz, pause_end) = {
            let executor = executor.borrow();
            (u64::from(executor.state().config.hz.clamp(1, 500)), executor.pause_deadline())
        };
        let tick = tokio::time::Instant::now() + std::time::Duration::from_millis(1000 / hz);
        let wake = pause_end.map_or(tick, |end| tick.min(end.into()));
        tokio::time::sleep_until(wake).await;
        executor.borrow_mut().cron();
    }
}

/// Runs the background save in progress to its end: a bounded step at a time, yielding to the
/// connection tasks between steps so clients keep being served, then waits for the writer
/// thread's outcome off the executor.
async fn drive_background_save(executor: Rc<RefCell<Executor>>, save: u64) {
    use crate::persistence::bgsave::Step;
    loop {
        let (step, pause) = {
            let mut executor = executor.borrow_mut();
            let state = executor.state_mut();
            (state.background_save_step(save), state.background_save_pause())
        };
        match step {
            // Finished, aborted, or superseded by a newer save meanwhile.
            None => return,
            Some(Step::Working) => match pause {
                Some(delay) => tokio::time::sleep(delay).await,
                None => tokio::task::yield_now().await,
            },
            Some(Step::WriterBusy) => tokio::time::sleep(std::time::Duration::from_millis(1)).await,
            Some(Step::Written(outcome)) => {
                let outcome = outcome.await.unwrap_or_else(|_| Err(std::io::Error::other("the save thread vanished")));
                executor.borrow_mut().state_mut().finish_background_save(save, outcome);
                return;
            }
        }
    }
}

/// Serves [`ServerEvent`]s from the executor until SHUTDOWN (or a shutdown signal, which the
/// cron turns into one): new listeners from CONFIG SET port/bind replace the accept loops
/// (closing the old sockets; connected clients stay).
async fn run_until_shutdown(
    acceptor: &Acceptor,
    events: &mut mpsc::UnboundedReceiver<ServerEvent>,
    accepting: &mut Vec<tokio::task::JoinHandle<()>>,
) {
    let executor = &acceptor.executor;
    loop {
        match events.recv().await {
            Some(ServerEvent::Rebind(listeners)) => {
                for task in accepting.drain(..) {
                    task.abort();
                }
                *accepting = spawn_tcp_accepts(listeners, acceptor);
            }
            Some(ServerEvent::DriveBackgroundSave(save)) => {
                tokio::task::spawn_local(drive_background_save(executor.clone(), save));
            }
            Some(ServerEvent::FeedAof) => executor.borrow_mut().state_mut().feed_aof(),
            Some(ServerEvent::Shutdown) | None => return,
        }
    }
}

/// What the accept loop decided about a new connection.
enum Admission {
    /// Serve it.
    Accept,
    /// Send this reply and close.
    Refuse(&'static str),
}

fn admit(executor: &RefCell<Executor>, is_local: bool) -> Admission {
    let mut executor = executor.borrow_mut();
    let count = executor.client_count();
    admission(executor.state_mut(), count, is_local)
}

/// Whether a connection is served, with `count` clients connected.
fn admission(state: &mut ServerState, count: usize, is_local: bool) -> Admission {
    if count as u64 >= state.config.maxclients {
        state.stats.rejected_connections += 1;
        return Admission::Refuse("-ERR max number of clients reached\r\n");
    }
    let config = &state.config;
    if config.protected_mode && config.requirepass.is_none() && !is_local {
        return Admission::Refuse(PROTECTED_MODE_DENIED);
    }
    Admission::Accept
}

/// `ip:port`, with IPv6 addresses in brackets as Redis prints them.
fn format_addr(addr: std::net::SocketAddr) -> String {
    match addr {
        std::net::SocketAddr::V4(a) => a.to_string(),
        std::net::SocketAddr::V6(a) => match a.ip().to_ipv4_mapped() {
            Some(v4) => format!("{v4}:{}", a.port()),
            None => format!("[{}]:{}", a.ip(), a.port()),
        },
    }
}

async fn accept_tcp(listener: TcpListener, acceptor: Acceptor) {
    use std::os::fd::AsRawFd;
    let executor = &acceptor.executor;
    loop {
        let (mut stream, peer) = match listener.accept().await {
            Ok(pair) => pair,
            Err(e) => {
                tracing::warn!("Accepting client connection: {e}");
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        tracing::debug!("Accepted {}", format_addr(peer));
        let is_local = peer.ip().is_loopback() || peer.ip().to_canonical().is_loopback();
        if let Admission::Refuse(msg) = admit(executor, is_local) {
            tracing::debug!("Refusing client {peer}");
            tokio::task::spawn_local(async move {
                let _ = stream.write_all(msg.as_bytes()).await;
            });
            continue;
        }
        let keepalive = executor.borrow().state().config.tcp_keepalive;
        crate::listen::tune_accepted(&stream, keepalive);
        let local = stream.local_addr().map(format_addr).unwrap_or_default();
        let transport = Transport::Tcp { peer: format_addr(peer), local };
        let fd = stream.as_raw_fd();
        acceptor.spawn_client(Accepted::Tcp(stream), transport, fd);
    }
}

async fn accept_unix(listener: UnixListener, path: PathBuf, acceptor: Acceptor) {
    use std::os::fd::AsRawFd;
    let executor = &acceptor.executor;
    loop {
        let mut stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!("Accepting client connection: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        tracing::debug!("Accepted connection to {}", path.display());
        if let Admission::Refuse(msg) = admit(executor, true) {
            tokio::task::spawn_local(async move {
                let _ = stream.write_all(msg.as_bytes()).await;
            });
            continue;
        }
        let fd = stream.as_raw_fd();
        let transport = Transport::Unix { path: path.display().to_string() };
        acceptor.spawn_client(Accepted::Unix(stream), transport, fd);
    }
}

/// Logs (at `verbose`) that a client closed its connection, as Redis's readQueryFromClient does,
/// with the fields of its CLIENT LIST line that the connection layer knows.
fn log_client_closed(executor: &crate::executor::ExecutorMut<'_>, id: crate::state::ClientId) {
    if !tracing::enabled!(tracing::Level::DEBUG) {
        return;
    }
    let Some(c) = executor.client(id) else { return };
    tracing::debug!(
        "Client closed connection id={id} addr={} laddr={} fd={} name={} age={} idle={} db={} cmd={} user={} resp={}",
        c.peer_addr(),
        c.local_addr(),
        c.fd,
        String::from_utf8_lossy(&c.name),
        c.created.elapsed().as_secs(),
        c.last_interaction.elapsed().as_secs(),
        c.db,
        c.last_command,
        c.user,
        c.resp
    );
}

/// Registers a client for a connection and prepares what its task starts from.
fn new_client(
    state: &mut ServerState,
    clients: &mut ClientTable,
    transport: Transport,
    fd: i32,
    threaded: bool,
) -> connection::Start {
    let (tx, events) = mpsc::unbounded_channel();
    let in_flight = std::sync::Arc::default();
    let id = state.register_client(clients, NewClient { transport, fd, events: tx, in_flight: Arc::clone(&in_flight) });
    connection::Start {
        id,
        events,
        in_flight,
        counters: state.stats.io.clone(),
        limits: crate::protocol::DecodeLimits {
            max_bulk_len: state.config.proto_max_bulk_len,
            auth_required: state.config.requirepass.is_some(),
        },
        settings: link::Settings::from_config(&state.config),
        threaded,
    }
}

/// A connection just accepted.
enum Accepted {
    /// Over TCP.
    Tcp(tokio::net::TcpStream),
    /// Over the unix socket.
    Unix(tokio::net::UnixStream),
}

/// What the accept loops need: the executor to register clients with, and the I/O threads to
/// hand them to, when there are any.
#[derive(Clone)]
struct Acceptor {
    executor: Rc<RefCell<Executor>>,
    io_threads: Option<Rc<io_threads::IoThreads>>,
    /// Listeners a busy script or a load accepts from.
    held: Rc<blocked_accept::HeldListeners>,
}

impl Acceptor {
    /// Registers the client and starts its connection task: on this thread, or on an I/O
    /// thread.
    fn spawn_client(&self, stream: Accepted, transport: Transport, fd: i32) {
        let start = {
            let mut executor = self.executor.borrow_mut();
            let mut executor = executor.borrowed();
            let (state, clients) = executor.parts_mut();
            new_client(state, clients, transport, fd, self.io_threads.is_some())
        };
        let id = start.id;
        let Some(threads) = &self.io_threads else {
            let link = link::LocalLink(self.executor.clone());
            match stream {
                Accepted::Tcp(s) => drop(tokio::task::spawn_local(connection::serve(link, s, start))),
                Accepted::Unix(s) => drop(tokio::task::spawn_local(connection::serve(link, s, start))),
            }
            return;
        };
        let socket = match stream {
            Accepted::Tcp(s) => s.into_std().map(io_threads::Socket::Tcp),
            Accepted::Unix(s) => s.into_std().map(io_threads::Socket::Unix),
        };
        match socket {
            Ok(socket) => threads.assign(socket, start),
            Err(e) => {
                tracing::warn!("Could not hand client id={id} to an I/O thread: {e}");
                self.executor.borrow_mut().borrowed().unregister_client(id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn executor(config: Config) -> RefCell<Executor> {
        let table = CommandTable::build(&crate::commands::all(), &[]).expect("table");
        RefCell::new(Executor::new(config, table))
    }

    #[test]
    fn protected_mode_refuses_remote_clients_without_password() {
        let open = executor(Config::default());
        assert!(matches!(admit(&open, true), Admission::Accept));
        assert!(
            matches!(admit(&open, false), Admission::Refuse(msg) if msg.starts_with("-DENIED Redis is running in protected mode"))
        );

        let mut config = Config::default();
        config.requirepass = Some(b"pw".to_vec());
        let with_password = executor(config);
        assert!(matches!(admit(&with_password, false), Admission::Accept));

        let mut config = Config::default();
        config.protected_mode = false;
        let unprotected = executor(config);
        assert!(matches!(admit(&unprotected, false), Admission::Accept));
    }

    #[test]
    fn ipv6_addresses_are_bracketed() {
        assert_eq!(format_addr("[::1]:6379".parse().expect("addr")), "[::1]:6379");
        assert_eq!(format_addr("127.0.0.1:80".parse().expect("addr")), "127.0.0.1:80");
        assert_eq!(format_addr("[::ffff:10.0.0.1]:5".parse().expect("addr")), "10.0.0.1:5");
    }
}
