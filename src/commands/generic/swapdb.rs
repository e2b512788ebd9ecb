//! SWAPDB: Swaps two Redis databases.

use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// SWAPDB.
pub const SPEC: CommandSpec = CommandSpec {
    name: "swapdb",
    arity: 3,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::KEYSPACE.union(Acl::DANGEROUS),
    group: Group::Server,
    since: "4.0.0",
    summary: "Swaps two Redis databases",
    complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
    args: &[
        Arg { name: "index1", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "index2", kind: ArgKind::Integer, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let parse = |raw: &[u8]| parse_i64(raw).and_then(|n| i32::try_from(n).ok());
    let Some(first) = parse(argv[1]) else { return ctx.out.error("ERR invalid first DB index") };
    let Some(second) = parse(argv[2]) else { return ctx.out.error("ERR invalid second DB index") };
    let count = ctx.server.dbs.len();
    let (Ok(a), Ok(b)) = (usize::try_from(first), usize::try_from(second)) else {
        return ctx.out.error("ERR DB index is out of range");
    };
    if a >= count || b >= count {
        return ctx.out.error("ERR DB index is out of range");
    }
    ctx.server.signal_swapped_dbs(a, b);
    ctx.server.dbs.swap(a, b);
    ctx.server.dirty += 1;
    ctx.out.ok();
}
