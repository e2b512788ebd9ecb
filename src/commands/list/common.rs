//! Helpers shared by the list commands: typed lookups, creation, deletion when empty, argument
//! parsing, and the pop and move operations the blocking commands reuse.
//!
//! The pop/move functions do the whole write (pop, push, delete the emptied key, report the
//! changes and keyspace events as Redis 7.0 does) and return what they moved without replying,
//! so LPOP and BLPOP,
//! LMPOP and BLMPOP, LMOVE and BLMOVE reply in their own shapes. They return `Ok(None)` when
//! there is nothing to pop (no such key; lists are never empty) and `Err(Replied)` when they
//! replied an error (WRONGTYPE).

use crate::commands::errors::{Replied, SYNTAX, WRONGTYPE};
use crate::commands::{Arg, ArgKind, BeginSearch, FindKeys, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, Db, Value, now_ms};
use crate::protocol::Reply;
use crate::state::Ctx;
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

/// Deletes `key` if its list has no elements left (Redis never keeps empty lists); returns
/// whether it did.
pub fn remove_if_empty(db: &mut Db, key: &[u8], now: i64) -> bool {
    let empty = db.lookup_for(key, now, Access::Peek).and_then(|e| e.value.as_list_mut()).is_some_and(|l| l.is_empty());
    if empty {
        db.remove(key);
    }
    empty
}

/// Reports a write to the list at `key` as Redis does: WATCH and blocked clients are told, the
/// list event `event` fires, then `del` if the write emptied (and so `deleted`) the key, and
/// `dirty` counts `dirty` changes: every element pushed, popped or removed, and 0 for an LTRIM
/// that removed nothing (which still fires `ltrim`) or a pop serving BLPOP or BLMOVE.
pub fn changed(ctx: &mut Ctx<'_>, key: &[u8], event: &str, deleted: bool, dirty: usize) {
    if dirty == 0 {
        ctx.signal_modified(ctx.client.db, key);
        ctx.notify(NotifyFlags::LIST, event, key);
    } else {
        ctx.changed(key, NotifyFlags::LIST, event);
        ctx.add_dirty(u64::try_from(dirty - 1).unwrap_or(u64::MAX));
    }
    if deleted {
        ctx.notify(NotifyFlags::GENERIC, "del", key);
    }
}

/// The pop event of `end`: `lpop` or `rpop`.
pub fn pop_event(end: End) -> &'static str {
    match end {
        End::Front => "lpop",
        End::Back => "rpop",
    }
}

/// The command that pops from `end` (what BLPOP, LMPOP and their kin propagate): `LPOP` or
/// `RPOP`.
pub fn pop_command_name(end: End) -> &'static [u8] {
    match end {
        End::Front => b"LPOP",
        End::Back => b"RPOP",
    }
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
/// A `count` of 0 pops nothing and changes nothing. `count_dirty` is false only when serving a
/// client blocked in BLPOP or BRPOP, which Redis 7.0 pops without counting.
pub fn pop(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    end: End,
    count: usize,
    count_dirty: bool,
) -> Result<Option<Vec<Vec<u8>>>, Replied> {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Some(list) = lookup_list(db, ctx.out, key, now, Access::Write)? else { return Ok(None) };
    let take = count.min(list.len());
    let popped: Vec<Vec<u8>> = (0..take).filter_map(|_| list.pop(end)).collect();
    let deleted = remove_if_empty(db, key, now);
    if !popped.is_empty() {
        changed(ctx, key, pop_event(end), deleted, if count_dirty { popped.len() } else { 0 });
    }
    Ok(Some(popped))
}

/// Moves one element from `from` of `source` to `to` of `destination` (LMOVE, RPOPLPUSH and
/// their blocking forms), creating the destination list; returns the element. `Ok(None)` when
/// `source` does not exist. Replies WRONGTYPE when the source, or (only if the source exists)
/// the destination, holds another type, as Redis checks them in that order. Events: the push on
/// the destination, then the pop on the source (and `del` if it emptied); one change counted,
/// none when `count_dirty` is false (serving a client blocked in BLMOVE or BRPOPLPUSH).
pub fn move_element(
    ctx: &mut Ctx<'_>,
    source: &[u8],
    destination: &[u8],
    (from, to): (End, End),
    count_dirty: bool,
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
    let deleted = remove_if_empty(db, source, now);
    let push_event = match to {
        End::Front => "lpush",
        End::Back => "rpush",
    };
    ctx.signal_modified(ctx.client.db, destination);
    ctx.notify(NotifyFlags::LIST, push_event, destination);
    changed(ctx, source, pop_event(from), deleted, usize::from(count_dirty));
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
/// another type. `count_dirty` as for [`pop`].
pub fn mpop<'a>(ctx: &mut Ctx<'_>, args: &MpopArgs<'a>, count_dirty: bool) -> Result<Option<Popped<'a>>, Replied> {
    for &key in args.keys {
        if let Some(elements) = pop(ctx, key, args.end, args.count, count_dirty)? {
            return Ok(Some(Popped { key, elements }));
        }
    }
    Ok(None)
}

/// Propagates an LMPOP or BLMPOP as what it did, `LPOP|RPOP key count` with the number of
/// elements popped, as Redis 7.0 does whether it popped at once or served a blocked client.
pub fn propagate_mpop(ctx: &mut Ctx<'_>, end: End, popped: &Popped<'_>) {
    if ctx.server.propagation.is_enabled() {
        let count = popped.elements.len().to_string();
        ctx.propagate_as(&[pop_command_name(end), popped.key, count.as_bytes()]);
    }
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
