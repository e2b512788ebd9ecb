//! ZREVRANGEBYLEX: Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings..

use super::common::LIMIT;
use super::range::{Form, Kind, reply_range};
use crate::commands::{Acl, Arg, CommandSpec, DocFlags, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// ZREVRANGEBYLEX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zrevrangebylex",
    arity: -4,
    flags: Flags::READONLY,
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "2.8.9",
    summary: "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`ZRANGE` with the `REV` and `BYLEX` arguments"),
    args: &[Arg::key(0), Arg { name: "max", ..Arg::DEFAULT }, Arg { name: "min", ..Arg::DEFAULT }, LIMIT],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_range(ctx, argv, Form { kind: Some(Kind::Lex), rev: Some(true), store: false });
}
