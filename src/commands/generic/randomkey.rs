//! RANDOMKEY: Return a random key from the keyspace.

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::keyspace::now_ms;
use crate::state::Ctx;

/// RANDOMKEY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "randomkey",
    arity: 1,
    flags: Flags::READONLY.union(Flags::TOUCHES_ARBITRARY_KEYS),
    acl: Acl::KEYSPACE,
    group: Group::Generic,
    summary: "Return a random key from the keyspace",
    complexity: "O(1)",
    tips: &["request_policy:all_shards", "nondeterministic_output"],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    match db.random_key(&mut ctx.server.rng, now) {
        Some(key) => ctx.out.bulk(key.as_bytes()),
        None => ctx.out.null(),
    }
}
