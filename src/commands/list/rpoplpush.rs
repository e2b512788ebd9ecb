//! RPOPLPUSH: Remove the last element in a list, prepend it to another list and return it.

use super::common::{DESTINATION_KEY, SOURCE_KEY};
use super::lmove::reply_moved;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, DocFlags, Flags, Group};
use crate::state::Ctx;
use crate::types::quicklist::End;

/// RPOPLPUSH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "rpoplpush",
    arity: 3,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::LIST,
    keys: &[SOURCE_KEY, DESTINATION_KEY],
    group: Group::List,
    since: "1.2.0",
    summary: "Remove the last element in a list, prepend it to another list and return it",
    complexity: "O(1)",
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`LMOVE` with the `RIGHT` and `LEFT` arguments"),
    args: &[
        Arg { name: "source", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "destination", kind: ArgKind::Key(1), ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_moved(ctx, argv[1], argv[2], End::Back, End::Front);
}
