//! Hash commands.

pub mod common;
pub mod hdel;
pub mod hexists;
pub mod hget;
pub mod hgetall;
pub mod hincrby;
pub mod hincrbyfloat;
pub mod hkeys;
pub mod hlen;
pub mod hmget;
pub mod hmset;
pub mod hrandfield;
pub mod hscan;
pub mod hset;
pub mod hsetnx;
pub mod hstrlen;
pub mod hvals;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &hdel::SPEC,
    &hexists::SPEC,
    &hget::SPEC,
    &hgetall::SPEC,
    &hincrby::SPEC,
    &hincrbyfloat::SPEC,
    &hkeys::SPEC,
    &hlen::SPEC,
    &hmget::SPEC,
    &hmset::SPEC,
    &hrandfield::SPEC,
    &hscan::SPEC,
    &hset::SPEC,
    &hsetnx::SPEC,
    &hstrlen::SPEC,
    &hvals::SPEC,
];
