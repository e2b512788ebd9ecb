//! String commands.

pub mod append;
pub mod common;
pub mod decr;
pub mod decrby;
pub mod get;
pub mod getdel;
pub mod getex;
pub mod getrange;
pub mod getset;
pub mod incr;
pub mod incrby;
pub mod incrbyfloat;
pub mod lcs;
pub mod mget;
pub mod mset;
pub mod msetnx;
pub mod psetex;
pub mod set;
pub mod setex;
pub mod setnx;
pub mod setrange;
pub mod strlen;
pub mod substr;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &append::SPEC,
    &decr::SPEC,
    &decrby::SPEC,
    &get::SPEC,
    &getdel::SPEC,
    &getex::SPEC,
    &getrange::SPEC,
    &getset::SPEC,
    &incr::SPEC,
    &incrby::SPEC,
    &incrbyfloat::SPEC,
    &lcs::SPEC,
    &mget::SPEC,
    &mset::SPEC,
    &msetnx::SPEC,
    &psetex::SPEC,
    &set::SPEC,
    &setex::SPEC,
    &setnx::SPEC,
    &setrange::SPEC,
    &strlen::SPEC,
    &substr::SPEC,
];
