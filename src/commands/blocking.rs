//! What the blocking commands of every type share (BLPOP and friends, BZPOPMIN and friends).

use super::errors::Replied;
use super::{Arg, ArgKind, BeginSearch, FindKeys, KeyFlags, KeySpec};
use crate::protocol::Reply;
use crate::state::{BlockTimeout, Ctx};

/// Parses a blocking command's timeout in seconds, replying Redis's error when it is invalid.
pub fn parse_timeout(out: &mut Reply, arg: &[u8]) -> Result<BlockTimeout, Replied> {
    BlockTimeout::parse(arg).map_err(|msg| {
        out.error(msg);
        Replied
    })
}

/// The key spec of BLPOP, BRPOP, BZPOPMIN and BZPOPMAX: every argument but the last.
pub const KEYS_THEN_TIMEOUT: &[KeySpec] = &[KeySpec {
    flags: KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE),
    begin: BeginSearch::Index(1),
    find: FindKeys::Range { last_key: -2, step: 1, limit: 0 },
    notes: None,
}];

/// The arguments of BLPOP, BRPOP, BZPOPMIN and BZPOPMAX.
pub const KEYS_AND_TIMEOUT: &[Arg] = &[
    Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT },
    Arg { name: "timeout", kind: ArgKind::Double, ..Arg::DEFAULT },
];

/// The history of the blocking commands older than 6.0.
pub const TIMEOUT_HISTORY: &[(&str, &str)] =
    &[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")];

/// Whether the running command is a blocked client's command run again because a key it waits
/// on became ready (Redis's `serveClientsBlockedOn*Key`), rather than a fresh request: Redis 7.0
/// counts and propagates some of those differently.
pub fn serving_blocked(ctx: &Ctx<'_>) -> bool {
    ctx.client.blocked.is_some()
}
