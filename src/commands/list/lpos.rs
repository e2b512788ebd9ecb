//! LPOS: Return the index of matching elements on a list.

use std::ops::ControlFlow;

use super::common::{lookup_list, parse_at_least, parse_long};
use crate::commands::errors::{Replied, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::quicklist::Quicklist;

/// LPOS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lpos",
    arity: -3,
    flags: Flags::READONLY,
    acl: Acl::LIST,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::List,
    since: "6.0.6",
    summary: "Return the index of matching elements on a list",
    complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
    args: &[
        Arg::key(0),
        Arg { name: "element", ..Arg::DEFAULT },
        Arg { name: "rank", kind: ArgKind::Integer, token: Some("RANK"), optional: true, ..Arg::DEFAULT },
        Arg { name: "num-matches", kind: ArgKind::Integer, token: Some("COUNT"), optional: true, ..Arg::DEFAULT },
        Arg { name: "len", kind: ArgKind::Integer, token: Some("MAXLEN"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
/// LPOS's options.
struct Options {
    /// Which match to start from (1 = first); negative searches from the tail.
    rank: i64,
    /// How many matches to reply, as an array (0 = all); `None` replies one index.
    count: Option<usize>,
    /// How many elements to compare at most (0 = all).
    maxlen: usize,
}

/// Parses RANK, COUNT and MAXLEN as Redis does, replying its errors.
fn parse_options(out: &mut Reply, args: &[&[u8]]) -> Result<Options, Replied> {
    let mut options = Options { rank: 1, count: None, maxlen: 0 };
    let mut args = args.iter();
    while let Some(option) = args.next() {
        let value = args.as_slice().first().copied();
        let Some(value) =
            value.filter(|_| [&b"rank"[..], b"count", b"maxlen"].iter().any(|o| option.eq_ignore_ascii_case(o)))
        else {
            out.error(SYNTAX);
            return Err(Replied);
        };
        args.next();
        if option.eq_ignore_ascii_case(b"rank") {
            options.rank = parse_long(out, value, None)?;
            if options.rank == 0 {
                out.error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
                return Err(Replied);
            }
        } else if option.eq_ignore_ascii_case(b"count") {
            let n = parse_at_least(out, value, 0, "COUNT can't be negative")?;
            options.count = Some(usize::try_from(n).unwrap_or(usize::MAX));
        } else {
            let n = parse_at_least(out, value, 0, "MAXLEN can't be negative")?;
            options.maxlen = usize::try_from(n).unwrap_or(usize::MAX);
        }
    }
    Ok(options)
}

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(options) = parse_options(ctx.out, &argv[3..]) else { return };
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(found) = lookup_list(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    let Some(list) = found else {
        return if options.count.is_some() { ctx.out.array(0) } else { ctx.out.null() };
    };
    let matches = find_matches(list, argv[2], &options);
    match options.count {
        Some(_) => {
            ctx.out.array(matches.len());
            for index in matches {
                ctx.out.int(index as i64);
            }
        }
        None => match matches.first() {
            Some(&index) => ctx.out.int(index as i64),
            None => ctx.out.null(),
        },
    }
}

/// Indexes of the matches LPOS replies, in the order found.
fn find_matches(list: &Quicklist, element: &[u8], options: &Options) -> Vec<usize> {
    let from_tail = options.rank < 0;
    // Redis negates the rank as a C long: i64::MIN stays negative and so matches at once.
    let rank = if from_tail { options.rank.wrapping_neg() } else { options.rank };
    let wanted = match options.count {
        None => 1,
        Some(0) => usize::MAX,
        Some(n) => n,
    };
    let limit = if options.maxlen == 0 { usize::MAX } else { options.maxlen };
    let len = list.len();
    let scanned = if from_tail { len.saturating_sub(limit)..len } else { 0..limit.min(len) };
    let mut seen: i64 = 0;
    let mut found = Vec::new();
    let _ = list.try_for_each(scanned, from_tail, |i, entry| {
        if entry.eq_bytes(element) {
            seen += 1;
            if seen >= rank {
                found.push(i);
                if found.len() >= wanted {
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    });
    found
}
