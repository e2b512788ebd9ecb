//! GEOADD: Add one or more geospatial items in the geospatial index represented using a sorted
//! set.

use super::common::parse_point;
use crate::commands::errors::SYNTAX;
use crate::commands::zset::zadd::add;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::geohash::point_to_score;
use crate::types::zset::AddFlags;

/// GEOADD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "geoadd",
    arity: -5,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::GEO,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::Geo,
    since: "3.2.0",
    summary: "Add one or more geospatial items in the geospatial index represented using a sorted set",
    complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
    history: &[("6.2.0", "Added the `CH`, `NX` and `XX` options.")],
    args: &[
        Arg::key(0),
        Arg {
            name: "condition",
            kind: ArgKind::OneOf(&[
                Arg { name: "nx", kind: ArgKind::PureToken, token: Some("NX"), ..Arg::DEFAULT },
                Arg { name: "xx", kind: ArgKind::PureToken, token: Some("XX"), ..Arg::DEFAULT },
            ]),
            optional: true,
            since: Some("6.2.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "change",
            kind: ArgKind::PureToken,
            token: Some("CH"),
            optional: true,
            since: Some("6.2.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "longitude_latitude_member",
            kind: ArgKind::Block(&[
                Arg { name: "longitude", kind: ArgKind::Double, ..Arg::DEFAULT },
                Arg { name: "latitude", kind: ArgKind::Double, ..Arg::DEFAULT },
                Arg { name: "member", ..Arg::DEFAULT },
            ]),
            multiple: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// As Redis does, GEOADD turns into ZADD with each point's 52-bit geohash as its score, and is
/// propagated as that ZADD when it changed something.
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mut flags = AddFlags::default();
    let mut ch = false;
    let mut at = 2;
    while let Some(option) = argv.get(at) {
        match option.to_ascii_lowercase().as_slice() {
            b"nx" => flags.nx = true,
            b"xx" => flags.xx = true,
            b"ch" => ch = true,
            _ => break,
        }
        at += 1;
    }
    if (argv.len() - at) % 3 != 0 || (flags.nx && flags.xx) {
        return ctx.out.error(SYNTAX);
    }
    let mut scores = Vec::with_capacity((argv.len() - at) / 3);
    for triple in argv[at..].chunks(3) {
        match parse_point(triple[0], triple[1]) {
            Ok((long, lat)) => scores.push(point_to_score(long, lat).unwrap_or(0).to_string()),
            Err(e) => return ctx.out.error(&e),
        }
    }
    let mut zadd: Vec<&[u8]> = vec![b"zadd"];
    zadd.extend_from_slice(&argv[1..at]);
    for (score, triple) in scores.iter().zip(argv[at..].chunks(3)) {
        zadd.push(score.as_bytes());
        zadd.push(triple[2]);
    }
    let dirty = ctx.server.dirty;
    add(ctx, argv[1], &zadd[at..], flags, ch);
    // A replacement form is propagated whatever happened, so only set it after a change.
    if ctx.server.dirty != dirty {
        ctx.propagate_as(&zadd);
    }
}
