//! Server commands: introspection, administration, debugging.

pub mod command;
mod command_reply;
pub mod config;
pub mod dbsize;
pub mod debug;
pub mod info;
mod info_sections;
pub mod latency;
pub mod lolwut;
pub mod memory;
pub mod module;
pub mod monitor;
pub mod role;
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
    &lolwut::SPEC,
    &memory::SPEC,
    &module::SPEC,
    &monitor::SPEC,
    &role::SPEC,
    &shutdown::SPEC,
    &slowlog::SPEC,
    &time::SPEC,
];
