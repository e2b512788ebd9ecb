//! MONITOR, compared with redis-server 7.0.15: the lines a monitoring client sees for plain
//! commands, databases, transactions, quoting, redacted credentials and hidden admin commands.

use crate::support::{Raw, Server, have};

/// Runs `commands` on one connection while another MONITORs; returns the monitor's lines with
/// the timestamp and client port masked.
fn monitor_lines(server: &Server, commands: &[&[&str]]) -> Vec<String> {
    let mut monitor = server.raw();
    assert_eq!(monitor.call(&["MONITOR"]), "+OK\r\n");
    let mut conn = server.raw();
    for cmd in commands {
        conn.call(cmd);
    }
    // A marker command closes the transcript.
    conn.call(&["ECHO", "monitor-end"]);
    let mut lines = Vec::new();
    loop {
        let line = String::from_utf8_lossy(&monitor.read_reply()).into_owned();
        let masked = mask(&line);
        if masked.contains("\"monitor-end\"") {
            return lines;
        }
        lines.push(masked);
    }
}

/// `+1700000000.123456 [0 127.0.0.1:50000] "cmd"` → `+T [0 ADDR] "cmd"`.
fn mask(line: &str) -> String {
    let Some(open) = line.find('[') else { return line.to_owned() };
    let Some(close) = line.find(']') else { return line.to_owned() };
    let inside = &line[open + 1..close];
    let db = inside.split(' ').next().unwrap_or_default();
    format!("+T [{db} ADDR]{}", &line[close + 1..])
}

#[test]
fn monitor_shows_what_redis_shows() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let commands: &[&[&str]] = &[
        &["SET", "k", "v"],
        &["GET", "k"],
        &["SET", "quote\"d", "line\nbreak\t\x01"],
        &["SELECT", "2"],
        &["INCR", "n"],
        &["MULTI"],
        &["SET", "a", "1"],
        &["GET", "a"],
        &["EXEC"],
        &["AUTH", "secret"],
        &["HELLO", "2", "AUTH", "default", "pw", "SETNAME", "x"],
        &["CONFIG", "GET", "port"],
        &["NOSUCHCOMMAND"],
        &["GET"],
        &["DEBUG", "SLEEP", "0"],
        &["PING"],
    ];
    let ours = monitor_lines(&Server::start(&[]), commands);
    let theirs = monitor_lines(&Server::start_redis(&[]), commands);
    assert_eq!(ours, theirs);
}

#[test]
fn monitor_inside_multi_is_refused_and_reset_stops_monitoring() {
    let server = Server::start(&[]);
    let mut conn = server.raw();
    conn.call(&["MULTI"]);
    assert_eq!(conn.call(&["MONITOR"]), "+QUEUED\r\n");
    assert_eq!(conn.call(&["EXEC"]), "*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n");
    let mut monitor = server.raw();
    monitor.call(&["MONITOR"]);
    assert!(conn.call(&["CLIENT", "LIST"]).contains("flags=O"));
    assert_eq!(monitor.call(&["RESET"]), "+RESET\r\n");
    let mut other = Raw::connect(server.port);
    other.call(&["SET", "x", "1"]);
    // The next thing the former monitor reads is the reply to its own PING.
    assert_eq!(monitor.call(&["PING"]), "+PONG\r\n");
}
