//! SINTERCARD: Intersect multiple sets and return the cardinality of the result.

use super::common::{intersection, read_sets};
use crate::commands::errors::SYNTAX;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// SINTERCARD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sintercard",
    arity: -3,
    flags: Flags::READONLY.union(Flags::MOVABLE_KEYS),
    acl: Acl::SET,
    keys: &[KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(1),
        find: FindKeys::Keynum { keynum_idx: 0, first_key: 1, step: 1 },
        notes: None,
    }],
    group: Group::Set,
    since: "7.0.0",
    summary: "Intersect multiple sets and return the cardinality of the result",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
    args: &[
        Arg { name: "numkeys", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT },
        Arg { name: "limit", kind: ArgKind::Integer, token: Some("LIMIT"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let numkeys = match parse_i64(argv[1]).and_then(|n| usize::try_from(n).ok()) {
        Some(n) if n > 0 => n,
        _ => return ctx.out.error("ERR numkeys should be greater than 0"),
    };
    let Some(keys) = argv.get(2..2 + numkeys) else {
        return ctx.out.error("ERR Number of keys can't be greater than number of args");
    };
    let mut limit = 0;
    for pair in argv[2 + numkeys..].chunks(2) {
        match pair {
            [option, raw] if option.eq_ignore_ascii_case(b"LIMIT") => {
                match parse_i64(raw).and_then(|n| usize::try_from(n).ok()) {
                    Some(n) => limit = n,
                    None => return ctx.out.error("ERR LIMIT can't be negative"),
                }
            }
            _ => return ctx.out.error(SYNTAX),
        }
    }
    let db = &mut ctx.server.dbs[ctx.client.db];
    if let Ok(sets) = read_sets(db, ctx.out, keys) {
        ctx.out.int(intersection(&sets, Some(limit)).len() as i64);
    }
}
