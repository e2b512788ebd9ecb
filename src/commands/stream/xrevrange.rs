//! XREVRANGE: Return a range of elements in a stream, with IDs matching the specified IDs
//! interval, in reverse order (from greater to smaller IDs) compared to XRANGE.

use crate::commands::stream::doc_args::COUNT;
use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;

/// XREVRANGE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xrevrange",
    summary: "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE",
    complexity: "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
    args: &[Arg::key(0), Arg { name: "end", ..Arg::DEFAULT }, Arg { name: "start", ..Arg::DEFAULT }, COUNT],
    handler: run,
    ..super::xrange::SPEC
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::xrange::range(ctx, argv, true);
}
