//! String commands.

pub mod get;
pub mod set;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[&get::SPEC, &set::SPEC];
