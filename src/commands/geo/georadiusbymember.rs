//! GEORADIUSBYMEMBER: Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member

use super::search::{MEMBER_ARGS, RADIUS_COMPLEXITY, STORE_ARGS, Variant, georadius, join, store_keys};
use crate::commands::{Acl, CommandSpec, DocFlags, Flags, Group};
use crate::state::Ctx;

/// GEORADIUSBYMEMBER.
pub const SPEC: CommandSpec = CommandSpec {
    name: "georadiusbymember",
    arity: -5,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::GEO,
    keys: &store_keys(5),
    group: Group::Geo,
    since: "3.2.0",
    summary: "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member",
    complexity: RADIUS_COMPLEXITY,
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments"),
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    args: &join::<11>(&MEMBER_ARGS, STORE_ARGS),
    history: &[("7.0.0", "Added support for uppercase unit names.")],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    georadius(ctx, argv, Variant::ByMember);
}
