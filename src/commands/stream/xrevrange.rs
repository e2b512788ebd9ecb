//! XREVRANGE: Return a range of elements in a stream, with IDs matching the specified IDs
//! interval, in reverse order (from greater to smaller IDs) compared to XRANGE.

use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// XREVRANGE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xrevrange",
    arity: -4,
    flags: Flags::READONLY,
    acl: Acl::STREAM,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Stream,
    since: "5.0.0",
    summary: "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE",
    complexity: "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
    history: &[("6.2.0", "Added exclusive ranges.")],
    args: &[
        Arg::key(0),
        Arg { name: "end", ..Arg::DEFAULT },
        Arg { name: "start", ..Arg::DEFAULT },
        Arg { name: "count", kind: ArgKind::Integer, token: Some("COUNT"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::xrange::range(ctx, argv, true);
}
