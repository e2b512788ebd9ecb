//! LPOP: Remove and get the first elements in a list.

use super::common::{SOURCE_KEY, parse_at_least, pop, reply_elements};
use crate::commands::errors::Replied;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::Ctx;
use crate::types::quicklist::End;

/// LPOP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lpop",
    arity: -2,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::LIST,
    keys: &[SOURCE_KEY],
    group: Group::List,
    summary: "Remove and get the first elements in a list",
    complexity: "O(N) where N is the number of elements returned",
    history: &[("6.2.0", "Added the `count` argument.")],
    args: &[
        Arg::key(0),
        Arg { name: "count", kind: ArgKind::Integer, optional: true, since: Some("6.2.0"), ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    pop_command(ctx, argv, End::Front, "lpop");
}

/// LPOP and RPOP: one element as a bulk string, or with a count an array of up to that many.
pub fn pop_command(ctx: &mut Ctx<'_>, argv: &[&[u8]], end: End, name: &str) {
    if argv.len() > 3 {
        return ctx.out.error(&format!("ERR wrong number of arguments for '{name}' command"));
    }
    let count = match argv.get(2) {
        Some(arg) => match parse_at_least(ctx.out, arg, 0, "value is out of range, must be positive") {
            Ok(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
            Err(Replied) => return,
        },
        None => None,
    };
    match (pop(ctx, argv[1], end, count.unwrap_or(1), true), count) {
        (Err(Replied), _) => {}
        (Ok(None), Some(_)) => ctx.out.null_array(),
        (Ok(None), None) => ctx.out.null(),
        (Ok(Some(elements)), Some(_)) => reply_elements(ctx.out, &elements),
        (Ok(Some(elements)), None) => match elements.first() {
            Some(element) => ctx.out.bulk(element),
            None => ctx.out.null(),
        },
    }
}
