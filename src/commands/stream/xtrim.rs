//! XTRIM: Trims the stream to (approximately if '~' is passed) a certain size.

use super::common::{changed, existing_stream};
use super::trim_args;
use crate::commands::stream::doc_args::TRIM;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;

/// XTRIM.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xtrim",
    arity: -4,
    flags: Flags::WRITE,
    acl: Acl::STREAM,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::DELETE))],
    group: Group::Stream,
    since: "5.0.0",
    summary: "Trims the stream to (approximately if '~' is passed) a certain size",
    complexity: "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
    history: &[("6.2.0", "Added the `MINID` trimming strategy and the `LIMIT` option.")],
    tips: &["nondeterministic_output"],
    args: &[Arg::key(0), TRIM],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let max_entries = ctx.server.config.stream_node_limits.max_entries;
    let Ok(args) = trim_args::parse(ctx.out, argv, false, max_entries) else { return };
    let Some(trim) = args.trim else { return };
    let key = argv[1];
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Some(stream) = existing_stream(db, ctx.out, key, Access::Write, |out| out.int(0)) else { return };
    let removed = stream.trim(trim, args.approx, args.limit);
    ctx.out.int(removed as i64);
    if removed > 0 {
        let exact = trim_args::exact_form(argv, &args, stream);
        changed(ctx, key, "xtrim");
        ctx.add_dirty(removed - 1);
        let exact: Vec<&[u8]> = exact.iter().map(Vec::as_slice).collect();
        ctx.propagate_as(&exact);
    }
}
