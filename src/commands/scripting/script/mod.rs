//! SCRIPT: the container of the script cache commands, one file per subcommand.

pub mod debug;
pub mod exists;
pub mod flush;
pub mod help;
pub mod kill;
pub mod load;

use crate::commands::{Acl, CommandSpec, Flags, Group};

/// SCRIPT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "script",
    arity: -2,
    group: Group::Scripting,
    since: "2.6.0",
    summary: "A container for Lua scripts management commands",
    complexity: "Depends on subcommand.",
    subcommands: &[&debug::SPEC, &exists::SPEC, &flush::SPEC, &help::SPEC, &kill::SPEC, &load::SPEC],
    ..CommandSpec::DEFAULT
};

/// What the subcommand specs share; each names only what differs.
const BASE: CommandSpec = CommandSpec {
    arity: 2,
    flags: Flags::NOSCRIPT,
    acl: Acl::SCRIPTING,
    group: Group::Scripting,
    since: "2.6.0",
    complexity: "O(1)",
    ..CommandSpec::DEFAULT
};
