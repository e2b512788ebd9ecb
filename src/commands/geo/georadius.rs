//! GEORADIUS: Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point

use super::search::{POINT_ARGS, RADIUS_COMPLEXITY, STORE_ARGS, Variant, georadius, join, store_keys};
use crate::commands::{Acl, CommandSpec, DocFlags, Flags, Group};
use crate::state::Ctx;

/// GEORADIUS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "georadius",
    arity: -6,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::GEO,
    keys: &store_keys(6),
    group: Group::Geo,
    since: "3.2.0",
    summary: "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point",
    complexity: RADIUS_COMPLEXITY,
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument"),
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    args: &join::<12>(&POINT_ARGS, STORE_ARGS),
    history: &[("6.2.0", "Added the `ANY` option for `COUNT`."), ("7.0.0", "Added support for uppercase unit names.")],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    georadius(ctx, argv, Variant::Radius);
}
