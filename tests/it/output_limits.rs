//! Clients that do not read their replies: `client-output-buffer-limit` disconnects them before
//! they can pin memory, CLIENT KILL closes them whatever their socket does, and idle buffers are
//! given back.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::support::{Server, encode};

fn info_field(conn: &mut crate::support::Raw, section: &str, field: &str) -> u64 {
    let info = conn.call(&["INFO", section]);
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} missing in {info}"))
}

/// A pipeline of GETs of a 1 MB value from a client that never reads is cut off by the normal
/// class's hard limit; memory does not grow by the replies, and the server keeps serving.
#[test]
fn a_client_that_never_reads_is_dropped_at_the_normal_limit() {
    let server = Server::start(&["--client-output-buffer-limit", "normal 16mb 0 0"]);
    let mut admin = server.raw();
    let big = "v".repeat(1 << 20);
    admin.call(&["SET", "big", &big]);
    let before = info_field(&mut admin, "memory", "used_memory");

    let mut greedy = server.raw();
    // Registered before the pipeline (so `connected_clients` counts it until it is cut off).
    assert_eq!(greedy.call(&["PING"]), "+PONG\r\n");
    // 16 KB of pipelined GETs ask for about 740 MB of replies.
    let request = encode(&[b"GET", b"big"]);
    let batch = request.repeat(16 * 1024 / request.len());
    greedy.stream.write_all(&batch).expect("write");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let clients = info_field(&mut admin, "clients", "connected_clients");
        if clients == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the greedy client is still connected");
        std::thread::sleep(Duration::from_millis(50));
    }
    let after = info_field(&mut admin, "memory", "used_memory");
    assert!(after < before + 64 * 1024 * 1024, "used_memory grew from {before} to {after}");
    assert!(server.log_text().contains("scheduled to be closed ASAP for overcoming of output buffer limits"));
    assert_eq!(admin.call(&["GET", "missing"]), "$-1\r\n");
}

/// CLIENT KILL closes a client stuck on a full socket at once: it leaves CLIENT LIST and
/// `connected_clients`, and its connection is closed.
#[test]
fn client_kill_closes_a_client_whose_socket_is_full() {
    let server = Server::start(&[]);
    let mut admin = server.raw();
    let big = "v".repeat(4 << 20);
    admin.call(&["SET", "big", &big]);
    let mut stuck = server.raw();
    stuck.call(&["CLIENT", "SETNAME", "stuck"]);
    let id_line = stuck.call(&["CLIENT", "ID"]);
    let id = id_line.trim_start_matches(':').trim().to_owned();
    // 64 MB of replies that are never read.
    let request = encode(&[b"GET", b"big"]).repeat(16);
    stuck.stream.write_all(&request).expect("write");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(admin.call(&["CLIENT", "KILL", "ID", &id]), ":1\r\n");
    let deadline = Instant::now() + Duration::from_secs(10);
    while info_field(&mut admin, "clients", "connected_clients") != 1 {
        assert!(Instant::now() < deadline, "the killed client is still counted");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!admin.call(&["CLIENT", "LIST"]).contains("name=stuck"));
    // Draining what the kernel held, the connection ends.
    stuck.stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut sink = Vec::new();
    stuck.stream.read_to_end(&mut sink).expect("closed");
    assert!(sink.len() < 64 << 20);
}

/// Clients that once read a big reply do not keep its buffers: memory returns close to where it
/// was while they stay connected.
#[test]
fn idle_clients_give_back_their_buffers() {
    let server = Server::start(&[]);
    let mut admin = server.raw();
    let big = "v".repeat(20 << 20);
    admin.call(&["SET", "big", &big]);
    let before = info_field(&mut admin, "memory", "used_memory");
    let mut readers: Vec<_> = (0..5).map(|_| server.raw()).collect();
    for r in &mut readers {
        assert_eq!(r.call(&["GET", "big"]).len(), big.len() + 13);
        // And a big request: a 20 MB SET.
        r.call(&["SET", "other", &big]);
    }
    admin.call(&["DEL", "other"]);
    let after = info_field(&mut admin, "memory", "used_memory");
    assert!(after < before + (8 << 20), "used_memory grew from {before} to {after} with idle clients");
}
