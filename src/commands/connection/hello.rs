//! HELLO [protover [AUTH username password] [SETNAME clientname]]

use crate::commands::errors::{c_str, format_error};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Group};
use crate::state::Ctx;
use crate::types::number::parse_i64;

use super::auth::{WRONGPASS, credentials_valid};
use super::quit::HANDSHAKE_FLAGS;

/// HELLO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hello",
    arity: -1,
    flags: HANDSHAKE_FLAGS,
    acl: Acl::CONNECTION,
    group: Group::Connection,
    since: "6.0.0",
    summary: "Handshake with Redis",
    complexity: "O(1)",
    history: &[(
        "6.2.0",
        "`protover` made optional; when called without arguments the command reports the current connection's context.",
    )],
    args: &[Arg {
        name: "arguments",
        kind: ArgKind::Block(&[
            Arg { name: "protover", kind: ArgKind::Integer, ..Arg::DEFAULT },
            Arg {
                name: "username_password",
                kind: ArgKind::Block(&[
                    Arg { name: "username", ..Arg::DEFAULT },
                    Arg { name: "password", ..Arg::DEFAULT },
                ]),
                token: Some("AUTH"),
                optional: true,
                ..Arg::DEFAULT
            },
            Arg { name: "clientname", token: Some("SETNAME"), optional: true, ..Arg::DEFAULT },
        ]),
        optional: true,
        ..Arg::DEFAULT
    }],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// Redis's rule for client names: printable ASCII without spaces.
pub fn valid_client_name(name: &[u8]) -> bool {
    name.iter().all(|&b| (b'!'..=b'~').contains(&b))
}

/// The error for a name [`valid_client_name`] refuses.
pub const INVALID_NAME: &str = "ERR Client names cannot contain spaces, newlines or special characters.";

/// Redis's text, which names no `<proto>` (unlike the command's documentation).
const NOAUTH: &str = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time";

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mut version = None;
    if argv.len() >= 2 {
        match parse_i64(argv[1]) {
            None => return ctx.out.error("ERR Protocol version is not an integer or out of range"),
            Some(v @ 2..=3) => version = Some(v as u8),
            Some(_) => return ctx.out.error("NOPROTO unsupported protocol version"),
        }
    }
    // Options take effect one by one as Redis reads them: an AUTH that succeeded or a name that
    // was set stays so when a later option fails (or when the client is still not authenticated).
    let mut i = 2;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        if argv[i].eq_ignore_ascii_case(b"AUTH") && more >= 2 {
            let (user, password) = (argv[i + 1], argv[i + 2]);
            if !credentials_valid(&ctx.server.config, user, password) {
                return ctx.out.error(WRONGPASS);
            }
            ctx.client.authenticated = true;
            ctx.client.user = String::from_utf8_lossy(user).into_owned();
            i += 3;
        } else if argv[i].eq_ignore_ascii_case(b"SETNAME") && more >= 1 {
            if !valid_client_name(argv[i + 1]) {
                return ctx.out.error(INVALID_NAME);
            }
            ctx.client.name = argv[i + 1].to_vec();
            i += 2;
        } else {
            let text = format_error(&[b"ERR Syntax error in HELLO option '", c_str(argv[i]), b"'"]);
            return ctx.out.error_bytes(&text);
        }
    }
    if !ctx.client.authenticated {
        return ctx.out.error(NOAUTH);
    }
    if let Some(v) = version {
        ctx.set_protocol(v);
    }
    let out = &mut *ctx.out;
    out.map(8);
    out.bulk(b"server");
    out.bulk(b"redis");
    out.bulk(b"version");
    out.bulk(crate::REDIS_VERSION.as_bytes());
    out.bulk(b"proto");
    out.int(i64::from(ctx.client.resp));
    out.bulk(b"id");
    out.int(ctx.client.id as i64);
    out.bulk(b"mode");
    out.bulk(b"standalone");
    out.bulk(b"role");
    out.bulk(b"master");
    out.bulk(b"modules");
    out.array(0);
    out.bulk(b"rkv_version");
    out.bulk(crate::RKV_VERSION.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::valid_client_name;

    #[test]
    fn client_names() {
        assert!(valid_client_name(b"worker-1"));
        assert!(valid_client_name(b""));
        assert!(!valid_client_name(b"a b"));
        assert!(!valid_client_name(b"a\nb"));
        assert!(!valid_client_name("é".as_bytes()));
    }
}
