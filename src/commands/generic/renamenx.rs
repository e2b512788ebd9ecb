//! RENAMENX: Rename a key, only if the new key does not exist.

use super::rename::rename_key;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// RENAMENX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "renamenx",
    arity: 3,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[
        KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE)),
        KeySpec {
            flags: KeyFlags::OW.union(KeyFlags::INSERT),
            begin: BeginSearch::Index(2),
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        },
    ],
    group: Group::Generic,
    summary: "Rename a key, only if the new key does not exist",
    complexity: "O(1)",
    history: &[("3.2.0", "The command no longer returns an error when source and destination names are the same.")],
    args: &[Arg::key(0), Arg { name: "newkey", kind: ArgKind::Key(1), ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if let Ok(renamed) = rename_key(ctx, argv[1], argv[2], true) {
        ctx.out.int(i64::from(renamed));
    }
}
