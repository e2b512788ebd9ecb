//! GEOHASH: Returns members of a geospatial index as standard geohash strings.

use super::common::{KEY_MEMBERS, member_points};
use crate::commands::{Acl, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::geohash::standard_string;

/// GEOHASH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "geohash",
    arity: -2,
    flags: Flags::READONLY,
    acl: Acl::GEO,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Geo,
    since: "3.2.0",
    summary: "Returns members of a geospatial index as standard geohash strings",
    complexity: "O(log(N)) for each member requested, where N is the number of elements in the sorted set.",
    args: KEY_MEMBERS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(points) = member_points(ctx, argv[1], &argv[2..]) else { return };
    ctx.out.array(points.len());
    for point in points {
        match point.and_then(|(long, lat)| standard_string(long, lat)) {
            Some(h) => ctx.out.bulk(h.as_bytes()),
            None => ctx.out.null(),
        }
    }
}
