//! Streams and consumer groups, compared reply by reply with redis-server 7.0.15: entries,
//! ranges, trimming, group reads and claims (with deterministic IDs and no timing fields), dirty
//! counts, blocking reads woken in order and by XADD inside MULTI, a consumer failover with
//! several clients, and DUMP payloads and RDB files (checked by redis-check-rdb, digests equal)
//! moving between rkv and Redis both ways.

use std::time::Duration;

use crate::support::{Raw, Server, have, same_dirty_counts, same_replies, same_replies_resp3};

#[test]
fn entries_ranges_and_errors_match_redis() {
    same_replies(&[
        &["XADD", "s", "1-1", "a", "1", "b", "2"],
        &["XADD", "s", "1-*", "a", "3", "b", "4"],
        &["XADD", "s", "2", "c", "5"],
        &["XADD", "s", "2-0", "c", "5"],
        &["XADD", "s", "0-0", "c", "5"],
        &["XADD", "s", "5-*", "f"],
        &["XADD", "s", "bad", "f", "v"],
        &["XADD", "s", "NOMKSTREAM", "6", "f", "v"],
        &["XADD", "nokey", "NOMKSTREAM", "6", "f", "v"],
        &["XADD", "s", "MAXLEN", "1", "MINID", "1", "7", "f", "v"],
        &["XADD", "s", "MAXLEN", "1", "LIMIT", "1", "7", "f", "v"],
        &["XADD", "s", "MAXLEN", "-1", "7", "f", "v"],
        &["XLEN", "s"],
        &["XLEN", "nokey"],
        &["XRANGE", "s", "-", "+"],
        &["XREVRANGE", "s", "+", "-", "COUNT", "2"],
        &["XRANGE", "s", "(1-1", "+"],
        &["XRANGE", "s", "-", "(2-0"],
        &["XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"],
        &["XRANGE", "s", "-", "(0-0"],
        &["XRANGE", "s", "-", "+", "COUNT", "0"],
        &["XRANGE", "s", "-", "+", "COUNT"],
        &["XRANGE", "s", "1", "1"],
        &["XRANGE", "nokey", "-", "+"],
        &["XDEL", "s", "1-2", "1-1", "9-9"],
        &["XDEL", "s", "bad"],
        &["XRANGE", "s", "-", "+"],
        &["XSETID", "s", "1-1"],
        &["XSETID", "s", "100-1", "ENTRIESADDED", "1"],
        &["XSETID", "s", "100-1", "ENTRIESADDED", "100", "MAXDELETEDID", "5-0"],
        &["XSETID", "nokey", "1-1"],
        &["XADD", "s", "100-1", "f", "v"],
        &["TYPE", "s"],
        &["OBJECT", "ENCODING", "s"],
        &["SET", "str", "x"],
        &["XADD", "str", "1", "f", "v"],
        &["XRANGE", "str", "-", "+"],
        &["XLEN", "str"],
    ]);
}

#[test]
fn trimming_and_nodes_match_redis() {
    same_replies(&[
        &["CONFIG", "SET", "stream-node-max-entries", "3"],
        &["XADD", "s", "1", "a", "1"],
        &["XADD", "s", "2", "a", "2", "b", "3"],
        &["XADD", "s", "3", "a", "1"],
        &["XADD", "s", "4", "b", "1"],
        &["XADD", "s", "5", "a", "1"],
        &["XADD", "s", "6", "a", "1"],
        &["XADD", "s", "7", "a", "1"],
        &["XTRIM", "s", "MAXLEN", "~", "5"],
        &["XTRIM", "s", "MAXLEN", "~", "2"],
        &["XRANGE", "s", "-", "+"],
        &["XTRIM", "s", "MINID", "6"],
        &["XADD", "s", "MAXLEN", "~", "1", "LIMIT", "1", "8", "a", "1"],
        &["XADD", "s", "MINID", "=", "7", "9", "a", "1"],
        &["XRANGE", "s", "-", "+"],
        &["XTRIM", "s"],
        &["XTRIM", "s", "LIMIT", "1"],
        &["XTRIM", "nokey", "MAXLEN", "0"],
        &["XINFO", "STREAM", "s"],
        &["XDEL", "s", "8"],
        &["XINFO", "STREAM", "s"],
    ]);
}

/// The commands that set up a group with deliveries to two consumers.
const GROUP_SETUP: &[&[&str]] = &[
    &["XADD", "s", "1", "a", "1"],
    &["XADD", "s", "2", "b", "2"],
    &["XADD", "s", "3", "c", "3"],
    &["XADD", "s", "4", "d", "4"],
    &["XGROUP", "CREATE", "s", "g", "0"],
    &["XGROUP", "CREATE", "s", "late", "$"],
    &["XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"],
    &["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"],
];

#[test]
fn consumer_groups_match_redis() {
    let queries: &[&[&str]] = &[
        &["XGROUP", "CREATE", "s", "g", "$"],
        &["XGROUP", "CREATE", "nokey", "g", "$"],
        &["XGROUP", "CREATE", "s", "x", "0", "ENTRIESREAD", "-5"],
        &["XGROUP", "CREATE", "s", "x", "0", "FOO"],
        &["XGROUP", "SETID", "s", "nog", "0"],
        &["XGROUP", "HELP"],
        &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
        &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "$"],
        &["XREADGROUP", "GROUP", "nog", "alice", "STREAMS", "s", ">"],
        &["XREAD", "STREAMS", "s", ">"],
        &["XPENDING", "s", "g"],
        &["XPENDING", "s", "g", "-", "+", "10", "nobody"],
        &["XINFO", "GROUPS", "s"],
        &["XACK", "s", "g", "1", "9"],
        &["XDEL", "s", "2"],
        &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
        &["XCLAIM", "s", "g", "carol", "0", "3", "4", "JUSTID"],
        &["XCLAIM", "s", "g", "carol", "0", "2"],
        &["XCLAIM", "s", "g", "carol", "0", "4", "FOO"],
        &["XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "1", "JUSTID"],
        &["XAUTOCLAIM", "s", "g", "dave", "0", "0", "JUSTID"],
        &["XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "0"],
        &["XPENDING", "s", "g"],
        &["XINFO", "GROUPS", "s"],
        &["XGROUP", "DELCONSUMER", "s", "g", "dave"],
        &["XGROUP", "CREATECONSUMER", "s", "g", "erin"],
        &["XGROUP", "DESTROY", "s", "late"],
        &["XINFO", "GROUPS", "s"],
        &["XINFO", "STREAM", "s"],
    ];
    same_replies(&[GROUP_SETUP, queries].concat());
    same_replies_resp3(&[GROUP_SETUP, &[&["XREAD", "COUNT", "2", "STREAMS", "s", "s", "0", "2"]], queries].concat());
    same_dirty_counts(&[GROUP_SETUP, queries].concat());
}

/// Sends `cmd` without waiting for its reply.
fn send(conn: &mut Raw, cmd: &[&str]) {
    let args: Vec<&[u8]> = cmd.iter().map(|a| a.as_bytes()).collect();
    conn.cmd(&args);
}

/// Blocked readers are served in the order they blocked, by XADD inside MULTI too; a blocked
/// XREADGROUP ends with Redis's error when its stream is deleted. The transcripts of rkv and
/// Redis must be identical.
fn blocking_transcript(server: &Server) -> Vec<String> {
    let mut c: Vec<Raw> = (0..4).map(|_| server.raw()).collect();
    c[0].call(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]);
    send(&mut c[1], &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
    send(&mut c[2], &["XREADGROUP", "GROUP", "g", "c2", "BLOCK", "0", "STREAMS", "s", ">"]);
    send(&mut c[3], &["XREADGROUP", "GROUP", "g", "c3", "BLOCK", "0", "STREAMS", "s", ">"]);
    std::thread::sleep(Duration::from_millis(100));
    let mut out = vec![c[0].call(&["MULTI"]), c[0].call(&["XADD", "s", "1", "f", "v"]), c[0].call(&["EXEC"])];
    out.push(String::from_utf8_lossy(&c[1].read_reply()).into_owned());
    out.push(String::from_utf8_lossy(&c[2].read_reply()).into_owned());
    out.push(c[0].call(&["DEL", "s"]));
    out.push(String::from_utf8_lossy(&c[3].read_reply()).into_owned());
    out
}

#[test]
fn blocking_reads_are_woken_as_in_redis() {
    if !have("redis-server") {
        return;
    }
    let ours = blocking_transcript(&Server::start(&[]));
    assert!(ours[4].contains("f\r\n$1\r\nv"), "{ours:?}");
    assert!(ours[6].contains("UNBLOCKED the stream key no longer exists"), "{ours:?}");
    assert_eq!(ours, blocking_transcript(&Server::start_redis(&[])));
}

/// Three consumers share a group; one dies holding entries; a survivor takes them over with
/// XAUTOCLAIM and acknowledges everything. Only the deterministic parts are compared.
fn failover_transcript(server: &Server) -> Vec<String> {
    let mut producer = server.raw();
    let mut workers: Vec<Raw> = (0..3).map(|_| server.raw()).collect();
    producer.call(&["XGROUP", "CREATE", "jobs", "workers", "$", "MKSTREAM"]);
    for i in 1..=9 {
        producer.call(&["XADD", "jobs", &format!("{i}-0"), "job", &i.to_string()]);
    }
    let mut out = Vec::new();
    for (i, w) in workers.iter_mut().enumerate() {
        out.push(w.call(&["XREADGROUP", "GROUP", "workers", &format!("w{i}"), "COUNT", "3", "STREAMS", "jobs", ">"]));
    }
    // w0 and w2 finish their jobs; w1 dies holding 4-0, 5-0 and 6-0.
    out.push(workers[0].call(&["XACK", "jobs", "workers", "1-0", "2-0", "3-0"]));
    out.push(workers[2].call(&["XACK", "jobs", "workers", "7-0", "8-0", "9-0"]));
    drop(workers.remove(1));
    out.push(producer.call(&["XPENDING", "jobs", "workers"]));
    out.push(workers[0].call(&["XAUTOCLAIM", "jobs", "workers", "w0", "0", "0-0"]));
    out.push(workers[0].call(&["XREADGROUP", "GROUP", "workers", "w0", "STREAMS", "jobs", "0"]));
    out.push(workers[0].call(&["XACK", "jobs", "workers", "4-0", "5-0", "6-0"]));
    out.push(producer.call(&["XPENDING", "jobs", "workers"]));
    out.push(producer.call(&["XINFO", "GROUPS", "jobs"]));
    out
}

#[test]
fn a_dead_consumers_entries_are_claimed_by_a_survivor() {
    if !have("redis-server") {
        return;
    }
    let ours = failover_transcript(&Server::start(&[]));
    assert!(ours[9].starts_with("*4\r\n:0\r\n"), "nothing left pending: {ours:?}");
    assert_eq!(ours, failover_transcript(&Server::start_redis(&[])));
}

/// Reads a bulk reply's payload.
fn bulk(reply: &[u8]) -> Vec<u8> {
    let header_end = reply.iter().position(|&b| b == b'\n').unwrap_or(0) + 1;
    let len: usize = std::str::from_utf8(&reply[1..header_end - 2]).unwrap_or("0").parse().unwrap_or(0);
    reply[header_end..header_end + len].to_vec()
}

#[test]
fn dump_payloads_move_between_rkv_and_redis() {
    if !have("redis-server") {
        return;
    }
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    for conn in [&mut a, &mut b] {
        conn.call(&["CONFIG", "SET", "stream-node-max-entries", "3"]);
        for i in 1..=10 {
            conn.call(&["XADD", "s", &format!("{i}-1"), &format!("f{}", i % 3), &i.to_string()]);
        }
        conn.call(&["XDEL", "s", "4-1"]);
        conn.call(&["XGROUP", "CREATE", "s", "g", "0"]);
        conn.call(&["XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">"]);
    }
    copy_stream(&mut a, &mut b);
    copy_stream(&mut b, &mut a);
    assert_eq!(
        a.call(&["RESTORE", "bad", "0", "\x13\x01garbage"]),
        "-ERR DUMP payload version or checksum are wrong\r\n"
    );
}

/// DUMPs `s` on `from`, RESTOREs it as `copy` on `to`, and checks the copy reads the same.
fn copy_stream(from: &mut Raw, to: &mut Raw) {
    from.cmd(&[b"DUMP", b"s"]);
    let payload = bulk(&from.read_reply());
    to.cmd(&[b"RESTORE", b"copy", b"0", &payload, b"REPLACE"]);
    assert_eq!(to.read_reply(), b"+OK\r\n");
    assert_eq!(to.call(&["XINFO", "STREAM", "copy", "FULL"]), from.call(&["XINFO", "STREAM", "s", "FULL"]));
    assert_eq!(to.call(&["XRANGE", "copy", "-", "+"]), from.call(&["XRANGE", "s", "-", "+"]));
}

/// A stream with several nodes, a deleted entry, two groups with pending entries and consumers,
/// and an emptied stream that keeps its group.
const RDB_DATASET: &[&[&str]] = &[
    &["CONFIG", "SET", "stream-node-max-entries", "3"],
    &["XADD", "s", "1-1", "a", "1", "b", "2"],
    &["XADD", "s", "2-1", "a", "3", "b", "4"],
    &["XADD", "s", "3-1", "c", "5"],
    &["XADD", "s", "4-1", "a", "1", "b", "2"],
    &["XADD", "s", "5-1", "a", "1", "b", "2", "c", "3"],
    &["XADD", "s", "6-1", "x", "y"],
    &["XADD", "s", "7-1", "x", "12345678901"],
    &["XDEL", "s", "2-1", "6-1"],
    &["XGROUP", "CREATE", "s", "g1", "0"],
    &["XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "3"],
    &["XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "s", ">"],
    &["XREADGROUP", "GROUP", "g1", "bob", "COUNT", "1", "STREAMS", "s", ">"],
    &["XACK", "s", "g1", "1-1"],
    &["XGROUP", "CREATECONSUMER", "s", "g2", "carol"],
    &["XADD", "e", "1-1", "f", "v"],
    &["XDEL", "e", "1-1"],
    &["XGROUP", "CREATE", "e", "eg", "$"],
];

/// What a stream key shows: entries, full info (groups, PELs, consumers with their times) and
/// the digest of its entries.
fn stream_state(conn: &mut Raw, key: &str) -> Vec<String> {
    vec![
        conn.call(&["XRANGE", key, "-", "+"]),
        conn.call(&["XINFO", "STREAM", key, "FULL"]),
        conn.call(&["DEBUG", "DIGEST-VALUE", key]),
    ]
}

/// Starts `program` with debugging enabled in a fresh directory holding `rdb` as dump.rdb.
fn start_loading(program: &str, rdb: &std::path::Path) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(rdb, dir.path().join("dump.rdb")).expect("copy the rdb file");
    let args = ["--enable-debug-command", "yes", "--save", "", "--appendonly", "no"];
    Server::start_program_in(program, dir, None, &args)
}

#[test]
fn rdb_files_move_between_rkv_and_redis() {
    if !have("redis-server") || !have("redis-check-rdb") {
        return;
    }
    let rkv = Server::start(&["--enable-debug-command", "yes", "--save", ""]);
    let mut ours = rkv.raw();
    for cmd in RDB_DATASET {
        assert!(!ours.call(cmd).starts_with('-'), "{cmd:?}");
    }
    let expected: Vec<Vec<String>> = ["s", "e"].iter().map(|k| stream_state(&mut ours, k)).collect();
    assert_eq!(expected[0][2].len(), "*1\r\n+\r\n".len() + 40, "a digest: {:?}", expected[0][2]);
    assert!(expected[0][1].contains("bob"), "consumers in the full info: {:?}", expected[0][1]);
    assert_eq!(ours.call(&["SAVE"]), "+OK\r\n");
    let file = rkv.path().join("dump.rdb");
    let (code, out, err) = crate::support::run_to_exit("redis-check-rdb", &["dump.rdb"], rkv.path());
    assert_eq!(code, Some(0), "redis-check-rdb: {out}{err}");
    assert!(out.contains("RDB looks OK"), "{out}");
    let redis = start_loading("redis-server", &file);
    let mut theirs = redis.raw();
    for (key, state) in ["s", "e"].iter().zip(&expected) {
        assert_eq!(&stream_state(&mut theirs, key), state, "{key} in redis-server");
    }
    // And back: the file redis-server writes of what it loaded.
    assert_eq!(theirs.call(&["SAVE"]), "+OK\r\n");
    let again = start_loading(crate::support::rkv_binary(), &redis.path().join("dump.rdb"));
    let mut back = again.raw();
    for (key, state) in ["s", "e"].iter().zip(&expected) {
        assert_eq!(&stream_state(&mut back, key), state, "{key} back in rkv");
    }
    assert_eq!(back.call(&["XADD", "s", "7-1", "f", "v"]), ours.call(&["XADD", "s", "7-1", "f", "v"]));
}

/// Writes of every stream command, with explicit IDs; reads that change group state.
const WRITES: &[&[&str]] = &[
    &["XADD", "s", "1-1", "a", "1"],
    &["XADD", "s", "2-*", "b", "2"],
    &["XADD", "s", "NOMKSTREAM", "3-1", "c", "3"],
    &["XADD", "nokey", "NOMKSTREAM", "3-1", "c", "3"],
    &["XADD", "s", "MAXLEN", "~", "1", "4-1", "d", "4"],
    &["XADD", "s", "MAXLEN", "=", "10", "5-1", "e", "5"],
    &["XTRIM", "s", "MAXLEN", "~", "2"],
    &["XTRIM", "s", "MINID", "2-1"],
    &["XTRIM", "s", "MAXLEN", "100"],
    &["XDEL", "s", "2-1", "9-9"],
    &["XDEL", "s", "9-9"],
    &["XSETID", "s", "100-1"],
    &["XGROUP", "CREATE", "s", "g", "0"],
    &["XGROUP", "CREATE", "t", "g", "$", "MKSTREAM", "ENTRIESREAD", "0"],
    &["XGROUP", "CREATECONSUMER", "s", "g", "carol"],
    &["XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"],
    &["XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">"],
    &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
    &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"],
    &["XADD", "s", "200-1", "f", "6"],
    &["XADD", "s", "201-1", "f", "7"],
    &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"],
    &["XCLAIM", "s", "g", "bob", "0", "200-1", "RETRYCOUNT", "5"],
    &["XCLAIM", "s", "g", "bob", "0", "201-1", "JUSTID", "LASTID", "300-0"],
    &["XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "1"],
    &["XACK", "s", "g", "200-1", "7-7"],
    &["XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "1"],
    &["XGROUP", "DELCONSUMER", "s", "g", "dave"],
    &["XGROUP", "DESTROY", "s", "g"],
    &["XGROUP", "DESTROY", "s", "g"],
    &["DEL", "s"],
];

#[test]
fn writes_propagate_as_redis_rewrites_them() {
    crate::support::effects::same_propagation(WRITES);
    // A blocked XREADGROUP served by an XADD propagates its delivery as Redis does.
    let block: &[&str] = &["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"];
    crate::support::effects::same_propagation_clients(&[
        (0, &["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]),
        (1, block),
        (0, &["XADD", "s", "1-1", "f", "v"]),
        (1, &["XACK", "s", "g", "1-1"]),
    ]);
}

#[test]
fn stream_events_match_redis() {
    crate::support::effects::same_notifications("KEA", WRITES);
}
