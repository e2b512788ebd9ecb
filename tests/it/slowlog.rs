//! SLOWLOG against redis-server 7.0.15: the same commands give the same entries (ids, arguments
//! as trimmed and redacted, client names), leaving aside what differs by nature (time, duration,
//! client port); plus the facts that hold on rkv alone (thresholds, durations, max length).

use std::thread::sleep;
use std::time::Duration;

use redis::Value;

use crate::support::{Server, have, same_replies};

/// One SLOWLOG GET entry without its time, duration and peer.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    id: i64,
    args: Vec<String>,
    name: String,
}

/// Runs a command on `con`, returning the reply (or the error text).
fn run(con: &mut redis::Connection, args: &[&str]) -> Result<Value, String> {
    redis::cmd(args[0]).arg(&args[1..]).query::<Value>(con).map_err(|e| e.to_string())
}

fn text(v: &Value) -> String {
    match v {
        Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
        Value::SimpleString(s) => s.clone(),
        Value::Int(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// SLOWLOG GET `count`, with the durations and peers of the entries.
fn slowlog(con: &mut redis::Connection, count: &str) -> Vec<(Entry, i64, String)> {
    let Ok(Value::Array(items)) = run(con, &["SLOWLOG", "GET", count]) else { panic!("SLOWLOG GET failed") };
    items
        .iter()
        .map(|item| {
            let Value::Array(f) = item else { panic!("entry {item:?}") };
            assert_eq!(f.len(), 6, "entry {f:?}");
            let (Value::Int(id), Value::Int(_time), Value::Int(us), Value::Array(args)) = (&f[0], &f[1], &f[2], &f[3])
            else {
                panic!("entry {f:?}")
            };
            let entry = Entry { id: *id, args: args.iter().map(text).collect(), name: text(&f[5]) };
            (entry, *us, text(&f[4]))
        })
        .collect()
}

fn entries(con: &mut redis::Connection) -> Vec<Entry> {
    slowlog(con, "-1").into_iter().map(|(e, _, _)| e).collect()
}

/// Runs `commands` on a fresh rkv and a fresh redis-server (one connection each) and returns
/// both slow logs; `None` without redis-server.
fn both(commands: &[&[&str]]) -> Option<(Vec<Entry>, Vec<Entry>)> {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return None;
    }
    let args = ["--enable-debug-command", "yes"];
    let (rkv, redis) = (Server::start(&args), Server::start_redis(&args));
    let mut logs = Vec::new();
    for server in [&rkv, &redis] {
        let mut con = server.client();
        for cmd in commands {
            let _ = run(&mut con, cmd);
        }
        logs.push(entries(&mut con));
    }
    let redis_log = logs.pop()?;
    Some((logs.pop()?, redis_log))
}

#[test]
fn entries_are_trimmed_and_redacted_like_redis() {
    let many: Vec<String> = (1..=40).map(|i| i.to_string()).collect();
    let mut sadd: Vec<&str> = vec!["SADD", "set"];
    sadd.extend(many.iter().map(String::as_str));
    let long = "A".repeat(129);
    let Some((rkv, redis)) = both(&[
        &["CONFIG", "SET", "slowlog-log-slower-than", "0"],
        &["SLOWLOG", "RESET"],
        &["CLIENT", "SETNAME", "foobar"],
        &["SET", "k", "v"],
        &sadd,
        &["SADD", "set", "foo", &long],
        &["AUTH", "user", "secret"],
        &["AUTH", "secret"],
        &["HELLO", "2", "AUTH", "user", "secret"],
        &["CONFIG", "SET", "masterauth", "secret"],
        &["GET", "k"],
        &["CONFIG", "SET", "slowlog-log-slower-than", "-1"],
    ]) else {
        return;
    };
    assert_eq!(rkv, redis);
    let shown: Vec<String> = rkv.iter().map(|e| e.args.join(" ")).collect();
    assert!(shown.contains(&"AUTH (redacted) (redacted)".to_owned()), "{shown:?}");
    assert!(shown.contains(&"AUTH (redacted)".to_owned()), "{shown:?}");
    assert!(shown.contains(&"HELLO 2 AUTH (redacted) (redacted)".to_owned()), "{shown:?}");
    assert!(shown.iter().any(|s| s.ends_with("... (11 more arguments)")), "{shown:?}");
    assert!(shown.iter().any(|s| s.ends_with("... (1 more bytes)")), "{shown:?}");
    assert!(shown.iter().all(|s| !s.contains("secret")), "{shown:?}");
    // The CONFIG SET that turned the log off is not in it: it is judged by the new threshold.
    assert_eq!(rkv[0].args, ["GET", "k"]);
    assert_eq!(rkv[0].name, "foobar");
}

#[test]
fn exec_logs_the_commands_it_runs_and_blocked_commands_are_logged_when_served() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let args = ["--enable-debug-command", "yes"];
    let (rkv, redis) = (Server::start(&args), Server::start_redis(&args));
    let mut logs = Vec::new();
    for server in [&rkv, &redis] {
        let mut con = server.client();
        let mut waiter = server.raw();
        for cmd in [
            &["CONFIG", "SET", "slowlog-log-slower-than", "0"][..],
            &["MULTI"],
            &["SET", "a", "1"],
            &["INCR", "a"],
            &["EXEC"],
        ] {
            run(&mut con, cmd).expect("command");
        }
        waiter.cmd(&[b"BLPOP", b"l", b"0"]);
        sleep(Duration::from_millis(100));
        run(&mut con, &["MULTI"]).expect("multi");
        run(&mut con, &["LPUSH", "l", "foo"]).expect("lpush");
        run(&mut con, &["SLOWLOG", "RESET"]).expect("reset");
        run(&mut con, &["EXEC"]).expect("exec");
        assert!(String::from_utf8_lossy(&waiter.read_reply()).contains("foo"));
        logs.push(entries(&mut con));
    }
    assert_eq!(logs[0], logs[1]);
    // The blocked BLPOP is logged as itself once served, after the transaction that fed it
    // (whose SLOWLOG RESET left only itself).
    assert_eq!(logs[0][0].args, ["BLPOP", "l", "0"]);
    assert_eq!(logs[0][1].args, ["SLOWLOG", "RESET"]);
}

#[test]
fn only_commands_slower_than_the_threshold_are_logged() {
    let server = Server::start(&["--enable-debug-command", "yes"]);
    let mut con = server.client();
    run(&mut con, &["CONFIG", "SET", "slowlog-log-slower-than", "100000"]).expect("config");
    run(&mut con, &["SLOWLOG", "RESET"]).expect("reset");
    run(&mut con, &["PING"]).expect("ping");
    assert_eq!(run(&mut con, &["SLOWLOG", "LEN"]), Ok(Value::Int(0)));
    run(&mut con, &["CLIENT", "SETNAME", "sleeper"]).expect("setname");
    run(&mut con, &["DEBUG", "SLEEP", "0.2"]).expect("sleep");
    let log = slowlog(&mut con, "10");
    assert_eq!(log.len(), 1);
    let (entry, us, peer) = &log[0];
    assert_eq!(entry.args, ["DEBUG", "SLEEP", "0.2"]);
    assert_eq!(entry.name, "sleeper");
    assert!((200_000..10_000_000).contains(us), "{us} µs");
    let Ok(Value::BulkString(info)) = run(&mut con, &["CLIENT", "INFO"]) else { panic!("client info") };
    let info = String::from_utf8_lossy(&info).into_owned();
    assert!(info.contains(&format!("addr={peer} ")), "{peer} not in {info}");

    // A negative threshold turns the log off; slowlog-max-len trims at the next command.
    run(&mut con, &["CONFIG", "SET", "slowlog-log-slower-than", "-1"]).expect("config");
    run(&mut con, &["DEBUG", "SLEEP", "0.2"]).expect("sleep");
    assert_eq!(run(&mut con, &["SLOWLOG", "LEN"]), Ok(Value::Int(1)));
    run(&mut con, &["CONFIG", "SET", "slowlog-log-slower-than", "0"]).expect("config");
    run(&mut con, &["CONFIG", "SET", "slowlog-max-len", "3"]).expect("config");
    for _ in 0..10 {
        run(&mut con, &["PING"]).expect("ping");
    }
    assert_eq!(run(&mut con, &["SLOWLOG", "LEN"]), Ok(Value::Int(3)));
    assert_eq!(slowlog(&mut con, "0").len(), 0);
    assert_eq!(slowlog(&mut con, "2").len(), 2);
    let ids: Vec<i64> = slowlog(&mut con, "-1").iter().map(|(e, _, _)| e.id).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1] + 1), "newest first: {ids:?}");
    assert_eq!(run(&mut con, &["SLOWLOG", "RESET"]), Ok(Value::Okay));
    assert_eq!(run(&mut con, &["SLOWLOG", "LEN"]), Ok(Value::Int(1)), "the RESET itself is logged");
}

#[test]
fn replies_and_errors_match_redis() {
    same_replies(&[
        &["SLOWLOG", "GET", "-2"],
        &["SLOWLOG", "GET", "abc"],
        &["SLOWLOG", "GET", "99999999999999999999"],
        &["SLOWLOG", "GET", "1", "2"],
        &["SLOWLOG", "LEN", "x"],
        &["SLOWLOG", "FOO"],
        &["SLOWLOG"],
        &["SLOWLOG", "HELP"],
        &["SLOWLOG", "RESET"],
        &["SLOWLOG", "LEN"],
        &["SLOWLOG", "GET"],
    ]);
}
