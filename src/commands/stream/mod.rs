//! Stream commands (the stream type itself is [`crate::types::stream`]).

pub mod claim;
pub mod common;
pub mod doc_args;
pub mod read;
pub mod trim_args;
pub mod xack;
pub mod xadd;
pub mod xautoclaim;
pub mod xclaim;
pub mod xdel;
pub mod xgroup;
pub mod xinfo;
pub mod xlen;
pub mod xpending;
pub mod xrange;
pub mod xread;
pub mod xreadgroup;
pub mod xrevrange;
pub mod xsetid;
pub mod xtrim;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &xack::SPEC,
    &xadd::SPEC,
    &xautoclaim::SPEC,
    &xclaim::SPEC,
    &xdel::SPEC,
    &xgroup::SPEC,
    &xinfo::SPEC,
    &xlen::SPEC,
    &xpending::SPEC,
    &xrange::SPEC,
    &xread::SPEC,
    &xreadgroup::SPEC,
    &xrevrange::SPEC,
    &xsetid::SPEC,
    &xtrim::SPEC,
];
