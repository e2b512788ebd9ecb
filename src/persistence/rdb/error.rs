//! Why a file or payload was refused, and where: every error names the byte offset at which the
//! reader found the problem and what it expected there.

use std::borrow::Cow;
use std::fmt;

/// A refused RDB file or payload.
#[derive(Debug)]
pub struct RdbError {
    /// Offset from the start of the input of the byte (or structure) found wrong.
    pub offset: u64,
    /// What was wrong.
    pub kind: ErrorKind,
}

/// The kinds of [`RdbError`].
#[derive(Debug)]
pub enum ErrorKind {
    /// Reading the input failed.
    Io(std::io::Error),
    /// The input ended where more was expected.
    Truncated {
        /// What the reader was reading.
        expected: &'static str,
    },
    /// The input does not open with `REDIS` and four digits.
    BadSignature,
    /// A version this reader does not know (it reads 1 to 11).
    UnsupportedVersion(u32),
    /// A byte that is neither an opcode nor a value type.
    UnknownType(u8),
    /// Bytes that break the format's rules.
    Corrupt(Cow<'static, str>),
    /// The CRC64 trailer disagrees with the data.
    Checksum {
        /// The trailer's value.
        stored: u64,
        /// The checksum of the data read.
        computed: u64,
    },
    /// Module values or module auxiliary data.
    ModuleData,
    /// A function library in the format of Redis 7.0's release candidates.
    PreGaFunction,
    /// A SELECTDB beyond the configured number of databases.
    DbOutOfRange {
        /// The database the file selects.
        db: u64,
        /// How many databases the server has.
        databases: usize,
    },
    /// A collection with no elements (Redis skips such keys in files and refuses them in RESTORE).
    EmptyValue,
}

impl RdbError {
    /// An error of `kind` at `offset`.
    pub fn new(offset: u64, kind: ErrorKind) -> Self {
        RdbError { offset, kind }
    }

    /// Corrupt data at `offset`.
    pub fn corrupt(offset: u64, what: impl Into<Cow<'static, str>>) -> Self {
        RdbError::new(offset, ErrorKind::Corrupt(what.into()))
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Io(e) => write!(f, "read error: {e}"),
            ErrorKind::Truncated { expected } => write!(f, "unexpected end of input, expected {expected}"),
            ErrorKind::BadSignature => f.write_str("wrong signature, expected 'REDIS' and a 4-digit version"),
            ErrorKind::UnsupportedVersion(v) => write!(f, "can't handle RDB format version {v}"),
            ErrorKind::UnknownType(t) => write!(f, "unknown value type or opcode {t}"),
            ErrorKind::Corrupt(what) => f.write_str(what),
            ErrorKind::Checksum { stored, computed } => {
                write!(f, "RDB CRC error: the file says {stored:016x}, the data is {computed:016x}")
            }
            ErrorKind::ModuleData => f.write_str("module data not supported"),
            ErrorKind::PreGaFunction => {
                f.write_str("function libraries in the format of Redis 7.0's release candidates are not supported")
            }
            ErrorKind::DbOutOfRange { db, databases } => {
                write!(f, "the data selects database {db}, but the server has {databases} databases")
            }
            ErrorKind::EmptyValue => f.write_str("a collection with no elements"),
        }
    }
}

impl fmt::Display for RdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte offset {})", self.kind, self.offset)
    }
}

impl std::error::Error for RdbError {}

/// A problem inside an embedded structure (listpack, ziplist, intset, zipmap), found at byte
/// `at` of it; [`Invalid::within`] places it in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    /// Offset inside the structure.
    pub at: usize,
    /// What was expected there.
    pub what: &'static str,
}

impl Invalid {
    /// A problem at byte `at` of the structure: `what` was expected.
    pub fn new(at: usize, what: &'static str) -> Self {
        Invalid { at, what }
    }

    /// The error for the `structure` held by the string starting at `offset` of the input.
    pub fn within(self, structure: &str, offset: u64) -> RdbError {
        let Invalid { at, what } = self;
        RdbError::corrupt(offset, format!("{structure} integrity check failed: expected {what} at byte {at} of it"))
    }
}
