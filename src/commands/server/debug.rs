//! DEBUG <subcommand>: testing aids, gated by `enable-debug-command`.
//!
//! Supported: SLEEP <seconds> (blocks the whole server, as in Redis) and ERROR <message>.

use std::time::Duration;

use crate::commands::errors::{c_str, format_error};
use crate::commands::{Acl, CommandSpec, DocFlags, Flags, Group};
use crate::state::Ctx;

/// DEBUG.
pub const SPEC: CommandSpec = CommandSpec {
    name: "debug",
    arity: -2,
    flags: Flags::ADMIN.union(Flags::NOSCRIPT).union(Flags::LOADING).union(Flags::STALE).union(Flags::PROTECTED),
    acl: Acl::NONE,
    group: Group::Server,
    summary: "A container for debugging commands",
    complexity: "Depends on subcommand.",
    doc_flags: DocFlags { deprecated: false, syscmd: true },
    handler: run,
    ..CommandSpec::DEFAULT
};

const HELP: &[&str] = &[
    "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ERROR <string>",
    "    Return a Redis protocol error with <string> as message. Useful for clients",
    "    unit tests to simulate Redis errors.",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
    "HELP",
    "    Print this help.",
];

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let sub = argv[1].to_ascii_lowercase();
    match (sub.as_slice(), argv.len()) {
        (b"help", 2) => {
            ctx.out.help(HELP);
        }
        // Like Redis's atoi: anything but a leading non-zero number turns it off.
        (b"set-active-expire", 3) => {
            let digits: String = std::str::from_utf8(argv[2])
                .unwrap_or_default()
                .trim_start()
                .chars()
                .enumerate()
                .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && (*c == '-' || *c == '+')))
                .map(|(_, c)| c)
                .collect();
            ctx.server.active_expire_enabled = digits.parse::<i64>().is_ok_and(|n| n != 0);
            ctx.out.ok();
        }
        (b"sleep", 3) => {
            // Like Redis's strtod-based parse: garbage sleeps for zero seconds.
            let seconds = std::str::from_utf8(argv[2]).ok().and_then(|s| s.trim().parse::<f64>().ok()).unwrap_or(0.0);
            if seconds.is_finite() && seconds > 0.0 {
                std::thread::sleep(Duration::from_secs_f64(seconds.min(1e9)));
            }
            ctx.out.ok();
        }
        // Redis writes the message as the whole error line, code included, byte for byte with
        // CR and LF made spaces; it goes out as a plain reply, so neither errorstats nor the
        // command's failed calls count it.
        (b"error", 3) => {
            let mut line = [b"-", argv[2]].concat();
            line.iter_mut().filter(|b| **b == b'\r' || **b == b'\n').for_each(|b| *b = b' ');
            line.extend_from_slice(b"\r\n");
            ctx.out.raw(&line);
        }
        _ => {
            // `%.128s` of the subcommand as sent.
            let name = c_str(&argv[1][..argv[1].len().min(128)]);
            let text = [b"ERR unknown subcommand or wrong number of arguments for '", name, b"'. Try DEBUG HELP."];
            ctx.out.error_bytes(&format_error(&text));
        }
    }
}
