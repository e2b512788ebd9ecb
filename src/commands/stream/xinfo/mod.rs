//! XINFO: the container of the stream introspection subcommands, one file per subcommand.

pub mod consumers;
pub mod groups;
pub mod help;
pub mod stream;

use crate::commands::stream::common::{NO_SUCH_KEY, existing_stream};
use crate::commands::{Acl, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::stream::Stream;

/// XINFO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xinfo",
    arity: -2,
    group: Group::Stream,
    since: "5.0.0",
    summary: "A container for stream introspection commands",
    complexity: "Depends on subcommand.",
    subcommands: &[&consumers::SPEC, &groups::SPEC, &help::SPEC, &stream::SPEC],
    ..CommandSpec::DEFAULT
};

/// What the key subcommands share: `XINFO <sub> key ...`, read-only.
const BASE: CommandSpec = CommandSpec {
    flags: Flags::READONLY,
    acl: Acl::STREAM,
    keys: &[KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(2),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Stream,
    since: "5.0.0",
    complexity: "O(1)",
    ..CommandSpec::DEFAULT
};

/// The stream at `key`, or `None` after replying WRONGTYPE or `no such key`.
fn stream_at<'a>(ctx: &'a mut Ctx<'_>, key: &[u8]) -> Option<(&'a mut Reply, &'a Stream)> {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let stream = existing_stream(db, ctx.out, key, Access::Read, |out| out.error(NO_SUCH_KEY))?;
    Some((&mut *ctx.out, stream))
}

/// Replies a group's `entries-read` (null when unknown) and `lag` (null when unknowable).
fn reply_read_and_lag(out: &mut Reply, stream: &Stream, group: &crate::types::stream::Group) {
    out.bulk(b"entries-read");
    match group.entries_read {
        crate::types::stream::group::ENTRIES_READ_INVALID => out.null(),
        n => out.int(n),
    }
    out.bulk(b"lag");
    match stream.lag(group) {
        Some(lag) => out.int(lag),
        None => out.null(),
    }
}
