//! ZMPOP: Remove and return members with scores in a sorted set.

use super::common::{PopForm, PopOutcome, PopShape, parse_mpop, pop_first};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// ZMPOP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zmpop",
    arity: -4,
    flags: Flags::WRITE.union(Flags::MOVABLE_KEYS),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec {
        flags: KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE),
        begin: BeginSearch::Index(1),
        find: FindKeys::Keynum { keynum_idx: 0, first_key: 1, step: 1 },
        notes: None,
    }],
    group: Group::SortedSet,
    since: "7.0.0",
    summary: "Remove and return members with scores in a sorted set",
    complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    args: MPOP_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

/// The arguments of ZMPOP (BZMPOP takes a timeout before them).
pub const MPOP_ARGS: &[Arg] = &[NUMKEYS, KEYS, MIN_MAX, COUNT];
const NUMKEYS: Arg = Arg { name: "numkeys", kind: ArgKind::Integer, ..Arg::DEFAULT };
const KEYS: Arg = Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT };
const MIN_MAX: Arg = Arg {
    name: "where",
    kind: ArgKind::OneOf(&[
        Arg { name: "min", kind: ArgKind::PureToken, token: Some("MIN"), ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgKind::PureToken, token: Some("MAX"), ..Arg::DEFAULT },
    ]),
    ..Arg::DEFAULT
};
const COUNT: Arg = Arg { name: "count", kind: ArgKind::Integer, token: Some("COUNT"), optional: true, ..Arg::DEFAULT };
/// The arguments of BZMPOP.
pub const BLOCKING_MPOP_ARGS: &[Arg] =
    &[Arg { name: "timeout", kind: ArgKind::Double, ..Arg::DEFAULT }, NUMKEYS, KEYS, MIN_MAX, COUNT];

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(request) = parse_mpop(ctx.out, argv, 1) else { return };
    let shape = PopShape { emit_key: true, nested: true };
    if pop_first(ctx, request.keys, request.end, Some(request.count), shape, PopForm::Count) == PopOutcome::NothingToPop
    {
        ctx.out.null_array();
    }
}
