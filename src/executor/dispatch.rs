//! Command dispatch, in the order of Redis 7.0's `processCommand`: look the command up, check
//! arity, protected commands, authentication, memory (eviction, OOM), disk errors, loading, a
//! busy script, then run it and account for it.

use crate::commands::{CommandId, Flags, Lookup};
use crate::protocol::Reply;
use crate::state::{CallClock, Client, ClientTable, Recipients, ReplyMode, ServerState, Source, call, multi};

/// Longest command name or argument prefix quoted in an unknown-command error.
const QUOTE_LIMIT: usize = 128;

/// Runs one command for `client`, writing its reply to `out`.
pub(super) fn process_command(
    server: &mut ServerState,
    client: &mut Client,
    clients: &mut ClientTable,
    out: &mut Reply,
    argv: &[&[u8]],
    clock: &mut CallClock,
) {
    let reply_start = out.len();
    // CLIENT REPLY SKIP applies to the command after it.
    let was_off = client.reply_mode == ReplyMode::Off;
    let skip_this = client.reply_mode == ReplyMode::Skip;
    if skip_this {
        client.reply_mode = ReplyMode::SkipThis;
    }

    let checked = check(server, client, out, argv);
    if !server.memory.evictor.just_evicted.is_empty() {
        // Keys evicted to make room are reported before the command runs.
        let limits = server.config.client_output_limits;
        crate::state::effects::report_evicted(server, &mut Recipients { clients, caller: Some((client, out)), limits });
    }
    if server.tracking.is_active() {
        let limits = server.config.client_output_limits;
        let max_keys = server.config.tracking_table_max_keys;
        server.tracking.enforce_limit(&mut Recipients { clients, caller: Some((client, out)), limits }, max_keys);
    }
    let ran = checked.map(|(id, _)| server.commands.entry(id).fullname);
    if server.pause.writes_paused() {
        server.check_pause(clients);
    }
    match checked {
        Some((id, flags)) if server.postpone_if_paused(client, id, flags, argv) => {}
        Some((id, flags)) if client.multi.is_some() && !ran.is_some_and(multi::runs_inside_multi) => {
            multi::queue(server, client, out, argv, id, flags);
        }
        Some((id, _)) => call(server, client, clients, out, argv, id, clock, Source::Client),
        None => multi::flag_refused(client),
    }
    // CLIENT CACHING applies to the next command only (kept across a transaction's queueing).
    if let Some(t) = client.tracking.as_deref_mut()
        && client.multi.is_none()
        && !ran.is_some_and(|name| name.starts_with("client|"))
    {
        t.caching = false;
    }
    // Clients blocked on keys this command pushed to are served before anything else runs
    // (not while a script is busy: its writes are not over).
    if server.scripting.busy().is_none() {
        crate::state::blocking::serve_ready_keys(server, clients);
    }

    let errors = out.take_errors();
    if !errors.is_empty() {
        server.stats.record_errors(errors);
    }
    match client.reply_mode {
        // A command that turned replies off wrote nothing after doing so (EXEC drops its own
        // replies from a queued CLIENT REPLY OFF on).
        ReplyMode::Off if was_off => out.truncate(reply_start),
        ReplyMode::Off => {}
        ReplyMode::SkipThis => {
            out.truncate(reply_start);
            client.reply_mode = ReplyMode::On;
        }
        ReplyMode::On | ReplyMode::Skip => {}
    }
    if client.enforce_output_limit(&server.config.client_output_limits, out.len()) {
        out.clear();
    }
}

/// The checks before a command may run: the command and the flags it runs with (a script's
/// declared ones included). On refusal, writes the error and returns `None`.
fn check(server: &mut ServerState, client: &mut Client, out: &mut Reply, argv: &[&[u8]]) -> Option<(CommandId, Flags)> {
    let id = match server.commands.lookup(argv) {
        Lookup::Found(id) => id,
        Lookup::Unknown => {
            out.error_bytes(&unknown_command_error(argv));
            return None;
        }
        Lookup::UnknownSubcommand(container) => {
            let name = server.commands.entry(container).fullname.to_ascii_uppercase();
            let sub = truncated(argv[1], QUOTE_LIMIT);
            out.error_bytes(&[b"ERR unknown subcommand '", sub, b"'. Try ", name.as_bytes(), b" HELP."].concat());
            server.stats.record_rejected(None);
            return None;
        }
    };
    let entry = server.commands.entry(id);
    let spec = entry.spec;
    client.last_command = entry.fullname;
    let fullname = entry.fullname;
    let reject = |server: &mut ServerState, client: &mut Client, out: &mut Reply, msg: &str| {
        multi::refusal(server, client, out, fullname, msg);
        server.stats.record_rejected(Some(id));
        None
    };
    if !spec.arity_ok(argv.len()) {
        let msg = format!("ERR wrong number of arguments for '{fullname}' command");
        return reject(server, client, out, &msg);
    }
    if spec.flags.contains(Flags::PROTECTED) && !server.config.enable_debug_command.allows(client.is_local()) {
        return reject(server, client, out, PROTECTED_DEBUG_ERROR);
    }
    let flags = server.command_flags(spec, argv);
    if !client.authenticated && !spec.flags.contains(Flags::NO_AUTH) {
        return reject(server, client, out, "NOAUTH Authentication required.");
    }
    if client.multi.is_some() && spec.flags.contains(Flags::NO_MULTI) {
        return reject(server, client, out, "ERR Command not allowed inside a transaction");
    }
    // Memory (Redis's performEvictions): stamp keys with this client's access clock and evict
    // down to maxmemory; commands that may grow memory are refused when that is impossible.
    // Nothing is evicted under a busy script.
    let busy = server.scripting.busy().map(|r| r.busy_error());
    if busy.is_none() && crate::state::memory::before_command(server, client, spec, flags).is_err() {
        return reject(server, client, out, crate::state::memory::OOM_ERROR);
    }
    // Redis refuses writes, and PING, while the last background save failed. A write is Redis's
    // `is_write_command`: flagged so, or EXEC of a transaction holding one.
    let is_write = flags.contains(Flags::WRITE)
        || (spec.name == "exec" && client.multi.as_ref().is_some_and(|t| t.queues(Flags::WRITE)));
    if server.writes_refused_for_disk_errors() && (is_write || spec.name == "ping") {
        return reject(server, client, out, MISCONF_ERROR);
    }
    if let Some(why) = server.aof.write_error()
        && (is_write || spec.name == "ping")
    {
        return reject(server, client, out, &format!("MISCONF Errors writing to the AOF file: {why}"));
    }
    if is_write && !server.enough_good_replicas() {
        return reject(server, client, out, NOREPLICAS_ERROR);
    }
    // A RESP2 connection in Pub/Sub mode, checked after memory and disk as Redis does.
    if client.resp == 2 && client.in_pubsub() && !allowed_when_subscribed(fullname) {
        let msg = format!(
            "ERR Can't execute '{fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
        );
        return reject(server, client, out, &msg);
    }
    // While the dataset loads only `loading` commands run (EXEC: when all it queued are), Redis's
    // `is_denyloading_command`.
    let denied_while_loading = !flags.contains(Flags::LOADING)
        || (spec.name == "exec" && client.multi.as_ref().is_some_and(|t| t.queues_lacking(Flags::LOADING)));
    if server.is_loading() && denied_while_loading {
        return reject(server, client, out, crate::state::loading::LOADING_ERROR);
    }
    // A script past `busy-reply-threshold`: only `allow-busy` commands run meanwhile.
    if let Some(busy) = busy
        && !spec.flags.contains(Flags::ALLOW_BUSY)
    {
        return reject(server, client, out, busy);
    }
    Some((id, flags))
}

use crate::state::persist::MISCONF_ERROR;
use crate::state::replication::NOREPLICAS_ERROR;

const PROTECTED_DEBUG_ERROR: &str = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.";

/// The commands a RESP2 client in subscribed mode may still send.
fn allowed_when_subscribed(fullname: &str) -> bool {
    matches!(
        fullname,
        "ping"
            | "subscribe"
            | "ssubscribe"
            | "unsubscribe"
            | "sunsubscribe"
            | "psubscribe"
            | "punsubscribe"
            | "quit"
            | "reset"
    )
}

/// `ERR unknown command 'foo', with args beginning with: 'a' 'b' `, quoting at most about 128
/// bytes of arguments as Redis does. Arguments are echoed as sent, each cut at its first NUL like
/// the `%s` Redis formats them with.
fn unknown_command_error(argv: &[&[u8]]) -> Vec<u8> {
    let mut args = Vec::new();
    for arg in argv.iter().skip(1) {
        if args.len() >= QUOTE_LIMIT {
            break;
        }
        let room = QUOTE_LIMIT - args.len();
        args.push(b'\'');
        args.extend_from_slice(truncated(arg, room));
        args.extend_from_slice(b"' ");
    }
    let name = argv.first().map(|n| truncated(n, QUOTE_LIMIT)).unwrap_or_default();
    [b"ERR unknown command '", name, b"', with args beginning with: ", &args].concat()
}

/// At most `limit` bytes of `s`, stopping at a NUL (C's `%.*s`).
fn truncated(s: &[u8], limit: usize) -> &[u8] {
    let s = &s[..s.len().min(limit)];
    s.iter().position(|&b| b == 0).map_or(s, |nul| &s[..nul])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_mode_admits_loopback_and_unix_clients_only() {
        use crate::config::EnableMode;
        use crate::state::{NewClient, Transport};
        let client = |transport: Transport| {
            let (events, _) = tokio::sync::mpsc::unbounded_channel();
            Client::new(1, NewClient { transport, fd: 3, events, in_flight: Default::default() }, true)
        };
        let tcp = |peer: &str| client(Transport::Tcp { peer: peer.to_owned(), local: "10.0.0.2:6379".to_owned() });
        // Integration tests only reach the server over loopback, so the refusal is checked here.
        assert!(!EnableMode::Local.allows(tcp("10.0.0.1:5000").is_local()));
        assert!(!EnableMode::Local.allows(tcp("[2001:db8::1]:5000").is_local()));
        assert!(EnableMode::Local.allows(tcp("127.0.0.1:5000").is_local()));
        assert!(EnableMode::Local.allows(tcp("[::1]:5000").is_local()));
        assert!(EnableMode::Local.allows(client(Transport::Unix { path: "/tmp/s".to_owned() }).is_local()));
        assert!(EnableMode::Yes.allows(tcp("10.0.0.1:5000").is_local()));
        assert!(!EnableMode::No.allows(tcp("127.0.0.1:5000").is_local()));
    }

    #[test]
    fn unknown_command_text() {
        assert_eq!(
            unknown_command_error(&[b"foo", b"a", b"b"]),
            b"ERR unknown command 'foo', with args beginning with: 'a' 'b' "
        );
        assert_eq!(unknown_command_error(&[b"foo"]), b"ERR unknown command 'foo', with args beginning with: ");
        let long = vec![b'x'; 300];
        let msg = unknown_command_error(&[b"foo", &long, b"next"]);
        assert_eq!(msg.iter().filter(|&&b| b == b'x').count(), 128);
        assert!(!msg.windows(4).any(|w| w == b"next"));
        // Raw bytes, cut at NUL as C's %s does.
        assert_eq!(
            unknown_command_error(&[b"f\xc3(\0x", b"a\0b", b"\xff"]),
            b"ERR unknown command 'f\xc3(', with args beginning with: 'a' '\xff' "
        );
    }
}
