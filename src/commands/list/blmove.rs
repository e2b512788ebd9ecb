//! BLMOVE: Pop an element from a list, push it to another list and return it; or block until one
//! is available.

use super::common::{DESTINATION_KEY, LEFT_RIGHT, SOURCE_KEY, move_element, parse_end};
use crate::commands::blocking::{parse_timeout, serving_blocked};
use crate::commands::errors::Replied;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::{BlockTimeout, Ctx, OnTimeout};
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
    // Redis 7.0 counts no change when it serves a blocked client.
    let served = serving_blocked(ctx);
    match move_element(ctx, source, destination, (from, to), !served) {
        Ok(Some(element)) => {
            propagate_move(ctx, argv, (from, to), served);
            ctx.out.bulk(&element);
        }
        Ok(None) => ctx.block(argv, &[source], "list", timeout, OnTimeout::NullBulk),
        Err(Replied) => {}
    }
}

/// Propagates what BLMOVE or BRPOPLPUSH did, as Redis 7.0 does: `RPOPLPUSH source destination`
/// for BRPOPLPUSH; `LMOVE source destination from to` for BLMOVE, with the directions as the
/// client spelled them when it moved at once, and as `left`/`right` (Redis's shared strings)
/// when it served a blocked client.
fn propagate_move(ctx: &mut Ctx<'_>, argv: &[&[u8]], (from, to): (End, End), served: bool) {
    if !ctx.server.propagation.is_enabled() {
        return;
    }
    if argv.len() == 4 {
        return ctx.propagate_as(&[b"RPOPLPUSH", argv[1], argv[2]]);
    }
    let side = |end: End| -> &'static [u8] {
        match end {
            End::Front => b"left",
            End::Back => b"right",
        }
    };
    if served {
        ctx.propagate_as(&[b"LMOVE", argv[1], argv[2], side(from), side(to)]);
    } else {
        ctx.propagate_as(&[b"LMOVE", argv[1], argv[2], argv[3], argv[4]]);
    }
}
