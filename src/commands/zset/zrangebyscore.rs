//! ZRANGEBYSCORE: Return a range of members in a sorted set, by score.

use super::common::LIMIT;
use super::range::{Form, Kind, reply_range};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, DocFlags, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// ZRANGEBYSCORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zrangebyscore",
    arity: -4,
    flags: Flags::READONLY,
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "1.0.5",
    summary: "Return a range of members in a sorted set, by score",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`ZRANGE` with the `BYSCORE` argument"),
    history: &[("2.0.0", "Added the `WITHSCORES` modifier.")],
    args: &[
        Arg::key(0),
        Arg { name: "min", kind: ArgKind::Double, ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgKind::Double, ..Arg::DEFAULT },
        Arg {
            name: "withscores",
            kind: ArgKind::PureToken,
            token: Some("WITHSCORES"),
            optional: true,
            since: Some("2.0.0"),
            ..Arg::DEFAULT
        },
        LIMIT,
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_range(ctx, argv, Form { kind: Some(Kind::Score), rev: Some(false), store: false });
}
