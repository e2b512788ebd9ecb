//! EXPIRE: Set a key's time to live in seconds.

use crate::commands::errors::{NOT_INTEGER, c_str, format_error, invalid_expire_time};
use crate::commands::string::common::deletion_command;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::now_ms;
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// EXPIRE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "expire",
    arity: -3,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::Generic,
    summary: "Set a key's time to live in seconds",
    complexity: "O(1)",
    history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
    args: &[Arg::key(0), Arg { name: "seconds", kind: ArgKind::Integer, ..Arg::DEFAULT }, CONDITION],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    expire_generic(ctx, argv, TimeBase::Relative, TimeUnit::Seconds, "expire");
}

/// The NX | XX | GT | LT argument shared by the EXPIRE family's specs.
pub const CONDITION: Arg = Arg {
    name: "condition",
    kind: ArgKind::OneOf(&[
        Arg { name: "nx", kind: ArgKind::PureToken, token: Some("NX"), ..Arg::DEFAULT },
        Arg { name: "xx", kind: ArgKind::PureToken, token: Some("XX"), ..Arg::DEFAULT },
        Arg { name: "gt", kind: ArgKind::PureToken, token: Some("GT"), ..Arg::DEFAULT },
        Arg { name: "lt", kind: ArgKind::PureToken, token: Some("LT"), ..Arg::DEFAULT },
    ]),
    optional: true,
    since: Some("7.0.0"),
    ..Arg::DEFAULT
};

/// Whether the time argument is relative to now or absolute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeBase {
    /// EXPIRE, PEXPIRE.
    Relative,
    /// EXPIREAT, PEXPIREAT.
    Absolute,
}

/// The unit of the time argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Seconds.
    Seconds,
    /// Milliseconds.
    Milliseconds,
}

/// NX, XX, GT, LT.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Conditions {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

fn parse_conditions(args: &[&[u8]]) -> Result<Conditions, Vec<u8>> {
    let mut c = Conditions::default();
    for arg in args {
        match arg.to_ascii_lowercase().as_slice() {
            b"nx" => c.nx = true,
            b"xx" => c.xx = true,
            b"gt" => c.gt = true,
            b"lt" => c.lt = true,
            _ => return Err(format_error(&[b"ERR Unsupported option ", c_str(arg)])),
        }
    }
    if c.nx && (c.xx || c.gt || c.lt) {
        return Err(b"ERR NX and XX, GT or LT options at the same time are not compatible".to_vec());
    }
    if c.gt && c.lt {
        return Err(b"ERR GT and LT options at the same time are not compatible".to_vec());
    }
    Ok(c)
}

/// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with Redis's overflow checks and conditions. A time
/// already past deletes the key.
pub fn expire_generic(ctx: &mut Ctx<'_>, argv: &[&[u8]], base: TimeBase, unit: TimeUnit, name: &str) {
    let conditions = match parse_conditions(&argv[3..]) {
        Ok(c) => c,
        Err(e) => return ctx.out.error_bytes(&e),
    };
    let Some(mut when) = parse_i64(argv[2]) else { return ctx.out.error(NOT_INTEGER) };
    if unit == TimeUnit::Seconds {
        when = match when.checked_mul(1000) {
            Some(ms) => ms,
            None => return ctx.out.error(&invalid_expire_time(name)),
        };
    }
    let now = now_ms();
    if base == TimeBase::Relative {
        when = match when.checked_add(now) {
            Some(at) => at,
            None => return ctx.out.error(&invalid_expire_time(name)),
        };
    }
    let key = argv[1];
    let db = &mut ctx.server.dbs[ctx.client.db];
    if !db.contains(key, now) {
        return ctx.out.int(0);
    }
    let current = db.expire_at(key);
    let refused = (conditions.nx && current.is_some())
        || (conditions.xx && current.is_none())
        || (conditions.gt && current.is_none_or(|c| when <= c))
        || (conditions.lt && current.is_some_and(|c| when >= c));
    if refused {
        return ctx.out.int(0);
    }
    if when <= now {
        db.remove(key);
        if ctx.server.propagation.is_enabled() {
            ctx.propagate_as(&[deletion_command(&ctx.server.config, "lazyfree-lazy-expire"), key]);
        }
        ctx.changed(key, NotifyFlags::GENERIC, "del");
    } else {
        db.set_expire(key, when);
        // Replicas and the AOF get the absolute time, whatever form the client used.
        let at = when.to_string();
        let mut propagated: Vec<&[u8]> = vec![b"PEXPIREAT", key, at.as_bytes()];
        propagated.extend_from_slice(&argv[3..]);
        ctx.propagate_as(&propagated);
        ctx.changed(key, NotifyFlags::GENERIC, "expire");
    }
    ctx.out.int(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn condition_errors() {
        assert!(parse_conditions(&[b"NX", b"xx"]).is_err());
        assert!(parse_conditions(&[b"gt", b"LT"]).is_err());
        assert_eq!(parse_conditions(&[b"foo"]), Err(b"ERR Unsupported option foo".to_vec()));
        assert_eq!(parse_conditions(&[b"xx", b"gt"]), Ok(Conditions { xx: true, gt: true, ..Default::default() }));
    }
}
