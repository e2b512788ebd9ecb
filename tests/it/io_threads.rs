//! `io-threads 4`: connections are served by I/O threads while one executor keeps the data, and
//! what clients see does not change (order of replies, blocking, pub/sub, CLIENT KILL, INFO,
//! shutdown). The whole suite also runs this way with `RKV_TEST_IO_THREADS=4`.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::eviction::info_u64;
use crate::support::{Raw, Server, encode};

fn threaded() -> Server {
    Server::start(&["--io-threads", "4"])
}

#[test]
fn info_reports_threads_and_what_they_handled() {
    let single = Server::start(&["--io-threads", "1"]);
    let mut raw = single.raw();
    assert_eq!(info_u64(&mut raw, "io_threads_active"), 0);
    assert_eq!(info_u64(&mut raw, "io_threaded_reads_processed"), 0);

    let server = threaded();
    let mut raw = server.raw();
    assert_eq!(info_u64(&mut raw, "io_threads_active"), 1);
    for i in 0..10 {
        raw.call(&["SET", &format!("k{i}"), "v"]);
    }
    // This INFO's own read is counted; its reply is not written yet.
    let reads = info_u64(&mut raw, "io_threaded_reads_processed");
    let writes = info_u64(&mut raw, "io_threaded_writes_processed");
    assert!(reads >= 11, "reads {reads}");
    assert!(writes >= 11, "writes {writes}");
    assert_eq!(raw.call(&["CONFIG", "GET", "io-threads"]), "*2\r\n$10\r\nio-threads\r\n$1\r\n4\r\n");
}

/// Many clients, spread over the threads, pipeline increments of shared and private counters:
/// every reply comes back in order and every increment lands once.
#[test]
fn pipelines_from_many_clients_keep_order_and_count_every_write() {
    let server = threaded();
    let workers: Vec<_> = (0..12)
        .map(|c| {
            let port = server.port;
            std::thread::spawn(move || {
                let mut raw = Raw::connect(port);
                let mine = format!("mine:{c}");
                let mut batch = Vec::new();
                for _ in 0..200 {
                    batch.extend(encode(&[b"INCR", mine.as_bytes()]));
                    batch.extend(encode(&[b"INCR", b"shared"]));
                }
                raw.send(&batch);
                for i in 1..=200 {
                    assert_eq!(String::from_utf8_lossy(&raw.read_reply()), format!(":{i}\r\n"));
                    raw.read_reply();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("worker");
    }
    assert_eq!(server.raw().call(&["GET", "shared"]), "$4\r\n2400\r\n");
}

/// A client blocked on one thread is served by a push from another, and times out on its own.
#[test]
fn blocking_and_timeouts_cross_threads() {
    let server = threaded();
    let mut waiter = server.raw();
    let mut pusher = server.raw();
    waiter.cmd(&[b"BLPOP", b"q", b"0"]);
    let deadline = Instant::now() + Duration::from_secs(5);
    while info_u64(&mut pusher, "blocked_clients") != 1 {
        assert!(Instant::now() < deadline, "the client never blocked");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(pusher.call(&["RPUSH", "q", "x"]), ":1\r\n");
    assert_eq!(String::from_utf8_lossy(&waiter.read_reply()), "*2\r\n$1\r\nq\r\n$1\r\nx\r\n");
    assert_eq!(waiter.call(&["BLPOP", "q", "0.05"]), "*-1\r\n");
}

#[test]
fn published_messages_reach_subscribers_on_every_thread() {
    let server = threaded();
    let mut subscribers: Vec<Raw> = (0..6).map(|_| server.raw()).collect();
    for sub in &mut subscribers {
        assert_eq!(sub.call(&["SUBSCRIBE", "news"]), "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
    }
    assert_eq!(server.raw().call(&["PUBLISH", "news", "hi"]), ":6\r\n");
    for sub in &mut subscribers {
        assert_eq!(String::from_utf8_lossy(&sub.read_reply()), "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
    }
}

/// CLIENT KILL from one thread closes a connection served by another, at once.
#[test]
fn client_kill_closes_a_connection_on_another_thread() {
    let server = threaded();
    let mut victims: Vec<Raw> = (0..4).map(|_| server.raw()).collect();
    let ids: Vec<String> =
        victims.iter_mut().map(|v| v.call(&["CLIENT", "ID"]).trim_start_matches(':').trim().to_owned()).collect();
    let mut admin = server.raw();
    for id in &ids {
        assert_eq!(admin.call(&["CLIENT", "KILL", "ID", id]), ":1\r\n");
    }
    for victim in &mut victims {
        assert!(victim.read_to_close().is_empty());
    }
    assert_eq!(info_u64(&mut admin, "connected_clients"), 1);
}

/// SHUTDOWN with clients on every thread ends the process promptly.
#[test]
fn shutdown_stops_every_thread() {
    let mut server = threaded();
    let _idle: Vec<Raw> = (0..6).map(|_| server.raw()).collect();
    let mut raw = server.raw();
    raw.stream.write_all(&encode(&[b"SHUTDOWN", b"NOSAVE"])).expect("write");
    assert_eq!(server.wait_exit(Duration::from_secs(5)), Some(0));
}
