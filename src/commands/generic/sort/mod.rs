//! SORT and SORT_RO: the elements of a list, set or sorted set, sorted numerically or
//! lexicographically, possibly by other keys' values (BY), with other keys' values in their
//! place (GET), and optionally stored as a list (STORE).
//!
//! The steps follow Redis 7.0's `sortCommandGeneric`: parse every option first (one syntax error
//! ends it), check the key's type, load the elements (with `BY` a pattern without `*`, lists and
//! sorted sets keep their order and only the LIMIT window is loaded), compute sort keys, sort
//! (stable, as glibc's `qsort` is a merge sort), then reply or store.

mod pattern;

use std::cmp::Ordering;

use self::pattern::lookup_by_pattern;
use crate::commands::errors::{NOT_INTEGER, Replied, SYNTAX, WRONGTYPE};
use crate::commands::keys::KeyRef;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, Value, now_ms};
use crate::state::Ctx;
use crate::types::number::parse_i64;
use crate::types::quicklist::{End, Quicklist};
use crate::types::zset::score::{c_str, strtod};

/// SORT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sort",
    arity: -2,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::MOVABLE_KEYS),
    acl: Acl::SET.union(Acl::SORTEDSET).union(Acl::LIST).union(Acl::DANGEROUS),
    keys: &[
        SORTED_KEY,
        PATTERN_KEYS,
        KeySpec {
            flags: KeyFlags::OW.union(KeyFlags::UPDATE),
            begin: BeginSearch::Unknown,
            find: FindKeys::Unknown,
            notes: Some(
                "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the \
             argument array",
            ),
        },
    ],
    group: Group::Generic,
    summary: "Sort the elements in a list, set or sorted set",
    complexity: COMPLEXITY,
    args: &[
        KEY,
        BY,
        LIMIT,
        GET,
        ORDER,
        ALPHA,
        Arg { name: "destination", kind: ArgKind::Key(2), token: Some("STORE"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    getkeys: Some(sort_keys),
    ..CommandSpec::DEFAULT
};

/// SORT's keys (Redis's `sortGetKeys`): the sorted key, and the last STORE destination, found by
/// skipping the arguments of LIMIT, GET and BY.
fn sort_keys(argv: &[&[u8]]) -> Vec<KeyRef> {
    let mut keys = sort_ro_keys(argv);
    let mut destination = None;
    let mut i = 2;
    while i < argv.len() {
        let word = argv[i].to_ascii_lowercase();
        match word.as_slice() {
            b"limit" => i += 2,
            b"get" | b"by" => i += 1,
            b"store" if i + 1 < argv.len() => destination = Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    keys.extend(destination.map(|pos| KeyRef { pos, flags: KeyFlags::OW.union(KeyFlags::UPDATE) }));
    keys
}

/// SORT_RO's key: only the sorted one (BY and GET keys derive from its content).
pub(in crate::commands::generic) fn sort_ro_keys(_argv: &[&[u8]]) -> Vec<KeyRef> {
    vec![KeyRef { pos: 1, flags: KeyFlags::RO.union(KeyFlags::ACCESS) }]
}

/// The key being sorted.
pub(in crate::commands::generic) const SORTED_KEY: KeySpec = KeySpec {
    flags: KeyFlags::RO.union(KeyFlags::ACCESS),
    begin: BeginSearch::Index(1),
    find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
    notes: None,
};
/// The keys BY and GET patterns name.
pub(in crate::commands::generic) const PATTERN_KEYS: KeySpec = KeySpec {
    flags: KeyFlags::RO.union(KeyFlags::ACCESS),
    begin: BeginSearch::Unknown,
    find: FindKeys::Unknown,
    notes: Some(
        "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of \
         the key we sort",
    ),
};
pub(in crate::commands::generic) const COMPLEXITY: &str = "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the \
                          number of returned elements. When the elements are not sorted, complexity is O(N).";
pub(in crate::commands::generic) const KEY: Arg = Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT };
pub(in crate::commands::generic) const BY: Arg =
    Arg { name: "pattern", kind: ArgKind::KeyPattern(1), token: Some("BY"), optional: true, ..Arg::DEFAULT };
/// The `LIMIT offset count` block, as the sorted-set range commands have it.
pub(in crate::commands::generic) const LIMIT: Arg = crate::commands::zset::common::LIMIT;
pub(in crate::commands::generic) const GET: Arg = Arg {
    name: "pattern",
    kind: ArgKind::KeyPattern(1),
    token: Some("GET"),
    optional: true,
    multiple: true,
    multiple_token: true,
    ..Arg::DEFAULT
};
/// The documented `ASC|DESC` (GEOSEARCH and the GEORADIUS family have it too).
pub(crate) const ORDER: Arg = Arg {
    name: "order",
    kind: ArgKind::OneOf(&[
        Arg { name: "asc", kind: ArgKind::PureToken, token: Some("ASC"), ..Arg::DEFAULT },
        Arg { name: "desc", kind: ArgKind::PureToken, token: Some("DESC"), ..Arg::DEFAULT },
    ]),
    optional: true,
    ..Arg::DEFAULT
};
pub(in crate::commands::generic) const ALPHA: Arg =
    Arg { name: "sorting", kind: ArgKind::PureToken, token: Some("ALPHA"), optional: true, ..Arg::DEFAULT };

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    sort(ctx, argv, false);
}

/// What the options ask for.
#[derive(Debug, Default)]
struct Options<'a> {
    /// BY pattern (with a `*`: sort by the values it names).
    by: Option<&'a [u8]>,
    /// BY a pattern without `*`: keep the native order.
    dont_sort: bool,
    /// LIMIT offset count.
    limit: Option<(i64, i64)>,
    gets: Vec<&'a [u8]>,
    desc: bool,
    alpha: bool,
    store: Option<&'a [u8]>,
}

/// Parses the options after the key; SORT_RO has no STORE.
fn parse<'a>(argv: &[&'a [u8]], readonly: bool) -> Result<Options<'a>, &'static str> {
    let mut options = Options::default();
    let mut args = argv.get(2..).unwrap_or_default().iter();
    while let Some(&arg) = args.next() {
        let left = args.len();
        let word = arg.to_ascii_lowercase();
        match word.as_slice() {
            b"asc" => options.desc = false,
            b"desc" => options.desc = true,
            b"alpha" => options.alpha = true,
            b"limit" if left >= 2 => {
                let mut number = || args.next().and_then(|a| parse_i64(a)).ok_or(NOT_INTEGER);
                options.limit = Some((number()?, number()?));
            }
            b"store" if left >= 1 && !readonly => options.store = args.next().copied(),
            b"by" if left >= 1 => {
                let pattern = args.next().copied().unwrap_or_default();
                // C sees the pattern up to its first NUL.
                options.dont_sort = !c_str(pattern).contains(&b'*');
                options.by = Some(pattern);
            }
            b"get" if left >= 1 => options.gets.extend(args.next().copied()),
            _ => return Err(SYNTAX),
        }
    }
    Ok(options)
}

/// An element and what it sorts by.
struct Item {
    element: Vec<u8>,
    key: SortKey,
}

/// What an element sorts by.
enum SortKey {
    /// Numeric sorting (elements whose BY key is missing sort as 0).
    Score(f64),
    /// ALPHA sorting by another key's value, if it exists.
    Value(Option<Vec<u8>>),
    /// ALPHA sorting by the element itself.
    Element,
}

/// SORT and SORT_RO.
pub(in crate::commands::generic) fn sort(ctx: &mut Ctx<'_>, argv: &[&[u8]], readonly: bool) {
    let mut options = match parse(argv, readonly) {
        Ok(options) => options,
        Err(msg) => return ctx.out.error(msg),
    };
    let access = if options.store.is_some() { Access::Write } else { Access::Read };
    let Ok(elements) = load(ctx, argv[1], &mut options, access) else { return };
    let (elements, start, end) = elements;
    let mut items = Vec::with_capacity(elements.len());
    let mut conversion_error = false;
    for element in elements {
        let key = if options.dont_sort {
            SortKey::Element
        } else {
            sort_key(ctx, &options, &element, access, &mut conversion_error)
        };
        items.push(Item { element, key });
    }
    if !options.dont_sort {
        let binary = options.store.is_some();
        items.sort_by(|a, b| {
            let order = compare(a, b, binary);
            if options.desc { order.reverse() } else { order }
        });
    }
    if conversion_error {
        return ctx.out.error("ERR One or more scores can't be converted into double");
    }
    let window = items.get(start..end).unwrap_or_default();
    let mut output: Vec<Option<Vec<u8>>> = Vec::with_capacity(window.len() * options.gets.len().max(1));
    for item in window {
        if options.gets.is_empty() {
            output.push(Some(item.element.clone()));
        }
        for get in &options.gets {
            output.push(lookup_by_pattern(ctx, get, &item.element, access));
        }
    }
    match options.store {
        None => {
            ctx.out.array(output.len());
            for value in &output {
                match value {
                    Some(v) => ctx.out.bulk(v),
                    None => ctx.out.null(),
                }
            }
        }
        Some(destination) => store(ctx, destination, &output),
    }
}

/// The elements to sort and the window `start..end` of them to return, or WRONGTYPE.
#[allow(clippy::type_complexity)]
fn load(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    options: &mut Options<'_>,
    access: Access,
) -> Result<(Vec<Vec<u8>>, usize, usize), Replied> {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let value = db.lookup_for(key, now, access).map(|e| &e.value);
    let len = match value {
        None => 0,
        Some(Value::List(l)) => l.len(),
        Some(Value::Set(s)) => s.len(),
        Some(Value::ZSet(z)) => z.len(),
        Some(_) => {
            ctx.out.error(WRONGTYPE);
            return Err(Replied);
        }
    };
    // A set has no order of its own: results stored or handed to a script are sorted to be
    // deterministic (replicas and the AOF must see the same).
    let for_script = ctx.client.transport == crate::state::Transport::Script;
    if options.dont_sort && (options.store.is_some() || for_script) && matches!(value, Some(Value::Set(_))) {
        (options.dont_sort, options.alpha, options.by) = (false, true, None);
    }
    let (start, end) = window(len, options.limit);
    let native_window = options.dont_sort && matches!(value, Some(Value::List(_) | Value::ZSet(_)));
    let elements = match value {
        Some(Value::List(l)) if native_window => {
            let first = if options.desc { len - end } else { start };
            let mut v = Vec::with_capacity(end - start);
            l.for_each(first..first + end - start, false, |e| v.push(e.to_vec()));
            if options.desc {
                v.reverse();
            }
            v
        }
        Some(Value::ZSet(z)) if native_window => {
            let mut v = Vec::with_capacity(end - start);
            let (lo, hi) = if options.desc { (len - end, len - start) } else { (start, end) };
            z.for_each(lo, hi, options.desc, |_, member| v.push(member.to_vec()));
            v
        }
        Some(Value::List(l)) => {
            let mut v = Vec::with_capacity(len);
            l.for_each(0..len, false, |e| v.push(e.to_vec()));
            v
        }
        Some(Value::Set(s)) => s.members(),
        Some(Value::ZSet(z)) => {
            let mut v = Vec::with_capacity(len);
            z.for_each(0, len, false, |_, member| v.push(member.to_vec()));
            v
        }
        _ => Vec::new(),
    };
    if native_window { Ok((elements, 0, end - start)) } else { Ok((elements, start, end)) }
}

/// LIMIT applied as Redis does: a negative offset is 0, a negative count means all, and the
/// window is clipped to the elements. Returns `start..end`.
fn window(len: usize, limit: Option<(i64, i64)>) -> (usize, usize) {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let (offset, count) = limit.unwrap_or((0, -1));
    let start = offset.max(0);
    let last = if count < 0 { len - 1 } else { start.saturating_add(count) - 1 };
    let last = last.min(len - 1);
    if start >= len || last < start {
        return (0, 0);
    }
    (usize::try_from(start).unwrap_or(0), usize::try_from(last + 1).unwrap_or(0))
}

/// The sort key of `element`, flagging values that are not numbers when sorting numerically.
fn sort_key(ctx: &mut Ctx<'_>, options: &Options<'_>, element: &[u8], access: Access, error: &mut bool) -> SortKey {
    let by_value = options.by.map(|pattern| lookup_by_pattern(ctx, pattern, element, access));
    if options.alpha {
        return match by_value {
            Some(value) => SortKey::Value(value),
            None => SortKey::Element,
        };
    }
    let number = match &by_value {
        Some(None) => return SortKey::Score(0.0),
        Some(Some(value)) => value.as_slice(),
        None => element,
    };
    // `strtod` on the C string: the whole of it must parse, not NaN, no overflow.
    let text = c_str(number);
    let (score, used, erange) = strtod(text);
    if used != text.len() || erange || score.is_nan() {
        *error = true;
    }
    SortKey::Score(score)
}

/// Redis's `sortCompare`: scores, ties broken by the elements' bytes; ALPHA compares values or
/// elements, as binary strings when storing and with `strcoll` (the C locale's `strcmp`, up to
/// the first NUL) when replying; a missing BY value sorts first.
fn compare(a: &Item, b: &Item, binary: bool) -> Ordering {
    let text = |x: &[u8], y: &[u8]| if binary { x.cmp(y) } else { c_str(x).cmp(c_str(y)) };
    match (&a.key, &b.key) {
        (SortKey::Score(x), SortKey::Score(y)) => {
            x.partial_cmp(y).unwrap_or(Ordering::Equal).then_with(|| a.element.cmp(&b.element))
        }
        (SortKey::Value(x), SortKey::Value(y)) => match (x, y) {
            (Some(x), Some(y)) => text(x, y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        },
        _ => text(&a.element, &b.element),
    }
}

/// STORE: the result replaces `destination` as a list (GET values that do not exist are stored
/// as empty strings); an empty result deletes it. Replies the number of elements.
fn store(ctx: &mut Ctx<'_>, destination: &[u8], output: &[Option<Vec<u8>>]) {
    let db = ctx.client.db;
    if output.is_empty() {
        if ctx.server.dbs[db].remove(destination).is_some() {
            ctx.changed(destination, NotifyFlags::GENERIC, "del");
        }
    } else {
        let mut list = Quicklist::new(crate::commands::list::common::shape(ctx));
        for value in output {
            list.push(End::Back, value.as_deref().unwrap_or_default());
        }
        ctx.server.dbs[db].insert(destination, Value::List(Box::new(list)), false);
        ctx.changed(destination, NotifyFlags::LIST, "sortstore");
        ctx.add_dirty(u64::try_from(output.len() - 1).unwrap_or(0));
    }
    ctx.out.int(i64::try_from(output.len()).unwrap_or(i64::MAX));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_windows_follow_redis() {
        assert_eq!(window(5, None), (0, 5));
        assert_eq!(window(5, Some((1, 2))), (1, 3));
        assert_eq!(window(5, Some((-5, 2))), (0, 2));
        assert_eq!(window(5, Some((2, -1))), (2, 5));
        assert_eq!(window(5, Some((100, 1))), (0, 0));
        assert_eq!(window(5, Some((1, 0))), (0, 0));
        assert_eq!(window(0, None), (0, 0));
        assert_eq!(window(5, Some((i64::MAX, i64::MAX))), (0, 0));
        assert_eq!(window(5, Some((3, i64::MAX))), (3, 5));
    }
}
