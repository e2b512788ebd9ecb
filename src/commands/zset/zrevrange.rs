//! ZREVRANGE: Return a range of members in a sorted set, by index, with scores ordered from high to low.

use super::common::WITHSCORES;
use super::range::{Form, Kind, reply_range};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, DocFlags, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// ZREVRANGE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zrevrange",
    arity: -4,
    flags: Flags::READONLY,
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "1.2.0",
    summary: "Return a range of members in a sorted set, by index, with scores ordered from high to low",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`ZRANGE` with the `REV` argument"),
    args: &[
        Arg::key(0),
        Arg { name: "start", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "stop", kind: ArgKind::Integer, ..Arg::DEFAULT },
        WITHSCORES,
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_range(ctx, argv, Form { kind: Some(Kind::Rank), rev: Some(true), store: false });
}
