//! Wire protocol behaviour: pipelining, inline commands, protocol errors, RESP3.

use crate::support::Server;

#[test]
fn pipelined_requests_answer_in_order() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let mut batch = Vec::new();
    for i in 0..1000 {
        batch.extend_from_slice(&crate::support::encode(&[b"SET", format!("k{i}").as_bytes(), b"v"]));
        batch.extend_from_slice(&crate::support::encode(&[b"GET", format!("k{i}").as_bytes()]));
    }
    raw.send(&batch);
    for _ in 0..1000 {
        assert_eq!(raw.read_reply(), b"+OK\r\n");
        assert_eq!(raw.read_reply(), b"$1\r\nv\r\n");
    }
}

#[test]
fn inline_commands_with_quotes() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    raw.send(b"SET k \"a b\\x41\"\r\nGET k\r\n\r\nPING\n");
    assert_eq!(raw.read_reply(), b"+OK\r\n");
    assert_eq!(raw.read_reply(), b"$4\r\na bA\r\n");
    assert_eq!(raw.read_reply(), b"+PONG\r\n");
}

#[test]
fn protocol_error_answers_earlier_requests_then_closes() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    raw.send(b"*1\r\n$4\r\nPING\r\n*1\r\nfoo\r\n");
    assert_eq!(raw.read_to_close(), b"+PONG\r\n-ERR Protocol error: expected '$', got 'f'\r\n");
    // The server keeps serving others.
    assert_eq!(server.raw().call(&["PING"]), "+PONG\r\n");
}

#[test]
fn hostile_lengths_are_refused_without_allocating() {
    let server = Server::start(&[]);
    for (input, reply) in [
        (&b"*1\r\n$-5\r\n"[..], &b"-ERR Protocol error: invalid bulk length\r\n"[..]),
        (b"*3000000000\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
        (b"*1\r\n$600000000\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
        (b"\"unbalanced\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    ] {
        let mut raw = server.raw();
        raw.send(input);
        assert_eq!(raw.read_to_close(), reply, "input {:?}", String::from_utf8_lossy(input));
    }
    // A huge declared count or bulk followed by a disconnect leaves the server healthy.
    let mut raw = server.raw();
    raw.send(b"*2147483647\r\n$1073741824\r\nabc");
    drop(raw);
    let mut raw = server.raw();
    raw.send(b"*1\r\n$536870912\r\nabc");
    drop(raw);
    assert_eq!(server.raw().call(&["PING"]), "+PONG\r\n");
}

#[test]
fn unknown_command_and_arity_errors_match_redis() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["foo", "a", "b"]), "-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n");
    assert_eq!(raw.call(&["GET"]), "-ERR wrong number of arguments for 'get' command\r\n");
    assert_eq!(raw.call(&["get", "a", "b"]), "-ERR wrong number of arguments for 'get' command\r\n");
}

#[test]
fn hello_switches_to_resp3() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let reply = raw.call(&["HELLO", "3"]);
    assert!(reply.starts_with("%8\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n"), "{reply}");
    assert!(reply.contains("$5\r\nproto\r\n:3\r\n"));
    assert_eq!(raw.call(&["GET", "missing"]), "_\r\n");
    assert_eq!(raw.call(&["HELLO", "4"]), "-NOPROTO unsupported protocol version\r\n");
    assert_eq!(raw.call(&["RESET"]), "+RESET\r\n");
    assert_eq!(raw.call(&["GET", "missing"]), "$-1\r\n");
}

/// The same raw byte sequences, sent to rkv and to the real redis-server, get the same bytes
/// back.
#[test]
fn byte_for_byte_with_real_redis() {
    if !crate::support::have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let cases: &[&[u8]] = &[
        b"PING\r\n",
        b"*2\r\n$4\r\nECHO\r\n$3\r\na\x00b\r\n",
        b"SET k v\r\nGET k\r\nGET nokey\r\n",
        b"*1\r\n$3\r\nget\r\n",
        b"ping a b\r\n",
        b"foo bar 'baz'\r\n",
        b"SELECT 99\r\nSELECT -1\r\nSELECT 01\r\n",
        b"HELLO 2 SETNAME 'a b'\r\nHELLO 2 FOO\r\nHELLO x\r\nHELLO 1\r\n",
        b"AUTH a\r\nAUTH a b c\r\n",
        b"DBSIZE\r\n",
        b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-1\r\n",
        b"*1\r\n$4\r\nPING\r\n*-1\r\n*0\r\nPING\r\n",
        b"*1\r\n+PING\r\n",
        b"*a\r\n",
    ];
    for case in cases {
        let answer = |server: &Server| {
            let mut raw = server.raw();
            raw.send(case);
            raw.stream.shutdown(std::net::Shutdown::Write).expect("half-close");
            raw.read_to_close()
        };
        let (ours, theirs) = (answer(&rkv), answer(&redis));
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs),
            "input {:?}",
            String::from_utf8_lossy(case)
        );
    }
}

#[test]
fn redis_crate_client_round_trip() {
    let server = Server::start(&[]);
    let mut con = server.client();
    let _: () = redis::cmd("SET").arg("key").arg(b"\xff\x00bin").query(&mut con).expect("set");
    let value: Vec<u8> = redis::cmd("GET").arg("key").query(&mut con).expect("get");
    assert_eq!(value, b"\xff\x00bin");
    let missing: Option<String> = redis::cmd("GET").arg("nope").query(&mut con).expect("get");
    assert_eq!(missing, None);
    let err = redis::cmd("NOPE").query::<()>(&mut con).expect_err("unknown command");
    assert!(err.to_string().contains("unknown command 'NOPE'"), "{err}");
    assert!(server.url().starts_with("redis://127.0.0.1:"));
}
