//! GETDEL: Get the value of a key and delete the key.

use super::common::{deletion_command, lookup_string, reply_optional};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::Access;
use crate::keyspace::now_ms;
use crate::state::Ctx;

/// GETDEL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "getdel",
    arity: 2,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE))],
    group: Group::String,
    since: "6.2.0",
    summary: "Get the value of a key and delete the key",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(value) = lookup_string(db, ctx.out, argv[1], now, Access::Read) else { return };
    reply_optional(ctx.out, value.as_deref());
    if value.is_some() {
        db.remove(argv[1]);
        // Propagated as a deletion (UNLINK with `lazyfree-lazy-user-del yes`), as in Redis.
        if ctx.server.propagation.is_enabled() {
            ctx.propagate_as(&[deletion_command(&ctx.server.config, "lazyfree-lazy-user-del"), argv[1]]);
        }
        ctx.changed(argv[1], NotifyFlags::GENERIC, "del");
    }
}
