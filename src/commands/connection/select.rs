//! SELECT index

use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// SELECT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "select",
    arity: 2,
    flags: Flags::LOADING.union(Flags::STALE).union(Flags::FAST),
    acl: Acl::CONNECTION,
    group: Group::Connection,
    summary: "Change the selected database for the current connection",
    complexity: "O(1)",
    args: &[Arg { name: "index", kind: ArgKind::Integer, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(index) = parse_i64(argv[1]) else {
        return ctx.out.error("ERR value is not an integer or out of range");
    };
    match usize::try_from(index) {
        Ok(db) if db < ctx.server.dbs.len() => {
            ctx.client.db = db;
            ctx.out.ok();
        }
        _ => ctx.out.error("ERR DB index is out of range"),
    }
}
