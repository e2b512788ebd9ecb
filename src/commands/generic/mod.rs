//! Generic key commands: existence, deletion, renaming, copying, databases, expiry, DUMP and
//! RESTORE.

pub mod copy;
pub mod del;
pub mod dump;
pub mod exists;
pub mod expire;
pub mod expireat;
pub mod expiretime;
pub mod flushall;
pub mod flushdb;
pub mod key_type;
pub mod keys;
pub mod migrate;
pub mod move_key;
pub mod object;
pub mod persist;
pub mod pexpire;
pub mod pexpireat;
pub mod pexpiretime;
pub mod pttl;
pub mod randomkey;
pub mod rename;
pub mod renamenx;
pub mod restore;
pub mod scan;
pub mod sort;
pub mod sort_ro;
pub mod swapdb;
pub mod touch;
pub mod ttl;
pub mod unlink;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &copy::SPEC,
    &del::SPEC,
    &dump::SPEC,
    &exists::SPEC,
    &expire::SPEC,
    &expireat::SPEC,
    &expiretime::SPEC,
    &flushall::SPEC,
    &flushdb::SPEC,
    &key_type::SPEC,
    &keys::SPEC,
    &migrate::SPEC,
    &move_key::SPEC,
    &object::SPEC,
    &persist::SPEC,
    &pexpire::SPEC,
    &pexpireat::SPEC,
    &pexpiretime::SPEC,
    &pttl::SPEC,
    &randomkey::SPEC,
    &rename::SPEC,
    &renamenx::SPEC,
    &restore::SPEC,
    &scan::SPEC,
    &sort::SPEC,
    &sort_ro::SPEC,
    &swapdb::SPEC,
    &touch::SPEC,
    &ttl::SPEC,
    &unlink::SPEC,
];
