//! FLUSHALL: Remove all keys from all databases.

use super::flushdb::{flush, parse_flush_mode};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::executor::Ctx;

/// FLUSHALL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "flushall",
    arity: -1,
    flags: Flags::WRITE,
    acl: Acl::KEYSPACE.union(Acl::DANGEROUS),
    group: Group::Server,
    summary: "Remove all keys from all databases",
    complexity: "O(N) where N is the total number of keys in all databases",
    history: &[
        ("4.0.0", "Added the `ASYNC` flushing mode modifier."),
        ("6.2.0", "Added the `SYNC` flushing mode modifier."),
    ],
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    args: &[Arg {
        name: "async",
        kind: ArgKind::OneOf(&[
            Arg { name: "async", kind: ArgKind::PureToken, token: Some("ASYNC"), since: Some("4.0.0"), ..Arg::DEFAULT },
            Arg { name: "sync", kind: ArgKind::PureToken, token: Some("SYNC"), since: Some("6.2.0"), ..Arg::DEFAULT },
        ]),
        optional: true,
        ..Arg::DEFAULT
    }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(lazy) = parse_flush_mode(ctx, argv) else { return };
    let count = ctx.server.dbs.len();
    flush(ctx, 0..count, lazy);
}
