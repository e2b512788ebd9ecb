//! ZREM: Remove one or more members from a sorted set.

use super::common::{changed, lookup_zset};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;

/// ZREM.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zrem",
    arity: -3,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::DELETE))],
    group: Group::SortedSet,
    since: "1.2.0",
    summary: "Remove one or more members from a sorted set",
    complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
    history: &[("2.4.0", "Accepts multiple elements.")],
    args: &[Arg::key(0), Arg { name: "member", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let removed = match lookup_zset(db, ctx.out, argv[1], Access::Write) {
        Err(_) => return,
        Ok(None) => 0,
        Ok(Some(zset)) => {
            let mut removed = 0;
            // Redis stops at the member that empties the set.
            for member in &argv[2..] {
                removed += usize::from(zset.remove(member).is_some());
                if zset.is_empty() {
                    break;
                }
            }
            removed
        }
    };
    if removed > 0 {
        changed(ctx, argv[1], "zrem", removed);
    }
    ctx.out.int(removed as i64);
}
