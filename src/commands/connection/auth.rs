//! AUTH [username] password, and the credential check HELLO shares.

use crate::commands::{Acl, Arg, CommandSpec, Group};
use crate::config::Config;
use crate::state::Ctx;

use super::quit::HANDSHAKE_FLAGS;

/// AUTH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "auth",
    arity: -2,
    flags: HANDSHAKE_FLAGS,
    acl: Acl::CONNECTION,
    group: Group::Connection,
    summary: "Authenticate to the server",
    complexity: "O(N) where N is the number of passwords defined for the user",
    history: &[("6.0.0", "Added ACL style (username and password).")],
    args: &[
        Arg { name: "username", optional: true, since: Some("6.0.0"), ..Arg::DEFAULT },
        Arg { name: "password", ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// The reply to a failed authentication.
pub const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";

/// Whether `user`/`password` are valid credentials. Until ACLs exist, the only user is
/// `default`, protected by `requirepass` (any password is accepted when none is set).
pub fn credentials_valid(config: &Config, user: &[u8], password: &[u8]) -> bool {
    user == b"default" && config.requirepass.as_deref().is_none_or(|expected| constant_time_eq(expected, password))
}

/// Compares without an early exit, so timing does not reveal how much of a password matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let (user, password): (&[u8], &[u8]) = match argv {
        [_, password] => {
            if ctx.server.config.requirepass.is_none() {
                return ctx.out.error(
                    "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
                );
            }
            (b"default", password)
        }
        [_, user, password] => (user, password),
        _ => return ctx.syntax_error(),
    };
    if credentials_valid(&ctx.server.config, user, password) {
        ctx.client.authenticated = true;
        ctx.client.user = String::from_utf8_lossy(user).into_owned();
        ctx.out.ok();
    } else {
        ctx.out.error(WRONGPASS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_user_only() {
        let mut config = Config::default();
        assert!(credentials_valid(&config, b"default", b"anything"));
        assert!(!credentials_valid(&config, b"alice", b"anything"));
        config.requirepass = Some(b"secret".to_vec());
        assert!(credentials_valid(&config, b"default", b"secret"));
        assert!(!credentials_valid(&config, b"default", b"secreT"));
        assert!(!credentials_valid(&config, b"default", b"secret2"));
    }
}
