//! Connections that arrive while the executor's thread is held by a busy script or a load
//! (Redis's `processEventsWhileBlocked` accepting them), and the hook that serves every client
//! meanwhile ([`install`]). The accept loops share the thread the holder has, so its hook
//! accepts from duplicates of the listening sockets instead. Each connection is admitted and
//! registered as the accept loops do, then handed to an I/O thread, which serves it at once
//! (its jobs reach the hook), or, without I/O threads, given a connection task (it first runs
//! once the thread is free; until then `state::blocked` serves its requests like any other
//! client's).

use std::cell::RefCell;
use std::os::fd::{AsFd, AsRawFd};
use std::rc::{Rc, Weak};

use super::io_threads::{IoThreads, Socket};
use super::{Acceptor, Admission, admission, connection, format_addr, link, new_client};
use crate::executor::{Executor, ExecutorMut};
use crate::state::{ClientTable, ServerState, Transport};

/// Most connections taken from one listener per interruption.
const ACCEPTS_PER_CALL: usize = 16;

/// Duplicates of the listening sockets, for the hook of whatever holds the thread.
pub(super) struct HeldListeners {
    tcp: RefCell<Vec<std::net::TcpListener>>,
    unix: RefCell<Option<(std::os::unix::net::UnixListener, String)>>,
    executor: Weak<RefCell<Executor>>,
    /// Where new connections go, when there are I/O threads.
    io_threads: Option<Rc<IoThreads>>,
}

impl HeldListeners {
    /// Listeners for `executor`, with a duplicate of its unix socket listener (and its path),
    /// handing connections to `io_threads` when there are any.
    pub(super) fn new(
        executor: &Rc<RefCell<Executor>>,
        unix: Option<(&tokio::net::UnixListener, String)>,
        io_threads: Option<Rc<IoThreads>>,
    ) -> Self {
        let unix = unix.and_then(|(l, path)| {
            let dup = std::os::unix::net::UnixListener::from(l.as_fd().try_clone_to_owned().ok()?);
            dup.set_nonblocking(true).ok()?;
            Some((dup, path))
        });
        HeldListeners {
            tcp: RefCell::default(),
            unix: RefCell::new(unix),
            executor: Rc::downgrade(executor),
            io_threads,
        }
    }

    /// Takes duplicates of the TCP listeners now in use (at startup and after CONFIG SET port or
    /// bind replaced them; the old duplicates close).
    pub(super) fn set_tcp(&self, listeners: &[tokio::net::TcpListener]) {
        let dups = listeners.iter().filter_map(|l| {
            let dup = std::net::TcpListener::from(l.as_fd().try_clone_to_owned().ok()?);
            dup.set_nonblocking(true).ok()?;
            Some(dup)
        });
        *self.tcp.borrow_mut() = dups.collect();
    }

    /// Closes the duplicates (shutdown: the port must refuse connections).
    pub(super) fn close(&self) {
        self.tcp.borrow_mut().clear();
        self.unix.borrow_mut().take();
    }

    /// Accepts the connections waiting on every listener.
    pub(super) fn accept(&self, state: &mut ServerState, clients: &mut ClientTable) {
        for listener in self.tcp.borrow().iter() {
            for _ in 0..ACCEPTS_PER_CALL {
                let Ok((stream, peer)) = listener.accept() else { break };
                let is_local = peer.ip().is_loopback() || peer.ip().to_canonical().is_loopback();
                let local = stream.local_addr().map(format_addr).unwrap_or_default();
                let transport = Transport::Tcp { peer: format_addr(peer), local };
                if let Some(stream) = admit(state, clients, stream, is_local) {
                    crate::listen::tune_accepted(&stream, state.config.tcp_keepalive);
                    self.serve(state, clients, Socket::Tcp(stream), transport);
                }
            }
        }
        if let Some((listener, path)) = self.unix.borrow().as_ref() {
            for _ in 0..ACCEPTS_PER_CALL {
                let Ok((stream, _)) = listener.accept() else { break };
                if let Some(stream) = admit(state, clients, stream, true) {
                    self.serve(state, clients, Socket::Unix(stream), Transport::Unix { path: path.clone() });
                }
            }
        }
    }

    /// Registers the client of `socket` and hands it to an I/O thread, or spawns its connection
    /// task here (it runs once the thread is free).
    fn serve(&self, state: &mut ServerState, clients: &mut ClientTable, socket: Socket, transport: Transport) {
        if let Some(threads) = &self.io_threads {
            let start = new_client(state, clients, transport, socket.as_raw_fd(), true);
            return threads.assign(socket, start);
        }
        let Some(executor) = self.executor.upgrade() else { return };
        let link = link::LocalLink(executor);
        match socket {
            Socket::Tcp(s) => {
                if let Ok(s) = tokio::net::TcpStream::from_std(s) {
                    let start = new_client(state, clients, transport, s.as_raw_fd(), false);
                    drop(tokio::task::spawn_local(connection::serve(link, s, start)));
                }
            }
            Socket::Unix(s) => {
                if let Ok(s) = tokio::net::UnixStream::from_std(s) {
                    let start = new_client(state, clients, transport, s.as_raw_fd(), false);
                    drop(tokio::task::spawn_local(connection::serve(link, s, start)));
                }
            }
        }
    }
}

/// Admits a connection as the accept loops do (a refused one gets its error, best effort),
/// made non-blocking for the runtime.
fn admit<S: std::io::Write + SetNonblocking>(
    state: &mut ServerState,
    clients: &ClientTable,
    mut stream: S,
    is_local: bool,
) -> Option<S> {
    if let Admission::Refuse(msg) = admission(state, clients.len(), is_local) {
        let _ = stream.write(msg.as_bytes());
        return None;
    }
    stream.set_nonblocking().ok()?;
    Some(stream)
}

/// Sockets that can be made non-blocking.
trait SetNonblocking {
    /// Makes the socket non-blocking.
    fn set_nonblocking(&self) -> std::io::Result<()>;
}

impl SetNonblocking for std::net::TcpStream {
    fn set_nonblocking(&self) -> std::io::Result<()> {
        std::net::TcpStream::set_nonblocking(self, true)
    }
}

impl SetNonblocking for std::os::unix::net::UnixStream {
    fn set_nonblocking(&self) -> std::io::Result<()> {
        std::os::unix::net::UnixStream::set_nonblocking(self, true)
    }
}

/// Lends the hook of whatever holds the thread (a busy script, a load) the way to serve the
/// other clients: accept the connections waiting, then run their requests (the I/O threads'
/// queued jobs, or without I/O threads the requests waiting in their sockets).
pub(super) fn install(acceptor: &Acceptor) {
    let held = acceptor.held.clone();
    let serve: crate::state::blocked::ServeOthers = Rc::new(move |state, clients| {
        held.accept(state, clients);
        match &held.io_threads {
            Some(threads) => threads.serve_queued(&mut ExecutorMut::new(state, clients)),
            None => crate::state::blocked::serve_sockets(state, clients),
        }
    });
    acceptor.executor.borrow_mut().state_mut().while_blocked.serve = Some(serve);
}
