//! HyperLogLog commands over string values in Redis's HLL representation.

pub mod common;
pub mod pfadd;
pub mod pfcount;
pub mod pfdebug;
pub mod pfmerge;
pub mod pfselftest;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] =
    &[&pfadd::SPEC, &pfcount::SPEC, &pfdebug::SPEC, &pfmerge::SPEC, &pfselftest::SPEC];
