//! SORT's BY and GET patterns (Redis's `lookupKeyByPattern`): `#` is the element itself;
//! otherwise the first `*` is replaced by the element to name a key, whose string value is
//! used, or, with `->field` after the `*`, that hash field.
//!
//! Redis handles patterns as C strings, so only the part before a NUL byte counts.

use crate::keyspace::{Access, Value, now_ms};
use crate::state::Ctx;
use crate::types::zset::score::c_str;

/// The value `pattern` names for `element`, or `None` when the key (or field) does not exist,
/// holds another type, or the pattern has no `*`.
pub fn lookup_by_pattern(ctx: &mut Ctx<'_>, pattern: &[u8], element: &[u8], access: Access) -> Option<Vec<u8>> {
    let pattern = c_str(pattern);
    if pattern == b"#" {
        return Some(element.to_vec());
    }
    let star = pattern.iter().position(|&b| b == b'*')?;
    let after = &pattern[star + 1..];
    // `->` followed by at least one byte makes the rest a hash field name.
    let (suffix, field) = match after.windows(2).position(|w| w == b"->") {
        Some(at) if at + 2 < after.len() => (&after[..at], Some(&after[at + 2..])),
        _ => (after, None),
    };
    let mut key = Vec::with_capacity(star + element.len() + suffix.len());
    key.extend_from_slice(&pattern[..star]);
    key.extend_from_slice(element);
    key.extend_from_slice(suffix);
    let db = &mut ctx.server.dbs[ctx.client.db];
    let value = &db.lookup_for(&key, now_ms(), access)?.value;
    match (value, field) {
        (Value::String(s), None) => Some(s.to_vec()),
        (Value::Hash(h), Some(field)) => h.get(field).map(std::borrow::Cow::into_owned),
        _ => None,
    }
}
