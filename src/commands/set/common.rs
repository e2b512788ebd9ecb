//! Helpers shared by the set commands: typed lookups, multi-key reads, and storing results.

use crate::commands::errors::{Replied, WRONGTYPE};
use crate::commands::{Arg, ArgKind, BeginSearch, FindKeys, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, Db, Value, now_ms};
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::set::SetValue;

/// The set at `key`, or `None` when absent; WRONGTYPE is replied for other types.
pub fn lookup_set<'a>(
    db: &'a mut Db,
    out: &mut Reply,
    key: &[u8],
    now: i64,
    access: Access,
) -> Result<Option<&'a mut SetValue>, Replied> {
    match db.lookup_for(key, now, access) {
        None => Ok(None),
        Some(entry) => match entry.value.as_set_mut() {
            Some(s) => Ok(Some(s)),
            None => {
                out.error(WRONGTYPE);
                Err(Replied)
            }
        },
    }
}

/// Reads the sets at `keys` in order (a missing key is `None`); any key of another type is
/// WRONGTYPE, even after a missing one, as in Redis 7.0. Borrows rather than copies the sets.
pub fn read_sets<'a>(db: &'a mut Db, out: &mut Reply, keys: &[&[u8]]) -> Result<Vec<Option<&'a SetValue>>, Replied> {
    let now = now_ms();
    // First pass: expire, count the access, check the type; second: borrow what is there.
    for key in keys {
        lookup_set(db, out, key, now, Access::Read)?;
    }
    let db: &'a Db = db;
    Ok(keys.iter().map(|key| db.peek(key).and_then(|(_, entry)| entry.value.as_set())).collect())
}

/// Replies `members` as a set (an array in RESP2).
pub fn reply_set(out: &mut Reply, members: &[Vec<u8>]) {
    out.set(members.len());
    for m in members {
        out.bulk(m);
    }
}

/// Replies `members` as an array.
pub fn reply_array(out: &mut Reply, members: &[Vec<u8>]) {
    out.array(members.len());
    for m in members {
        out.bulk(m);
    }
}

/// A new set holding `members`, encoded as Redis builds a result set (an intset to start with).
pub fn build_set(members: impl IntoIterator<Item = Vec<u8>>, max_intset: u64) -> SetValue {
    let mut set = SetValue::empty();
    for m in members {
        set.add(&m, max_intset);
    }
    set
}

/// The *STORE commands' ending: replaces `dest` with `set` and fires `event` (`sinterstore`,
/// `sunionstore`, `sdiffstore`), or, when `set` is empty, deletes `dest` and fires `del` if it
/// existed; replies the new cardinality.
pub fn store(ctx: &mut Ctx<'_>, dest: &[u8], set: SetValue, event: &str) {
    let len = set.len();
    let db = &mut ctx.server.dbs[ctx.client.db];
    if len == 0 {
        if db.remove(dest).is_some() {
            ctx.changed(dest, NotifyFlags::GENERIC, "del");
        }
    } else {
        db.insert(dest, Value::Set(set), false);
        ctx.changed(dest, NotifyFlags::SET, event);
    }
    ctx.out.int(len as i64);
}

/// Members common to every set (SINTER); `None` among `sets` means an empty result. Walks the
/// smallest set, as Redis does, stopping after `limit` members when given.
pub fn intersection(sets: &[Option<&SetValue>], limit: Option<usize>) -> Vec<Vec<u8>> {
    let Some(mut present) = sets.iter().copied().collect::<Option<Vec<&SetValue>>>() else {
        return Vec::new();
    };
    present.sort_by_key(|s| s.len());
    let Some((smallest, rest)) = present.split_first() else { return Vec::new() };
    let mut out = Vec::new();
    for m in smallest.members() {
        if limit.is_some_and(|l| l > 0 && out.len() >= l) {
            break;
        }
        if rest.iter().all(|s| s.contains(&m)) {
            out.push(m);
        }
    }
    out
}

/// Members of any set (SUNION), as a built set.
pub fn union(sets: &[Option<&SetValue>], max_intset: u64) -> SetValue {
    build_set(sets.iter().flatten().flat_map(|s| s.members()), max_intset)
}

/// Members of the first set absent from the others (SDIFF), as a built set.
pub fn difference(sets: &[Option<&SetValue>], max_intset: u64) -> SetValue {
    let Some((Some(first), rest)) = sets.split_first() else { return SetValue::empty() };
    let kept = first.members().into_iter().filter(|m| !rest.iter().flatten().any(|s| s.contains(m)));
    build_set(kept, max_intset)
}

/// Key specs of SUNIONSTORE and SDIFFSTORE: the destination, then the sources. (SINTERSTORE's
/// destination is `RW` in Redis, so it keeps its own.)
pub const STORE_KEYS: &[KeySpec] = &[
    KeySpec::single(KeyFlags::OW.union(KeyFlags::UPDATE)),
    KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(2),
        find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
        notes: None,
    },
];

/// Arguments of SINTERSTORE, SUNIONSTORE and SDIFFSTORE.
pub const STORE_ARGS: &[Arg] = &[
    Arg { name: "destination", kind: ArgKind::Key(0), ..Arg::DEFAULT },
    Arg { name: "key", kind: ArgKind::Key(1), multiple: true, ..Arg::DEFAULT },
];
