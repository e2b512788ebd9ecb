//! The AOF end to end: what rkv appends equals what redis-server 7.0.15 appends, an
//! appendonlydir moves between rkv and Redis both ways (datasets compared with DEBUG DIGEST,
//! rkv's files checked by redis-check-aof), BGREWRITEAOF and CONFIG SET appendonly at runtime,
//! truncated files per `aof-load-truncated`, and no acknowledged write lost to a SIGKILL with
//! `appendfsync always`.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::persistence::{digest, fill, info_field};
use crate::support::effects::aof_commands;
use crate::support::{Raw, Server, have, rkv_binary, run_to_exit};

/// Servers with the AOF on; `always` so that a SIGKILL right after a reply loses nothing on
/// either server (with everysec Redis may postpone a write, and rkv's writer thread may not
/// have written the last batch yet).
const AOF: [&str; 8] =
    ["--enable-debug-command", "yes", "--save", "", "--appendonly", "yes", "--appendfsync", "always"];

/// Kills `server` (SIGKILL, nothing flushed on the way out) and returns its directory.
fn kill(mut server: Server) -> tempfile::TempDir {
    server.signal("KILL");
    server.wait_exit(Duration::from_secs(10));
    std::mem::replace(&mut server.dir, tempfile::tempdir().expect("temp dir"))
}

/// Waits until no AOF rewrite runs; returns its status.
fn wait_rewrite(raw: &mut Raw) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    while info_field(raw, "aof_rewrite_in_progress") != "0" || info_field(raw, "aof_rewrite_scheduled") != "0" {
        assert!(Instant::now() < deadline, "the AOF rewrite did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
    info_field(raw, "aof_last_bgrewrite_status")
}

/// The manifest's text.
fn manifest(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("appendonlydir/appendonly.aof.manifest")).expect("manifest")
}

/// Runs redis-check-aof on the directory's manifest; asserts it finds everything valid.
fn check_aof(dir: &Path) {
    let manifest = dir.join("appendonlydir/appendonly.aof.manifest");
    let (code, out, err) = run_to_exit("redis-check-aof", &[manifest.to_str().expect("utf-8")], dir);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("All AOF files and manifest are valid"), "{out}");
}

fn ok(reply: String) {
    assert!(!reply.starts_with('-'), "{reply}");
}

#[test]
fn appended_commands_equal_redis_s() {
    if !have("redis-server") {
        return eprintln!("skipped: redis-server is not installed");
    }
    let commands: &[&[&str]] = &[
        &["SET", "k", "v", "EX", "100"],
        &["INCRBYFLOAT", "f", "1.5"],
        &["SELECT", "3"],
        &["RPUSH", "l", "a", "b"],
        &["MULTI"],
        &["LPOP", "l"],
        &["SADD", "s", "x"],
        &["EXEC"],
        &["EXPIRE", "l", "100"],
        &["SELECT", "0"],
        &["DEL", "k", "missing"],
    ];
    let rkv = Server::start(&AOF);
    let redis = Server::start_redis(&AOF);
    for server in [&rkv, &redis] {
        let mut raw = server.raw();
        for cmd in commands {
            raw.call(cmd);
        }
    }
    assert_eq!(aof_commands(&rkv), aof_commands(&redis));
    assert_eq!(manifest(rkv.path()), manifest(redis.path()));
    let sizes = |server: &Server| {
        let mut raw = server.raw();
        (info_field(&mut raw, "aof_current_size"), info_field(&mut raw, "aof_base_size"))
    };
    assert_eq!(sizes(&rkv), sizes(&redis));
}

#[test]
fn the_dataset_survives_restarts_rewrites_and_debug_loadaof() {
    let rkv = Server::start(&AOF);
    let mut raw = rkv.raw();
    fill(&mut raw);
    let before = digest(&mut raw);
    assert_eq!(raw.call(&["DEBUG", "LOADAOF"]), "+OK\r\n");
    assert_eq!(digest(&mut raw), before);
    // Loading again is no write: nothing of it reaches the AOF (it would replay itself).
    assert_eq!(raw.call(&["DEBUG", "LOADAOF"]), "+OK\r\n");
    assert!(!aof_commands(&rkv).iter().any(|argv| argv[0] == "DEBUG"));
    assert_eq!(raw.call(&["BGREWRITEAOF"]), "+Background append only file rewriting started\r\n");
    assert_eq!(wait_rewrite(&mut raw), "ok");
    ok(raw.call(&["SET", "after-rewrite", "1"]));
    let expected = digest(&mut raw);
    assert_eq!(
        manifest(rkv.path()),
        "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n"
    );
    assert_eq!(info_field(&mut raw, "aof_rewrites"), "1");
    let dir = kill(rkv);
    if have("redis-check-aof") {
        check_aof(dir.path());
    }
    let again = Server::start_program_in(rkv_binary(), dir, None, &AOF);
    assert_eq!(digest(&mut again.raw()), expected);
    assert!(again.log_text().contains("DB loaded from append only file"), "{}", again.log_text());
}

#[test]
fn an_appendonlydir_moves_between_redis_and_rkv() {
    if !have("redis-server") {
        return eprintln!("skipped: redis-server is not installed");
    }
    // Redis writes a base and an incremental file; rkv loads them.
    let redis = Server::start_redis(&AOF);
    let mut raw = redis.raw();
    fill(&mut raw);
    assert_eq!(raw.call(&["BGREWRITEAOF"]), "+Background append only file rewriting started\r\n");
    assert_eq!(wait_rewrite(&mut raw), "ok");
    ok(raw.call(&["RPUSH", "after", "1", "2"]));
    ok(raw.call(&["INCR", "counter"]));
    let expected = digest(&mut raw);
    let dir = kill(redis);
    let rkv = Server::start_program_in(rkv_binary(), dir, None, &AOF);
    let mut raw = rkv.raw();
    assert_eq!(digest(&mut raw), expected);
    // rkv appends and rewrites; Redis loads the result, which redis-check-aof accepts.
    ok(raw.call(&["HSET", "from-rkv", "f", "v"]));
    assert_eq!(raw.call(&["BGREWRITEAOF"]), "+Background append only file rewriting started\r\n");
    assert_eq!(wait_rewrite(&mut raw), "ok");
    ok(raw.call(&["ZADD", "z-after", "1", "m"]));
    let expected = digest(&mut raw);
    let dir = kill(rkv);
    check_aof(dir.path());
    let redis = Server::start_program_in("redis-server", dir, None, &AOF);
    assert_eq!(digest(&mut redis.raw()), expected);
}

#[test]
fn appendonly_turned_on_at_runtime_writes_a_base_first() {
    let rkv = Server::start(&[&AOF[..4], &["--appendonly", "no"]].concat());
    let mut raw = rkv.raw();
    ok(raw.call(&["SET", "before", "1"]));
    assert_eq!(raw.call(&["CONFIG", "SET", "appendonly", "yes"]), "+OK\r\n");
    ok(raw.call(&["SET", "during", "2"]));
    assert_eq!(wait_rewrite(&mut raw), "ok");
    assert_eq!(info_field(&mut raw, "aof_enabled"), "1");
    ok(raw.call(&["SET", "after", "3"]));
    assert_eq!(
        manifest(rkv.path()),
        "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
    );
    let expected = digest(&mut raw);
    assert_eq!(raw.call(&["CONFIG", "SET", "appendonly", "no"]), "+OK\r\n");
    assert_eq!(info_field(&mut raw, "aof_enabled"), "0");
    ok(raw.call(&["SET", "not-logged", "4"]));
    let dir = kill(rkv);
    let again = Server::start_program_in(rkv_binary(), dir, None, &AOF);
    assert_eq!(digest(&mut again.raw()), expected);
}

#[test]
fn a_truncated_tail_loads_only_when_allowed() {
    let rkv = Server::start(&AOF);
    let mut raw = rkv.raw();
    ok(raw.call(&["SET", "a", "1"]));
    ok(raw.call(&["SET", "b", "2"]));
    let dir = kill(rkv);
    let incr = dir.path().join("appendonlydir/appendonly.aof.1.incr.aof");
    let whole = std::fs::read(&incr).expect("incr file");
    std::fs::write(&incr, [&whole[..], b"*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1"].concat()).expect("append a torn command");

    let (code, _, _) =
        run_to_exit(rkv_binary(), &["--port", "0", "--appendonly", "yes", "--aof-load-truncated", "no"], dir.path());
    assert_eq!(code, Some(1), "a torn tail stops startup with aof-load-truncated no");

    let rkv = Server::start_program_in(rkv_binary(), dir, None, &AOF);
    let mut raw = rkv.raw();
    assert_eq!(raw.call(&["MGET", "a", "b", "c"]), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
    assert!(rkv.log_text().contains("!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!"));
    // The torn bytes were cut off, and appending goes on after the last whole command.
    ok(raw.call(&["SET", "d", "4"]));
    let dir = kill(rkv);
    let again = Server::start_program_in(rkv_binary(), dir, None, &AOF);
    assert_eq!(again.raw().call(&["MGET", "a", "d"]), "*2\r\n$1\r\n1\r\n$1\r\n4\r\n");
}

#[test]
fn acknowledged_writes_survive_sigkill_with_appendfsync_always() {
    let rkv = Server::start(&AOF);
    let writer = {
        let port = rkv.port;
        std::thread::spawn(move || {
            let mut raw = Raw::connect(port);
            let mut acked = 0u64;
            loop {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| raw.call(&["INCR", "counter"]))) {
                    Ok(reply) if reply.starts_with(':') => acked = reply[1..].trim().parse().expect("counter"),
                    _ => return acked,
                }
            }
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let dir = kill(rkv);
    let acked = writer.join().expect("writer thread");
    assert!(acked > 0, "some writes were acknowledged");
    let again = Server::start_program_in(rkv_binary(), dir, None, &AOF);
    let counter: u64 = again.raw().call(&["GET", "counter"]).lines().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(counter >= acked, "{acked} acknowledged increments, {counter} on disk");
}

#[test]
fn bgsave_and_bgrewriteaof_take_turns() {
    let rkv = Server::start(&[&AOF[..], &["--rdb-key-save-delay", "1000"]].concat());
    let mut raw = rkv.raw();
    ok(raw.call(&["DEBUG", "POPULATE", "200"]));
    assert_eq!(raw.call(&["BGREWRITEAOF"]), "+Background append only file rewriting started\r\n");
    assert_eq!(raw.call(&["BGREWRITEAOF"]), "-ERR Background append only file rewriting already in progress\r\n");
    assert!(raw.call(&["BGSAVE"]).starts_with("-ERR Another child process is active (AOF?)"));
    assert_eq!(raw.call(&["BGSAVE", "SCHEDULE"]), "+Background saving scheduled\r\n");
    assert_eq!(info_field(&mut raw, "rdb_bgsave_in_progress"), "0");
    assert_eq!(info_field(&mut raw, "aof_rewrite_in_progress"), "1");
    ok(raw.call(&["CONFIG", "SET", "rdb-key-save-delay", "0"]));
    assert_eq!(wait_rewrite(&mut raw), "ok");
}

#[test]
fn a_base_of_commands_loads_in_rkv_and_in_redis() {
    for timestamps in ["yes", "no"] {
        let args = ["--aof-use-rdb-preamble", "no", "--aof-timestamp-enabled", timestamps];
        let rkv = Server::start(&[&AOF[..], &args].concat());
        let mut raw = rkv.raw();
        fill(&mut raw);
        assert_eq!(raw.call(&["BGREWRITEAOF"]), "+Background append only file rewriting started\r\n");
        assert_eq!(wait_rewrite(&mut raw), "ok");
        let base = std::fs::read(rkv.path().join("appendonlydir/appendonly.aof.2.base.aof")).expect("base");
        let opening: &[u8] = if timestamps == "yes" { b"#TS:" } else { b"*2\r\n$6\r\nSELECT" };
        assert!(base.starts_with(opening), "{:?}", String::from_utf8_lossy(&base[..base.len().min(20)]));
        let expected = digest(&mut raw);
        let dir = kill(rkv);
        if have("redis-check-aof") {
            check_aof(dir.path());
        }
        let again = Server::start_program_in(rkv_binary(), dir, None, &AOF);
        assert_eq!(digest(&mut again.raw()), expected);
        if have("redis-server") {
            let dir = kill(again);
            let redis = Server::start_program_in("redis-server", dir, None, &AOF);
            assert_eq!(digest(&mut redis.raw()), expected);
        }
    }
}

#[test]
fn the_aof_rewrites_itself_once_it_doubles() {
    let args = ["--auto-aof-rewrite-min-size", "1kb", "--auto-aof-rewrite-percentage", "100"];
    let rkv = Server::start(&[&AOF[..], &args].concat());
    let mut raw = rkv.raw();
    let value = "v".repeat(100);
    for i in 0..40 {
        ok(raw.call(&["SET", &format!("key:{i}"), &value]));
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while info_field(&mut raw, "aof_rewrites") != "1" {
        assert!(Instant::now() < deadline, "no automatic rewrite: {}", raw.call(&["INFO", "persistence"]));
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(wait_rewrite(&mut raw), "ok");
    assert!(rkv.log_text().contains("Starting automatic rewriting of AOF on"), "{}", rkv.log_text());
    let size: u64 = info_field(&mut raw, "aof_current_size").parse().expect("size");
    assert_eq!(info_field(&mut raw, "aof_base_size"), size.to_string());
}

#[test]
fn function_libraries_and_script_effects_survive_the_aof() {
    let library = "#!lua name=aoflib\nredis.register_function('setit', function(keys, args) \
                   return redis.call('SET', keys[1], args[1]) end)";
    let commands: &[&[&str]] = &[
        &["FUNCTION", "LOAD", library],
        &["FCALL", "setit", "1", "f", "1"],
        &["EVAL", "redis.call('INCR', KEYS[1]); return redis.call('RPUSH', KEYS[2], 'x')", "2", "n", "l"],
    ];
    let run = |server: &Server| {
        let mut raw = server.raw();
        for cmd in commands {
            ok(raw.call(cmd));
        }
    };
    if have("redis-server") {
        let (rkv, redis) = (Server::start(&AOF), Server::start_redis(&AOF));
        run(&rkv);
        run(&redis);
        assert_eq!(aof_commands(&rkv), aof_commands(&redis));
    }
    for preamble in ["yes", "no"] {
        let rkv = Server::start(&[&AOF[..], &["--aof-use-rdb-preamble", preamble]].concat());
        run(&rkv);
        let mut raw = rkv.raw();
        assert_eq!(raw.call(&["BGREWRITEAOF"]), "+Background append only file rewriting started\r\n");
        assert_eq!(wait_rewrite(&mut raw), "ok");
        let (expected, libraries) = (digest(&mut raw), raw.call(&["FUNCTION", "LIST"]));
        let dir = kill(rkv);
        if have("redis-check-aof") {
            check_aof(dir.path());
        }
        let again = Server::start_program_in(rkv_binary(), dir, None, &AOF);
        let mut raw = again.raw();
        assert_eq!((digest(&mut raw), raw.call(&["FUNCTION", "LIST"])), (expected.clone(), libraries.clone()));
        if have("redis-server") {
            let redis = Server::start_program_in("redis-server", kill(again), None, &AOF);
            let mut raw = redis.raw();
            assert_eq!((digest(&mut raw), raw.call(&["FUNCTION", "LIST"])), (expected, libraries), "{preamble}");
        }
    }
}

/// Sends `INCR key` until the connection breaks; returns the last acknowledged value.
fn incr_until_killed(port: u16, key: String) -> u64 {
    let mut raw = Raw::connect(port);
    let mut acked = 0;
    loop {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| raw.call(&["INCR", &key]))) {
            Ok(reply) if reply.starts_with(':') => acked = reply[1..].trim().parse().expect("counter"),
            _ => return acked,
        }
    }
}

#[test]
fn concurrent_writers_lose_nothing_across_sigkills_and_rewrites() {
    // A reply waits for its write to reach the file, so a killed process loses nothing
    // acknowledged even with everysec (only a crash of the machine could).
    for fsync in ["always", "everysec"] {
        writers_survive_sigkills(fsync);
    }
}

/// Four writers, three SIGKILLs, with `appendfsync` set to `fsync`.
fn writers_survive_sigkills(fsync: &str) {
    // Rewrites start every few kilobytes, so kills land before, during and after them.
    let tuning = ["--auto-aof-rewrite-min-size", "4kb", "--auto-aof-rewrite-percentage", "50", "--appendfsync", fsync];
    let args = [&AOF[..], &tuning].concat();
    let mut dir = tempfile::tempdir().expect("temp dir");
    let mut acked = [0u64; 4];
    for (round, pause_ms) in [130u64, 270, 410].into_iter().enumerate() {
        let rkv = Server::start_program_in(rkv_binary(), dir, None, &args);
        let mut raw = rkv.raw();
        for (i, before) in acked.iter().enumerate() {
            let on_disk = raw.call(&["GET", &format!("counter:{i}")]).lines().nth(1).and_then(|n| n.parse().ok());
            let on_disk: u64 = on_disk.unwrap_or(0);
            // Nothing acknowledged is lost; at most the one write in flight at the kill is kept.
            assert!(
                (*before..=before + 1).contains(&on_disk),
                "{fsync}, round {round}, counter {i}: {before} acked, {on_disk}"
            );
        }
        let writers: Vec<_> = (0..acked.len())
            .map(|i| {
                let port = rkv.port;
                std::thread::spawn(move || incr_until_killed(port, format!("counter:{i}")))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(pause_ms));
        dir = kill(rkv);
        for (slot, writer) in acked.iter_mut().zip(writers) {
            *slot = (*slot).max(writer.join().expect("writer thread"));
        }
    }
    assert!(acked.iter().all(|&n| n > 0), "writes were acknowledged: {acked:?}");
    let manifest = manifest(dir.path());
    assert!(!manifest.contains(".1.base."), "no automatic rewrite ran: {manifest}");
    let last = Server::start_program_in(rkv_binary(), dir, None, &args);
    let mut raw = last.raw();
    for (i, before) in acked.iter().enumerate() {
        let on_disk: u64 =
            raw.call(&["GET", &format!("counter:{i}")]).lines().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
        assert!((*before..=before + 1).contains(&on_disk), "counter {i}: {before} acked, {on_disk} on disk");
    }
}

#[test]
fn check_aof_reports_as_redis_check_aof_does() {
    if !have("redis-check-aof") {
        return eprintln!("skipped: redis-check-aof is not installed");
    }
    let rkv = Server::start(&AOF);
    let mut raw = rkv.raw();
    fill(&mut raw);
    for cmd in [&["MULTI"][..], &["INCR", "n"], &["EXEC"]] {
        raw.call(cmd);
    }
    let dir = kill(rkv);
    let aof = dir.path().join("appendonlydir");
    let incr = aof.join("appendonly.aof.1.incr.aof");
    let whole = std::fs::read(&incr).expect("incr file");
    let single = dir.path().join("single.aof");
    let compare = |path: &Path| {
        let path = path.to_str().expect("utf-8");
        let theirs = run_to_exit("redis-check-aof", &[path], dir.path());
        let ours = run_to_exit(rkv_binary(), &["--check-aof", path], dir.path());
        assert_eq!((ours.0, &ours.1), (theirs.0, &theirs.1), "{path}");
    };
    // A whole directory; then its incremental file cut inside MULTI, inside a bulk string and
    // inside a header (not the first one: the tool shows stack garbage there); then single
    // files of every kind: commands, an RDB preamble, garbage.
    compare(&aof.join("appendonly.aof.manifest"));
    for cut in [whole.len() - 3, whole.len() - 20, whole.len() - 36, 40] {
        std::fs::write(&incr, &whole[..cut]).expect("cut");
        compare(&aof.join("appendonly.aof.manifest"));
    }
    let base = std::fs::read(aof.join("appendonly.aof.1.base.rdb")).expect("base");
    for file in [&whole[..], &[&base[..], &whole[..]].concat(), b"*1\r\n$4\r\nEXEC\r\n", b"x\r\n"] {
        std::fs::write(&single, file).expect("single");
        compare(&single);
    }
    // A broken preamble: the RDB checker's own words differ (see --check-rdb); the verdict not.
    std::fs::write(&single, &base[..base.len() - 1]).expect("single");
    let path = single.to_str().expect("utf-8");
    let ours = run_to_exit(rkv_binary(), &["--check-aof", path], dir.path());
    assert_eq!(ours.0, Some(1));
    assert!(ours.1.ends_with("RDB preamble of AOF file is not sane, aborting.\n"), "{}", ours.1);
}

#[test]
fn approximate_stream_trims_replay_exactly() {
    let rkv = Server::start(&[&AOF[..], &["--stream-node-max-entries", "10"]].concat());
    let mut raw = rkv.raw();
    for _ in 0..100 {
        assert!(raw.call(&["XADD", "s", "*", "item", "v"]).starts_with('$'));
    }
    raw.call(&["XADD", "s", "MAXLEN", "~", "55", "LIMIT", "30", "*", "item", "v"]);
    assert_eq!(raw.call(&["XLEN", "s"]), ":71\r\n");
    // The AOF holds `MAXLEN = 71 LIMIT 30`: replayed with other node sizes it keeps 71 entries.
    ok(raw.call(&["CONFIG", "SET", "stream-node-max-entries", "1"]));
    ok(raw.call(&["DEBUG", "LOADAOF"]));
    assert_eq!(raw.call(&["XLEN", "s"]), ":71\r\n");
}

/// Runs `program` with `args` in `dir`, `answer` on its standard input; its exit code and
/// standard output.
fn run_answering(program: &str, args: &[&str], dir: &Path, answer: &str) -> (Option<i32>, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(answer.as_bytes());
    }
    let out = child.wait_with_output().expect("wait");
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn check_aof_repairs_as_redis_check_aof_does() {
    if !have("redis-check-aof") {
        return eprintln!("skipped: redis-check-aof is not installed");
    }
    let set = |k: &str| format!("*3\r\n$3\r\nSET\r\n${}\r\n{k}\r\n$1\r\nv\r\n", k.len());
    let stamped = format!("#TS:100\r\n{}#TS:200\r\n{}#TS:300\r\n{}", set("a"), set("b"), set("c"));
    let cut = format!("{}{}*3\r\n$3\r\nSET", set("a"), set("b"));
    let manifest = "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n";
    // (files, the file checked, arguments before it, the answer to "Continue?").
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a [&'a str], &'a str);
    let cases: &[Case<'_>] = &[
        (&[("f.aof", &cut)], "f.aof", &["--fix"], "y\n"),
        (&[("f.aof", &cut)], "f.aof", &["--fix"], "n\n"),
        (&[("f.aof", &stamped)], "f.aof", &["--truncate-to-timestamp", "250"], ""),
        (&[("f.aof", &stamped)], "f.aof", &["--truncate-to-timestamp", "50"], ""),
        (&[("f.aof", &stamped)], "f.aof", &["--truncate-to-timestamp", "400"], ""),
        (&[("f.aof", &stamped)], "f.aof", &["--truncate-to-timestamp", "x"], ""),
        (&[("f.aof", "#TS:1x\r\n")], "f.aof", &["--truncate-to-timestamp", "5"], ""),
        (&[("f.aof", &cut)], "f.aof", &["--repair"], ""),
        (
            &[("m", manifest), ("appendonly.aof.1.base.aof", &stamped), ("appendonly.aof.1.incr.aof", &cut)],
            "m",
            &["--truncate-to-timestamp", "250"],
            "",
        ),
        (
            &[("m", manifest), ("appendonly.aof.1.base.aof", &cut), ("appendonly.aof.1.incr.aof", &cut)],
            "m",
            &["--fix"],
            "y\n",
        ),
        (
            &[("m", manifest), ("appendonly.aof.1.base.aof", &stamped), ("appendonly.aof.1.incr.aof", &cut)],
            "m",
            &["--fix"],
            "y\n",
        ),
    ];
    for (files, checked, flags, answer) in cases {
        let run = |program: &str, extra: &[&str]| {
            let dir = tempfile::tempdir().expect("temp dir");
            for (name, text) in *files {
                std::fs::write(dir.path().join(name), text).expect("write");
            }
            let args = [extra, flags, &[checked]].concat();
            let (code, out) = run_answering(program, &args, dir.path(), answer);
            let after: Vec<String> =
                files.iter().map(|(name, _)| std::fs::read_to_string(dir.path().join(name)).expect("read")).collect();
            (code, out, after)
        };
        let theirs = run("redis-check-aof", &[]);
        let ours = run(rkv_binary(), &["--check-aof"]);
        // The usage line names the program; the rest is the same.
        let ours_out = ours.1.replace("rkv-server --check-aof", "redis-check-aof");
        assert_eq!(
            (ours.0, ours_out.as_str(), &ours.2),
            (theirs.0, theirs.1.as_str(), &theirs.2),
            "{flags:?} {checked}"
        );
    }
}
