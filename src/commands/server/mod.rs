//! Server commands: introspection, administration, debugging.

pub mod command;
mod command_reply;
pub mod config;
pub mod dbsize;
pub mod debug;
pub mod info;
mod info_sections;
pub mod latency;
pub mod memory;
pub mod monitor;
pub mod shutdown;
pub mod slowlog;
pub mod time;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &command::SPEC,
    &config::SPEC,
    &dbsize::SPEC,
    &debug::SPEC,
    &info::SPEC,
    &latency::SPEC,
    &memory::SPEC,
    &monitor::SPEC,
    &shutdown::SPEC,
    &slowlog::SPEC,
    &time::SPEC,
];
