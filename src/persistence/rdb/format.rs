//! The numbers of the RDB format: versions, opcodes, value types, length and string encodings.

/// The version rkv writes: Redis 7.0's, so redis-server 7.0 loads what rkv saves.
pub const SAVE_VERSION: u16 = 10;
/// The newest version rkv reads (Redis 7.2's).
pub const MAX_LOAD_VERSION: u32 = 11;
/// The first version whose files end with a CRC64 trailer.
pub const FIRST_CHECKSUMMED_VERSION: u32 = 5;
/// The signature every file opens with, before its version as 4 decimal digits.
pub const MAGIC: &[u8; 5] = b"REDIS";

/// Opcode: a function library's code follows (Redis 7.0 GA and later).
pub const OP_FUNCTION2: u8 = 245;
/// Opcode: a function library in the format of Redis 7.0's release candidates.
pub const OP_FUNCTION_PRE_GA: u8 = 246;
/// Opcode: a module's auxiliary data.
pub const OP_MODULE_AUX: u8 = 247;
/// Opcode: the next key's LRU idle time in seconds.
pub const OP_IDLE: u8 = 248;
/// Opcode: the next key's LFU counter.
pub const OP_FREQ: u8 = 249;
/// Opcode: an auxiliary field (two strings).
pub const OP_AUX: u8 = 250;
/// Opcode: the current database's key and expiry counts (a sizing hint).
pub const OP_RESIZEDB: u8 = 251;
/// Opcode: the next key's expiry in Unix milliseconds.
pub const OP_EXPIRETIME_MS: u8 = 252;
/// Opcode: the next key's expiry in Unix seconds (old files).
pub const OP_EXPIRETIME: u8 = 253;
/// Opcode: the database the following keys belong to.
pub const OP_SELECTDB: u8 = 254;
/// Opcode: end of the data (the checksum follows).
pub const OP_EOF: u8 = 255;

/// The type byte that opens a serialized value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// A string.
    String = 0,
    /// A list of strings, one by one (before quicklists).
    List = 1,
    /// A set of strings, one by one.
    Set = 2,
    /// A sorted set with scores as text.
    ZSet = 3,
    /// A hash of field/value strings, one by one.
    Hash = 4,
    /// A sorted set with binary scores.
    ZSet2 = 5,
    /// A module value from Redis 4.0's release candidates.
    ModulePreGa = 6,
    /// A module value.
    Module2 = 7,
    /// A hash as a zipmap (Redis 2.4 and before).
    HashZipmap = 9,
    /// A list as one ziplist.
    ListZiplist = 10,
    /// A set as an intset.
    SetIntset = 11,
    /// A sorted set as a ziplist.
    ZSetZiplist = 12,
    /// A hash as a ziplist.
    HashZiplist = 13,
    /// A list as a quicklist of ziplists.
    ListQuicklist = 14,
    /// A stream (Redis 5 and 6).
    StreamListpacks = 15,
    /// A hash as a listpack.
    HashListpack = 16,
    /// A sorted set as a listpack.
    ZSetListpack = 17,
    /// A list as a quicklist of listpack or plain nodes.
    ListQuicklist2 = 18,
    /// A stream (Redis 7.0).
    StreamListpacks2 = 19,
    /// A set as a listpack (Redis 7.2).
    SetListpack = 20,
    /// A stream (Redis 7.2).
    StreamListpacks3 = 21,
}

impl ValueType {
    /// The type a byte names, if any.
    pub fn from_byte(byte: u8) -> Option<ValueType> {
        use ValueType::*;
        Some(match byte {
            0 => String,
            1 => List,
            2 => Set,
            3 => ZSet,
            4 => Hash,
            5 => ZSet2,
            6 => ModulePreGa,
            7 => Module2,
            9 => HashZipmap,
            10 => ListZiplist,
            11 => SetIntset,
            12 => ZSetZiplist,
            13 => HashZiplist,
            14 => ListQuicklist,
            15 => StreamListpacks,
            16 => HashListpack,
            17 => ZSetListpack,
            18 => ListQuicklist2,
            19 => StreamListpacks2,
            20 => SetListpack,
            21 => StreamListpacks3,
            _ => return None,
        })
    }
}

/// Top two bits of a length byte: a 6-bit length in the rest of the byte.
pub const LEN_6BIT: u8 = 0;
/// Top two bits: a 14-bit length in the rest of the byte and the next one.
pub const LEN_14BIT: u8 = 1;
/// Top two bits: not a length but a special string encoding in the low 6 bits.
pub const LEN_ENCODED: u8 = 3;
/// Whole byte: a 32-bit big-endian length follows.
pub const LEN_32BIT: u8 = 0x80;
/// Whole byte: a 64-bit big-endian length follows.
pub const LEN_64BIT: u8 = 0x81;

/// Special string encoding: an 8-bit signed integer.
pub const ENC_INT8: u8 = 0;
/// Special string encoding: a 16-bit little-endian signed integer.
pub const ENC_INT16: u8 = 1;
/// Special string encoding: a 32-bit little-endian signed integer.
pub const ENC_INT32: u8 = 2;
/// Special string encoding: LZF-compressed bytes (compressed length, original length, data).
pub const ENC_LZF: u8 = 3;

/// Quicklist node container: one element stored as is.
pub const CONTAINER_PLAIN: u64 = 1;
/// Quicklist node container: a listpack (or, in type 14, a ziplist).
pub const CONTAINER_PACKED: u64 = 2;

/// Old text doubles: the length byte meaning NaN.
pub const DOUBLE_NAN: u8 = 253;
/// Old text doubles: the length byte meaning +inf.
pub const DOUBLE_POS_INF: u8 = 254;
/// Old text doubles: the length byte meaning -inf.
pub const DOUBLE_NEG_INF: u8 = 255;

/// Largest listpack Redis builds or adds to (`LISTPACK_MAX_SAFETY_SIZE`): beyond it a loaded
/// hash or sorted set goes to its large encoding.
pub const LISTPACK_SAFETY_SIZE: usize = 1 << 30;
