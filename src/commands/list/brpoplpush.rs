//! BRPOPLPUSH: Pop an element from a list, push it to another list and return it; or block until
//! one is available.

use super::blmove::{FLAGS, move_or_block};
use super::common::{DESTINATION_KEY, SOURCE_KEY};
use crate::commands::blocking::{TIMEOUT_HISTORY, parse_timeout};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, DocFlags, Group};
use crate::state::Ctx;
use crate::types::quicklist::End;

/// BRPOPLPUSH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "brpoplpush",
    arity: 4,
    flags: FLAGS,
    acl: Acl::LIST,
    keys: &[SOURCE_KEY, DESTINATION_KEY],
    group: Group::List,
    since: "2.2.0",
    summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
    complexity: "O(1)",
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`BLMOVE` with the `RIGHT` and `LEFT` arguments"),
    history: TIMEOUT_HISTORY,
    args: &[
        Arg { name: "source", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "destination", kind: ArgKind::Key(1), ..Arg::DEFAULT },
        Arg { name: "timeout", kind: ArgKind::Double, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(timeout) = parse_timeout(ctx.out, argv[3]) else { return };
    move_or_block(ctx, argv, (End::Back, End::Front), timeout);
}
