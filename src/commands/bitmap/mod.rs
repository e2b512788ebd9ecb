//! Bitmap commands: bit-level operations over string values.

pub mod bitcount;
pub mod bitfield;
pub mod bitfield_ro;
pub mod bitop;
pub mod bitpos;
pub mod common;
pub mod getbit;
pub mod setbit;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] =
    &[&bitcount::SPEC, &bitfield::SPEC, &bitfield_ro::SPEC, &bitop::SPEC, &bitpos::SPEC, &getbit::SPEC, &setbit::SPEC];
