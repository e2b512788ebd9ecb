//! XINFO CONSUMERS: List the consumers in a consumer group.

use super::{BASE, stream_at};
use crate::commands::errors::{c_str, format_error};
use crate::commands::{Arg, CommandSpec};
use crate::keyspace::now_ms;
use crate::state::Ctx;

/// XINFO CONSUMERS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "consumers",
    arity: 4,
    summary: "List the consumers in a consumer group",
    tips: &["nondeterministic_output"],
    args: &[Arg::key(0), Arg { name: "groupname", ..Arg::DEFAULT }],
    handler: run,
    ..BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let (key, name) = (argv[2], argv[3]);
    let Some((out, stream)) = stream_at(ctx, key) else { return };
    let Some(group) = stream.groups.get(name) else {
        let msg =
            format_error(&[b"NOGROUP No such consumer group '", c_str(name), b"' for key name '", c_str(key), b"'"]);
        return out.error_bytes(&msg);
    };
    let now = now_ms();
    out.array(group.consumers.len());
    for (name, consumer) in &group.consumers {
        out.map(3);
        out.bulk(b"name");
        out.bulk(name);
        out.bulk(b"pending");
        out.int(consumer.pel.len() as i64);
        out.bulk(b"idle");
        out.int((now - consumer.seen_time).max(0));
    }
}
