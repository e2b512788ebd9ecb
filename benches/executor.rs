//! Criterion bench of the executor in process: one fake client runs a decoded pipeline of
//! GET/SET through `Executor::run_batch`, as a connection task does after a read.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rkv::commands::{self, CommandTable};
use rkv::config::Config;
use rkv::executor::{BatchOutcome, Executor};
use rkv::protocol::{Batch, DecodeLimits, Reply, RequestDecoder};
use rkv::state::{NewClient, Transport};

/// Requests per pipeline (redis-benchmark -P 16).
const DEPTH: usize = 16;

/// `DEPTH` requests alternating `SET key:<i> <value>` and `GET key:<i>`.
fn pipeline() -> Vec<u8> {
    let mut buf = Vec::new();
    for i in 0..DEPTH / 2 {
        let key = format!("key:{i:012}");
        let set = format!("*3\r\n$3\r\nSET\r\n${}\r\n{key}\r\n$16\r\nxxxxxxxxxxxxxxxx\r\n", key.len());
        let get = format!("*2\r\n$3\r\nGET\r\n${}\r\n{key}\r\n", key.len());
        buf.extend_from_slice(set.as_bytes());
        buf.extend_from_slice(get.as_bytes());
    }
    buf
}

/// Decodes every request of `input` into `batch`, as a connection does after a read.
fn decode(decoder: &mut RequestDecoder, input: &[u8], batch: &mut Batch) {
    while let Ok(true) = decoder.next(input, DecodeLimits::default(), batch) {}
    // The whole input is consumed; the next read starts a fresh buffer.
    decoder.consumed(decoder.request_start());
}

fn run_batch(c: &mut Criterion) {
    let table = CommandTable::build(&commands::all(), &[]).expect("command table");
    let mut executor = Executor::new(Config::default(), table);
    // The receiver must outlive the client, or events to it would be dropped unread.
    let (events, _receiver) = tokio::sync::mpsc::unbounded_channel();
    let transport = Transport::Tcp { peer: "127.0.0.1:50000".to_owned(), local: "127.0.0.1:6379".to_owned() };
    let id = executor.register_client(NewClient { transport, fd: -1, events, in_flight: Default::default() });

    let input = pipeline();
    let mut decoder = RequestDecoder::new();
    let mut batch = Batch::new();
    decode(&mut decoder, &input, &mut batch);
    assert_eq!(batch.len(), DEPTH);
    let mut out = Reply::new(false);

    let mut group = c.benchmark_group("executor");
    group.throughput(Throughput::Elements(DEPTH as u64));
    group.bench_function("run_batch_16_get_set", |b| {
        b.iter(|| {
            out.clear();
            let outcome = executor.borrowed().run_batch(id, black_box(&input), 0, black_box(&batch), &mut out);
            assert_eq!(outcome, BatchOutcome::Continue);
            black_box(out.len())
        })
    });
    // What a connection does per read: decode the pipeline, run it, reuse the buffers.
    group.bench_function("decode_and_run_16_get_set", |b| {
        b.iter(|| {
            out.clear();
            batch.clear();
            decode(&mut decoder, black_box(&input), &mut batch);
            executor.borrowed().run_batch(id, &input, 0, &batch, &mut out);
            black_box(out.len())
        })
    });
    group.finish();
}

criterion_group!(benches, run_batch);
criterion_main!(benches);
