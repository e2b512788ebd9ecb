//! FLUSHALL: Remove all keys from all databases.

use super::flushdb::{FLUSH_ARGS, FLUSH_HISTORY, flush, parse_flush_mode};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// FLUSHALL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "flushall",
    arity: -1,
    flags: Flags::WRITE,
    acl: Acl::KEYSPACE.union(Acl::DANGEROUS),
    group: Group::Server,
    summary: "Remove all keys from all databases",
    complexity: "O(N) where N is the total number of keys in all databases",
    history: FLUSH_HISTORY,
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    args: FLUSH_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(lazy) = parse_flush_mode(ctx, argv) else { return };
    let count = ctx.server.dbs.len();
    flush(ctx, argv, 0..count, lazy);
    // With save points set, Redis writes the emptied dataset at once (abandoning a background
    // save of the old one), so a restart cannot bring the flushed keys back, and the dirty
    // counter starts again from zero. A failure is logged; the flush stands.
    let server = &mut *ctx.server;
    if !server.config.snapshot.save_points.is_empty() {
        if server.rdb_bgsave_in_progress() {
            server.abort_background_save();
        }
        let _ = server.write_rdb_now();
    }
}
