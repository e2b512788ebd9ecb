//! XRANGE: Return a range of elements in a stream, with IDs matching the specified IDs interval.

use super::common::{lookup_stream, parse_bound, reply_range};
use crate::commands::errors::{NOT_INTEGER, Replied, SYNTAX};
use crate::commands::stream::doc_args::COUNT;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// XRANGE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xrange",
    arity: -4,
    flags: Flags::READONLY,
    acl: Acl::STREAM,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Stream,
    since: "5.0.0",
    summary: "Return a range of elements in a stream, with IDs matching the specified IDs interval",
    complexity: "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
    history: &[("6.2.0", "Added exclusive ranges.")],
    args: &[Arg::key(0), Arg { name: "start", ..Arg::DEFAULT }, Arg { name: "end", ..Arg::DEFAULT }, COUNT],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    range(ctx, argv, false);
}

/// XRANGE and XREVRANGE (`rev`, whose first bound is the end): parses the bounds (`(` excludes),
/// COUNT, then replies the entries.
pub fn range(ctx: &mut Ctx<'_>, argv: &[&[u8]], rev: bool) {
    let (start_arg, end_arg) = if rev { (argv[3], argv[2]) } else { (argv[2], argv[3]) };
    let Ok(start) = parse_bound(ctx.out, start_arg, 0, true) else { return };
    let Ok(end) = parse_bound(ctx.out, end_arg, u64::MAX, false) else { return };
    let Ok(count) = parse_count(ctx, &argv[4..]) else { return };
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(stream) = lookup_stream(db, ctx.out, argv[1], Access::Read) else { return };
    match (stream, count) {
        (None, _) => ctx.out.array(0),
        (Some(_), Some(0)) => ctx.out.null_array(),
        (Some(stream), count) => {
            reply_range(ctx.out, stream, start, end, rev, count.unwrap_or(0));
        }
    }
}

/// `[COUNT n]` (repeatable, the last wins; negative counts as 0).
fn parse_count(ctx: &mut Ctx<'_>, options: &[&[u8]]) -> Result<Option<usize>, Replied> {
    let mut count = None;
    let mut i = 0;
    while i < options.len() {
        if !options[i].eq_ignore_ascii_case(b"count") || i + 1 >= options.len() {
            ctx.out.error(SYNTAX);
            return Err(Replied);
        }
        let n = parse_i64(options[i + 1]).ok_or_else(|| {
            ctx.out.error(NOT_INTEGER);
            Replied
        })?;
        count = Some(usize::try_from(n.max(0)).unwrap_or(usize::MAX));
        i += 2;
    }
    Ok(count)
}
