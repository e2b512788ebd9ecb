//! COMMAND [COUNT | INFO | DOCS | LIST | GETKEYS | GETKEYSANDFLAGS | HELP]: introspection of the
//! command table, entirely driven by the command specs.

use super::command_reply::{command_docs, command_info, key_flags, lookup_fullname, subcommand_ids, top_level_ids};
use crate::commands::keys::{command_keys, has_keys};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, CommandTable, Flags, Group, Lookup};
use crate::protocol::Aggregate;
use crate::state::Ctx;
use crate::types::glob;

/// Flags and categories shared by COMMAND and all its subcommands.
const FLAGS: Flags = Flags::LOADING.union(Flags::STALE);

/// The optional, repeatable `command-name` argument of INFO and DOCS.
const COMMAND_NAMES: &[Arg] =
    &[Arg { name: "command-name", kind: ArgKind::String, optional: true, multiple: true, ..Arg::DEFAULT }];

/// COMMAND.
pub const SPEC: CommandSpec = CommandSpec {
    name: "command",
    arity: -1,
    flags: FLAGS,
    acl: Acl::CONNECTION,
    group: Group::Server,
    since: "2.8.13",
    summary: "Get array of Redis command details",
    complexity: "O(N) where N is the total number of Redis commands",
    tips: &["nondeterministic_output_order"],
    subcommands: &[&COUNT, &DOCS, &GETKEYS, &GETKEYSANDFLAGS, &HELP, &INFO, &LIST],
    handler: run_all,
    ..CommandSpec::DEFAULT
};

/// The fields every subcommand shares.
const SUBCOMMAND: CommandSpec =
    CommandSpec { flags: FLAGS, acl: Acl::CONNECTION, group: Group::Server, ..CommandSpec::DEFAULT };

const COUNT: CommandSpec = CommandSpec {
    name: "count",
    arity: 2,
    since: "2.8.13",
    summary: "Get total number of Redis commands",
    complexity: "O(1)",
    handler: run_count,
    ..SUBCOMMAND
};

const DOCS: CommandSpec = CommandSpec {
    name: "docs",
    arity: -2,
    since: "7.0.0",
    summary: "Get array of specific Redis command documentation",
    complexity: "O(N) where N is the number of commands to look up",
    tips: &["nondeterministic_output_order"],
    args: COMMAND_NAMES,
    handler: run_docs,
    ..SUBCOMMAND
};

const GETKEYS: CommandSpec = CommandSpec {
    name: "getkeys",
    arity: -4,
    since: "2.8.13",
    summary: "Extract keys given a full Redis command",
    complexity: "O(N) where N is the number of arguments to the command",
    handler: run_getkeys,
    ..SUBCOMMAND
};

const GETKEYSANDFLAGS: CommandSpec = CommandSpec {
    name: "getkeysandflags",
    arity: -4,
    since: "7.0.0",
    summary: "Extract keys and access flags given a full Redis command",
    complexity: "O(N) where N is the number of arguments to the command",
    handler: run_getkeysandflags,
    ..SUBCOMMAND
};

const HELP: CommandSpec = CommandSpec {
    name: "help",
    arity: 2,
    since: "5.0.0",
    summary: "Show helpful text about the different subcommands",
    complexity: "O(1)",
    handler: run_help,
    ..SUBCOMMAND
};

const INFO: CommandSpec = CommandSpec {
    name: "info",
    arity: -2,
    since: "2.8.13",
    summary: "Get array of specific Redis command details, or all when no argument is given.",
    complexity: "O(N) where N is the number of commands to look up",
    history: &[("7.0.0", "Allowed to be called with no argument to get info on all commands.")],
    tips: &["nondeterministic_output_order"],
    args: COMMAND_NAMES,
    handler: run_info,
    ..SUBCOMMAND
};

const LIST: CommandSpec = CommandSpec {
    name: "list",
    arity: -2,
    since: "7.0.0",
    summary: "Get an array of Redis command names",
    complexity: "O(N) where N is the total number of Redis commands",
    tips: &["nondeterministic_output_order"],
    args: &[Arg {
        name: "filterby",
        kind: ArgKind::OneOf(&[
            Arg { name: "module-name", token: Some("MODULE"), ..Arg::DEFAULT },
            Arg { name: "category", token: Some("ACLCAT"), ..Arg::DEFAULT },
            Arg { name: "pattern", kind: ArgKind::Pattern, token: Some("PATTERN"), ..Arg::DEFAULT },
        ]),
        token: Some("FILTERBY"),
        optional: true,
        ..Arg::DEFAULT
    }],
    handler: run_list,
    ..SUBCOMMAND
};

const HELP_LINES: &[&str] = &[
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Prints this help.",
];

/// COMMAND: every command's info.
fn run_all(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let table = &ctx.server.commands;
    let ids = top_level_ids(table);
    ctx.out.array(ids.len());
    ids.into_iter().for_each(|id| command_info(ctx.out, table, Some(id)));
}

fn run_count(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.int(ctx.server.commands.top_level().count() as i64);
}

fn run_help(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.array(HELP_LINES.len());
    HELP_LINES.iter().for_each(|line| ctx.out.simple(line));
}

/// COMMAND INFO [name ...]: nulls for unknown names.
fn run_info(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if argv.len() == 2 {
        return run_all(ctx, argv);
    }
    let table = &ctx.server.commands;
    ctx.out.array(argv.len() - 2);
    for name in &argv[2..] {
        command_info(ctx.out, table, lookup_fullname(table, name));
    }
}

/// COMMAND DOCS [name ...]: unknown names are left out.
fn run_docs(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let table = &ctx.server.commands;
    let ids: Vec<_> = if argv.len() == 2 {
        top_level_ids(table)
    } else {
        argv[2..].iter().filter_map(|name| lookup_fullname(table, name)).collect()
    };
    ctx.out.map(ids.len());
    for id in ids {
        ctx.out.bulk(table.entry(id).fullname.as_bytes());
        command_docs(ctx.out, table, id);
    }
}

/// A COMMAND LIST filter.
enum Filter<'a> {
    /// Commands of a module (rkv has no modules, so nothing matches).
    Module,
    /// Commands in an ACL category (an unknown category matches nothing).
    AclCat(Option<Acl>),
    /// Full names matching a glob pattern.
    Pattern(&'a [u8]),
}

impl Filter<'_> {
    fn matches(&self, spec: &CommandSpec, fullname: &str) -> bool {
        match self {
            Filter::Module => false,
            Filter::AclCat(cat) => cat.is_some_and(|cat| spec.acl_categories().contains(cat)),
            Filter::Pattern(pattern) => glob::matches_nocase(pattern, fullname.as_bytes()),
        }
    }
}

/// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern].
fn run_list(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mut filter = None;
    let mut rest = &argv[2..];
    while !rest.is_empty() {
        let [opt, kind, arg, tail @ ..] = rest else { return ctx.syntax_error() };
        if !opt.eq_ignore_ascii_case(b"filterby") || !tail.is_empty() {
            return ctx.syntax_error();
        }
        filter = Some(match kind.to_ascii_lowercase().as_slice() {
            b"module" => Filter::Module,
            b"aclcat" => Filter::AclCat(category_by_name(arg)),
            b"pattern" => Filter::Pattern(arg),
            _ => return ctx.syntax_error(),
        });
        rest = tail;
    }
    let table = &ctx.server.commands;
    let header = ctx.out.begin_deferred(Aggregate::Array);
    let mut count = 0;
    for id in top_level_ids(table) {
        for id in std::iter::once(id).chain(subcommand_ids(table, id)) {
            let entry = table.entry(id);
            if filter.as_ref().is_none_or(|f| f.matches(entry.spec, entry.fullname)) {
                ctx.out.bulk(entry.fullname.as_bytes());
                count += 1;
            }
        }
    }
    ctx.out.end_deferred(header, count);
}

/// An ACL category by its name, case-insensitively.
fn category_by_name(name: &[u8]) -> Option<Acl> {
    Acl::NAMES.iter().find(|(_, n)| n.as_bytes().eq_ignore_ascii_case(name)).map(|(cat, _)| *cat)
}

fn run_getkeys(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    getkeys(ctx, argv, false);
}

fn run_getkeysandflags(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    getkeys(ctx, argv, true);
}

/// COMMAND GETKEYS / GETKEYSANDFLAGS <command line>, with Redis's checks in Redis's order.
fn getkeys(ctx: &mut Ctx<'_>, argv: &[&[u8]], with_flags: bool) {
    let line = &argv[2..];
    let Some(spec) = resolve(&ctx.server.commands, line) else {
        return ctx.out.error("ERR Invalid command specified");
    };
    if !has_keys(spec) {
        return ctx.out.error("ERR The command has no key arguments");
    }
    if !spec.arity_ok(line.len()) {
        return ctx.out.error("ERR Invalid number of arguments specified for command");
    }
    let keys = command_keys(spec, line);
    if keys.is_empty() && !spec.flags.contains(Flags::NO_MANDATORY_KEYS) {
        return ctx.out.error("ERR Invalid arguments specified for command");
    }
    ctx.out.array(keys.len());
    for key in keys {
        let name = line.get(key.pos).copied().unwrap_or_default();
        if with_flags {
            ctx.out.array(2);
            ctx.out.bulk(name);
            key_flags(ctx.out, key.flags);
        } else {
            ctx.out.bulk(name);
        }
    }
}

/// The spec a command line would run (a container itself when no subcommand is given).
fn resolve(table: &CommandTable, line: &[&[u8]]) -> Option<&'static CommandSpec> {
    match table.lookup(line) {
        Lookup::Found(id) => Some(table.entry(id).spec),
        Lookup::Unknown | Lookup::UnknownSubcommand(_) => None,
    }
}
