//! Redis's `redisLrand48`: the 48-bit linear congruential generator of POSIX `drand48`, behind
//! scripts' `math.random`, so scripts see the same sequence on every platform and as in Redis
//! (one sequence for the whole process; `math.randomseed` restarts it).

/// The multiplier of the recurrence `x = (A * x + C) mod 2^48`.
const A: u64 = 0x5_DEEC_E66D;
/// The increment.
const C: u64 = 0xB;
/// The state before any seeding (Redis's X2:X1:X0).
const INITIAL: u64 = 0x1234_ABCD_330E;
/// `REDIS_LRAND48_MAX`.
const LRAND48_MAX: u32 = i32::MAX as u32;

/// The generator's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lrand48 {
    x: u64,
}

impl Default for Lrand48 {
    fn default() -> Self {
        Lrand48 { x: INITIAL }
    }
}

impl Lrand48 {
    /// `redisSrand48(seed)`: the low 16 bits are 0x330E, then the seed's 32 bits.
    pub fn seed(&mut self, seed: i32) {
        self.x = (u64::from(seed as u32) << 16) | 0x330E;
    }

    /// `redisLrand48()`: the next 31-bit value.
    pub fn next_u31(&mut self) -> u32 {
        self.x = (A.wrapping_mul(self.x).wrapping_add(C)) & ((1 << 48) - 1);
        (self.x >> 17) as u32
    }

    /// What `math.random()` returns: a number in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        f64::from(self.next_u31() % LRAND48_MAX) / f64::from(LRAND48_MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_posix_lrand48() {
        // Real Redis answers 0.39646477363839 to its first math.random(); glibc agrees after srand48(0).
        let mut r = Lrand48::default();
        assert_eq!(r.next_u31(), 851_401_618);
        let mut s = Lrand48::default();
        s.seed(0);
        assert_eq!([s.next_u31(), s.next_u31(), s.next_u31()], [366_850_414, 1_610_402_240, 206_956_554]);
    }
}
