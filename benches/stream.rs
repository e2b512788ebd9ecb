//! Criterion bench of the stream type in process (no server, so a busy machine disturbs it less
//! than redis-benchmark): XADD to a growing stream and with an approximate and an exact MAXLEN,
//! XRANGE of 10 entries from a random ID, and XDEL of random entries, on streams of the default
//! node limits.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use rkv::types::stream::{NodeLimits, Stream, StreamId, Trim};

/// Redis's defaults: `stream-node-max-bytes 4096`, `stream-node-max-entries 100`.
const LIMITS: NodeLimits = NodeLimits { max_bytes: 4096, max_entries: 100 };

/// Entries of the streams the bench reads and deletes from.
const LEN: u64 = 1_000_000;

/// Appends entry `ms-0` with the fields of benches/stream_memory.sh.
fn add(s: &mut Stream, ms: u64) {
    let temp = format!("{:06}", ms % 1_000_000);
    let hum = format!("{:03}", ms % 1000);
    s.append(StreamId::new(ms, 0), &[b"temp", temp.as_bytes(), b"hum", hum.as_bytes()], LIMITS).expect("rising IDs");
}

fn stream(len: u64) -> Stream {
    let mut s = Stream::new();
    for ms in 1..=len {
        add(&mut s, ms);
    }
    s
}

/// The `i`th of a sequence of IDs spread over the whole stream.
fn spread(i: u64) -> StreamId {
    StreamId::new(i.wrapping_mul(7919) % LEN + 1, 0)
}

/// Runs `iters` iterations in batches of at most [`LEN`], each on fresh untimed state that
/// `timed_batch` sets up before timing its batch; returns the time measured.
fn in_batches(iters: u64, mut timed_batch: impl FnMut(u64) -> Duration) -> Duration {
    let mut spent = Duration::ZERO;
    let mut done = 0;
    while done < iters {
        let batch = (iters - done).min(LEN);
        spent += timed_batch(batch);
        done += batch;
    }
    spent
}

fn xadd(c: &mut Criterion) {
    let mut group = c.benchmark_group("stream");
    for (name, approx) in [("xadd_maxlen_approx_100k", true), ("xadd_maxlen_exact_100k", false)] {
        let mut s = stream(100_000);
        let mut ms = 100_000;
        group.bench_function(name, |b| {
            b.iter(|| {
                ms += 1;
                add(&mut s, ms);
                black_box(s.trim(Trim::MaxLen(100_000), approx, if approx { 10_000 } else { 0 }))
            })
        });
    }
    group.bench_function("xadd_to_1m", |b| {
        // A stream growing from empty to at most 1M entries (dropped untimed).
        b.iter_custom(|iters| {
            in_batches(iters, |batch| {
                let mut s = Stream::new();
                let start = Instant::now();
                for ms in 1..=batch {
                    add(&mut s, ms);
                }
                start.elapsed()
            })
        })
    });
    let s = stream(LEN);
    let mut i = 0;
    group.bench_function("xrange_10_of_1m", |b| {
        b.iter(|| {
            i += 1;
            let mut n = 0;
            s.range(spread(i), StreamId::MAX, false, |id, fields| {
                black_box((id, fields));
                n += 1;
                n < 10
            });
            n
        })
    });
    group.bench_function("xdel_of_1m", |b| {
        // Each ID once per copy, so every delete finds its entry.
        b.iter_custom(|iters| {
            in_batches(iters, |batch| {
                let mut copy = s.clone();
                let start = Instant::now();
                for i in 0..batch {
                    black_box(copy.delete(spread(i)));
                }
                start.elapsed()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, xadd);
criterion_main!(benches);
