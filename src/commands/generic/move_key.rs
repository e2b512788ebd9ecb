//! MOVE: Move a key to another database.

use crate::commands::errors::NOT_INTEGER;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::now_ms;
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// MOVE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "move",
    arity: 3,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE))],
    group: Group::Generic,
    summary: "Move a key to another database",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "db", kind: ArgKind::Integer, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(index) = parse_i64(argv[2]).and_then(|n| i32::try_from(n).ok()) else {
        return ctx.out.error(NOT_INTEGER);
    };
    let target = match usize::try_from(index) {
        Ok(index) if index < ctx.server.dbs.len() => index,
        _ => return ctx.out.error("ERR DB index is out of range"),
    };
    if target == ctx.client.db {
        return ctx.out.error("ERR source and destination objects are the same");
    }
    let now = now_ms();
    let key = argv[1];
    if !ctx.server.dbs[ctx.client.db].contains(key, now) || ctx.server.dbs[target].contains(key, now) {
        return ctx.out.int(0);
    }
    if let Some((value, expire)) = ctx.server.dbs[ctx.client.db].take(key) {
        ctx.server.dbs[target].put(key, value, expire);
        // One change: `move_from` in the source database, then `move_to` in the target.
        ctx.signal_modified(target, key);
        ctx.changed(key, NotifyFlags::GENERIC, "move_from");
        ctx.notify_in(target, NotifyFlags::GENERIC, "move_to", key);
    }
    ctx.out.int(1);
}
