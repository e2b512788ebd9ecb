//! PERSIST: Remove the expiration from a key.

use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::now_ms;
use crate::state::Ctx;

/// PERSIST.
pub const SPEC: CommandSpec = CommandSpec {
    name: "persist",
    arity: 2,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::Generic,
    since: "2.2.0",
    summary: "Remove the expiration from a key",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let removed = db.contains(argv[1], now) && db.persist(argv[1]);
    if removed {
        ctx.changed(argv[1], NotifyFlags::GENERIC, "persist");
    }
    ctx.out.int(i64::from(removed));
}
