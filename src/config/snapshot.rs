//! The typed form of the RDB snapshot directives (`save`, `dbfilename`, `rdbcompression`,
//! `rdbchecksum`, `rdb-key-save-delay`, `stop-writes-on-bgsave-error`, `rdb-del-sync-files`).

/// `save <seconds> <changes>`: snapshot when at least `changes` writes happened and `seconds`
/// passed since the last successful save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavePoint {
    /// Seconds since the last save.
    pub seconds: u64,
    /// Changes since the last save.
    pub changes: u64,
}

/// How and when RDB snapshots are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotSettings {
    /// Automatic save points (empty: `save ""`, none).
    pub save_points: Vec<SavePoint>,
    /// File name inside `dir`.
    pub dbfilename: String,
    /// LZF-compress strings longer than 20 bytes.
    pub compression: bool,
    /// Write (and check on load) the CRC64 trailer.
    pub checksum: bool,
    /// Microseconds to wait after each key written (Redis's testing aid; 0: none).
    pub key_save_delay_us: i64,
    /// Refuse writes (MISCONF) while the last background save failed.
    pub stop_writes_on_error: bool,
    /// Remove the RDB file a replication-only save produced.
    pub del_sync_files: bool,
}

impl SnapshotSettings {
    /// Builds the settings from canonical directive values read by `text`.
    pub fn read(text: impl Fn(&str) -> String) -> SnapshotSettings {
        let yes = |name: &str| text(name) == "yes";
        SnapshotSettings {
            save_points: parse_save_points(&text("save")),
            dbfilename: text("dbfilename"),
            compression: yes("rdbcompression"),
            checksum: yes("rdbchecksum"),
            key_save_delay_us: text("rdb-key-save-delay").parse().unwrap_or(0),
            stop_writes_on_error: yes("stop-writes-on-bgsave-error"),
            del_sync_files: yes("rdb-del-sync-files"),
        }
    }
}

/// `"900 1 300 10"` → two save points; anything malformed is skipped (values were validated when
/// stored).
fn parse_save_points(canonical: &str) -> Vec<SavePoint> {
    let numbers: Vec<u64> = canonical.split_ascii_whitespace().filter_map(|n| n.parse().ok()).collect();
    numbers.chunks_exact(2).map(|pair| SavePoint { seconds: pair[0], changes: pair[1] }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_points_pair_up() {
        assert_eq!(
            parse_save_points("3600 1 300 100"),
            [SavePoint { seconds: 3600, changes: 1 }, SavePoint { seconds: 300, changes: 100 }]
        );
        assert!(parse_save_points("").is_empty());
    }
}
