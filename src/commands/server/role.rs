//! ROLE: this server's replication role. rkv has no replication yet, so it is always a primary
//! at offset 0 with no replicas, as an idle Redis primary answers.

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// ROLE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "role",
    arity: 1,
    flags: Flags::NOSCRIPT.union(Flags::LOADING).union(Flags::STALE).union(Flags::FAST),
    acl: Acl::ADMIN.union(Acl::DANGEROUS),
    group: Group::Server,
    since: "2.8.12",
    summary: "Return the role of the instance in the context of replication",
    complexity: "O(1)",
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.array(3);
    ctx.out.bulk(b"master");
    ctx.out.int(0);
    ctx.out.array(0);
}
