//! Criterion benches for the wire protocol: request decoding and reply encoding, without I/O.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rkv::protocol::{Aggregate, Batch, DecodeLimits, Reply, RequestDecoder};

/// `n` pipelined `SET key:<i> <16-byte value>` commands, as redis-benchmark sends them.
fn set_pipeline(n: usize) -> Vec<u8> {
    let mut buf = Vec::new();
    for i in 0..n {
        let key = format!("key:{i:012}");
        let cmd = format!("*3\r\n$3\r\nSET\r\n${}\r\n{key}\r\n$16\r\nxxxxxxxxxxxxxxxx\r\n", key.len());
        buf.extend_from_slice(cmd.as_bytes());
    }
    buf
}

/// Decodes every request in `input` into `batch` with a fresh decoder; returns how many there
/// were. The batch is reused, as a connection reuses its own.
fn decode_all(input: &[u8], batch: &mut Batch) -> usize {
    batch.clear();
    let mut decoder = RequestDecoder::new();
    while let Ok(true) = decoder.next(input, DecodeLimits::default(), batch) {}
    batch.len()
}

fn decoding(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    let cases: [(&str, Vec<u8>); 3] = [
        ("pipeline_16_set", set_pipeline(16)),
        ("bulk_1mib", {
            let mut buf = b"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$1048576\r\n".to_vec();
            buf.resize(buf.len() + (1 << 20), b'v');
            buf.extend_from_slice(b"\r\n");
            buf
        }),
        ("inline_set", b"SET key:000000000001 \"some value\"\r\n".to_vec()),
    ];
    let mut batch = Batch::new();
    for (name, input) in &cases {
        assert_eq!(decode_all(input, &mut batch), if *name == "pipeline_16_set" { 16 } else { 1 }, "{name}");
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function(*name, |b| b.iter(|| decode_all(black_box(input), &mut batch)));
    }
    group.finish();
}

/// Benches `write` into a reused buffer, once for RESP2 and once for RESP3.
fn encode_case(c: &mut Criterion, name: &str, write: impl Fn(&mut Reply)) {
    for (proto, resp3) in [("resp2", false), ("resp3", true)] {
        let mut out = Reply::new(resp3);
        c.bench_function(&format!("encode/{name}/{proto}"), |b| {
            b.iter(|| {
                out.clear();
                write(&mut out);
                black_box(out.len())
            })
        });
    }
}

fn encoding(c: &mut Criterion) {
    let value = vec![b'v'; 64];
    encode_case(c, "bulk_64", |r| r.bulk(black_box(&value)));
    encode_case(c, "int", |r| r.int(black_box(-1_234_567_890)));
    let items: Vec<Vec<u8>> = (0..16).map(|i| format!("item:{i}").into_bytes()).collect();
    encode_case(c, "array_16_bulks", |r| {
        r.array(items.len());
        for item in &items {
            r.bulk(item);
        }
    });
    encode_case(c, "map_8_deferred", |r| {
        let d = r.begin_deferred(Aggregate::Map);
        for pair in items.chunks(2) {
            r.bulk(&pair[0]);
            r.bulk(&pair[1]);
        }
        r.end_deferred(d, items.len() / 2);
    });
}

criterion_group!(benches, decoding, encoding);
criterion_main!(benches);
