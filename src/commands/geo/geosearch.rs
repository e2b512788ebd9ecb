//! GEOSEARCH: Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.

use super::search::{COUNT, FROM_BY, ORDER, RADIUS_OPTIONS, Variant, georadius};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// GEOSEARCH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "geosearch",
    arity: -7,
    flags: Flags::READONLY,
    acl: Acl::GEO,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Geo,
    since: "6.2.0",
    summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.",
    complexity: "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape",
    args: &[Arg::key(0), FROM_BY[0], FROM_BY[1], ORDER, COUNT, RADIUS_OPTIONS[0], RADIUS_OPTIONS[1], RADIUS_OPTIONS[2]],
    history: &[("7.0.0", "Added support for uppercase unit names.")],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    georadius(ctx, argv, Variant::Search);
}
