//! The primary's view of its replicas, as far as commands see it: `min-replicas-to-write`
//! (Redis's `checkGoodReplicasStatus`) and INFO's `min_slaves_good_slaves`. rkv does not stream
//! to replicas yet, so no replica is ever good and the setting refuses writes once it is on.

use super::ServerState;

/// The error a write gets while too few good replicas are connected.
pub const NOREPLICAS_ERROR: &str = "NOREPLICAS Not enough good replicas to write.";

impl ServerState {
    /// Replicas whose last ack is within `min-replicas-max-lag` (Redis's
    /// `repl_good_slaves_count`).
    pub fn good_replicas(&self) -> u32 {
        0
    }

    /// Whether `min-replicas-to-write` is in force: both it and `min-replicas-max-lag` are set.
    pub fn min_replicas_check_on(&self) -> bool {
        self.config.min_replicas_to_write > 0 && self.config.min_replicas_max_lag > 0
    }

    /// Whether writes are accepted as far as replicas go (Redis's `checkGoodReplicasStatus`).
    pub fn enough_good_replicas(&self) -> bool {
        !self.min_replicas_check_on() || self.good_replicas() >= self.config.min_replicas_to_write
    }
}
