//! Helpers shared by the sorted-set commands: typed lookups, write bookkeeping, reply shapes,
//! storing computed results, and the pop logic (ZPOPMIN/ZPOPMAX/ZMPOP, and the blocking variants
//! built on top of [`pop_first`]).

use crate::commands::errors::{NOT_INTEGER, Replied, SYNTAX, WRONGTYPE};
use crate::commands::{Arg, ArgKind};
use crate::config::{Config, NotifyFlags};
use crate::keyspace::{Access, Db, Value, now_ms};
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::number::parse_i64;
use crate::types::small_bytes::SmallBytes;
use crate::types::zset::btree::Item;
use crate::types::zset::{ZSetLimits, ZSetValue};

/// The sorted set at `key`: `Ok(None)` when absent; replies WRONGTYPE and returns `Err` when the
/// key holds another type.
pub fn lookup_zset<'a>(
    db: &'a mut Db,
    out: &mut Reply,
    key: &[u8],
    access: Access,
) -> Result<Option<&'a mut ZSetValue>, Replied> {
    match db.lookup_for(key, now_ms(), access) {
        None => Ok(None),
        Some(entry) => match entry.value.as_zset_mut() {
            Some(z) => Ok(Some(z)),
            None => {
                out.error(WRONGTYPE);
                Err(Replied)
            }
        },
    }
}

/// The configured encoding limits.
pub fn limits(config: &Config) -> ZSetLimits {
    ZSetLimits { max_entries: config.zset_max_listpack_entries, max_value: config.zset_max_listpack_value }
}

/// After a write that changed `changes` (> 0) entries of `key`: deletes the key if its set is
/// now empty, signals the change (WATCH, blocked clients), fires the sorted-set event `event`
/// and then `del` if the key was deleted, and adds `changes` to the dirty counter, as Redis
/// counts every member added, updated, removed or popped.
pub fn changed(ctx: &mut Ctx<'_>, key: &[u8], event: &str, changes: usize) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let emptied =
        db.lookup_for(key, now_ms(), Access::Peek).and_then(|e| e.value.as_zset_mut()).is_some_and(|z| z.is_empty());
    if emptied {
        db.remove(key);
    }
    ctx.changed(key, NotifyFlags::ZSET, event);
    if emptied {
        ctx.notify(NotifyFlags::GENERIC, "del", key);
    }
    ctx.add_dirty(u64::try_from(changes.saturating_sub(1)).unwrap_or(0));
}

/// Parses an integer argument as Redis's `getLongFromObjectOrReply` does.
pub fn parse_long(raw: &[u8]) -> Result<i64, &'static str> {
    parse_i64(raw).ok_or(NOT_INTEGER)
}

/// How a list of entries is replied: members alone, or members with scores (flat pairs in RESP2,
/// a two-element array per entry in RESP3, as Redis 7.0 does).
#[derive(Debug, Clone, Copy)]
pub struct Entries {
    withscores: bool,
    nested: bool,
}

impl Entries {
    /// The shape for a listing such as ZRANGE on `out`'s protocol.
    pub fn new(out: &Reply, withscores: bool) -> Self {
        Entries { withscores, nested: withscores && out.is_resp3() }
    }

    /// Always with scores, nested or flat as asked (pops).
    pub fn with_scores(nested: bool) -> Self {
        Entries { withscores: true, nested }
    }

    /// The array header for `n` entries.
    pub fn header(self, out: &mut Reply, n: usize) {
        out.array(if self.withscores && !self.nested { n.saturating_mul(2) } else { n });
    }

    /// One entry, after [`Entries::header`].
    pub fn entry(self, out: &mut Reply, member: &[u8], score: f64) {
        if self.nested {
            out.array(2);
        }
        out.bulk(member);
        if self.withscores {
            out.double(score);
        }
    }

    /// Header and every entry of `items`.
    pub fn reply_all(self, out: &mut Reply, items: &[Item]) {
        self.header(out, items.len());
        for item in items {
            self.entry(out, item.member.as_bytes(), item.score);
        }
    }
}

/// The *STORE commands' ending: replaces `dest` with `zset` and fires `event` (`zunionstore`,
/// `zinterstore`, `zdiffstore`, `zrangestore`), or deletes `dest` when the result is empty (a
/// `del` event, if there was a key to delete); replies the new cardinality.
pub fn store(ctx: &mut Ctx<'_>, dest: &[u8], zset: ZSetValue, event: &str) {
    let len = zset.len();
    let db = &mut ctx.server.dbs[ctx.client.db];
    if len == 0 {
        if db.remove(dest).is_some() {
            ctx.changed(dest, NotifyFlags::GENERIC, "del");
        }
    } else {
        db.insert(dest, Value::ZSet(zset), false);
        ctx.changed(dest, NotifyFlags::ZSET, event);
    }
    ctx.out.int(len as i64);
}

/// Which end a pop takes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Lowest scores first (ZPOPMIN, `MIN`).
    Min,
    /// Highest scores first (ZPOPMAX, `MAX`).
    Max,
}

impl End {
    /// Parses `MIN` or `MAX` (any case).
    pub fn parse(raw: &[u8]) -> Option<End> {
        if raw.eq_ignore_ascii_case(b"min") {
            Some(End::Min)
        } else if raw.eq_ignore_ascii_case(b"max") {
            Some(End::Max)
        } else {
            None
        }
    }
}

/// How a pop reply is shaped (Redis's `emitkey` and `use_nested_array`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PopShape {
    /// Reply the key name first (ZMPOP, BZPOPMIN, BZMPOP).
    pub emit_key: bool,
    /// Each entry as a [member, score] array (ZMPOP, BZMPOP, ZPOPMIN with a count in RESP3);
    /// otherwise flat member, score pairs.
    pub nested: bool,
}

/// What a pop propagates (Redis rewrites the blocking and multi-key pops).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PopForm {
    /// The command itself (ZPOPMIN, ZPOPMAX).
    AsIs,
    /// `ZPOPMIN|ZPOPMAX key` (BZPOPMIN, BZPOPMAX).
    One,
    /// `ZPOPMIN|ZPOPMAX key count`, with the number of entries popped (ZMPOP, BZMPOP).
    Count,
}

/// What [`pop_first`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PopOutcome {
    /// A reply was written: the popped entries, an empty array for a count of 0, or WRONGTYPE.
    Replied,
    /// No key held a sorted set; nothing was written (the caller replies, or blocks).
    NothingToPop,
}

/// Pops from the first of `keys` that holds a sorted set (keys that do not exist are skipped; a
/// key of another type stops the walk with WRONGTYPE): `count` entries from `end`, or one when
/// `count` is `None` (the reply shape is the same as for a count of one). Deletes the key when
/// emptied, fires `zpopmin`/`zpopmax` (then `del`), counts every popped entry in the dirty
/// counter, and propagates `form`, as Redis does (served blocked clients included).
pub fn pop_first(
    ctx: &mut Ctx<'_>,
    keys: &[&[u8]],
    end: End,
    count: Option<usize>,
    shape: PopShape,
    form: PopForm,
) -> PopOutcome {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let mut found = None;
    for key in keys {
        match lookup_zset(db, ctx.out, key, Access::Write) {
            Err(Replied) => return PopOutcome::Replied,
            Ok(None) => continue,
            Ok(Some(_)) => {
                found = Some(*key);
                break;
            }
        }
    }
    let Some(key) = found else { return PopOutcome::NothingToPop };
    if count == Some(0) {
        ctx.out.array(0);
        return PopOutcome::Replied;
    }
    let Ok(Some(zset)) = lookup_zset(db, ctx.out, key, Access::Peek) else { return PopOutcome::Replied };
    let popped = pop_entries(zset, end, count.unwrap_or(1));
    reply_popped(ctx.out, key, &popped, shape);
    let (event, name): (&str, &[u8]) = match end {
        End::Min => ("zpopmin", b"ZPOPMIN"),
        End::Max => ("zpopmax", b"ZPOPMAX"),
    };
    changed(ctx, key, event, popped.len());
    if ctx.server.propagation.is_enabled() {
        match form {
            PopForm::AsIs => {}
            PopForm::One => ctx.propagate_as(&[name, key]),
            PopForm::Count => ctx.propagate_as(&[name, key, popped.len().to_string().as_bytes()]),
        }
    }
    PopOutcome::Replied
}

/// Removes up to `count` entries from one end of `zset`, in pop order.
fn pop_entries(zset: &mut ZSetValue, end: End, count: usize) -> Vec<(f64, SmallBytes)> {
    let mut popped = Vec::with_capacity(count.min(zset.len()));
    while popped.len() < count {
        match zset.pop(end == End::Max) {
            Some(entry) => popped.push(entry),
            None => break,
        }
    }
    popped
}

fn reply_popped(out: &mut Reply, key: &[u8], popped: &[(f64, SmallBytes)], shape: PopShape) {
    let entries = Entries::with_scores(shape.nested);
    match (shape.emit_key, shape.nested) {
        (false, _) => entries.header(out, popped.len()),
        (true, false) => {
            out.array(popped.len() * 2 + 1);
            out.bulk(key);
        }
        (true, true) => {
            out.array(2);
            out.bulk(key);
            out.array(popped.len());
        }
    }
    for (score, member) in popped {
        entries.entry(out, member.as_bytes(), *score);
    }
}

/// The `WITHSCORES` flag argument.
pub const WITHSCORES: Arg =
    Arg { name: "withscores", kind: ArgKind::PureToken, token: Some("WITHSCORES"), optional: true, ..Arg::DEFAULT };

/// The `LIMIT offset count` block of the range commands.
pub const LIMIT: Arg = Arg {
    name: "offset_count",
    kind: ArgKind::Block(&[
        Arg { name: "offset", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "count", kind: ArgKind::Integer, ..Arg::DEFAULT },
    ]),
    token: Some("LIMIT"),
    optional: true,
    ..Arg::DEFAULT
};

/// ZMPOP's (and BZMPOP's) arguments after the command (and timeout).
#[derive(Debug, Clone, Copy)]
pub struct MpopRequest<'a, 'b> {
    /// The keys, in order.
    pub keys: &'a [&'b [u8]],
    /// Which end to pop.
    pub end: End,
    /// How many entries at most (1 by default).
    pub count: usize,
}

/// Parses `numkeys key [key ...] MIN|MAX [COUNT count]` starting at `argv[numkeys_at]`, with
/// Redis's errors (replied here).
pub fn parse_mpop<'a, 'b>(
    out: &mut Reply,
    argv: &'a [&'b [u8]],
    numkeys_at: usize,
) -> Result<MpopRequest<'a, 'b>, Replied> {
    let fail = |out: &mut Reply, msg: &str| {
        out.error(msg);
        Err(Replied)
    };
    let positive = |raw: &[u8]| parse_i64(raw).filter(|&n| n >= 1).and_then(|n| usize::try_from(n).ok());
    let Some(numkeys) = argv.get(numkeys_at).and_then(|raw| positive(raw)) else {
        return fail(out, "ERR numkeys should be greater than 0");
    };
    let first = numkeys_at + 1;
    let Some(where_at) = first.checked_add(numkeys).filter(|&w| w < argv.len()) else { return fail(out, SYNTAX) };
    let Some(end) = End::parse(argv[where_at]) else { return fail(out, SYNTAX) };
    let mut count = None;
    let mut i = where_at + 1;
    while let Some(option) = argv.get(i) {
        if count.is_some() || !option.eq_ignore_ascii_case(b"count") || i + 1 >= argv.len() {
            return fail(out, SYNTAX);
        }
        let Some(n) = positive(argv[i + 1]) else { return fail(out, "ERR count should be greater than 0") };
        count = Some(n);
        i += 2;
    }
    Ok(MpopRequest { keys: &argv[first..where_at], end, count: count.unwrap_or(1) })
}
