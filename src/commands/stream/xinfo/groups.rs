//! XINFO GROUPS: List the consumer groups of a stream.

use super::{BASE, reply_read_and_lag, stream_at};
use crate::commands::stream::common::reply_id;
use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;

/// XINFO GROUPS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "groups",
    arity: 3,
    summary: "List the consumer groups of a stream",
    history: &[("7.0.0", "Added the `entries-read` and `lag` fields")],
    args: &[Arg::key(0)],
    handler: run,
    ..BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some((out, stream)) = stream_at(ctx, argv[2]) else { return };
    out.array(stream.groups.len());
    for (name, group) in &stream.groups {
        out.map(6);
        out.bulk(b"name");
        out.bulk(name);
        out.bulk(b"consumers");
        out.int(group.consumers.len() as i64);
        out.bulk(b"pending");
        out.int(group.pel.len() as i64);
        out.bulk(b"last-delivered-id");
        reply_id(out, group.last_id);
        reply_read_and_lag(out, stream, group);
    }
}
