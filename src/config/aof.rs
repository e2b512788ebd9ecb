//! The typed form of the AOF directives (`appendonly`, `appendfsync`, `appenddirname`,
//! `appendfilename`, `aof-use-rdb-preamble`, `aof-load-truncated`, `aof-timestamp-enabled`,
//! `no-appendfsync-on-rewrite`, `auto-aof-rewrite-percentage`, `auto-aof-rewrite-min-size`,
//! `aof-disable-auto-gc`).

/// When the AOF writer calls fsync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsyncPolicy {
    /// After every write, before the writes it holds are answered.
    Always,
    /// About once a second.
    EverySec,
    /// Never: the kernel decides.
    No,
}

impl FsyncPolicy {
    /// The policy named by a canonical `appendfsync` value.
    pub fn from_name(name: &str) -> Self {
        match name {
            "always" => FsyncPolicy::Always,
            "no" => FsyncPolicy::No,
            _ => FsyncPolicy::EverySec,
        }
    }
}

/// How and where the append-only file is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AofSettings {
    /// `appendonly`.
    pub enabled: bool,
    /// `appendfsync`.
    pub fsync: FsyncPolicy,
    /// `appenddirname`: the directory (inside `dir`) holding the manifest and its files.
    pub dirname: String,
    /// `appendfilename`: the prefix of every file name.
    pub filename: String,
    /// `aof-use-rdb-preamble`: base files are RDB snapshots.
    pub use_rdb_preamble: bool,
    /// `aof-load-truncated`: a short last file loads up to its last whole command.
    pub load_truncated: bool,
    /// `aof-timestamp-enabled`: `#TS:` annotations mark each second's first write.
    pub timestamps: bool,
    /// `no-appendfsync-on-rewrite`: no fsync while a rewrite runs.
    pub no_fsync_on_rewrite: bool,
    /// `auto-aof-rewrite-percentage` (0: never automatically).
    pub auto_rewrite_percentage: u64,
    /// `auto-aof-rewrite-min-size` in bytes.
    pub auto_rewrite_min_size: u64,
    /// `aof-disable-auto-gc`: history files are kept instead of deleted.
    pub disable_auto_gc: bool,
}

impl AofSettings {
    /// Builds the settings from canonical directive values read by `text`.
    pub fn read(text: impl Fn(&str) -> String) -> AofSettings {
        let yes = |name: &str| text(name) == "yes";
        let num = |name: &str| text(name).parse::<u64>().unwrap_or(0);
        AofSettings {
            enabled: yes("appendonly"),
            fsync: FsyncPolicy::from_name(&text("appendfsync")),
            dirname: text("appenddirname"),
            filename: text("appendfilename"),
            use_rdb_preamble: yes("aof-use-rdb-preamble"),
            load_truncated: yes("aof-load-truncated"),
            timestamps: yes("aof-timestamp-enabled"),
            no_fsync_on_rewrite: yes("no-appendfsync-on-rewrite"),
            auto_rewrite_percentage: num("auto-aof-rewrite-percentage"),
            auto_rewrite_min_size: num("auto-aof-rewrite-min-size"),
            disable_auto_gc: yes("aof-disable-auto-gc"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_by_name() {
        assert_eq!(FsyncPolicy::from_name("always"), FsyncPolicy::Always);
        assert_eq!(FsyncPolicy::from_name("everysec"), FsyncPolicy::EverySec);
        assert_eq!(FsyncPolicy::from_name("no"), FsyncPolicy::No);
    }
}
