//! MONITOR: every command that runs is shown to the monitoring clients as one status line,
//! `+<unix time>.<micros> [<db> <client address>] "arg" "arg"…`, in Redis's format: arguments
//! quoted like `sdscatrepr`, AUTH and HELLO's credentials shown as `(redacted)`, administrative
//! commands and those flagged `skip_monitor` left out.

use super::client::{Client, ClientId, Transport};
use super::effects::Recipients;

/// Clients in MONITOR mode, in the order they asked.
#[derive(Debug, Default)]
pub struct Monitors {
    ids: Vec<ClientId>,
}

impl Monitors {
    /// Whether nobody monitors (the common case: feeding is then free).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds a monitoring client.
    pub fn add(&mut self, id: ClientId) {
        if !self.ids.contains(&id) {
            self.ids.push(id);
        }
    }

    /// Removes a client (disconnection, RESET).
    pub fn remove(&mut self, id: ClientId) {
        self.ids.retain(|&m| m != id);
    }

    /// Sends `line` (see [`format_line`]) to every monitor.
    pub(crate) fn feed(&self, to: &mut Recipients<'_>, line: &[u8]) {
        for &id in &self.ids {
            to.send(id, |out| out.raw(line));
        }
    }
}

/// The monitor line for `argv` run by `client` in database `db` at `now_us`, `+…\r\n`.
pub(crate) fn format_line(client: &Client, db: usize, argv: &[&[u8]], now_us: i64) -> Vec<u8> {
    let mut line = format!("+{}.{:06} [{db} ", now_us / 1_000_000, now_us % 1_000_000).into_bytes();
    match &client.transport {
        Transport::Unix { path } => line.extend_from_slice(format!("unix:{path}] ").as_bytes()),
        Transport::Tcp { peer, .. } => line.extend_from_slice(format!("{peer}] ").as_bytes()),
        Transport::Script => line.extend_from_slice(b"lua] "),
    }
    let hello_auth = argv.iter().position(|a| a.eq_ignore_ascii_case(b"auth")).filter(|&at| at > 0);
    for (i, arg) in argv.iter().enumerate() {
        if i > 0 {
            line.push(b' ');
        }
        if is_redacted(argv[0], hello_auth, i) {
            line.extend_from_slice(b"\"(redacted)\"");
        } else {
            crate::protocol::quote_repr(&mut line, arg);
        }
    }
    line.extend_from_slice(b"\r\n");
    line
}

/// Whether argument `i` hides a credential: every one after AUTH's name; for HELLO, the two
/// after its `AUTH` token (at `hello_auth`).
fn is_redacted(name: &[u8], hello_auth: Option<usize>, i: usize) -> bool {
    if name.eq_ignore_ascii_case(b"auth") {
        return i >= 1;
    }
    name.eq_ignore_ascii_case(b"hello") && hello_auth.is_some_and(|at| i == at + 1 || i == at + 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::NewClient;

    fn client(transport: Transport) -> Client {
        let (events, _) = tokio::sync::mpsc::unbounded_channel();
        Client::new(7, NewClient { transport, fd: 3, events, in_flight: Default::default() }, true)
    }

    #[test]
    fn lines_quote_like_sdscatrepr() {
        let c = client(Transport::Tcp { peer: "127.0.0.1:5000".to_owned(), local: "127.0.0.1:6379".to_owned() });
        let line = format_line(&c, 3, &[b"set", b"k\"\n", b"\x00\xff ok"], 1_700_000_000_000_042);
        assert_eq!(
            String::from_utf8(line).expect("ascii"),
            "+1700000000.000042 [3 127.0.0.1:5000] \"set\" \"k\\\"\\n\" \"\\x00\\xff ok\"\r\n"
        );
    }

    #[test]
    fn credentials_are_redacted() {
        let c = client(Transport::Unix { path: "/tmp/s.sock".to_owned() });
        let auth = String::from_utf8(format_line(&c, 0, &[b"AUTH", b"user", b"pw"], 0)).expect("ascii");
        assert_eq!(auth, "+0.000000 [0 unix:/tmp/s.sock] \"AUTH\" \"(redacted)\" \"(redacted)\"\r\n");
        let hello = String::from_utf8(format_line(&c, 0, &[b"hello", b"3", b"auth", b"u", b"p", b"setname", b"n"], 0))
            .expect("ascii");
        assert!(
            hello.ends_with("\"hello\" \"3\" \"auth\" \"(redacted)\" \"(redacted)\" \"setname\" \"n\"\r\n"),
            "{hello}"
        );
    }
}
