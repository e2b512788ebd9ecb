//! GEORADIUSBYMEMBER_RO: A read-only variant for GEORADIUSBYMEMBER

use super::search::{MEMBER_ARGS, RADIUS_COMPLEXITY, Variant, georadius};
use crate::commands::{Acl, CommandSpec, DocFlags, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// GEORADIUSBYMEMBER_RO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "georadiusbymember_ro",
    arity: -5,
    flags: Flags::READONLY,
    acl: Acl::GEO,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Geo,
    since: "3.2.10",
    summary: "A read-only variant for GEORADIUSBYMEMBER",
    complexity: RADIUS_COMPLEXITY,
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments"),
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    args: &MEMBER_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    georadius(ctx, argv, Variant::ByMemberRo);
}
