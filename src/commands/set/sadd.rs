//! SADD: Add one or more members to a set.

use super::common::lookup_set;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, Value, now_ms};
use crate::state::Ctx;
use crate::types::set::SetValue;

/// SADD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sadd",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::SET,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::INSERT))],
    group: Group::Set,
    summary: "Add one or more members to a set",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    history: &[("2.4.0", "Accepts multiple `member` arguments.")],
    args: &[Arg::key(0), Arg { name: "member", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let max = ctx.server.config.set_max_intset_entries;
    let db = &mut ctx.server.dbs[ctx.client.db];
    let added = match lookup_set(db, ctx.out, argv[1], now, Access::Write) {
        Err(_) => return,
        Ok(Some(set)) => argv[2..].iter().filter(|m| set.add(m, max)).count(),
        Ok(None) => {
            let mut set = SetValue::for_member(argv[2]);
            let added = argv[2..].iter().filter(|m| set.add(m, max)).count();
            db.insert(argv[1], Value::Set(set), false);
            added
        }
    };
    if added > 0 {
        ctx.changed(argv[1], NotifyFlags::SET, "sadd");
        ctx.add_dirty(added as u64 - 1);
    }
    ctx.out.int(added as i64);
}
