//! SDIFFSTORE: Subtract multiple sets and store the resulting set in a key.

use super::common::{STORE_ARGS, STORE_KEYS, difference, read_sets, store};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// SDIFFSTORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sdiffstore",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::SET,
    keys: STORE_KEYS,
    group: Group::Set,
    summary: "Subtract multiple sets and store the resulting set in a key",
    complexity: "O(N) where N is the total number of elements in all given sets.",
    args: STORE_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let max = ctx.server.config.set_max_intset_entries;
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(sets) = read_sets(db, ctx.out, &argv[2..]) else { return };
    let result = difference(&sets, max);
    store(ctx, argv[1], result, "sdiffstore");
}
