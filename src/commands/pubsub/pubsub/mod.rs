//! PUBSUB: the container of the Pub/Sub introspection subcommands, one file each, and what the
//! channel listing and subscriber counting subcommands share.

pub mod channels;
pub mod help;
pub mod numpat;
pub mod numsub;
pub mod shardchannels;
pub mod shardnumsub;

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// PUBSUB.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pubsub",
    arity: -2,
    group: Group::Pubsub,
    since: "2.8.0",
    summary: "A container for Pub/Sub commands",
    complexity: "Depends on subcommand.",
    subcommands: &[
        &channels::SPEC,
        &help::SPEC,
        &numpat::SPEC,
        &numsub::SPEC,
        &shardchannels::SPEC,
        &shardnumsub::SPEC,
    ],
    ..CommandSpec::DEFAULT
};

/// What the subcommand specs share.
const BASE: CommandSpec = CommandSpec {
    arity: -2,
    flags: Flags::PUBSUB.union(Flags::LOADING).union(Flags::STALE),
    acl: Acl::PUBSUB,
    group: Group::Pubsub,
    since: "2.8.0",
    ..CommandSpec::DEFAULT
};

/// CHANNELS and SHARDCHANNELS: the active channels of `kind` matching the optional pattern.
fn list_channels(ctx: &mut Ctx<'_>, argv: &[&[u8]], kind: Kind) {
    let pattern = match argv {
        [_, _] => None,
        [_, _, pattern] => Some(*pattern),
        _ => {
            let name = String::from_utf8_lossy(argv[1]);
            return ctx
                .out
                .error(&format!("ERR unknown subcommand or wrong number of arguments for '{name}'. Try PUBSUB HELP."));
        }
    };
    let channels = ctx.server.pubsub.active(kind, pattern);
    ctx.out.array(channels.len());
    for channel in channels {
        ctx.out.bulk(channel);
    }
}

/// NUMSUB and SHARDNUMSUB: each named channel of `kind` with its number of subscribers.
fn count_subscribers(ctx: &mut Ctx<'_>, argv: &[&[u8]], kind: Kind) {
    let names = &argv[2..];
    ctx.out.array(names.len() * 2);
    for name in names {
        ctx.out.bulk(name);
        ctx.out.int(ctx.server.pubsub.subscribers(kind, name) as i64);
    }
}
