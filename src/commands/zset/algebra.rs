//! ZUNION, ZINTER, ZDIFF, their *STORE forms and ZINTERCARD: one argument parser (numkeys, keys,
//! WEIGHTS, AGGREGATE, WITHSCORES, LIMIT, each allowed where Redis allows it) and one evaluator.
//! Plain sets are valid inputs, every member scoring 1.

use std::collections::HashMap;

use super::common::{Entries, WITHSCORES, limits, store};
use crate::commands::errors::{NOT_INTEGER, Replied, SYNTAX, WRONGTYPE};
use crate::commands::{Arg, ArgKind, BeginSearch, FindKeys, KeyFlags, KeySpec};
use crate::keyspace::{Access, Db, Value, now_ms};
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::number::parse_i64;
use crate::types::set::SetValue;
use crate::types::small_bytes::SmallBytes;
use crate::types::zset::ZSetValue;
use crate::types::zset::btree::Item;
use crate::types::zset::score::{compare, parse_score};

/// The operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// ZUNION.
    Union,
    /// ZINTER.
    Inter,
    /// ZDIFF.
    Diff,
}

/// How scores of a member found in several inputs combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

impl Aggregate {
    fn apply(self, acc: &mut f64, value: f64) {
        match self {
            // inf + -inf is NaN, which Redis turns into 0.
            Aggregate::Sum => {
                *acc += value;
                if acc.is_nan() {
                    *acc = 0.0;
                }
            }
            Aggregate::Min => *acc = if value < *acc { value } else { *acc },
            Aggregate::Max => *acc = if value > *acc { value } else { *acc },
        }
    }
}

/// Which command is parsing: the three shapes accept different options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// ZUNION/ZINTER/ZDIFF: WITHSCORES allowed.
    Reply,
    /// The *STORE forms.
    Store,
    /// ZINTERCARD: only LIMIT.
    Card,
}

struct Options {
    weights: Vec<f64>,
    aggregate: Aggregate,
    withscores: bool,
    limit: usize,
}

/// One input: a sorted set or a plain set.
#[derive(Clone, Copy)]
enum Source<'a> {
    ZSet(&'a ZSetValue),
    Set(&'a SetValue),
}

impl Source<'_> {
    fn len(self) -> usize {
        match self {
            Source::ZSet(z) => z.len(),
            Source::Set(s) => s.len(),
        }
    }

    fn score(self, member: &[u8]) -> Option<f64> {
        match self {
            Source::ZSet(z) => z.score(member),
            Source::Set(s) => s.contains(member).then_some(1.0),
        }
    }

    fn entries(self) -> Vec<(f64, Vec<u8>)> {
        match self {
            Source::ZSet(z) => {
                let mut out = Vec::with_capacity(z.len());
                z.for_each(0, z.len(), false, |score, member| out.push((score, member.to_vec())));
                out
            }
            Source::Set(s) => s.members().into_iter().map(|m| (1.0, m)).collect(),
        }
    }
}

/// Runs the command whose `numkeys` argument is `argv[numkeys_at]`; `dest` is the *STORE
/// destination.
pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]], numkeys_at: usize, op: Op, mode: Mode) {
    let Some(numkeys) = parse_i64(argv[numkeys_at]) else { return ctx.out.error(NOT_INTEGER) };
    if numkeys < 1 {
        let name = String::from_utf8_lossy(argv[0]).to_lowercase();
        return ctx.out.error(&format!("ERR at least 1 input key is needed for '{name}' command"));
    }
    let first = numkeys_at + 1;
    let Some(keys) = usize::try_from(numkeys).ok().and_then(|n| argv.get(first..first + n)) else {
        return ctx.out.error(SYNTAX);
    };
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(sources) = read_sources(db, ctx.out, keys) else { return };
    let options = match parse_options(&argv[first + keys.len()..], keys.len(), op, mode) {
        Ok(o) => o,
        Err(e) => return ctx.out.error(e),
    };
    if mode == Mode::Card {
        let count = intersection(&sources, &options, Some(options.limit)).len();
        return ctx.out.int(count as i64);
    }
    let mut items = match op {
        Op::Union => union(&sources, &options),
        Op::Inter => intersection(&sources, &options, None),
        Op::Diff => difference(&sources),
    };
    items.sort_by(|a, b| compare(a.score, a.member.as_bytes(), b.score, b.member.as_bytes()));
    match mode {
        Mode::Store => {
            let result = ZSetValue::from_sorted(items, limits(&ctx.server.config));
            let event = match op {
                Op::Union => "zunionstore",
                Op::Inter => "zinterstore",
                Op::Diff => "zdiffstore",
            };
            store(ctx, argv[1], result, event);
        }
        _ => Entries::new(ctx.out, options.withscores).reply_all(ctx.out, &items),
    }
}

/// Reads the inputs in order (a missing key is `None`); a key of another type is WRONGTYPE.
fn read_sources<'a>(db: &'a mut Db, out: &mut Reply, keys: &[&[u8]]) -> Result<Vec<Option<Source<'a>>>, Replied> {
    let now = now_ms();
    // First pass: expire, count the access, check the type; second: borrow what is there.
    for key in keys {
        if let Some(entry) = db.lookup_for(key, now, Access::Read) {
            if !matches!(entry.value, Value::ZSet(_) | Value::Set(_)) {
                out.error(WRONGTYPE);
                return Err(Replied);
            }
        }
    }
    let db: &'a Db = db;
    Ok(keys
        .iter()
        .map(|key| match db.peek(key).map(|(_, e)| &e.value) {
            Some(Value::ZSet(z)) => Some(Source::ZSet(z)),
            Some(Value::Set(s)) => Some(Source::Set(s)),
            _ => None,
        })
        .collect())
}

fn parse_options(args: &[&[u8]], numkeys: usize, op: Op, mode: Mode) -> Result<Options, &'static str> {
    let mut o = Options { weights: vec![1.0; numkeys], aggregate: Aggregate::Sum, withscores: false, limit: 0 };
    let scored = op != Op::Diff && mode != Mode::Card;
    let mut i = 0;
    while let Some(option) = args.get(i) {
        let left = args.len() - i;
        if scored && left > numkeys && option.eq_ignore_ascii_case(b"weights") {
            for (w, raw) in o.weights.iter_mut().zip(&args[i + 1..]) {
                *w = parse_score(raw).ok_or("ERR weight value is not a float")?;
            }
            i += 1 + numkeys;
        } else if scored && left >= 2 && option.eq_ignore_ascii_case(b"aggregate") {
            o.aggregate = match args[i + 1].to_ascii_lowercase().as_slice() {
                b"sum" => Aggregate::Sum,
                b"min" => Aggregate::Min,
                b"max" => Aggregate::Max,
                _ => return Err(SYNTAX),
            };
            i += 2;
        } else if mode == Mode::Reply && option.eq_ignore_ascii_case(b"withscores") {
            o.withscores = true;
            i += 1;
        } else if mode == Mode::Card && left >= 2 && option.eq_ignore_ascii_case(b"limit") {
            let limit = parse_i64(args[i + 1]).and_then(|n| usize::try_from(n).ok());
            o.limit = limit.ok_or("ERR LIMIT can't be negative")?;
            i += 2;
        } else {
            return Err(SYNTAX);
        }
    }
    Ok(o)
}

/// A weighted input score; NaN (0 × inf) counts as 0, as in Redis.
fn weighted(score: f64, weight: f64) -> f64 {
    let v = score * weight;
    if v.is_nan() { 0.0 } else { v }
}

fn item(score: f64, member: &[u8]) -> Item {
    Item { score, member: SmallBytes::new(member) }
}

/// Inputs with their weights, smallest first (Redis's order, which decides how sums round).
fn by_size<'a>(sources: &[Option<Source<'a>>], weights: &[f64]) -> Vec<(Option<Source<'a>>, f64)> {
    let mut inputs: Vec<_> = sources.iter().copied().zip(weights.iter().copied()).collect();
    inputs.sort_by_key(|(s, _)| s.map_or(0, Source::len));
    inputs
}

/// Members in every input, scanning the smallest; stops after `limit` members when nonzero.
fn intersection(sources: &[Option<Source<'_>>], o: &Options, limit: Option<usize>) -> Vec<Item> {
    let inputs = by_size(sources, &o.weights);
    let Some(((Some(smallest), weight), rest)) = inputs.split_first() else { return Vec::new() };
    let mut out = Vec::new();
    'members: for (score, member) in smallest.entries() {
        let mut acc = weighted(score, *weight);
        for (source, w) in rest {
            match source.and_then(|s| s.score(&member)) {
                Some(s) => o.aggregate.apply(&mut acc, s * w),
                None => continue 'members,
            }
        }
        out.push(item(acc, &member));
        if limit.is_some_and(|l| l > 0 && out.len() >= l) {
            break;
        }
    }
    out
}

/// Members of any input, scores aggregated in input order (smallest input first).
fn union(sources: &[Option<Source<'_>>], o: &Options) -> Vec<Item> {
    let mut acc: HashMap<Vec<u8>, f64> = HashMap::new();
    for (source, weight) in by_size(sources, &o.weights) {
        for (score, member) in source.map(Source::entries).unwrap_or_default() {
            let value = weighted(score, weight);
            acc.entry(member).and_modify(|a| o.aggregate.apply(a, value)).or_insert(value);
        }
    }
    acc.into_iter().map(|(member, score)| item(score, &member)).collect()
}

/// Members of the first input found in no other, with their scores.
fn difference(sources: &[Option<Source<'_>>]) -> Vec<Item> {
    let Some((Some(first), rest)) = sources.split_first() else { return Vec::new() };
    let kept = first.entries().into_iter().filter(|(_, m)| rest.iter().flatten().all(|s| s.score(m).is_none()));
    kept.map(|(score, member)| item(score, &member)).collect()
}

/// Key specs of the three read-only commands and ZINTERCARD: `numkeys` keys after argument 1.
pub const READ_KEYS: &[KeySpec] = &[KeySpec {
    flags: KeyFlags::RO.union(KeyFlags::ACCESS),
    begin: BeginSearch::Index(1),
    find: FindKeys::Keynum { keynum_idx: 0, first_key: 1, step: 1 },
    notes: None,
}];

/// Key specs of the *STORE forms: the destination, then `numkeys` sources.
pub const STORE_KEYS: &[KeySpec] = &[
    KeySpec::single(KeyFlags::OW.union(KeyFlags::UPDATE)),
    KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(2),
        find: FindKeys::Keynum { keynum_idx: 0, first_key: 1, step: 1 },
        notes: None,
    },
];

const NUMKEYS: Arg = Arg { name: "numkeys", kind: ArgKind::Integer, ..Arg::DEFAULT };
const DESTINATION: Arg = Arg { name: "destination", kind: ArgKind::Key(0), ..Arg::DEFAULT };
const WEIGHTS: Arg = Arg {
    name: "weight",
    kind: ArgKind::Integer,
    token: Some("WEIGHTS"),
    optional: true,
    multiple: true,
    ..Arg::DEFAULT
};
const AGGREGATE: Arg = Arg {
    name: "aggregate",
    kind: ArgKind::OneOf(&[
        Arg { name: "sum", kind: ArgKind::PureToken, token: Some("SUM"), ..Arg::DEFAULT },
        Arg { name: "min", kind: ArgKind::PureToken, token: Some("MIN"), ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgKind::PureToken, token: Some("MAX"), ..Arg::DEFAULT },
    ]),
    token: Some("AGGREGATE"),
    optional: true,
    ..Arg::DEFAULT
};
const fn keys(spec: usize) -> Arg {
    Arg { name: "key", kind: ArgKind::Key(spec), multiple: true, ..Arg::DEFAULT }
}

/// Arguments of ZUNION and ZINTER.
pub const SCORED_ARGS: &[Arg] = &[NUMKEYS, keys(0), WEIGHTS, AGGREGATE, WITHSCORES];
/// Arguments of ZUNIONSTORE and ZINTERSTORE.
pub const SCORED_STORE_ARGS: &[Arg] = &[DESTINATION, NUMKEYS, keys(1), WEIGHTS, AGGREGATE];
/// Arguments of ZDIFF.
pub const DIFF_ARGS: &[Arg] = &[NUMKEYS, keys(0), WITHSCORES];
/// Arguments of ZDIFFSTORE.
pub const DIFF_STORE_ARGS: &[Arg] = &[DESTINATION, NUMKEYS, keys(1)];
/// Arguments of ZINTERCARD.
pub const CARD_ARGS: &[Arg] = &[
    NUMKEYS,
    keys(0),
    Arg { name: "limit", kind: ArgKind::Integer, token: Some("LIMIT"), optional: true, ..Arg::DEFAULT },
];
