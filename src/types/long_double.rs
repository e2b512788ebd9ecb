//! Arithmetic in the x87 80-bit extended format (C's `long double` on x86-64), which Redis uses
//! for INCRBYFLOAT and HINCRBYFLOAT.
//!
//! Rust has no `f80`, and `f64` gives different results (Redis prints `10.5 + 0.1` as `10.6`;
//! in `f64` it is `10.59999999999999964`). Only three operations are needed, each exact or
//! correctly rounded like glibc: parsing a decimal (or hex) string to the nearest value with a
//! 64-bit mantissa (`strtold`), adding two values with one rounding, and printing with `%.17Lf`.
//! Big integers make each of them exact; speed does not matter at these call sites.

use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{One, Zero};

/// Smallest exponent of a mantissa unit: subnormals are `m × 2^-16445`.
const MIN_EXP: i64 = -16445;
/// Largest exponent of a mantissa unit for finite values (`(2^64-1) × 2^16320` is the maximum).
const MAX_EXP: i64 = 16320;
/// Redis refuses numbers written with this many characters or more (`MAX_LONG_DOUBLE_CHARS`).
const MAX_CHARS: usize = 5 * 1024;
/// Guard bits kept below the 64 mantissa bits before rounding.
const GUARD_BITS: u64 = 3;

/// A value in the 80-bit extended format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongDouble {
    /// ±0.
    Zero {
        /// Sign bit.
        negative: bool,
    },
    /// `±mantissa × 2^exponent`.
    Finite {
        /// Sign bit.
        negative: bool,
        /// Mantissa, with its top bit set unless subnormal.
        mantissa: u64,
        /// Binary exponent of the mantissa's unit.
        exponent: i64,
    },
    /// ±infinity.
    Infinite {
        /// Sign bit.
        negative: bool,
    },
    /// Not a number.
    NaN,
}

impl LongDouble {
    /// The exact value of an integer.
    pub fn from_i64(n: i64) -> Self {
        round(n < 0, BigUint::from(n.unsigned_abs()), BigUint::one(), 0)
    }

    /// Parses like Redis's `string2ld`: the whole string must be a number for `strtold` (decimal,
    /// hex with a binary exponent, `inf`, `infinity`), no leading space, no NaN, and overflow or
    /// underflow to zero are refused.
    pub fn parse(s: &[u8]) -> Option<Self> {
        if s.is_empty() || s.len() >= MAX_CHARS || s[0].is_ascii_whitespace() {
            return None;
        }
        let (negative, body) = match s[0] {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let lower = body.to_ascii_lowercase();
        let value = match lower.as_slice() {
            b"inf" | b"infinity" => return Some(LongDouble::Infinite { negative }),
            _ if lower.starts_with(b"nan") => return None,
            _ if lower.starts_with(b"0x") => parse_hex(negative, &lower[2..])?,
            _ => parse_decimal(negative, &lower)?,
        };
        // strtold reports ERANGE for overflow and for a non-zero input rounding to zero.
        match value {
            LongDouble::Infinite { .. } => None,
            LongDouble::Zero { .. } if has_nonzero_digit(&lower) => None,
            v => Some(v),
        }
    }

    /// `ceil(self × factor)` with the product rounded to the format first, as x87 computes
    /// Redis's `(long long) ceill(ld * 1000.0)` for timeouts; `None` for infinities, NaN and
    /// results outside `i64`.
    pub fn scaled_ceil(self, factor: u64) -> Option<i64> {
        let (negative, mantissa, exponent) = match self {
            LongDouble::Zero { .. } => return Some(0),
            LongDouble::Finite { negative, mantissa, exponent } => (negative, mantissa, exponent),
            LongDouble::Infinite { .. } | LongDouble::NaN => return None,
        };
        // Round the exact product to a 64-bit mantissa (half to even): 0.3 is stored just above
        // 0.3, but 0.3 × 1000 rounds to exactly 300, whose ceiling is 300, not 301.
        let mut product = u128::from(mantissa) * u128::from(factor);
        let mut exponent = exponent;
        let bits = 128 - product.leading_zeros();
        if bits > 64 {
            let shift = bits - 64;
            let half = 1u128 << (shift - 1);
            let rest = product & ((1u128 << shift) - 1);
            product >>= shift;
            if rest > half || (rest == half && product & 1 == 1) {
                product += 1;
            }
            exponent += i64::from(shift);
        }
        let magnitude = if exponent >= 0 {
            let shift = u32::try_from(exponent).ok().filter(|&s| s < product.leading_zeros())?;
            product << shift
        } else {
            let shift = u32::try_from(-exponent).unwrap_or(u32::MAX);
            let whole = product.checked_shr(shift).unwrap_or(0);
            let fraction = whole.checked_shl(shift).is_none_or(|back| back != product);
            // Ceiling: a positive value with a fraction goes up; a negative one truncates.
            whole + u128::from(fraction && !negative)
        };
        let magnitude = i64::try_from(magnitude).ok()?;
        Some(if negative { -magnitude } else { magnitude })
    }

    /// Whether the value is finite (not infinite, not NaN).
    pub fn is_finite(self) -> bool {
        matches!(self, LongDouble::Zero { .. } | LongDouble::Finite { .. })
    }

    /// Formats like Redis's `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, then trailing zeros and a
    /// trailing dot removed, and `-0` written as `0`. `None` for infinities and NaN.
    pub fn to_human_string(self) -> Option<String> {
        let (negative, mantissa, exponent) = match self {
            LongDouble::Zero { .. } => return Some("0".to_owned()),
            LongDouble::Finite { negative, mantissa, exponent } => (negative, mantissa, exponent),
            LongDouble::Infinite { .. } | LongDouble::NaN => return None,
        };
        let (int_part, frac_digits) = if exponent >= 0 {
            (BigUint::from(mantissa) << (exponent as usize), BigUint::zero())
        } else {
            let shift = (-exponent) as usize;
            let m = BigUint::from(mantissa);
            let int_part = &m >> shift;
            let frac = &m - (&int_part << shift);
            let scaled = frac * BigUint::from(10u64).pow(17);
            let mut q = &scaled >> shift;
            let rem = &scaled - (&q << shift);
            let half = BigUint::one() << (shift - 1);
            let odd = q.bit(0);
            if rem > half || (rem == half && odd) {
                q += 1u32;
            }
            if q == BigUint::from(10u64).pow(17) { (int_part + 1u32, BigUint::zero()) } else { (int_part, q) }
        };
        let frac = format!("{frac_digits:0>17}");
        let frac = frac.trim_end_matches('0');
        let mut out = String::new();
        let is_zero = int_part.is_zero() && frac.is_empty();
        if negative && !is_zero {
            out.push('-');
        }
        out.push_str(&int_part.to_string());
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
        Some(out)
    }
}

impl std::ops::Add for LongDouble {
    type Output = LongDouble;

    /// The sum, rounded once to the nearest representable value (ties to even).
    fn add(self, other: Self) -> Self {
        use LongDouble::*;
        match (self, other) {
            (NaN, _) | (_, NaN) => NaN,
            (Infinite { negative: a }, Infinite { negative: b }) if a != b => NaN,
            (Infinite { negative }, _) | (_, Infinite { negative }) => Infinite { negative },
            (Zero { negative: a }, Zero { negative: b }) => Zero { negative: a && b },
            (Zero { .. }, x) | (x, Zero { .. }) => x,
            (
                Finite { negative: na, mantissa: ma, exponent: ea },
                Finite { negative: nb, mantissa: mb, exponent: eb },
            ) => {
                let base = ea.min(eb);
                let signed = |neg: bool, m: u64, e: i64| {
                    let v = BigInt::from(m) << ((e - base) as usize);
                    if neg { -v } else { v }
                };
                let sum = signed(na, ma, ea) + signed(nb, mb, eb);
                let (sign, magnitude) = sum.into_parts();
                if magnitude.is_zero() {
                    return Zero { negative: false };
                }
                round(sign == Sign::Minus, magnitude, BigUint::one(), base)
            }
        }
    }
}

fn has_nonzero_digit(s: &[u8]) -> bool {
    let mantissa_end = if s.starts_with(b"0x") {
        s.iter().position(|&c| c == b'p').unwrap_or(s.len())
    } else {
        s.iter().position(|&c| c == b'e').unwrap_or(s.len())
    };
    let digits = if s.starts_with(b"0x") { &s[2..mantissa_end] } else { &s[..mantissa_end] };
    digits.iter().any(|&c| c.is_ascii_alphanumeric() && c != b'0')
}

/// Splits `digits[.digits]` into its digits (without the dot) and the number after the dot.
fn split_mantissa(s: &[u8], is_digit: fn(u8) -> bool) -> Option<(Vec<u8>, usize)> {
    let (int, frac) = match s.iter().position(|&c| c == b'.') {
        Some(dot) => (&s[..dot], &s[dot + 1..]),
        None => (s, &s[..0]),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.iter().chain(frac).all(|&c| is_digit(c)) {
        return None;
    }
    Some(([int, frac].concat(), frac.len()))
}

/// Parses an optionally signed decimal exponent; `None` if malformed. Saturates huge values.
fn parse_exponent(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i64 = 0;
    for &d in digits {
        v = (v * 10 + i64::from(d - b'0')).min(1_000_000_000);
    }
    Some(if neg { -v } else { v })
}

fn parse_decimal(negative: bool, s: &[u8]) -> Option<LongDouble> {
    let (mantissa, exp10) = match s.iter().position(|&c| c == b'e') {
        Some(e) => (&s[..e], parse_exponent(&s[e + 1..])?),
        None => (s, 0),
    };
    let (digits, frac_len) = split_mantissa(mantissa, |c| c.is_ascii_digit())?;
    let significant = digits.iter().skip_while(|&&d| d == b'0').count() as i64;
    let scale = exp10 - frac_len as i64;
    if significant == 0 {
        return Some(LongDouble::Zero { negative });
    }
    // Far outside the format's range: no need to build enormous integers.
    if significant + scale > 4935 {
        return Some(LongDouble::Infinite { negative });
    }
    if significant + scale < -4975 {
        return Some(LongDouble::Zero { negative });
    }
    let num = BigUint::parse_bytes(&digits, 10)?;
    let ten = BigUint::from(10u32);
    let value = if scale >= 0 {
        round(negative, num * ten.pow(scale as u32), BigUint::one(), 0)
    } else {
        round(negative, num, ten.pow((-scale) as u32), 0)
    };
    Some(value)
}

fn parse_hex(negative: bool, s: &[u8]) -> Option<LongDouble> {
    let (mantissa, exp2) = match s.iter().position(|&c| c == b'p') {
        Some(p) => (&s[..p], parse_exponent(&s[p + 1..])?),
        None => (s, 0),
    };
    let (digits, frac_len) = split_mantissa(mantissa, |c| c.is_ascii_hexdigit())?;
    let num = BigUint::parse_bytes(&digits, 16)?;
    if num.is_zero() {
        return Some(LongDouble::Zero { negative });
    }
    let exponent = exp2 - 4 * frac_len as i64;
    if exponent + num.bits() as i64 > MAX_EXP + 70 {
        return Some(LongDouble::Infinite { negative });
    }
    if exponent + (num.bits() as i64) < MIN_EXP - 70 {
        return Some(LongDouble::Zero { negative });
    }
    Some(round(negative, num, BigUint::one(), exponent))
}

/// Rounds `num / den × 2^exp2` to the nearest value with a 64-bit mantissa (ties to even),
/// handling subnormals and overflow.
fn round(negative: bool, num: BigUint, den: BigUint, exp2: i64) -> LongDouble {
    if num.is_zero() {
        return LongDouble::Zero { negative };
    }
    // Scale so the quotient has at least 64 + GUARD_BITS bits.
    let shift = (64 + GUARD_BITS) as i64 + den.bits() as i64 - num.bits() as i64;
    let (q, r) = if shift >= 0 {
        let n = num << (shift as usize);
        (&n / &den, &n % &den)
    } else {
        let d = den << ((-shift) as usize);
        (&num / &d, &num % &d)
    };
    let sticky = !r.is_zero();
    // q × 2^(exp2 - shift) ≈ value; keep 64 bits, fewer for subnormals.
    let mut drop = q.bits() as i64 - 64;
    let mut exponent = exp2 - shift + drop;
    if exponent < MIN_EXP {
        drop += MIN_EXP - exponent;
        exponent = MIN_EXP;
    }
    let (mut mantissa, low, low_bits) = if drop > 0 {
        let drop = drop as usize;
        let kept = &q >> drop;
        (kept.clone(), &q - (kept << drop), drop)
    } else {
        (q, BigUint::zero(), 0)
    };
    if low_bits > 0 {
        let half = BigUint::one() << (low_bits - 1);
        if low > half || (low == half && (sticky || mantissa.bit(0))) {
            mantissa += 1u32;
        }
    }
    if mantissa.bits() > 64 {
        mantissa >>= 1;
        exponent += 1;
    }
    if exponent > MAX_EXP {
        return LongDouble::Infinite { negative };
    }
    let Some(mantissa) = u64::try_from(&mantissa).ok().filter(|&m| m != 0) else {
        return LongDouble::Zero { negative };
    };
    LongDouble::Finite { negative, mantissa, exponent }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incr(a: &str, b: &str) -> Option<String> {
        let x = LongDouble::parse(a.as_bytes())?;
        let y = LongDouble::parse(b.as_bytes())?;
        (x + y).to_human_string()
    }

    #[test]
    fn matches_redis_incrbyfloat() {
        // Expected strings were produced by redis-server 7.0.15's INCRBYFLOAT.
        assert_eq!(incr("10.5", "0.1").as_deref(), Some("10.6"));
        assert_eq!(incr("10.6", "1e10").as_deref(), Some("10000000010.59999999962747097"));
        assert_eq!(incr("0.1", "0.2").as_deref(), Some("0.3"));
        assert_eq!(incr("0", "0x10").as_deref(), Some("16"));
        assert_eq!(incr("3.0e3", "-3000").as_deref(), Some("0"));
        assert_eq!(incr("0", "1.23456789012345678901").as_deref(), Some("1.23456789012345679"));
        assert_eq!(incr("0", "5.0e-18").as_deref(), Some("0"));
        assert_eq!(incr("0", "12345678901234567890123").as_deref(), Some("12345678901234567889920"));
        assert_eq!(incr("0", "0x1p-3").as_deref(), Some("0.125"));
        assert_eq!(incr("0", "-0").as_deref(), Some("0"));
        let big = incr("0", "1e300").expect("finite");
        assert!(big.starts_with("1000000000000000000008997324079559193870523944273290747938260082321"), "{big}");
        assert_eq!(incr("16", "1e-4940").as_deref(), Some("16"));
    }

    #[test]
    fn parse_rules() {
        for bad in ["", " 1", "1.5e", "nan", "abc", "1e-5000", "1e5000", "1 ", "--1", ".", "0x", "1e+"] {
            assert!(LongDouble::parse(bad.as_bytes()).is_none(), "{bad:?} should be refused");
        }
        for good in ["+5", ".5", "5.", "1E3", "-inf", "Infinity", "0x1.8p1", "0e99999"] {
            assert!(LongDouble::parse(good.as_bytes()).is_some(), "{good:?} should parse");
        }
        assert!(!(LongDouble::parse(b"inf").expect("inf") + LongDouble::from_i64(1)).is_finite());
        assert_eq!(LongDouble::from_i64(i64::MIN).to_human_string().as_deref(), Some("-9223372036854775808"));
    }

    #[test]
    fn overflowing_sum_is_infinite() {
        let max = LongDouble::parse(b"1.18973149535723176502e+4932").expect("max");
        assert!(max.is_finite());
        assert!(!(max + max).is_finite());
    }
}
