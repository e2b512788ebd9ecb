//! DEBUG subcommands as Redis's own test suite uses them: PROTOCOL's sample replies, DIGEST and
//! DIGEST-VALUE, POPULATE, and the small switches, against real redis-server 7.0.15 where their
//! output is defined.

use crate::support::{Raw, Server, have};

const DEBUG_ON: [&str; 2] = ["--enable-debug-command", "yes"];

/// rkv and redis-server, both allowing DEBUG (`None`, and a note, when redis-server is absent).
fn pair() -> Option<(Server, Server)> {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return None;
    }
    Some((Server::start(&DEBUG_ON), Server::start_redis(&DEBUG_ON)))
}

/// Everything `args` gets back, up to the reply of a PING sent after it: an attribute or a
/// push comes with a second reply, and this catches it whatever the kind.
fn replies_until_pong(conn: &mut Raw, args: &[&str]) -> String {
    let mut all = String::new();
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    conn.cmd(&args);
    conn.cmd(&[b"PING"]);
    loop {
        let reply = String::from_utf8_lossy(&conn.read_reply()).into_owned();
        if reply == "+PONG\r\n" {
            return all;
        }
        all.push_str(&reply);
    }
}

const PROTOCOL_TYPES: [&str; 14] = [
    "string",
    "integer",
    "double",
    "bignum",
    "null",
    "array",
    "set",
    "map",
    "attrib",
    "push",
    "verbatim",
    "true",
    "false",
    "nosuchtype",
];

#[test]
fn protocol_replies_match_redis_in_resp2_and_resp3() {
    let Some((rkv, redis)) = pair() else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    for resp3 in [false, true] {
        if resp3 {
            a.call(&["HELLO", "3"]);
            b.call(&["HELLO", "3"]);
        }
        for kind in PROTOCOL_TYPES {
            let cmd = ["DEBUG", "PROTOCOL", kind];
            assert_eq!(replies_until_pong(&mut a, &cmd), replies_until_pong(&mut b, &cmd), "{kind}, resp3: {resp3}");
        }
    }
    // The names are case-insensitive.
    assert_eq!(a.call(&["DEBUG", "PROTOCOL", "TRUE"]), "#t\r\n");
}

#[test]
fn protocol_push_is_sent_even_with_replies_off() {
    let server = Server::start(&DEBUG_ON);
    let mut conn = server.raw();
    conn.call(&["HELLO", "3"]);
    conn.cmd(&[b"CLIENT", b"REPLY", b"OFF"]);
    conn.cmd(&[b"DEBUG", b"PROTOCOL", b"push"]);
    assert_eq!(conn.read_reply(), b">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n");
    conn.call(&["CLIENT", "REPLY", "ON"]);
    assert_eq!(conn.call(&["PING"]), "+PONG\r\n");
}
