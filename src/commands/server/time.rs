//! TIME

use std::time::{SystemTime, UNIX_EPOCH};

use crate::commands::{CommandSpec, Flags, Group};
use crate::state::Ctx;

/// TIME.
pub const SPEC: CommandSpec = CommandSpec {
    name: "time",
    arity: 1,
    flags: Flags::LOADING.union(Flags::STALE).union(Flags::FAST),
    group: Group::Server,
    since: "2.6.0",
    summary: "Return the current server time",
    complexity: "O(1)",
    tips: &["nondeterministic_output"],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    ctx.out.array(2);
    ctx.out.bulk_int(now.as_secs() as i64);
    ctx.out.bulk_int(i64::from(now.subsec_micros()));
}
