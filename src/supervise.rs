//! Service-manager supervision (`supervised`), as Redis's `redisIsSupervised`: systemd's
//! `sd_notify` protocol over the datagram socket named by `NOTIFY_SOCKET`, and upstart's
//! stop-to-signal-readiness.
//!
//! Decided once at startup, before daemonizing (a supervised server does not fork, as in Redis);
//! the messages are Redis 7.0.15's: `STATUS=Redis is loading...` at start, `STATUS=Ready to
//! accept connections` then `READY=1` once listening, `STOPPING=1` when shutdown begins.

use std::sync::atomic::{AtomicU8, Ordering};

/// How the server is supervised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    /// Not supervised.
    No = 0,
    /// systemd (`Type=notify`).
    Systemd = 1,
    /// upstart (`expect stop`).
    Upstart = 2,
}

static MODE: AtomicU8 = AtomicU8::new(Mode::No as u8);

/// The supervision in effect (for INFO's `process_supervised`).
pub fn mode() -> Mode {
    match MODE.load(Ordering::Relaxed) {
        1 => Mode::Systemd,
        2 => Mode::Upstart,
        _ => Mode::No,
    }
}

/// INFO's `process_supervised` value.
pub fn mode_name() -> &'static str {
    match mode() {
        Mode::No => "no",
        Mode::Systemd => "systemd",
        Mode::Upstart => "upstart",
    }
}

/// Applies the `supervised` directive (`no`, `systemd`, `upstart`, `auto`) at startup; returns
/// whether the server is supervised (then it must not daemonize). Logs as Redis does, so call it
/// once logging is set up.
pub fn start(directive: &[u8]) -> bool {
    let mut wanted = match directive {
        b"systemd" => Mode::Systemd,
        b"upstart" => Mode::Upstart,
        _ => Mode::No,
    };
    if directive == b"auto" {
        if std::env::var_os("UPSTART_JOB").is_some() {
            tracing::debug!("Upstart supervision detected.");
            wanted = Mode::Upstart;
        } else if std::env::var_os("NOTIFY_SOCKET").is_some() {
            tracing::debug!("Systemd supervision detected.");
            wanted = Mode::Systemd;
        }
    }
    let supervised = match wanted {
        Mode::No => false,
        Mode::Systemd => {
            let ok = notify("STATUS=Redis is loading...\n");
            if ok {
                tracing::info!(
                    "Supervised by systemd. Please make sure you set appropriate values for TimeoutStartSec and TimeoutStopSec in your service unit."
                );
            }
            ok
        }
        Mode::Upstart => start_upstart(),
    };
    if supervised {
        MODE.store(wanted as u8, Ordering::Relaxed);
    }
    supervised
}

fn start_upstart() -> bool {
    if std::env::var_os("UPSTART_JOB").is_none() {
        tracing::warn!("upstart supervision requested, but UPSTART_JOB not found!");
        return false;
    }
    tracing::info!("supervised by upstart, will stop to signal readiness.");
    // SAFETY: raising a signal at ourselves; upstart resumes us with SIGCONT.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
    // SAFETY: startup runs before any other thread exists, so nothing reads the environment
    // concurrently.
    unsafe {
        std::env::remove_var("UPSTART_JOB");
    }
    true
}

/// Tells systemd the server accepts connections (after the listeners are bound).
pub fn ready() {
    if mode() == Mode::Systemd {
        notify("STATUS=Ready to accept connections\n");
        notify("READY=1\n");
    }
}

/// Tells systemd the server is shutting down.
pub fn stopping() {
    if mode() == Mode::Systemd {
        notify("STOPPING=1\n");
    }
}

/// Sends one `sd_notify` message; false (with Redis's warning) when it could not be sent.
fn notify(message: &str) -> bool {
    let Some(path) = std::env::var_os("NOTIFY_SOCKET").filter(|p| !p.is_empty()) else {
        tracing::warn!("systemd supervision error: NOTIFY_SOCKET not found!");
        return false;
    };
    match send(&path, message.as_bytes()) {
        Ok(()) => true,
        Err(e) => {
            // sd_notify reports a negative errno.
            tracing::warn!("systemd supervision error: sd_notify: -{}", e.raw_os_error().unwrap_or(libc::EINVAL));
            false
        }
    }
}

/// Sends `message` to the datagram socket at `path`; a leading `@` names an abstract socket, as
/// in sd_notify.
fn send(path: &std::ffi::OsStr, message: &[u8]) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let socket = std::os::unix::net::UnixDatagram::unbound()?;
    let bytes = path.as_bytes();
    if let Some(name) = bytes.strip_prefix(b"@") {
        use std::os::linux::net::SocketAddrExt;
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(name)?;
        socket.send_to_addr(message, &addr)?;
    } else {
        socket.send_to(message, path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_to_path_and_abstract_sockets() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("notify");
        let receiver = std::os::unix::net::UnixDatagram::bind(&path).expect("bind");
        send(path.as_os_str(), b"READY=1\n").expect("send");
        let mut buf = [0u8; 64];
        let n = receiver.recv(&mut buf).expect("recv");
        assert_eq!(&buf[..n], b"READY=1\n");

        use std::os::linux::net::SocketAddrExt;
        let name = format!("rkv-supervise-test-{}", std::process::id());
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes()).expect("addr");
        let abstract_receiver = std::os::unix::net::UnixDatagram::bind_addr(&addr).expect("bind abstract");
        send(std::ffi::OsStr::new(&format!("@{name}")), b"STOPPING=1\n").expect("send abstract");
        let n = abstract_receiver.recv(&mut buf).expect("recv");
        assert_eq!(&buf[..n], b"STOPPING=1\n");
    }

    #[test]
    fn missing_socket_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(send(dir.path().join("absent").as_os_str(), b"READY=1\n").is_err());
    }
}
