//! Stream commands (the stream type itself is [`crate::types::stream`]).

pub mod common;
pub mod read;
pub mod trim_args;
pub mod xadd;
pub mod xdel;
pub mod xgroup;
pub mod xlen;
pub mod xrange;
pub mod xread;
pub mod xreadgroup;
pub mod xrevrange;
pub mod xsetid;
pub mod xtrim;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &xadd::SPEC,
    &xdel::SPEC,
    &xgroup::SPEC,
    &xlen::SPEC,
    &xrange::SPEC,
    &xread::SPEC,
    &xreadgroup::SPEC,
    &xrevrange::SPEC,
    &xsetid::SPEC,
    &xtrim::SPEC,
];
