//! Helpers shared by the list commands: typed lookups, creation, deletion when empty, argument
//! parsing, and the pop and move operations the blocking commands reuse.
//!
//! The pop/move functions do the whole write (pop, push, delete the emptied key, signal the
//! modified keys, count dirty) and return what they moved without replying, so LPOP and BLPOP,
//! LMPOP and BLMPOP, LMOVE and BLMOVE reply in their own shapes. They return `Ok(None)` when
//! there is nothing to pop (no such key; lists are never empty) and `Err(Replied)` when they
//! replied an error (WRONGTYPE).

use crate::commands::errors::{Replied, SYNTAX, WRONGTYPE};
use crate::commands::{Arg, ArgKind, BeginSearch, FindKeys, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::{Access, Db, Value, now_ms};
use crate::protocol::Reply;
use crate::types::listpack::Entry;
use crate::types::number::parse_i64;
use crate::types::quicklist::{End, Quicklist, Shape};

/// The `LEFT | RIGHT` choices (LMOVE's ends, LMPOP's `where`, and their blocking forms).
pub const LEFT_RIGHT: &[Arg] = &[
    Arg { name: "left", kind: ArgKind::PureToken, token: Some("LEFT"), ..Arg::DEFAULT },
    Arg { name: "right", kind: ArgKind::PureToken, token: Some("RIGHT"), ..Arg::DEFAULT },
];

/// Key spec of a list popped from (argument 1): read, then deleted when emptied.
pub const SOURCE_KEY: KeySpec = KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE));

/// Key spec of a move's destination (argument 2), pushed to.
pub const DESTINATION_KEY: KeySpec = KeySpec {
    flags: KeyFlags::RW.union(KeyFlags::INSERT),
    begin: BeginSearch::Index(2),
    find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
    notes: None,
};

/// The list at `key`: `Ok(None)` when absent; replies WRONGTYPE and returns `Err` when the key
/// holds another type.
pub fn lookup_list<'a>(
    db: &'a mut Db,
    out: &mut Reply,
    key: &[u8],
    now: i64,
    access: Access,
) -> Result<Option<&'a mut Quicklist>, Replied> {
    match db.lookup_for(key, now, access) {
        None => Ok(None),
        Some(entry) => match entry.value.as_list_mut() {
            Some(list) => Ok(Some(list)),
            None => {
                out.error(WRONGTYPE);
                Err(Replied)
            }
        },
    }
}

/// The list at `key`, created empty when absent (the caller fills it before replying); replies
/// WRONGTYPE when the key holds another type.
pub fn list_for_write<'a>(
    db: &'a mut Db,
    out: &mut Reply,
    key: &[u8],
    now: i64,
    shape: Shape,
) -> Result<&'a mut Quicklist, Replied> {
    if lookup_list(db, out, key, now, Access::Write)?.is_none() {
        db.insert(key, Value::List(Box::new(Quicklist::new(shape))), false);
    }
    db.lookup_for(key, now, Access::Write).and_then(|e| e.value.as_list_mut()).ok_or(Replied)
}

/// Deletes `key` if its list has no elements left (Redis never keeps empty lists).
pub fn remove_if_empty(db: &mut Db, key: &[u8], now: i64) {
    if db.lookup_for(key, now, Access::Peek).and_then(|e| e.value.as_list_mut()).is_some_and(|l| l.is_empty()) {
        db.remove(key);
    }
}

/// Signals a change to `key` (WATCH, blocked clients) and counts `dirty` writes, as Redis
/// counts every element pushed, popped or removed (0 for an LTRIM that removed nothing, which
/// still signals).
pub fn changed(ctx: &mut Ctx<'_>, key: &[u8], dirty: usize) {
    ctx.key_modified(key);
    // `key_modified` counted one.
    ctx.server.dirty = (ctx.server.dirty + u64::try_from(dirty).unwrap_or(u64::MAX)).saturating_sub(1);
}

/// The layout new lists get (`list-max-listpack-size`, `list-compress-depth`).
pub fn shape(ctx: &Ctx<'_>) -> Shape {
    Shape { fill: ctx.server.config.list_max_listpack_size, depth: ctx.server.config.list_compress_depth }
}

/// Parses a 64-bit integer argument, replying `error` (Redis's default text when `None`).
pub fn parse_long(out: &mut Reply, arg: &[u8], error: Option<&str>) -> Result<i64, Replied> {
    parse_i64(arg).ok_or_else(|| {
        out.error(error.unwrap_or(crate::commands::errors::NOT_INTEGER));
        Replied
    })
}

/// Parses an integer in `min..=i64::MAX`, replying `error` for anything else (Redis's
/// `getRangeLongFromObjectOrReply` with a message).
pub fn parse_at_least(out: &mut Reply, arg: &[u8], min: i64, error: &str) -> Result<i64, Replied> {
    match parse_i64(arg) {
        Some(n) if n >= min => Ok(n),
        _ => {
            out.error(&format!("ERR {error}"));
            Err(Replied)
        }
    }
}

/// `LEFT` or `RIGHT` (any case); replies a syntax error otherwise.
pub fn parse_end(out: &mut Reply, arg: &[u8]) -> Result<End, Replied> {
    if arg.eq_ignore_ascii_case(b"left") {
        Ok(End::Front)
    } else if arg.eq_ignore_ascii_case(b"right") {
        Ok(End::Back)
    } else {
        out.error(SYNTAX);
        Err(Replied)
    }
}

/// Replies one element as a bulk string.
pub fn reply_entry(out: &mut Reply, entry: Entry<'_>) {
    match entry {
        Entry::Int(n) => out.bulk_int(n),
        Entry::Bytes(bytes) => out.bulk(bytes),
    }
}

/// LRANGE's and LTRIM's `start stop` over a list of `len` elements, as Redis clamps them: the
/// first index and how many elements, or `None` when the range is empty.
pub fn clamp_range(len: usize, start: i64, stop: i64) -> Option<(usize, usize)> {
    let len = i64::try_from(len).ok()?;
    let start = if start < 0 { (start + len).max(0) } else { start };
    let stop = if stop < 0 { stop + len } else { stop.min(len - 1) };
    if start > stop || start >= len {
        return None;
    }
    Some((usize::try_from(start).ok()?, usize::try_from(stop - start + 1).ok()?))
}

/// Replies `elements` as an array of bulk strings.
pub fn reply_elements(out: &mut Reply, elements: &[Vec<u8>]) {
    out.array(elements.len());
    for element in elements {
        out.bulk(element);
    }
}

/// Pops up to `count` elements from `end` of the list at `key` (LPOP/RPOP, BLPOP, LMPOP),
/// deleting the key when it empties. `Ok(None)` when there is no such key; replies WRONGTYPE.
/// A `count` of 0 pops nothing and changes nothing.
pub fn pop(ctx: &mut Ctx<'_>, key: &[u8], end: End, count: usize) -> Result<Option<Vec<Vec<u8>>>, Replied> {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Some(list) = lookup_list(db, ctx.out, key, now, Access::Write)? else { return Ok(None) };
    let take = count.min(list.len());
    let popped: Vec<Vec<u8>> = (0..take).filter_map(|_| list.pop(end)).collect();
    remove_if_empty(db, key, now);
    if !popped.is_empty() {
        changed(ctx, key, popped.len());
    }
    Ok(Some(popped))
}

/// Moves one element from `from` of `source` to `to` of `destination` (LMOVE, RPOPLPUSH and
/// their blocking forms), creating the destination list; returns the element. `Ok(None)` when
/// `source` does not exist. Replies WRONGTYPE when the source, or (only if the source exists)
/// the destination, holds another type, as Redis checks them in that order.
pub fn move_element(
    ctx: &mut Ctx<'_>,
    source: &[u8],
    destination: &[u8],
    from: End,
    to: End,
) -> Result<Option<Vec<u8>>, Replied> {
    let now = now_ms();
    let shape = shape(ctx);
    let db = &mut ctx.server.dbs[ctx.client.db];
    if lookup_list(db, ctx.out, source, now, Access::Write)?.is_none() {
        return Ok(None);
    }
    lookup_list(db, ctx.out, destination, now, Access::Write)?;
    let Some(element) = lookup_list(db, ctx.out, source, now, Access::Write)?.and_then(|l| l.pop(from)) else {
        return Ok(None);
    };
    // Push before deleting the emptied source: with source == destination the list lives on.
    list_for_write(db, ctx.out, destination, now, shape)?.push(to, &element);
    remove_if_empty(db, source, now);
    changed(ctx, destination, 0);
    changed(ctx, source, 1);
    Ok(Some(element))
}

/// Parsed `numkeys key [key ...] LEFT|RIGHT [COUNT count]` (LMPOP, and BLMPOP after its
/// timeout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MpopArgs<'a> {
    /// The keys, in order.
    pub keys: &'a [&'a [u8]],
    /// Which end to pop from.
    pub end: End,
    /// How many elements to pop at most (1 without COUNT).
    pub count: usize,
}

/// Parses `args` (starting at `numkeys`) as Redis does, replying its errors.
pub fn parse_mpop<'a>(out: &mut Reply, args: &'a [&'a [u8]]) -> Result<MpopArgs<'a>, Replied> {
    let Some((&numkeys, rest)) = args.split_first() else {
        out.error(SYNTAX);
        return Err(Replied);
    };
    let numkeys = parse_at_least(out, numkeys, 1, "numkeys should be greater than 0")?;
    let numkeys = usize::try_from(numkeys).unwrap_or(usize::MAX);
    if numkeys >= rest.len() {
        out.error(SYNTAX);
        return Err(Replied);
    }
    let (keys, rest) = rest.split_at(numkeys);
    let end = parse_end(out, rest[0])?;
    let mut count = None;
    let mut options = rest[1..].iter();
    while let Some(option) = options.next() {
        match options.next() {
            Some(value) if count.is_none() && option.eq_ignore_ascii_case(b"count") => {
                count = Some(parse_at_least(out, value, 1, "count should be greater than 0")?);
            }
            _ => {
                out.error(SYNTAX);
                return Err(Replied);
            }
        }
    }
    let count = usize::try_from(count.unwrap_or(1)).unwrap_or(usize::MAX);
    Ok(MpopArgs { keys, end, count })
}

/// What LMPOP popped: from which key, and the elements in popping order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Popped<'a> {
    /// The key popped from.
    pub key: &'a [u8],
    /// The elements.
    pub elements: Vec<Vec<u8>>,
}

/// Pops from the first existing list among `args.keys` (LMPOP, BLMPOP; BLPOP with a count of
/// 1). `Ok(None)` when no key exists. Replies WRONGTYPE if a key before the first list holds
/// another type.
pub fn mpop<'a>(ctx: &mut Ctx<'_>, args: &MpopArgs<'a>) -> Result<Option<Popped<'a>>, Replied> {
    for &key in args.keys {
        if let Some(elements) = pop(ctx, key, args.end, args.count)? {
            return Ok(Some(Popped { key, elements }));
        }
    }
    Ok(None)
}

/// Replies an LMPOP result: `[key, [elements]]`.
pub fn reply_popped(out: &mut Reply, popped: &Popped<'_>) {
    out.array(2);
    out.bulk(popped.key);
    reply_elements(out, &popped.elements);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mpop_arguments_like_redis() {
        let mut out = Reply::new(false);
        let args: Vec<&[u8]> = vec![b"2", b"a", b"b", b"RIGHT", b"count", b"5"];
        let parsed = parse_mpop(&mut out, &args).unwrap();
        assert_eq!(parsed, MpopArgs { keys: &[b"a", b"b"], end: End::Back, count: 5 });
        for bad in [
            &[&b"0"[..], b"a", b"left"][..],
            &[b"2", b"a", b"left"],
            &[b"1", b"a", b"up"],
            &[b"1", b"a", b"left", b"count"],
            &[b"1", b"a", b"left", b"count", b"0"],
            &[b"1", b"a", b"left", b"count", b"1", b"count", b"1"],
        ] {
            assert_eq!(parse_mpop(&mut out, bad), Err(Replied));
        }
        let errors = out.take_errors();
        assert_eq!(errors.len(), 6, "{errors:?}");
    }

    #[test]
    fn clamps_ranges_like_redis() {
        assert_eq!(clamp_range(5, 0, -1), Some((0, 5)));
        assert_eq!(clamp_range(5, -100, 100), Some((0, 5)));
        assert_eq!(clamp_range(5, 3, 1), None);
        assert_eq!(clamp_range(5, 5, 10), None);
        assert_eq!(clamp_range(5, -2, -1), Some((3, 2)));
        assert_eq!(clamp_range(5, i64::MIN, i64::MAX), Some((0, 5)));
        assert_eq!(clamp_range(5, 0, i64::MIN), None);
        assert_eq!(clamp_range(0, 0, -1), None);
    }
}
