//! SREM: Remove one or more members from a set.

use super::common::lookup_set;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// SREM.
pub const SPEC: CommandSpec = CommandSpec {
    name: "srem",
    arity: -3,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::SET,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::DELETE))],
    group: Group::Set,
    summary: "Remove one or more members from a set",
    complexity: "O(N) where N is the number of members to be removed.",
    history: &[("2.4.0", "Accepts multiple `member` arguments.")],
    args: &[Arg::key(0), Arg { name: "member", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let (removed, emptied) = match lookup_set(db, ctx.out, argv[1], now, Access::Write) {
        Err(_) => return,
        Ok(None) => (0, false),
        Ok(Some(set)) => (argv[2..].iter().filter(|m| set.remove(m)).count(), set.is_empty()),
    };
    if emptied {
        db.remove(argv[1]);
    }
    if removed > 0 {
        ctx.changed(argv[1], NotifyFlags::SET, "srem");
        if emptied {
            ctx.notify(NotifyFlags::GENERIC, "del", argv[1]);
        }
        ctx.add_dirty(removed as u64 - 1);
    }
    ctx.out.int(removed as i64);
}
