//! LPUSH: Prepend one or multiple elements to a list.

use super::common::{changed, list_for_write, lookup_list, shape};
use crate::commands::errors::Replied;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;
use crate::types::quicklist::End;

/// LPUSH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lpush",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::LIST,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::INSERT))],
    group: Group::List,
    summary: "Prepend one or multiple elements to a list",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    history: &[("2.4.0", "Accepts multiple `element` arguments.")],
    args: &[Arg::key(0), Arg { name: "element", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    push(ctx, argv, End::Front, false);
}

/// Pushes every element after the key at `end` (LPUSH, RPUSH, LPUSHX, RPUSHX) and replies the
/// list's new length; `only_existing` leaves a missing key alone and replies 0.
pub fn push(ctx: &mut Ctx<'_>, argv: &[&[u8]], end: End, only_existing: bool) {
    let now = now_ms();
    let shape = shape(ctx);
    let db = &mut ctx.server.dbs[ctx.client.db];
    let key = argv[1];
    let list = if only_existing {
        match lookup_list(db, ctx.out, key, now, Access::Write) {
            Ok(Some(list)) => list,
            Ok(None) => return ctx.out.int(0),
            Err(Replied) => return,
        }
    } else {
        let Ok(list) = list_for_write(db, ctx.out, key, now, shape) else { return };
        list
    };
    for element in &argv[2..] {
        list.push(end, element);
    }
    ctx.out.int(list.len() as i64);
    let event = match end {
        End::Front => "lpush",
        End::Back => "rpush",
    };
    changed(ctx, key, event, false, argv.len() - 2);
}
