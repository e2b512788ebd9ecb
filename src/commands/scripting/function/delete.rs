//! FUNCTION DELETE: delete a library.

use crate::commands::{Arg, CommandSpec, Flags};
use crate::state::Ctx;

/// FUNCTION DELETE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "delete",
    arity: 3,
    flags: Flags::NOSCRIPT.union(Flags::WRITE),
    summary: "Delete a function by name",
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    args: &[Arg { name: "library-name", ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(functions) = super::functions(ctx) else { return };
    if functions.delete(argv[2]) {
        ctx.add_dirty(1);
        ctx.out.ok();
    } else {
        ctx.out.error("ERR Library not found");
    }
}
