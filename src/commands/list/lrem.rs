//! LREM: Remove elements from a list.

use super::common::{changed, lookup_list, parse_long, remove_if_empty};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;
use crate::types::quicklist::End;

/// LREM.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lrem",
    arity: 4,
    flags: Flags::WRITE,
    acl: Acl::LIST,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::DELETE))],
    group: Group::List,
    summary: "Remove elements from a list",
    complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
    args: &[
        Arg::key(0),
        Arg { name: "count", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "element", ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(count) = parse_long(ctx.out, argv[2], None) else { return };
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(found) = lookup_list(db, ctx.out, argv[1], now, Access::Write) else { return };
    let Some(list) = found else { return ctx.out.int(0) };
    // A negative count removes from the tail; 0 removes every match.
    let from = if count < 0 { End::Back } else { End::Front };
    let limit = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
    let removed = list.remove_matching(argv[3], limit, from);
    let deleted = remove_if_empty(db, argv[1], now);
    ctx.out.int(removed as i64);
    if removed > 0 {
        changed(ctx, argv[1], "lrem", deleted, removed);
    }
}
