//! SCRIPT EXISTS: whether scripts are in the cache.

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;

/// SCRIPT EXISTS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "exists",
    arity: -3,
    summary: "Check existence of scripts in the script cache.",
    complexity: "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
    tips: &["request_policy:all_shards", "response_policy:agg_logical_and"],
    args: &[Arg { name: "sha1", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.scripts_exist(&argv[2..]);
}
