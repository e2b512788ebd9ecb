//! Listening sockets (opened at startup, and again when CONFIG SET changes `port` or `bind`): `bind` addresses (IPv4 and IPv6, `*`, `::*`, and the `-` prefix that makes
//! an address optional) and the unix socket.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
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
        match listen(SocketAddr::new(ip, config.port), config.tcp_backlog) {
            Ok(l) => listeners.push(l),
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
    Ok(listeners)
}

fn is_unsupported_family(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::EAFNOSUPPORT) || e.raw_os_error() == Some(libc::EADDRNOTAVAIL)
}

fn listen(addr: SocketAddr, backlog: u32) -> std::io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    if addr.is_ipv6() {
        socket.set_only_v6(true)?;
    }
    socket.bind(&addr.into())?;
    socket.listen(i32::try_from(backlog).unwrap_or(i32::MAX))?;
    socket.set_nonblocking(true)?;
    TcpListener::from_std(socket.into())
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

/// Applies `tcp-keepalive` and TCP_NODELAY to an accepted socket.
pub fn tune_accepted(stream: &tokio::net::TcpStream, keepalive_secs: u64) {
    // Failures only cost latency or dead-peer detection; the connection still works.
    let _ = stream.set_nodelay(true);
    if keepalive_secs > 0 {
        let sock = socket2::SockRef::from(stream);
        let secs = std::time::Duration::from_secs(keepalive_secs);
        let ka = socket2::TcpKeepalive::new().with_time(secs).with_interval(secs / 3);
        let _ = sock.set_tcp_keepalive(&ka);
    }
}
