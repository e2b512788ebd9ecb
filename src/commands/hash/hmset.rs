//! HMSET: Set multiple hash fields to multiple values.

use super::hset::set_pairs;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, DocFlags, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// HMSET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hmset",
    arity: -4,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::Hash,
    since: "2.0.0",
    summary: "Set multiple hash fields to multiple values",
    complexity: "O(N) where N is the number of fields being set.",
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    deprecated_since: Some("4.0.0"),
    replaced_by: Some("`HSET` with multiple field-value pairs"),
    args: &[
        Arg::key(0),
        Arg {
            name: "field_value",
            kind: ArgKind::Block(&[Arg { name: "field", ..Arg::DEFAULT }, Arg { name: "value", ..Arg::DEFAULT }]),
            multiple: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    set_pairs(ctx, argv, "hmset", |out, _| out.ok());
}
