//! LASTSAVE: the Unix time of the last successful save.

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// LASTSAVE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lastsave",
    arity: 1,
    flags: Flags::LOADING.union(Flags::STALE).union(Flags::FAST),
    acl: Acl::ADMIN.union(Acl::DANGEROUS),
    group: Group::Server,
    summary: "Get the UNIX time stamp of the last successful save to disk",
    complexity: "O(1)",
    tips: &["nondeterministic_output"],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.int(i64::try_from(ctx.server.saves.last_save).unwrap_or(i64::MAX));
}
