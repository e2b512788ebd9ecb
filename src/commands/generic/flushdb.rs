//! FLUSHDB: Remove all keys from the current database.

use crate::commands::errors::SYNTAX;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// FLUSHDB.
pub const SPEC: CommandSpec = CommandSpec {
    name: "flushdb",
    arity: -1,
    flags: Flags::WRITE,
    acl: Acl::KEYSPACE.union(Acl::DANGEROUS),
    group: Group::Server,
    summary: "Remove all keys from the current database",
    complexity: "O(N) where N is the number of keys in the selected database",
    history: FLUSH_HISTORY,
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    args: FLUSH_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(lazy) = parse_flush_mode(ctx, argv) else { return };
    let db = ctx.client.db;
    flush(ctx, argv, db..db + 1, lazy);
}

/// The optional ASYNC | SYNC argument of FLUSHDB and FLUSHALL.
pub const FLUSH_ARGS: &[Arg] = &[Arg {
    name: "async",
    kind: ArgKind::OneOf(&[
        Arg { name: "async", kind: ArgKind::PureToken, token: Some("ASYNC"), since: Some("4.0.0"), ..Arg::DEFAULT },
        Arg { name: "sync", kind: ArgKind::PureToken, token: Some("SYNC"), since: Some("6.2.0"), ..Arg::DEFAULT },
    ]),
    optional: true,
    ..Arg::DEFAULT
}];

/// The shared history of FLUSHDB and FLUSHALL.
pub const FLUSH_HISTORY: &[(&str, &str)] =
    &[("4.0.0", "Added the `ASYNC` flushing mode modifier."), ("6.2.0", "Added the `SYNC` flushing mode modifier.")];

/// Parses FLUSHDB/FLUSHALL's optional ASYNC|SYNC; `Some(true)` for ASYNC. Without either,
/// `lazyfree-lazy-user-flush` decides.
pub fn parse_flush_mode(ctx: &mut Ctx<'_>, argv: &[&[u8]]) -> Option<bool> {
    match argv {
        [_] => Some(ctx.server.config.get_value("lazyfree-lazy-user-flush") == Some(b"yes")),
        [_, mode] if mode.eq_ignore_ascii_case(b"ASYNC") => Some(true),
        [_, mode] if mode.eq_ignore_ascii_case(b"SYNC") => Some(false),
        _ => {
            ctx.out.error(SYNTAX);
            None
        }
    }
}

/// Empties the databases in `range` (for FLUSHDB or FLUSHALL, whose `argv` is propagated). With
/// `lazy`, the old contents are freed on the lazyfree thread so a huge database does not stall
/// the executor.
pub fn flush(ctx: &mut Ctx<'_>, argv: &[&[u8]], range: std::ops::Range<usize>, lazy: bool) {
    let mut removed = 0;
    let mut garbage = Vec::new();
    for index in range {
        ctx.server.signal_flushed_db(index);
        let db = &mut ctx.server.dbs[index];
        removed += db.len() as u64;
        garbage.push(db.take_all());
    }
    if lazy {
        ctx.server.lazyfree.free_dbs(garbage);
    }
    ctx.flushed();
    ctx.server.dirty += removed;
    // Propagated even when nothing was removed (Redis's forceCommandPropagation), so a replica
    // or AOF replay empties what it may hold.
    if ctx.server.propagation.is_enabled() {
        ctx.propagate_as(argv);
    }
    ctx.out.ok();
}
