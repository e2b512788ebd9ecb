//! GETEX: Get the value of a key and optionally set its expiration.

use super::common::{deletion_command, lookup_string, reply_string};
use super::set::{ExpireUnit, OptionGrammar, expire_at_ms, parse_options};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::Access;
use crate::keyspace::now_ms;
use crate::state::Ctx;

/// GETEX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "getex",
    arity: -2,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec {
        flags: KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: Some("RW and UPDATE because it changes the TTL"),
    }],
    group: Group::String,
    since: "6.2.0",
    summary: "Get the value of a key and optionally set its expiration",
    complexity: "O(1)",
    args: &[
        Arg::key(0),
        Arg {
            name: "expiration",
            kind: ArgKind::OneOf(&[
                Arg { name: "seconds", kind: ArgKind::Integer, token: Some("EX"), ..Arg::DEFAULT },
                Arg { name: "milliseconds", kind: ArgKind::Integer, token: Some("PX"), ..Arg::DEFAULT },
                Arg { name: "unix-time-seconds", kind: ArgKind::UnixTime, token: Some("EXAT"), ..Arg::DEFAULT },
                Arg { name: "unix-time-milliseconds", kind: ArgKind::UnixTime, token: Some("PXAT"), ..Arg::DEFAULT },
                Arg { name: "persist", kind: ArgKind::PureToken, token: Some("PERSIST"), ..Arg::DEFAULT },
            ]),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let options = match parse_options(&argv[2..], OptionGrammar::GetEx) {
        Ok(o) => o,
        Err(e) => return ctx.out.error(e),
    };
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let value = match lookup_string(db, ctx.out, argv[1], now, Access::Read) {
        Ok(Some(v)) => v.clone(),
        Ok(None) => return ctx.out.null(),
        Err(_) => return,
    };
    // The TTL is validated only once the key is known to exist, as in Redis.
    let expire_at = match options.expire.map(|(unit, raw)| (unit, expire_at_ms(unit, raw, now, "getex"))) {
        Some((_, Err(e))) => return ctx.out.error(&e),
        Some((unit, Ok(at))) => Some((unit, at)),
        None => None,
    };
    reply_string(ctx.out, &value);
    // Never propagated as is: as the deletion, PEXPIREAT with the absolute time, or PERSIST.
    let key = argv[1];
    match expire_at {
        // An absolute time already past deletes the key (Redis's checkAlreadyExpired).
        Some((ExpireUnit::UnixSeconds | ExpireUnit::UnixMilliseconds, at)) if at <= now => {
            db.remove(key);
            if ctx.server.propagation.is_enabled() {
                ctx.propagate_as(&[deletion_command(&ctx.server.config, "lazyfree-lazy-expire"), key]);
            }
            ctx.changed(key, NotifyFlags::GENERIC, "del");
        }
        Some((_, at)) => {
            db.set_expire(key, at);
            if ctx.server.propagation.is_enabled() {
                let at = at.to_string();
                ctx.propagate_as(&[b"PEXPIREAT", key, at.as_bytes()]);
            }
            ctx.changed(key, NotifyFlags::GENERIC, "expire");
        }
        // PERSIST on a key without a TTL changes nothing: no event, nothing propagated.
        None if options.persist && db.persist(key) => {
            ctx.propagate_as(&[b"PERSIST", key]);
            ctx.changed(key, NotifyFlags::GENERIC, "persist");
        }
        None => {}
    }
}
