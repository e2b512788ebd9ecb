//! Pub/Sub commands: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and the PUBSUB
//! introspection container. The registry and delivery live in `executor::pubsub`.

pub mod psubscribe;
pub mod publish;
#[allow(clippy::module_inception)]
pub mod pubsub;
pub mod punsubscribe;
pub mod spublish;
pub mod ssubscribe;
pub mod subscribe;
pub mod sunsubscribe;
pub mod unsubscribe;

use super::{Acl, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &psubscribe::SPEC,
    &publish::SPEC,
    &pubsub::SPEC,
    &punsubscribe::SPEC,
    &spublish::SPEC,
    &ssubscribe::SPEC,
    &subscribe::SPEC,
    &sunsubscribe::SPEC,
    &unsubscribe::SPEC,
];

/// What the (un)subscribe commands share.
const SUBSCRIPTION: CommandSpec = CommandSpec {
    arity: -2,
    flags: Flags::PUBSUB.union(Flags::NOSCRIPT).union(Flags::LOADING).union(Flags::STALE),
    acl: Acl::PUBSUB,
    group: Group::Pubsub,
    since: "2.0.0",
    ..CommandSpec::DEFAULT
};

/// What PUBLISH and SPUBLISH share.
const PUBLISHING: CommandSpec = CommandSpec {
    arity: 3,
    flags: Flags::PUBSUB.union(Flags::LOADING).union(Flags::STALE).union(Flags::FAST).union(Flags::MAY_REPLICATE),
    acl: Acl::PUBSUB,
    group: Group::Pubsub,
    ..CommandSpec::DEFAULT
};

/// Shard channels are declared as `not_key` key specs (they hash to slots like keys): from the
/// first argument to the last.
const SHARD_CHANNELS: &[KeySpec] = &[KeySpec {
    flags: KeyFlags::NOT_KEY,
    begin: BeginSearch::Index(1),
    find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
    notes: None,
}];
