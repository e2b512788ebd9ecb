//! Listening sockets (opened at startup, and again when CONFIG SET changes `port` or `bind`):
//! `bind` addresses (IPv4 and IPv6, `*`, `::*`, and the `-` prefix that makes an address
//! optional) and the unix socket. Addresses that stay bound across a change keep their socket.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

use socket2::{Domain, Socket, Type};
use tokio::net::{TcpListener, UnixListener};

use crate::config::Config;

/// A listener could not be set up.
#[derive(Debug)]
pub struct ListenError(pub String);

impl std::fmt::Display for ListenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ListenError {}

/// Opens a TCP listener for each `bind` address (none when `port` is 0).
pub fn bind_tcp(config: &Config) -> Result<Vec<TcpListener>, ListenError> {
    if config.port == 0 {
        return Ok(Vec::new());
    }
    let mut listeners = Vec::new();
    let mut bound = Vec::new();
    for spec in &config.bind {
        let (optional, addr) = match spec.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, spec.as_str()),
        };
        let ip: IpAddr = match addr {
            "*" => Ipv4Addr::UNSPECIFIED.into(),
            "::*" => Ipv6Addr::UNSPECIFIED.into(),
            other => other.parse().map_err(|_| ListenError(format!("Invalid bind address '{other}'")))?,
        };
        let socket_addr = SocketAddr::new(ip, config.port);
        match reuse_or_listen(socket_addr, config.tcp_backlog) {
            Ok(l) => {
                bound.push((socket_addr, l.1));
                listeners.push(l.0);
            }
            Err(e) if optional || is_unsupported_family(&e) && addr == "::*" => {
                tracing::warn!("Skipping optional bind address {addr}:{}: {e}", config.port);
            }
            Err(e) => {
                return Err(ListenError(format!("Failed listening on port {} (tcp), aborting: {e}", config.port)));
            }
        }
    }
    if listeners.is_empty() {
        return Err(ListenError(format!("Failed listening on port {} (tcp), aborting.", config.port)));
    }
    // The new set replaces the old one; sockets left out close once their accept loops stop.
    *BOUND.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = bound;
    Ok(listeners)
}

/// Forgets the listening sockets (shutdown): they close once their accept loops stop.
pub fn forget_bound() {
    BOUND.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
}

/// The listening sockets in use, by address, each as a duplicate descriptor. CONFIG SET bind or
/// port opens the new set before the old one closes; an address in both keeps its socket (as in
/// Redis, whose already-bound addresses stay open), because a second socket could not bind it.
static BOUND: std::sync::Mutex<Vec<(SocketAddr, OwnedFd)>> = std::sync::Mutex::new(Vec::new());

/// A listener on `addr`: the socket already listening there, or a new one. Also returns a
/// duplicate descriptor for [`BOUND`].
fn reuse_or_listen(addr: SocketAddr, backlog: u32) -> std::io::Result<(TcpListener, OwnedFd)> {
    let existing = {
        let bound = BOUND.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        bound.iter().find(|(a, _)| *a == addr).map(|(_, fd)| fd.try_clone()).transpose()?
    };
    let std_listener = match existing {
        Some(fd) => {
            let l = std::net::TcpListener::from(fd);
            l.set_nonblocking(true)?;
            l
        }
        None => listen(addr, backlog)?,
    };
    let dup = std_listener.as_fd().try_clone_to_owned()?;
    Ok((TcpListener::from_std(std_listener)?, dup))
}

fn is_unsupported_family(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::EAFNOSUPPORT) || e.raw_os_error() == Some(libc::EADDRNOTAVAIL)
}

fn listen(addr: SocketAddr, backlog: u32) -> std::io::Result<std::net::TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    if addr.is_ipv6() {
        socket.set_only_v6(true)?;
    }
    socket.bind(&addr.into())?;
    socket.listen(i32::try_from(backlog).unwrap_or(i32::MAX))?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

/// Opens the unix socket listener, replacing a stale socket file, with `unixsocketperm`.
pub fn bind_unix(path: &Path, perm: u32) -> Result<UnixListener, ListenError> {
    let fail = |e: std::io::Error| ListenError(format!("Failed opening Unix socket: {e}"));
    if path.exists() {
        std::fs::remove_file(path).map_err(fail)?;
    }
    let listener = UnixListener::bind(path).map_err(fail)?;
    if perm != 0 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(perm)).map_err(fail)?;
    }
    Ok(listener)
}

/// Applies `tcp-keepalive` and TCP_NODELAY to an accepted socket (tokio's or std's).
pub fn tune_accepted(stream: &impl std::os::fd::AsFd, keepalive_secs: u64) {
    let sock = socket2::SockRef::from(stream);
    // Failures only cost latency or dead-peer detection; the connection still works.
    let _ = sock.set_tcp_nodelay(true);
    if keepalive_secs > 0 {
        let secs = std::time::Duration::from_secs(keepalive_secs);
        let ka = socket2::TcpKeepalive::new().with_time(secs).with_interval(secs / 3);
        let _ = sock.set_tcp_keepalive(&ka);
    }
}
