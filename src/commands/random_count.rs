//! The `count [WITH…]` arguments of HRANDFIELD and ZRANDMEMBER, parsed in Redis's order: the
//! count and its range first, then the option, then the tighter range the option imposes (its
//! reply is twice as long).

use super::errors::{NOT_INTEGER, SYNTAX};
use crate::types::number::parse_i64;

/// Largest count magnitude accepted (`-LONG_MAX..=LONG_MAX`).
const COUNT_LIMIT: i64 = i64::MAX;

/// Parses `count` and an optional `option` token (WITHVALUES, WITHSCORES) after it; returns the
/// count and whether the option was given, or the error text to reply.
pub fn parse(count: &[u8], rest: &[&[u8]], option: &[u8]) -> Result<(i64, bool), String> {
    let count = parse_i64(count).ok_or_else(|| NOT_INTEGER.to_owned())?;
    if !(-COUNT_LIMIT..=COUNT_LIMIT).contains(&count) {
        return Err(format!("ERR value is out of range, value must between {} and {COUNT_LIMIT}", -COUNT_LIMIT));
    }
    let with = match rest {
        [] => false,
        [word] if word.eq_ignore_ascii_case(option) => true,
        _ => return Err(SYNTAX.to_owned()),
    };
    if with && !(-COUNT_LIMIT / 2..=COUNT_LIMIT / 2).contains(&count) {
        return Err("ERR value is out of range".to_owned());
    }
    Ok((count, with))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_in_redis_order() {
        assert_eq!(parse(b"3", &[], b"withvalues"), Ok((3, false)));
        assert_eq!(parse(b"-3", &[b"WITHVALUES"], b"withvalues"), Ok((-3, true)));
        assert_eq!(parse(b"x", &[b"bad"], b"withvalues"), Err(NOT_INTEGER.to_owned()));
        assert_eq!(parse(b"1", &[b"bad"], b"withvalues"), Err(SYNTAX.to_owned()));
        assert!(parse(b"-9223372036854775808", &[], b"withscores").is_err());
        assert_eq!(
            parse(b"9223372036854775807", &[b"withscores"], b"withscores"),
            Err("ERR value is out of range".to_owned())
        );
    }
}
