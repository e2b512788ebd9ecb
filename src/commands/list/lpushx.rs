//! LPUSHX: Prepend an element to a list, only if the list exists.

use super::lpush::push;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::quicklist::End;

/// LPUSHX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lpushx",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::LIST,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::INSERT))],
    group: Group::List,
    since: "2.2.0",
    summary: "Prepend an element to a list, only if the list exists",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    history: &[("4.0.0", "Accepts multiple `element` arguments.")],
    args: &[Arg::key(0), Arg { name: "element", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    push(ctx, argv, End::Front, true);
}
