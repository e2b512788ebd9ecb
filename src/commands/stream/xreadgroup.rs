//! XREADGROUP: Return new entries from a stream using a consumer group, or access the history of
//! the pending entries for a given consumer. Can block.

use crate::commands::stream::doc_args::{BLOCK, COUNT, STREAMS};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// XREADGROUP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xreadgroup",
    arity: -7,
    flags: Flags::WRITE.union(Flags::BLOCKING),
    acl: Acl::STREAM,
    keys: &[super::xread::streams_keys(4)],
    group: Group::Stream,
    since: "5.0.0",
    summary: "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.",
    complexity: "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
    args: &[
        Arg {
            name: "group_consumer",
            kind: ArgKind::Block(&[Arg { name: "group", ..Arg::DEFAULT }, Arg { name: "consumer", ..Arg::DEFAULT }]),
            token: Some("GROUP"),
            ..Arg::DEFAULT
        },
        COUNT,
        BLOCK,
        Arg { name: "noack", kind: ArgKind::PureToken, token: Some("NOACK"), optional: true, ..Arg::DEFAULT },
        STREAMS,
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::read::read(ctx, argv, true);
}
