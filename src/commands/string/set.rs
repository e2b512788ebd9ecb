//! SET key value (options arrive with the string family).

use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::{StringValue, Value};

/// SET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "set",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::STRING,
    keys: &[KeySpec {
        notes: Some("RW and ACCESS due to the optional `GET` argument"),
        ..KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE).union(KeyFlags::VARIABLE_FLAGS))
    }],
    group: Group::String,
    summary: "Set the string value of a key",
    complexity: "O(1)",
    history: &[
        ("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."),
        ("6.0.0", "Added the `KEEPTTL` option."),
        ("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."),
        ("7.0.0", "Allowed the `NX` and `GET` options to be used together."),
    ],
    args: &[Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT }, Arg { name: "value", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if argv.len() != 3 {
        return ctx.syntax_error();
    }
    let value = Value::String(StringValue::from_bytes(argv[2]));
    ctx.server.dbs[ctx.client.db].insert(argv[1], value, false);
    ctx.server.dirty += 1;
    ctx.out.ok();
}
