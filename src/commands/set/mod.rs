//! Set commands.

pub mod common;
pub mod sadd;
pub mod scard;
pub mod sdiff;
pub mod sdiffstore;
pub mod sinter;
pub mod sintercard;
pub mod sinterstore;
pub mod sismember;
pub mod smembers;
pub mod smismember;
pub mod smove;
pub mod spop;
pub mod srandmember;
pub mod srem;
pub mod sscan;
pub mod sunion;
pub mod sunionstore;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &sadd::SPEC,
    &srem::SPEC,
    &smembers::SPEC,
    &sismember::SPEC,
    &smismember::SPEC,
    &scard::SPEC,
    &spop::SPEC,
    &srandmember::SPEC,
    &smove::SPEC,
    &sinter::SPEC,
    &sintercard::SPEC,
    &sinterstore::SPEC,
    &sunion::SPEC,
    &sunionstore::SPEC,
    &sdiff::SPEC,
    &sdiffstore::SPEC,
    &sscan::SPEC,
];
