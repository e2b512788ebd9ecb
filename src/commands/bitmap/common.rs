//! Helpers shared by the bitmap commands: offsets with Redis's limit, and string lookups that
//! read a value's bytes or grow it for a write, as bitops.c's lookupStringForBitCommand does.

use crate::commands::errors::{Replied, SYNTAX};
use crate::commands::string::common::lookup_string;
use crate::commands::{Arg, ArgKind};
use crate::config::Config;
use crate::keyspace::{Access, StringValue, Value, now_ms};
use crate::state::Ctx;
use crate::types::bits::Unit;
use crate::types::number::parse_i64;

/// A bit offset that is not an integer, negative, or past `proto-max-bulk-len` bytes.
pub const BAD_OFFSET: &str = "ERR bit offset is not an integer or out of range";

/// The documented `BYTE|BIT` argument of BITCOUNT and BITPOS.
pub const INDEX_UNIT: Arg = Arg {
    name: "index_unit",
    kind: ArgKind::OneOf(&[
        Arg { name: "byte", kind: ArgKind::PureToken, token: Some("BYTE"), ..Arg::DEFAULT },
        Arg { name: "bit", kind: ArgKind::PureToken, token: Some("BIT"), ..Arg::DEFAULT },
    ]),
    optional: true,
    since: Some("7.0.0"),
    ..Arg::DEFAULT
};

/// Parses `BYTE` or `BIT` (any case).
pub fn parse_unit(raw: &[u8]) -> Result<Unit, &'static str> {
    match raw.to_ascii_lowercase().as_slice() {
        b"byte" => Ok(Unit::Byte),
        b"bit" => Ok(Unit::Bit),
        _ => Err(SYNTAX),
    }
}

/// Parses a bit offset; with `field_bits`, the `#N` form means N fields of that width (BITFIELD).
/// `None` is [`BAD_OFFSET`].
pub fn parse_offset(config: &Config, raw: &[u8], field_bits: Option<u32>) -> Option<u64> {
    let (digits, scale) = match (raw.first(), field_bits) {
        (Some(b'#'), Some(bits)) => (&raw[1..], i64::from(bits)),
        _ => (raw, 1),
    };
    let offset = parse_i64(digits)?.wrapping_mul(scale);
    if offset < 0 || (offset >> 3) >= config.proto_max_bulk_len {
        return None;
    }
    Some(offset as u64)
}

/// Runs `read` over the bytes of the string at `key` (`None` when absent); replies WRONGTYPE
/// and returns `Err` for another type.
pub fn with_bytes<R>(ctx: &mut Ctx<'_>, key: &[u8], read: impl FnOnce(Option<&[u8]>) -> R) -> Result<R, Replied> {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let value = lookup_string(db, ctx.out, key, now_ms(), Access::Read)?;
    let mut scratch = [0u8; 20];
    Ok(read(value.map(|v| v.as_bytes(&mut scratch))))
}

/// Runs `write` over the string at `key` grown with zero bytes to hold bit `max_bit` (created
/// when absent); `write` learns whether the string was created or grown. Replies WRONGTYPE and
/// returns `Err` for another type.
pub fn with_bits_for_write<R>(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    max_bit: u64,
    write: impl FnOnce(&mut Vec<u8>, bool) -> R,
) -> Result<R, Replied> {
    let need = (max_bit >> 3) as usize + 1;
    let db = &mut ctx.server.dbs[ctx.client.db];
    match lookup_string(db, ctx.out, key, now_ms(), Access::Write)? {
        Some(value) => Ok(value.edit_raw(|bytes| {
            let grown = bytes.len() < need;
            if grown {
                bytes.resize(need, 0);
            }
            write(bytes, grown)
        })),
        None => {
            let mut bytes = vec![0u8; need];
            let result = write(&mut bytes, true);
            db.insert(key, Value::String(StringValue::Raw(Box::new(bytes))), false);
            Ok(result)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_obey_the_bulk_limit_and_hash_form() {
        let config = Config::default();
        assert_eq!(parse_offset(&config, b"10", None), Some(10));
        assert_eq!(parse_offset(&config, b"#3", Some(8)), Some(24));
        assert_eq!(parse_offset(&config, b"#3", None), None);
        assert_eq!(parse_offset(&config, b"-1", None), None);
        assert_eq!(parse_offset(&config, b"4294967295", None), Some(4_294_967_295));
        assert_eq!(parse_offset(&config, b"4294967296", None), None);
        assert_eq!(parse_offset(&config, b"", None), None);
    }
}
