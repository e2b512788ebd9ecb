//! COPY: Copy a key.

use crate::commands::errors::{NOT_INTEGER, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// COPY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "copy",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::KEYSPACE,
    keys: &[
        KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS)),
        KeySpec {
            flags: KeyFlags::OW.union(KeyFlags::UPDATE),
            begin: BeginSearch::Index(2),
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        },
    ],
    group: Group::Generic,
    since: "6.2.0",
    summary: "Copy a key",
    complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
    args: &[
        Arg { name: "source", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "destination", kind: ArgKind::Key(1), ..Arg::DEFAULT },
        Arg { name: "destination-db", kind: ArgKind::Integer, token: Some("DB"), optional: true, ..Arg::DEFAULT },
        Arg { name: "replace", kind: ArgKind::PureToken, token: Some("REPLACE"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mut target_db = ctx.client.db;
    let mut replace = false;
    let mut i = 3;
    while i < argv.len() {
        if argv[i].eq_ignore_ascii_case(b"REPLACE") {
            replace = true;
        } else if argv[i].eq_ignore_ascii_case(b"DB") && i + 1 < argv.len() {
            let Some(index) = parse_i64(argv[i + 1]).and_then(|n| i32::try_from(n).ok()) else {
                return ctx.out.error(NOT_INTEGER);
            };
            match usize::try_from(index) {
                Ok(index) if index < ctx.server.dbs.len() => target_db = index,
                _ => return ctx.out.error("ERR DB index is out of range"),
            }
            i += 1;
        } else {
            return ctx.out.error(SYNTAX);
        }
        i += 1;
    }
    let (from, to) = (argv[1], argv[2]);
    if target_db == ctx.client.db && from == to {
        return ctx.out.error("ERR source and destination objects are the same");
    }
    let now = now_ms();
    let source = &mut ctx.server.dbs[ctx.client.db];
    let Some(value) = source.lookup_for(from, now, Access::Read).map(|e| e.value.clone()) else {
        return ctx.out.int(0);
    };
    let expire = source.expire_at(from);
    let target = &mut ctx.server.dbs[target_db];
    if target.contains(to, now) {
        if !replace {
            return ctx.out.int(0);
        }
        // REPLACE deletes the destination first, so it is always created (`new` fires).
        target.remove(to);
    }
    target.put(to, value, expire);
    ctx.signal_modified(target_db, to);
    ctx.notify_in(target_db, NotifyFlags::GENERIC, "copy_to", to);
    ctx.add_dirty(1);
    ctx.out.int(1);
}
