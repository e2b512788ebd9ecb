//! LMOVE: Pop an element from a list, push it to another list and return it.

use super::common::{DESTINATION_KEY, LEFT_RIGHT, SOURCE_KEY, move_element, parse_end};
use crate::commands::errors::Replied;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::Ctx;
use crate::types::quicklist::End;

/// LMOVE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lmove",
    arity: 5,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::LIST,
    keys: &[SOURCE_KEY, DESTINATION_KEY],
    group: Group::List,
    since: "6.2.0",
    summary: "Pop an element from a list, push it to another list and return it",
    complexity: "O(1)",
    args: &[
        Arg { name: "source", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "destination", kind: ArgKind::Key(1), ..Arg::DEFAULT },
        Arg { name: "wherefrom", kind: ArgKind::OneOf(LEFT_RIGHT), ..Arg::DEFAULT },
        Arg { name: "whereto", kind: ArgKind::OneOf(LEFT_RIGHT), ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(from) = parse_end(ctx.out, argv[3]) else { return };
    let Ok(to) = parse_end(ctx.out, argv[4]) else { return };
    reply_moved(ctx, argv[1], argv[2], from, to);
}

/// Moves one element and replies it, or null when the source does not exist (LMOVE,
/// RPOPLPUSH).
pub fn reply_moved(ctx: &mut Ctx<'_>, source: &[u8], destination: &[u8], from: End, to: End) {
    match move_element(ctx, source, destination, (from, to), true) {
        Ok(Some(element)) => ctx.out.bulk(&element),
        Ok(None) => ctx.out.null(),
        Err(Replied) => {}
    }
}
