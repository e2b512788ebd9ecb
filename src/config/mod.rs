//! Server configuration: the directive table, redis.conf parsing, command-line loading, and the
//! CONFIG GET / SET / REWRITE operations.
//!
//! - [`directives`]: one declarative table of every Redis 7.0 directive.
//! - [`value`]: parsing one directive's arguments into canonical text, with Redis's errors.
//! - [`load`]: redis-server's command line, config files, `include`, fatal errors.
//! - [`rewrite`]: CONFIG REWRITE, keeping the file's comments and order.
//!
//! Invariant: every directive's value is held as the canonical text CONFIG GET shows; the typed
//! fields the rest of the server reads are recomputed from it after every change.

pub mod aof;
pub mod client_limits;
pub mod directives;
pub mod load;
pub mod rewrite;
pub mod snapshot;
pub mod value;

use std::path::PathBuf;

pub use client_limits::{ClientClass, NotifyFlags, OutputLimit, OutputLimits};
use directives::{DENY_LOADING, Directive, IMMUTABLE, Kind, MULTI_ARG, PROTECTED, Special, TABLE};
pub use load::{ConfigError, Loaded, load};

/// `enable-debug-command` and friends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnableMode {
    /// Never.
    No,
    /// Always.
    Yes,
    /// Only from loopback or unix-socket clients.
    Local,
}

impl EnableMode {
    /// Parses the directive's canonical text; anything unknown is `No`.
    fn from_text(text: &str) -> Self {
        match text {
            "yes" => EnableMode::Yes,
            "local" => EnableMode::Local,
            _ => EnableMode::No,
        }
    }

    /// Whether a client (local: loopback or unix socket) may do what the mode guards.
    pub fn allows(self, client_is_local: bool) -> bool {
        match self {
            EnableMode::Yes => true,
            EnableMode::No => false,
            EnableMode::Local => client_is_local,
        }
    }
}

/// Redis's `loglevel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Everything.
    Debug,
    /// Verbose.
    Verbose,
    /// Notices (the default).
    Notice,
    /// Warnings only.
    Warning,
    /// Nothing at all.
    Nothing,
}

/// `maxmemory-policy`: what to evict when `maxmemory` is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MaxmemoryPolicy {
    /// Least recently used among keys with a TTL.
    VolatileLru,
    /// Least frequently used among keys with a TTL.
    VolatileLfu,
    /// Any key with a TTL.
    VolatileRandom,
    /// The key with the soonest expiry.
    VolatileTtl,
    /// Least recently used among all keys.
    AllkeysLru,
    /// Least frequently used among all keys.
    AllkeysLfu,
    /// Any key.
    AllkeysRandom,
    /// Evict nothing: refuse writes instead.
    #[default]
    NoEviction,
}

impl MaxmemoryPolicy {
    /// The policy named by a canonical `maxmemory-policy` value.
    pub fn from_name(name: &str) -> Self {
        match name {
            "volatile-lru" => MaxmemoryPolicy::VolatileLru,
            "volatile-lfu" => MaxmemoryPolicy::VolatileLfu,
            "volatile-random" => MaxmemoryPolicy::VolatileRandom,
            "volatile-ttl" => MaxmemoryPolicy::VolatileTtl,
            "allkeys-lru" => MaxmemoryPolicy::AllkeysLru,
            "allkeys-lfu" => MaxmemoryPolicy::AllkeysLfu,
            "allkeys-random" => MaxmemoryPolicy::AllkeysRandom,
            _ => MaxmemoryPolicy::NoEviction,
        }
    }

    /// Whether keys carry an LFU counter rather than an access time.
    pub fn is_lfu(self) -> bool {
        matches!(self, MaxmemoryPolicy::VolatileLfu | MaxmemoryPolicy::AllkeysLfu)
    }

    /// Whether keys' own access clocks matter, so values may not share objects (Redis's
    /// `MAXMEMORY_FLAG_NO_SHARED_INTEGERS`).
    pub fn tracks_access(self) -> bool {
        self.is_lfu() || matches!(self, MaxmemoryPolicy::VolatileLru | MaxmemoryPolicy::AllkeysLru)
    }

    /// Whether only keys with a TTL may be evicted.
    pub fn volatile_only(self) -> bool {
        matches!(
            self,
            MaxmemoryPolicy::VolatileLru
                | MaxmemoryPolicy::VolatileLfu
                | MaxmemoryPolicy::VolatileRandom
                | MaxmemoryPolicy::VolatileTtl
        )
    }
}

/// The live configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute path of the config file, if any.
    pub config_file: Option<PathBuf>,
    /// TCP port (0 = no TCP listener).
    pub port: u16,
    /// Addresses to listen on.
    pub bind: Vec<String>,
    /// Unix socket path.
    pub unixsocket: Option<PathBuf>,
    /// Unix socket permissions (octal as in redis.conf).
    pub unixsocketperm: u32,
    /// listen(2) backlog.
    pub tcp_backlog: u32,
    /// TCP keepalive in seconds (0 = off).
    pub tcp_keepalive: u64,
    /// Idle client timeout in seconds (0 = never).
    pub timeout: u64,
    /// Most clients at once.
    pub maxclients: u64,
    /// Refuse non-loopback clients when no password is set.
    pub protected_mode: bool,
    /// Fork into the background.
    pub daemonize: bool,
    /// Where to write the pid.
    pub pidfile: Option<PathBuf>,
    /// Log file ("" = standard output).
    pub logfile: String,
    /// Log verbosity.
    pub loglevel: LogLevel,
    /// Working directory.
    pub dir: PathBuf,
    /// Number of databases.
    pub databases: usize,
    /// Password of the default user.
    pub requirepass: Option<Vec<u8>>,
    /// Largest bulk string accepted in a request.
    pub proto_max_bulk_len: i64,
    /// Largest query buffer before the client is closed.
    pub client_query_buffer_limit: u64,
    /// Background task frequency.
    pub hz: u32,
    /// `io-threads`: threads doing connection I/O (1: the executor's thread does it all).
    pub io_threads: usize,
    /// `busy-reply-threshold` (alias `lua-time-limit`): milliseconds a script runs before other
    /// clients are answered `-BUSY`.
    pub busy_reply_threshold: u64,
    /// `min-replicas-to-write`: good replicas a primary needs before it accepts writes (0: off).
    pub min_replicas_to_write: u32,
    /// `min-replicas-max-lag`: seconds since a replica's last ack for it to count as good
    /// (0: the check is off).
    pub min_replicas_max_lag: u32,
    /// Whether DEBUG may run.
    pub enable_debug_command: EnableMode,
    /// `enable-protected-configs`: who may CONFIG SET `dir` and `dbfilename`.
    pub enable_protected_configs: EnableMode,
    /// Keyspace event classes to publish.
    pub notify_keyspace_events: NotifyFlags,
    /// RDB snapshots: save points, file name, compression, checksum.
    pub snapshot: snapshot::SnapshotSettings,
    /// The append-only file: on or off, fsync policy, file names, rewrites.
    pub aof: aof::AofSettings,
    /// Most keys the client-side caching table remembers (0 = no limit).
    pub tracking_table_max_keys: usize,
    /// Output buffer limits per client class.
    pub client_output_limits: OutputLimits,
    /// Memory limit in bytes (0 = none).
    pub maxmemory: u64,
    /// What to evict at the limit.
    pub maxmemory_policy: MaxmemoryPolicy,
    /// Keys sampled per database when choosing what to evict.
    pub maxmemory_samples: u32,
    /// Effort per command spent evicting, 0-100.
    pub maxmemory_eviction_tenacity: u32,
    /// LFU counter growth factor.
    pub lfu_log_factor: u32,
    /// Minutes per LFU counter decrement.
    pub lfu_decay_time: u32,
    /// Largest set kept in the `intset` encoding.
    pub set_max_intset_entries: u64,
    /// Most fields a hash keeps in the compact `listpack` encoding.
    pub hash_max_listpack_entries: usize,
    /// Longest field or value a hash keeps in the compact `listpack` encoding.
    pub hash_max_listpack_value: usize,
    /// `list-max-listpack-size`: bytes (negative, -1..-5) or entries (positive) per list node.
    pub list_max_listpack_size: i32,
    /// `list-compress-depth`: raw nodes kept at each end of a list (0: no compression).
    pub list_compress_depth: u32,
    /// Most members a sorted set keeps in the compact `listpack` encoding.
    pub zset_max_listpack_entries: usize,
    /// Longest member a sorted set keeps in the compact `listpack` encoding.
    pub zset_max_listpack_value: usize,
    /// `stream-node-max-bytes` and `stream-node-max-entries`: when a stream node is full.
    pub stream_node_limits: crate::types::stream::NodeLimits,
    /// `hll-sparse-max-bytes`: longest sparse HyperLogLog string before it turns dense.
    pub hll_sparse_max_bytes: usize,
    /// `key-load-delay`: microseconds slept after each key loaded (negative -N: one in about N
    /// keys sleeps a microsecond); a testing aid.
    pub key_load_delay_us: i64,
    /// `loading-process-events-interval-bytes`: input loaded between two servings of the
    /// clients while the dataset loads.
    pub loading_events_interval_bytes: u64,
    /// `rename-command old new` pairs.
    pub rename_commands: Vec<(String, String)>,
    /// `slowlog-log-slower-than`: microseconds (negative: the slow log is off).
    pub slowlog_log_slower_than: i64,
    /// `slowlog-max-len`: most slow log entries kept.
    pub slowlog_max_len: u64,
    /// `latency-monitor-threshold`: milliseconds (0: the latency monitor is off).
    pub latency_monitor_threshold: u64,
    /// `latency-tracking`: keep per-command latency histograms.
    pub latency_tracking: bool,
    /// Canonical text of every directive of [`directives::TABLE`], by index (what CONFIG GET
    /// shows); the typed fields above are derived from it by [`Config::sync_typed`].
    values: Vec<Vec<u8>>,
}

impl Default for Config {
    fn default() -> Self {
        let mut config = Config {
            config_file: None,
            port: 0,
            bind: Vec::new(),
            unixsocket: None,
            unixsocketperm: 0,
            tcp_backlog: 0,
            tcp_keepalive: 0,
            timeout: 0,
            maxclients: 0,
            protected_mode: true,
            daemonize: false,
            pidfile: None,
            logfile: String::new(),
            loglevel: LogLevel::Notice,
            dir: PathBuf::from("."),
            databases: 0,
            requirepass: None,
            proto_max_bulk_len: 0,
            client_query_buffer_limit: 0,
            hz: 0,
            io_threads: 1,
            busy_reply_threshold: 5000,
            min_replicas_to_write: 0,
            min_replicas_max_lag: 10,
            enable_debug_command: EnableMode::No,
            enable_protected_configs: EnableMode::No,
            notify_keyspace_events: NotifyFlags::default(),
            snapshot: snapshot::SnapshotSettings::read(|_| String::new()),
            aof: aof::AofSettings::read(|_| String::new()),
            tracking_table_max_keys: 0,
            client_output_limits: OutputLimits::default(),
            maxmemory: 0,
            maxmemory_policy: MaxmemoryPolicy::NoEviction,
            maxmemory_samples: 0,
            maxmemory_eviction_tenacity: 0,
            lfu_log_factor: 0,
            lfu_decay_time: 0,
            set_max_intset_entries: 0,
            hash_max_listpack_entries: 0,
            hash_max_listpack_value: 0,
            list_max_listpack_size: 0,
            list_compress_depth: 0,
            zset_max_listpack_entries: 0,
            hll_sparse_max_bytes: 0,
            zset_max_listpack_value: 0,
            stream_node_limits: crate::types::stream::NodeLimits { max_bytes: 4096, max_entries: 100 },
            key_load_delay_us: 0,
            loading_events_interval_bytes: 0,
            rename_commands: Vec::new(),
            slowlog_log_slower_than: 0,
            slowlog_max_len: 0,
            latency_monitor_threshold: 0,
            latency_tracking: false,
            values: TABLE.iter().map(value::default_value).collect(),
        };
        config.sync_typed();
        config
    }
}

/// Turns an I/O error into C's `strerror` text (without Rust's " (os error N)" suffix).
pub fn strerror(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The refusal of what may not run while the dataset loads: commands not flagged `loading`
/// (in dispatch), and CONFIG SET of a directive that may not change meanwhile.
pub const LOADING_ERROR: &str = "LOADING Redis is loading the dataset in memory";

/// Why CONFIG SET refused a change: the error line sent to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetError(pub String);

impl Config {
    /// The canonical value of directive `index` of [`directives::TABLE`].
    pub fn value(&self, index: usize) -> &[u8] {
        self.values.get(index).map_or(&[], Vec::as_slice)
    }

    /// The canonical value of a directive by name or alias.
    pub fn get_value(&self, name: &str) -> Option<&[u8]> {
        directives::lookup(name.as_bytes()).map(|i| self.value(i))
    }

    /// Stores an already validated canonical value and refreshes the typed fields.
    fn store(&mut self, index: usize, value: Vec<u8>) {
        if let Some(slot) = self.values.get_mut(index) {
            *slot = value;
        }
        self.sync_typed();
    }

    /// CONFIG GET: every directive (name or alias) matching one of the patterns, as
    /// `(name, value)` pairs without duplicates. A pattern without wildcards is looked up exactly
    /// (hidden directives are only reachable that way) and answered under the name as typed.
    pub fn get(&self, patterns: &[&[u8]]) -> Vec<(Vec<u8>, Vec<u8>)> {
        use crate::types::glob;
        let mut out: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        let seen = |out: &[(Vec<u8>, Vec<u8>)], name: &[u8]| out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        for pattern in patterns {
            if !glob::has_wildcards(pattern) {
                if let Some(i) = directives::lookup(pattern).filter(|_| !seen(&out, pattern)) {
                    out.push((pattern.to_vec(), self.value(i).to_vec()));
                }
                continue;
            }
            for (i, d) in TABLE.iter().enumerate() {
                if d.has(directives::HIDDEN) {
                    continue;
                }
                for name in std::iter::once(d.name).chain(d.alias) {
                    if !seen(&out, name.as_bytes()) && glob::matches_nocase(pattern, name.as_bytes()) {
                        out.push((name.as_bytes().to_vec(), self.value(i).to_vec()));
                    }
                }
            }
        }
        out
    }

    /// CONFIG SET: applies every `(name, value)` pair or none, with Redis's error texts. While
    /// the dataset is `loading`, a directive that may not change meanwhile is refused with
    /// `-LOADING`.
    pub fn set(&mut self, pairs: &[(&[u8], &[u8])], allow_protected: bool, loading: bool) -> Result<(), SetError> {
        let fail = |name: &str, why: &str| {
            SetError(format!("ERR CONFIG SET failed (possibly related to argument '{name}') - {why}"))
        };
        let mut chosen: Vec<usize> = Vec::with_capacity(pairs.len());
        let mut first_error: Option<SetError> = None;
        // The first problem in argument order is the one reported, as in Redis.
        for (name, _) in pairs {
            let shown = String::from_utf8_lossy(name);
            let Some(index) = directives::lookup(name) else {
                let unknown = format!("ERR Unknown option or number of arguments for CONFIG SET - '{shown}'");
                return Err(first_error.unwrap_or(SetError(unknown)));
            };
            if first_error.is_none() {
                if TABLE[index].has(IMMUTABLE) {
                    first_error = Some(fail(&shown, "can't set immutable config"));
                } else if TABLE[index].has(PROTECTED) && !allow_protected {
                    first_error = Some(fail(&shown, "can't set protected config"));
                } else if TABLE[index].has(DENY_LOADING) && loading {
                    first_error = Some(SetError(LOADING_ERROR.to_owned()));
                } else if chosen.contains(&index) {
                    first_error = Some(fail(&shown, "duplicate parameter"));
                }
            }
            chosen.push(index);
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        let mut staged = self.values.clone();
        for (&index, (_, raw)) in chosen.iter().zip(pairs) {
            let d = &TABLE[index];
            let parsed = value::parse(d, &split_set_value(d, raw), &staged[index])
                .and_then(|v| guard(d, &v).map(|()| v))
                .map_err(|why| fail(d.name, &why))?;
            staged[index] = parsed;
        }
        self.values = staged;
        self.sync_typed();
        self.apply_process_effects(&chosen);
        Ok(())
    }

    /// Side effects outside this struct: the working directory and the log level.
    fn apply_process_effects(&self, changed: &[usize]) {
        for &index in changed {
            match TABLE[index].kind {
                Kind::Special(Special::Dir) => {
                    let _ = std::env::set_current_dir(&self.dir);
                }
                _ if TABLE[index].name == "loglevel" => crate::logging::set_level(self.loglevel),
                _ => {}
            }
        }
    }

    /// Recomputes the typed fields from the canonical values. Values were validated when stored,
    /// so the fallbacks here are never taken.
    fn sync_typed(&mut self) {
        let text = |c: &Config, name: &str| String::from_utf8_lossy(c.get_value(name).unwrap_or_default()).into_owned();
        let num = |c: &Config, name: &str| text(c, name).trim_end_matches('%').parse::<i128>().unwrap_or(0);
        let path = |c: &Config, name: &str| Some(PathBuf::from(text(c, name))).filter(|p| !p.as_os_str().is_empty());
        self.port = u16::try_from(num(self, "port")).unwrap_or(0);
        self.bind = text(self, "bind").split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect();
        self.unixsocket = path(self, "unixsocket");
        self.unixsocketperm = u32::from_str_radix(&text(self, "unixsocketperm"), 8).unwrap_or(0);
        self.tcp_backlog = u32::try_from(num(self, "tcp-backlog")).unwrap_or(511);
        self.tcp_keepalive = u64::try_from(num(self, "tcp-keepalive")).unwrap_or(0);
        self.timeout = u64::try_from(num(self, "timeout")).unwrap_or(0);
        self.maxclients = u64::try_from(num(self, "maxclients")).unwrap_or(1);
        self.protected_mode = text(self, "protected-mode") == "yes";
        self.daemonize = text(self, "daemonize") == "yes";
        self.pidfile = path(self, "pidfile");
        self.logfile = text(self, "logfile");
        self.loglevel = match text(self, "loglevel").as_str() {
            "debug" => LogLevel::Debug,
            "verbose" => LogLevel::Verbose,
            "warning" => LogLevel::Warning,
            _ => LogLevel::Notice,
        };
        self.dir = PathBuf::from(text(self, "dir"));
        self.databases = usize::try_from(num(self, "databases")).unwrap_or(16);
        self.requirepass = self.get_value("requirepass").filter(|v| !v.is_empty()).map(<[u8]>::to_vec);
        self.proto_max_bulk_len = i64::try_from(num(self, "proto-max-bulk-len")).unwrap_or(i64::MAX);
        self.client_query_buffer_limit = u64::try_from(num(self, "client-query-buffer-limit")).unwrap_or(u64::MAX);
        // Redis clamps hz into [1, 500] after loading.
        self.hz = u32::try_from(num(self, "hz").clamp(1, 500)).unwrap_or(10);
        self.io_threads = usize::try_from(num(self, "io-threads")).unwrap_or(1);
        self.busy_reply_threshold = u64::try_from(num(self, "busy-reply-threshold")).unwrap_or(0);
        self.min_replicas_to_write = u32::try_from(num(self, "min-replicas-to-write")).unwrap_or(0);
        self.min_replicas_max_lag = u32::try_from(num(self, "min-replicas-max-lag")).unwrap_or(0);
        self.maxmemory = u64::try_from(num(self, "maxmemory")).unwrap_or(0);
        self.maxmemory_policy = MaxmemoryPolicy::from_name(&text(self, "maxmemory-policy"));
        let small = |c: &Config, name: &str| u32::try_from(num(c, name)).unwrap_or(u32::MAX);
        self.maxmemory_samples = small(self, "maxmemory-samples");
        self.maxmemory_eviction_tenacity = small(self, "maxmemory-eviction-tenacity");
        self.lfu_log_factor = small(self, "lfu-log-factor");
        self.lfu_decay_time = small(self, "lfu-decay-time");
        self.set_max_intset_entries = u64::try_from(num(self, "set-max-intset-entries")).unwrap_or(512);
        let size = |c: &Config, name: &str| usize::try_from(num(c, name)).unwrap_or(usize::MAX);
        self.hash_max_listpack_entries = size(self, "hash-max-listpack-entries");
        self.hash_max_listpack_value = size(self, "hash-max-listpack-value");
        self.list_max_listpack_size = i32::try_from(num(self, "list-max-listpack-size")).unwrap_or(-2);
        self.list_compress_depth = u32::try_from(num(self, "list-compress-depth")).unwrap_or(0);
        self.zset_max_listpack_entries = size(self, "zset-max-listpack-entries");
        self.zset_max_listpack_value = size(self, "zset-max-listpack-value");
        self.stream_node_limits = crate::types::stream::NodeLimits {
            max_bytes: size(self, "stream-node-max-bytes"),
            max_entries: i64::try_from(num(self, "stream-node-max-entries")).unwrap_or(100),
        };
        self.hll_sparse_max_bytes = size(self, "hll-sparse-max-bytes");
        self.notify_keyspace_events =
            NotifyFlags::from_canonical(self.get_value("notify-keyspace-events").unwrap_or_default());
        self.tracking_table_max_keys = size(self, "tracking-table-max-keys");
        self.client_output_limits = OutputLimits::from_canonical(&text(self, "client-output-buffer-limit"));
        self.slowlog_log_slower_than = i64::try_from(num(self, "slowlog-log-slower-than")).unwrap_or(10_000);
        self.slowlog_max_len = u64::try_from(num(self, "slowlog-max-len")).unwrap_or(128);
        self.latency_monitor_threshold = u64::try_from(num(self, "latency-monitor-threshold")).unwrap_or(0);
        self.latency_tracking = text(self, "latency-tracking") == "yes";
        self.enable_debug_command = EnableMode::from_text(&text(self, "enable-debug-command"));
        self.enable_protected_configs = EnableMode::from_text(&text(self, "enable-protected-configs"));
        self.key_load_delay_us = i64::try_from(num(self, "key-load-delay")).unwrap_or(0);
        self.loading_events_interval_bytes =
            u64::try_from(num(self, "loading-process-events-interval-bytes")).unwrap_or(2 << 20);
        self.snapshot = snapshot::SnapshotSettings::read(|name| text(self, name));
        self.aof = aof::AofSettings::read(|name| text(self, name));
    }
}

/// CONFIG SET hands multi-argument directives one string, split on single spaces as Redis does.
fn split_set_value(d: &Directive, raw: &[u8]) -> Vec<Vec<u8>> {
    if d.has(MULTI_ARG) {
        if raw.is_empty() {
            return Vec::new();
        }
        raw.split(|&b| b == b' ').map(<[u8]>::to_vec).collect()
    } else {
        vec![raw.to_vec()]
    }
}

/// Refuses values rkv would silently not honour (see [`directives::Support::Guarded`]).
fn guard(d: &Directive, value: &[u8]) -> Result<(), String> {
    match d.support {
        directives::Support::Guarded(check) => check(value).map_err(str::to_owned),
        _ => Ok(()),
    }
}
