//! MODULE LIST | LOAD | LOADEX | UNLOAD | HELP. rkv loads no modules: LIST is empty, and the
//! loading subcommands answer what Redis answers when a module fails to load (after the
//! `enable-module-command` check Redis makes first).

use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::Ctx;

const ADMIN_FLAGS: Flags = Flags::ADMIN.union(Flags::NOSCRIPT);
const LOAD_FLAGS: Flags = ADMIN_FLAGS.union(Flags::NO_ASYNC_LOADING);

/// MODULE LIST.
pub const LIST: CommandSpec = CommandSpec {
    name: "list",
    arity: 2,
    flags: ADMIN_FLAGS,
    group: Group::Server,
    since: "4.0.0",
    summary: "List all modules loaded by the server",
    complexity: "O(N) where N is the number of loaded modules.",
    tips: &["nondeterministic_output_order"],
    handler: list,
    ..CommandSpec::DEFAULT
};

/// MODULE LOAD.
pub const LOAD: CommandSpec = CommandSpec {
    name: "load",
    arity: -3,
    flags: LOAD_FLAGS,
    group: Group::Server,
    since: "4.0.0",
    summary: "Load a module",
    complexity: "O(1)",
    args: &[Arg { name: "path", ..Arg::DEFAULT }, Arg { name: "arg", optional: true, multiple: true, ..Arg::DEFAULT }],
    handler: load,
    ..CommandSpec::DEFAULT
};

/// MODULE LOADEX.
pub const LOADEX: CommandSpec = CommandSpec {
    name: "loadex",
    arity: -3,
    flags: LOAD_FLAGS,
    group: Group::Server,
    since: "7.0.0",
    summary: "Load a module with extended parameters",
    complexity: "O(1)",
    args: &[
        Arg { name: "path", ..Arg::DEFAULT },
        Arg {
            name: "configs",
            kind: ArgKind::Block(&[Arg { name: "name", ..Arg::DEFAULT }, Arg { name: "value", ..Arg::DEFAULT }]),
            token: Some("CONFIG"),
            optional: true,
            multiple: true,
            multiple_token: true,
            ..Arg::DEFAULT
        },
        Arg {
            name: "args",
            kind: ArgKind::Block(&[Arg { name: "arg", ..Arg::DEFAULT }]),
            token: Some("ARGS"),
            optional: true,
            multiple: true,
            ..Arg::DEFAULT
        },
    ],
    handler: load,
    ..CommandSpec::DEFAULT
};

/// MODULE UNLOAD.
pub const UNLOAD: CommandSpec = CommandSpec {
    name: "unload",
    arity: 3,
    flags: LOAD_FLAGS,
    group: Group::Server,
    since: "4.0.0",
    summary: "Unload a module",
    complexity: "O(1)",
    args: &[Arg { name: "name", ..Arg::DEFAULT }],
    handler: unload,
    ..CommandSpec::DEFAULT
};

/// MODULE HELP.
pub const HELP: CommandSpec = CommandSpec { handler: help, ..CommandSpec::HELP };

/// MODULE (container).
pub const SPEC: CommandSpec = CommandSpec {
    name: "module",
    arity: -2,
    acl: Acl::NONE,
    group: Group::Server,
    since: "4.0.0",
    summary: "A container for module commands",
    complexity: "Depends on subcommand.",
    subcommands: &[&HELP, &LIST, &LOAD, &LOADEX, &UNLOAD],
    ..CommandSpec::DEFAULT
};

const HELP_LINES: &[&str] = &[
    "MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "LIST",
    "    Return a list of loaded modules.",
    "LOAD <path> [<arg> ...]",
    "    Load a module library from <path>, passing to it any optional arguments.",
    "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
    "    Load a module library from <path>, while passing it module configurations and optional arguments.",
    "UNLOAD <name>",
    "    Unload a module.",
    "HELP",
    "    Prints this help.",
];

/// Redis's refusal while `enable-module-command` keeps MODULE LOAD/LOADEX/UNLOAD off.
const NOT_ALLOWED: &str = "ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.";

fn list(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.array(0);
}

/// Whether `enable-module-command` lets this client load or unload modules (Redis checks it
/// before running the subcommand, as for DEBUG).
fn allowed(ctx: &Ctx<'_>) -> bool {
    match ctx.server.config.get_value("enable-module-command") {
        Some(b"yes") => true,
        Some(b"local") => ctx.client.is_local(),
        _ => false,
    }
}

fn load(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if !allowed(ctx) {
        return ctx.out.error(NOT_ALLOWED);
    }
    // Redis logs why dlopen failed; rkv cannot load a module at all.
    tracing::warn!("Module {} failed to load: rkv does not support modules", String::from_utf8_lossy(argv[2]));
    ctx.out.error("ERR Error loading the extension. Please check the server logs.");
}

fn unload(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    if !allowed(ctx) {
        return ctx.out.error(NOT_ALLOWED);
    }
    ctx.out.error("ERR Error unloading module: no such module with that name");
}

fn help(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.array(HELP_LINES.len());
    HELP_LINES.iter().for_each(|line| ctx.out.simple(line));
}
