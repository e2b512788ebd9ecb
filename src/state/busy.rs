//! A script running past `busy-reply-threshold` (Redis's `scriptInterrupt` and
//! `processEventsWhileBlocked`): the [`Running`] record other clients' commands consult (SCRIPT
//! KILL, FUNCTION KILL, FUNCTION STATS, SHUTDOWN, and the `-BUSY` refusal in dispatch), and
//! [`serve_clients`], which runs their requests while the script holds the executor's thread,
//! through what the server lent ([`WhileBusy`]): it accepts the connections waiting, then
//! serves the requests. With I/O threads, the connections read their own sockets on other
//! threads and queue jobs for the executor; the server runs those (see `server::io_threads`).
//!
//! With `io-threads 1` every connection task shares the executor's thread, so none of them can
//! run while the script does: their sockets are read here instead ([`serve_sockets`]). Only
//! whole requests are taken (peeked first, then consumed), and only from a connection that
//! holds nothing of its own (no partial request, no unwritten replies, no pending output), so
//! the task finds its stream intact afterwards. Requests then go through the executor's own dispatch (lent as
//! [`Dispatch`]), which refuses with `-BUSY` what is not flagged `allow-busy`. The running
//! script's client is not in the table while its batch runs, so its next requests wait, as
//! Redis's `protectClient` makes them.

use std::time::Instant;

use super::ServerState;
use super::call::CallClock;
use super::client::{Client, ClientTable, Transport};
use crate::protocol::{Batch, DecodeLimits, Reply, RequestDecoder};

/// How the executor runs one request of a client (its dispatch, with every check).
pub type Dispatch = fn(&mut ServerState, &mut Client, &mut ClientTable, &mut Reply, &[&[u8]], &mut CallClock);

/// How the server serves the other clients while a script is busy: accepts the connections
/// waiting (registering their clients), then runs the requests they sent meanwhile.
pub type WhileBusy = std::rc::Rc<dyn Fn(&mut ServerState, &mut ClientTable)>;

/// Most bytes of requests taken from one client per interruption.
const PEEK_LIMIT: usize = 64 * 1024;
/// Tries to write the replies to a client that does not read them before it is closed.
const WRITE_TRIES: u32 = 100;

/// The script or function running now.
#[derive(Debug)]
pub struct Running {
    /// EVAL (else FCALL).
    pub is_eval: bool,
    /// The function's name, or the script's SHA-1.
    pub name: String,
    /// The command that runs it (FUNCTION STATS).
    pub argv: Vec<Vec<u8>>,
    /// When it started.
    pub started: Instant,
    /// Libraries and functions loaded (FUNCTION STATS; the engine is out while it runs).
    pub counts: (usize, usize),
    /// It ran a write command: it can no longer be killed.
    pub wrote: bool,
    /// It passed `busy-reply-threshold`: other clients are refused with `-BUSY`.
    pub timed_out: bool,
    /// SCRIPT KILL or FUNCTION KILL asked it to stop.
    pub killed: bool,
}

impl Running {
    /// A run of `name` by `argv` starting now.
    pub fn new(is_eval: bool, name: String, argv: &[&[u8]], counts: (usize, usize)) -> Self {
        Running {
            is_eval,
            name,
            argv: argv.iter().map(|a| a.to_vec()).collect(),
            started: Instant::now(),
            counts,
            wrote: false,
            timed_out: false,
            killed: false,
        }
    }

    /// The `-BUSY` error (without the dash) for this kind of script.
    pub fn busy_error(&self) -> &'static str {
        busy_error(self.is_eval)
    }

    /// SCRIPT KILL (`by_eval`) or FUNCTION KILL (Redis's `scriptKill`): `Err` holds the refusal.
    pub fn kill(&mut self, by_eval: bool) -> Result<(), &'static str> {
        if self.wrote {
            return Err(UNKILLABLE);
        }
        if by_eval != self.is_eval {
            return Err(self.busy_error());
        }
        self.killed = true;
        Ok(())
    }
}

/// The `-BUSY` error of a running EVAL (`is_eval`) or function.
pub fn busy_error(is_eval: bool) -> &'static str {
    if is_eval {
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
    } else {
        "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
    }
}

/// The refusal of SCRIPT KILL and FUNCTION KILL with no script running.
pub const NOTBUSY: &str = "NOTBUSY No scripts in execution right now.";

const UNKILLABLE: &str = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";

/// Serves the other clients through what the server lent (see the module comment).
pub(super) fn serve_clients(server: &mut ServerState, clients: &mut ClientTable) {
    if let Some(serve) = server.scripting.while_busy.clone() {
        serve(server, clients);
    }
}

/// Without I/O threads: runs the complete requests waiting in the other clients' sockets.
pub fn serve_sockets(server: &mut ServerState, clients: &mut ClientTable) {
    let Some(dispatch) = server.scripting.dispatch else { return };
    let ready: Vec<_> = clients.iter().filter(|c| untouched(c)).map(|c| c.id).collect();
    for id in ready {
        if let Some(mut client) = clients.remove(id) {
            serve(server, &mut client, clients, dispatch);
            clients.insert(client);
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

/// Runs the whole requests waiting in `client`'s socket and writes their replies.
fn serve(server: &mut ServerState, client: &mut Client, clients: &mut ClientTable, dispatch: Dispatch) {
    let mut buf = vec![0u8; PEEK_LIMIT];
    // SAFETY: `buf` is valid for `buf.len()` bytes; MSG_PEEK leaves the bytes in the socket.
    let peeked =
        unsafe { libc::recv(client.fd, buf.as_mut_ptr().cast(), buf.len(), libc::MSG_PEEK | libc::MSG_DONTWAIT) };
    let Ok(peeked) = usize::try_from(peeked) else { return };
    let buf = &buf[..peeked];
    let limits = DecodeLimits { max_bulk_len: server.config.proto_max_bulk_len, auth_required: !client.authenticated };
    let (mut decoder, mut batch) = (RequestDecoder::new(), Batch::new());
    // Before AUTH the limits depend on each request, so only one is taken; a protocol error is
    // left to the connection task, which answers it once the script has ended.
    while let Ok(true) = decoder.next(buf, limits, &mut batch) {
        if limits.auth_required {
            break;
        }
    }
    let used = decoder.request_start();
    if batch.is_empty() {
        return;
    }
    let mut sink = vec![0u8; used];
    // SAFETY: `sink` is valid for `used` bytes, the ones just peeked (they are in the socket).
    let consumed = unsafe { libc::recv(client.fd, sink.as_mut_ptr().cast(), used, libc::MSG_DONTWAIT) };
    if usize::try_from(consumed).ok() != Some(used) {
        client.kill();
        return;
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
        client.kill();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kill_refusals_follow_redis_order() {
        let mut run = Running::new(true, "sha".to_owned(), &[b"eval"], (0, 0));
        assert_eq!(run.kill(false), Err(busy_error(true)));
        run.wrote = true;
        // A script that wrote is unkillable, whichever command asks.
        assert_eq!(run.kill(false), Err(UNKILLABLE));
        assert_eq!(run.kill(true), Err(UNKILLABLE));
        let mut run = Running::new(false, "f".to_owned(), &[b"fcall"], (1, 1));
        assert_eq!(run.kill(true), Err(busy_error(false)));
        assert_eq!(run.kill(false), Ok(()));
        assert!(run.killed);
    }
}
