//! Server commands: introspection, administration, debugging.

pub mod command;
mod command_reply;
pub mod config;
pub mod dbsize;
pub mod debug;
pub mod info;
mod info_sections;
pub mod lolwut;
pub mod memory;
pub mod module;
pub mod role;
pub mod shutdown;
pub mod time;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &command::SPEC,
    &config::SPEC,
    &dbsize::SPEC,
    &debug::SPEC,
    &info::SPEC,
    &lolwut::SPEC,
    &memory::SPEC,
    &module::SPEC,
    &role::SPEC,
    &shutdown::SPEC,
    &time::SPEC,
];
