//! Transaction commands: MULTI, EXEC, DISCARD, WATCH, UNWATCH. The machinery (queue, watched
//! keys) lives in the executor's `multi` module; these handlers are its entry points.

pub mod discard;
pub mod exec;
pub mod multi;
pub mod unwatch;
pub mod watch;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[&discard::SPEC, &exec::SPEC, &multi::SPEC, &unwatch::SPEC, &watch::SPEC];
