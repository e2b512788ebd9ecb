//! GEODIST: Returns the distance between two members of a geospatial index.

use super::common::{UNIT, lookup_read, member_point, parse_unit, peek_zset, reply_distance};
use crate::commands::errors::SYNTAX;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::geohash::distance;

/// GEODIST.
pub const SPEC: CommandSpec = CommandSpec {
    name: "geodist",
    arity: -4,
    flags: Flags::READONLY,
    acl: Acl::GEO,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Geo,
    since: "3.2.0",
    summary: "Returns the distance between two members of a geospatial index",
    complexity: "O(log(N))",
    args: &[
        Arg::key(0),
        Arg { name: "member1", ..Arg::DEFAULT },
        Arg { name: "member2", ..Arg::DEFAULT },
        Arg { optional: true, ..UNIT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let to_meters = match argv.len() {
        4 => 1.0,
        5 => match parse_unit(argv[4]) {
            Ok(unit) => unit,
            Err(e) => return ctx.out.error(e),
        },
        _ => return ctx.out.error(SYNTAX),
    };
    match lookup_read(ctx, argv[1]) {
        Err(_) => return,
        Ok(false) => return ctx.out.null(),
        Ok(true) => {}
    }
    let points = match peek_zset(ctx, argv[1]) {
        Ok(Some(zset)) => member_point(zset, argv[2]).zip(member_point(zset, argv[3])),
        _ => None,
    };
    match points {
        Some(((x1, y1), (x2, y2))) => reply_distance(ctx.out, distance(x1, y1, x2, y2) / to_meters),
        None => ctx.out.null(),
    }
}
