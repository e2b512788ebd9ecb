//! RENAME: Rename a key.

use crate::commands::errors::Replied;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::now_ms;
use crate::state::Ctx;

/// RENAME.
pub const SPEC: CommandSpec = CommandSpec {
    name: "rename",
    arity: 3,
    flags: Flags::WRITE,
    acl: Acl::KEYSPACE,
    keys: &[
        KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE)),
        KeySpec {
            flags: KeyFlags::OW.union(KeyFlags::UPDATE),
            begin: BeginSearch::Index(2),
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        },
    ],
    group: Group::Generic,
    summary: "Rename a key",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "newkey", kind: ArgKind::Key(1), ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if let Ok(true) = rename_key(ctx, argv[1], argv[2], false) {
        ctx.out.ok();
    }
}

/// RENAME and RENAMENX: moves the value and TTL of `from` to `to`. `Ok(false)` when NX and `to`
/// exists (or both names are the same); `Err` after replying "no such key".
pub fn rename_key(ctx: &mut Ctx<'_>, from: &[u8], to: &[u8], nx: bool) -> Result<bool, Replied> {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    if !db.contains(from, now) {
        ctx.out.error("ERR no such key");
        return Err(Replied);
    }
    if from == to {
        return Ok(!nx);
    }
    // Looked up even without NX, as in Redis: an expired destination reports its expiry.
    let overwrite = db.contains(to, now);
    if nx && overwrite {
        return Ok(false);
    }
    if let Some((value, expire)) = db.take(from) {
        // Redis deletes an existing destination before adding the key, so the destination is
        // always created (`new` fires for it).
        if overwrite {
            db.remove(to);
        }
        db.put(to, value, expire);
        // One change to the dataset, two keys touched: `rename_from` then `rename_to`.
        ctx.signal_modified(ctx.client.db, to);
        ctx.changed(from, NotifyFlags::GENERIC, "rename_from");
        ctx.notify(NotifyFlags::GENERIC, "rename_to", to);
        super::object::refcount::renamed(ctx, from, to);
    }
    Ok(true)
}
