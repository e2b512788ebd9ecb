//! Serving clients while the executor's thread is held (Redis's `processEventsWhileBlocked`): a
//! script past `busy-reply-threshold`, or the dataset being loaded (at startup, DEBUG RELOAD,
//! DEBUG LOADAOF). The holder calls [`serve_clients`] from time to time, which runs what the
//! server lent ([`ServeOthers`]): it accepts the connections waiting, then serves the requests
//! through the executor's own dispatch, which refuses with `-LOADING` or `-BUSY` what may not
//! run meanwhile. The client holding the thread is not in the table while its batch runs (and,
//! on an I/O thread, has its one job in flight), so its next requests wait, as Redis's
//! `protectClient` makes them.
//!
//! With I/O threads the connections read their own sockets on other threads and queue jobs for
//! the executor; the server runs those (see `server::io_threads`), and a connection that ends
//! meanwhile is released through the same queue.
//!
//! With `io-threads 1` every connection task shares the executor's thread, so none of them can
//! run meanwhile: their sockets are read here instead ([`serve_sockets`]). Only whole requests
//! are taken (peeked first, then consumed), and only from a connection that holds nothing of
//! its own (no partial request, no unwritten replies, no pending output), so the task finds its
//! stream intact afterwards. Requests then go through the executor's dispatch (lent as
//! [`Dispatch`]). A connection that ends meanwhile (closed by the client, QUIT) has its client
//! forgotten here, as Redis frees it.

use std::time::Instant;

use super::ServerState;
use super::call::CallClock;
use super::client::{Client, ClientTable, Transport};
use crate::protocol::{Batch, DecodeLimits, Reply, RequestDecoder};

/// How the executor runs one request of a client (its dispatch, with every check).
pub type Dispatch = fn(&mut ServerState, &mut Client, &mut ClientTable, &mut Reply, &[&[u8]], &mut CallClock);

/// How the server serves the other clients meanwhile: accepts the connections waiting
/// (registering their clients), then runs the requests they sent.
pub type ServeOthers = std::rc::Rc<dyn Fn(&mut ServerState, &mut ClientTable)>;

/// Most bytes of requests taken from one client per interruption.
const PEEK_LIMIT: usize = 64 * 1024;
/// Tries to write the replies to a client that does not read them before it is closed.
const WRITE_TRIES: u32 = 100;

/// What the executor and the server lend the holder of the thread, and whether it is serving.
#[derive(Default)]
pub struct WhileBlocked {
    /// The executor's dispatch (set when the executor is built).
    pub dispatch: Option<Dispatch>,
    /// The server's way to serve the other clients (set when the server starts).
    pub serve: Option<ServeOthers>,
    /// Clients are being served now: a command served meanwhile that holds the thread in
    /// turn (DEBUG RELOAD during a load) serves nobody.
    serving: bool,
}

/// Serves the other clients through what the server lent (see the module comment).
pub(super) fn serve_clients(server: &mut ServerState, clients: &mut ClientTable) {
    let Some(serve) = server.while_blocked.serve.clone() else { return };
    if server.while_blocked.serving {
        return;
    }
    server.while_blocked.serving = true;
    serve(server, clients);
    server.while_blocked.serving = false;
}

/// Without I/O threads: runs the complete requests waiting in the other clients' sockets.
pub fn serve_sockets(server: &mut ServerState, clients: &mut ClientTable) {
    let Some(dispatch) = server.while_blocked.dispatch else { return };
    let ready: Vec<_> = clients.iter().filter(|c| untouched(c)).map(|c| c.id).collect();
    for id in ready {
        if let Some(mut client) = clients.remove(id) {
            let open = serve(server, &mut client, clients, dispatch);
            clients.insert(client);
            if !open {
                server.forget_client(clients, id);
            }
        }
    }
}

/// A client whose connection task holds nothing of its stream, and that may run commands.
fn untouched(c: &Client) -> bool {
    c.transport != Transport::Script
        && c.fd >= 0
        && !c.close_asap
        && !c.close_after_reply
        && c.query_buffer == 0
        && c.pending_output() == 0
        && !c.is_waiting()
        && c.deferred.is_empty()
}

/// Runs the whole requests waiting in `client`'s socket and writes their replies; false when
/// the connection ended (the client closed it, QUIT, or it could not be written to).
fn serve(server: &mut ServerState, client: &mut Client, clients: &mut ClientTable, dispatch: Dispatch) -> bool {
    let mut buf = vec![0u8; PEEK_LIMIT];
    // SAFETY: `buf` is valid for `buf.len()` bytes; MSG_PEEK leaves the bytes in the socket.
    let peeked =
        unsafe { libc::recv(client.fd, buf.as_mut_ptr().cast(), buf.len(), libc::MSG_PEEK | libc::MSG_DONTWAIT) };
    let Ok(peeked) = usize::try_from(peeked) else { return true };
    if peeked == 0 {
        return false;
    }
    let buf = &buf[..peeked];
    let limits = DecodeLimits { max_bulk_len: server.config.proto_max_bulk_len, auth_required: !client.authenticated };
    let (mut decoder, mut batch) = (RequestDecoder::new(), Batch::new());
    // Before AUTH the limits depend on each request, so only one is taken; a protocol error is
    // left to the connection task, which answers it once the thread is free.
    while let Ok(true) = decoder.next(buf, limits, &mut batch) {
        if limits.auth_required {
            break;
        }
    }
    let used = decoder.request_start();
    if batch.is_empty() {
        return true;
    }
    let mut sink = vec![0u8; used];
    // SAFETY: `sink` is valid for `used` bytes, the ones just peeked (they are in the socket).
    let consumed = unsafe { libc::recv(client.fd, sink.as_mut_ptr().cast(), used, libc::MSG_DONTWAIT) };
    if usize::try_from(consumed).ok() != Some(used) {
        return hang_up(client.fd);
    }
    server.stats.net_input_bytes += used as u64;
    client.last_interaction = Instant::now();
    let mut out = Reply::new(client.resp == 3);
    let mut clock = CallClock::start();
    let mut argv: Vec<&[u8]> = Vec::with_capacity(8);
    for args in batch.iter(buf) {
        if client.close_after_reply || server.shutdown.is_some() {
            break;
        }
        argv.clear();
        argv.extend(args);
        dispatch(server, client, clients, &mut out, &argv, &mut clock);
    }
    // SHUTDOWN NOSAVE's client is closed with the others once the listeners are (the port then
    // refuses connections by the time it sees its connection end).
    let closing = (client.close_after_reply && server.shutdown.is_none()) || client.close_asap;
    if !write_all(client.fd, out.as_bytes()) || closing {
        return hang_up(client.fd);
    }
    true
}

/// Ends the connection on `fd` now (QUIT, a failed write), as Redis frees the client: the peer
/// sees the end at once, though the socket is closed only by its task once the thread is free.
/// Returns false: the client is to be forgotten.
fn hang_up(fd: i32) -> bool {
    // SAFETY: `fd` is the client's socket, still open (its connection task owns and closes it).
    unsafe { libc::shutdown(fd, libc::SHUT_RDWR) };
    false
}

/// Writes `bytes` to the non-blocking socket `fd`, retrying briefly while it is full; false
/// when it could not.
fn write_all(fd: i32, mut bytes: &[u8]) -> bool {
    for _ in 0..WRITE_TRIES {
        if bytes.is_empty() {
            return true;
        }
        // SAFETY: `bytes` is valid for `bytes.len()` bytes.
        let n = unsafe { libc::send(fd, bytes.as_ptr().cast(), bytes.len(), libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL) };
        match usize::try_from(n) {
            Ok(n) => bytes = &bytes[n..],
            Err(_) if std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            Err(_) => return false,
        }
    }
    bytes.is_empty()
}
