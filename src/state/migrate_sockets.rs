//! MIGRATE's connections to target servers, kept open between calls as Redis keeps them: one
//! blocking socket per `host:port`, at most 64, each closed after 10 idle seconds
//! (`migrate_cached_sockets` in INFO counts them).
//!
//! MIGRATE is synchronous in Redis (the server waits for the target, bounded by the command's
//! timeout), so these are plain blocking sockets used from the executor thread.

use std::collections::HashMap;
use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Most cached connections (Redis's `MIGRATE_SOCKET_CACHE_ITEMS`).
const MAX_SOCKETS: usize = 64;
/// Idle seconds after which a cached connection is closed (`MIGRATE_SOCKET_CACHE_TTL`).
const IDLE_SECS: u64 = 10;

/// One cached connection to a target.
#[derive(Debug)]
pub struct MigrateSocket {
    /// The connection.
    pub stream: TcpStream,
    /// The database the target has selected on this connection, when known.
    pub selected_db: Option<i64>,
    /// Unix time (seconds) of the last use.
    last_use: u64,
}

/// The cache, keyed by `host:port` as given to MIGRATE.
#[derive(Debug, Default)]
pub struct MigrateSockets {
    sockets: HashMap<Vec<u8>, MigrateSocket>,
}

/// The cache key of a target.
fn name(host: &[u8], port: &[u8]) -> Vec<u8> {
    [host, b":", port].concat()
}

/// Connects to `host:port` within `timeout`, trying each address the host resolves to.
fn connect(host: &[u8], port: u16, timeout: Duration) -> io::Result<TcpStream> {
    let host = std::str::from_utf8(host).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let mut last_error = io::Error::from(io::ErrorKind::AddrNotAvailable);
    for address in (host, port).to_socket_addrs()? {
        match TcpStream::connect_timeout(&address, timeout) {
            Ok(stream) => {
                stream.set_nodelay(true)?;
                return Ok(stream);
            }
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}

impl MigrateSockets {
    /// Number of cached connections.
    pub fn len(&self) -> usize {
        self.sockets.len()
    }

    /// Whether no connection is cached.
    pub fn is_empty(&self) -> bool {
        self.sockets.is_empty()
    }

    /// The cached connection to `host:port`, or a new one made within `timeout` (evicting an
    /// arbitrary cached one when the cache is full, as Redis drops a random one). The port is
    /// read as C's `atoi` reads it, as Redis does.
    pub fn get_or_connect(
        &mut self,
        host: &[u8],
        port: &[u8],
        timeout: Duration,
        now_secs: u64,
    ) -> io::Result<&mut MigrateSocket> {
        let key = name(host, port);
        if !self.sockets.contains_key(&key) {
            if self.sockets.len() >= MAX_SOCKETS {
                if let Some(victim) = self.sockets.keys().next().cloned() {
                    self.sockets.remove(&victim);
                }
            }
            let port = u16::try_from(crate::types::number::atoi(port)).unwrap_or(0);
            let stream = connect(host, port, timeout)?;
            self.sockets.insert(key.clone(), MigrateSocket { stream, selected_db: None, last_use: now_secs });
        }
        let socket = self.sockets.get_mut(&key).ok_or(io::ErrorKind::NotFound)?;
        socket.last_use = now_secs;
        Ok(socket)
    }

    /// The cached connection to `host:port`, if any.
    pub fn get(&mut self, host: &[u8], port: &[u8]) -> Option<&mut MigrateSocket> {
        self.sockets.get_mut(&name(host, port))
    }

    /// Closes the connection to `host:port`, if cached (after an error on it).
    pub fn close(&mut self, host: &[u8], port: &[u8]) {
        self.sockets.remove(&name(host, port));
    }

    /// Closes connections idle for more than 10 seconds (from the cron).
    pub fn close_idle(&mut self, now_secs: u64) {
        self.sockets.retain(|_, s| now_secs.saturating_sub(s.last_use) <= IDLE_SECS);
    }
}
