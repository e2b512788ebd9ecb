//! Server commands: introspection, administration, debugging.

pub mod bgrewriteaof;
pub mod bgsave;
pub mod command;
mod command_reply;
pub mod config;
pub mod dbsize;
pub mod debug;
pub mod info;
mod info_sections;
pub mod lastsave;
pub mod latency;
pub mod lolwut;
pub mod memory;
pub mod module;
pub mod monitor;
pub mod role;
pub mod save;
pub mod shutdown;
pub mod slowlog;
pub mod time;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &bgrewriteaof::SPEC,
    &bgsave::SPEC,
    &command::SPEC,
    &config::SPEC,
    &dbsize::SPEC,
    &debug::SPEC,
    &info::SPEC,
    &lastsave::SPEC,
    &latency::SPEC,
    &lolwut::SPEC,
    &memory::SPEC,
    &module::SPEC,
    &monitor::SPEC,
    &role::SPEC,
    &save::SPEC,
    &shutdown::SPEC,
    &slowlog::SPEC,
    &time::SPEC,
];
