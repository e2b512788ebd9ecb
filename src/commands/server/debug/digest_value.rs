//! DEBUG DIGEST-VALUE <key> [<key> ...]: DIGEST's signature of single values.

use super::Sub;
use super::digest::{Digest, value_digest};
use crate::state::Ctx;
use crate::types::sha1::to_hex;

/// DEBUG DIGEST-VALUE.
pub const SUB: Sub = Sub {
    name: "digest-value",
    // Redis accepts no key at all, and replies an empty array.
    min_args: 2,
    max_args: usize::MAX,
    help: &["DIGEST-VALUE <key> [<key> ...]", "    Output a hex signature of the values of all the specified keys."],
    run,
};

/// One status line per key: the value's digest (type, contents, TTL flag; the key name is left
/// out), or 40 zeros for a missing key. Keys are read as stored, so a key whose TTL passed is
/// still digested, and no statistics or access times change.
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let keys = &argv[2..];
    ctx.out.array(keys.len());
    let db = &ctx.server.dbs[ctx.client.db];
    for key in keys {
        let mut digest: Digest = [0; 20];
        if let Some((_, entry)) = db.peek(key) {
            value_digest(&mut digest, &entry.value, db.expire_at(key).is_some());
        }
        ctx.out.simple(&to_hex(&digest));
    }
}
