//! The ZRANGE family's arguments and their resolution to ranks: ZRANGE and ZRANGESTORE (any
//! form), and the older ZREVRANGE, Z[REV]RANGEBYSCORE, Z[REV]RANGEBYLEX that fix the form.
//! Parsing follows Redis's order: options, then conflicts, then the range itself.

use super::common::{Entries, changed, limits, lookup_zset, parse_long, store};
use super::lex;
use crate::commands::errors::SYNTAX;
use crate::keyspace::Access;
use crate::state::Ctx;
use crate::types::zset::score::{LEX_RANGE_ERROR, LexRange, SCORE_RANGE_ERROR, ScoreRange};
use crate::types::zset::{AddFlags, ZSetValue};

/// What a range selects by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Rank (index), the default.
    Rank,
    /// Score (`BYSCORE`).
    Score,
    /// Member bytes (`BYLEX`).
    Lex,
}

/// The form a command fixes; `None` fields are chosen by options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Form {
    /// Fixed kind (the deprecated commands), or `None` for BYSCORE/BYLEX options.
    pub kind: Option<Kind>,
    /// Fixed direction, or `None` for the REV option.
    pub rev: Option<bool>,
    /// ZRANGESTORE: no WITHSCORES.
    pub store: bool,
}

enum Bounds {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

impl Bounds {
    fn parse(kind: Kind, min: &[u8], max: &[u8]) -> Result<Bounds, &'static str> {
        Ok(match kind {
            Kind::Rank => Bounds::Rank(parse_long(min)?, parse_long(max)?),
            Kind::Score => Bounds::Score(ScoreRange::parse(min, max).ok_or(SCORE_RANGE_ERROR)?),
            Kind::Lex => Bounds::Lex(LexRange::parse(min, max).ok_or(LEX_RANGE_ERROR)?),
        })
    }

    /// The ascending ranks `start..end` within the bounds (rank bounds count from the top when
    /// `rev`); lex bounds are walked as Redis walks them (see [`lex`]).
    fn span(&self, zset: &ZSetValue, rev: bool) -> (usize, usize) {
        match self {
            Bounds::Rank(start, end) => rank_span(zset.len(), *start, *end, rev),
            Bounds::Score(range) => zset.score_span(range),
            Bounds::Lex(range) => lex::range_span(zset, range, rev, 0, -1),
        }
    }
}

/// A parsed range request.
pub struct Query {
    bounds: Bounds,
    rev: bool,
    withscores: bool,
    /// LIMIT offset and count.
    limit: Option<(i64, i64)>,
}

impl Query {
    /// Parses `min max [options]` (the arguments after the source key) for a command of `form`.
    pub fn parse(args: &[&[u8]], form: Form) -> Result<Query, &'static str> {
        let [min, max, options @ ..] = args else { return Err(SYNTAX) };
        let (mut kind, mut rev) = (form.kind, form.rev);
        let mut withscores = false;
        let mut limit = None;
        let mut i = 0;
        while let Some(option) = options.get(i) {
            let left = options.len() - i - 1;
            if !form.store && option.eq_ignore_ascii_case(b"withscores") {
                withscores = true;
            } else if option.eq_ignore_ascii_case(b"limit") && left >= 2 {
                limit = Some((parse_long(options[i + 1])?, parse_long(options[i + 2])?));
                i += 2;
            } else if rev.is_none() && option.eq_ignore_ascii_case(b"rev") {
                rev = Some(true);
            } else if kind.is_none() && option.eq_ignore_ascii_case(b"bylex") {
                kind = Some(Kind::Lex);
            } else if kind.is_none() && option.eq_ignore_ascii_case(b"byscore") {
                kind = Some(Kind::Score);
            } else {
                return Err(SYNTAX);
            }
            i += 1;
        }
        let kind = kind.unwrap_or(Kind::Rank);
        let rev = rev.unwrap_or(false);
        // Redis tells "no LIMIT" by a count of -1, so `LIMIT x -1` passes with a rank range.
        if limit.is_some_and(|(_, count)| count != -1) && kind == Kind::Rank {
            return Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if withscores && kind == Kind::Lex {
            return Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        // Reversed score and lex ranges are written max first.
        let (min, max) = if rev && kind != Kind::Rank { (max, min) } else { (min, max) };
        Ok(Query { bounds: Bounds::parse(kind, min, max)?, rev, withscores, limit })
    }

    /// The ascending ranks `lo..hi` the query selects in `zset` (visited downwards when
    /// reversed).
    fn ranks(&self, zset: &ZSetValue) -> (usize, usize) {
        if let Bounds::Lex(range) = &self.bounds {
            // Redis skips the offset without range checks, so LIMIT is part of the walk.
            let (offset, count) = self.limit.unwrap_or((0, -1));
            return lex::range_span(zset, range, self.rev, offset, count);
        }
        let (start, end) = self.bounds.span(zset, self.rev);
        let Some((offset, count)) = self.limit.filter(|_| !matches!(self.bounds, Bounds::Rank(..))) else {
            return (start, end);
        };
        // A negative offset walks past the end in Redis: nothing; a negative count: no limit.
        let Ok(offset) = usize::try_from(offset) else { return (0, 0) };
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        if self.rev {
            let hi = end.saturating_sub(offset).max(start);
            (hi.saturating_sub(count).max(start), hi)
        } else {
            let lo = start.saturating_add(offset).min(end);
            (lo, lo.saturating_add(count).min(end))
        }
    }
}

/// Ranks selected by `start` and `end` indexes (negative from the end), as ascending `lo..hi`.
pub fn rank_span(len: usize, start: i64, end: i64, rev: bool) -> (usize, usize) {
    let len_i = i64::try_from(len).unwrap_or(i64::MAX);
    let start = if start < 0 { len_i.saturating_add(start) } else { start }.max(0);
    let end = if end < 0 { len_i.saturating_add(end) } else { end };
    if start > end || start >= len_i {
        return (0, 0);
    }
    let end = end.min(len_i - 1);
    let (lo, hi) = if rev { (len_i - 1 - end, len_i - start) } else { (start, end + 1) };
    (usize::try_from(lo).unwrap_or(0), usize::try_from(hi).unwrap_or(0))
}

/// ZRANGE and the read-only range commands: `argv` is the command, key, min, max, options.
pub fn reply_range(ctx: &mut Ctx<'_>, argv: &[&[u8]], form: Form) {
    let query = match Query::parse(&argv[2..], form) {
        Ok(q) => q,
        Err(e) => return ctx.out.error(e),
    };
    let db = &mut ctx.server.dbs[ctx.client.db];
    let zset = match lookup_zset(db, ctx.out, argv[1], Access::Read) {
        Err(_) => return,
        Ok(None) => return ctx.out.array(0),
        Ok(Some(z)) => z,
    };
    let (lo, hi) = query.ranks(zset);
    let entries = Entries::new(ctx.out, query.withscores);
    entries.header(ctx.out, hi - lo);
    zset.for_each(lo, hi, query.rev, |score, member| entries.entry(ctx.out, member, score));
}

/// ZRANGESTORE dst src min max [options].
pub fn store_range(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let form = Form { kind: None, rev: None, store: true };
    let query = match Query::parse(&argv[3..], form) {
        Ok(q) => q,
        Err(e) => return ctx.out.error(e),
    };
    let limits = limits(&ctx.server.config);
    let db = &mut ctx.server.dbs[ctx.client.db];
    let result = match lookup_zset(db, ctx.out, argv[2], Access::Read) {
        Err(_) => return,
        Ok(None) => ZSetValue::empty(false),
        Ok(Some(zset)) => {
            let (lo, hi) = query.ranks(zset);
            // Built as Redis builds it: sized up front only for rank ranges, then filled in reply
            // order, converting when a limit is crossed (which decides whether -0 survives).
            let known_len = matches!(query.bounds, Bounds::Rank(..)).then_some(hi - lo);
            let mut result = ZSetValue::empty(known_len.is_some_and(|n| n > limits.max_entries));
            zset.for_each(lo, hi, query.rev, |score, member| {
                // Members of a set are distinct and scores are never NaN: nothing can fail.
                let _ = result.add(score, member, AddFlags::default(), limits);
            });
            result
        }
    };
    store(ctx, argv[1], result, "zrangestore");
}

/// ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX: `key min max`.
pub fn remove_range(ctx: &mut Ctx<'_>, argv: &[&[u8]], kind: Kind) {
    let bounds = match Bounds::parse(kind, argv[2], argv[3]) {
        Ok(b) => b,
        Err(e) => return ctx.out.error(e),
    };
    let db = &mut ctx.server.dbs[ctx.client.db];
    let removed = match lookup_zset(db, ctx.out, argv[1], Access::Write) {
        Err(_) => return,
        Ok(None) => 0,
        Ok(Some(zset)) => {
            let (start, end) = match &bounds {
                Bounds::Lex(range) => lex::delete_span(zset, range),
                _ => bounds.span(zset, false),
            };
            zset.remove_ranks(start, end)
        }
    };
    if removed > 0 {
        let event = match kind {
            Kind::Rank => "zremrangebyrank",
            Kind::Score => "zremrangebyscore",
            Kind::Lex => "zremrangebylex",
        };
        changed(ctx, argv[1], event, removed);
    }
    ctx.out.int(removed as i64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_spans_follow_redis() {
        assert_eq!(rank_span(5, 0, -1, false), (0, 5));
        assert_eq!(rank_span(5, -2, 100, false), (3, 5));
        assert_eq!(rank_span(5, 0, 0, true), (4, 5));
        assert_eq!(rank_span(5, 1, 2, true), (2, 4));
        assert_eq!(rank_span(5, 3, 1, false), (0, 0));
        assert_eq!(rank_span(5, 5, 9, false), (0, 0));
        assert_eq!(rank_span(5, -9, -7, false), (0, 0));
        assert_eq!(rank_span(5, i64::MIN, i64::MAX, false), (0, 5));
    }
}
