//! SMOVE: Move a member from one set to another.

use super::common::lookup_set;
use crate::commands::errors::WRONGTYPE;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, Value, now_ms};
use crate::state::Ctx;
use crate::types::set::SetValue;

/// SMOVE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "smove",
    arity: 4,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::SET,
    keys: &[
        KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE)),
        KeySpec {
            flags: KeyFlags::RW.union(KeyFlags::INSERT),
            begin: BeginSearch::Index(2),
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        },
    ],
    group: Group::Set,
    summary: "Move a member from one set to another",
    complexity: "O(1)",
    args: &[
        Arg { name: "source", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "destination", kind: ArgKind::Key(1), ..Arg::DEFAULT },
        Arg { name: "member", ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let (src, dst, member) = (argv[1], argv[2], argv[3]);
    let now = now_ms();
    let max = ctx.server.config.set_max_intset_entries;
    let db = &mut ctx.server.dbs[ctx.client.db];
    let dst_exists = match db.lookup_for(dst, now, Access::Write) {
        Some(entry) => Some(entry.value.as_set().is_some()),
        None => None,
    };
    let (moved, emptied) = match lookup_set(db, ctx.out, src, now, Access::Write) {
        Ok(None) => return ctx.out.int(0),
        Err(_) => return,
        Ok(Some(_)) if dst_exists == Some(false) => return ctx.out.error(WRONGTYPE),
        Ok(Some(set)) if src == dst => return ctx.out.int(i64::from(set.contains(member))),
        Ok(Some(set)) => (set.remove(member), set.is_empty()),
    };
    if !moved {
        return ctx.out.int(0);
    }
    if emptied {
        db.remove(src);
    }
    let added = match db.lookup_for(dst, now, Access::Write).and_then(|e| e.value.as_set_mut()) {
        Some(set) => set.add(member, max),
        None => {
            let mut set = SetValue::for_member(member);
            set.add(member, max);
            db.insert(dst, Value::Set(set), false);
            true
        }
    };
    ctx.changed(src, NotifyFlags::SET, "srem");
    if emptied {
        ctx.notify(NotifyFlags::GENERIC, "del", src);
    }
    // The destination changed only if it did not hold the member yet.
    if added {
        ctx.changed(dst, NotifyFlags::SET, "sadd");
    }
    ctx.out.int(1);
}
