//! Sorted-set scores and ranges as Redis 7.0 reads and writes them: `strtod` syntax (decimal,
//! hex, `inf`), the stricter whole-string check scores get, `(` exclusive score bounds, `[`/`(`/
//! `+`/`-` lex bounds, and the order of entries.

use std::cmp::Ordering;

/// C's `isspace` in the "C" locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Length of the run of bytes at the start of `s` satisfying `pred`.
fn run_len(s: &[u8], pred: impl Fn(u8) -> bool) -> usize {
    s.iter().take_while(|&&b| pred(b)).count()
}

/// What `strtod` makes of `s`: the value, how many bytes it consumed (0 when nothing parsed), and
/// whether it set `ERANGE` for an overflow or an underflow to zero.
pub fn strtod(s: &[u8]) -> (f64, usize, bool) {
    let lead = run_len(s, is_c_space);
    let body = &s[lead..];
    let sign_len = usize::from(matches!(body.first(), Some(b'+' | b'-')));
    let negative = body.first() == Some(&b'-');
    let rest = &body[sign_len..];
    let apply = |v: f64| if negative { -v } else { v };
    if let Some(n) = word_prefix(rest) {
        return (apply(f64::INFINITY), lead + sign_len + n, false);
    }
    if starts_with_ignore_case(rest, b"nan") {
        return (f64::NAN, lead + sign_len + 3 + nan_payload_len(&rest[3..]), false);
    }
    let hex = starts_with_ignore_case(rest, b"0x");
    let parsed = if hex { hex_prefix(&rest[2..]).map(|(v, n, tiny)| (v, n + 2, tiny)) } else { None };
    let parsed = parsed.or_else(|| decimal_prefix(rest));
    match parsed {
        Some((v, n, nonzero_digits)) => {
            let erange = v.is_infinite() || (v == 0.0 && nonzero_digits);
            (apply(v), lead + sign_len + n, erange)
        }
        // "0x" with no hex digit still reads the "0".
        None => (0.0, 0, false),
    }
}

/// Length of `inf` or `infinity` at the start of `s`, if there.
fn word_prefix(s: &[u8]) -> Option<usize> {
    if starts_with_ignore_case(s, b"infinity") {
        Some(8)
    } else if starts_with_ignore_case(s, b"inf") {
        Some(3)
    } else {
        None
    }
}

/// Length of an optional `(n-char-sequence)` after `nan`.
fn nan_payload_len(s: &[u8]) -> usize {
    if s.first() != Some(&b'(') {
        return 0;
    }
    let inner = run_len(&s[1..], |b| b.is_ascii_alphanumeric() || b == b'_');
    if s.get(1 + inner) == Some(&b')') { inner + 2 } else { 0 }
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// A decimal number at the start of `s`: value, length, and whether a nonzero digit was seen.
fn decimal_prefix(s: &[u8]) -> Option<(f64, usize, bool)> {
    let int = run_len(s, |b| b.is_ascii_digit());
    let mut n = int;
    let mut frac = 0;
    if s.get(n) == Some(&b'.') {
        frac = run_len(&s[n + 1..], |b| b.is_ascii_digit());
        if int + frac > 0 {
            n += 1 + frac;
        }
    }
    if int + frac == 0 {
        return None;
    }
    let nonzero = s[..n].iter().any(|b| (b'1'..=b'9').contains(b));
    if matches!(s.get(n), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(s.get(n + 1), Some(b'+' | b'-')));
        let digits = run_len(s.get(n + 1 + sign..).unwrap_or(&[]), |b| b.is_ascii_digit());
        if digits > 0 {
            n += 1 + sign + digits;
        }
    }
    let text = std::str::from_utf8(&s[..n]).ok()?;
    text.parse::<f64>().ok().map(|v| (v, n, nonzero))
}

/// A hex number (after `0x`) at the start of `s`: value, length, and whether a nonzero digit was
/// seen. Keeps 32 hex digits of mantissa and folds the rest into a sticky bit.
fn hex_prefix(s: &[u8]) -> Option<(f64, usize, bool)> {
    let mut mantissa: u128 = 0;
    let mut exp: i64 = 0;
    let mut digits = 0;
    let mut sticky = false;
    let mut n = 0;
    let mut seen_dot = false;
    while let Some(&b) = s.get(n) {
        if b == b'.' && !seen_dot {
            seen_dot = true;
            n += 1;
            continue;
        }
        let Some(d) = (b as char).to_digit(16) else { break };
        if mantissa >> 120 == 0 {
            mantissa = mantissa << 4 | u128::from(d);
        } else {
            sticky |= d != 0;
            exp += 4;
        }
        if seen_dot {
            exp -= 4;
        }
        digits += 1;
        n += 1;
    }
    if digits == 0 {
        return None;
    }
    if matches!(s.get(n), Some(b'p' | b'P')) {
        let sign = usize::from(matches!(s.get(n + 1), Some(b'+' | b'-')));
        let start = n + 1 + sign;
        let len = run_len(s.get(start..).unwrap_or(&[]), |b| b.is_ascii_digit());
        if len > 0 {
            let value: i64 = s[start..start + len]
                .iter()
                .fold(0i64, |acc, &b| acc.saturating_mul(10).saturating_add(i64::from(b - b'0')).min(1 << 40));
            exp += if s[n + 1] == b'-' { -value } else { value };
            n = start + len;
        }
    }
    let nonzero = mantissa != 0 || sticky;
    let m = (mantissa | u128::from(sticky)) as f64;
    let exp = i32::try_from(exp.clamp(-4000, 4000)).unwrap_or(0);
    // Scale in two steps so a tiny result does not become zero halfway.
    let half = exp / 2;
    Some((m * 2f64.powi(half) * 2f64.powi(exp - half), n, nonzero))
}

/// Parses a score argument like Redis's `string2d`: the whole string, no leading space, not
/// empty, no NaN, no overflow and no underflow to zero. Infinities are fine.
pub fn parse_score(s: &[u8]) -> Option<f64> {
    if s.is_empty() || is_c_space(s[0]) {
        return None;
    }
    let (v, len, erange) = strtod(s);
    (len == s.len() && !erange && !v.is_nan()).then_some(v)
}

/// The bytes C code sees of an argument: up to the first NUL.
pub fn c_str(s: &[u8]) -> &[u8] {
    s.iter().position(|&b| b == 0).map_or(s, |at| &s[..at])
}

/// One end of a score range: `(` makes it exclusive; parsed by plain `strtod`, so leading space
/// and the empty string (zero) are accepted, as in Redis.
fn parse_score_bound(s: &[u8]) -> Option<(f64, bool)> {
    let s = c_str(s);
    let (exclusive, text) = match s.split_first() {
        Some((b'(', rest)) => (true, rest),
        _ => (false, s),
    };
    let (v, len, _) = strtod(text);
    (len == text.len() && !v.is_nan()).then_some((v, exclusive))
}

/// A score interval (ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreRange {
    /// Lower end.
    pub min: f64,
    /// Upper end.
    pub max: f64,
    /// Whether `min` itself is excluded.
    pub min_exclusive: bool,
    /// Whether `max` itself is excluded.
    pub max_exclusive: bool,
}

/// The error for an unparsable score range.
pub const SCORE_RANGE_ERROR: &str = "ERR min or max is not a float";
/// The error for an unparsable lex range.
pub const LEX_RANGE_ERROR: &str = "ERR min or max not valid string range item";

impl ScoreRange {
    /// Parses `min` and `max` arguments.
    pub fn parse(min: &[u8], max: &[u8]) -> Option<Self> {
        let (min, min_exclusive) = parse_score_bound(min)?;
        let (max, max_exclusive) = parse_score_bound(max)?;
        Some(ScoreRange { min, max, min_exclusive, max_exclusive })
    }

    /// Whether `score` lies below the range (monotone: a prefix of the order).
    pub fn below(&self, score: f64) -> bool {
        if self.min_exclusive { score <= self.min } else { score < self.min }
    }

    /// Whether `score` does not lie above the range (monotone: a prefix of the order).
    pub fn not_above(&self, score: f64) -> bool {
        if self.max_exclusive { score < self.max } else { score <= self.max }
    }
}

/// One end of a lex range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexBound {
    /// `-`: below every string.
    Min,
    /// `+`: above every string.
    Max,
    /// `[value`.
    Inclusive(Vec<u8>),
    /// `(value`.
    Exclusive(Vec<u8>),
}

impl LexBound {
    fn parse(s: &[u8]) -> Option<Self> {
        // C code stops at a NUL only for the `+`/`-` check; the value keeps every byte.
        match s.split_first()? {
            (b'+', rest) if c_str(rest).is_empty() => Some(LexBound::Max),
            (b'-', rest) if c_str(rest).is_empty() => Some(LexBound::Min),
            (b'[', rest) => Some(LexBound::Inclusive(rest.to_vec())),
            (b'(', rest) => Some(LexBound::Exclusive(rest.to_vec())),
            _ => None,
        }
    }
}

/// A member interval (ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexRange {
    /// Lower end.
    pub min: LexBound,
    /// Upper end.
    pub max: LexBound,
}

impl LexRange {
    /// Parses `min` and `max` arguments.
    pub fn parse(min: &[u8], max: &[u8]) -> Option<Self> {
        Some(LexRange { min: LexBound::parse(min)?, max: LexBound::parse(max)? })
    }

    /// Whether `member` lies below the range.
    pub fn below(&self, member: &[u8]) -> bool {
        match &self.min {
            LexBound::Min => false,
            LexBound::Max => true,
            LexBound::Inclusive(v) => member < v.as_slice(),
            LexBound::Exclusive(v) => member <= v.as_slice(),
        }
    }

    /// Whether `member` does not lie above the range.
    pub fn not_above(&self, member: &[u8]) -> bool {
        match &self.max {
            LexBound::Min => false,
            LexBound::Max => true,
            LexBound::Inclusive(v) => member <= v.as_slice(),
            LexBound::Exclusive(v) => member < v.as_slice(),
        }
    }
}

/// The order of sorted-set entries: score, then member bytes.
pub fn compare(a_score: f64, a_member: &[u8], b_score: f64, b_member: &[u8]) -> Ordering {
    a_score.partial_cmp(&b_score).unwrap_or(Ordering::Equal).then_with(|| a_member.cmp(b_member))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_parse_like_string2d() {
        assert_eq!(parse_score(b"1.5"), Some(1.5));
        assert_eq!(parse_score(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_score(b"+Infinity"), Some(f64::INFINITY));
        assert_eq!(parse_score(b"0x10"), Some(16.0));
        assert_eq!(parse_score(b"0x1p-2"), Some(0.25));
        assert_eq!(parse_score(b"1e5"), Some(1e5));
        assert_eq!(parse_score(b".5"), Some(0.5));
        assert_eq!(parse_score(b"5."), Some(5.0));
        for bad in [&b""[..], b" 1", b"1 ", b"nan", b"1e400", b"1e-400", b"abc", b"1e", b"--1", b"0x"] {
            assert_eq!(parse_score(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn ranges_parse_like_redis() {
        let r = ScoreRange::parse(b"(1", b"+inf").unwrap();
        assert!(r.min_exclusive && !r.max_exclusive && r.max.is_infinite());
        assert_eq!(ScoreRange::parse(b"", b"(").map(|r| (r.min, r.max)), Some((0.0, 0.0)));
        assert!(ScoreRange::parse(b" 1", b"1e400").is_some());
        assert!(ScoreRange::parse(b"nan", b"1").is_none());
        assert!(ScoreRange::parse(b"1x", b"1").is_none());
        assert!(LexRange::parse(b"-", b"+").is_some());
        assert!(LexRange::parse(b"a", b"+").is_none());
        assert!(LexRange::parse(b"", b"+").is_none());
        assert!(LexRange::parse(b"-x", b"+").is_none());
        let lex = LexRange::parse(b"(b", b"[d").unwrap();
        assert!(lex.below(b"b") && !lex.below(b"ba") && lex.not_above(b"d") && !lex.not_above(b"da"));
    }
}
