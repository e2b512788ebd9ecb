//! BLMPOP: Pop elements from a list, or block until one is available.

use super::common::{LEFT_RIGHT, mpop, parse_mpop, propagate_mpop, reply_popped};
use crate::commands::blocking::parse_timeout;
use crate::commands::errors::Replied;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::{Ctx, OnTimeout};

/// BLMPOP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "blmpop",
    arity: -5,
    flags: Flags::WRITE.union(Flags::BLOCKING).union(Flags::MOVABLE_KEYS),
    acl: Acl::LIST,
    keys: &[KeySpec {
        flags: KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE),
        begin: BeginSearch::Index(2),
        find: FindKeys::Keynum { keynum_idx: 0, first_key: 1, step: 1 },
        notes: None,
    }],
    group: Group::List,
    since: "7.0.0",
    summary: "Pop elements from a list, or block until one is available",
    complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
    args: &[
        Arg { name: "timeout", kind: ArgKind::Double, ..Arg::DEFAULT },
        Arg { name: "numkeys", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT },
        Arg { name: "where", kind: ArgKind::OneOf(LEFT_RIGHT), ..Arg::DEFAULT },
        Arg { name: "count", kind: ArgKind::Integer, token: Some("COUNT"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    // Redis checks the keys, direction and count before the timeout.
    let Ok(args) = parse_mpop(ctx.out, &argv[2..]) else { return };
    let Ok(timeout) = parse_timeout(ctx.out, argv[1]) else { return };
    // Propagated as `LPOP|RPOP key count`, whether it pops at once or serves a blocked client.
    match mpop(ctx, &args, true) {
        Ok(Some(popped)) => {
            reply_popped(ctx.out, &popped);
            propagate_mpop(ctx, args.end, &popped);
        }
        Ok(None) => ctx.block(argv, args.keys, "list", timeout, OnTimeout::NullArray),
        Err(Replied) => {}
    }
}
