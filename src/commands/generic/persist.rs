//! PERSIST: Remove the expiration from a key.

use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::now_ms;

/// PERSIST.
pub const SPEC: CommandSpec = CommandSpec {
    name: "persist",
    arity: 2,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec {
        flags: KeyFlags::RW.union(KeyFlags::UPDATE),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Generic,
    since: "2.2.0",
    summary: "Remove the expiration from a key",
    complexity: "O(1)",
    args: &[Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let removed = db.contains(argv[1], now) && db.persist(argv[1]);
    if removed {
        ctx.key_modified(argv[1]);
    }
    ctx.out.int(i64::from(removed));
}
