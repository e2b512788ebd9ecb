//! ZREVRANGEBYSCORE: Return a range of members in a sorted set, by score, with scores ordered from high to low.

use super::common::{LIMIT, WITHSCORES};
use super::range::{Form, Kind, reply_range};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, DocFlags, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// ZREVRANGEBYSCORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zrevrangebyscore",
    arity: -4,
    flags: Flags::READONLY,
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "2.2.0",
    summary: "Return a range of members in a sorted set, by score, with scores ordered from high to low",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`ZRANGE` with the `REV` and `BYSCORE` arguments"),
    history: &[("2.1.6", "`min` and `max` can be exclusive.")],
    args: &[
        Arg::key(0),
        Arg { name: "max", kind: ArgKind::Double, ..Arg::DEFAULT },
        Arg { name: "min", kind: ArgKind::Double, ..Arg::DEFAULT },
        WITHSCORES,
        LIMIT,
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_range(ctx, argv, Form { kind: Some(Kind::Score), rev: Some(true), store: false });
}
