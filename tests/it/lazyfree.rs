//! Lazy freeing: UNLINK of a big value, DEL under `lazyfree-lazy-user-del`, FLUSHALL ASYNC and
//! FLUSHDB under `lazyfree-lazy-user-flush` free on the background thread, counted in INFO's
//! `lazyfreed_objects` as redis-server 7.0.15 counts them.

use std::time::{Duration, Instant};

use crate::support::{Raw, Server, have};

fn lazyfreed(conn: &mut Raw) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let info = conn.call(&["INFO", "memory"]);
        let field = |name: &str| {
            info.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(0)
        };
        if field("lazyfree_pending_objects:") == 0 || Instant::now() > deadline {
            return field("lazyfreed_objects:");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn run(server: &Server) -> Vec<u64> {
    let mut conn = server.raw();
    let mut counts = Vec::new();
    let fill = |conn: &mut Raw, key: &str| {
        for chunk in 0..20 {
            let members: Vec<String> = (0..1000).map(|i| format!("m{chunk}-{i}")).collect();
            let mut args = vec!["SADD", key];
            args.extend(members.iter().map(String::as_str));
            conn.call(&args);
        }
    };
    fill(&mut conn, "big");
    conn.call(&["SET", "small", "v"]);
    conn.call(&["UNLINK", "big", "small"]);
    counts.push(lazyfreed(&mut conn));
    fill(&mut conn, "big");
    conn.call(&["DEL", "big"]);
    counts.push(lazyfreed(&mut conn));
    conn.call(&["CONFIG", "SET", "lazyfree-lazy-user-del", "yes"]);
    fill(&mut conn, "big");
    conn.call(&["DEL", "big"]);
    counts.push(lazyfreed(&mut conn));
    let mset: Vec<String> = (0..500).flat_map(|i| [format!("k{i}"), "v".to_owned()]).collect();
    let mut args = vec!["MSET"];
    args.extend(mset.iter().map(String::as_str));
    conn.call(&args);
    conn.call(&["FLUSHALL", "ASYNC"]);
    counts.push(lazyfreed(&mut conn));
    conn.call(&args);
    conn.call(&["CONFIG", "SET", "lazyfree-lazy-user-flush", "yes"]);
    conn.call(&["FLUSHDB"]);
    counts.push(lazyfreed(&mut conn));
    conn.call(&args);
    conn.call(&["FLUSHDB", "SYNC"]);
    counts.push(lazyfreed(&mut conn));
    counts
}

#[test]
fn lazyfreed_objects_count_like_redis() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let ours = run(&Server::start(&[]));
    let theirs = run(&Server::start_redis(&[]));
    assert_eq!(ours, theirs);
    assert_eq!(ours, vec![1, 1, 2, 502, 1002, 1002]);
}
