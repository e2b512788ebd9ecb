//! RPOP: Remove and get the last elements in a list.

use super::common::SOURCE_KEY;
use super::lpop::pop_command;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::Ctx;
use crate::types::quicklist::End;

/// RPOP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "rpop",
    arity: -2,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::LIST,
    keys: &[SOURCE_KEY],
    group: Group::List,
    summary: "Remove and get the last elements in a list",
    complexity: "O(N) where N is the number of elements returned",
    history: &[("6.2.0", "Added the `count` argument.")],
    args: &[
        Arg::key(0),
        Arg { name: "count", kind: ArgKind::Integer, optional: true, since: Some("6.2.0"), ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    pop_command(ctx, argv, End::Back, "rpop");
}
