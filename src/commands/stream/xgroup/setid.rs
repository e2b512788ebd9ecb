//! XGROUP SETID: Set a consumer group to an arbitrary last delivered ID value.

use super::{BASE, existing_group, existing_stream, parse_options};
use crate::commands::stream::common::parse_id;
use crate::commands::stream::doc_args::{ENTRIES_READ, GROUP_ID};
use crate::commands::{Arg, CommandSpec};
use crate::config::NotifyFlags;
use crate::state::Ctx;

/// XGROUP SETID.
pub const SPEC: CommandSpec = CommandSpec {
    name: "setid",
    arity: -5,
    summary: "Set a consumer group to an arbitrary last delivered ID value.",
    history: &[("7.0.0", "Added the optional `entries_read` argument.")],
    args: &[Arg::key(0), Arg { name: "groupname", ..Arg::DEFAULT }, GROUP_ID, ENTRIES_READ],
    handler: run,
    ..BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(options) = parse_options(ctx, argv) else { return };
    if existing_group(ctx, argv[2], argv[3]).is_err() {
        return;
    }
    if argv.len() != 5 && argv.len() != 7 {
        let _ = super::syntax_error(ctx, argv[1]);
        return;
    }
    let id = if argv[4] == b"$" {
        let Ok(stream) = existing_stream(ctx, argv[2]) else { return };
        stream.last_id
    } else {
        let Ok(id) = parse_id(ctx.out, argv[4], 0, false) else { return };
        id
    };
    let Ok(group) = existing_group(ctx, argv[2], argv[3]) else { return };
    group.last_id = id;
    group.entries_read = options.entries_read;
    ctx.out.ok();
    ctx.add_dirty(1);
    ctx.notify(NotifyFlags::STREAM, "xgroup-setid", argv[2]);
}
