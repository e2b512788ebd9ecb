//! SUBSTR: Get a substring of the string stored at a key.

use super::getrange::get_range;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, DocFlags, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// SUBSTR.
pub const SPEC: CommandSpec = CommandSpec {
    name: "substr",
    arity: 4,
    flags: Flags::READONLY,
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::String,
    summary: "Get a substring of the string stored at a key",
    complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    deprecated_since: Some("2.0.0"),
    replaced_by: Some("`GETRANGE`"),
    args: &[
        Arg::key(0),
        Arg { name: "start", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "end", kind: ArgKind::Integer, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    get_range(ctx, argv);
}
