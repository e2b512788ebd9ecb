//! GEORADIUS_RO: A read-only variant for GEORADIUS

use super::search::{POINT_ARGS, RADIUS_COMPLEXITY, Variant, georadius};
use crate::commands::{Acl, CommandSpec, DocFlags, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// GEORADIUS_RO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "georadius_ro",
    arity: -6,
    flags: Flags::READONLY,
    acl: Acl::GEO,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Geo,
    since: "3.2.10",
    summary: "A read-only variant for GEORADIUS",
    complexity: RADIUS_COMPLEXITY,
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`GEOSEARCH` with the `BYRADIUS` argument"),
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    args: &POINT_ARGS,
    history: &[("6.2.0", "Added the `ANY` option for `COUNT`.")],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    georadius(ctx, argv, Variant::RadiusRo);
}
