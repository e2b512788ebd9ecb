//! RDB persistence end to end: SAVE, BGSAVE (forkless, point in time), loading at startup,
//! SHUTDOWN and signals, MISCONF, DEBUG RELOAD, and files moving between rkv and the real
//! redis-server 7.0.15 in both directions (datasets compared with DEBUG DIGEST).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{Raw, Server, have, rkv_binary, run_to_exit};

const DEBUG: [&str; 2] = ["--enable-debug-command", "yes"];

/// Writes keys of every type and encoding into databases 0 and 1.
pub fn fill(raw: &mut Raw) {
    let ok = |reply: String| assert!(!reply.starts_with('-'), "{reply}");
    ok(raw.call(&["SET", "int", "12345"]));
    ok(raw.call(&["SET", "short", "hello"]));
    ok(raw.call(&["SET", "long", &"x".repeat(300)]));
    ok(raw.call(&["SET", "compressible", &"abc".repeat(2000)]));
    ok(raw.call(&["APPEND", "appended", "tail"]));
    ok(raw.call(&["SET", "volatile", "v", "PX", "100000000"]));
    ok(raw.call(&["RPUSH", "small-list", "a", "1", "-7", "b"]));
    let many: Vec<String> = (0..600).map(|i| format!("element-{i}")).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    ok(raw.call(&[&["RPUSH", "big-list"], &refs[..]].concat()));
    ok(raw.call(&["CONFIG", "SET", "list-compress-depth", "1"]));
    ok(raw.call(&[&["RPUSH", "compressed-list"], &refs[..]].concat()));
    ok(raw.call(&["SADD", "intset", "3", "1", "-2", "70000", "5000000000"]));
    ok(raw.call(&["SADD", "strset", "a", "b", "c"]));
    ok(raw.call(&[&["SADD", "bigset"], &refs[..]].concat()));
    ok(raw.call(&["ZADD", "small-zset", "1", "a", "2.5", "b", "-inf", "c"]));
    let scored: Vec<String> = (0..300).flat_map(|i| [format!("{}.25", i), format!("m{i}")]).collect();
    let refs: Vec<&str> = scored.iter().map(String::as_str).collect();
    ok(raw.call(&[&["ZADD", "big-zset"], &refs[..]].concat()));
    ok(raw.call(&[&["HSET", "big-hash"], &refs[..]].concat()));
    ok(raw.call(&["HSET", "small-hash", "f", "v", "n", "42"]));
    ok(raw.call(&["EXPIRE", "small-hash", "100000"]));
    ok(raw.call(&["XADD", "stream", "1-1", "a", "1"]));
    ok(raw.call(&["XADD", "stream", "2-1", "b", "2", "c", "3"]));
    ok(raw.call(&["XADD", "stream", "3-1", "a", "4"]));
    ok(raw.call(&["XDEL", "stream", "2-1"]));
    ok(raw.call(&["XGROUP", "CREATE", "stream", "readers", "0"]));
    ok(raw.call(&["XREADGROUP", "GROUP", "readers", "alice", "COUNT", "1", "STREAMS", "stream", ">"]));
    ok(raw.call(&["XGROUP", "CREATECONSUMER", "stream", "readers", "bob"]));
    ok(raw.call(&["XGROUP", "CREATE", "stream", "late", "$"]));
    ok(raw.call(&["XADD", "emptied-stream", "MAXLEN", "0", "5-5", "x", "y"]));
    ok(raw.call(&["SELECT", "1"]));
    ok(raw.call(&["SET", "in-db-1", "yes"]));
    ok(raw.call(&["SELECT", "0"]));
}

/// DEBUG DIGEST of the whole dataset.
pub fn digest(raw: &mut Raw) -> String {
    raw.call(&["DEBUG", "DIGEST"])
}

/// A fresh directory holding a copy of `file` as `dump.rdb`.
fn dir_with(file: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(file, dir.path().join("dump.rdb")).expect("copy the rdb file");
    dir
}

/// Starts rkv in `dir` (loading its dump.rdb).
fn rkv_in(dir: tempfile::TempDir, args: &[&str]) -> Server {
    Server::start_program_in(rkv_binary(), dir, None, &[&DEBUG[..], &["--save", ""], args].concat())
}

/// A field of INFO persistence.
pub fn info_field(raw: &mut Raw, name: &str) -> String {
    let info = raw.call(&["INFO", "persistence"]);
    let prefix = format!("{name}:");
    info.lines().find_map(|l| l.strip_prefix(&prefix)).unwrap_or_default().to_owned()
}

/// Waits until no background save runs; returns its status.
fn wait_bgsave(raw: &mut Raw) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    while info_field(raw, "rdb_bgsave_in_progress") != "0" {
        assert!(Instant::now() < deadline, "the background save did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
    info_field(raw, "rdb_last_bgsave_status")
}

#[test]
fn files_move_between_rkv_and_redis_with_every_type_intact() {
    let rkv = Server::start(&[&DEBUG[..], &["--save", ""]].concat());
    let mut raw = rkv.raw();
    fill(&mut raw);
    let expected = digest(&mut raw);
    assert_eq!(raw.call(&["SAVE"]), "+OK\r\n");
    let ours = rkv.path().join("dump.rdb");
    let reloaded = rkv_in(dir_with(&ours), &[]);
    assert_eq!(digest(&mut reloaded.raw()), expected, "rkv reads back what it wrote");
    if !have("redis-server") {
        eprintln!("skipped the redis half: redis-server is not installed");
        return;
    }
    let (code, stdout, stderr) = run_to_exit("redis-check-rdb", &[ours.to_str().unwrap_or_default()], rkv.path());
    assert_eq!(code, Some(0), "redis-check-rdb: {stdout}{stderr}");
    assert!(stdout.contains("RDB looks OK"), "{stdout}");
    let redis_args = [&DEBUG[..], &["--save", "", "--appendonly", "no"]].concat();
    let redis = Server::start_program_in("redis-server", dir_with(&ours), None, &redis_args);
    let mut redis_raw = redis.raw();
    assert_eq!(digest(&mut redis_raw), expected, "redis-server 7.0.15 reads what rkv wrote");
    assert_eq!(redis_raw.call(&["OBJECT", "ENCODING", "intset"]), "$6\r\nintset\r\n");
    // And back: a file real Redis wrote.
    assert_eq!(redis_raw.call(&["SAVE"]), "+OK\r\n");
    let from_redis = rkv_in(dir_with(&redis.path().join("dump.rdb")), &[]);
    let mut raw = from_redis.raw();
    assert_eq!(digest(&mut raw), expected, "rkv reads what redis-server wrote");
    assert_eq!(raw.call(&["OBJECT", "ENCODING", "big-zset"]), "$8\r\nskiplist\r\n");
    assert_eq!(raw.call(&["OBJECT", "ENCODING", "small-hash"]), "$8\r\nlistpack\r\n");
    assert_eq!(info_field(&mut raw, "rdb_last_load_keys_loaded"), "19");
}

#[test]
fn bgsave_writes_the_dataset_as_of_its_start_while_clients_change_it() {
    // A delay per key keeps the save running while the writes below land.
    let rkv = Server::start(&[&DEBUG[..], &["--save", "", "--rdb-key-save-delay", "300"]].concat());
    let mut raw = rkv.raw();
    assert_eq!(raw.call(&["DEBUG", "POPULATE", "400"]), "+OK\r\n");
    fill(&mut raw);
    let at_start = digest(&mut raw);
    let dirty = info_field(&mut raw, "rdb_changes_since_last_save");
    assert_eq!(raw.call(&["BGSAVE"]), "+Background saving started\r\n");
    assert_eq!(raw.call(&["BGSAVE"]), "-ERR Background save already in progress\r\n");
    assert_eq!(raw.call(&["SAVE"]), "-ERR Background save already in progress\r\n");
    assert_eq!(info_field(&mut raw, "rdb_bgsave_in_progress"), "1");
    // Changes of every kind, most to keys the save has not reached yet.
    for i in 0..200 {
        raw.call(&["SET", &format!("key:{i}"), "changed"]);
    }
    raw.call(&["DEL", "key:300", "key:301", "big-list"]);
    raw.call(&["RPUSH", "small-list", "more"]);
    raw.call(&["HSET", "big-hash", "m7", "changed"]);
    raw.call(&["EXPIRE", "key:250", "5000"]);
    raw.call(&["PERSIST", "volatile"]);
    raw.call(&["SET", "created-later", "x"]);
    // Database 0 moves to index 1 and is then flushed there: the image keeps it as database 0.
    raw.call(&["SWAPDB", "0", "1"]);
    raw.call(&["SELECT", "1"]);
    assert_eq!(raw.call(&["FLUSHDB"]), "+OK\r\n");
    raw.call(&["SELECT", "0"]);
    assert_ne!(digest(&mut raw), at_start);
    assert_eq!(wait_bgsave(&mut raw), "ok");
    let reloaded = rkv_in(dir_with(&rkv.path().join("dump.rdb")), &[]);
    assert_eq!(digest(&mut reloaded.raw()), at_start, "the file holds the dataset as BGSAVE found it");
    // The changes made meanwhile are still owed to the next save.
    let owed: u64 = info_field(&mut raw, "rdb_changes_since_last_save").parse().unwrap_or(0);
    assert!(owed > 0 && owed < 1000 + dirty.parse::<u64>().unwrap_or(0), "{owed}");
    assert_eq!(info_field(&mut raw, "rdb_saves"), "1");
}

#[test]
fn shutdown_and_sigterm_save_when_save_points_exist() {
    for how in ["SHUTDOWN", "SIGTERM", "SHUTDOWN SAVE"] {
        let points: &[&str] = if how == "SHUTDOWN SAVE" { &["--save", ""] } else { &["--save", "3600 1"] };
        let mut rkv = Server::start(&[&DEBUG[..], points].concat());
        let mut raw = rkv.raw();
        fill(&mut raw);
        let expected = digest(&mut raw);
        if how == "SIGTERM" {
            rkv.signal("TERM");
        } else {
            raw.send(&crate::support::encode(&how.split(' ').map(str::as_bytes).collect::<Vec<_>>()));
        }
        assert_eq!(rkv.wait_exit(Duration::from_secs(20)), Some(0), "{how}: {}", rkv.log_text());
        let file = rkv.path().join("dump.rdb");
        assert!(file.exists(), "{how} saved nothing: {}", rkv.log_text());
        let restarted = rkv_in(dir_with(&file), &[]);
        assert_eq!(digest(&mut restarted.raw()), expected, "{how}");
    }
    let mut rkv = Server::start(&["--save", "3600 1"]);
    rkv.raw().call(&["SET", "k", "v"]);
    rkv.raw().send(b"SHUTDOWN NOSAVE\r\n");
    assert_eq!(rkv.wait_exit(Duration::from_secs(20)), Some(0));
    assert!(!rkv.path().join("dump.rdb").exists(), "NOSAVE saved");
}

#[test]
fn flushall_with_save_points_writes_the_empty_dataset_as_redis_does() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server not installed");
        return;
    }
    let rkv = Server::start(&[&DEBUG[..], &["--save", ""]].concat());
    let redis = Server::start_redis(&[]);
    let run = |server: &Server| {
        let mut raw = server.raw();
        raw.call(&["SET", "before", "1"]);
        let first = raw.call(&["FLUSHALL"]);
        let untouched = (info_field(&mut raw, "rdb_changes_since_last_save"), server.path().join("dump.rdb").exists());
        raw.call(&["CONFIG", "SET", "save", "3600 1"]);
        raw.call(&["SET", "k", "v"]);
        let second = raw.call(&["FLUSHALL"]);
        let fields = ["rdb_changes_since_last_save", "rdb_saves"].map(|f| info_field(&mut raw, f));
        (first, untouched, second, fields, server.path().join("dump.rdb").exists())
    };
    let ours = run(&rkv);
    assert_eq!(ours, run(&redis));
    assert!(ours.4, "FLUSHALL wrote dump.rdb");
    // The file holds the empty dataset: a restart from it finds no keys.
    let mut raw = rkv.raw();
    raw.call(&["SET", "after", "1"]);
    raw.call(&["DEBUG", "RELOAD", "NOSAVE"]);
    assert_eq!(raw.call(&["DBSIZE"]), ":0\r\n");
}

#[test]
fn lastsave_info_and_debug_reload() {
    let rkv = Server::start(&[&DEBUG[..], &["--save", ""]].concat());
    let mut raw = rkv.raw();
    fill(&mut raw);
    let expected = digest(&mut raw);
    let before: i64 = raw.call(&["LASTSAVE"]).trim_start_matches(':').trim().parse().unwrap_or(0);
    assert!(info_field(&mut raw, "rdb_changes_since_last_save") != "0");
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(raw.call(&["DEBUG", "RELOAD"]), "+OK\r\n");
    assert_eq!(digest(&mut raw), expected);
    let after: i64 = raw.call(&["LASTSAVE"]).trim_start_matches(':').trim().parse().unwrap_or(0);
    assert!(after > before, "LASTSAVE {before} then {after}");
    assert_eq!(info_field(&mut raw, "rdb_changes_since_last_save"), "0");
    assert_eq!(info_field(&mut raw, "rdb_saves"), "1");
    // NOSAVE reloads the file as it is: a key set since is gone.
    raw.call(&["SET", "unsaved", "1"]);
    assert_eq!(raw.call(&["DEBUG", "RELOAD", "NOSAVE"]), "+OK\r\n");
    assert_eq!(raw.call(&["EXISTS", "unsaved"]), ":0\r\n");
    // NOFLUSH MERGE keeps what is not in the file.
    raw.call(&["SET", "unsaved", "1"]);
    assert_eq!(raw.call(&["DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"]), "+OK\r\n");
    assert_eq!(raw.call(&["EXISTS", "unsaved"]), ":1\r\n");
    crate::support::same_replies(&[&["DEBUG", "RELOAD", "BOGUS"]]);
}

#[test]
fn a_failed_background_save_refuses_writes_as_redis_does() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let args = [&DEBUG[..], &["--save", "3600 1", "--enable-protected-configs", "yes"]].concat();
    let rkv = Server::start(&args);
    let redis = Server::start_program("redis-server", None, &[&args[..], &["--appendonly", "no"]].concat());
    let mut servers = [rkv.raw(), redis.raw()];
    let gone = tempfile::tempdir().expect("temp dir");
    let gone_path = gone.path().to_str().unwrap_or_default().to_owned();
    for raw in &mut servers {
        assert_eq!(raw.call(&["CONFIG", "SET", "dir", &gone_path]), "+OK\r\n");
    }
    drop(gone);
    let replies: Vec<Vec<String>> = servers
        .iter_mut()
        .map(|raw| {
            let started = raw.call(&["BGSAVE"]);
            let status = wait_bgsave(raw);
            let mut replies = vec![started, status];
            let commands: &[&[&str]] = &[
                &["SET", "k", "v"],
                &["PING"],
                &["GET", "k"],
                &["MULTI"],
                &["SET", "k", "v"],
                &["EXEC"],
                // A script is a write by its declared flags; one without a shebang only when
                // it calls a write.
                &["EVAL", "#!lua\nreturn 1", "0"],
                &["EVAL", "#!lua flags=no-writes\nreturn 1", "0"],
                &["EVAL", "return redis.call('get', 'k')", "0"],
                &["EVAL", "return redis.call('set', 'k', 'v')", "0"],
                &["MULTI"],
                &["EVAL", "#!lua\nreturn 1", "0"],
                &["EXEC"],
            ];
            for cmd in commands {
                replies.push(raw.call(cmd));
            }
            raw.call(&["CONFIG", "SET", "stop-writes-on-bgsave-error", "no"]);
            replies.push(raw.call(&["SET", "k", "v"]));
            replies
        })
        .collect();
    assert_eq!(replies[0], replies[1]);
    assert!(replies[0][2].starts_with("-MISCONF "), "{:?}", replies[0]);
}

#[test]
fn a_corrupt_or_truncated_file_stops_the_start_with_the_reason() {
    let source = Server::start(&[&DEBUG[..], &["--save", ""]].concat());
    let mut raw = source.raw();
    fill(&mut raw);
    assert_eq!(raw.call(&["SAVE"]), "+OK\r\n");
    let good = std::fs::read(source.path().join("dump.rdb")).expect("read the file");
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x5a;
    for (what, bytes) in [("truncated", &good[..good.len() / 3]), ("flipped", &flipped[..])] {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("dump.rdb"), bytes).expect("write");
        let port = crate::support::free_port().to_string();
        let (code, stdout, stderr) = run_to_exit(rkv_binary(), &["--port", &port, "--save", ""], dir.path());
        assert_eq!(code, Some(1), "{what}: {stdout}{stderr}");
        let text = format!("{stdout}{stderr}");
        // As Redis: the reason, the checker's report, then the fatal line.
        assert!(text.contains("--- RDB ERROR DETECTED ---"), "{what}: {text}");
        assert!(text.contains("Terminating server after rdb file reading failure."), "{what}: {text}");
        assert!(text.contains("offset"), "{what}: the error names where: {text}");
    }
}

#[test]
fn empty_keys_in_a_file_are_skipped_and_logged_as_redis_does() {
    // An RDB 9 file with an empty set `s` in database 0 (older Redis versions could save one)
    // and no checksum.
    let file = [&b"REDIS0009\xfe\x00\x02\x01s\x00\xff"[..], &[0; 8]].concat();
    let logged = |program: &str| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("dump.rdb"), &file).expect("write");
        let server = Server::start_program_in(program, dir, None, &["--save", ""]);
        assert_eq!(server.raw().call(&["DBSIZE"]), ":0\r\n");
        let text = server.log_text();
        let wanted = [
            "rdbLoadObject skipping empty key: s",
            "Done loading RDB, keys loaded: 0, keys expired: 0, empty keys skipped: 1.",
        ];
        wanted.map(|line| text.lines().any(|l| l.contains(&format!("# {line}"))))
    };
    assert_eq!(logged(rkv_binary()), [true, true]);
    if have("redis-server") {
        assert_eq!(logged("redis-server"), [true, true]);
    }
}

#[test]
fn announced_key_counts_are_hints_and_duplicate_keys_stop_the_start() {
    // RDB 9, database 0, RESIZEDB announcing 2^62 keys and 2^62 volatile ones (64-bit lengths),
    // then the string keys given, EOF and no checksum.
    let file = |keys: &[&[u8]]| {
        let huge = [&[0x81u8][..], &(1u64 << 62).to_be_bytes()].concat();
        let mut f = [&b"REDIS0009\xfe\x00\xfb"[..], &huge, &huge].concat();
        for key in keys {
            f.extend_from_slice(&[0, key.len() as u8]);
            f.extend_from_slice(key);
            f.extend_from_slice(b"\x01v");
        }
        [&f[..], b"\xff", &[0; 8]].concat()
    };
    // An announced count is only a hint: the table is sized by what the file can hold.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("dump.rdb"), file(&[b"a", b"b"])).expect("write");
    let server = Server::start_program_in(rkv_binary(), dir, None, &["--save", ""]);
    assert_eq!(server.raw().call(&["DBSIZE"]), ":2\r\n");
    assert_eq!(server.raw().call(&["GET", "b"]), "$1\r\nv\r\n");
    // A key twice stops the start with Redis's log line (Redis then panics; rkv exits with 1).
    let mut programs = vec![rkv_binary()];
    if have("redis-server") {
        programs.push("redis-server");
    }
    for program in programs {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("dump.rdb"), file(&[b"a", b"a"])).expect("write");
        let port = crate::support::free_port().to_string();
        let (code, stdout, stderr) = run_to_exit(program, &["--port", &port, "--save", ""], dir.path());
        assert_ne!(code, Some(0), "{program}: {stdout}{stderr}");
        let text = format!("{stdout}{stderr}");
        assert!(text.contains("RDB has duplicated key 'a' in DB 0"), "{program}: {text}");
    }
}

#[test]
fn info_reports_save_progress_and_what_writes_during_it_cost() {
    let rkv = Server::start(&["--save", ""]);
    let mut raw = rkv.raw();
    for field in ["current_cow_size", "rdb_last_cow_size"] {
        assert_eq!(info_field(&mut raw, field), "0");
    }
    assert_eq!(info_field(&mut raw, "current_fork_perc"), "0.00");
    // Incompressible 500-byte values, so what a change writes ahead is at least the value.
    let value = |i: usize| {
        let mut x = i as u64 * 2654435761 + 1;
        (0..500)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                char::from(b'a' + (x >> 59) as u8 % 26)
            })
            .collect::<String>()
    };
    for i in 0..2000 {
        raw.call(&["SET", &format!("key{i}"), &value(i)]);
    }
    raw.call(&["CONFIG", "SET", "rdb-key-save-delay", "2000"]);
    assert_eq!(raw.call(&["BGSAVE"]), "+Background saving started\r\n");
    std::thread::sleep(Duration::from_millis(100));
    let percent: f64 = info_field(&mut raw, "current_fork_perc").parse().expect("a percentage");
    assert!(percent > 0.0 && percent < 100.0, "{percent}");
    let before: u64 = info_field(&mut raw, "current_cow_size").parse().expect("a size");
    // Changing keys the walk has not reached writes their old values first. The walk goes in
    // hash order and has done about 3% of the keys: most of these 16 are still ahead of it.
    for i in (0..2000).rev().take(16) {
        raw.call(&["SETRANGE", &format!("key{i}"), "0", "B"]);
    }
    let after: u64 = info_field(&mut raw, "current_cow_size").parse().expect("a size");
    assert!(after >= before + 12 * 500, "{before} -> {after}");
    assert_eq!(info_field(&mut raw, "current_cow_peak"), after.to_string());
    raw.call(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    assert_eq!(wait_bgsave(&mut raw), "ok");
    let last: u64 = info_field(&mut raw, "rdb_last_cow_size").parse().expect("a size");
    assert!(last >= after, "{after} during the save, {last} at its end");
    assert_eq!(info_field(&mut raw, "current_cow_size"), "0");
}

/// The `[info]` lines of a redis-check-rdb style report.
fn info_lines(report: &str) -> Vec<&str> {
    report.lines().filter(|l| l.starts_with("[info]")).collect()
}

/// `rkv-server --check-rdb` judges files as redis-check-rdb does: ours and Redis's pass with the
/// same counts and auxiliary fields, and a truncated or corrupted file fails with an offset.
#[test]
fn check_rdb_reports_as_redis_check_rdb() {
    let rkv = Server::start(&[&DEBUG[..], &["--save", ""]].concat());
    let mut raw = rkv.raw();
    fill(&mut raw);
    assert_eq!(raw.call(&["SAVE"]), "+OK\r\n");
    let file = rkv.path().join("dump.rdb");
    let path = file.to_str().unwrap_or_default();
    let (code, ours, _) = run_to_exit(rkv_binary(), &["--check-rdb", path], rkv.path());
    assert_eq!(code, Some(0), "{ours}");
    assert!(ours.contains("Checksum OK") && ours.contains("\\o/ RDB looks OK! \\o/"), "{ours}");
    assert_eq!(info_lines(&ours), ["[info] 19 keys read", "[info] 2 expires", "[info] 0 already expired"]);
    if have("redis-check-rdb") {
        let (_, theirs, _) = run_to_exit("redis-check-rdb", &[path], rkv.path());
        assert_eq!(info_lines(&ours), info_lines(&theirs));
        let aux = |report: &str| report.lines().filter(|l| l.contains("AUX FIELD")).count();
        assert_eq!(aux(&ours), aux(&theirs), "{ours}\n{theirs}");
    }
    let bytes = std::fs::read(&file).expect("read the file");
    let broken = rkv.path().join("broken.rdb");
    for damaged in [bytes[..bytes.len() / 2].to_vec(), [&bytes[..bytes.len() - 1], &[0x55]].concat()] {
        std::fs::write(&broken, damaged).expect("write");
        let (code, report, _) =
            run_to_exit(rkv_binary(), &["--check-rdb", broken.to_str().unwrap_or_default()], rkv.path());
        assert_eq!(code, Some(1), "{report}");
        assert!(report.contains("--- RDB ERROR DETECTED ---\n[offset "), "{report}");
    }
}
