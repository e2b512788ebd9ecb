//! ZRANGE: Return a range of members in a sorted set.

use super::common::WITHSCORES;
use super::range::{Form, reply_range};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// ZRANGE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zrange",
    arity: -4,
    flags: Flags::READONLY,
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "1.2.0",
    summary: "Return a range of members in a sorted set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
    history: &[("6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.")],
    args: &[
        Arg::key(0),
        Arg { name: "start", ..Arg::DEFAULT },
        Arg { name: "stop", ..Arg::DEFAULT },
        Arg {
            name: "sortby",
            kind: ArgKind::OneOf(&[
                Arg { name: "byscore", kind: ArgKind::PureToken, token: Some("BYSCORE"), ..Arg::DEFAULT },
                Arg { name: "bylex", kind: ArgKind::PureToken, token: Some("BYLEX"), ..Arg::DEFAULT },
            ]),
            optional: true,
            since: Some("6.2.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "rev",
            kind: ArgKind::PureToken,
            token: Some("REV"),
            optional: true,
            since: Some("6.2.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "offset_count",
            kind: ArgKind::Block(&[
                Arg { name: "offset", kind: ArgKind::Integer, ..Arg::DEFAULT },
                Arg { name: "count", kind: ArgKind::Integer, ..Arg::DEFAULT },
            ]),
            token: Some("LIMIT"),
            optional: true,
            since: Some("6.2.0"),
            ..Arg::DEFAULT
        },
        WITHSCORES,
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_range(ctx, argv, Form { kind: None, rev: None, store: false });
}
