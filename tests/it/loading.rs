//! The `loading` state: while the dataset loads (at startup, DEBUG RELOAD, DEBUG LOADAOF) the
//! server serves clients between steps of the load, refusing with `-LOADING` what is not
//! flagged `loading`, and INFO shows the progress; the same replies as the real redis-server.
//! `key-load-delay` makes the loads slow enough to watch.

use std::time::{Duration, Instant};

use crate::persistence::{digest, info_field};
use crate::support::{Raw, Server, have, rkv_binary};

const LOADING: &str = "-LOADING Redis is loading the dataset in memory\r\n";
/// Keys in the datasets loaded here, of `VALUE_SIZE` bytes each.
const KEYS: &str = "20000";
const VALUE_SIZE: &str = "100";
/// Settings that make a load of `KEYS` keys last two seconds or more, serving clients often.
const SLOW_LOAD: [&str; 4] = ["--key-load-delay", "100", "--loading-process-events-interval-bytes", "1024"];
/// Settings of every server here (with or without I/O threads, as `RKV_TEST_IO_THREADS` says:
/// clients are served while it loads either way).
const BASE: [&str; 4] = ["--enable-debug-command", "yes", "--save", ""];

/// Writes an RDB file of `KEYS` keys with rkv; returns its directory and the dataset's digest.
fn populated_dump() -> (tempfile::TempDir, String) {
    let server = Server::start(&BASE);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["DEBUG", "POPULATE", KEYS, "key", VALUE_SIZE]), "+OK\r\n");
    assert_eq!(raw.call(&["SAVE"]), "+OK\r\n");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(server.path().join("dump.rdb"), dir.path().join("dump.rdb")).expect("copy the dump");
    (dir, digest(&mut raw))
}

/// A copy of `dir`'s dump.rdb in a fresh directory.
fn copy_of(dir: &tempfile::TempDir) -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("temp dir");
    std::fs::copy(dir.path().join("dump.rdb"), copy.path().join("dump.rdb")).expect("copy the dump");
    copy
}

/// Polls PING until the load is over; panics after 60 seconds.
fn wait_loaded(raw: &mut Raw) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while raw.call(&["PING"]) != "+PONG\r\n" {
        assert!(Instant::now() < deadline, "the load did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Polls PING until a load is under way; panics after 10 seconds.
fn wait_loading(raw: &mut Raw) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while raw.call(&["PING"]) != LOADING {
        assert!(Instant::now() < deadline, "no load started");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The fields of INFO persistence, as `name:value` lines.
fn persistence(raw: &mut Raw) -> Vec<String> {
    let info = raw.call(&["INFO", "persistence"]);
    info.lines().filter(|l| l.contains(':')).map(str::to_owned).collect()
}

/// A numeric field of `lines`.
fn number(lines: &[String], name: &str) -> f64 {
    let prefix = format!("{name}:");
    let value = lines.iter().find_map(|l| l.strip_prefix(&prefix)).unwrap_or_else(|| panic!("no {name}"));
    value.parse().unwrap_or_else(|_| panic!("{name}:{value} is not a number"))
}

#[test]
fn a_client_connecting_during_the_startup_load_is_refused_then_finds_every_key() {
    let (dir, expected) = populated_dump();
    let file_size = std::fs::metadata(dir.path().join("dump.rdb")).expect("dump").len();
    let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
    let server = Server::start_loading_in(rkv_binary(), dir, &[&BASE[..], &SLOW_LOAD[..]].concat());
    let mut raw = server.raw();
    assert_eq!(raw.call(&["PING"]), LOADING);
    assert_eq!(raw.call(&["GET", "key:1"]), LOADING);
    let info = persistence(&mut raw);
    assert!(info.contains(&"loading:1".to_owned()), "{info:?}");
    assert!(info.contains(&"async_loading:0".to_owned()), "{info:?}");
    assert!(info.contains(&format!("loading_total_bytes:{file_size}")), "{info:?}");
    let start = number(&info, "loading_start_time");
    assert!((started as f64 - 1.0..=started as f64 + 5.0).contains(&start), "{start} vs {started}");
    let loaded = number(&info, "loading_loaded_bytes");
    assert!(loaded > 0.0 && loaded < file_size as f64, "{loaded} of {file_size}");
    let percent = number(&info, "loading_loaded_perc");
    assert!((percent - loaded / file_size as f64 * 100.0).abs() < 0.01, "{percent}");
    // The saving server's memory, from the file's `used-mem` field.
    assert!(number(&info, "loading_rdb_used_mem") > 0.0, "{info:?}");
    assert!(number(&info, "loading_eta_seconds") >= 0.0);

    wait_loaded(&mut raw);
    assert_eq!(raw.call(&["DBSIZE"]), format!(":{KEYS}\r\n"));
    assert_eq!(digest(&mut raw), expected);
    let info = persistence(&mut raw);
    assert!(info.contains(&"loading:0".to_owned()), "{info:?}");
    assert!(!info.iter().any(|l| l.starts_with("loading_")), "{info:?}");
    assert_eq!(info_field(&mut raw, "rdb_last_load_keys_loaded"), KEYS);
}

/// Commands sent while the dataset loads, whose replies must be Redis's.
const DURING_LOAD: &[&[&str]] = &[
    &["PING"],
    &["GET", "key:1"],
    &["SET", "k", "v"],
    &["DBSIZE"],
    &["SELECT", "1"],
    &["CONFIG", "SET", "appendonly", "yes"],
    &["CONFIG", "SET", "loglevel", "notice", "dir", "/tmp"],
    &["CONFIG", "SET", "nosuch", "1", "appendonly", "yes"],
    &["CONFIG", "SET", "loglevel", "verbose"],
    &["MULTI"],
    &["GET", "key:1"],
    &["EXEC"],
    &["ECHO", "x"],
    &["EVAL", "return 1", "0"],
];

#[test]
fn replies_during_a_load_match_redis() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let (dir, _) = populated_dump();
    let args = [&BASE[..], &SLOW_LOAD[..]].concat();
    let rkv = Server::start_loading_in(rkv_binary(), copy_of(&dir), &args);
    let redis = Server::start_loading_in("redis-server", dir, &[&args[..], &["--appendonly", "no"]].concat());
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    for cmd in DURING_LOAD {
        assert_eq!(a.call(cmd), b.call(cmd), "command {cmd:?}");
    }
    let (info_a, info_b) = (persistence(&mut a), persistence(&mut b));
    // Both are still loading, so the comparison above compared loading replies.
    assert!(info_a.contains(&"loading:1".to_owned()) && info_b.contains(&"loading:1".to_owned()));
    let names = |info: &[String]| -> Vec<String> {
        info.iter()
            .filter(|l| l.starts_with("loading"))
            .filter_map(|l| l.split(':').next())
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(names(&info_a), names(&info_b));
}

#[test]
fn clients_leaving_during_a_load_are_freed_at_once() {
    let (dir, _) = populated_dump();
    let server = Server::start_loading_in(rkv_binary(), dir, &[&BASE[..], &SLOW_LOAD[..]].concat());
    let mut raw = server.raw();
    let mut leaving: Vec<Raw> = (0..5).map(|_| server.raw()).collect();
    for (i, c) in leaving.iter_mut().enumerate() {
        assert_eq!(c.call(&["PING"]), LOADING);
        if i % 2 == 0 {
            // QUIT is answered and the connection ends now, not once the load is over.
            assert_eq!(c.call(&["QUIT"]), "+OK\r\n");
            assert!(c.read_to_close().is_empty());
        }
    }
    drop(leaving);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let clients = raw.call(&["INFO", "clients"]);
        if clients.contains("connected_clients:1\r\n") {
            break;
        }
        assert!(Instant::now() < deadline, "clients were not freed: {clients}");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(info_field(&mut raw, "loading"), "1");
}

#[test]
fn shutdown_or_sigterm_during_a_load_exits_without_saving_the_half_loaded_dataset() {
    let (dir, _) = populated_dump();
    let before = std::fs::read(dir.path().join("dump.rdb")).expect("dump");
    for how in ["SHUTDOWN", "SIGTERM"] {
        // Save points exist, so a shutdown would save if the dataset were whole.
        let args = [&["--save", "3600 1"], &SLOW_LOAD[..]].concat();
        let mut server = Server::start_loading_in(rkv_binary(), copy_of(&dir), &args);
        let mut raw = server.raw();
        assert_eq!(raw.call(&["PING"]), LOADING, "{how}");
        if how == "SHUTDOWN" {
            raw.cmd(&[b"SHUTDOWN"]);
        } else {
            server.signal("TERM");
        }
        assert!(raw.read_to_close().is_empty(), "{how}");
        assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0), "{how}");
        let after = std::fs::read(server.path().join("dump.rdb")).expect("dump");
        assert!(after == before, "{how} rewrote the file");
        if how == "SIGTERM" {
            assert!(server.log_text().contains("Received shutdown signal during loading, scheduling shutdown."));
        }
    }
}

/// Starts `program` (rkv or redis-server) with `KEYS` keys in memory and the slow-load
/// settings set.
fn populated_server(program: &str, extra: &[&str]) -> (Server, String) {
    let server = Server::start_program(program, None, &[&BASE[..], extra].concat());
    let mut raw = server.raw();
    assert_eq!(raw.call(&["DEBUG", "POPULATE", KEYS, "key", VALUE_SIZE]), "+OK\r\n");
    assert_eq!(raw.call(&["CONFIG", "SET", "key-load-delay", "100"]), "+OK\r\n");
    assert_eq!(raw.call(&["CONFIG", "SET", "loading-process-events-interval-bytes", "1024"]), "+OK\r\n");
    let expected = digest(&mut raw);
    (server, expected)
}

/// Sends `command` on one connection and, on another, watches the load it starts: `-LOADING`
/// and INFO `loading:1` meanwhile, then all `keys` back (with the `expected` digest) once
/// `command` answered +OK.
fn watch_reload(server: &Server, command: &[&[u8]], keys: usize, expected: &str) {
    let (mut loader, mut watcher) = (server.raw(), server.raw());
    loader.cmd(command);
    wait_loading(&mut watcher);
    assert_eq!(info_field(&mut watcher, "loading"), "1");
    assert_eq!(String::from_utf8_lossy(&loader.read_reply()), "+OK\r\n");
    assert_eq!(watcher.call(&["PING"]), "+PONG\r\n");
    assert_eq!(watcher.call(&["DBSIZE"]), format!(":{keys}\r\n"));
    assert_eq!(digest(&mut watcher), expected);
    assert_eq!(info_field(&mut watcher, "loading"), "0");
}

#[test]
fn debug_reload_serves_other_clients_with_loading_errors() {
    let (server, expected) = populated_server(rkv_binary(), &[]);
    watch_reload(&server, &[b"DEBUG", b"RELOAD"], 20_000, &expected);
}

/// What EXEC answers during a DEBUG RELOAD of `program`, and after it: a transaction queued
/// before the load that holds a command not flagged `loading`, and one holding only `loading`
/// commands.
fn exec_around_a_reload(program: &str) -> Vec<String> {
    let (server, _) = populated_server(program, &[]);
    let (mut reads, mut selects, mut loader, mut watcher) = (server.raw(), server.raw(), server.raw(), server.raw());
    let mut replies = Vec::new();
    // A `loading` command queued too: one command without the flag is enough to refuse EXEC.
    for cmd in [&["MULTI"][..], &["SELECT", "0"], &["GET", "key:1"]] {
        replies.push(reads.call(cmd));
    }
    for cmd in [&["MULTI"][..], &["SELECT", "0"]] {
        replies.push(selects.call(cmd));
    }
    loader.cmd(&[b"DEBUG", b"RELOAD"]);
    wait_loading(&mut watcher);
    replies.push(reads.call(&["EXEC"]));
    replies.push(selects.call(&["EXEC"]));
    assert_eq!(info_field(&mut watcher, "loading"), "1", "{program}: the load ended too soon");
    assert_eq!(String::from_utf8_lossy(&loader.read_reply()), "+OK\r\n");
    // The refused EXEC discarded its transaction.
    replies.push(reads.call(&["EXEC"]));
    replies
}

#[test]
fn exec_during_a_load_runs_only_loading_commands_as_redis() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let ours = exec_around_a_reload(rkv_binary());
    assert_eq!(ours, exec_around_a_reload("redis-server"));
    assert_eq!(ours[5], format!("-EXECABORT Transaction discarded because of: {}", &LOADING[1..]));
    assert_eq!(ours[6], "*1\r\n+OK\r\n");
    assert_eq!(ours[7], "-ERR EXEC without MULTI\r\n");
}

#[test]
fn debug_loadaof_serves_other_clients_with_loading_errors() {
    let (server, _) = populated_server(rkv_binary(), &["--appendonly", "yes"]);
    let mut raw = server.raw();
    // The keys go to the AOF's base (an RDB image), and commands after it to its incr file.
    assert!(raw.call(&["BGREWRITEAOF"]).starts_with('+'));
    let deadline = Instant::now() + Duration::from_secs(30);
    while info_field(&mut raw, "aof_rewrite_in_progress") != "0" || info_field(&mut raw, "aof_rewrite_scheduled") != "0"
    {
        assert!(Instant::now() < deadline, "the rewrite did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut pipeline = Vec::new();
    for i in 0..3000 {
        pipeline.extend(crate::support::encode(&[b"SET", format!("cmd:{i}").as_bytes(), b"v"]));
    }
    raw.send(&pipeline);
    for _ in 0..3000 {
        assert_eq!(raw.read_reply(), b"+OK\r\n");
    }
    let expected = digest(&mut raw);
    watch_reload(&server, &[b"DEBUG", b"LOADAOF"], 23_000, &expected);
}

#[test]
fn with_io_threads_clients_are_refused_during_loads_then_see_every_key() {
    let (dir, expected) = populated_dump();
    let args = [&BASE[..], &SLOW_LOAD[..], &["--io-threads", "2"]].concat();
    let server = Server::start_loading_in(rkv_binary(), dir, &args);
    // Connections accepted during the startup load are handed to the I/O thread, whose queued
    // requests the load serves.
    let mut raw = server.raw();
    assert_eq!(raw.call(&["GET", "key:1"]), LOADING);
    assert_eq!(info_field(&mut raw, "loading"), "1");
    wait_loaded(&mut raw);
    assert_eq!(digest(&mut raw), expected);
    // A reload asked from one I/O-thread connection serves the others' requests meanwhile.
    watch_reload(&server, &[b"DEBUG", b"RELOAD"], 20_000, &expected);
}
