//! LINSERT: Insert an element before or after another element in a list.

use super::common::{changed, lookup_list};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// LINSERT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "linsert",
    arity: 5,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::LIST,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::INSERT))],
    group: Group::List,
    since: "2.2.0",
    summary: "Insert an element before or after another element in a list",
    complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
    args: &[
        Arg::key(0),
        Arg {
            name: "where",
            kind: ArgKind::OneOf(&[
                Arg { name: "before", kind: ArgKind::PureToken, token: Some("BEFORE"), ..Arg::DEFAULT },
                Arg { name: "after", kind: ArgKind::PureToken, token: Some("AFTER"), ..Arg::DEFAULT },
            ]),
            ..Arg::DEFAULT
        },
        Arg { name: "pivot", ..Arg::DEFAULT },
        Arg { name: "element", ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let after = if argv[2].eq_ignore_ascii_case(b"after") {
        true
    } else if argv[2].eq_ignore_ascii_case(b"before") {
        false
    } else {
        return ctx.syntax_error();
    };
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(found) = lookup_list(db, ctx.out, argv[1], now_ms(), Access::Write) else { return };
    let Some(list) = found else { return ctx.out.int(0) };
    let Some(pivot) = list.position(argv[3]) else { return ctx.out.int(-1) };
    list.insert(pivot + usize::from(after), argv[4]);
    ctx.out.int(list.len() as i64);
    changed(ctx, argv[1], "linsert", false, 1);
}
