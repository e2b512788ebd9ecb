//! GET key

use crate::commands::errors::WRONGTYPE;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, Value};
use crate::state::Ctx;

/// GET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "get",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::String,
    summary: "Get the value of a key",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = crate::keyspace::now_ms();
    match ctx.server.dbs[ctx.client.db].lookup_for(argv[1], now, Access::Read) {
        Some(entry) => match &entry.value {
            Value::String(s) => {
                let mut scratch = [0u8; 20];
                ctx.out.bulk(s.as_bytes(&mut scratch));
            }
            _ => ctx.out.error(WRONGTYPE),
        },
        None => ctx.out.null(),
    }
}
