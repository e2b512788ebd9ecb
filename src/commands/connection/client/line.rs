//! The line describing one client in CLIENT LIST and CLIENT INFO: Redis 7.0's fields, in its order.
//!
//! Fields for state rkv has (id, addresses, fd, name, age, idle, flags, db, query and output
//! buffers, last command, user, protocol) are real. Fields for features rkv lacks yet (pub/sub
//! counts, tracking redirection) show what Redis shows for a client not using them, and
//! memory figures follow the shape of Redis's buffers (see [`Describer::append`]).
//!
//! Redis 7.2 appends `lib-name=` and `lib-ver=` to every line. rkv appends them only for a client
//! that set one with CLIENT SETINFO (which Redis 7.0 does not have): every other line stays
//! byte-for-byte 7.0's, and parsers that split fields on spaces read both shapes.

use std::fmt::Write;

use crate::state::{Client, ClientId, Ctx, Transport, Watches};

/// Redis's reply chunk (`PROTO_REPLY_CHUNK_BYTES`): the static reply buffer of a busy client and
/// the size of each further block of its reply list.
const REPLY_CHUNK: usize = 16 * 1024;
/// The static reply buffer Redis shrinks an idle client's to (`rbs`).
const IDLE_REPLY_BUFFER: usize = 1024;
/// What Redis reports as an idle client's total memory (`tot-mem`) with its buffers empty.
const IDLE_CLIENT_MEM: usize = 1800;

/// Describes clients as seen from inside the calling client's command.
pub struct Describer<'a> {
    /// The watched-keys registry (it holds the dirty flags).
    watches: &'a Watches,
    caller: ClientId,
    /// Bytes of the running command's arguments (`argv-mem`; other clients hold none).
    caller_argv_mem: usize,
    /// The caller's replies queued so far in this batch (they count as its output buffer).
    caller_output: usize,
}

impl<'a> Describer<'a> {
    /// A describer for the command `argv` that `ctx`'s client is running.
    pub fn new(ctx: &'a Ctx<'_>, argv: &[&[u8]]) -> Self {
        Describer {
            watches: &ctx.server.watches,
            caller: ctx.client.id,
            caller_argv_mem: argv.iter().map(|a| a.len()).sum(),
            caller_output: ctx.out.len(),
        }
    }

    /// Appends `client`'s line, newline included.
    pub fn append(&self, out: &mut String, client: &Client) {
        let is_caller = client.id == self.caller;
        let argv_mem = if is_caller { self.caller_argv_mem } else { 0 };
        // Everything not yet written to the socket: queued output and what the connection holds
        // (plus, for the caller, the replies of its running batch).
        let pending = client.pending_output() + if is_caller { self.caller_output } else { 0 };
        // Redis fills a static buffer first (`obl` bytes), then a list of chunks (`oll` blocks
        // holding `omem` bytes).
        let obl = pending.min(REPLY_CHUNK);
        let omem = pending - obl;
        let oll = omem.div_ceil(REPLY_CHUNK);
        let rbs = if pending == 0 { IDLE_REPLY_BUFFER } else { REPLY_CHUNK };
        let qbuf = client.query_buffer;
        let (watched, dirty) = self.watches.summary(client.id);
        let multi_mem = client.multi.as_ref().map_or(0, |tx| tx.argv_memory());
        let multi = client.multi.as_ref().map_or(-1, |tx| tx.len() as i64);
        let subs = client.subscriptions.as_deref();
        let sub = subs.map_or(0, |s| s.channels());
        let psub = subs.map_or(0, |s| s.patterns());
        let ssub = subs.map_or(0, |s| s.shard_channels());
        let tot_mem = IDLE_CLIENT_MEM + qbuf + argv_mem + pending + client.multi_memory(watched);
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={sub} psub={psub} ssub={ssub} multi={multi} \
             qbuf={qbuf} qbuf-free={} argv-mem={argv_mem} multi-mem={multi_mem} rbs={rbs} rbp={obl} obl={obl} oll={oll} \
             omem={omem} tot-mem={tot_mem} events=r cmd={} user={} redir={} resp={}",
            client.id,
            client.peer_addr(),
            client.local_addr(),
            client.fd,
            String::from_utf8_lossy(&client.name),
            client.created.elapsed().as_secs(),
            client.last_interaction.elapsed().as_secs(),
            flags(client, dirty),
            client.db,
            client.query_buffer_capacity.saturating_sub(qbuf),
            client.last_command,
            client.user,
            client.tracking.as_ref().map_or(-1, |t| t.redirect as i64),
            client.resp,
        );
        if !client.lib_name.is_empty() || !client.lib_ver.is_empty() {
            let name = String::from_utf8_lossy(&client.lib_name);
            let ver = String::from_utf8_lossy(&client.lib_ver);
            let _ = write!(out, " lib-name={name} lib-ver={ver}");
        }
        out.push('\n');
    }
}

/// The `flags=` letters in Redis's order, `N` when none applies; `dirty` is whether a key the
/// client watches changed. Letters for state rkv does not have yet (S, M, c, u, A, r)
/// take their places as that state arrives.
fn flags(client: &Client, dirty: bool) -> String {
    let mut flags = String::new();
    for (set, letter) in [
        (client.monitoring, 'O'),
        (client.in_pubsub(), 'P'),
        (client.multi.is_some(), 'x'),
        (client.is_waiting(), 'b'),
        (client.tracking.is_some(), 't'),
        (client.tracking.as_ref().is_some_and(|t| t.broken_redirect), 'R'),
        (client.tracking.as_ref().is_some_and(|t| t.bcast), 'B'),
        (dirty, 'd'),
        (matches!(client.transport, Transport::Unix { .. }), 'U'),
        (client.no_evict, 'e'),
        (client.no_touch, 'T'),
    ] {
        if set {
            flags.push(letter);
        }
    }
    if flags.is_empty() {
        flags.push('N');
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::NewClient;

    fn client(transport: Transport) -> Client {
        let (events, _) = tokio::sync::mpsc::unbounded_channel();
        Client::new(4, NewClient { transport, fd: 9, events, in_flight: Default::default() }, true)
    }

    fn line(client: &Client, caller_output: usize) -> String {
        let mut out = String::new();
        let watches = Watches::default();
        Describer { watches: &watches, caller: client.id, caller_argv_mem: 10, caller_output }.append(&mut out, client);
        out
    }

    #[test]
    fn unix_client_line() {
        let mut c = client(Transport::Unix { path: "/tmp/r.sock".to_owned() });
        c.no_evict = true;
        c.no_touch = true;
        assert_eq!(
            line(&c, 0),
            "id=4 addr=/tmp/r.sock:0 laddr=/tmp/r.sock:0 fd=9 name= age=0 idle=0 flags=UeT db=0 sub=0 psub=0 \
             ssub=0 multi=-1 qbuf=0 qbuf-free=16384 argv-mem=10 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 \
             tot-mem=1810 events=r cmd=NULL user=default redir=-1 resp=2\n"
        );
    }

    #[test]
    fn output_past_the_static_buffer_goes_to_the_list() {
        let c = client(Transport::Tcp { peer: "127.0.0.1:5000".to_owned(), local: "127.0.0.1:6379".to_owned() });
        let text = line(&c, REPLY_CHUNK + 1);
        assert!(text.contains(" flags=N "), "{text}");
        assert!(text.contains(" rbs=16384 rbp=16384 obl=16384 oll=1 omem=1 "), "{text}");
    }

    #[test]
    fn library_fields_only_once_set() {
        let mut c = client(Transport::Tcp { peer: "127.0.0.1:5000".to_owned(), local: "127.0.0.1:6379".to_owned() });
        assert!(line(&c, 0).ends_with(" resp=2\n"));
        c.lib_ver = b"1.0".to_vec();
        assert!(line(&c, 0).ends_with(" resp=2 lib-name= lib-ver=1.0\n"));
    }
}
