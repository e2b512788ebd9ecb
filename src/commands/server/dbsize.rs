//! DBSIZE

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// DBSIZE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "dbsize",
    arity: 1,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    group: Group::Server,
    summary: "Return the number of keys in the selected database",
    complexity: "O(1)",
    tips: &["request_policy:all_shards", "response_policy:agg_sum"],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.int(ctx.server.dbs[ctx.client.db].len() as i64);
}
