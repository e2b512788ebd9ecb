//! Transactions (MULTI, EXEC, DISCARD, WATCH, UNWATCH), compared reply by reply with the real
//! redis-server, plus the atomicity of EXEC under another client's pipeline.

use std::time::Duration;

use crate::support::{Raw, Server, encode, have, same_replies, same_replies_resp3};

/// Runs `steps` (connection index, command) on a fresh rkv and a fresh redis-server with
/// `connections` raw connections each, asserting identical replies step by step. A step whose
/// command is empty sleeps `pause` instead (to let TTLs pass).
fn same_replies_across(connections: usize, steps: &[(usize, &[&str])], pause: Duration) {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let mut ours: Vec<Raw> = (0..connections).map(|_| rkv.raw()).collect();
    let mut theirs: Vec<Raw> = (0..connections).map(|_| redis.raw()).collect();
    for (i, (conn, cmd)) in steps.iter().enumerate() {
        if cmd.is_empty() {
            std::thread::sleep(pause);
            continue;
        }
        assert_eq!(ours[*conn].call(cmd), theirs[*conn].call(cmd), "step {i}: connection {conn} {cmd:?}");
    }
}

/// Sends `pipeline` then QUIT on one connection to each server and compares everything read
/// (for replies CLIENT REPLY suppresses, which a call-and-wait cannot observe).
fn same_pipeline(pipeline: &[&[&str]]) {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let bytes: Vec<u8> = pipeline
        .iter()
        .chain(std::iter::once(&(&["QUIT"] as &[&str])))
        .flat_map(|cmd| encode(&cmd.iter().map(|a| a.as_bytes()).collect::<Vec<_>>()))
        .collect();
    let read = |server: &Server| {
        let mut raw = server.raw();
        raw.send(&bytes);
        String::from_utf8_lossy(&raw.read_to_close()).into_owned()
    };
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    assert_eq!(read(&rkv), read(&redis));
}

#[test]
fn transaction_errors_match_redis() {
    same_replies(&[
        &["EXEC"],
        &["DISCARD"],
        &["EXEC", "extra"],
        &["DISCARD", "extra"],
        &["UNWATCH", "extra"],
        &["WATCH"],
        &["MULTI"],
        &["MULTI"],
        &["WATCH", "k"],
        &["EXEC"],
        &["MULTI"],
        &["EXEC", "extra"],
        &["EXEC"],
        &["MULTI", "extra"],
        &["MULTI"],
        &["SET", "a", "1"],
        &["SHUTDOWN"],
        &["EXEC"],
        &["MULTI"],
        &["NOSUCHCOMMAND", "x"],
        &["GET"],
        &["CLIENT", "NOSUCH"],
        &["SET", "a", "2"],
        &["EXEC"],
        &["GET", "a"],
        &["MULTI"],
        &["DISCARD", "extra"],
        &["WATCH"],
        &["EXEC"],
    ]);
}

#[test]
fn transaction_flows_match_redis() {
    same_replies(&[
        &["MULTI"],
        &["EXEC"],
        &["MULTI"],
        &["SET", "a", "1"],
        &["INCR", "a"],
        &["INCR", "a", "extra-is-fine-for-set-but-not-incr"],
        &["DISCARD"],
        &["GET", "a"],
        &["MULTI"],
        &["SET", "a", "x"],
        &["INCR", "a"],
        &["APPEND", "a", "y"],
        &["SELECT", "1"],
        &["SET", "a", "in-db-1"],
        &["GET", "a"],
        &["PING"],
        &["ECHO", "hi"],
        &["EXEC"],
        &["GET", "a"],
        &["SELECT", "0"],
        &["GET", "a"],
        &["MULTI"],
        &["RESET"],
        &["EXEC"],
        &["MULTI"],
        &["UNWATCH"],
        &["EXEC"],
    ]);
}

#[test]
fn resp3_exec_replies_match_redis() {
    same_replies_resp3(&[
        &["MULTI"],
        &["SET", "a", "1"],
        &["GET", "a"],
        &["GET", "missing"],
        &["INCR", "missing2"],
        &["EXEC"],
        &["WATCH", "a"],
        &["SET", "a", "2"],
        &["MULTI"],
        &["GET", "a"],
        &["EXEC"],
        &["MULTI"],
        &["NOSUCH"],
        &["EXEC"],
    ]);
}

#[test]
fn own_writes_break_watch_and_no_ops_do_not() {
    same_replies(&[
        &["SET", "s", "1"],
        &["SET", "t", "1"],
        // No-op writes: nothing changes, the transaction runs.
        &["WATCH", "s", "missing", "t"],
        &["DEL", "missing"],
        &["UNLINK", "missing"],
        &["SETNX", "s", "2"],
        &["SET", "s", "2", "NX"],
        &["SET", "missing", "2", "XX"],
        &["EXPIRE", "missing", "100"],
        &["PERSIST", "s"],
        &["EXPIRE", "s", "100", "XX"],
        &["GETDEL", "missing"],
        &["GETEX", "s"],
        &["SETRANGE", "s", "0", ""],
        &["RENAME", "s", "s"],
        &["MOVE", "missing", "1"],
        &["MSETNX", "s", "1", "missing", "1"],
        &["GET", "s"],
        &["MULTI"],
        &["GET", "s"],
        &["EXEC"],
    ]);
    let breaking: &[&[&str]] = &[
        &["SET", "s", "1"],
        &["DEL", "s"],
        &["INCR", "s"],
        &["APPEND", "s", "x"],
        &["EXPIRE", "s", "100"],
        &["PEXPIREAT", "s", "4102444800000"],
        &["GETDEL", "s"],
        &["GETEX", "s", "EX", "100"],
        &["GETSET", "s", "x"],
        &["SETRANGE", "s", "1", "x"],
        &["MSET", "other", "1", "s", "2"],
        &["RENAME", "t", "s"],
        &["RENAME", "s", "u"],
        &["COPY", "t", "s", "REPLACE"],
        &["MOVE", "s", "1"],
        &["FLUSHDB"],
        &["FLUSHALL"],
        &["SWAPDB", "0", "1"],
    ];
    for write in breaking {
        same_replies(&[
            &["SET", "s", "1"],
            &["SET", "t", "1"],
            &["WATCH", "s"],
            write,
            &["MULTI"],
            &["GET", "s"],
            &["EXEC"],
            // EXEC released the watch: the next transaction runs.
            &["MULTI"],
            &["PING"],
            &["EXEC"],
        ]);
    }
}

#[test]
fn watch_broken_by_another_connection() {
    same_replies_across(
        3,
        &[
            (0, &["SET", "k", "1"]),
            (0, &["WATCH", "k", "k", "other"]),
            (2, &["WATCH", "k"]),
            (1, &["GET", "k"]),
            (1, &["SET", "unrelated", "1"]),
            (0, &["MULTI"]),
            (0, &["INCR", "k"]),
            (1, &["INCR", "k"]),
            (0, &["EXEC"]),
            (0, &["GET", "k"]),
            // The same key watched by a second client is broken for it too.
            (2, &["MULTI"]),
            (2, &["GET", "k"]),
            (2, &["EXEC"]),
            // UNWATCH clears a broken watch.
            (0, &["WATCH", "k"]),
            (1, &["DEL", "k"]),
            (0, &["UNWATCH"]),
            (0, &["MULTI"]),
            (0, &["SET", "k", "mine"]),
            (0, &["EXEC"]),
            // A watch in another database does not see this one.
            (0, &["SELECT", "1"]),
            (0, &["WATCH", "k"]),
            (1, &["SET", "k", "db0"]),
            (0, &["MULTI"]),
            (0, &["GET", "k"]),
            (0, &["EXEC"]),
            // A key deleted by another client's DISCARDed transaction is untouched.
            (0, &["WATCH", "k"]),
            (1, &["SELECT", "1"]),
            (1, &["MULTI"]),
            (1, &["SET", "k", "never"]),
            (1, &["DISCARD"]),
            (0, &["MULTI"]),
            (0, &["GET", "k"]),
            (0, &["EXEC"]),
        ],
        Duration::ZERO,
    );
}

#[test]
fn watch_across_flush_and_swapdb() {
    same_replies_across(
        2,
        &[
            // FLUSHALL breaks only watches on keys that existed.
            (0, &["WATCH", "absent"]),
            (1, &["FLUSHALL"]),
            (0, &["MULTI"]),
            (0, &["PING"]),
            (0, &["EXEC"]),
            (1, &["SET", "present", "1"]),
            (0, &["WATCH", "present"]),
            (1, &["FLUSHALL"]),
            (0, &["MULTI"]),
            (0, &["PING"]),
            (0, &["EXEC"]),
            // FLUSHDB of another database leaves this one alone.
            (1, &["SET", "present", "1"]),
            (0, &["WATCH", "present"]),
            (1, &["SELECT", "3"]),
            (1, &["FLUSHDB"]),
            (1, &["SELECT", "0"]),
            (0, &["MULTI"]),
            (0, &["PING"]),
            (0, &["EXEC"]),
            // SWAPDB: a key present on either side changes; absent on both does not.
            (0, &["WATCH", "absent"]),
            (1, &["SWAPDB", "0", "1"]),
            (0, &["MULTI"]),
            (0, &["PING"]),
            (0, &["EXEC"]),
            (0, &["WATCH", "present"]),
            (1, &["SWAPDB", "0", "1"]),
            (0, &["MULTI"]),
            (0, &["PING"]),
            (0, &["EXEC"]),
            (1, &["SELECT", "2"]),
            (1, &["SET", "only-in-2", "1"]),
            (0, &["WATCH", "only-in-2"]),
            (1, &["SWAPDB", "2", "0"]),
            (0, &["MULTI"]),
            (0, &["PING"]),
            (0, &["EXEC"]),
        ],
        Duration::ZERO,
    );
}

#[test]
fn watch_broken_by_expiry() {
    same_replies_across(
        2,
        &[
            // Live when watched, expired by EXEC: the transaction fails.
            (0, &["SET", "k", "1", "PX", "100"]),
            (0, &["WATCH", "k"]),
            (0, &[]),
            (0, &["MULTI"]),
            (0, &["PING"]),
            (0, &["EXEC"]),
            // Same, with the expired key already collected by a read.
            (0, &["SET", "k", "1", "PX", "100"]),
            (0, &["WATCH", "k"]),
            (0, &[]),
            (1, &["GET", "k"]),
            (0, &["MULTI"]),
            (0, &["PING"]),
            (0, &["EXEC"]),
            // Already expired when watched: its collection is no change.
            (0, &["SET", "k", "1", "PX", "100"]),
            (0, &[]),
            (0, &["WATCH", "k"]),
            (1, &["GET", "k"]),
            (0, &["MULTI"]),
            (0, &["PING"]),
            (0, &["EXEC"]),
            // ...but writing it afterwards is.
            (0, &["SET", "k", "1", "PX", "100"]),
            (0, &[]),
            (0, &["WATCH", "k"]),
            (1, &["SET", "k", "2"]),
            (0, &["MULTI"]),
            (0, &["PING"]),
            (0, &["EXEC"]),
            // A TTL far away does not break anything.
            (0, &["SET", "k", "1", "EX", "1000"]),
            (0, &["WATCH", "k"]),
            (0, &["MULTI"]),
            (0, &["TTL", "k"]),
            (0, &["EXEC"]),
        ],
        Duration::from_millis(250),
    );
}

#[test]
fn client_reply_modes_inside_transactions_match_redis() {
    same_pipeline(&[
        &["CLIENT", "REPLY", "SKIP"],
        &["MULTI"],
        &["SET", "a", "1"],
        &["EXEC"],
        &["MULTI"],
        &["CLIENT", "REPLY", "SKIP"],
        &["GET", "a"],
        &["EXEC"],
        &["PING", "skipped"],
        &["PING", "shown"],
        &["CLIENT", "REPLY", "OFF"],
        &["MULTI"],
        &["GET", "a"],
        &["EXEC"],
        &["CLIENT", "REPLY", "ON"],
        &["MULTI"],
        &["GET", "a"],
        &["CLIENT", "REPLY", "OFF"],
        &["GET", "a"],
        &["EXEC"],
        &["CLIENT", "REPLY", "ON"],
        &["GET", "a"],
    ]);
}

/// INFO lines of a section, sorted, with timings removed.
fn stats_lines(raw: &mut Raw, section: &str) -> Vec<String> {
    let text = raw.call(&["INFO", section]);
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| l.contains(':') && !l.starts_with('$'))
        .map(|l| {
            l.split(',')
                .filter(|field| !field.starts_with("usec") && !field.contains("usec="))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn command_and_error_stats_count_queued_commands() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let script: &[&[&str]] = &[
        &["EXEC"],
        &["MULTI"],
        &["SET", "a", "x"],
        &["INCR", "a"],
        &["GET", "a", "b"],
        &["EXEC"],
        &["MULTI"],
        &["SET", "a", "x"],
        &["INCR", "a"],
        &["GET", "a"],
        &["EXEC"],
        &["MULTI"],
        &["SHUTDOWN"],
        &["EXEC"],
        &["WATCH", "a"],
        &["SET", "a", "1"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
    ];
    let collect = |server: &Server| {
        let mut raw = server.raw();
        raw.call(&["CONFIG", "RESETSTAT"]);
        for cmd in script {
            raw.call(cmd);
        }
        let mut lines = stats_lines(&mut raw, "commandstats");
        lines.extend(stats_lines(&mut raw, "errorstats"));
        lines.extend(
            stats_lines(&mut raw, "stats")
                .into_iter()
                .filter(|l| l.starts_with("total_commands_processed") || l.starts_with("total_error_replies")),
        );
        lines
    };
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    assert_eq!(collect(&rkv), collect(&redis));
}

/// The `name=value` field of a CLIENT INFO line.
fn field(line: &str, name: &str) -> String {
    line.split(' ').find_map(|f| f.strip_prefix(name)).unwrap_or_default().trim_end().to_owned()
}

#[test]
fn client_list_shows_transaction_state() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let script: &[&[&str]] = &[
        &["WATCH", "a", "b"],
        &["CLIENT", "INFO"],
        &["SET", "a", "1"],
        &["CLIENT", "INFO"],
        &["MULTI"],
        &["SET", "a", "1"],
        &["CLIENT", "INFO"],
        &["EXEC"],
        &["MULTI"],
        &["SET", "a", "1"],
        &["CLIENT", "INFO"],
        &["EXEC"],
        &["CLIENT", "INFO"],
    ];
    let collect = |server: &Server| {
        let mut raw = server.raw();
        let mut seen = Vec::new();
        for cmd in script {
            let reply = raw.call(cmd);
            for line in reply.lines().filter(|l| l.contains("id=")) {
                seen.push(["flags=", "multi=", "multi-mem=", "cmd="].map(|f| field(line, f)).join(" "));
            }
        }
        seen
    };
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let ours = collect(&rkv);
    assert_eq!(ours, collect(&redis));
    assert!(ours.iter().any(|l| l.starts_with("d ")), "{ours:?}");
    assert!(ours.iter().any(|l| l.starts_with("x ")), "{ours:?}");
}

#[test]
fn exec_is_atomic_under_another_clients_pipeline() {
    let rkv = Server::start(&[]);
    let port = rkv.port;
    const QUEUED: usize = 200;
    const PIPELINED: usize = 20_000;
    let writer = std::thread::spawn(move || {
        let mut raw = Raw::connect(port);
        let one = encode(&[b"INCR", b"counter"]);
        let batch: Vec<u8> = one.iter().copied().cycle().take(one.len() * PIPELINED).collect();
        raw.send(&batch);
        for _ in 0..PIPELINED {
            raw.read_reply();
        }
    });
    let mut raw = rkv.raw();
    raw.call(&["MULTI"]);
    for _ in 0..QUEUED {
        assert_eq!(raw.call(&["INCR", "counter"]), "+QUEUED\r\n");
    }
    let reply = raw.call(&["EXEC"]);
    writer.join().unwrap();
    let values: Vec<i64> =
        reply.lines().skip(1).map(|l| l.trim_start_matches(':').parse().expect("integer reply")).collect();
    assert_eq!(values.len(), QUEUED);
    assert!(values.windows(2).all(|w| w[1] == w[0] + 1), "interleaved: {values:?}");
    assert_eq!(
        raw.call(&["GET", "counter"]),
        format!("${}\r\n{}\r\n", (QUEUED + PIPELINED).to_string().len(), QUEUED + PIPELINED)
    );
}

#[test]
fn a_stale_watched_key_deleted_by_a_read_does_not_fail_exec() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let args = ["--enable-debug-command", "yes"];
    let (rkv, redis) = (Server::start(&args), Server::start_redis(&args));
    for (name, server) in [("rkv", &rkv), ("redis", &redis)] {
        let mut raw = server.raw();
        // Without active expiry the key is still in the table, past its TTL, when watched.
        assert_eq!(raw.call(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]), "+OK\r\n");
        assert_eq!(raw.call(&["SET", "x", "foo", "PX", "1"]), "+OK\r\n");
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(raw.call(&["WATCH", "x"]), "+OK\r\n");
        assert_eq!(raw.call(&["EXISTS", "x"]), ":0\r\n");
        assert_eq!(raw.call(&["MULTI"]), "+OK\r\n");
        assert_eq!(raw.call(&["PING"]), "+QUEUED\r\n");
        assert_eq!(raw.call(&["EXEC"]), "*1\r\n+PONG\r\n", "{name}");
    }
}
