//! PING [message]

use crate::commands::{Acl, Arg, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// PING.
pub const SPEC: CommandSpec = CommandSpec {
    name: "ping",
    arity: -1,
    flags: Flags::FAST,
    acl: Acl::CONNECTION,
    group: Group::Connection,
    summary: "Ping the server",
    complexity: "O(1)",
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    args: &[Arg { name: "message", optional: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    // A RESP2 client in subscribed mode gets `["pong", message]`, as a message would look.
    if ctx.client.resp == 2 && ctx.client.in_pubsub() {
        ctx.out.array(2);
        ctx.out.bulk(b"pong");
        return ctx.out.bulk(argv.get(1).copied().unwrap_or_default());
    }
    match argv {
        [_] => ctx.out.simple("PONG"),
        [_, message] => ctx.out.bulk(message),
        _ => ctx.out.error("ERR wrong number of arguments for 'ping' command"),
    }
}
