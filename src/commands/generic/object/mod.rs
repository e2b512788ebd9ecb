//! OBJECT: the container of the key-introspection subcommands, one file per subcommand, and the
//! lookup they share (no touching of the access clock, null for a missing key).

pub mod encoding;
pub mod freq;
pub mod help;
pub mod idletime;
pub mod refcount;

use crate::commands::{Acl, Arg, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, AccessClock, Entry, now_ms};
use crate::state::Ctx;

/// OBJECT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "object",
    arity: -2,
    group: Group::Generic,
    since: "2.2.3",
    summary: "A container for object introspection commands",
    complexity: "Depends on subcommand.",
    subcommands: &[&encoding::SPEC, &freq::SPEC, &help::SPEC, &idletime::SPEC, &refcount::SPEC],
    ..CommandSpec::DEFAULT
};

/// What the key subcommands share: `OBJECT <sub> key`, read-only, O(1).
const BASE: CommandSpec = CommandSpec {
    arity: 3,
    flags: Flags::READONLY,
    acl: Acl::KEYSPACE,
    keys: &[KeySpec {
        flags: KeyFlags::RO,
        begin: BeginSearch::Index(2),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Generic,
    since: "2.2.3",
    complexity: "O(1)",
    tips: &["nondeterministic_output"],
    args: &[Arg::key(0)],
    ..CommandSpec::DEFAULT
};

/// Looks up `key` without touching it (Redis's `LOOKUP_NOTOUCH`) and hands its entry and the
/// database's clock to `reply`; a missing key gets a null reply.
fn with_entry(ctx: &mut Ctx<'_>, key: &[u8], reply: impl FnOnce(&mut Ctx<'_>, &Entry, AccessClock)) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let clock = *db.clock();
    match db.lookup_for(key, now, Access::Peek).cloned() {
        Some(entry) => reply(ctx, &entry, clock),
        None => ctx.out.null(),
    }
}
