//! ZRANGESTORE: Store a range of members from sorted set into another key.

use super::common::LIMIT;
use super::range::store_range;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// ZRANGESTORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zrangestore",
    arity: -5,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::SORTEDSET,
    keys: &[
        KeySpec::single(KeyFlags::OW.union(KeyFlags::UPDATE)),
        KeySpec {
            flags: KeyFlags::RO.union(KeyFlags::ACCESS),
            begin: BeginSearch::Index(2),
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        },
    ],
    group: Group::SortedSet,
    since: "6.2.0",
    summary: "Store a range of members from sorted set into another key",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
    args: &[
        Arg { name: "dst", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "src", kind: ArgKind::Key(1), ..Arg::DEFAULT },
        Arg { name: "min", ..Arg::DEFAULT },
        Arg { name: "max", ..Arg::DEFAULT },
        Arg {
            name: "sortby",
            kind: ArgKind::OneOf(&[
                Arg { name: "byscore", kind: ArgKind::PureToken, token: Some("BYSCORE"), ..Arg::DEFAULT },
                Arg { name: "bylex", kind: ArgKind::PureToken, token: Some("BYLEX"), ..Arg::DEFAULT },
            ]),
            optional: true,
            ..Arg::DEFAULT
        },
        Arg { name: "rev", kind: ArgKind::PureToken, token: Some("REV"), optional: true, ..Arg::DEFAULT },
        LIMIT,
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    store_range(ctx, argv);
}
