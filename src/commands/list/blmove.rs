//! BLMOVE: Pop an element from a list, push it to another list and return it; or block until one
//! is available.

use super::common::{DESTINATION_KEY, LEFT_RIGHT, SOURCE_KEY, move_element, parse_end};
use crate::commands::blocking::parse_timeout;
use crate::commands::errors::Replied;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::executor::{BlockTimeout, Ctx, OnTimeout};
use crate::types::quicklist::End;

/// BLMOVE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "blmove",
    arity: 6,
    flags: FLAGS,
    acl: Acl::LIST,
    keys: &[SOURCE_KEY, DESTINATION_KEY],
    group: Group::List,
    since: "6.2.0",
    summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
    complexity: "O(1)",
    args: &[
        Arg { name: "source", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "destination", kind: ArgKind::Key(1), ..Arg::DEFAULT },
        Arg { name: "wherefrom", kind: ArgKind::OneOf(LEFT_RIGHT), ..Arg::DEFAULT },
        Arg { name: "whereto", kind: ArgKind::OneOf(LEFT_RIGHT), ..Arg::DEFAULT },
        Arg { name: "timeout", kind: ArgKind::Double, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// The flags of BLMOVE and BRPOPLPUSH.
pub const FLAGS: Flags = Flags::WRITE.union(Flags::DENYOOM).union(Flags::NOSCRIPT).union(Flags::BLOCKING);

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(from) = parse_end(ctx.out, argv[3]) else { return };
    let Ok(to) = parse_end(ctx.out, argv[4]) else { return };
    let Ok(timeout) = parse_timeout(ctx.out, argv[5]) else { return };
    move_or_block(ctx, argv, (from, to), timeout);
}

/// BLMOVE/BRPOPLPUSH: moves one element from `argv[1]` to `argv[2]` between the given ends and
/// replies it, or blocks until the source list exists.
pub fn move_or_block(ctx: &mut Ctx<'_>, argv: &[&[u8]], (from, to): (End, End), timeout: BlockTimeout) {
    let (source, destination) = (argv[1], argv[2]);
    match move_element(ctx, source, destination, from, to) {
        Ok(Some(element)) => ctx.out.bulk(&element),
        Ok(None) => ctx.block(argv, &[source], "list", timeout, OnTimeout::NullBulk),
        Err(Replied) => {}
    }
}
