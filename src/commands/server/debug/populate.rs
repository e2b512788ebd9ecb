//! DEBUG POPULATE <count> [<prefix>] [<size>]: fills the selected database with string keys, to
//! build big datasets fast in tests.

use super::Sub;
use crate::commands::errors::c_str;
use crate::keyspace::{StringValue, Value, now_ms};
use crate::state::Ctx;
use crate::types::number::{format_i64, parse_i64};
use crate::types::small_bytes::SmallBytes;

/// DEBUG POPULATE.
pub const SUB: Sub = Sub {
    name: "populate",
    min_args: 3,
    max_args: 5,
    help: &[
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
    ],
    run,
};

const NOT_POSITIVE: &str = "ERR value is out of range, must be positive";

/// Redis formats names into a 128-byte buffer: longer ones are cut to 127 bytes.
const MAX_NAME: usize = 127;

/// Keys `<prefix>:<n>` for n in 0..count with values `value:<n>` (padded with zero bytes or cut
/// to `size` when given and not 0). Existing keys are left alone. As in Redis the keys are
/// signalled (WATCH, tracking) and `new` events fire, but `dirty` does not count them, so
/// nothing is propagated.
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(count) = positive(argv[2]) else { return ctx.out.error(NOT_POSITIVE) };
    let size = match argv.get(4) {
        Some(arg) => match positive(arg) {
            Some(size) => size as usize,
            None => return ctx.out.error(NOT_POSITIVE),
        },
        None => 0,
    };
    // The prefix is a C string in Redis.
    let prefix = argv.get(3).map_or(&b"key"[..], |p| c_str(p));
    let db = ctx.client.db;
    let now = now_ms();
    let (mut key, mut value) = (Vec::new(), Vec::new());
    for n in 0..count {
        name_into(&mut key, prefix, n);
        if ctx.server.dbs[db].contains(&key, now) {
            continue;
        }
        name_into(&mut value, b"value", n);
        if size != 0 {
            value.resize(size, 0);
        }
        let stored = StringValue::Plain(SmallBytes::new(&value));
        ctx.server.dbs[db].insert(&key, Value::String(stored), false);
        ctx.signal_modified(db, &key);
    }
    ctx.out.ok();
}

/// A count or size: a strict integer, not negative.
fn positive(arg: &[u8]) -> Option<u64> {
    parse_i64(arg).and_then(|n| u64::try_from(n).ok())
}

/// Writes `<prefix>:<n>` into `out`, cut to [`MAX_NAME`] bytes.
fn name_into(out: &mut Vec<u8>, prefix: &[u8], n: u64) {
    out.clear();
    out.extend_from_slice(prefix);
    out.push(b':');
    // `n` comes from a count that fit an i64.
    out.extend_from_slice(format_i64(n as i64, &mut [0; 20]));
    out.truncate(MAX_NAME);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_like_redis_buffer() {
        let mut out = Vec::new();
        name_into(&mut out, b"key", 42);
        assert_eq!(out, b"key:42");
        name_into(&mut out, &[b'p'; 200], 1);
        assert_eq!(out, vec![b'p'; MAX_NAME]);
    }

    #[test]
    fn counts_are_strict_non_negative_integers() {
        assert_eq!(positive(b"0"), Some(0));
        assert_eq!(positive(b"10"), Some(10));
        assert_eq!(positive(b"-1"), None);
        assert_eq!(positive(b"1k"), None);
        assert_eq!(positive(b" 1"), None);
    }
}
