//! Documented arguments (COMMAND DOCS) that several stream commands share, as Redis 7.0.15's
//! command specs spell them.

use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};

/// `[COUNT count]` (XRANGE, XREVRANGE, XREAD, XREADGROUP, XAUTOCLAIM).
pub const COUNT: Arg =
    Arg { name: "count", kind: ArgKind::Integer, token: Some("COUNT"), optional: true, ..Arg::DEFAULT };

/// `[BLOCK milliseconds]` (XREAD, XREADGROUP).
pub const BLOCK: Arg =
    Arg { name: "milliseconds", kind: ArgKind::Integer, token: Some("BLOCK"), optional: true, ..Arg::DEFAULT };

/// `STREAMS key [key ...] id [id ...]` (XREAD, XREADGROUP).
pub const STREAMS: Arg = Arg {
    name: "streams",
    kind: ArgKind::Block(&[
        Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT },
        Arg { name: "id", multiple: true, ..Arg::DEFAULT },
    ]),
    token: Some("STREAMS"),
    ..Arg::DEFAULT
};

/// `<MAXLEN | MINID> [= | ~] threshold [LIMIT count]` (XTRIM; XADD's is optional).
pub const TRIM: Arg = Arg {
    name: "trim",
    kind: ArgKind::Block(&[
        Arg {
            name: "strategy",
            kind: ArgKind::OneOf(&[
                Arg { name: "maxlen", kind: ArgKind::PureToken, token: Some("MAXLEN"), ..Arg::DEFAULT },
                Arg {
                    name: "minid",
                    kind: ArgKind::PureToken,
                    token: Some("MINID"),
                    since: Some("6.2.0"),
                    ..Arg::DEFAULT
                },
            ]),
            ..Arg::DEFAULT
        },
        Arg {
            name: "operator",
            kind: ArgKind::OneOf(&[
                Arg { name: "equal", kind: ArgKind::PureToken, token: Some("="), ..Arg::DEFAULT },
                Arg { name: "approximately", kind: ArgKind::PureToken, token: Some("~"), ..Arg::DEFAULT },
            ]),
            optional: true,
            ..Arg::DEFAULT
        },
        Arg { name: "threshold", ..Arg::DEFAULT },
        Arg {
            name: "count",
            kind: ArgKind::Integer,
            token: Some("LIMIT"),
            optional: true,
            since: Some("6.2.0"),
            ..Arg::DEFAULT
        },
    ]),
    ..Arg::DEFAULT
};

/// `<id | $>` of XGROUP CREATE and SETID.
pub const GROUP_ID: Arg = Arg {
    name: "id",
    kind: ArgKind::OneOf(&[
        Arg { name: "id", ..Arg::DEFAULT },
        Arg { name: "new_id", kind: ArgKind::PureToken, token: Some("$"), ..Arg::DEFAULT },
    ]),
    ..Arg::DEFAULT
};

/// `[ENTRIESREAD entries_read]` of XGROUP CREATE and SETID.
pub const ENTRIES_READ: Arg =
    Arg { name: "entries_read", kind: ArgKind::Integer, token: Some("ENTRIESREAD"), optional: true, ..Arg::DEFAULT };

/// The spec of XGROUP HELP and XINFO HELP, but for the handler.
pub const HELP: CommandSpec = CommandSpec {
    name: "help",
    arity: 2,
    flags: Flags::LOADING.union(Flags::STALE),
    acl: Acl::STREAM,
    group: Group::Stream,
    since: "5.0.0",
    summary: "Show helpful text about the different subcommands",
    complexity: "O(1)",
    ..CommandSpec::DEFAULT
};
