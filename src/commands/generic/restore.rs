//! RESTORE: Create a key using the provided serialized value, previously obtained using DUMP.

use crate::commands::errors::{NOT_INTEGER, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::now_ms;
use crate::persistence::rdb::{self, EncodingLimits, PayloadError};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// RESTORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "restore",
    arity: -4,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::KEYSPACE.union(Acl::DANGEROUS),
    keys: &[KeySpec::single(KeyFlags::OW.union(KeyFlags::UPDATE))],
    group: Group::Generic,
    since: "2.6.0",
    summary: "Create a key using the provided serialized value, previously obtained using DUMP.",
    complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
    history: &[
        ("3.0.0", "Added the `REPLACE` modifier."),
        ("5.0.0", "Added the `ABSTTL` modifier."),
        ("5.0.0", "Added the `IDLETIME` and `FREQ` options."),
    ],
    args: &[
        Arg::key(0),
        Arg { name: "ttl", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "serialized-value", ..Arg::DEFAULT },
        Arg {
            name: "replace",
            kind: ArgKind::PureToken,
            token: Some("REPLACE"),
            optional: true,
            since: Some("3.0.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "absttl",
            kind: ArgKind::PureToken,
            token: Some("ABSTTL"),
            optional: true,
            since: Some("5.0.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "seconds",
            kind: ArgKind::Integer,
            token: Some("IDLETIME"),
            optional: true,
            since: Some("5.0.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "frequency",
            kind: ArgKind::Integer,
            token: Some("FREQ"),
            optional: true,
            since: Some("5.0.0"),
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// The options after the payload.
#[derive(Debug, Default)]
struct Options {
    replace: bool,
    absttl: bool,
    idle_secs: Option<u64>,
    freq: Option<u8>,
}

/// Parses the options as Redis does: IDLETIME and FREQ exclude each other (the second one is a
/// syntax error), and the first bad option answers.
fn parse_options(args: &[&[u8]]) -> Result<Options, &'static str> {
    let mut options = Options::default();
    let mut i = 0;
    while i < args.len() {
        let has_value = i + 1 < args.len();
        let arg = args[i];
        if arg.eq_ignore_ascii_case(b"REPLACE") {
            options.replace = true;
        } else if arg.eq_ignore_ascii_case(b"ABSTTL") {
            options.absttl = true;
        } else if arg.eq_ignore_ascii_case(b"IDLETIME") && has_value && options.freq.is_none() {
            let idle = parse_i64(args[i + 1]).ok_or(NOT_INTEGER)?;
            options.idle_secs = Some(u64::try_from(idle).map_err(|_| "ERR Invalid IDLETIME value, must be >= 0")?);
            i += 1;
        } else if arg.eq_ignore_ascii_case(b"FREQ") && has_value && options.idle_secs.is_none() {
            let freq = parse_i64(args[i + 1]).ok_or(NOT_INTEGER)?;
            options.freq = Some(u8::try_from(freq).map_err(|_| "ERR Invalid FREQ value, must be >= 0 and <= 255")?);
            i += 1;
        } else {
            return Err(SYNTAX);
        }
        i += 1;
    }
    Ok(options)
}

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let options = match parse_options(&argv[4..]) {
        Ok(options) => options,
        Err(e) => return ctx.out.error(e),
    };
    let key = argv[1];
    let now = now_ms();
    if !options.replace && ctx.db().contains(key, now) {
        return ctx.out.error("BUSYKEY Target key name already exists.");
    }
    let Some(ttl) = parse_i64(argv[2]) else { return ctx.out.error(NOT_INTEGER) };
    if ttl < 0 {
        return ctx.out.error("ERR Invalid TTL value, must be >= 0");
    }
    let limits = EncodingLimits::from_config(&ctx.server.config);
    let verify = !ctx.server.skip_checksum_validation;
    let value = match rdb::restore(argv[3], verify, &limits) {
        Ok(value) => value,
        Err(PayloadError::VersionOrChecksum) => return ctx.out.error("ERR DUMP payload version or checksum are wrong"),
        Err(PayloadError::BadData(e)) => {
            // Logged as Redis logs a corrupt payload (rdbReportCorruptRDB), at warning level.
            tracing::warn!("RESTORE payload refused: {e}");
            return ctx.out.error("ERR Bad data format");
        }
    };
    let db = ctx.db();
    let deleted = options.replace && db.remove(key).is_some();
    // A relative TTL becomes absolute (wrapping as C's signed addition does on overflow).
    let expire = match ttl {
        0 => None,
        ttl if options.absttl => Some(ttl),
        ttl => Some(ttl.wrapping_add(now)),
    };
    if expire.is_some_and(|at| at <= now) {
        // Already expired: nothing is created; a replaced key was deleted all the same.
        if deleted {
            ctx.propagate_as(&[b"DEL", key]);
            ctx.changed(key, NotifyFlags::GENERIC, "del");
        }
        return ctx.out.ok();
    }
    let clock = *db.clock();
    db.put(key, value, expire);
    if let Some(lru) = clock.restored(options.freq, options.idle_secs) {
        db.set_lru(key, lru);
    }
    if let Some(at) = expire.filter(|_| !options.absttl) {
        // Replicas and the AOF get the absolute time, as Redis rewrites the command.
        let at = at.to_string();
        let mut rewritten: Vec<&[u8]> = argv.to_vec();
        rewritten[2] = at.as_bytes();
        rewritten.push(b"ABSTTL");
        ctx.propagate_as(&rewritten);
    }
    ctx.changed(key, NotifyFlags::GENERIC, "restore");
    ctx.out.ok();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_as_redis_parses_them() {
        let parse = |args: &[&str]| parse_options(&args.iter().map(|a| a.as_bytes()).collect::<Vec<_>>());
        let o = parse(&["replace", "ABSTTL", "idletime", "10"]).unwrap();
        assert!(o.replace && o.absttl && o.idle_secs == Some(10) && o.freq.is_none());
        assert_eq!(parse(&["FREQ", "255"]).unwrap().freq, Some(255));
        assert_eq!(parse(&["FREQ", "256"]).unwrap_err(), "ERR Invalid FREQ value, must be >= 0 and <= 255");
        assert_eq!(parse(&["IDLETIME", "-1"]).unwrap_err(), "ERR Invalid IDLETIME value, must be >= 0");
        assert_eq!(parse(&["IDLETIME", "x"]).unwrap_err(), NOT_INTEGER);
        assert_eq!(parse(&["IDLETIME", "1", "FREQ", "1"]).unwrap_err(), SYNTAX);
        assert_eq!(parse(&["IDLETIME"]).unwrap_err(), SYNTAX);
        assert_eq!(parse(&["bogus"]).unwrap_err(), SYNTAX);
    }
}
