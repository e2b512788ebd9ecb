//! Eviction down to `maxmemory`, run before commands as Redis's `performEvictions` is.
//!
//! LRU, LFU and TTL policies keep a pool of the [`POOL_SIZE`] best candidates seen so far, sorted
//! by score (idle time, 255 minus frequency, or time before expiry, higher is evicted first) and
//! refilled from `maxmemory-samples` random keys of every database on each pick; a candidate
//! deleted meanwhile is skipped. Random policies take a random key from the databases in turn.
//! Volatile policies only consider keys with a TTL. Deleting stops once enough memory was
//! freed, or when the `maxmemory-eviction-tenacity` time budget runs out (then commands still run
//! and the executor's cron keeps evicting).

use std::time::{Duration, Instant};

use super::Db;
use crate::config::MaxmemoryPolicy;
use crate::types::small_bytes::SmallBytes;

/// Candidates kept between picks (Redis's `EVPOOL_SIZE`).
pub const POOL_SIZE: usize = 16;
/// Keys deleted between checks of the memory level and the time budget.
const CHECK_EVERY: u64 = 16;
/// Refill rounds tried for one pick before giving up (only reachable if sampling keeps failing).
const MAX_REFILLS: usize = 100;

/// What eviction works towards, from the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `maxmemory` in bytes (0: no limit).
    pub maxmemory: u64,
    /// `maxmemory-policy`.
    pub policy: MaxmemoryPolicy,
    /// `maxmemory-samples`.
    pub samples: usize,
    /// `maxmemory-eviction-tenacity`.
    pub tenacity: u32,
}

/// How a round of eviction ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Outcome {
    /// Memory is under the limit.
    #[default]
    Ok,
    /// Still over, but the time budget ran out: keep accepting commands, keep evicting.
    Running,
    /// Over the limit with nothing (more) to evict: refuse commands that may grow memory.
    Fail,
}

/// One pool entry.
#[derive(Debug, Clone)]
struct Candidate {
    score: u64,
    db: usize,
    key: SmallBytes,
}

/// Eviction state kept between commands: the candidate pool and the counters INFO shows.
#[derive(Debug, Default)]
pub struct Evictor {
    /// Sorted by ascending score; the best candidate is last.
    pool: Vec<Candidate>,
    /// Where random policies look next.
    next_db: usize,
    /// Keys evicted (INFO `evicted_keys`).
    pub evicted_keys: u64,
    /// `(database, key)` of the keys evicted since the caller last drained them, so the caller can
    /// signal them as modified (WATCH) like any other deletion.
    pub just_evicted: Vec<(usize, SmallBytes)>,
    /// Since when memory has stayed over the limit (INFO `current_eviction_exceeded_time`).
    exceeded_since: Option<Instant>,
    /// Time spent over the limit in earlier episodes.
    exceeded_total: Duration,
    /// How the last round ended.
    pub last: Outcome,
}

/// The time one round may spend deleting, by tenacity: 50 µs per point up to 10, then growing
/// 15% per point, unlimited at 100 (Redis's `evictionTimeLimitUs`).
fn time_limit(tenacity: u32) -> Option<Duration> {
    match tenacity {
        0..=10 => Some(Duration::from_micros(50 * u64::from(tenacity))),
        11..=99 => Some(Duration::from_secs_f64(500e-6 * 1.15f64.powi(tenacity as i32 - 10))),
        _ => None,
    }
}

impl Evictor {
    /// Evicts keys until `used(dbs)` (the memory in use) is at most `limits.maxmemory` or the
    /// budget runs out.
    pub fn perform(
        &mut self,
        dbs: &mut [Db],
        limits: &Limits,
        rng: &mut fastrand::Rng,
        used: impl Fn(&[Db]) -> u64,
    ) -> Outcome {
        let outcome = self.evict(dbs, limits, rng, &used);
        self.note_outcome(outcome);
        outcome
    }

    fn evict(
        &mut self,
        dbs: &mut [Db],
        limits: &Limits,
        rng: &mut fastrand::Rng,
        used: &dyn Fn(&[Db]) -> u64,
    ) -> Outcome {
        let over = used(dbs).saturating_sub(limits.maxmemory);
        if limits.maxmemory == 0 || over == 0 {
            return Outcome::Ok;
        }
        if limits.policy == MaxmemoryPolicy::NoEviction {
            return Outcome::Fail;
        }
        let budget = time_limit(limits.tenacity);
        let started = Instant::now();
        let (mut freed, mut deleted) = (0u64, 0u64);
        while freed < over {
            let Some((db, key)) = self.pick(dbs, limits, rng) else { return Outcome::Fail };
            let before = used(dbs);
            dbs[db].remove(key.as_bytes());
            freed += before.saturating_sub(used(dbs));
            self.evicted_keys += 1;
            self.just_evicted.push((db, key));
            deleted += 1;
            if deleted % CHECK_EVERY == 0 {
                if used(dbs) <= limits.maxmemory {
                    return Outcome::Ok;
                }
                if budget.is_some_and(|b| started.elapsed() > b) {
                    return Outcome::Running;
                }
            }
        }
        Outcome::Ok
    }

    /// Tracks how long memory stays over the limit.
    fn note_outcome(&mut self, outcome: Outcome) {
        self.last = outcome;
        match (outcome, self.exceeded_since) {
            (Outcome::Ok, Some(since)) => {
                self.exceeded_total += since.elapsed();
                self.exceeded_since = None;
            }
            (Outcome::Running | Outcome::Fail, None) => self.exceeded_since = Some(Instant::now()),
            _ => {}
        }
    }

    /// Milliseconds of the current over-limit episode, and of all episodes including it.
    pub fn exceeded_ms(&self) -> (u128, u128) {
        let current = self.exceeded_since.map_or(Duration::ZERO, |s| s.elapsed());
        (current.as_millis(), (self.exceeded_total + current).as_millis())
    }

    /// CONFIG RESETSTAT.
    pub fn reset_stats(&mut self) {
        self.evicted_keys = 0;
        self.exceeded_total = Duration::ZERO;
        self.exceeded_since = self.exceeded_since.map(|_| Instant::now());
    }

    /// The next key to evict and its database.
    fn pick(&mut self, dbs: &[Db], limits: &Limits, rng: &mut fastrand::Rng) -> Option<(usize, SmallBytes)> {
        let volatile = limits.policy.volatile_only();
        if matches!(limits.policy, MaxmemoryPolicy::AllkeysRandom | MaxmemoryPolicy::VolatileRandom) {
            return self.pick_random(dbs, volatile, rng);
        }
        for _ in 0..MAX_REFILLS {
            let mut keys = 0;
            for (index, db) in dbs.iter().enumerate() {
                let size = if volatile { db.volatile_len() } else { db.len() };
                if size > 0 {
                    self.refill(index, db, limits, rng);
                    keys += size;
                }
            }
            if keys == 0 {
                return None;
            }
            // Best first; candidates deleted since they were sampled are dropped.
            while let Some(c) = self.pool.pop() {
                let db = dbs.get(c.db)?;
                if db.peek(c.key.as_bytes()).is_some() && (!volatile || db.expire_at(c.key.as_bytes()).is_some()) {
                    return Some((c.db, c.key));
                }
            }
        }
        None
    }

    /// A random key of the next database (in turn) that has candidates.
    fn pick_random(&mut self, dbs: &[Db], volatile: bool, rng: &mut fastrand::Rng) -> Option<(usize, SmallBytes)> {
        for _ in 0..dbs.len() {
            self.next_db = (self.next_db + 1) % dbs.len();
            let mut found = None;
            dbs[self.next_db].sample(rng, 1, volatile, |key, _, _| found = Some(key.clone()));
            if let Some(key) = found {
                return Some((self.next_db, key));
            }
        }
        None
    }

    /// Samples `limits.samples` keys of database `index` into the pool.
    fn refill(&mut self, index: usize, db: &Db, limits: &Limits, rng: &mut fastrand::Rng) {
        let clock = *db.clock();
        db.sample(rng, limits.samples, limits.policy.volatile_only(), |key, entry, expire| {
            let score = match limits.policy {
                MaxmemoryPolicy::VolatileTtl => u64::MAX - expire.map_or(0, |at| at.max(0) as u64),
                p if p.is_lfu() => 255 - u64::from(clock.frequency(entry.lru())),
                _ => clock.idle_ms(entry.lru()),
            };
            self.offer(Candidate { score, db: index, key: key.clone() });
        });
    }

    /// Inserts a candidate in score order; when the pool is full it must beat the worst one,
    /// which is dropped.
    fn offer(&mut self, candidate: Candidate) {
        if self.pool.iter().any(|c| c.db == candidate.db && c.key.as_bytes() == candidate.key.as_bytes()) {
            return;
        }
        let at = self.pool.partition_point(|c| c.score < candidate.score);
        if self.pool.len() < POOL_SIZE {
            self.pool.insert(at, candidate);
        } else if at > 0 {
            self.pool.remove(0);
            self.pool.insert(at - 1, candidate);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyspace::clock::{AccessClock, ClockMode};
    use crate::keyspace::{StringValue, Value};

    fn limits(policy: MaxmemoryPolicy) -> Limits {
        Limits { maxmemory: 1, policy, samples: 5, tenacity: 100 }
    }

    /// A database with `n` keys `k0..`, key `ki` last accessed `n - i` seconds before `now`.
    fn aged_db(n: u64, now: u64) -> Db {
        let mut db = Db::default();
        for i in 0..n {
            db.set_clock(AccessClock { mode: ClockMode::Lru, now_secs: now - (n - i), touch: true });
            db.insert(format!("k{i}").as_bytes(), Value::String(StringValue::Int(i as i64)), false);
        }
        db.set_clock(AccessClock { mode: ClockMode::Lru, now_secs: now, touch: true });
        db
    }

    /// "Memory" in these tests is the number of keys.
    fn key_count(dbs: &[Db]) -> u64 {
        dbs.iter().map(|d| d.len() as u64).sum()
    }

    #[test]
    fn lru_evicts_mostly_the_idlest_keys() {
        let mut dbs = vec![aged_db(1000, 1_000_000)];
        let mut rng = fastrand::Rng::with_seed(9);
        let mut ev = Evictor::default();
        let limits = Limits { maxmemory: 500, ..limits(MaxmemoryPolicy::AllkeysLru) };
        assert_eq!(ev.perform(&mut dbs, &limits, &mut rng, key_count), Outcome::Ok);
        assert_eq!(ev.evicted_keys, 500);
        assert_eq!(dbs[0].len(), 500);
        // Survivors are mostly the recent half.
        let recent = (500..1000).filter(|i| dbs[0].peek(format!("k{i}").as_bytes()).is_some()).count();
        assert!(recent > 400, "{recent}");
    }

    #[test]
    fn volatile_policies_need_volatile_keys() {
        let mut dbs = vec![aged_db(10, 1000)];
        let mut rng = fastrand::Rng::with_seed(1);
        let mut ev = Evictor::default();
        for policy in [MaxmemoryPolicy::VolatileLru, MaxmemoryPolicy::VolatileRandom, MaxmemoryPolicy::VolatileTtl] {
            assert_eq!(ev.perform(&mut dbs, &limits(policy), &mut rng, |_| 100), Outcome::Fail);
        }
        assert_eq!(ev.perform(&mut dbs, &limits(MaxmemoryPolicy::NoEviction), &mut rng, |_| 100), Outcome::Fail);
        assert_eq!(ev.perform(&mut dbs, &limits(MaxmemoryPolicy::NoEviction), &mut rng, |_| 1), Outcome::Ok);
        assert_eq!(dbs[0].len(), 10);
    }

    #[test]
    fn volatile_ttl_takes_the_soonest_expiry() {
        let mut dbs = vec![aged_db(50, 1000)];
        for i in 0..50 {
            dbs[0].set_expire(format!("k{i}").as_bytes(), 10_000 + i);
        }
        let mut rng = fastrand::Rng::with_seed(2);
        let mut ev = Evictor::default();
        // Samples are drawn with replacement and the table's hash seed differs per run, so a few
        // samples would make this a coin toss; with 500 the odds of missing all of k0..k4 are
        // (45/50)^500, about 1e-23.
        let many = Limits { samples: 500, ..limits(MaxmemoryPolicy::VolatileTtl) };
        let (_, key) = ev.pick(&dbs, &many, &mut rng).unwrap();
        let first: i64 = std::str::from_utf8(&key.as_bytes()[1..]).unwrap().parse().unwrap();
        assert!(first < 5, "{first}");
    }

    #[test]
    fn pool_keeps_the_best_sixteen() {
        let mut ev = Evictor::default();
        for score in [5u64, 1, 9, 3, 7].into_iter().chain(10..40) {
            ev.offer(Candidate { score, db: 0, key: SmallBytes::new(format!("{score}").as_bytes()) });
        }
        let scores: Vec<u64> = ev.pool.iter().map(|c| c.score).collect();
        assert_eq!(scores, (24..40).collect::<Vec<_>>());
        assert_eq!(time_limit(0), Some(Duration::ZERO));
        assert_eq!(time_limit(10), Some(Duration::from_micros(500)));
        assert_eq!(time_limit(100), None);
    }
}
