//! Server commands: introspection, administration, debugging.

pub mod config;
pub mod dbsize;
pub mod debug;
pub mod shutdown;
pub mod time;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[&config::SPEC, &dbsize::SPEC, &debug::SPEC, &shutdown::SPEC, &time::SPEC];
