//! CONFIG GET | SET | RESETSTAT | REWRITE | HELP: the live configuration (see [`crate::config`]).

use crate::commands::errors::{c_str, format_error};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::{Ctx, ServerEvent};

/// Flags shared by the administrative subcommands.
const ADMIN_FLAGS: Flags = Flags::ADMIN.union(Flags::NOSCRIPT).union(Flags::LOADING).union(Flags::STALE);

/// CONFIG GET.
pub const GET: CommandSpec = CommandSpec {
    name: "get",
    arity: -3,
    flags: ADMIN_FLAGS,
    group: Group::Server,
    since: "2.0.0",
    summary: "Get the values of configuration parameters",
    complexity: "O(N) when N is the number of configuration parameters provided",
    history: &[("7.0.0", "Added the ability to pass multiple pattern parameters in one call")],
    args: &[Arg {
        name: "parameter",
        kind: ArgKind::Block(&[Arg { name: "parameter", ..Arg::DEFAULT }]),
        multiple: true,
        ..Arg::DEFAULT
    }],
    handler: get,
    ..CommandSpec::DEFAULT
};

/// CONFIG SET.
pub const SET: CommandSpec = CommandSpec {
    name: "set",
    arity: -4,
    flags: ADMIN_FLAGS,
    group: Group::Server,
    since: "2.0.0",
    summary: "Set configuration parameters to the given values",
    complexity: "O(N) when N is the number of configuration parameters provided",
    history: &[("7.0.0", "Added the ability to set multiple parameters in one call.")],
    tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
    args: &[Arg {
        name: "parameter_value",
        kind: ArgKind::Block(&[Arg { name: "parameter", ..Arg::DEFAULT }, Arg { name: "value", ..Arg::DEFAULT }]),
        multiple: true,
        ..Arg::DEFAULT
    }],
    handler: set,
    ..CommandSpec::DEFAULT
};

/// CONFIG RESETSTAT.
pub const RESETSTAT: CommandSpec = CommandSpec {
    name: "resetstat",
    arity: 2,
    flags: ADMIN_FLAGS,
    group: Group::Server,
    since: "2.0.0",
    summary: "Reset the stats returned by INFO",
    complexity: "O(1)",
    handler: resetstat,
    ..CommandSpec::DEFAULT
};

/// CONFIG REWRITE.
pub const REWRITE: CommandSpec = CommandSpec {
    name: "rewrite",
    arity: 2,
    flags: ADMIN_FLAGS,
    group: Group::Server,
    since: "2.8.0",
    summary: "Rewrite the configuration file with the in memory configuration",
    complexity: "O(1)",
    handler: rewrite,
    ..CommandSpec::DEFAULT
};

/// CONFIG HELP.
pub const HELP: CommandSpec = CommandSpec { handler: help, ..CommandSpec::HELP };

/// CONFIG (container).
pub const SPEC: CommandSpec = CommandSpec {
    name: "config",
    arity: -2,
    acl: Acl::NONE,
    group: Group::Server,
    since: "2.0.0",
    summary: "A container for server configuration commands",
    complexity: "Depends on subcommand.",
    subcommands: &[&HELP, &RESETSTAT, &REWRITE, &GET, &SET],
    ..CommandSpec::DEFAULT
};

const HELP_LINES: &[&str] = &[
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
];

fn get(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let found = ctx.server.config.get(&argv[2..]);
    ctx.out.map(found.len());
    for (name, value) in &found {
        ctx.out.bulk(name);
        ctx.out.bulk(value);
    }
}

fn set(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if argv.len() % 2 == 1 {
        return ctx.syntax_error();
    }
    let pairs: Vec<(&[u8], &[u8])> = argv[2..].chunks(2).map(|p| (p[0], p[1])).collect();
    let mut next = ctx.server.config.clone();
    let allow_protected = ctx.server.config.enable_protected_configs.allows(ctx.client.is_local());
    if let Err(e) = next.set(&pairs, allow_protected, ctx.server.is_loading()) {
        return match unknown_name_error(&e, &pairs) {
            Some(text) => ctx.out.error_bytes(&text),
            None => ctx.out.error(&e.0),
        };
    }
    let current = &ctx.server.config;
    if next.port != current.port || next.bind != current.bind {
        // Open the new sockets before committing, so a failure leaves the old ones serving.
        match crate::listen::bind_tcp(&next) {
            Ok(listeners) => ctx.server.tell_server(ServerEvent::Rebind(listeners)),
            Err(e) => {
                tracing::warn!("CONFIG SET could not listen: {e}");
                let port_first = pairs.iter().any(|(name, _)| name.eq_ignore_ascii_case(b"port"));
                let why = if port_first {
                    "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs."
                } else {
                    "ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses."
                };
                return ctx.out.error(why);
            }
        }
    }
    let aof_changed = next.aof != ctx.server.config.aof;
    let previous = std::mem::replace(&mut ctx.server.config, next);
    if aof_changed && ctx.server.aof_config_changed().is_err() {
        ctx.server.config = previous;
        return ctx.out.error(
            "ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.",
        );
    }
    ctx.out.ok();
}

/// The error naming an unknown directive, with the name echoed as sent (the config module spells
/// it as text). Redis reports the first unknown name in argument order, cut at a NUL by `%s`.
fn unknown_name_error(e: &crate::config::SetError, pairs: &[(&[u8], &[u8])]) -> Option<Vec<u8>> {
    const PREFIX: &[u8] = b"ERR Unknown option or number of arguments for CONFIG SET - '";
    if !e.0.as_bytes().starts_with(PREFIX) {
        return None;
    }
    let (name, _) = pairs.iter().find(|(name, _)| crate::config::directives::lookup(name).is_none())?;
    Some(format_error(&[PREFIX, c_str(name), b"'"]))
}

fn resetstat(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.server.reset_stats();
    ctx.out.ok();
}

fn rewrite(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    use crate::config::rewrite::{Directives, RewriteError, rewrite};
    match rewrite(&ctx.server.config, Directives::Changed) {
        Ok(()) => {
            tracing::info!("CONFIG REWRITE executed with success.");
            ctx.out.ok();
        }
        Err(e) => {
            let text = match e {
                RewriteError::NoConfigFile => "The server is running without a config file".to_owned(),
                RewriteError::Io(cause) => format!("Rewriting config file: {cause}"),
            };
            tracing::warn!("CONFIG REWRITE failed: {text}");
            ctx.out.error(&format!("ERR {text}"));
        }
    }
}

fn help(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.array(HELP_LINES.len());
    for line in HELP_LINES {
        ctx.out.simple(line);
    }
}
