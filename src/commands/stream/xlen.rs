//! XLEN: Return the number of entries in a stream.

use super::common::lookup_stream;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;

/// XLEN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xlen",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::STREAM,
    keys: &[KeySpec::single(KeyFlags::RO)],
    group: Group::Stream,
    since: "5.0.0",
    summary: "Return the number of entries in a stream",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(stream) = lookup_stream(db, ctx.out, argv[1], Access::Read) else { return };
    ctx.out.int(stream.map_or(0, |s| s.len()) as i64);
}
