//! Latency diagnostics: the latency monitor's events (LATENCY LATEST/HISTORY/GRAPH/DOCTOR, Redis's
//! latency.c), the per-command latency histograms (LATENCY HISTOGRAM and INFO latencystats), and
//! the slow log, held together in [`Latency`].
//!
//! The monitor keeps, per event name ("command", "fast-command", "expire-cycle"…), the worst
//! latency of each of the last [`SAMPLES`] seconds in which the event took at least
//! `latency-monitor-threshold` milliseconds, and the worst of all time.

use std::fmt::Write as _;

use super::hdr::Histogram;
use super::slowlog::SlowLog;

/// Seconds of samples kept per event (Redis's `LATENCY_TS_LEN`).
pub const SAMPLES: usize = 160;

/// Width of LATENCY GRAPH's plot (Redis's `LATENCY_GRAPH_COLS`).
const GRAPH_COLS: usize = 80;

/// Everything the latency commands and the slow log read, owned by the executor.
#[derive(Debug, Default)]
pub struct Latency {
    /// The slow log.
    pub slowlog: SlowLog,
    /// The latency monitor's events.
    pub events: Monitor,
    /// Per command id, the histogram of its run times in nanoseconds, created at its first run.
    histograms: Vec<Option<Histogram>>,
}

impl Latency {
    /// Records a run of command `id` that took `nanos`.
    pub fn record_histogram(&mut self, id: usize, nanos: u64) {
        if self.histograms.len() <= id {
            self.histograms.resize_with(id + 1, || None);
        }
        self.histograms[id].get_or_insert_with(Histogram::default).record(nanos);
    }

    /// The histogram of command `id`, if it ran since the last reset.
    pub fn histogram(&self, id: usize) -> Option<&Histogram> {
        self.histograms.get(id).and_then(Option::as_ref)
    }

    /// CONFIG RESETSTAT: forgets the histograms (the slow log and the monitor stay, as in Redis).
    pub fn reset_histograms(&mut self) {
        self.histograms.clear();
    }
}

/// One second's worst latency of an event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sample {
    /// Unix time in seconds (0: unused slot).
    pub time: u64,
    /// Milliseconds.
    pub latency: u64,
}

/// The samples of one event: a ring of the last [`SAMPLES`] seconds with a spike.
#[derive(Debug, Clone)]
pub struct Series {
    next: usize,
    /// Worst latency ever recorded.
    pub max: u64,
    samples: [Sample; SAMPLES],
}

impl Series {
    fn new() -> Self {
        Series { next: 0, max: 0, samples: [Sample::default(); SAMPLES] }
    }

    /// Used samples, oldest first.
    pub fn samples(&self) -> impl Iterator<Item = Sample> + '_ {
        (0..SAMPLES).map(move |j| self.samples[(self.next + j) % SAMPLES]).filter(|s| s.time != 0)
    }

    /// The newest sample.
    pub fn latest(&self) -> Sample {
        self.samples[(self.next + SAMPLES - 1) % SAMPLES]
    }

    fn add(&mut self, now: u64, latency: u64) {
        self.max = self.max.max(latency);
        let prev = (self.next + SAMPLES - 1) % SAMPLES;
        if self.samples[prev].time == now {
            self.samples[prev].latency = self.samples[prev].latency.max(latency);
            return;
        }
        self.samples[self.next] = Sample { time: now, latency };
        self.next = (self.next + 1) % SAMPLES;
    }
}

/// The latency monitor: events by name, in the order they first happened.
#[derive(Debug, Default)]
pub struct Monitor {
    events: Vec<(String, Series)>,
}

impl Monitor {
    /// Records that `event` took `latency_ms` if the monitor is on (`threshold_ms` > 0) and it
    /// reached the threshold (Redis's `latencyAddSampleIfNeeded`).
    pub fn add_if_needed(&mut self, event: &str, latency_ms: u64, threshold_ms: u64) {
        if threshold_ms > 0 && latency_ms >= threshold_ms {
            self.add(event, latency_ms, unix_time());
        }
    }

    /// Records a sample at `now` (unix seconds).
    pub fn add(&mut self, event: &str, latency_ms: u64, now: u64) {
        let i = match self.events.iter().position(|(name, _)| name == event) {
            Some(i) => i,
            None => {
                self.events.push((event.to_owned(), Series::new()));
                self.events.len() - 1
            }
        };
        self.events[i].1.add(now, latency_ms);
    }

    /// Every event with its samples.
    pub fn events(&self) -> impl Iterator<Item = (&str, &Series)> {
        self.events.iter().map(|(name, s)| (name.as_str(), s))
    }

    /// The samples of `event` (names match exactly, as in Redis's dictionary).
    pub fn get(&self, event: &[u8]) -> Option<(&str, &Series)> {
        self.events().find(|(name, _)| name.as_bytes() == event)
    }

    /// LATENCY RESET: forgets `event` (case-insensitively), or every event when `None`; returns
    /// how many were forgotten.
    pub fn reset(&mut self, event: Option<&[u8]>) -> usize {
        let before = self.events.len();
        self.events.retain(|(name, _)| event.is_some_and(|e| !name.as_bytes().eq_ignore_ascii_case(e)));
        before - self.events.len()
    }

    /// Whether no event was recorded.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

/// Seconds since the epoch.
pub fn unix_time() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Statistics of one event's samples (Redis's `analyzeLatencyForEvent`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Analysis {
    samples: u64,
    avg: u64,
    /// Mean absolute deviation from the average.
    mad: u64,
    /// Seconds from the oldest sample to now (at least 1).
    period: u64,
}

fn analyze(series: &Series, now: u64) -> Analysis {
    let samples: Vec<Sample> = series.samples().collect();
    if samples.is_empty() {
        return Analysis::default();
    }
    let n = samples.len() as u64;
    let avg = samples.iter().map(|s| s.latency).sum::<u64>() / n;
    let oldest = samples.iter().map(|s| s.time).min().unwrap_or(now);
    let period = now.saturating_sub(oldest).max(1);
    let mad = samples.iter().map(|s| s.latency.abs_diff(avg)).sum::<u64>() / n;
    Analysis { samples: n, avg, mad, period }
}

/// What LATENCY DOCTOR's advice depends on besides the events.
#[derive(Debug, Clone, Copy)]
pub struct DoctorSettings {
    /// `slowlog-log-slower-than` (µs).
    pub slowlog_slower_than: i64,
    /// `latency-monitor-threshold` (ms).
    pub threshold_ms: u64,
    /// `hz`.
    pub hz: u32,
    /// Bytes of transparent huge pages the process uses.
    pub anon_huge_pages: u64,
}

/// LATENCY DOCTOR's report, with Redis's texts for the events rkv records (command,
/// fast-command, expire-cycle, eviction-cycle, eviction-del) and the huge pages check.
pub fn doctor(monitor: &Monitor, settings: DoctorSettings, now: u64) -> String {
    let mut report = String::new();
    if monitor.is_empty() && settings.threshold_ms == 0 {
        report.push_str("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n");
        return report;
    }
    #[derive(Default)]
    struct Advice {
        slowlog_enabled: bool,
        slowlog_tuning: bool,
        slowlog_inspect: bool,
        scheduler: bool,
        hz: bool,
        large_objects: bool,
        mass_eviction: bool,
        disable_thp: bool,
    }
    let mut advise = Advice::default();
    let mut advices = 0;
    let mut eventnum = 0;
    for (event, series) in monitor.events() {
        eventnum += 1;
        if eventnum == 1 {
            report.push_str("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
        }
        let a = analyze(series, now);
        let _ = write!(
            report,
            "{eventnum}. {event}: {} latency spikes (average {}ms, mean deviation {}ms, period {:.2} sec). Worst all time event {}ms.",
            a.samples,
            a.avg,
            a.mad,
            a.period as f64 / a.samples as f64,
            series.max
        );
        let is = |name: &str| event.eq_ignore_ascii_case(name);
        if is("command") {
            if settings.slowlog_slower_than < 0 {
                advise.slowlog_enabled = true;
                advices += 1;
            } else if u64::try_from(settings.slowlog_slower_than / 1000).unwrap_or(0) > settings.threshold_ms {
                advise.slowlog_tuning = true;
                advices += 1;
            }
            advise.slowlog_inspect = true;
            advise.large_objects = true;
            advices += 2;
        }
        if is("fast-command") {
            advise.scheduler = true;
            advices += 1;
        }
        if is("expire-cycle") {
            advise.hz = true;
            advise.large_objects = true;
            advices += 2;
        }
        if is("eviction-del") {
            advise.large_objects = true;
            advices += 1;
        }
        if is("eviction-cycle") {
            advise.mass_eviction = true;
            advices += 1;
        }
        report.push('\n');
    }
    if settings.anon_huge_pages > 0 {
        advise.disable_thp = true;
        advices += 1;
    }
    if eventnum == 0 && advices == 0 {
        report.push_str("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
        return report;
    }
    if eventnum > 0 && advices == 0 {
        report.push_str("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n");
        return report;
    }
    report.push_str("\nI have a few advices for you:\n\n");
    let slowlog_setting = settings.threshold_ms * 1000;
    if advise.slowlog_enabled {
        let _ = writeln!(
            report,
            "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than {slowlog_setting}'. If the Slow log is disabled Redis is not able to log slow commands execution for you."
        );
    }
    if advise.slowlog_tuning {
        let _ = writeln!(
            report,
            "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than {slowlog_setting}'."
        );
    }
    if advise.slowlog_inspect {
        report.push_str("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
    }
    if advise.scheduler {
        report.push_str("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n  1) Lower the system load.\n  2) Use a computer / VM just for Redis if you are running other software in the same system.\n  3) Check if you have a \"noisy neighbour\" problem.\n  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n");
    }
    if advise.hz && settings.hz < 100 {
        report.push_str("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
    }
    if advise.large_objects {
        report.push_str("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n");
    }
    if advise.mass_eviction {
        report.push_str("- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n");
    }
    if advise.disable_thp {
        report.push_str("- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n");
    }
    report
}

/// Bytes of anonymous huge pages the process maps (the `AnonHugePages:` lines of
/// /proc/self/smaps), 0 where that file cannot be read.
pub fn anon_huge_pages() -> u64 {
    let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") else { return 0 };
    smaps
        .lines()
        .filter_map(|l| l.strip_prefix("AnonHugePages:"))
        .filter_map(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .sum::<u64>()
        * 1024
}

/// LATENCY GRAPH's text: a header, a rule, and a 4-row sparkline of the samples with each
/// column labelled vertically by how long ago it happened.
pub fn graph(event: &str, series: &Series, now: u64) -> String {
    let samples: Vec<Sample> = series.samples().collect();
    let values: Vec<f64> = samples.iter().map(|s| s.latency as f64).collect();
    let labels: Vec<String> = samples
        .iter()
        .map(|s| {
            let elapsed = now.saturating_sub(s.time);
            match elapsed {
                0..60 => format!("{elapsed}s"),
                60..3600 => format!("{}m", elapsed / 60),
                3600..86400 => format!("{}h", elapsed / 3600),
                _ => format!("{}d", elapsed / 86400),
            }
        })
        .collect();
    let high = samples.iter().map(|s| s.latency).max().unwrap_or(0);
    let low = samples.iter().map(|s| s.latency).min().unwrap_or(0);
    let mut out = format!("{event} - high {high} ms, low {low} ms (all time high {} ms)\n", series.max);
    out.push_str(&"-".repeat(GRAPH_COLS));
    out.push('\n');
    sparkline(&mut out, &values, &labels, GRAPH_COLS, 4);
    out
}

/// Redis's sparkline.c with `SPARKLINE_FILL`: `rows` rows of `_o#` steps (`|` below the top),
/// then the labels written downwards, `columns` samples per block.
fn sparkline(out: &mut String, values: &[f64], labels: &[String], columns: usize, rows: usize) {
    const FILL: &[u8] = b"_o#";
    let (mut min, mut max) = (0.0f64, 0.0f64);
    for (i, &v) in values.iter().enumerate() {
        if i == 0 {
            (min, max) = (v, v);
        } else if v < min {
            min = v;
        } else if v > max {
            max = v;
        }
    }
    let has_labels = labels.iter().any(|l| !l.is_empty());
    let relmax = if max - min == 0.0 { 1.0 } else { max - min };
    let steps = (FILL.len() * rows) as i64;
    for start in (0..values.len()).step_by(columns) {
        if start != 0 {
            out.push('\n');
        }
        let end = (start + columns).min(values.len());
        let mut row = 0usize;
        loop {
            let mut more = false;
            let mut chars = vec![b' '; end - start];
            for (j, c) in chars.iter_mut().enumerate() {
                let i = start + j;
                if row < rows {
                    let relval = values[i] - min;
                    let step = (((relval * steps as f64) as i64) as f64 / relmax) as i64;
                    let step = step.clamp(0, steps - 1);
                    let charidx = step - ((rows - row - 1) * FILL.len()) as i64;
                    more = true;
                    if (0..FILL.len() as i64).contains(&charidx) {
                        *c = FILL[charidx as usize];
                    } else if charidx >= FILL.len() as i64 {
                        *c = b'|';
                    }
                } else {
                    if has_labels && row - rows < 1 {
                        more = true;
                        break;
                    }
                    let label = labels[i].as_bytes();
                    let at = row - rows - 1;
                    if label.len() > at {
                        more = true;
                        *c = label[at];
                    }
                }
            }
            if !more {
                break;
            }
            row += 1;
            out.push_str(&String::from_utf8_lossy(&chars));
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sample_per_second_keeps_the_worst() {
        let mut m = Monitor::default();
        m.add_if_needed("command", 5, 0);
        m.add_if_needed("command", 5, 10);
        assert!(m.is_empty());
        m.add("command", 20, 100);
        m.add("command", 30, 100);
        m.add("command", 10, 100);
        m.add("command", 15, 101);
        let (_, s) = m.get(b"command").expect("event");
        assert_eq!(
            s.samples().collect::<Vec<_>>(),
            [Sample { time: 100, latency: 30 }, Sample { time: 101, latency: 15 }]
        );
        assert_eq!((s.max, s.latest().latency), (30, 15));
        for t in 0..200 {
            m.add("command", 1, 1000 + t);
        }
        let (_, s) = m.get(b"command").expect("event");
        assert_eq!(s.samples().count(), SAMPLES);
        assert_eq!(s.samples().next().map(|s| s.time), Some(1040));
        assert_eq!(s.max, 30);
        m.add("fast-command", 1, 5);
        assert!(m.get(b"COMMAND").is_none());
        assert_eq!(m.reset(Some(b"COMMAND")), 1);
        assert_eq!(m.reset(None), 1);
    }

    #[test]
    fn doctor_reports_like_redis() {
        let settings = DoctorSettings { slowlog_slower_than: 10000, threshold_ms: 0, hz: 10, anon_huge_pages: 0 };
        assert!(doctor(&Monitor::default(), settings, 0).starts_with("I'm sorry, Dave"));
        let on = DoctorSettings { threshold_ms: 1, ..settings };
        assert!(doctor(&Monitor::default(), on, 0).starts_with("Dave, no latency spike"));
        let mut m = Monitor::default();
        m.add("command", 200, 100);
        m.add("command", 100, 102);
        let report = doctor(&m, on, 104);
        assert!(report.starts_with("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n1. command: 2 latency spikes (average 150ms, mean deviation 50ms, period 2.00 sec). Worst all time event 200ms.\n\nI have a few advices for you:\n\n- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than 1000'.\n- Check your Slow Log"), "{report}");
    }

    #[test]
    fn graph_matches_redis_layout() {
        let mut m = Monitor::default();
        m.add("command", 100, 990);
        m.add("command", 300, 995);
        let (name, s) = m.get(b"command").expect("event");
        let g = graph(name, s, 1000);
        let want = format!(
            "command - high 300 ms, low 100 ms (all time high 300 ms)\n{}\n #\n |\n |\n_|\n  \n15\n0s\ns \n",
            "-".repeat(80)
        );
        assert_eq!(g, want);
    }
}
