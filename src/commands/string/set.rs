//! SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
//! PXAT unix-time-milliseconds | KEEPTTL]

use crate::commands::errors::{NOT_INTEGER, SYNTAX, WRONGTYPE, invalid_expire_time};
use crate::commands::keys::KeyRef;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, StringValue, Value};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// SET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "set",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::STRING,
    keys: &[KeySpec {
        notes: Some("RW and ACCESS due to the optional `GET` argument"),
        ..KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE).union(KeyFlags::VARIABLE_FLAGS))
    }],
    group: Group::String,
    summary: "Set the string value of a key",
    complexity: "O(1)",
    history: &[
        ("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."),
        ("6.0.0", "Added the `KEEPTTL` option."),
        ("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."),
        ("7.0.0", "Allowed the `NX` and `GET` options to be used together."),
    ],
    args: &[
        Arg::key(0),
        Arg { name: "value", ..Arg::DEFAULT },
        Arg {
            name: "condition",
            kind: ArgKind::OneOf(&[
                Arg { name: "nx", kind: ArgKind::PureToken, token: Some("NX"), ..Arg::DEFAULT },
                Arg { name: "xx", kind: ArgKind::PureToken, token: Some("XX"), ..Arg::DEFAULT },
            ]),
            since: Some("2.6.12"),
            optional: true,
            ..Arg::DEFAULT
        },
        Arg {
            name: "get",
            kind: ArgKind::PureToken,
            token: Some("GET"),
            since: Some("6.2.0"),
            optional: true,
            ..Arg::DEFAULT
        },
        Arg {
            name: "expiration",
            kind: ArgKind::OneOf(&[
                Arg {
                    name: "seconds",
                    kind: ArgKind::Integer,
                    token: Some("EX"),
                    since: Some("2.6.12"),
                    ..Arg::DEFAULT
                },
                Arg {
                    name: "milliseconds",
                    kind: ArgKind::Integer,
                    token: Some("PX"),
                    since: Some("2.6.12"),
                    ..Arg::DEFAULT
                },
                Arg {
                    name: "unix-time-seconds",
                    kind: ArgKind::UnixTime,
                    token: Some("EXAT"),
                    since: Some("6.2.0"),
                    ..Arg::DEFAULT
                },
                Arg {
                    name: "unix-time-milliseconds",
                    kind: ArgKind::UnixTime,
                    token: Some("PXAT"),
                    since: Some("6.2.0"),
                    ..Arg::DEFAULT
                },
                Arg {
                    name: "keepttl",
                    kind: ArgKind::PureToken,
                    token: Some("KEEPTTL"),
                    since: Some("6.0.0"),
                    ..Arg::DEFAULT
                },
            ]),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    getkeys: Some(set_keys),
    ..CommandSpec::DEFAULT
};

/// SET's key flags depend on GET: with it the old value is read (`RW access update`), without
/// it the key is only overwritten (`OW update`), as Redis's `setGetKeys` reports.
fn set_keys(argv: &[&[u8]]) -> Vec<KeyRef> {
    let reads_old = argv.iter().skip(3).any(|a| a.eq_ignore_ascii_case(b"GET"));
    let flags = if reads_old {
        KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE)
    } else {
        KeyFlags::OW.union(KeyFlags::UPDATE)
    };
    vec![KeyRef { pos: 1, flags }]
}

/// How an expiry argument is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpireUnit {
    /// EX: seconds from now.
    Seconds,
    /// PX: milliseconds from now.
    Milliseconds,
    /// EXAT: Unix time in seconds.
    UnixSeconds,
    /// PXAT: Unix time in milliseconds.
    UnixMilliseconds,
}

/// Options shared by SET and GETEX.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SetOptions<'a> {
    /// NX: only if absent.
    pub nx: bool,
    /// XX: only if present.
    pub xx: bool,
    /// GET: reply with the old value.
    pub get: bool,
    /// KEEPTTL: keep the existing TTL.
    pub keep_ttl: bool,
    /// PERSIST (GETEX only): remove the TTL.
    pub persist: bool,
    /// EX/PX/EXAT/PXAT and its raw argument.
    pub expire: Option<(ExpireUnit, &'a [u8])>,
}

/// Which command's grammar [`parse_options`] follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionGrammar {
    /// SET: NX, XX, GET, KEEPTTL and an expiry.
    Set,
    /// GETEX: PERSIST or an expiry.
    GetEx,
}

/// Parses SET/GETEX options with Redis's rules (conflicting options are a syntax error; the
/// same expiry option may repeat, the last one winning).
pub fn parse_options<'a>(args: &[&'a [u8]], grammar: OptionGrammar) -> Result<SetOptions<'a>, &'static str> {
    let mut o = SetOptions::default();
    let is_set = grammar == OptionGrammar::Set;
    let mut i = 0;
    while i < args.len() {
        let opt = args[i].to_ascii_uppercase();
        let next = args.get(i + 1).copied();
        let has_other_expire = |o: &SetOptions<'_>, unit: ExpireUnit| o.expire.is_some_and(|(u, _)| u != unit);
        let expire_unit = match opt.as_slice() {
            b"EX" => Some(ExpireUnit::Seconds),
            b"PX" => Some(ExpireUnit::Milliseconds),
            b"EXAT" => Some(ExpireUnit::UnixSeconds),
            b"PXAT" => Some(ExpireUnit::UnixMilliseconds),
            _ => None,
        };
        match (opt.as_slice(), expire_unit, next) {
            (b"NX", _, _) if is_set && !o.xx => o.nx = true,
            (b"XX", _, _) if is_set && !o.nx => o.xx = true,
            (b"GET", _, _) if is_set => o.get = true,
            (b"KEEPTTL", _, _) if is_set && o.expire.is_none() => o.keep_ttl = true,
            (b"PERSIST", _, _) if !is_set && o.expire.is_none() => o.persist = true,
            (_, Some(unit), Some(value)) if !o.keep_ttl && !o.persist && !has_other_expire(&o, unit) => {
                o.expire = Some((unit, value));
                i += 1;
            }
            _ => return Err(SYNTAX),
        }
        i += 1;
    }
    Ok(o)
}

/// Turns an expiry argument into an absolute Unix time in milliseconds, with Redis's errors.
pub fn expire_at_ms(unit: ExpireUnit, raw: &[u8], now_ms: i64, command: &str) -> Result<i64, String> {
    let n = parse_i64(raw).ok_or_else(|| NOT_INTEGER.to_owned())?;
    let seconds = matches!(unit, ExpireUnit::Seconds | ExpireUnit::UnixSeconds);
    if n <= 0 || (seconds && n > i64::MAX / 1000) {
        return Err(invalid_expire_time(command));
    }
    let ms = if seconds { n * 1000 } else { n };
    let at = match unit {
        ExpireUnit::Seconds | ExpireUnit::Milliseconds => ms.checked_add(now_ms),
        ExpireUnit::UnixSeconds | ExpireUnit::UnixMilliseconds => Some(ms),
    };
    at.filter(|&at| at > 0).ok_or_else(|| invalid_expire_time(command))
}

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let options = match parse_options(&argv[3..], OptionGrammar::Set) {
        Ok(o) => o,
        Err(e) => return ctx.out.error(e),
    };
    let now = crate::keyspace::now_ms();
    let expire_at = match options.expire.map(|(unit, raw)| expire_at_ms(unit, raw, now, "set")).transpose() {
        Ok(at) => at,
        Err(e) => return ctx.out.error(&e),
    };
    let db = &mut ctx.server.dbs[ctx.client.db];
    let key = argv[1];
    let access = if options.get { Access::Read } else { Access::Write };
    let found = match db.lookup_for(key, now, access) {
        Some(entry) => {
            if options.get {
                let Some(old) = entry.value.as_string() else { return ctx.out.error(WRONGTYPE) };
                let mut scratch = [0u8; 20];
                ctx.out.bulk(old.as_bytes(&mut scratch));
            }
            true
        }
        None => {
            if options.get {
                ctx.out.null();
            }
            false
        }
    };
    if (options.nx && found) || (options.xx && !found) {
        if !options.get {
            ctx.out.null();
        }
        return;
    }
    db.insert(key, Value::String(StringValue::from_bytes(argv[2])), options.keep_ttl);
    if let Some(at) = expire_at {
        db.set_expire(key, at);
    }
    ctx.changed(key, NotifyFlags::STRING, "set");
    // Propagated as Redis 7.0 does: with any expiry as `SET key value PXAT <ms>`, otherwise
    // without the GET arguments (the replica has no one to answer).
    if let Some(at) = expire_at {
        let at = at.to_string();
        ctx.propagate_as(&[b"SET", key, argv[2], b"PXAT", at.as_bytes()]);
        ctx.notify(NotifyFlags::GENERIC, "expire", key);
    } else if options.get {
        let without_get: Vec<&[u8]> = argv
            .iter()
            .enumerate()
            .filter(|(i, a)| *i < 3 || !a.eq_ignore_ascii_case(b"get"))
            .map(|(_, a)| *a)
            .collect();
        ctx.propagate_as(&without_get);
    }
    crate::commands::generic::object::refcount::stored_from_argv(ctx, key, argv[2]);
    if !options.get {
        ctx.out.ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_grammar() {
        fn p<'a>(args: &[&'a [u8]]) -> Result<SetOptions<'a>, &'static str> {
            parse_options(args, OptionGrammar::Set)
        }
        assert_eq!(p(&[b"nx", b"xx"]), Err(SYNTAX));
        assert_eq!(p(&[b"ex", b"1", b"px", b"1"]), Err(SYNTAX));
        assert_eq!(p(&[b"keepttl", b"ex", b"1"]), Err(SYNTAX));
        assert_eq!(p(&[b"ex"]), Err(SYNTAX));
        assert_eq!(p(&[b"persist"]), Err(SYNTAX));
        let o = p(&[b"EX", b"1", b"ex", b"2", b"nx", b"get"]).expect("valid");
        assert_eq!(o.expire, Some((ExpireUnit::Seconds, &b"2"[..])));
        assert!(o.nx && o.get);
        let g = parse_options(&[b"persist"], OptionGrammar::GetEx).expect("valid");
        assert!(g.persist);
        assert_eq!(parse_options(&[b"nx"], OptionGrammar::GetEx), Err(SYNTAX));
    }

    #[test]
    fn expiry_arithmetic() {
        assert_eq!(expire_at_ms(ExpireUnit::Seconds, b"10", 1000, "set"), Ok(11_000));
        assert_eq!(expire_at_ms(ExpireUnit::UnixMilliseconds, b"5", 1000, "set"), Ok(5));
        assert_eq!(expire_at_ms(ExpireUnit::Seconds, b"0", 0, "set"), Err(invalid_expire_time("set")));
        assert_eq!(expire_at_ms(ExpireUnit::Seconds, b"x", 0, "set"), Err(NOT_INTEGER.to_owned()));
        assert_eq!(
            expire_at_ms(ExpireUnit::Seconds, b"9223372036854775807", 0, "set"),
            Err(invalid_expire_time("set"))
        );
        assert_eq!(
            expire_at_ms(ExpireUnit::Milliseconds, b"9223372036854775807", 5, "set"),
            Err(invalid_expire_time("set"))
        );
    }
}
