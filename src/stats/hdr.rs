//! A high dynamic range histogram with Redis's latency-tracking layout: values from 1 to
//! 1,000,000,000 nanoseconds kept to 2 significant digits (`hdr_init(1, 1e9, 2)`), so
//! `INFO latencystats` percentiles and `LATENCY HISTOGRAM` buckets come out as Redis prints them.
//!
//! The layout is HdrHistogram's: 23 buckets of 128 sub-buckets each (the first bucket has 256), a
//! bucket covering twice the range of the one before at half the resolution. Every value maps to
//! a range of "equivalent" values; percentiles answer the highest value of the range they fall in.

/// Smallest value tracked (1 ns); smaller durations are recorded as this.
pub const MIN_VALUE: u64 = 1;
/// Largest value tracked (1 s in nanoseconds); larger durations are recorded as this.
pub const MAX_VALUE: u64 = 1_000_000_000;

/// log2 of half the sub-bucket count: 2 significant digits need 200 distinct values per bucket,
/// rounded up to 256.
const SUB_BUCKET_HALF_COUNT_MAGNITUDE: u32 = 7;
const SUB_BUCKET_HALF_COUNT: usize = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
const SUB_BUCKET_COUNT: u64 = 2 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
const SUB_BUCKET_MASK: u64 = SUB_BUCKET_COUNT - 1;
/// Buckets needed to reach [`MAX_VALUE`]: 256 << 22 is the first power past it.
const BUCKET_COUNT: usize = 23;
const COUNTS_LEN: usize = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;

/// Counts of recorded values (nanoseconds).
#[derive(Clone)]
pub struct Histogram {
    counts: Box<[u64; COUNTS_LEN]>,
    total: u64,
}

impl std::fmt::Debug for Histogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Histogram").field("total", &self.total).finish_non_exhaustive()
    }
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram { counts: Box::new([0; COUNTS_LEN]), total: 0 }
    }
}

/// The bucket holding `value`.
fn bucket_index(value: u64) -> u32 {
    let pow2ceiling = 64 - (value | SUB_BUCKET_MASK).leading_zeros();
    pow2ceiling - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1)
}

/// `value`'s sub-bucket within bucket `bucket`.
fn sub_bucket_index(value: u64, bucket: u32) -> u64 {
    value >> bucket
}

/// Index in the counts array of `value`.
fn counts_index(value: u64) -> usize {
    let bucket = bucket_index(value);
    let sub = sub_bucket_index(value, bucket) as usize;
    ((bucket as usize + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + sub - SUB_BUCKET_HALF_COUNT
}

/// The lowest value counted at `index` (`hdr_value_at_index`).
fn value_at_index(index: usize) -> u64 {
    let mut bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) as i64 - 1;
    let mut sub = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
    if bucket < 0 {
        sub -= SUB_BUCKET_HALF_COUNT;
        bucket = 0;
    }
    (sub as u64) << bucket
}

/// Width of the range of values equivalent to `value`.
fn equivalent_range(value: u64) -> u64 {
    let bucket = bucket_index(value);
    let sub = sub_bucket_index(value, bucket);
    let adjusted = if sub >= SUB_BUCKET_COUNT { bucket + 1 } else { bucket };
    1 << adjusted
}

/// The lowest value equivalent to `value`.
fn lowest_equivalent(value: u64) -> u64 {
    let bucket = bucket_index(value);
    sub_bucket_index(value, bucket) << bucket
}

/// The highest value equivalent to `value`.
fn highest_equivalent(value: u64) -> u64 {
    lowest_equivalent(value) + equivalent_range(value) - 1
}

impl Histogram {
    /// Records one value, clamped into [`MIN_VALUE`, `MAX_VALUE`] as Redis's
    /// `updateCommandLatencyHistogram` does.
    pub fn record(&mut self, nanos: u64) {
        let value = nanos.clamp(MIN_VALUE, MAX_VALUE);
        self.counts[counts_index(value)] += 1;
        self.total += 1;
    }

    /// Number of values recorded.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The value at `percentile` (0 to 100), as `hdr_value_at_percentile`: the highest value
    /// equivalent to the one the percentile's count reaches (the lowest for percentile 0).
    pub fn value_at_percentile(&self, percentile: f64) -> u64 {
        let requested = percentile.min(100.0);
        let wanted = (((requested / 100.0) * self.total as f64) + 0.5) as u64;
        let wanted = wanted.max(1);
        let mut seen = 0;
        let mut value = 0;
        for (index, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= wanted {
                value = value_at_index(index);
                break;
            }
        }
        if percentile == 0.0 { lowest_equivalent(value) } else { highest_equivalent(value) }
    }

    /// The cumulative distribution LATENCY HISTOGRAM shows: `(highest value of the bucket,
    /// values recorded up to it)` at power-of-two steps from 1024 ns, as HdrHistogram's
    /// logarithmic iterator (`hdr_iter_log_init(h, 1024, 2)`) walks them, keeping the steps
    /// where the count grew.
    pub fn log_steps(&self) -> Vec<(u64, u64)> {
        let mut steps = Vec::new();
        // The iterator's state: the index reached (-1 before the first), its lowest value, the
        // highest value equivalent to it, and the count up to it.
        let mut index: i64 = -1;
        let mut value = 0u64;
        let mut highest = 0u64;
        let mut cumulative = 0u64;
        let mut level = 1024u64;
        let mut level_lowest = lowest_equivalent(level);
        let mut previous = 0u64;
        let past_end = |index: i64| index >= COUNTS_LEN as i64;
        loop {
            let next_passes_level = !past_end(index) && value_at_index((index + 1) as usize) > level_lowest;
            if cumulative >= self.total && !next_passes_level {
                break;
            }
            loop {
                if value >= level_lowest {
                    level *= 2;
                    level_lowest = lowest_equivalent(level);
                    break;
                }
                index += 1;
                if past_end(index) {
                    break;
                }
                let i = index as usize;
                cumulative += self.counts[i];
                value = value_at_index(i);
                highest = lowest_equivalent(value) + equivalent_range(value) - 1;
            }
            if cumulative > previous {
                steps.push((highest, cumulative));
            }
            previous = cumulative;
        }
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_ranges_keep_two_significant_digits() {
        assert_eq!(counts_index(1), 1);
        assert_eq!(counts_index(255), 255);
        assert_eq!(counts_index(256), 256);
        assert_eq!(counts_index(257), 256);
        assert_eq!(highest_equivalent(257), 257);
        assert_eq!(highest_equivalent(1000), 1003);
        assert_eq!(highest_equivalent(33_000), 33_023);
        assert!(counts_index(MAX_VALUE) < COUNTS_LEN);
        for v in [1u64, 100, 999, 12_345, 1_000_000, 999_999_999] {
            let (lo, hi) = (lowest_equivalent(v), highest_equivalent(v));
            assert!(lo <= v && v <= hi && (hi - lo) as f64 <= v as f64 / 100.0 + 1.0, "{v}: {lo}..{hi}");
        }
    }

    #[test]
    fn percentiles_as_redis_prints_them() {
        let mut h = Histogram::default();
        assert_eq!(h.value_at_percentile(50.0), 0);
        h.record(0);
        assert_eq!(h.total(), 1);
        assert_eq!(h.value_at_percentile(50.0), 1);
        let mut h = Histogram::default();
        for us in 1..=100u64 {
            h.record(us * 1000);
        }
        assert_eq!(h.value_at_percentile(50.0), 50_175);
        assert_eq!(h.value_at_percentile(99.0), 99_327);
        assert_eq!(h.value_at_percentile(100.0), 100_351);
        assert_eq!(h.value_at_percentile(0.0), 1000);
    }

    #[test]
    fn log_steps_end_at_the_largest_value() {
        let mut h = Histogram::default();
        assert!(h.log_steps().is_empty());
        h.record(33_000);
        // One SET of 33 µs shows as `33 1` in redis-server's LATENCY HISTOGRAM.
        assert_eq!(h.log_steps().iter().map(|&(v, n)| (v / 1000, n)).collect::<Vec<_>>(), [(33, 1)]);
        h.record(5_000);
        h.record(2_000_000_000);
        let steps = h.log_steps();
        assert_eq!(steps.last().map(|s| s.1), Some(3));
        assert!(steps.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
    }
}
