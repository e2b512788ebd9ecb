//! Keys' access clocks, kept in [`super::Entry::lru`] as Redis keeps them in an object's 24 bits.
//!
//! Under an LRU (or no) policy the field is the time of last access in seconds, wrapping at 24
//! bits (Redis's `LRU_CLOCK` at 1000 ms resolution). Under an LFU policy it is 16 bits of minutes
//! (the last decrement time) above an 8-bit logarithmic access counter: a new key starts at
//! [`LFU_INIT_VAL`], each access increments it with probability `1 / ((counter - 5) * factor + 1)`,
//! and it loses one per `lfu-decay-time` minutes without access.
//!
//! The [`AccessClock`] is a small value each database holds: the current time and the policy,
//! refreshed by the executor (so lookups never read the system clock), plus whether the running
//! command may touch keys at all (CLIENT NO-TOUCH).

use crate::config::MaxmemoryPolicy;

/// The LRU clock wraps at 24 bits.
const LRU_CLOCK_MAX: u64 = (1 << 24) - 1;
/// Milliseconds per LRU clock unit.
const LRU_CLOCK_RESOLUTION_MS: u64 = 1000;
/// The LFU minutes wrap at 16 bits.
const LFU_MINUTES_MAX: u64 = 0xffff;
/// Counter of a new key under LFU, so it is not evicted before it had a chance to be used.
pub const LFU_INIT_VAL: u8 = 5;

/// How accesses are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockMode {
    /// Last access time in seconds.
    Lru,
    /// Logarithmic frequency counter with decay.
    Lfu {
        /// `lfu-log-factor`.
        log_factor: u32,
        /// `lfu-decay-time`, minutes per decrement (0: never decay).
        decay_minutes: u32,
    },
}

/// The clock a database stamps keys with; see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessClock {
    /// LRU or LFU.
    pub mode: ClockMode,
    /// Current Unix time in seconds.
    pub now_secs: u64,
    /// Whether lookups update the clock (false for a CLIENT NO-TOUCH client).
    pub touch: bool,
}

impl Default for AccessClock {
    fn default() -> Self {
        AccessClock { mode: ClockMode::Lru, now_secs: unix_secs(), touch: true }
    }
}

/// Seconds since the Unix epoch.
pub fn unix_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

impl AccessClock {
    /// The clock for `policy` with its LFU parameters, at `now_secs`.
    pub fn new(policy: MaxmemoryPolicy, log_factor: u32, decay_minutes: u32, now_secs: u64, touch: bool) -> Self {
        let mode = if policy.is_lfu() { ClockMode::Lfu { log_factor, decay_minutes } } else { ClockMode::Lru };
        AccessClock { mode, now_secs, touch }
    }

    /// Whether the LFU counter is in use (OBJECT FREQ versus IDLETIME).
    pub fn is_lfu(&self) -> bool {
        matches!(self.mode, ClockMode::Lfu { .. })
    }

    fn lru_now(&self) -> u32 {
        (self.now_secs & LRU_CLOCK_MAX) as u32
    }

    fn minutes_now(&self) -> u32 {
        ((self.now_secs / 60) & LFU_MINUTES_MAX) as u32
    }

    /// The clock field of a key created now.
    pub fn initial(&self) -> u32 {
        match self.mode {
            ClockMode::Lru => self.lru_now(),
            ClockMode::Lfu { .. } => (self.minutes_now() << 8) | u32::from(LFU_INIT_VAL),
        }
    }

    /// Records an access in `field` (Redis's `updateLFU` or `LRU_CLOCK` stamp).
    pub fn touch(&self, field: &mut u32) {
        *field = match self.mode {
            ClockMode::Lru => self.lru_now(),
            ClockMode::Lfu { log_factor, .. } => {
                let counter = log_increment(self.frequency(*field), log_factor, fastrand::f64());
                (self.minutes_now() << 8) | u32::from(counter)
            }
        };
    }

    /// The clock field of a key loaded or restored with these hints (Redis's
    /// `objectSetLRUOrLFU`): under LFU the counter `freq`, stamped now; otherwise the time
    /// `idle_secs` ago, wrapping as the 24-bit field does. `None` when the hint for the current
    /// mode is absent (the key keeps the field it was created with).
    pub fn restored(&self, freq: Option<u8>, idle_secs: Option<u64>) -> Option<u32> {
        match self.mode {
            ClockMode::Lfu { .. } => freq.map(|f| (self.minutes_now() << 8) | u32::from(f)),
            ClockMode::Lru => idle_secs.map(|idle| {
                let mut at = i128::from(self.lru_now()) - i128::from(idle);
                if at < 0 {
                    at += i128::from(LRU_CLOCK_MAX);
                }
                (at & i128::from(LRU_CLOCK_MAX)) as u32
            }),
        }
    }

    /// Milliseconds since the access `field` records, as an LRU field (Redis's
    /// `estimateObjectIdleTime`: the clock may have wrapped once).
    pub fn idle_ms(&self, field: u32) -> u64 {
        let (now, then) = (u64::from(self.lru_now()), u64::from(field) & LRU_CLOCK_MAX);
        let units = if now >= then { now - then } else { now + (LRU_CLOCK_MAX - then) };
        units * LRU_CLOCK_RESOLUTION_MS
    }

    /// The LFU counter in `field` after the decay due since its last decrement time (Redis's
    /// `LFUDecrAndReturn`; nothing is stored).
    pub fn frequency(&self, field: u32) -> u8 {
        let counter = (field & 0xff) as u8;
        let ClockMode::Lfu { decay_minutes, .. } = self.mode else { return counter };
        if decay_minutes == 0 {
            return counter;
        }
        let then = field >> 8;
        let now = self.minutes_now();
        let elapsed = if now >= then { now - then } else { LFU_MINUTES_MAX as u32 - then + now };
        let periods = elapsed / decay_minutes;
        counter.saturating_sub(u8::try_from(periods).unwrap_or(u8::MAX))
    }
}

/// One probabilistic increment of an LFU counter, given a uniform draw `r` in [0, 1).
fn log_increment(counter: u8, log_factor: u32, r: f64) -> u8 {
    if counter == u8::MAX {
        return counter;
    }
    let base = f64::from(counter.saturating_sub(LFU_INIT_VAL));
    let p = 1.0 / (base * f64::from(log_factor) + 1.0);
    if r < p { counter + 1 } else { counter }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lfu(log_factor: u32, decay_minutes: u32, now_secs: u64) -> AccessClock {
        AccessClock { mode: ClockMode::Lfu { log_factor, decay_minutes }, now_secs, touch: true }
    }

    #[test]
    fn lru_idle_time_wraps() {
        let clock = AccessClock { mode: ClockMode::Lru, now_secs: 100, touch: true };
        let field = clock.initial();
        assert_eq!(clock.idle_ms(field), 0);
        let later = AccessClock { now_secs: 160, ..clock };
        assert_eq!(later.idle_ms(field), 60_000);
        let wrapped = AccessClock { now_secs: LRU_CLOCK_MAX + 1 + 5, ..clock };
        assert_eq!(wrapped.idle_ms((LRU_CLOCK_MAX - 10) as u32), 15_000);
    }

    #[test]
    fn lfu_starts_at_five_and_grows_logarithmically() {
        let clock = lfu(10, 1, 6000);
        let mut field = clock.initial();
        assert_eq!(clock.frequency(field), LFU_INIT_VAL);
        clock.touch(&mut field);
        // From the initial value the probability is 1.
        assert_eq!(clock.frequency(field), LFU_INIT_VAL + 1);
        for _ in 0..1000 {
            clock.touch(&mut field);
        }
        let f = clock.frequency(field);
        assert!((10..40).contains(&f), "{f}");
        assert_eq!(log_increment(255, 0, 0.0), 255);
        assert_eq!(log_increment(100, 0, 0.99), 101);
    }

    #[test]
    fn restored_fields_follow_the_mode() {
        let lru = AccessClock { mode: ClockMode::Lru, now_secs: 1000, touch: true };
        assert_eq!(lru.idle_ms(lru.restored(None, Some(30)).unwrap()), 30_000);
        assert_eq!(lru.restored(Some(9), None), None);
        // Longer ago than the clock has run: the field wraps once, as Redis's does.
        let field = lru.restored(None, Some(1500)).unwrap();
        assert_eq!(u64::from(field), LRU_CLOCK_MAX - 500);
        let clock = lfu(10, 1, 6000);
        assert_eq!(clock.frequency(clock.restored(Some(77), Some(5)).unwrap()), 77);
        assert_eq!(clock.restored(None, Some(5)), None);
    }

    #[test]
    fn lfu_decays_per_period() {
        let clock = lfu(10, 2, 60 * 100);
        let field = (100 << 8) | 20;
        assert_eq!(clock.frequency(field), 20);
        assert_eq!(lfu(10, 2, 60 * 107).frequency(field), 17);
        assert_eq!(lfu(10, 0, 60 * 10_000).frequency(field), 20);
        assert_eq!(lfu(10, 1, 60 * 10_000).frequency(field), 0);
    }
}
