//! Geo commands: points kept in sorted sets scored by their 52-bit geohash.

pub mod common;
pub mod geoadd;
pub mod geodist;
pub mod geohash;
pub mod geopos;
pub mod georadius;
pub mod georadius_ro;
pub mod georadiusbymember;
pub mod georadiusbymember_ro;
pub mod geosearch;
pub mod geosearchstore;
pub mod search;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &geoadd::SPEC,
    &geodist::SPEC,
    &geohash::SPEC,
    &geopos::SPEC,
    &georadius::SPEC,
    &georadius_ro::SPEC,
    &georadiusbymember::SPEC,
    &georadiusbymember_ro::SPEC,
    &geosearch::SPEC,
    &geosearchstore::SPEC,
];
