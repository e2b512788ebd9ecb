//! HyperLogLog commands compared with the real redis-server: replies, the exact bytes of the HLL
//! strings (sparse and dense), strings moved between the two servers, corrupted strings,
//! notifications, dirty counts and propagation.

use crate::support::effects::{same_notifications, same_propagation};
use crate::support::{Raw, Server, have, same_dirty_counts, same_replies};

/// Sends `args` (raw bytes) and returns the raw reply.
fn call(conn: &mut Raw, args: &[&[u8]]) -> Vec<u8> {
    conn.cmd(args);
    conn.read_reply()
}

#[test]
fn commands_and_errors_match_redis() {
    same_dirty_counts(&[
        &["PFADD", "h", "a", "b", "c", "d", "e", "f", "g"],
        &["PFADD", "h", "a"],
        &["PFADD", "h"],
        &["PFADD", "new"],
        &["GET", "new"],
        &["GET", "h"],
        &["PFCOUNT", "h"],
        &["GET", "h"],
        &["PFCOUNT", "h"],
        &["PFDEBUG", "DECODE", "h"],
        &["PFDEBUG", "ENCODING", "h"],
        &["PFCOUNT", "h", "nokey"],
        &["PFADD", "h2", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"],
        &["PFMERGE", "m", "h", "h2"],
        &["GET", "m"],
        &["PFCOUNT", "m"],
        &["PFDEBUG", "TODENSE", "m"],
        &["PFDEBUG", "TODENSE", "m"],
        &["PFDEBUG", "ENCODING", "m"],
        &["PFDEBUG", "DECODE", "m"],
        &["PFCOUNT", "m"],
        &["PFMERGE", "m2", "m", "h"],
        &["PFDEBUG", "ENCODING", "m2"],
        &["GET", "m2"],
        &["PFMERGE", "m3"],
        &["GET", "m3"],
        &["PFDEBUG", "GETREG", "nokey"],
        &["PFDEBUG", "FOO", "h"],
        &["SET", "s", "foo"],
        &["PFADD", "s", "a"],
        &["PFCOUNT", "s"],
        &["PFCOUNT", "h", "s"],
        &["PFMERGE", "s", "h"],
        &["PFDEBUG", "ENCODING", "s"],
        &["SET", "i", "123"],
        &["PFCOUNT", "i"],
        &["RPUSH", "l", "x"],
        &["PFCOUNT", "l"],
        &["PFADD", "l", "a"],
        &["PFMERGE", "d", "l"],
        &["PFMERGE", "l", "h"],
        &["OBJECT", "ENCODING", "h"],
        &["PFSELFTEST", "x"],
    ]);
}

/// Registers, sparse opcodes and counts agree with Redis while a sparse HLL grows, turns dense
/// at `hll-sparse-max-bytes`, and keeps growing.
#[test]
fn growing_hlls_have_redis_bytes() {
    if !have("redis-server") {
        return;
    }
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let mut next = 0;
    for batch in [1, 5, 20, 100, 400, 1000, 5000, 20000] {
        let elements: Vec<String> = (next..next + batch).map(|i| format!("element:{i}")).collect();
        next += batch;
        let mut cmd: Vec<&[u8]> = vec![b"PFADD", b"h"];
        cmd.extend(elements.iter().map(|e| e.as_bytes()));
        assert_eq!(call(&mut a, &cmd), call(&mut b, &cmd), "PFADD of {batch}");
        for query in [&[&b"PFCOUNT"[..], b"h"][..], &[b"GET", b"h"], &[b"PFDEBUG", b"ENCODING", b"h"]] {
            assert_eq!(call(&mut a, query), call(&mut b, query), "{query:?} after {next} elements");
        }
    }
    let getreg: &[&[u8]] = &[b"PFDEBUG", b"GETREG", b"h"];
    assert_eq!(call(&mut a, getreg), call(&mut b, getreg));
}

/// The union of many large HLLs counts the same as Redis, whatever the mix of encodings, and
/// merging gives the same bytes.
#[test]
fn large_unions_count_as_redis() {
    if !have("redis-server") {
        return;
    }
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let mut rng = fastrand::Rng::with_seed(7);
    for key in 0..10 {
        let name = format!("k{key}");
        let size = [3, 50, 2000, 30000][key % 4];
        let elements: Vec<String> = (0..size).map(|_| rng.u64(..1_000_000).to_string()).collect();
        for chunk in elements.chunks(1000) {
            let mut cmd: Vec<&[u8]> = vec![b"PFADD", name.as_bytes()];
            cmd.extend(chunk.iter().map(|e| e.as_bytes()));
            assert_eq!(call(&mut a, &cmd), call(&mut b, &cmd));
        }
    }
    let keys: Vec<String> = (0..10).map(|k| format!("k{k}")).collect();
    let mut count: Vec<&[u8]> = vec![b"PFCOUNT"];
    count.extend(keys.iter().map(|k| k.as_bytes()));
    assert_eq!(call(&mut a, &count), call(&mut b, &count));
    for (dest, sources) in [("u1", &keys[..3]), ("u2", &keys[..]), ("k0", &keys[4..6])] {
        let mut merge: Vec<&[u8]> = vec![b"PFMERGE", dest.as_bytes()];
        merge.extend(sources.iter().map(|k| k.as_bytes()));
        assert_eq!(call(&mut a, &merge), call(&mut b, &merge));
        let get: &[&[u8]] = &[b"GET", dest.as_bytes()];
        assert_eq!(call(&mut a, get), call(&mut b, get), "bytes of {dest}");
        let single: &[&[u8]] = &[b"PFCOUNT", dest.as_bytes()];
        assert_eq!(call(&mut a, single), call(&mut b, single));
    }
}

/// One million distinct inputs, added in batches (a tenth of them twice), give the same PFCOUNT
/// and the same dense bytes as Redis, alone and merged with a small sparse HLL.
#[test]
fn a_million_inputs_count_as_redis() {
    if !have("redis-server") {
        return;
    }
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let mut pending = Vec::new();
    for start in (0..1_000_000u32).step_by(2000).chain((0..100_000).step_by(2000)) {
        let elements: Vec<String> = (start..start + 2000).map(|i| format!("user:{i}")).collect();
        let mut cmd: Vec<&[u8]> = vec![b"PFADD", b"big"];
        cmd.extend(elements.iter().map(|e| e.as_bytes()));
        a.cmd(&cmd);
        b.cmd(&cmd);
        pending.push(start);
    }
    for start in pending {
        assert_eq!(a.read_reply(), b.read_reply(), "PFADD from user:{start}");
    }
    let count =
        String::from_utf8_lossy(&call(&mut a, &[b"PFCOUNT", b"big"])).trim_matches([':', '\r', '\n']).to_owned();
    let count: f64 = count.parse().unwrap_or_default();
    assert!((count - 1e6).abs() < 1e4, "PFCOUNT of a million inputs is {count}");
    let small: &[&[u8]] = &[b"PFADD", b"small", b"user:1", b"other:1", b"other:2"];
    assert_eq!(call(&mut a, small), call(&mut b, small));
    for query in [
        &[&b"PFCOUNT"[..], b"big"][..],
        &[b"GET", b"big"],
        &[b"PFCOUNT", b"big", b"small"],
        &[b"PFMERGE", b"small", b"big"],
        &[b"GET", b"small"],
    ] {
        assert_eq!(call(&mut a, query), call(&mut b, query), "{query:?}");
    }
}

/// Reads a bulk reply's payload.
fn bulk(reply: &[u8]) -> Vec<u8> {
    let header = reply.iter().position(|&c| c == b'\n').expect("bulk header");
    reply[header + 1..reply.len() - 2].to_vec()
}

/// HLL strings written by Redis work in rkv and the other way round.
#[test]
fn hll_strings_move_between_servers() {
    if !have("redis-server") {
        return;
    }
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    sparse_and_dense(&mut b);
    for key in ["small", "big"] {
        let theirs = bulk(&call(&mut b, &[b"GET", key.as_bytes()]));
        call(&mut a, &[b"SET", key.as_bytes(), &theirs]);
        same_hll(&mut a, &mut b, key);
        let ours = bulk(&call(&mut a, &[b"GET", key.as_bytes()]));
        call(&mut b, &[b"SET", b"back", &ours]);
        assert_eq!(call(&mut b, &[b"PFCOUNT", b"back"]), call(&mut a, &[b"PFCOUNT", key.as_bytes()]));
    }
}

/// Fills `conn` with a sparse HLL `small` and a dense HLL `big`.
fn sparse_and_dense(conn: &mut Raw) {
    for (n, key) in [(10, "small"), (5000, "big")] {
        let elements: Vec<String> = (0..n).map(|i| format!("x{i}")).collect();
        let mut cmd: Vec<&[u8]> = vec![b"PFADD", key.as_bytes()];
        cmd.extend(elements.iter().map(|e| e.as_bytes()));
        call(conn, &cmd);
    }
}

/// `key` counts, grows and reads the same on both connections.
fn same_hll(a: &mut Raw, b: &mut Raw, key: &str) {
    for probe in [
        &[&b"PFCOUNT"[..], key.as_bytes()][..],
        &[b"PFDEBUG", b"ENCODING", key.as_bytes()],
        &[b"PFADD", key.as_bytes(), b"new1", b"new2"],
        &[b"GET", key.as_bytes()],
    ] {
        assert_eq!(call(a, probe), call(b, probe), "{probe:?}");
    }
}

/// HLLs moved by DUMP/RESTORE and by RDB files keep working on the other server.
#[test]
fn hlls_survive_dump_restore_and_rdb_files() {
    if !have("redis-server") {
        return;
    }
    let mut rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    sparse_and_dense(&mut a);
    sparse_and_dense(&mut b);
    for key in ["small", "big"] {
        let copy = format!("{key}-copy");
        let (ours, theirs) =
            (bulk(&call(&mut a, &[b"DUMP", key.as_bytes()])), bulk(&call(&mut b, &[b"DUMP", key.as_bytes()])));
        for (conn, payload) in [(&mut a, &theirs), (&mut b, &ours)] {
            assert_eq!(call(conn, &[b"RESTORE", copy.as_bytes(), b"0", payload]), b"+OK\r\n");
        }
        same_hll(&mut a, &mut b, &copy);
    }
    for conn in [&mut a, &mut b] {
        assert_eq!(call(conn, &[b"SAVE"]), b"+OK\r\n");
    }
    let (ours, theirs) = (tempfile::tempdir().expect("temp dir"), tempfile::tempdir().expect("temp dir"));
    std::fs::copy(rkv.path().join("dump.rdb"), ours.path().join("dump.rdb")).expect("copy rkv's rdb");
    std::fs::copy(redis.path().join("dump.rdb"), theirs.path().join("dump.rdb")).expect("copy redis's rdb");
    rkv.signal("TERM");
    rkv.wait_exit(std::time::Duration::from_secs(10));
    let rkv = Server::start_program_in(crate::support::rkv_binary(), theirs, None, &["--save", ""]);
    let redis_loaded = Server::start_program_in("redis-server", ours, None, &["--save", ""]);
    let (mut a, mut b) = (rkv.raw(), redis_loaded.raw());
    for conn in [&mut a, &mut b] {
        assert_eq!(call(conn, &[b"DBSIZE"]), b":4\r\n");
    }
    for key in ["small", "big", "small-copy", "big-copy"] {
        same_hll(&mut a, &mut b, key);
    }
}

/// Damaged HLL strings get Redis's errors, never a crash.
#[test]
fn corrupted_hlls_are_rejected_as_redis() {
    if !have("redis-server") {
        return;
    }
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let both = |a: &mut Raw, b: &mut Raw, cmd: &[&[u8]]| assert_eq!(call(a, cmd), call(b, cmd), "{cmd:?}");
    both(&mut a, &mut b, &[b"PFADD", b"h", b"a", b"b", b"c"]);
    let good = bulk(&call(&mut b, &[b"GET", b"h"]));
    let mut damaged = Vec::new();
    let mut short = good.clone();
    short.truncate(good.len() - 1);
    damaged.push(short);
    let mut long_run = good.clone();
    long_run[16] = 0x7f;
    damaged.push(long_run);
    let mut bad_encoding = good.clone();
    bad_encoding[4] = 2;
    damaged.push(bad_encoding);
    let mut dense_wrong_size = good.clone();
    dense_wrong_size[4] = 0;
    damaged.push(dense_wrong_size);
    damaged.push(b"HYLL".to_vec());
    let mut extra_val = good.clone();
    extra_val.push(0x80);
    damaged.push(extra_val);
    let mut extra_zero = good.clone();
    extra_zero.push(0x00);
    damaged.push(extra_zero);
    let mut dense_high = vec![0xffu8; 12304];
    dense_high[..16].copy_from_slice(b"HYLL\0\0\0\0\0\0\0\0\0\0\0\x80");
    damaged.push(dense_high);
    for (i, bytes) in damaged.iter().enumerate() {
        let key = format!("bad{i}");
        let k = key.as_bytes();
        for cmd in [
            &[&b"SET"[..], k, bytes][..],
            &[b"PFCOUNT", k],
            &[b"PFCOUNT", k, b"h"],
            &[b"PFADD", k, b"q", b"r", b"s", b"t"],
            &[b"PFMERGE", b"dest", k],
            &[b"PFMERGE", k, b"h"],
            &[b"PFDEBUG", b"GETREG", k],
            &[b"PFDEBUG", b"DECODE", k],
            &[b"GET", k],
        ] {
            both(&mut a, &mut b, cmd);
        }
    }
}

#[test]
fn replies_with_small_sparse_limit_match_redis() {
    if !have("redis-server") {
        return;
    }
    let args = ["--hll-sparse-max-bytes", "60"];
    let (rkv, redis) = (Server::start(&args), Server::start_redis(&args));
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    for i in 0..30 {
        let element = format!("e{i}");
        for cmd in [&[&b"PFADD"[..], b"h", element.as_bytes()][..], &[b"GET", b"h"], &[b"PFDEBUG", b"ENCODING", b"h"]] {
            assert_eq!(call(&mut a, cmd), call(&mut b, cmd), "{cmd:?}");
        }
    }
    same_replies(&[&["CONFIG", "SET", "hll-sparse-max-bytes", "100"], &["CONFIG", "GET", "hll-sparse-max-bytes"]]);
}

#[test]
fn notifications_match_redis() {
    same_notifications(
        "KEA",
        &[
            &["PFADD", "h", "a"],
            &["PFADD", "h", "a"],
            &["PFCOUNT", "h"],
            &["PFMERGE", "m", "h"],
            &["PFDEBUG", "TODENSE", "m"],
        ],
    );
}

#[test]
fn propagation_matches_redis() {
    same_propagation(&[
        &["PFADD", "h", "a", "b"],
        &["PFADD", "h", "a"],
        &["PFCOUNT", "h"],
        &["PFCOUNT", "h"],
        &["PFMERGE", "m", "h"],
        &["PFDEBUG", "TODENSE", "m"],
        &["PFDEBUG", "TODENSE", "m"],
        &["PFDEBUG", "ENCODING", "h"],
    ]);
}
