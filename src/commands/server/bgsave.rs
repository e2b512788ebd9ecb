//! BGSAVE [SCHEDULE]: starts a background save (forkless: see `persistence::bgsave`).

use crate::commands::{Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// BGSAVE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "bgsave",
    arity: -1,
    flags: Flags::NO_ASYNC_LOADING.union(Flags::ADMIN).union(Flags::NOSCRIPT),
    group: Group::Server,
    summary: "Asynchronously save the dataset to disk",
    complexity: "O(1)",
    history: &[("3.2.2", "Added the `SCHEDULE` option.")],
    args: &[Arg {
        name: "schedule",
        kind: ArgKind::PureToken,
        token: Some("SCHEDULE"),
        since: Some("3.2.2"),
        optional: true,
        ..Arg::DEFAULT
    }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    match argv {
        [_] => {}
        [_, option] if option.eq_ignore_ascii_case(b"schedule") => {}
        _ => return ctx.syntax_error(),
    }
    let schedule = argv.len() == 2;
    if ctx.server.rdb_bgsave_in_progress() {
        return ctx.out.error("ERR Background save already in progress");
    }
    // Inside EXEC the save starts after the transaction (Redis schedules it), so the image
    // holds the transaction whole; during an AOF rewrite, once it ends.
    if ctx.server.aof.rewrite.is_some() || ctx.server.effects.depth > 1 {
        if !schedule && ctx.server.effects.depth <= 1 {
            return ctx.out.error(
                "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
            );
        }
        ctx.server.saves.scheduled = true;
        return ctx.out.simple("Background saving scheduled");
    }
    match ctx.server.start_background_save() {
        Ok(()) => ctx.out.simple("Background saving started"),
        Err(_) => ctx.out.error("ERR"),
    }
}
