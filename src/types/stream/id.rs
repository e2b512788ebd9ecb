//! Stream entry IDs (`<ms>-<seq>`): ordering, successor and predecessor, text form, and the
//! argument forms Redis accepts (`-`, `+`, `<ms>`, `<ms>-*`).

use std::fmt;

use crate::types::number::parse_u64;

/// An entry ID: milliseconds and a sequence number, ordered as one 128-bit number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId {
    /// The milliseconds part.
    pub ms: u64,
    /// The sequence part.
    pub seq: u64,
}

/// What an ID argument may leave open: the sequence (`<ms>-*` in XADD).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedId {
    /// The ID (the sequence is 0 when it was `*`).
    pub id: StreamId,
    /// Whether the sequence was given (false for `<ms>-*`).
    pub seq_given: bool,
}

impl StreamId {
    /// The smallest ID, `0-0`.
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    /// The largest ID.
    pub const MAX: StreamId = StreamId { ms: u64::MAX, seq: u64::MAX };

    /// An ID from its parts.
    pub const fn new(ms: u64, seq: u64) -> Self {
        StreamId { ms, seq }
    }

    /// The next ID, or `None` past the largest (Redis's `streamIncrID` failing).
    pub fn next(self) -> Option<StreamId> {
        match (self.ms, self.seq) {
            (u64::MAX, u64::MAX) => None,
            (ms, u64::MAX) => Some(StreamId::new(ms + 1, 0)),
            (ms, seq) => Some(StreamId::new(ms, seq + 1)),
        }
    }

    /// The previous ID, or `None` before `0-0` (Redis's `streamDecrID` failing).
    pub fn prev(self) -> Option<StreamId> {
        match (self.ms, self.seq) {
            (0, 0) => None,
            (ms, 0) => Some(StreamId::new(ms - 1, u64::MAX)),
            (ms, seq) => Some(StreamId::new(ms, seq - 1)),
        }
    }

    /// Whether this is `0-0`.
    pub fn is_zero(self) -> bool {
        self == StreamId::MIN
    }

    /// The 16 bytes Redis keys its radix tree with and RDB stores: both parts big-endian.
    pub fn to_be_bytes(self) -> [u8; 16] {
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&self.ms.to_be_bytes());
        out[8..].copy_from_slice(&self.seq.to_be_bytes());
        out
    }

    /// The ID from [`Self::to_be_bytes`]'s form; `None` unless exactly 16 bytes.
    pub fn from_be_bytes(bytes: &[u8]) -> Option<StreamId> {
        let bytes: &[u8; 16] = bytes.try_into().ok()?;
        let (ms, seq) = bytes.split_at(8);
        Some(StreamId::new(u64::from_be_bytes(ms.try_into().ok()?), u64::from_be_bytes(seq.try_into().ok()?)))
    }

    /// The ID as text, `<ms>-<seq>`.
    pub fn to_bytes(self) -> Vec<u8> {
        self.to_string().into_bytes()
    }

    /// Parses an ID argument as Redis's `streamGenericParseIDOrReply`: `-` and `+` (unless
    /// `strict`), `<ms>` (the sequence is `missing_seq`), `<ms>-<seq>`, and with `allow_star`
    /// `<ms>-*`. Both parts are unsigned decimals without a sign; `None` for anything else.
    pub fn parse(arg: &[u8], missing_seq: u64, strict: bool, allow_star: bool) -> Option<ParsedId> {
        if arg.len() > 127 {
            return None;
        }
        let given = |id| Some(ParsedId { id, seq_given: true });
        match arg {
            b"-" if !strict => return given(StreamId::MIN),
            b"+" if !strict => return given(StreamId::MAX),
            _ => {}
        }
        let (ms, seq) = match arg.iter().position(|&b| b == b'-') {
            Some(dash) => (&arg[..dash], Some(&arg[dash + 1..])),
            None => (arg, None),
        };
        let ms = parse_u64(ms)?;
        match seq {
            None => given(StreamId::new(ms, missing_seq)),
            Some(b"*") if allow_star => Some(ParsedId { id: StreamId::new(ms, 0), seq_given: false }),
            Some(seq) => given(StreamId::new(ms, parse_u64(seq)?)),
        }
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(arg: &str) -> Option<StreamId> {
        StreamId::parse(arg.as_bytes(), 7, false, false).map(|p| p.id)
    }

    #[test]
    fn parses_like_redis() {
        assert_eq!(parse("-"), Some(StreamId::MIN));
        assert_eq!(parse("+"), Some(StreamId::MAX));
        assert_eq!(parse("5"), Some(StreamId::new(5, 7)));
        assert_eq!(parse("5-3"), Some(StreamId::new(5, 3)));
        assert_eq!(parse("18446744073709551615-18446744073709551615"), Some(StreamId::MAX));
        for bad in ["", "a", "-1", "5-", "5-x", "1-2-3", "18446744073709551616", "5-*"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert_eq!(StreamId::parse(b"-", 0, true, false), None);
        let star = StreamId::parse(b"5-*", 0, true, true).unwrap();
        assert_eq!((star.id, star.seq_given), (StreamId::new(5, 0), false));
    }

    #[test]
    fn steps_and_wraps_like_redis() {
        assert_eq!(StreamId::new(1, u64::MAX).next(), Some(StreamId::new(2, 0)));
        assert_eq!(StreamId::MAX.next(), None);
        assert_eq!(StreamId::new(2, 0).prev(), Some(StreamId::new(1, u64::MAX)));
        assert_eq!(StreamId::MIN.prev(), None);
        let id = StreamId::new(0x0102, 0x0304);
        assert_eq!(StreamId::from_be_bytes(&id.to_be_bytes()), Some(id));
        assert_eq!(id.to_string(), "258-772");
    }
}
