//! XREAD: Return never seen elements in multiple streams, with IDs greater than the ones
//! reported by the caller for each stream. Can block.

use crate::commands::stream::doc_args::{BLOCK, COUNT, STREAMS};
use crate::commands::{Acl, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// The keys of XREAD and XREADGROUP: the first half of what follows `STREAMS`.
pub const fn streams_keys(start_from: i32) -> KeySpec {
    KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Keyword { keyword: "STREAMS", start_from },
        find: FindKeys::Range { last_key: -1, step: 1, limit: 2 },
        notes: None,
    }
}

/// XREAD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xread",
    arity: -4,
    flags: Flags::READONLY.union(Flags::BLOCKING),
    acl: Acl::STREAM,
    keys: &[streams_keys(1)],
    group: Group::Stream,
    since: "5.0.0",
    summary: "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.",
    complexity: "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.",
    args: &[COUNT, BLOCK, STREAMS],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::read::read(ctx, argv, false);
}
