//! SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]

use crate::commands::{Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::{Ctx, ShutdownRequest};

/// SHUTDOWN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "shutdown",
    arity: -1,
    flags: Flags::ADMIN
        .union(Flags::NOSCRIPT)
        .union(Flags::LOADING)
        .union(Flags::STALE)
        .union(Flags::NO_MULTI)
        .union(Flags::ALLOW_BUSY),
    group: Group::Server,
    summary: "Synchronously save the dataset to disk and then shut down the server",
    complexity: "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
    history: &[("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.")],
    args: &[
        Arg {
            name: "nosave_save",
            kind: ArgKind::OneOf(&[
                Arg { name: "nosave", kind: ArgKind::PureToken, token: Some("NOSAVE"), ..Arg::DEFAULT },
                Arg { name: "save", kind: ArgKind::PureToken, token: Some("SAVE"), ..Arg::DEFAULT },
            ]),
            optional: true,
            ..Arg::DEFAULT
        },
        Arg {
            name: "now",
            kind: ArgKind::PureToken,
            token: Some("NOW"),
            since: Some("7.0.0"),
            optional: true,
            ..Arg::DEFAULT
        },
        Arg {
            name: "force",
            kind: ArgKind::PureToken,
            token: Some("FORCE"),
            since: Some("7.0.0"),
            optional: true,
            ..Arg::DEFAULT
        },
        Arg {
            name: "abort",
            kind: ArgKind::PureToken,
            token: Some("ABORT"),
            since: Some("7.0.0"),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let (mut nosave, mut save, mut now, mut force, mut abort) = (false, false, false, false, false);
    for arg in &argv[1..] {
        let flag = match arg.to_ascii_lowercase().as_slice() {
            b"nosave" => &mut nosave,
            b"save" => &mut save,
            b"now" => &mut now,
            b"force" => &mut force,
            b"abort" => &mut abort,
            _ => return ctx.syntax_error(),
        };
        *flag = true;
    }
    if (abort && (nosave || save || now || force)) || (nosave && save) {
        return ctx.syntax_error();
    }
    if abort {
        // SHUTDOWN itself completes within the command (there are no replicas to wait for
        // yet); what may be in progress is a signal's, waiting for the cron.
        if !crate::state::signals::clear() {
            return ctx.out.error("ERR No shutdown in progress.");
        }
        tracing::warn!("Shutdown manually aborted.");
        return ctx.out.ok();
    }
    // Under a busy script only SHUTDOWN NOSAVE goes ahead (it stops the script).
    if let Some(busy) = ctx.server.scripting.busy().filter(|_| !nosave) {
        return ctx.out.error(busy.busy_error());
    }
    let request = ShutdownRequest { save, nosave, now, force };
    if !ctx.server.prepare_for_shutdown(request) {
        return ctx.out.error("ERR Errors trying to SHUTDOWN. Check logs.");
    }
    // Redis closes the connection without a reply when the shutdown goes ahead.
    ctx.client.close_after_reply = true;
}
