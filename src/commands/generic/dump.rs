//! DUMP: Return a serialized version of the value stored at the specified key.

use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::persistence::rdb;
use crate::state::Ctx;

/// DUMP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "dump",
    arity: 2,
    flags: Flags::READONLY,
    acl: Acl::KEYSPACE,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Generic,
    since: "2.6.0",
    summary: "Return a serialized version of the value stored at the specified key.",
    complexity: "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
    tips: &["nondeterministic_output"],
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let compress = ctx.server.config.snapshot.compression;
    let now = now_ms();
    match ctx.server.dbs[ctx.client.db].lookup_for(argv[1], now, Access::Read) {
        Some(entry) => {
            let payload = rdb::dump(&entry.value, compress);
            ctx.out.bulk(&payload);
        }
        None => ctx.out.null(),
    }
}
