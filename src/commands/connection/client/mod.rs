//! CLIENT: the container of the connection-management subcommands, one file per subcommand, and
//! what they share (flags, ON/OFF arguments, client types, the CLIENT LIST line).

pub mod caching;
pub mod getname;
pub mod getredir;
pub mod help;
pub mod id;
pub mod info;
pub mod kill;
pub mod line;
pub mod list;
pub mod no_evict;
pub mod no_touch;
pub mod pause;
pub mod reply;
pub mod setinfo;
pub mod setname;
pub mod tracking;
pub mod trackinginfo;
pub mod unblock;
pub mod unpause;

use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::{Client, Ctx};

/// CLIENT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "client",
    arity: -2,
    group: Group::Connection,
    since: "2.4.0",
    summary: "A container for client connection commands",
    complexity: "Depends on subcommand.",
    subcommands: &[
        &caching::SPEC,
        &getname::SPEC,
        &getredir::SPEC,
        &help::SPEC,
        &id::SPEC,
        &info::SPEC,
        &kill::SPEC,
        &list::SPEC,
        &no_evict::SPEC,
        &no_touch::SPEC,
        &pause::SPEC,
        &reply::SPEC,
        &setinfo::SPEC,
        &setname::SPEC,
        &tracking::SPEC,
        &trackinginfo::SPEC,
        &unblock::SPEC,
        &unpause::SPEC,
    ],
    ..CommandSpec::DEFAULT
};

/// Flags of every CLIENT subcommand that does not act on other clients.
const FLAGS: Flags = Flags::NOSCRIPT.union(Flags::LOADING).union(Flags::STALE);

/// Flags of the subcommands that see or act on other clients (LIST, KILL, NO-EVICT, UNPAUSE).
const ADMIN_FLAGS: Flags = FLAGS.union(Flags::ADMIN);

/// What most subcommand specs share; each names only what differs.
const BASE: CommandSpec = CommandSpec {
    arity: 2,
    flags: FLAGS,
    acl: Acl::CONNECTION,
    group: Group::Connection,
    complexity: "O(1)",
    ..CommandSpec::DEFAULT
};

/// The `ON|OFF` argument of NO-EVICT and NO-TOUCH.
const ON_OFF: &[Arg] = &[Arg {
    name: "enabled",
    kind: ArgKind::OneOf(&[
        Arg { name: "on", kind: ArgKind::PureToken, token: Some("ON"), ..Arg::DEFAULT },
        Arg { name: "off", kind: ArgKind::PureToken, token: Some("OFF"), ..Arg::DEFAULT },
    ]),
    ..Arg::DEFAULT
}];

/// `ON` or `OFF`, case-insensitively.
fn parse_on_off(arg: &[u8]) -> Option<bool> {
    if arg.eq_ignore_ascii_case(b"on") {
        Some(true)
    } else if arg.eq_ignore_ascii_case(b"off") {
        Some(false)
    } else {
        None
    }
}

/// Sets the switch `field` picks out of the calling client from an `ON|OFF` argument, replying
/// OK, or a syntax error for anything else (NO-EVICT, NO-TOUCH).
fn set_switch(ctx: &mut Ctx<'_>, arg: &[u8], field: fn(&mut Client) -> &mut bool) {
    match parse_on_off(arg) {
        Some(on) => {
            *field(ctx.client) = on;
            ctx.out.ok();
        }
        None => ctx.syntax_error(),
    }
}

/// The classes CLIENT LIST TYPE and CLIENT KILL TYPE filter on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ClientType {
    /// An ordinary client.
    Normal,
    /// A replica connected to this server.
    Replica,
    /// A client in pub/sub mode.
    Pubsub,
    /// This replica's link to its primary.
    Master,
}

impl ClientType {
    /// Parses a type name as Redis does (`slave` is the old spelling of `replica`).
    fn parse(name: &[u8]) -> Option<ClientType> {
        [
            (&b"normal"[..], ClientType::Normal),
            (b"slave", ClientType::Replica),
            (b"replica", ClientType::Replica),
            (b"pubsub", ClientType::Pubsub),
            (b"master", ClientType::Master),
        ]
        .into_iter()
        .find(|(n, _)| name.eq_ignore_ascii_case(n))
        .map(|(_, t)| t)
    }

    /// The type of `client`: pub/sub while subscribed to anything, normal otherwise (a MONITOR
    /// client too, as in Redis). Replication will classify its links here.
    fn of(client: &Client) -> ClientType {
        if client.in_pubsub() { ClientType::Pubsub } else { ClientType::Normal }
    }
}

/// The error for a type name [`ClientType::parse`] refuses.
fn unknown_type_error(name: &[u8]) -> Vec<u8> {
    use crate::commands::errors::{c_str, format_error};
    format_error(&[b"ERR Unknown client type '", c_str(name), b"'"])
}

/// Whether `client` is still served: a client killed by another one stays registered until its
/// connection task notices, but Redis frees it at once, so LIST and KILL must not see it.
fn is_live(client: &Client) -> bool {
    !client.close_after_reply
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `COMMAND INFO client` of redis-server 7.0.15 (7.2's JSON specs for SETINFO and NO-TOUCH):
    /// name, arity, flags, ACL categories, tips.
    const REDIS_INFO: &[(&str, i32, &str, &str, &str)] = &[
        ("caching", 3, "noscript loading stale", "@slow @connection", ""),
        ("getname", 2, "noscript loading stale", "@slow @connection", ""),
        ("getredir", 2, "noscript loading stale", "@slow @connection", ""),
        ("help", 2, "loading stale", "@slow @connection", ""),
        ("id", 2, "noscript loading stale", "@slow @connection", ""),
        ("info", 2, "noscript loading stale", "@slow @connection", "nondeterministic_output"),
        ("kill", -3, "admin noscript loading stale", "@admin @slow @dangerous @connection", ""),
        ("list", -2, "admin noscript loading stale", "@admin @slow @dangerous @connection", "nondeterministic_output"),
        ("no-evict", 3, "admin noscript loading stale", "@admin @slow @dangerous @connection", ""),
        ("no-touch", 3, "noscript loading stale", "@slow @connection", ""),
        ("pause", -3, "admin noscript loading stale", "@admin @slow @dangerous @connection", ""),
        ("reply", 3, "noscript loading stale", "@slow @connection", ""),
        (
            "setinfo",
            4,
            "noscript loading stale",
            "@slow @connection",
            "request_policy:all_nodes response_policy:all_succeeded",
        ),
        ("setname", 3, "noscript loading stale", "@slow @connection", ""),
        ("tracking", -3, "noscript loading stale", "@slow @connection", ""),
        ("trackinginfo", 2, "noscript loading stale", "@slow @connection", ""),
        ("unblock", -3, "admin noscript loading stale", "@admin @slow @dangerous @connection", ""),
        ("unpause", 2, "admin noscript loading stale", "@admin @slow @dangerous @connection", ""),
    ];

    #[test]
    fn specs_match_redis_command_info() {
        assert_eq!((SPEC.arity, SPEC.flags, SPEC.acl_categories()), (-2, Flags::NONE, Acl::SLOW));
        crate::commands::spec::check_subcommands(&SPEC, Group::Connection, REDIS_INFO);
    }

    #[test]
    fn on_off() {
        assert_eq!(parse_on_off(b"On"), Some(true));
        assert_eq!(parse_on_off(b"OFF"), Some(false));
        assert_eq!(parse_on_off(b"yes"), None);
    }

    #[test]
    fn type_names() {
        assert_eq!(ClientType::parse(b"NORMAL"), Some(ClientType::Normal));
        assert_eq!(ClientType::parse(b"slave"), Some(ClientType::Replica));
        assert_eq!(ClientType::parse(b"Replica"), Some(ClientType::Replica));
        assert_eq!(ClientType::parse(b"pubsub"), Some(ClientType::Pubsub));
        assert_eq!(ClientType::parse(b"master"), Some(ClientType::Master));
        assert_eq!(ClientType::parse(b"monitor"), None);
        assert_eq!(unknown_type_error(b"x\xff\0y"), b"ERR Unknown client type 'x\xff'");
    }
}
