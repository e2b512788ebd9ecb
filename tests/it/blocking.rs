//! Blocking commands with several clients: each scenario runs on rkv and on redis-server 7.0.15
//! and the transcripts (every reply each client received, and which were still pending) must be
//! identical. Scenarios also assert the key facts directly, so they fail without the oracle too.

use std::io::Read as _;
use std::time::{Duration, Instant};

use crate::support::{Raw, Server, have};

/// One step of a scenario.
enum Step<'a> {
    /// Client `.0` sends a command and reads its reply.
    Call(usize, &'a [&'a str]),
    /// Client `.0` sends a command without reading.
    Send(usize, &'a [&'a str]),
    /// Client `.0` reads one reply.
    Read(usize),
    /// Client `.0` has no reply waiting within a short while.
    Quiet(usize),
    /// Client `.0` runs CLIENT UNBLOCK on client `.1` with the given reason.
    Unblock(usize, usize, &'a str),
    /// Waits.
    Sleep(u64),
}

use Step::{Call, Quiet, Read, Send, Sleep, Unblock};

/// Runs `steps` with `clients` connections; returns one transcript line per reply or quiet check.
fn run(server: &Server, clients: usize, steps: &[Step]) -> Vec<String> {
    let mut conns: Vec<Raw> = (0..clients).map(|_| server.raw()).collect();
    let ids: Vec<String> =
        conns.iter_mut().map(|c| c.call(&["CLIENT", "ID"]).trim_start_matches(':').trim().to_owned()).collect();
    let mut transcript = Vec::new();
    for step in steps {
        match step {
            Call(c, cmd) => transcript.push(format!("{c}: {}", conns[*c].call(cmd))),
            Send(c, cmd) => {
                let args: Vec<&[u8]> = cmd.iter().map(|a| a.as_bytes()).collect();
                conns[*c].cmd(&args);
            }
            Read(c) => transcript.push(format!("{c}: {}", String::from_utf8_lossy(&conns[*c].read_reply()))),
            Quiet(c) => transcript.push(format!("{c}: {}", if quiet(&mut conns[*c]) { "quiet" } else { "REPLIED" })),
            Unblock(c, target, why) => {
                let reply = conns[*c].call(&["CLIENT", "UNBLOCK", &ids[*target], why]);
                transcript.push(format!("{c}: {reply}"));
            }
            Sleep(ms) => std::thread::sleep(Duration::from_millis(*ms)),
        }
    }
    transcript
}

/// Whether nothing arrives on `conn` for 150 ms.
fn quiet(conn: &mut Raw) -> bool {
    conn.stream.set_read_timeout(Some(Duration::from_millis(150))).expect("timeout");
    let mut byte = [0u8; 1];
    let quiet = conn.stream.peek(&mut byte).is_err();
    conn.stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    quiet
}

/// Runs the scenario on rkv, and on redis-server when installed, and asserts both transcripts are
/// identical; returns rkv's.
fn scenario(clients: usize, steps: &[Step]) -> Vec<String> {
    let rkv = Server::start(&[]);
    let ours = run(&rkv, clients, steps);
    if have("redis-server") {
        let redis = Server::start_redis(&[]);
        assert_eq!(ours, run(&redis, clients, steps), "transcripts differ from redis-server");
    }
    ours
}

#[test]
fn a_push_serves_clients_in_the_order_they_blocked() {
    let t = scenario(
        4,
        &[
            Send(0, &["BLPOP", "q", "0"]),
            Sleep(50),
            Send(1, &["BRPOP", "other", "q", "0"]),
            Sleep(50),
            Send(2, &["BLPOP", "q", "0"]),
            Sleep(50),
            Call(3, &["RPUSH", "q", "a", "b"]),
            Read(0),
            Read(1),
            Quiet(2),
            Call(3, &["EXISTS", "q"]),
            Call(3, &["LPUSH", "q", "c"]),
            Read(2),
        ],
    );
    assert_eq!(t[1], "0: *2\r\n$1\r\nq\r\n$1\r\na\r\n");
    assert_eq!(t[2], "1: *2\r\n$1\r\nq\r\n$1\r\nb\r\n");
    assert_eq!(t[3], "2: quiet");
    assert_eq!(t[6], "2: *2\r\n$1\r\nq\r\n$1\r\nc\r\n");
}

#[test]
fn pushes_inside_a_transaction_wake_clients_after_exec() {
    let t = scenario(
        2,
        &[
            Send(0, &["BLPOP", "q", "0"]),
            Sleep(50),
            Call(1, &["MULTI"]),
            Call(1, &["LPUSH", "q", "x"]),
            Call(1, &["LPOP", "q"]),
            Call(1, &["EXEC"]),
            Quiet(0),
            Call(1, &["MULTI"]),
            Call(1, &["RPUSH", "q", "y", "z"]),
            Call(1, &["LLEN", "q"]),
            Call(1, &["EXEC"]),
            Read(0),
            Call(1, &["LRANGE", "q", "0", "-1"]),
        ],
    );
    assert_eq!(t[4], "0: quiet");
    assert_eq!(t[8], "1: *2\r\n:2\r\n:2\r\n", "the transaction saw both elements before the wake-up");
    assert_eq!(t[9], "0: *2\r\n$1\r\nq\r\n$1\r\ny\r\n");
}

#[test]
fn blocking_commands_inside_multi_do_not_wait() {
    scenario(
        1,
        &[
            Call(0, &["MULTI"]),
            Call(0, &["BLPOP", "q", "0"]),
            Call(0, &["BRPOPLPUSH", "q", "d", "0"]),
            Call(0, &["BLMOVE", "q", "d", "LEFT", "RIGHT", "0"]),
            Call(0, &["BLMPOP", "0", "1", "q", "LEFT"]),
            Call(0, &["EXEC"]),
        ],
    );
}

#[test]
fn blmove_feeds_a_client_blocked_on_its_destination() {
    let t = scenario(
        3,
        &[
            Send(0, &["BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"]),
            Sleep(50),
            Send(1, &["BLPOP", "dst", "0"]),
            Sleep(50),
            Call(2, &["RPUSH", "src", "v"]),
            Read(0),
            Read(1),
            Call(2, &["EXISTS", "src", "dst"]),
        ],
    );
    assert_eq!(t[1], "0: $1\r\nv\r\n");
    assert_eq!(t[2], "1: *2\r\n$3\r\ndst\r\n$1\r\nv\r\n");
    assert_eq!(t[3], "2: :0\r\n");
}

#[test]
fn requests_pipelined_after_a_blocking_command_wait_for_it() {
    let t = scenario(
        2,
        &[
            Send(0, &["BLPOP", "q", "0"]),
            Send(0, &["PING"]),
            Send(0, &["LLEN", "q"]),
            Quiet(0),
            Call(1, &["RPUSH", "q", "a", "b"]),
            Read(0),
            Read(0),
            Read(0),
        ],
    );
    assert_eq!(t[0], "0: quiet");
    assert_eq!(t[2..], ["0: *2\r\n$1\r\nq\r\n$1\r\na\r\n", "0: +PONG\r\n", "0: :1\r\n"]);
}

#[test]
fn client_unblock_ends_the_wait_as_a_timeout_or_an_error() {
    let t = scenario(
        3,
        &[
            Send(0, &["BLPOP", "q", "0"]),
            Send(1, &["BLMOVE", "q", "d", "LEFT", "LEFT", "0"]),
            Sleep(50),
            Unblock(2, 0, "TIMEOUT"),
            Read(0),
            Unblock(2, 1, "ERROR"),
            Read(1),
            Unblock(2, 1, "ERROR"),
            Call(2, &["INFO", "errorstats"]),
        ],
    );
    assert_eq!(
        t[..4],
        ["2: :1\r\n", "0: *-1\r\n", "2: :1\r\n", "1: -UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"]
    );
    assert_eq!(t[4], "2: :0\r\n");
}

#[test]
fn timeouts_have_sub_second_precision_and_zero_waits_forever() {
    let server = Server::start(&[]);
    let mut waiter = server.raw();
    let started = Instant::now();
    assert_eq!(waiter.call(&["BLPOP", "q", "0.2"]), "*-1\r\n");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(200) && waited < Duration::from_millis(900), "waited {waited:?}");
    let started = Instant::now();
    assert_eq!(waiter.call(&["BRPOPLPUSH", "q", "d", "0.15"]), "$-1\r\n");
    assert!(started.elapsed() >= Duration::from_millis(150));

    waiter.cmd(&[b"BLPOP", b"q", b"0"]);
    assert!(quiet(&mut waiter));
    std::thread::sleep(Duration::from_millis(300));
    assert!(quiet(&mut waiter), "a zero timeout waits forever");
    server.raw().call(&["LPUSH", "q", "late"]);
    assert_eq!(waiter.read_reply(), b"*2\r\n$1\r\nq\r\n$4\r\nlate\r\n");
}

#[test]
fn blocked_clients_show_in_info_and_client_list_and_leave_no_trace() {
    let server = Server::start(&[]);
    let mut waiter = server.raw();
    waiter.cmd(&[b"BLPOP", b"q", b"other", b"5"]);
    let mut forever = server.raw();
    forever.cmd(&[b"BRPOP", b"q", b"0"]);
    let mut admin = server.raw();
    std::thread::sleep(Duration::from_millis(100));
    let info = admin.call(&["INFO", "clients"]);
    assert!(info.contains("blocked_clients:2\r\n"), "{info}");
    assert!(info.contains("clients_in_timeout_table:1\r\n"), "{info}");
    let list = admin.call(&["CLIENT", "LIST"]);
    assert_eq!(list.matches("flags=b ").count(), 2, "{list}");
    assert!(list.contains("cmd=blpop"), "{list}");

    drop(waiter);
    drop(forever);
    std::thread::sleep(Duration::from_millis(100));
    let info = admin.call(&["INFO", "clients"]);
    assert!(info.contains("blocked_clients:0\r\n"), "{info}");
    assert!(info.contains("clients_in_timeout_table:0\r\n"), "{info}");
    // The departed clients take nothing: a push stays in the list.
    assert_eq!(admin.call(&["RPUSH", "q", "kept"]), ":1\r\n");
    assert_eq!(admin.call(&["LRANGE", "q", "0", "-1"]), "*1\r\n$4\r\nkept\r\n");
}

#[test]
fn a_key_of_another_type_does_not_serve_a_blocked_client() {
    scenario(
        2,
        &[
            Send(0, &["BLPOP", "q", "0"]),
            Sleep(50),
            Call(1, &["SET", "q", "string"]),
            Quiet(0),
            Call(1, &["DEL", "q"]),
            Call(1, &["RPUSH", "q", "v"]),
            Read(0),
        ],
    );
}

#[test]
fn a_blocked_client_keeps_reading_and_can_be_killed() {
    let server = Server::start(&[]);
    let mut waiter = server.raw();
    waiter.cmd(&[b"BLPOP", b"q", b"0"]);
    let mut admin = server.raw();
    std::thread::sleep(Duration::from_millis(50));
    let id = {
        let list = admin.call(&["CLIENT", "LIST"]);
        let line = list.lines().find(|l| l.contains("cmd=blpop")).expect("blocked client listed").to_owned();
        line.split(' ').find_map(|f| f.strip_prefix("id=")).expect("id").to_owned()
    };
    assert_eq!(admin.call(&["CLIENT", "KILL", "ID", &id]), ":1\r\n");
    let mut rest = Vec::new();
    assert_eq!(waiter.stream.read_to_end(&mut rest).expect("closed"), 0);
    assert!(admin.call(&["INFO", "clients"]).contains("blocked_clients:0\r\n"));
}

#[test]
fn sorted_set_pops_wait_for_zadd() {
    let t = scenario(
        4,
        &[
            Send(0, &["BZPOPMIN", "z", "0"]),
            Sleep(50),
            Send(1, &["BZPOPMAX", "other", "z", "0"]),
            Sleep(50),
            Send(2, &["BZMPOP", "0", "2", "none", "z", "MIN", "COUNT", "5"]),
            Sleep(50),
            Call(3, &["ZADD", "z", "1", "a", "2.5", "b", "3", "c", "4", "d"]),
            Read(0),
            Read(1),
            Read(2),
            Call(3, &["EXISTS", "z"]),
            Call(3, &["MULTI"]),
            Call(3, &["BZPOPMIN", "z", "0"]),
            Call(3, &["BZMPOP", "0", "1", "z", "MAX"]),
            Call(3, &["EXEC"]),
        ],
    );
    assert_eq!(t[1], "0: *3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(t[2], "1: *3\r\n$1\r\nz\r\n$1\r\nd\r\n$1\r\n4\r\n");
    assert!(t[3].starts_with("2: *2\r\n$1\r\nz\r\n*2\r\n"), "{}", t[3]);
    assert_eq!(t[4], "3: :0\r\n");
}

#[test]
fn a_list_push_does_not_serve_a_sorted_set_pop() {
    scenario(
        2,
        &[
            Send(0, &["BZPOPMIN", "k", "0"]),
            Sleep(50),
            Call(1, &["RPUSH", "k", "x"]),
            Quiet(0),
            Call(1, &["DEL", "k"]),
            Call(1, &["ZADD", "k", "7", "m"]),
            Read(0),
            Call(1, &["BZPOPMIN", "k", "0.01"]),
            Call(1, &["BZPOPMIN", "k", "-1"]),
            Call(1, &["BZMPOP", "x", "0", "k", "MIN"]),
            Call(1, &["BZMPOP", "x", "1", "k", "MIN"]),
        ],
    );
}

#[test]
fn input_arriving_as_the_client_is_served_waits_for_the_served_reply() {
    let t = scenario(
        2,
        &[
            Send(0, &["BLPOP", "q", "0"]),
            Send(0, &["PING"]),
            Sleep(50),
            Send(1, &["LPUSH", "q", "x"]),
            Send(0, &["ECHO", "after"]),
            Read(1),
            Read(0),
            Read(0),
            Read(0),
        ],
    );
    assert_eq!(t[1..], ["0: *2\r\n$1\r\nq\r\n$1\r\nx\r\n", "0: +PONG\r\n", "0: $5\r\nafter\r\n"]);
}

#[test]
fn swapdb_serves_clients_waiting_on_keys_it_brings_in() {
    let t = scenario(
        2,
        &[
            Send(0, &["BLPOP", "q", "0"]),
            Sleep(50),
            Call(1, &["SELECT", "1"]),
            Call(1, &["RPUSH", "q", "from-db-1"]),
            Call(1, &["SWAPDB", "0", "1"]),
            Read(0),
            Call(1, &["EXISTS", "q"]),
        ],
    );
    assert_eq!(t[3], "0: *2\r\n$1\r\nq\r\n$9\r\nfrom-db-1\r\n");
}
