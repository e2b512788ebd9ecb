//! Scripting commands: EVAL and its forms, and the SCRIPT container. The Lua engine is
//! [`crate::scripting`]; running scripts against the server is [`crate::state::script`].

pub mod eval;
pub mod eval_ro;
pub mod evalsha;
pub mod evalsha_ro;
pub mod fcall;
pub mod fcall_ro;
pub mod function;
pub mod script;

use super::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &eval::SPEC,
    &evalsha::SPEC,
    &eval_ro::SPEC,
    &evalsha_ro::SPEC,
    &script::SPEC,
    &fcall::SPEC,
    &fcall_ro::SPEC,
    &function::SPEC,
];

/// What EVAL, EVALSHA and their read-only forms share.
const EVAL_BASE: CommandSpec = CommandSpec {
    arity: -3,
    flags: Flags::NOSCRIPT
        .union(Flags::SKIP_MONITOR)
        .union(Flags::MAY_REPLICATE)
        .union(Flags::NO_MANDATORY_KEYS)
        .union(Flags::STALE),
    acl: Acl::SCRIPTING,
    group: Group::Scripting,
    since: "2.6.0",
    complexity: "Depends on the script that is executed.",
    ..CommandSpec::DEFAULT
};

/// The flags of EVAL_RO and EVALSHA_RO.
const RO_FLAGS: Flags = Flags::NOSCRIPT
    .union(Flags::SKIP_MONITOR)
    .union(Flags::NO_MANDATORY_KEYS)
    .union(Flags::STALE)
    .union(Flags::READONLY);

/// The keys of a script: `numkeys` of them after the script.
const fn script_keys(flags: KeyFlags, notes: Option<&'static str>) -> [KeySpec; 1] {
    [KeySpec {
        flags,
        begin: BeginSearch::Index(2),
        find: FindKeys::Keynum { keynum_idx: 0, first_key: 1, step: 1 },
        notes,
    }]
}

/// EVAL's key spec.
const RW_KEYS: &[KeySpec] = &script_keys(
    KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE),
    Some("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"),
);

/// EVAL_RO's and FCALL_RO's key spec.
const RO_KEYS: &[KeySpec] = &script_keys(
    KeyFlags::RO.union(KeyFlags::ACCESS),
    Some("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"),
);

/// The arguments after the script: `numkeys key... arg...`.
const fn script_args(first: &'static str) -> [Arg; 4] {
    [
        Arg { name: first, ..Arg::DEFAULT },
        Arg { name: "numkeys", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "key", kind: ArgKind::Key(0), optional: true, multiple: true, ..Arg::DEFAULT },
        Arg { name: "arg", optional: true, multiple: true, ..Arg::DEFAULT },
    ]
}
