//! MEMORY USAGE key [SAMPLES count]: the bytes a key costs (see [`crate::keyspace::usage`]).
//! Strings are measured exactly, so SAMPLES only has to be valid.

use crate::commands::{Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// MEMORY USAGE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "usage",
    arity: -3,
    flags: Flags::READONLY,
    keys: &[KeySpec {
        flags: KeyFlags::RO,
        begin: BeginSearch::Index(2),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Server,
    since: "4.0.0",
    summary: "Estimate the memory usage of a key",
    complexity: "O(N) where N is the number of samples.",
    args: &[
        Arg::key(0),
        Arg { name: "count", kind: ArgKind::Integer, token: Some("SAMPLES"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mut rest = argv.get(3..).unwrap_or_default();
    // Redis accepts SAMPLES any number of times and checks each.
    while let [option, tail @ ..] = rest {
        match tail {
            [count, more @ ..] if option.eq_ignore_ascii_case(b"samples") => {
                match parse_i64(count) {
                    None => return ctx.out.error("ERR value is not an integer or out of range"),
                    Some(n) if n < 0 => return ctx.syntax_error(),
                    Some(_) => {}
                }
                rest = more;
            }
            _ => return ctx.syntax_error(),
        }
    }
    match crate::keyspace::usage::key_usage(ctx.db(), argv[2]) {
        Some(bytes) => ctx.out.int(i64::try_from(bytes).unwrap_or(i64::MAX)),
        None => ctx.out.null(),
    }
}
