//! `client-output-buffer-limit`: a client whose unwritten output grows past its class's hard
//! limit, or stays past the soft limit for the configured seconds, is closed at once and its
//! output dropped (Redis's `checkClientOutputBufferLimits` and `freeClientAsync`), so a client
//! that never reads cannot make the server hold unbounded memory.

use std::time::Instant;

use super::client::Client;
use crate::config::{OutputLimit, OutputLimits};

/// Whether `pending` bytes break `limit` now, updating the client's soft-limit timer.
fn over_limit(limit: OutputLimit, pending: u64, soft_since: &mut Option<Instant>) -> bool {
    if limit.hard > 0 && pending >= limit.hard {
        return true;
    }
    if limit.soft == 0 || pending < limit.soft {
        *soft_since = None;
        return false;
    }
    // Past the limit for longer than the configured seconds, not at them (Redis's `elapsed >
    // soft_limit_seconds`).
    match *soft_since {
        // The first sighting only starts the clock.
        None => {
            *soft_since = Some(Instant::now());
            false
        }
        Some(since) => since.elapsed() > std::time::Duration::from_secs(limit.soft_seconds),
    }
}

impl Client {
    /// Checks the client's unwritten output (`extra` counts replies of its running batch not yet
    /// handed to its connection) against its class's limits; a client over them is closed at
    /// once, its output dropped. Returns whether it was closed.
    pub fn enforce_output_limit(&mut self, limits: &OutputLimits, extra: usize) -> bool {
        if self.close_asap {
            return true;
        }
        let limit = limits.of(self.output_class());
        if limit.hard == 0 && limit.soft == 0 {
            return false;
        }
        let pending = (self.pending_output() + extra) as u64;
        if !over_limit(limit, pending, &mut self.soft_limit_since) {
            return false;
        }
        tracing::warn!(
            "Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
            self.id,
            self.peer_addr()
        );
        self.close_asap = true;
        self.output.clear();
        self.kill();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_limit_closes_at_once_and_soft_limit_after_its_seconds() {
        let mut since = None;
        let hard = OutputLimit { hard: 100, soft: 0, soft_seconds: 0 };
        assert!(!over_limit(hard, 99, &mut since));
        assert!(over_limit(hard, 100, &mut since));

        let soft = OutputLimit { hard: 0, soft: 50, soft_seconds: 60 };
        assert!(!over_limit(soft, 60, &mut since));
        assert!(since.is_some());
        assert!(!over_limit(soft, 10, &mut since));
        assert!(since.is_none());
        let immediate = OutputLimit { hard: 0, soft: 50, soft_seconds: 0 };
        assert!(!over_limit(immediate, 50, &mut since), "the first sighting starts the clock");
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(over_limit(immediate, 50, &mut since));
    }
}
