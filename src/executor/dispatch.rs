//! Command dispatch, in the order of Redis 7.0's `processCommand`: look the command up, check
//! arity, protected commands, authentication, memory (eviction, OOM), then run it and account for it.

use std::time::Instant;

use super::client::{Client, ClientTable, ReplyMode};
use super::{Ctx, ServerState};
use crate::commands::{CommandId, Flags, Lookup};
use crate::config::EnableMode;
use crate::protocol::Reply;

/// Longest command name or argument prefix quoted in an unknown-command error.
const QUOTE_LIMIT: usize = 128;

/// Runs one command for `client`, writing its reply to `out`.
pub(super) fn process_command(
    server: &mut ServerState,
    client: &mut Client,
    clients: &mut ClientTable,
    out: &mut Reply,
    argv: &[&[u8]],
) {
    let reply_start = out.len();
    client.last_interaction = Instant::now();
    // CLIENT REPLY SKIP applies to the command after it.
    let skip_this = client.reply_mode == ReplyMode::Skip;
    if skip_this {
        client.reply_mode = ReplyMode::SkipThis;
    }

    if let Some(id) = check(server, client, out, argv) {
        call(server, client, clients, out, argv, id);
    }

    let errors = out.take_errors();
    if !errors.is_empty() {
        server.stats.record_errors(errors);
    }
    match client.reply_mode {
        ReplyMode::Off => out.truncate(reply_start),
        ReplyMode::SkipThis => {
            out.truncate(reply_start);
            client.reply_mode = ReplyMode::On;
        }
        ReplyMode::On | ReplyMode::Skip => {}
    }
}

/// The checks before a command may run. On refusal, writes the error and returns `None`.
fn check(server: &mut ServerState, client: &mut Client, out: &mut Reply, argv: &[&[u8]]) -> Option<CommandId> {
    let id = match server.commands.lookup(argv) {
        Lookup::Found(id) => id,
        Lookup::Unknown => {
            out.error(&unknown_command_error(argv));
            return None;
        }
        Lookup::UnknownSubcommand(container) => {
            let name = server.commands.entry(container).fullname.to_ascii_uppercase();
            out.error(&format!("ERR unknown subcommand '{}'. Try {name} HELP.", truncated(argv[1], QUOTE_LIMIT)));
            server.stats.record_rejected(None);
            return None;
        }
    };
    let entry = server.commands.entry(id);
    let spec = entry.spec;
    client.last_command = entry.fullname;
    let reject = |server: &mut ServerState, out: &mut Reply, msg: &str| {
        out.error(msg);
        server.stats.record_rejected(Some(id));
        None
    };
    if !spec.arity_ok(argv.len()) {
        let msg = format!("ERR wrong number of arguments for '{}' command", entry.fullname);
        return reject(server, out, &msg);
    }
    if spec.flags.contains(Flags::PROTECTED) && !protected_allowed(server.config.enable_debug_command, client) {
        return reject(server, out, PROTECTED_DEBUG_ERROR);
    }
    if !client.authenticated && !spec.flags.contains(Flags::NO_AUTH) {
        return reject(server, out, "NOAUTH Authentication required.");
    }
    // Memory (Redis's performEvictions): stamp keys with this client's access clock and evict
    // down to maxmemory; commands that may grow memory are refused when that is impossible.
    if super::memory::before_command(server, client, spec).is_err() {
        return reject(server, out, super::memory::OOM_ERROR);
    }
    Some(id)
}

const PROTECTED_DEBUG_ERROR: &str = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.";

/// `enable-debug-command`: `yes`, `no`, or `local` (loopback and unix socket clients only).
fn protected_allowed(mode: EnableMode, client: &Client) -> bool {
    match mode {
        EnableMode::Yes => true,
        EnableMode::No => false,
        EnableMode::Local => client.is_local(),
    }
}

/// Runs an accepted command and records its statistics.
fn call(
    server: &mut ServerState,
    client: &mut Client,
    clients: &mut ClientTable,
    out: &mut Reply,
    argv: &[&[u8]],
    id: CommandId,
) {
    let handler = server.commands.entry(id).spec.handler;
    let started = Instant::now();
    let mut ctx = Ctx { server, client, clients, out };
    handler(&mut ctx, argv);
    let failed = ctx.out.has_errors();
    server.stats.record_call(id, started.elapsed(), failed);
}

/// `ERR unknown command 'foo', with args beginning with: 'a' 'b' `, quoting at most about 128
/// bytes of arguments as Redis does.
fn unknown_command_error(argv: &[&[u8]]) -> String {
    let mut args = String::new();
    for arg in argv.iter().skip(1) {
        if args.len() >= QUOTE_LIMIT {
            break;
        }
        let room = QUOTE_LIMIT - args.len();
        args.push('\'');
        args.push_str(&truncated(arg, room));
        args.push_str("' ");
    }
    let name = argv.first().map(|n| truncated(n, QUOTE_LIMIT)).unwrap_or_default();
    format!("ERR unknown command '{name}', with args beginning with: {args}")
}

/// At most `limit` bytes of `s`, as text (invalid UTF-8 shown lossily).
fn truncated(s: &[u8], limit: usize) -> String {
    String::from_utf8_lossy(&s[..s.len().min(limit)]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_command_text() {
        assert_eq!(
            unknown_command_error(&[b"foo", b"a", b"b"]),
            "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
        );
        assert_eq!(unknown_command_error(&[b"foo"]), "ERR unknown command 'foo', with args beginning with: ");
        let long = vec![b'x'; 300];
        let msg = unknown_command_error(&[b"foo", &long, b"next"]);
        assert_eq!(msg.matches('x').count(), 128);
        assert!(!msg.contains("next"));
    }
}
