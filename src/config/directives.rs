//! The declarative table of every Redis 7.0 directive: name, alias, type with bounds and default,
//! whether CONFIG SET may change it, and whether rkv implements it.
//!
//! The table is data derived from Redis 7.0.15's own directive list (names, aliases, bounds,
//! defaults and flags), so CONFIG GET shows what Redis shows. What a value *does* is decided in
//! [`super::Config::sync_typed`] for implemented directives; the others are stored and shown.

/// CONFIG SET may change it.
pub const MUTABLE: u8 = 0;
/// CONFIG SET refuses it ("can't set immutable config").
pub const IMMUTABLE: u8 = 1 << 0;
/// Takes several arguments (`save 900 1`, `bind a b`).
pub const MULTI_ARG: u8 = 1 << 1;
/// Holds a secret (redacted from logs).
pub const SENSITIVE: u8 = 1 << 2;
/// Not matched by CONFIG GET patterns, only by its exact name.
pub const HIDDEN: u8 = 1 << 3;
/// CONFIG SET refuses it unless `enable-protected-configs` allows the client.
pub const PROTECTED: u8 = 1 << 4;
/// CONFIG SET refuses it with `-LOADING` while the dataset loads.
pub const DENY_LOADING: u8 = 1 << 5;

const I32_MAX: i128 = i32::MAX as i128;
const I32_MIN: i128 = i32::MIN as i128;
const U32_MAX: i128 = u32::MAX as i128;
const I64_MAX: i128 = i64::MAX as i128;
const U64_MAX: i128 = u64::MAX as i128;

/// Validates a canonical value; the error is Redis's (or rkv's) reason text.
pub type Check = fn(&[u8]) -> Result<(), &'static str>;

/// How a number is written and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A plain decimal integer.
    Plain,
    /// Bytes with optional unit (`1k`, `1kb`, `1mb`…).
    Memory,
    /// Bytes, or a percentage (`20%`) stored as a negative number as Redis does.
    MemoryOrPercent,
    /// An octal number (`unixsocketperm 700`).
    Octal,
}

/// Directives with their own grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// `dir`: changes the working directory; shown as the absolute cwd.
    Dir,
    /// `save <seconds> <changes> ...` or `save ""`.
    Save,
    /// `client-output-buffer-limit <class> <hard> <soft> <seconds> ...`.
    ClientOutputBufferLimit,
    /// Three integers in [-2000, 2000].
    OomScoreAdjValues,
    /// Keyspace event classes (`KEA`).
    NotifyKeyspaceEvents,
    /// Listening addresses.
    Bind,
    /// `replicaof <host> <port>` or `no one`.
    ReplicaOf,
    /// Percentiles in [0, 100].
    LatencyPercentiles,
}

/// The type, bounds and default of a directive.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// `yes` / `no`.
    Bool {
        /// Default.
        default: bool,
    },
    /// An integer with inclusive bounds.
    Num {
        /// Lower bound.
        min: i128,
        /// Upper bound.
        max: i128,
        /// Default.
        default: i128,
        /// Notation.
        style: Style,
        /// Bounds are checked on the value read as unsigned (as Redis does for its unsigned types).
        unsigned: bool,
    },
    /// One of a list of names (several, OR-ed together, when the directive is MULTI_ARG).
    Enum {
        /// `(name, value)`; names sharing a value are aliases, the first one is shown.
        values: &'static [(&'static str, u32)],
        /// Default name.
        default: &'static str,
    },
    /// A string.
    Str {
        /// Default.
        default: &'static str,
        /// `""` means unset (such values are left out of a rewritten file).
        empty_is_null: bool,
        /// Extra validation.
        check: Option<Check>,
    },
    /// Its own grammar.
    Special(Special),
}

/// What rkv does with a directive.
#[derive(Debug, Clone, Copy)]
pub enum Support {
    /// Implemented: maps to a typed field of [`super::Config`] or is read where it is used.
    Implemented,
    /// Accepted and stored; a non-default value is logged once at startup as not implemented.
    Ignored,
    /// Accepted only while the check passes: ignoring other values would weaken safety
    /// (ACLs, TLS), so they are refused at startup and by CONFIG SET.
    Guarded(Check),
}

/// One directive.
#[derive(Debug, Clone, Copy)]
pub struct Directive {
    /// Primary name.
    pub name: &'static str,
    /// Old name still accepted (`slaveof`).
    pub alias: Option<&'static str>,
    /// [`IMMUTABLE`], [`MULTI_ARG`]…
    pub flags: u8,
    /// Type, bounds, default.
    pub kind: Kind,
    /// What rkv does with it.
    pub support: Support,
}

impl Directive {
    /// Whether the flag is set.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// Index of a directive in [`TABLE`] by name or alias, case-insensitively.
pub fn lookup(name: &[u8]) -> Option<usize> {
    TABLE.iter().position(|d| {
        name.eq_ignore_ascii_case(d.name.as_bytes()) || d.alias.is_some_and(|a| name.eq_ignore_ascii_case(a.as_bytes()))
    })
}

/// Guards for directives whose other values rkv refuses (see [`Support::Guarded`]).
mod guard {
    fn require(ok: bool, msg: &'static str) -> Result<(), &'static str> {
        if ok { Ok(()) } else { Err(msg) }
    }
    pub fn aclfile(v: &[u8]) -> Result<(), &'static str> {
        require(v.is_empty(), "rkv does not implement ACLs yet: refusing aclfile rather than ignoring its users")
    }
    pub fn tls_port(v: &[u8]) -> Result<(), &'static str> {
        require(v == b"0", "rkv does not implement TLS yet: refusing tls-port rather than serving without TLS")
    }
    pub fn tls_off(v: &[u8]) -> Result<(), &'static str> {
        require(v == b"no", "rkv does not implement TLS yet: refusing to turn TLS on")
    }
    pub fn replicaof(v: &[u8]) -> Result<(), &'static str> {
        require(
            v.is_empty(),
            "rkv does not implement replication yet: refusing replicaof rather than serving as a primary",
        )
    }
    pub fn cluster_enabled(v: &[u8]) -> Result<(), &'static str> {
        require(
            v == b"no",
            "rkv does not implement cluster mode yet: refusing cluster-enabled yes rather than serving as a standalone server",
        )
    }
}

/// Extra validation of string directives, with Redis's texts.
mod check {
    fn plain_name(v: &[u8], empty: Option<&'static str>, path: &'static str) -> Result<(), &'static str> {
        match empty {
            Some(msg) if v.is_empty() => Err(msg),
            _ if v.contains(&b'/') => Err(path),
            _ => Ok(()),
        }
    }
    pub fn filename(v: &[u8]) -> Result<(), &'static str> {
        plain_name(v, None, "dbfilename can't be a path, just a filename")
    }
    pub fn aof_filename(v: &[u8]) -> Result<(), &'static str> {
        plain_name(v, Some("appendfilename can't be empty"), "appendfilename can't be a path, just a filename")
    }
    pub fn aof_dirname(v: &[u8]) -> Result<(), &'static str> {
        plain_name(v, Some("appenddirname can't be empty"), "appenddirname can't be a path, just a dirname")
    }
}

/// Enum value lists, in Redis's order (the order its error message lists them).
mod enums {
    pub const MAXMEMORY_POLICY: &[(&str, u32)] = &[
        ("volatile-lru", 0),
        ("volatile-lfu", 1),
        ("volatile-random", 2),
        ("volatile-ttl", 3),
        ("allkeys-lru", 4),
        ("allkeys-lfu", 5),
        ("allkeys-random", 6),
        ("noeviction", 7),
    ];
    pub const SYSLOG_FACILITY: &[(&str, u32)] = &[
        ("user", 0),
        ("local0", 1),
        ("local1", 2),
        ("local2", 3),
        ("local3", 4),
        ("local4", 5),
        ("local5", 6),
        ("local6", 7),
        ("local7", 8),
    ];
    pub const LOGLEVEL: &[(&str, u32)] = &[("debug", 0), ("verbose", 1), ("notice", 2), ("warning", 3)];
    pub const SUPERVISED_MODE: &[(&str, u32)] = &[("upstart", 0), ("systemd", 1), ("auto", 2), ("no", 3)];
    pub const AOF_FSYNC: &[(&str, u32)] = &[("everysec", 0), ("always", 1), ("no", 2)];
    pub const SHUTDOWN_ON_SIG: &[(&str, u32)] = &[("default", 0), ("save", 1), ("nosave", 2), ("now", 4), ("force", 8)];
    pub const REPL_DISKLESS_LOAD: &[(&str, u32)] = &[("disabled", 0), ("on-empty-db", 1), ("swapdb", 2)];
    pub const TLS_AUTH_CLIENTS: &[(&str, u32)] = &[("no", 0), ("yes", 1), ("optional", 2)];
    pub const OOM_SCORE_ADJ: &[(&str, u32)] = &[("no", 0), ("yes", 1), ("relative", 1), ("absolute", 2)];
    pub const ACL_PUBSUB_DEFAULT: &[(&str, u32)] = &[("allchannels", 1), ("resetchannels", 0)];
    pub const SANITIZE_DUMP_PAYLOAD: &[(&str, u32)] = &[("no", 0), ("yes", 1), ("clients", 2)];
    pub const PROTECTED_ACTION: &[(&str, u32)] = &[("no", 0), ("yes", 1), ("local", 2)];
    pub const CLUSTER_PREFERRED_ENDPOINT_TYPE: &[(&str, u32)] = &[("ip", 0), ("hostname", 1), ("unknown-endpoint", 2)];
    pub const PROPAGATION_ERROR_BEHAVIOR: &[(&str, u32)] = &[("ignore", 0), ("panic", 1), ("panic-on-replicas", 2)];
}

/// Every directive Redis 7.0.15 knows (TLS ones included), in Redis's table order.
pub const TABLE: &[Directive] = &[
    Directive {
        name: "rdbchecksum",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Implemented,
    },
    Directive {
        name: "daemonize",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Implemented,
    },
    Directive {
        name: "io-threads-do-reads",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "always-show-logo",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Implemented,
    },
    Directive {
        name: "protected-mode",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Implemented,
    },
    Directive {
        name: "rdbcompression",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Implemented,
    },
    Directive {
        name: "rdb-del-sync-files",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "activerehashing",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "stop-writes-on-bgsave-error",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Implemented,
    },
    Directive {
        name: "set-proc-title",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "dynamic-hz",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "lazyfree-lazy-eviction",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "lazyfree-lazy-expire",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "lazyfree-lazy-server-del",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "lazyfree-lazy-user-del",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Implemented,
    },
    Directive {
        name: "lazyfree-lazy-user-flush",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Implemented,
    },
    Directive {
        name: "repl-disable-tcp-nodelay",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "repl-diskless-sync",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "aof-rewrite-incremental-fsync",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "no-appendfsync-on-rewrite",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Implemented,
    },
    Directive {
        name: "cluster-require-full-coverage",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "rdb-save-incremental-fsync",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "aof-load-truncated",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Implemented,
    },
    Directive {
        name: "aof-use-rdb-preamble",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Implemented,
    },
    Directive {
        name: "aof-timestamp-enabled",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Implemented,
    },
    Directive {
        name: "cluster-replica-no-failover",
        alias: Some("cluster-slave-no-failover"),
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "replica-lazy-flush",
        alias: Some("slave-lazy-flush"),
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "replica-serve-stale-data",
        alias: Some("slave-serve-stale-data"),
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "replica-read-only",
        alias: Some("slave-read-only"),
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "replica-ignore-maxmemory",
        alias: Some("slave-ignore-maxmemory"),
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "jemalloc-bg-thread",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "activedefrag",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "syslog-enabled",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "cluster-enabled",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Guarded(guard::cluster_enabled),
    },
    Directive {
        name: "appendonly",
        alias: None,
        flags: DENY_LOADING,
        kind: Kind::Bool { default: false },
        support: Support::Implemented,
    },
    Directive {
        name: "cluster-allow-reads-when-down",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "cluster-allow-pubsubshard-when-down",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "crash-log-enabled",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "crash-memcheck-enabled",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "use-exit-on-panic",
        alias: None,
        flags: HIDDEN,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "disable-thp",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "cluster-allow-replica-migration",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "replica-announced",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "latency-tracking",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Implemented,
    },
    Directive {
        name: "aof-disable-auto-gc",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Implemented,
    },
    Directive {
        name: "replica-ignore-disk-write-errors",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "aclfile",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "", empty_is_null: false, check: None },
        support: Support::Guarded(guard::aclfile),
    },
    Directive {
        name: "unixsocket",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Implemented,
    },
    Directive {
        name: "pidfile",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Implemented,
    },
    Directive {
        name: "replica-announce-ip",
        alias: Some("slave-announce-ip"),
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "masteruser",
        alias: None,
        flags: SENSITIVE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "cluster-announce-ip",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "cluster-config-file",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "nodes.conf", empty_is_null: false, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "cluster-announce-hostname",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "syslog-ident",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "redis", empty_is_null: false, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "dbfilename",
        alias: None,
        flags: PROTECTED,
        kind: Kind::Str { default: "dump.rdb", empty_is_null: false, check: Some(check::filename) },
        support: Support::Implemented,
    },
    Directive {
        name: "appendfilename",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "appendonly.aof", empty_is_null: false, check: Some(check::aof_filename) },
        support: Support::Implemented,
    },
    Directive {
        name: "appenddirname",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "appendonlydir", empty_is_null: false, check: Some(check::aof_dirname) },
        support: Support::Implemented,
    },
    Directive {
        name: "server_cpulist",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "bio_cpulist",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "aof_rewrite_cpulist",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "bgsave_cpulist",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "ignore-warnings",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: false, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "proc-title-template",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "{title} {listen-addr} {server-mode}", empty_is_null: false, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "bind-source-addr",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "logfile",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Str { default: "", empty_is_null: false, check: None },
        support: Support::Implemented,
    },
    Directive {
        name: "masterauth",
        alias: None,
        flags: SENSITIVE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "requirepass",
        alias: None,
        flags: SENSITIVE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Implemented,
    },
    Directive {
        name: "supervised",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Enum { values: enums::SUPERVISED_MODE, default: "no" },
        support: Support::Implemented,
    },
    Directive {
        name: "syslog-facility",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Enum { values: enums::SYSLOG_FACILITY, default: "local0" },
        support: Support::Ignored,
    },
    Directive {
        name: "repl-diskless-load",
        alias: None,
        flags: DENY_LOADING,
        kind: Kind::Enum { values: enums::REPL_DISKLESS_LOAD, default: "disabled" },
        support: Support::Ignored,
    },
    Directive {
        name: "loglevel",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Enum { values: enums::LOGLEVEL, default: "notice" },
        support: Support::Implemented,
    },
    Directive {
        name: "maxmemory-policy",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Enum { values: enums::MAXMEMORY_POLICY, default: "noeviction" },
        support: Support::Implemented,
    },
    Directive {
        name: "appendfsync",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Enum { values: enums::AOF_FSYNC, default: "everysec" },
        support: Support::Implemented,
    },
    Directive {
        name: "oom-score-adj",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Enum { values: enums::OOM_SCORE_ADJ, default: "no" },
        support: Support::Ignored,
    },
    Directive {
        name: "acl-pubsub-default",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Enum { values: enums::ACL_PUBSUB_DEFAULT, default: "resetchannels" },
        support: Support::Ignored,
    },
    Directive {
        name: "sanitize-dump-payload",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Enum { values: enums::SANITIZE_DUMP_PAYLOAD, default: "no" },
        // Payloads are always validated in full (they are converted into rkv's own structures),
        // which is what every setting asks for at least.
        support: Support::Implemented,
    },
    Directive {
        name: "enable-protected-configs",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Enum { values: enums::PROTECTED_ACTION, default: "no" },
        support: Support::Ignored,
    },
    Directive {
        name: "enable-debug-command",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Enum { values: enums::PROTECTED_ACTION, default: "no" },
        support: Support::Implemented,
    },
    Directive {
        name: "enable-module-command",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Enum { values: enums::PROTECTED_ACTION, default: "no" },
        support: Support::Ignored,
    },
    Directive {
        name: "cluster-preferred-endpoint-type",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Enum { values: enums::CLUSTER_PREFERRED_ENDPOINT_TYPE, default: "ip" },
        support: Support::Ignored,
    },
    Directive {
        name: "propagation-error-behavior",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Enum { values: enums::PROPAGATION_ERROR_BEHAVIOR, default: "ignore" },
        support: Support::Ignored,
    },
    Directive {
        name: "shutdown-on-sigint",
        alias: None,
        flags: MULTI_ARG,
        kind: Kind::Enum { values: enums::SHUTDOWN_ON_SIG, default: "default" },
        support: Support::Ignored,
    },
    Directive {
        name: "shutdown-on-sigterm",
        alias: None,
        flags: MULTI_ARG,
        kind: Kind::Enum { values: enums::SHUTDOWN_ON_SIG, default: "default" },
        support: Support::Ignored,
    },
    Directive {
        name: "databases",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Num { min: 1, max: I32_MAX, default: 16, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "port",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: 65535, default: 6379, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "io-threads",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Num { min: 1, max: 128, default: 1, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "auto-aof-rewrite-percentage",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 100, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "cluster-replica-validity-factor",
        alias: Some("cluster-slave-validity-factor"),
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 10, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "list-max-listpack-size",
        alias: Some("list-max-ziplist-size"),
        flags: MUTABLE,
        kind: Kind::Num { min: I32_MIN, max: I32_MAX, default: -2, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "tcp-keepalive",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 300, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "cluster-migration-barrier",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 1, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "active-defrag-cycle-min",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 1, max: 99, default: 1, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "active-defrag-cycle-max",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 1, max: 99, default: 25, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "active-defrag-threshold-lower",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: 1000, default: 10, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "active-defrag-threshold-upper",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: 1000, default: 100, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "lfu-log-factor",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 10, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "lfu-decay-time",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 1, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "replica-priority",
        alias: Some("slave-priority"),
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 100, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "repl-diskless-sync-delay",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 5, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "maxmemory-samples",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 1, max: I32_MAX, default: 5, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "maxmemory-eviction-tenacity",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: 100, default: 10, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "timeout",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "replica-announce-port",
        alias: Some("slave-announce-port"),
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: 65535, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "tcp-backlog",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 511, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "cluster-port",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Num { min: 0, max: 65535, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "cluster-announce-bus-port",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: 65535, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "cluster-announce-port",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: 65535, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "cluster-announce-tls-port",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: 65535, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "repl-timeout",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 1, max: I32_MAX, default: 60, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "repl-ping-replica-period",
        alias: Some("repl-ping-slave-period"),
        flags: MUTABLE,
        kind: Kind::Num { min: 1, max: I32_MAX, default: 10, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "list-compress-depth",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "rdb-key-save-delay",
        alias: None,
        flags: HIDDEN,
        kind: Kind::Num { min: I32_MIN, max: I32_MAX, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "key-load-delay",
        alias: None,
        flags: HIDDEN,
        kind: Kind::Num { min: I32_MIN, max: I32_MAX, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "active-expire-effort",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 1, max: 10, default: 1, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "hz",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 10, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "min-replicas-to-write",
        alias: Some("min-slaves-to-write"),
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "min-replicas-max-lag",
        alias: Some("min-slaves-max-lag"),
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 10, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "watchdog-period",
        alias: None,
        flags: HIDDEN,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "shutdown-timeout",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 10, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "repl-diskless-sync-max-replicas",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "maxclients",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 1, max: U32_MAX, default: 10000, style: Style::Plain, unsigned: true },
        support: Support::Implemented,
    },
    Directive {
        name: "unixsocketperm",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Num { min: 0, max: 0o777, default: 0, style: Style::Octal, unsigned: true },
        support: Support::Implemented,
    },
    Directive {
        name: "socket-mark-id",
        alias: None,
        flags: IMMUTABLE,
        kind: Kind::Num { min: 0, max: U32_MAX, default: 0, style: Style::Plain, unsigned: true },
        support: Support::Ignored,
    },
    Directive {
        name: "active-defrag-max-scan-fields",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 1, max: I64_MAX, default: 1000, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "slowlog-max-len",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 128, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "acllog-max-len",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 128, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "busy-reply-threshold",
        alias: Some("lua-time-limit"),
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 5000, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "cluster-node-timeout",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 15000, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "slowlog-log-slower-than",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: -1, max: I64_MAX, default: 10000, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "latency-monitor-threshold",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "proto-max-bulk-len",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num {
            min: 1024 * 1024,
            max: I64_MAX,
            default: 512 * 1024 * 1024,
            style: Style::Memory,
            unsigned: false,
        },
        support: Support::Implemented,
    },
    Directive {
        name: "stream-node-max-entries",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 100, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "repl-backlog-size",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 1, max: I64_MAX, default: 1024 * 1024, style: Style::Memory, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "maxmemory",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: U64_MAX, default: 0, style: Style::Memory, unsigned: true },
        support: Support::Implemented,
    },
    Directive {
        name: "cluster-link-sendbuf-limit",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: U64_MAX, default: 0, style: Style::Memory, unsigned: true },
        support: Support::Ignored,
    },
    Directive {
        name: "hash-max-listpack-entries",
        alias: Some("hash-max-ziplist-entries"),
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 512, style: Style::Plain, unsigned: true },
        support: Support::Implemented,
    },
    Directive {
        name: "set-max-intset-entries",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 512, style: Style::Plain, unsigned: true },
        support: Support::Implemented,
    },
    Directive {
        name: "zset-max-listpack-entries",
        alias: Some("zset-max-ziplist-entries"),
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 128, style: Style::Plain, unsigned: true },
        support: Support::Implemented,
    },
    Directive {
        name: "active-defrag-ignore-bytes",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 1, max: I64_MAX, default: (100 << 20), style: Style::Memory, unsigned: true },
        support: Support::Ignored,
    },
    Directive {
        name: "hash-max-listpack-value",
        alias: Some("hash-max-ziplist-value"),
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 64, style: Style::Memory, unsigned: true },
        support: Support::Implemented,
    },
    Directive {
        name: "stream-node-max-bytes",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 4096, style: Style::Memory, unsigned: true },
        support: Support::Implemented,
    },
    Directive {
        name: "zset-max-listpack-value",
        alias: Some("zset-max-ziplist-value"),
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 64, style: Style::Memory, unsigned: true },
        support: Support::Implemented,
    },
    Directive {
        name: "hll-sparse-max-bytes",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 3000, style: Style::Memory, unsigned: true },
        support: Support::Implemented,
    },
    Directive {
        name: "tracking-table-max-keys",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 1000000, style: Style::Plain, unsigned: true },
        support: Support::Implemented,
    },
    Directive {
        name: "client-query-buffer-limit",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num {
            min: 1024 * 1024,
            max: I64_MAX,
            default: 1024 * 1024 * 1024,
            style: Style::Memory,
            unsigned: true,
        },
        support: Support::Implemented,
    },
    Directive {
        name: "maxmemory-clients",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: -100, max: I64_MAX, default: 0, style: Style::MemoryOrPercent, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "repl-backlog-ttl",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 60 * 60, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "auto-aof-rewrite-min-size",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I64_MAX, default: 64 * 1024 * 1024, style: Style::Memory, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "loading-process-events-interval-bytes",
        alias: None,
        flags: HIDDEN,
        kind: Kind::Num { min: 1024, max: I32_MAX, default: 1024 * 1024 * 2, style: Style::Plain, unsigned: false },
        support: Support::Implemented,
    },
    Directive {
        name: "tls-port",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: 65535, default: 0, style: Style::Plain, unsigned: false },
        support: Support::Guarded(guard::tls_port),
    },
    Directive {
        name: "tls-session-cache-size",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 20 * 1024, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-session-cache-timeout",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Num { min: 0, max: I32_MAX, default: 300, style: Style::Plain, unsigned: false },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-cluster",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Guarded(guard::tls_off),
    },
    Directive {
        name: "tls-replication",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Guarded(guard::tls_off),
    },
    Directive {
        name: "tls-auth-clients",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Enum { values: enums::TLS_AUTH_CLIENTS, default: "yes" },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-prefer-server-ciphers",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: false },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-session-caching",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Bool { default: true },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-cert-file",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-key-file",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-key-file-pass",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-client-cert-file",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-client-key-file",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-client-key-file-pass",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-dh-params-file",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-ca-cert-file",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-ca-cert-dir",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-protocols",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-ciphers",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "tls-ciphersuites",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Str { default: "", empty_is_null: true, check: None },
        support: Support::Ignored,
    },
    Directive {
        name: "dir",
        alias: None,
        flags: PROTECTED | DENY_LOADING,
        kind: Kind::Special(Special::Dir),
        support: Support::Implemented,
    },
    Directive {
        name: "save",
        alias: None,
        flags: MULTI_ARG,
        kind: Kind::Special(Special::Save),
        support: Support::Implemented,
    },
    Directive {
        name: "client-output-buffer-limit",
        alias: None,
        flags: MULTI_ARG,
        kind: Kind::Special(Special::ClientOutputBufferLimit),
        support: Support::Implemented,
    },
    Directive {
        name: "oom-score-adj-values",
        alias: None,
        flags: MULTI_ARG,
        kind: Kind::Special(Special::OomScoreAdjValues),
        support: Support::Ignored,
    },
    Directive {
        name: "notify-keyspace-events",
        alias: None,
        flags: MUTABLE,
        kind: Kind::Special(Special::NotifyKeyspaceEvents),
        support: Support::Implemented,
    },
    Directive {
        name: "bind",
        alias: None,
        flags: MUTABLE | MULTI_ARG,
        kind: Kind::Special(Special::Bind),
        support: Support::Implemented,
    },
    Directive {
        name: "replicaof",
        alias: Some("slaveof"),
        flags: IMMUTABLE | MULTI_ARG,
        kind: Kind::Special(Special::ReplicaOf),
        support: Support::Guarded(guard::replicaof),
    },
    Directive {
        name: "latency-tracking-info-percentiles",
        alias: None,
        flags: MULTI_ARG,
        kind: Kind::Special(Special::LatencyPercentiles),
        support: Support::Implemented,
    },
];
