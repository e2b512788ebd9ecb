//! GEOPOS: Returns longitude and latitude of members of a geospatial index.

use super::common::{KEY_MEMBERS, member_points, reply_coordinate};
use crate::commands::{Acl, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// GEOPOS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "geopos",
    arity: -2,
    flags: Flags::READONLY,
    acl: Acl::GEO,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Geo,
    since: "3.2.0",
    summary: "Returns longitude and latitude of members of a geospatial index",
    complexity: "O(N) where N is the number of members requested.",
    args: KEY_MEMBERS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(points) = member_points(ctx, argv[1], &argv[2..]) else { return };
    ctx.out.array(points.len());
    for point in points {
        match point {
            Some((long, lat)) => {
                ctx.out.array(2);
                reply_coordinate(ctx.out, long);
                reply_coordinate(ctx.out, lat);
            }
            None => ctx.out.null_array(),
        }
    }
}
