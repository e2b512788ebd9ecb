//! GEOSEARCHSTORE: Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.

use super::search::{COUNT, FROM_BY, ORDER, Variant, georadius};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// GEOSEARCHSTORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "geosearchstore",
    arity: -8,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::GEO,
    keys: &[
        KeySpec {
            flags: KeyFlags::OW.union(KeyFlags::UPDATE),
            begin: BeginSearch::Index(1),
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        },
        KeySpec {
            flags: KeyFlags::RO.union(KeyFlags::ACCESS),
            begin: BeginSearch::Index(2),
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        },
    ],
    group: Group::Geo,
    since: "6.2.0",
    summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.",
    complexity: "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape",
    args: &[
        Arg { name: "destination", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "source", kind: ArgKind::Key(1), ..Arg::DEFAULT },
        FROM_BY[0],
        FROM_BY[1],
        ORDER,
        COUNT,
        Arg { name: "storedist", kind: ArgKind::PureToken, token: Some("STOREDIST"), optional: true, ..Arg::DEFAULT },
    ],
    history: &[("7.0.0", "Added support for uppercase unit names.")],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    georadius(ctx, argv, Variant::SearchStore);
}
