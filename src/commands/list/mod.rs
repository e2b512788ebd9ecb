//! List commands (the blocking ones build on [`common`]'s pop and move helpers).

pub mod blmove;
pub mod blmpop;
pub mod blpop;
pub mod brpop;
pub mod brpoplpush;
pub mod common;
pub mod lindex;
pub mod linsert;
pub mod llen;
pub mod lmove;
pub mod lmpop;
pub mod lpop;
pub mod lpos;
pub mod lpush;
pub mod lpushx;
pub mod lrange;
pub mod lrem;
pub mod lset;
pub mod ltrim;
pub mod rpop;
pub mod rpoplpush;
pub mod rpush;
pub mod rpushx;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &blmove::SPEC,
    &blmpop::SPEC,
    &blpop::SPEC,
    &brpop::SPEC,
    &brpoplpush::SPEC,
    &lindex::SPEC,
    &linsert::SPEC,
    &llen::SPEC,
    &lmove::SPEC,
    &lmpop::SPEC,
    &lpop::SPEC,
    &lpos::SPEC,
    &lpush::SPEC,
    &lpushx::SPEC,
    &lrange::SPEC,
    &lrem::SPEC,
    &lset::SPEC,
    &ltrim::SPEC,
    &rpop::SPEC,
    &rpoplpush::SPEC,
    &rpush::SPEC,
    &rpushx::SPEC,
];
