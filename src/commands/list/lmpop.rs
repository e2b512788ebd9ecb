//! LMPOP: Pop elements from a list.

use super::common::{LEFT_RIGHT, mpop, parse_mpop, propagate_mpop, reply_popped};
use crate::commands::errors::Replied;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// LMPOP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lmpop",
    arity: -4,
    flags: Flags::WRITE.union(Flags::MOVABLE_KEYS),
    acl: Acl::LIST,
    keys: &[KeySpec {
        flags: KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE),
        begin: BeginSearch::Index(1),
        find: FindKeys::Keynum { keynum_idx: 0, first_key: 1, step: 1 },
        notes: None,
    }],
    group: Group::List,
    since: "7.0.0",
    summary: "Pop elements from a list",
    complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
    args: &[
        Arg { name: "numkeys", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT },
        Arg { name: "where", kind: ArgKind::OneOf(LEFT_RIGHT), ..Arg::DEFAULT },
        Arg { name: "count", kind: ArgKind::Integer, token: Some("COUNT"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(args) = parse_mpop(ctx.out, &argv[1..]) else { return };
    match mpop(ctx, &args, true) {
        Ok(Some(popped)) => {
            reply_popped(ctx.out, &popped);
            propagate_mpop(ctx, args.end, &popped);
        }
        Ok(None) => ctx.out.null_array(),
        Err(Replied) => {}
    }
}
