//! Declarative command specifications.
//!
//! One [`CommandSpec`] per command (and per subcommand) is the single source of truth for
//! dispatch, arity checks, `COMMAND INFO/DOCS/LIST/GETKEYS` and ACL categories. Specs are `const`
//! items built with struct-update syntax from [`CommandSpec::DEFAULT`] so a command names only what
//! differs.

use super::keys::KeyRef;
use crate::state::Ctx;

/// A command implementation: runs to completion on the executor thread and writes its reply.
pub type Handler = fn(&mut Ctx<'_>, &[&[u8]]);

/// A command's own key finder (Redis's `getkeys_proc`), for commands whose key specs are
/// incomplete or whose key flags depend on the arguments. Returns no keys for invalid arguments.
pub type GetKeys = fn(&[&[u8]]) -> Vec<KeyRef>;

/// Command flags, as listed by `COMMAND INFO`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Flags(pub u32);

impl Flags {
    /// No flags.
    pub const NONE: Flags = Flags(0);
    /// May modify the keyspace.
    pub const WRITE: Flags = Flags(1 << 0);
    /// Only reads the keyspace.
    pub const READONLY: Flags = Flags(1 << 1);
    /// May grow memory; refused when over `maxmemory`.
    pub const DENYOOM: Flags = Flags(1 << 2);
    /// Administrative command.
    pub const ADMIN: Flags = Flags(1 << 3);
    /// Pub/sub related.
    pub const PUBSUB: Flags = Flags(1 << 4);
    /// Not allowed from scripts.
    pub const NOSCRIPT: Flags = Flags(1 << 5);
    /// May block the client.
    pub const BLOCKING: Flags = Flags(1 << 6);
    /// Allowed while loading the dataset.
    pub const LOADING: Flags = Flags(1 << 7);
    /// Allowed on a replica with stale data.
    pub const STALE: Flags = Flags(1 << 8);
    /// Not shown in MONITOR.
    pub const SKIP_MONITOR: Flags = Flags(1 << 9);
    /// Not logged in SLOWLOG.
    pub const SKIP_SLOWLOG: Flags = Flags(1 << 10);
    /// Allowed on an importing slot after ASKING.
    pub const ASKING: Flags = Flags(1 << 11);
    /// O(1) or O(log N) and never blocks.
    pub const FAST: Flags = Flags(1 << 12);
    /// Allowed before authentication.
    pub const NO_AUTH: Flags = Flags(1 << 13);
    /// May replicate even though it is not a write (hidden from COMMAND INFO).
    pub const MAY_REPLICATE: Flags = Flags(1 << 14);
    /// Keys are optional.
    pub const NO_MANDATORY_KEYS: Flags = Flags(1 << 15);
    /// Refused while the replica loads asynchronously.
    pub const NO_ASYNC_LOADING: Flags = Flags(1 << 16);
    /// Not allowed inside MULTI.
    pub const NO_MULTI: Flags = Flags(1 << 17);
    /// Key positions depend on the arguments.
    pub const MOVABLE_KEYS: Flags = Flags(1 << 18);
    /// Allowed while a script or function is busy.
    pub const ALLOW_BUSY: Flags = Flags(1 << 19);
    /// Gated by `enable-debug-command`/`enable-protected-configs` (hidden from COMMAND INFO).
    pub const PROTECTED: Flags = Flags(1 << 20);
    /// May expire arbitrary keys as it walks (SCAN, RANDOMKEY): the deletions it propagates are
    /// not wrapped in MULTI/EXEC (hidden from COMMAND INFO).
    pub const TOUCHES_ARBITRARY_KEYS: Flags = Flags(1 << 21);

    /// Names shown by `COMMAND INFO`, in Redis's order; hidden flags are absent.
    pub const NAMES: &'static [(Flags, &'static str)] = &[
        (Flags::WRITE, "write"),
        (Flags::READONLY, "readonly"),
        (Flags::DENYOOM, "denyoom"),
        (Flags::ADMIN, "admin"),
        (Flags::PUBSUB, "pubsub"),
        (Flags::NOSCRIPT, "noscript"),
        (Flags::BLOCKING, "blocking"),
        (Flags::LOADING, "loading"),
        (Flags::STALE, "stale"),
        (Flags::SKIP_MONITOR, "skip_monitor"),
        (Flags::SKIP_SLOWLOG, "skip_slowlog"),
        (Flags::ASKING, "asking"),
        (Flags::FAST, "fast"),
        (Flags::NO_AUTH, "no_auth"),
        (Flags::NO_MANDATORY_KEYS, "no_mandatory_keys"),
        (Flags::NO_ASYNC_LOADING, "no_async_loading"),
        (Flags::NO_MULTI, "no_multi"),
        (Flags::MOVABLE_KEYS, "movablekeys"),
        (Flags::ALLOW_BUSY, "allow_busy"),
    ];

    /// Both sets of flags.
    pub const fn union(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }

    /// Whether every flag of `other` is set.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any flag of `other` is set.
    pub const fn intersects(self, other: Flags) -> bool {
        self.0 & other.0 != 0
    }

    /// These flags but those of `other`.
    pub const fn without(self, other: Flags) -> Flags {
        Flags(self.0 & !other.0)
    }

    /// Every flag not in these.
    pub const fn complement(self) -> Flags {
        Flags(!self.0)
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        self.union(rhs)
    }
}

/// ACL categories (`@read`, `@string`…). Implicit ones (read, write, admin, dangerous, fast, slow,
/// pubsub, blocking) are derived from [`Flags`] by [`CommandSpec::acl_categories`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Acl(pub u32);

impl Acl {
    /// No explicit category.
    pub const NONE: Acl = Acl(0);
    /// `@keyspace`.
    pub const KEYSPACE: Acl = Acl(1 << 0);
    /// `@read`.
    pub const READ: Acl = Acl(1 << 1);
    /// `@write`.
    pub const WRITE: Acl = Acl(1 << 2);
    /// `@set`.
    pub const SET: Acl = Acl(1 << 3);
    /// `@sortedset`.
    pub const SORTEDSET: Acl = Acl(1 << 4);
    /// `@list`.
    pub const LIST: Acl = Acl(1 << 5);
    /// `@hash`.
    pub const HASH: Acl = Acl(1 << 6);
    /// `@string`.
    pub const STRING: Acl = Acl(1 << 7);
    /// `@bitmap`.
    pub const BITMAP: Acl = Acl(1 << 8);
    /// `@hyperloglog`.
    pub const HYPERLOGLOG: Acl = Acl(1 << 9);
    /// `@geo`.
    pub const GEO: Acl = Acl(1 << 10);
    /// `@stream`.
    pub const STREAM: Acl = Acl(1 << 11);
    /// `@pubsub`.
    pub const PUBSUB: Acl = Acl(1 << 12);
    /// `@admin`.
    pub const ADMIN: Acl = Acl(1 << 13);
    /// `@fast`.
    pub const FAST: Acl = Acl(1 << 14);
    /// `@slow`.
    pub const SLOW: Acl = Acl(1 << 15);
    /// `@blocking`.
    pub const BLOCKING: Acl = Acl(1 << 16);
    /// `@dangerous`.
    pub const DANGEROUS: Acl = Acl(1 << 17);
    /// `@connection`.
    pub const CONNECTION: Acl = Acl(1 << 18);
    /// `@transaction`.
    pub const TRANSACTION: Acl = Acl(1 << 19);
    /// `@scripting`.
    pub const SCRIPTING: Acl = Acl(1 << 20);

    /// Category names in Redis's order (as `COMMAND INFO` and `ACL CAT` list them).
    pub const NAMES: &'static [(Acl, &'static str)] = &[
        (Acl::KEYSPACE, "keyspace"),
        (Acl::READ, "read"),
        (Acl::WRITE, "write"),
        (Acl::SET, "set"),
        (Acl::SORTEDSET, "sortedset"),
        (Acl::LIST, "list"),
        (Acl::HASH, "hash"),
        (Acl::STRING, "string"),
        (Acl::BITMAP, "bitmap"),
        (Acl::HYPERLOGLOG, "hyperloglog"),
        (Acl::GEO, "geo"),
        (Acl::STREAM, "stream"),
        (Acl::PUBSUB, "pubsub"),
        (Acl::ADMIN, "admin"),
        (Acl::FAST, "fast"),
        (Acl::SLOW, "slow"),
        (Acl::BLOCKING, "blocking"),
        (Acl::DANGEROUS, "dangerous"),
        (Acl::CONNECTION, "connection"),
        (Acl::TRANSACTION, "transaction"),
        (Acl::SCRIPTING, "scripting"),
    ];

    /// Both sets of categories.
    pub const fn union(self, other: Acl) -> Acl {
        Acl(self.0 | other.0)
    }

    /// Whether every category of `other` is set.
    pub const fn contains(self, other: Acl) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for Acl {
    type Output = Acl;
    fn bitor(self, rhs: Acl) -> Acl {
        self.union(rhs)
    }
}

/// The command group shown by `COMMAND DOCS` and used by `COMMAND LIST FILTERBY ACLCAT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Keys of any type.
    Generic,
    /// Strings.
    String,
    /// Lists.
    List,
    /// Sets.
    Set,
    /// Sorted sets.
    SortedSet,
    /// Hashes.
    Hash,
    /// Pub/sub.
    Pubsub,
    /// MULTI/EXEC.
    Transactions,
    /// Connection management.
    Connection,
    /// Server management.
    Server,
    /// Lua scripts and functions.
    Scripting,
    /// HyperLogLog.
    Hyperloglog,
    /// Cluster.
    Cluster,
    /// Sentinel.
    Sentinel,
    /// Geospatial indexes.
    Geo,
    /// Streams.
    Stream,
    /// Bitmaps.
    Bitmap,
}

impl Group {
    /// The name Redis uses (`sorted-set`, `generic`…).
    pub fn name(self) -> &'static str {
        match self {
            Group::Generic => "generic",
            Group::String => "string",
            Group::List => "list",
            Group::Set => "set",
            Group::SortedSet => "sorted-set",
            Group::Hash => "hash",
            Group::Pubsub => "pubsub",
            Group::Transactions => "transactions",
            Group::Connection => "connection",
            Group::Server => "server",
            Group::Scripting => "scripting",
            Group::Hyperloglog => "hyperloglog",
            Group::Cluster => "cluster",
            Group::Sentinel => "sentinel",
            Group::Geo => "geo",
            Group::Stream => "stream",
            Group::Bitmap => "bitmap",
        }
    }
}

/// Key-spec flags (`RO`, `RW`, `OW`, `RM`, `ACCESS`, `UPDATE`, `INSERT`, `DELETE`…).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct KeyFlags(pub u16);

impl KeyFlags {
    /// Read only.
    pub const RO: KeyFlags = KeyFlags(1 << 0);
    /// Read and write.
    pub const RW: KeyFlags = KeyFlags(1 << 1);
    /// Overwrite.
    pub const OW: KeyFlags = KeyFlags(1 << 2);
    /// Remove.
    pub const RM: KeyFlags = KeyFlags(1 << 3);
    /// Returns or exposes user data.
    pub const ACCESS: KeyFlags = KeyFlags(1 << 4);
    /// Updates data.
    pub const UPDATE: KeyFlags = KeyFlags(1 << 5);
    /// Adds data.
    pub const INSERT: KeyFlags = KeyFlags(1 << 6);
    /// Deletes data.
    pub const DELETE: KeyFlags = KeyFlags(1 << 7);
    /// Not a key (a channel, say).
    pub const NOT_KEY: KeyFlags = KeyFlags(1 << 8);
    /// The spec may miss keys.
    pub const INCOMPLETE: KeyFlags = KeyFlags(1 << 9);
    /// Flags vary with the arguments.
    pub const VARIABLE_FLAGS: KeyFlags = KeyFlags(1 << 10);

    /// Names in Redis's order.
    pub const NAMES: &'static [(KeyFlags, &'static str)] = &[
        (KeyFlags::RO, "RO"),
        (KeyFlags::RW, "RW"),
        (KeyFlags::OW, "OW"),
        (KeyFlags::RM, "RM"),
        (KeyFlags::ACCESS, "access"),
        (KeyFlags::UPDATE, "update"),
        (KeyFlags::INSERT, "insert"),
        (KeyFlags::DELETE, "delete"),
        (KeyFlags::NOT_KEY, "not_key"),
        (KeyFlags::INCOMPLETE, "incomplete"),
        (KeyFlags::VARIABLE_FLAGS, "variable_flags"),
    ];

    /// Both sets of flags.
    pub const fn union(self, other: KeyFlags) -> KeyFlags {
        KeyFlags(self.0 | other.0)
    }

    /// Whether every flag of `other` is set.
    pub const fn contains(self, other: KeyFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for KeyFlags {
    type Output = KeyFlags;
    fn bitor(self, rhs: KeyFlags) -> KeyFlags {
        self.union(rhs)
    }
}

/// Where the search for keys starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BeginSearch {
    /// At a fixed argument index.
    Index(i32),
    /// After a keyword, searched from `start_from` (negative: from the end, backwards).
    Keyword {
        /// The keyword, e.g. `STREAMS`.
        keyword: &'static str,
        /// Where the search starts.
        start_from: i32,
    },
    /// Cannot be described.
    Unknown,
}

/// How keys are found once the search began.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindKeys {
    /// A range: `last_key` relative to the start (-1 = the last argument), every `step`, and with
    /// `limit` > 1, only the first 1/limit of the remaining arguments.
    Range {
        /// Last key, relative to the begin index (negative counts from the end).
        last_key: i32,
        /// Distance between keys.
        step: i32,
        /// Divisor of the remaining arguments (0 = no limit).
        limit: i32,
    },
    /// A count argument followed by keys.
    Keynum {
        /// Index of the count, relative to the begin index.
        keynum_idx: i32,
        /// First key, relative to the begin index.
        first_key: i32,
        /// Distance between keys.
        step: i32,
    },
    /// Cannot be described.
    Unknown,
}

/// One key specification of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    /// Flags describing access to these keys.
    pub flags: KeyFlags,
    /// Where the search starts.
    pub begin: BeginSearch,
    /// How keys are found.
    pub find: FindKeys,
    /// Optional note shown by COMMAND DOCS/INFO.
    pub notes: Option<&'static str>,
}

impl KeySpec {
    /// The common single-key spec at argument 1.
    pub const fn single(flags: KeyFlags) -> KeySpec {
        KeySpec {
            flags,
            begin: BeginSearch::Index(1),
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        }
    }
}

/// The type of a documented argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A floating point number.
    Double,
    /// A key; the index of its key spec.
    Key(usize),
    /// A glob pattern.
    Pattern,
    /// A pattern naming keys (SORT's BY and GET); the index of its key spec.
    KeyPattern(usize),
    /// A Unix time.
    UnixTime,
    /// A token with no value.
    PureToken,
    /// Exactly one of the nested arguments.
    OneOf(&'static [Arg]),
    /// All of the nested arguments, in order.
    Block(&'static [Arg]),
}

impl ArgKind {
    /// The name COMMAND DOCS uses.
    pub fn name(self) -> &'static str {
        match self {
            ArgKind::String => "string",
            ArgKind::Integer => "integer",
            ArgKind::Double => "double",
            ArgKind::Key(_) => "key",
            ArgKind::Pattern | ArgKind::KeyPattern(_) => "pattern",
            ArgKind::UnixTime => "unix-time",
            ArgKind::PureToken => "pure-token",
            ArgKind::OneOf(_) => "oneof",
            ArgKind::Block(_) => "block",
        }
    }
}

/// A documented argument (drives `COMMAND DOCS`, which redis-cli uses for hints).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arg {
    /// Argument name.
    pub name: &'static str,
    /// Its type.
    pub kind: ArgKind,
    /// A token that precedes it (e.g. `EX`).
    pub token: Option<&'static str>,
    /// May be omitted.
    pub optional: bool,
    /// May repeat.
    pub multiple: bool,
    /// The token repeats with each value.
    pub multiple_token: bool,
    /// Version that added it.
    pub since: Option<&'static str>,
    /// Short description.
    pub summary: Option<&'static str>,
    /// Version that deprecated it.
    pub deprecated_since: Option<&'static str>,
    /// Text shown instead of the name.
    pub display: Option<&'static str>,
}

impl Arg {
    /// The usual `key` argument, using key spec `index`.
    pub const fn key(index: usize) -> Arg {
        Arg { name: "key", kind: ArgKind::Key(index), ..Arg::DEFAULT }
    }

    /// A required string argument named "", to build from with struct-update syntax.
    pub const DEFAULT: Arg = Arg {
        name: "",
        kind: ArgKind::String,
        token: None,
        optional: false,
        multiple: false,
        multiple_token: false,
        since: None,
        summary: None,
        deprecated_since: None,
        display: None,
    };
}

/// Documentation flags of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct DocFlags {
    /// Deprecated command.
    pub deprecated: bool,
    /// System command, not for users.
    pub syscmd: bool,
}

/// The full specification of a command or subcommand.
#[derive(Clone, Copy, Debug)]
pub struct CommandSpec {
    /// Lowercase name (for a subcommand, its own name without the container's).
    pub name: &'static str,
    /// Arity: positive = exact argument count (name included), negative = at least |arity|.
    pub arity: i32,
    /// Flags.
    pub flags: Flags,
    /// Explicit ACL categories (implicit ones come from the flags).
    pub acl: Acl,
    /// Key specifications.
    pub keys: &'static [KeySpec],
    /// Group.
    pub group: Group,
    /// Version that added it.
    pub since: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Time complexity.
    pub complexity: &'static str,
    /// Documentation flags.
    pub doc_flags: DocFlags,
    /// Version that deprecated it.
    pub deprecated_since: Option<&'static str>,
    /// Replacement for a deprecated command.
    pub replaced_by: Option<&'static str>,
    /// `(version, change)` history entries.
    pub history: &'static [(&'static str, &'static str)],
    /// Command tips (`nondeterministic_output`, `request_policy:all_shards`…).
    pub tips: &'static [&'static str],
    /// Documented arguments.
    pub args: &'static [Arg],
    /// Subcommands of a container command.
    pub subcommands: &'static [&'static CommandSpec],
    /// Key finder used instead of the key specs when they cannot tell (see [`GetKeys`]).
    pub getkeys: Option<GetKeys>,
    /// The implementation (unused for containers, which dispatch to subcommands).
    pub handler: Handler,
}

fn container_handler(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    // Dispatch resolves subcommands before calling a handler; reaching here is a table bug, so
    // answer rather than panic.
    ctx.out.error("ERR container command called without a subcommand");
}

impl CommandSpec {
    /// A placeholder to build specs from with struct-update syntax.
    pub const DEFAULT: CommandSpec = CommandSpec {
        name: "",
        arity: 1,
        flags: Flags::NONE,
        acl: Acl::NONE,
        keys: &[],
        group: Group::Generic,
        since: "1.0.0",
        summary: "",
        complexity: "",
        doc_flags: DocFlags { deprecated: false, syscmd: false },
        deprecated_since: None,
        replaced_by: None,
        history: &[],
        tips: &[],
        args: &[],
        subcommands: &[],
        getkeys: None,
        handler: container_handler,
    };

    /// What every container's HELP subcommand shares (CONFIG HELP, MODULE HELP…); each names
    /// its handler.
    pub const HELP: CommandSpec = CommandSpec {
        name: "help",
        arity: 2,
        flags: Flags::LOADING.union(Flags::STALE),
        group: Group::Server,
        since: "5.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        ..CommandSpec::DEFAULT
    };

    /// Whether the argument count `argc` (command name included) satisfies the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i64;
        let arity = i64::from(self.arity);
        if arity >= 0 { argc == arity } else { argc >= -arity }
    }

    /// Whether this is a container of subcommands.
    pub fn is_container(&self) -> bool {
        !self.subcommands.is_empty()
    }

    /// Explicit categories plus those Redis derives from the flags.
    pub fn acl_categories(&self) -> Acl {
        let mut acl = self.acl;
        if self.flags.contains(Flags::WRITE) {
            acl = acl | Acl::WRITE;
        }
        if self.flags.contains(Flags::READONLY) && !acl.contains(Acl::SCRIPTING) {
            acl = acl | Acl::READ;
        }
        if self.flags.contains(Flags::ADMIN) {
            acl = acl | Acl::ADMIN | Acl::DANGEROUS;
        }
        if self.flags.contains(Flags::PUBSUB) {
            acl = acl | Acl::PUBSUB;
        }
        if self.flags.contains(Flags::FAST) {
            acl = acl | Acl::FAST;
        }
        if self.flags.contains(Flags::BLOCKING) {
            acl = acl | Acl::BLOCKING;
        }
        if !acl.contains(Acl::FAST) {
            acl = acl | Acl::SLOW;
        }
        acl
    }

    /// Legacy (first key, last key, step) triple derived from the key specs, as `COMMAND INFO`
    /// reports it (a negative last key counts from the end).
    pub fn legacy_key_range(&self) -> (i32, i32, i32) {
        self.legacy_analysis().0
    }

    /// Whether Redis marks the command `movablekeys`: its keys cannot all be described by the
    /// legacy range (keyword or keynum specs, steps other than 1, gaps, incomplete specs).
    pub fn movable_keys(&self) -> bool {
        self.flags.contains(Flags::MOVABLE_KEYS) || self.legacy_analysis().1
    }

    /// The flags `COMMAND INFO` shows: the declared ones plus the derived `movablekeys`.
    pub fn info_flags(&self) -> Flags {
        if self.movable_keys() { self.flags | Flags::MOVABLE_KEYS } else { self.flags }
    }

    /// Redis's derivation of the legacy range: a lone index/range spec is taken as is (step
    /// included); otherwise consecutive index/range specs with step 1 are merged and every other
    /// spec makes the keys movable.
    fn legacy_analysis(&self) -> ((i32, i32, i32), bool) {
        let plain = |ks: &KeySpec| match (ks.begin, ks.find) {
            (BeginSearch::Index(pos), FindKeys::Range { last_key, step, .. }) => Some((pos, last_key, step)),
            _ => None,
        };
        // Range specs count the last key from the begin index; the legacy triple is absolute.
        let absolute = |pos: i32, last_key: i32| if last_key >= 0 { pos + last_key } else { last_key };
        if let [only] = self.keys {
            if let Some((pos, last_key, step)) = plain(only) {
                return ((pos, absolute(pos, last_key), step), only.flags.contains(KeyFlags::INCOMPLETE));
            }
        }
        let mut movable = false;
        let mut first: Option<i32> = None;
        let mut last = 0i32;
        for ks in self.keys {
            let Some((pos, last_key, step)) = plain(ks) else {
                movable = true;
                continue;
            };
            if step != 1 || (last != 0 && last != pos - 1) {
                movable = true;
                continue;
            }
            movable |= ks.flags.contains(KeyFlags::INCOMPLETE);
            first = Some(first.map_or(pos, |f| f.min(pos)));
            let this_last = absolute(pos, last_key);
            // Compared as unsigned like Redis, so a count-from-the-end last key wins.
            if (this_last as u32) > (last as u32) {
                last = this_last;
            }
        }
        match first {
            Some(first) => ((first, last, 1), movable),
            None => ((0, 0, 0), movable),
        }
    }
}

/// Checks a container's subcommands against `COMMAND INFO` rows: name, arity, flags, ACL
/// categories, tips (and that each belongs to `group`); the command groups' spec tests share it.
#[cfg(test)]
pub(crate) fn check_subcommands(container: &CommandSpec, group: Group, rows: &[(&str, i32, &str, &str, &str)]) {
    assert_eq!(container.subcommands.len(), rows.len());
    for &(name, arity, flags, acl, tips) in rows {
        let spec = container.subcommands.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no {name}"));
        let flag_names: Vec<&str> =
            Flags::NAMES.iter().filter(|(f, _)| spec.flags.contains(*f)).map(|(_, n)| *n).collect();
        assert_eq!(flag_names.join(" "), flags, "{name} flags");
        let mut acl_names: Vec<String> = Acl::NAMES
            .iter()
            .filter(|(a, _)| spec.acl_categories().contains(*a))
            .map(|(_, n)| format!("@{n}"))
            .collect();
        let mut expected: Vec<&str> = acl.split(' ').collect();
        acl_names.sort();
        expected.sort_unstable();
        assert_eq!(acl_names, expected, "{name} categories");
        assert_eq!(spec.arity, arity, "{name} arity");
        assert_eq!(spec.tips.join(" "), tips, "{name} tips");
        assert_eq!(spec.group, group, "{name} group");
    }
}
