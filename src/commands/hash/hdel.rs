//! HDEL: Delete one or more hash fields.

use super::common::{changed, lookup_hash};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// HDEL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hdel",
    arity: -3,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::DELETE))],
    group: Group::Hash,
    since: "2.0.0",
    summary: "Delete one or more hash fields",
    complexity: "O(N) where N is the number of fields to be removed.",
    history: &[("2.4.0", "Accepts multiple `field` arguments.")],
    args: &[Arg::key(0), Arg { name: "field", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = lookup_hash(db, ctx.out, argv[1], now, Access::Write) else { return };
    let Some(hash) = hash else { return ctx.out.int(0) };
    let removed = argv[2..].iter().filter(|field| hash.remove(field)).count();
    // Redis never keeps an empty hash.
    let emptied = hash.is_empty();
    if emptied {
        db.remove(argv[1]);
    }
    ctx.out.int(removed as i64);
    if removed > 0 {
        changed(ctx, argv[1], "hdel", removed);
        if emptied {
            ctx.notify(NotifyFlags::GENERIC, "del", argv[1]);
        }
    }
}
