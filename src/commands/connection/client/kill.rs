//! CLIENT KILL ip:port, or CLIENT KILL with filters (ID, TYPE, USER, ADDR, LADDR, SKIPME) that
//! must all match.
//!
//! The old form answers OK or "No such client" and may kill the caller; the filter form answers
//! the number of clients killed and spares the caller unless `SKIPME no`. Other clients are closed
//! at once; the caller gets its reply first, then is closed, as in Redis.

use crate::commands::errors::{c_str, format_error};
use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::{Client, Ctx};
use crate::types::number::parse_i64;

use super::{ClientType, is_live, unknown_type_error};

/// CLIENT KILL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "kill",
    arity: -3,
    flags: super::ADMIN_FLAGS,
    since: "2.4.0",
    summary: "Kill the connection of a client",
    complexity: "O(N) where N is the number of client connections",
    history: &[
        ("2.8.12", "Added new filter format."),
        ("2.8.12", "`ID` option."),
        ("3.2.0", "Added `master` type in for `TYPE` option."),
        ("5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility."),
        ("6.2.0", "`LADDR` option."),
    ],
    args: &[Arg {
        name: "filter",
        kind: ArgKind::OneOf(&[
            Arg { name: "ip:port", deprecated_since: Some("2.8.12"), ..Arg::DEFAULT },
            Arg { name: "new-format", kind: ArgKind::OneOf(FILTERS), multiple: true, ..Arg::DEFAULT },
        ]),
        ..Arg::DEFAULT
    }],
    handler: run,
    ..super::BASE
};

/// The documented filters of the new form.
const FILTERS: &[Arg] = &[
    Arg {
        name: "client-id",
        kind: ArgKind::Integer,
        token: Some("ID"),
        optional: true,
        since: Some("2.8.12"),
        ..Arg::DEFAULT
    },
    Arg {
        name: "normal_master_slave_pubsub",
        kind: ArgKind::OneOf(&[
            Arg { name: "normal", kind: ArgKind::PureToken, token: Some("NORMAL"), ..Arg::DEFAULT },
            Arg {
                name: "master",
                kind: ArgKind::PureToken,
                token: Some("MASTER"),
                since: Some("3.2.0"),
                ..Arg::DEFAULT
            },
            Arg { name: "slave", kind: ArgKind::PureToken, token: Some("SLAVE"), ..Arg::DEFAULT },
            Arg {
                name: "replica",
                kind: ArgKind::PureToken,
                token: Some("REPLICA"),
                since: Some("5.0.0"),
                ..Arg::DEFAULT
            },
            Arg { name: "pubsub", kind: ArgKind::PureToken, token: Some("PUBSUB"), ..Arg::DEFAULT },
        ]),
        token: Some("TYPE"),
        optional: true,
        since: Some("2.8.12"),
        ..Arg::DEFAULT
    },
    Arg { name: "username", token: Some("USER"), optional: true, ..Arg::DEFAULT },
    Arg { name: "ip:port", token: Some("ADDR"), optional: true, ..Arg::DEFAULT },
    Arg { name: "ip:port", token: Some("LADDR"), optional: true, since: Some("6.2.0"), ..Arg::DEFAULT },
    Arg { name: "yes/no", token: Some("SKIPME"), optional: true, ..Arg::DEFAULT },
];

/// Which clients to kill; `None` fields match everyone.
#[derive(Debug, Default, PartialEq, Eq)]
struct Filter {
    id: Option<u64>,
    client_type: Option<ClientType>,
    user: Option<String>,
    addr: Option<Vec<u8>>,
    laddr: Option<Vec<u8>>,
    /// MAXAGE (Redis 7.4, undocumented here as 7.0's COMMAND DOCS lack it): only connections
    /// older than this many seconds.
    max_age: Option<u64>,
    /// Spare the calling client.
    skip_me: bool,
}

impl Filter {
    /// Whether `client` matches every given filter (SKIPME aside).
    fn matches(&self, client: &Client) -> bool {
        self.id.is_none_or(|id| client.id == id)
            && self.client_type.is_none_or(|t| ClientType::of(client) == t)
            && self.user.as_ref().is_none_or(|u| client.user == *u)
            && self.addr.as_ref().is_none_or(|a| client.peer_addr().as_bytes() == a.as_slice())
            && self.laddr.as_ref().is_none_or(|a| client.local_addr().as_bytes() == a.as_slice())
            && self.max_age.is_none_or(|age| client.created.elapsed().as_secs() >= age)
    }
}

/// Parses the filter form's `option value` pairs, or returns the error Redis gives for the first
/// bad one.
fn parse_filters(args: &[&[u8]]) -> Result<Filter, Vec<u8>> {
    let mut filter = Filter { skip_me: true, ..Filter::default() };
    for pair in args.chunks(2) {
        let [option, value] = *pair else { return Err(SYNTAX_ERROR.to_vec()) };
        let option = option.to_ascii_lowercase();
        match option.as_slice() {
            b"id" => match parse_i64(value) {
                Some(id @ 1..) => filter.id = Some(id.unsigned_abs()),
                _ => return Err(b"ERR client-id should be greater than 0".to_vec()),
            },
            b"type" => match ClientType::parse(value) {
                Some(t) => filter.client_type = Some(t),
                None => return Err(unknown_type_error(value)),
            },
            b"user" => filter.user = Some(existing_user(value)?),
            b"addr" => filter.addr = Some(value.to_vec()),
            b"laddr" => filter.laddr = Some(value.to_vec()),
            b"maxage" => match parse_i64(value) {
                Some(age) => filter.max_age = Some(u64::try_from(age).unwrap_or(0)),
                None => return Err(b"ERR value is not an integer or out of range".to_vec()),
            },
            b"skipme" if value.eq_ignore_ascii_case(b"yes") => filter.skip_me = true,
            b"skipme" if value.eq_ignore_ascii_case(b"no") => filter.skip_me = false,
            _ => return Err(SYNTAX_ERROR.to_vec()),
        }
    }
    Ok(filter)
}

/// Redis's reply to an unknown option or a missing value.
const SYNTAX_ERROR: &[u8] = b"ERR syntax error";

/// The user named `name`, if it exists. Until ACLs arrive the only user is `default`.
fn existing_user(name: &[u8]) -> Result<String, Vec<u8>> {
    if name == b"default" {
        Ok("default".to_owned())
    } else {
        Err(format_error(&[b"ERR No such user '", c_str(name), b"'"]))
    }
}

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let old_form = argv.len() == 3;
    let filter = if old_form {
        // The old form may kill the caller.
        Filter { addr: Some(argv[2].to_vec()), ..Filter::default() }
    } else {
        match parse_filters(&argv[2..]) {
            Ok(filter) => filter,
            Err(e) => return ctx.out.error_bytes(&e),
        }
    };
    let killed = kill_matching(ctx, &filter);
    if !old_form {
        ctx.out.int(killed as i64);
    } else if killed == 0 {
        ctx.out.error("ERR No such client");
    } else {
        ctx.out.ok();
    }
}

/// Closes every live client `filter` matches and returns how many. The caller, if it matches,
/// is only marked: its connection closes once this reply is written.
fn kill_matching(ctx: &mut Ctx<'_>, filter: &Filter) -> usize {
    let mut killed = 0;
    for client in ctx.clients.iter_mut().filter(|c| is_live(c) && filter.matches(c)) {
        client.kill();
        killed += 1;
    }
    if !filter.skip_me && filter.matches(ctx.client) {
        ctx.client.close_after_reply = true;
        killed += 1;
    }
    killed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Filter, Vec<u8>> {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        parse_filters(&args)
    }

    #[test]
    fn filters_parse_in_order() {
        let f = parse(&["ID", "7", "type", "Normal", "USER", "default", "skipme", "NO"]).unwrap();
        assert_eq!(f.id, Some(7));
        assert_eq!(f.client_type, Some(ClientType::Normal));
        assert_eq!(f.user.as_deref(), Some("default"));
        assert!(!f.skip_me);
        assert!(parse(&["addr", "1.2.3.4:5"]).unwrap().skip_me);
        assert_eq!(parse(&["maxage", "30"]).unwrap().max_age, Some(30));
        assert!(parse(&["maxage", "soon"]).is_err());
    }

    #[test]
    fn filter_errors_are_redis_texts() {
        assert_eq!(parse(&["id", "0"]).unwrap_err(), b"ERR client-id should be greater than 0");
        assert_eq!(parse(&["id", "x"]).unwrap_err(), b"ERR client-id should be greater than 0");
        assert_eq!(parse(&["id", "1", "skipme"]).unwrap_err(), b"ERR syntax error");
        assert_eq!(parse(&["skipme", "maybe"]).unwrap_err(), b"ERR syntax error");
        assert_eq!(parse(&["user", "bob"]).unwrap_err(), b"ERR No such user 'bob'");
        // The first bad option wins.
        assert_eq!(parse(&["type", "bogus", "id", "x"]).unwrap_err(), b"ERR Unknown client type 'bogus'");
        assert_eq!(parse(&["foo", "bar"]).unwrap_err(), b"ERR syntax error");
    }
}
