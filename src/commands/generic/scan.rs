//! SCAN: Incrementally iterate the keys space.

use crate::commands::errors::{NOT_INTEGER, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::keyspace::now_ms;
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::glob;
use crate::types::number::parse_i64;

/// SCAN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "scan",
    arity: -2,
    flags: Flags::READONLY.union(Flags::TOUCHES_ARBITRARY_KEYS),
    acl: Acl::KEYSPACE,
    group: Group::Generic,
    since: "2.8.0",
    summary: "Incrementally iterate the keys space",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
    history: &[("6.0.0", "Added the `TYPE` subcommand.")],
    tips: &["nondeterministic_output", "request_policy:special"],
    args: &[
        Arg { name: "cursor", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "pattern", kind: ArgKind::Pattern, token: Some("MATCH"), optional: true, ..Arg::DEFAULT },
        Arg { name: "count", kind: ArgKind::Integer, token: Some("COUNT"), optional: true, ..Arg::DEFAULT },
        Arg { name: "type", token: Some("TYPE"), optional: true, since: Some("6.0.0"), ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(cursor) = parse_cursor(argv[1]) else { return ctx.out.error(INVALID_CURSOR) };
    let options = match ScanOptions::parse(&argv[2..], true) {
        Ok(o) => o,
        Err(e) => return ctx.out.error(e),
    };
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let mut keys = Vec::new();
    let mut cursor = cursor;
    // Like Redis: visit buckets until COUNT keys were gathered or 10×COUNT buckets were seen.
    let mut budget = options.count.saturating_mul(10);
    loop {
        cursor = db.scan(cursor, |key, entry| {
            let type_ok = options.type_name.is_none_or(|t| t.eq_ignore_ascii_case(entry.value.type_name().as_bytes()));
            if type_ok && options.matches(key.as_bytes()) {
                keys.push(key.clone());
            }
        });
        budget = budget.saturating_sub(1);
        if cursor == 0 || budget == 0 || keys.len() >= options.count {
            break;
        }
    }
    // Expired keys are dropped (and deleted, as Redis does) rather than returned.
    keys.retain(|key| db.contains(key.as_bytes(), now));
    ctx.out.array(2);
    ctx.out.bulk(cursor.to_string().as_bytes());
    ctx.out.array(keys.len());
    for key in &keys {
        ctx.out.bulk(key.as_bytes());
    }
}

/// The reply to a cursor that is not an unsigned 64-bit number.
pub const INVALID_CURSOR: &str = "ERR invalid cursor";

/// Parses a SCAN-family cursor like C's `strtoul`, as Redis does: an optional sign (a negative
/// value wraps around), decimal digits, no leading space, no overflow; the empty string is 0.
pub fn parse_cursor(raw: &[u8]) -> Option<u64> {
    let (negative, digits) = match raw.first() {
        Some(b'-') => (true, &raw[1..]),
        Some(b'+') => (false, &raw[1..]),
        _ => (false, raw),
    };
    if digits.is_empty() {
        // strtoul parses nothing and leaves the end pointer at the start: "" is 0, "-" is not.
        return if raw.is_empty() { Some(0) } else { None };
    }
    let mut value: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(if negative { value.wrapping_neg() } else { value })
}

/// MATCH, COUNT and (for SCAN) TYPE options of the SCAN family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions<'a> {
    /// MATCH pattern (None or `*`: everything).
    pub pattern: Option<&'a [u8]>,
    /// COUNT hint (default 10).
    pub count: usize,
    /// TYPE filter.
    pub type_name: Option<&'a [u8]>,
}

impl<'a> ScanOptions<'a> {
    /// Parses the options after the cursor; TYPE is accepted only when `allow_type`.
    pub fn parse(args: &[&'a [u8]], allow_type: bool) -> Result<Self, &'static str> {
        let mut o = ScanOptions { pattern: None, count: 10, type_name: None };
        let mut pairs = args.chunks(2);
        for pair in pairs.by_ref() {
            let [option, value] = pair else { return Err(SYNTAX) };
            match option.to_ascii_uppercase().as_slice() {
                b"COUNT" => match parse_i64(value) {
                    None => return Err(NOT_INTEGER),
                    Some(n) if n < 1 => return Err(SYNTAX),
                    Some(n) => o.count = usize::try_from(n).unwrap_or(usize::MAX),
                },
                b"MATCH" => o.pattern = Some(*value).filter(|p| *p != b"*"),
                b"TYPE" if allow_type => o.type_name = Some(value),
                _ => return Err(SYNTAX),
            }
        }
        Ok(o)
    }

    /// Whether `item` passes the MATCH filter.
    pub fn matches(&self, item: &[u8]) -> bool {
        self.pattern.is_none_or(|p| glob::matches(p, item))
    }
}

/// The arguments of HSCAN, SSCAN and ZSCAN.
pub const COLLECTION_ARGS: &[Arg] = &[
    Arg::key(0),
    Arg { name: "cursor", kind: ArgKind::Integer, ..Arg::DEFAULT },
    Arg { name: "pattern", kind: ArgKind::Pattern, token: Some("MATCH"), optional: true, ..Arg::DEFAULT },
    Arg { name: "count", kind: ArgKind::Integer, token: Some("COUNT"), optional: true, ..Arg::DEFAULT },
];

/// The reply to HSCAN, SSCAN or ZSCAN of a key that does not exist.
pub fn reply_empty_scan(out: &mut Reply) {
    out.array(2);
    out.bulk(b"0");
    out.array(0);
}

/// HSCAN, SSCAN and ZSCAN once the collection is found: parses MATCH and COUNT from `options`,
/// gathers items the way Redis's `scanGenericCommand` does (`step` visits one bucket from a
/// cursor, or a compact encoding whole and returns 0; it repeats until COUNT items or 10×COUNT
/// buckets), keeps those whose name matches, and replies `[cursor, items]`. Each item is its name
/// and `extra` (a value or a score, written by `write_extra`; nothing for sets).
pub fn scan_collection<T>(
    out: &mut Reply,
    options: &[&[u8]],
    mut cursor: u64,
    mut step: impl FnMut(u64, &mut Vec<(Vec<u8>, T)>) -> u64,
    write_extra: Option<fn(&mut Reply, &T)>,
) {
    let options = match ScanOptions::parse(options, false) {
        Ok(o) => o,
        Err(e) => return out.error(e),
    };
    let mut items = Vec::new();
    let mut budget = options.count.saturating_mul(10);
    loop {
        cursor = step(cursor, &mut items);
        budget = budget.saturating_sub(1);
        if cursor == 0 || budget == 0 || items.len() >= options.count {
            break;
        }
    }
    items.retain(|(name, _)| options.matches(name));
    out.array(2);
    out.bulk(cursor.to_string().as_bytes());
    out.array(items.len() * if write_extra.is_some() { 2 } else { 1 });
    for (name, extra) in &items {
        out.bulk(name);
        if let Some(write) = write_extra {
            write(out, extra);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_parse_like_strtoul() {
        assert_eq!(parse_cursor(b"0"), Some(0));
        assert_eq!(parse_cursor(b""), Some(0));
        assert_eq!(parse_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"+7"), Some(7));
        assert_eq!(parse_cursor(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551616"), None);
        assert_eq!(parse_cursor(b"x"), None);
        assert_eq!(parse_cursor(b" 1"), None);
        assert_eq!(parse_cursor(b"-"), None);
    }

    #[test]
    fn options() {
        assert_eq!(ScanOptions::parse(&[b"COUNT", b"0"], true), Err(SYNTAX));
        assert_eq!(ScanOptions::parse(&[b"COUNT", b"x"], true), Err(NOT_INTEGER));
        assert_eq!(ScanOptions::parse(&[b"MATCH"], true), Err(SYNTAX));
        assert_eq!(ScanOptions::parse(&[b"TYPE", b"string"], false), Err(SYNTAX));
        let o = ScanOptions::parse(&[b"match", b"*", b"count", b"5", b"type", b"hash"], true).expect("valid");
        assert_eq!((o.pattern, o.count, o.type_name), (None, 5, Some(&b"hash"[..])));
    }
}
