//! Client-side caching (CLIENT TRACKING), compared with redis-server 7.0.15 in multi-client
//! transcripts: invalidations for read keys, RESP3 pushes, RESP2 redirection to a
//! `__redis__:invalidate` subscriber, BCAST prefixes, OPTIN/OPTOUT, NOLOOP, flushes, and the
//! errors of every bad combination.

use crate::support::transcript::{same_transcript, step};

#[test]
fn default_mode_invalidates_keys_read_once() {
    same_transcript(
        2,
        &[
            step(0, &["HELLO", "3"], &[]),
            step(0, &["CLIENT", "TRACKING", "ON"], &[0]),
            step(0, &["GET", "a"], &[0]),
            step(0, &["MGET", "b", "c"], &[0]),
            step(1, &["SET", "a", "1"], &[1, 0]),
            // Forgotten after one invalidation.
            step(1, &["SET", "a", "2"], &[1]),
            step(1, &["MSET", "b", "1", "c", "2"], &[1, 0, 0]),
            // The client's own write invalidates its own read key after the reply.
            step(0, &["GET", "a"], &[0]),
            step(0, &["SET", "a", "3"], &[0, 0]),
            step(0, &["CLIENT", "TRACKINGINFO"], &[0]),
            step(0, &["CLIENT", "GETREDIR"], &[0]),
            step(0, &["GET", "x"], &[0]),
            step(1, &["FLUSHALL"], &[1, 0]),
            step(0, &["CLIENT", "TRACKING", "OFF"], &[0]),
            step(0, &["CLIENT", "TRACKINGINFO"], &[0]),
        ],
    );
}

#[test]
fn resp2_redirection_to_a_subscriber() {
    same_transcript(
        3,
        &[
            step(1, &["SUBSCRIBE", "__redis__:invalidate"], &[1]),
            step(0, &["CLIENT", "TRACKING", "ON", "REDIRECT", "{id:1}"], &[0]),
            step(0, &["CLIENT", "GETREDIR"], &[0]),
            step(0, &["GET", "k"], &[0]),
            step(2, &["SET", "k", "v"], &[2, 1]),
            step(2, &["FLUSHDB"], &[2, 1]),
            step(0, &["CLIENT", "TRACKING", "ON", "REDIRECT", "12345"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "REDIRECT", "{id:1}", "REDIRECT", "{id:2}"], &[0]),
        ],
    );
}

#[test]
fn bcast_prefixes_and_noloop() {
    same_transcript(
        2,
        &[
            step(0, &["HELLO", "3"], &[]),
            step(0, &["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "PREFIX", "obj:"], &[0]),
            step(1, &["SET", "user:1", "a"], &[1, 0]),
            step(1, &["SET", "other", "a"], &[1]),
            step(1, &["MSET", "obj:2", "b", "obj:1", "c"], &[1, 0]),
            step(0, &["CLIENT", "TRACKINGINFO"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "us"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON"], &[0]),
            step(0, &["CLIENT", "TRACKING", "OFF"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "BCAST", "NOLOOP"], &[0]),
            step(0, &["SET", "mine", "1"], &[0]),
            step(1, &["SET", "theirs", "1"], &[1, 0]),
        ],
    );
}

#[test]
fn optin_and_optout() {
    same_transcript(
        2,
        &[
            step(0, &["HELLO", "3"], &[]),
            step(0, &["CLIENT", "CACHING", "YES"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "OPTIN"], &[0]),
            step(0, &["GET", "not-cached"], &[0]),
            step(0, &["CLIENT", "CACHING", "NO"], &[0]),
            step(0, &["CLIENT", "CACHING", "YES"], &[0]),
            step(0, &["CLIENT", "TRACKINGINFO"], &[0]),
            step(0, &["GET", "cached"], &[0]),
            step(1, &["SET", "not-cached", "1"], &[1]),
            step(1, &["SET", "cached", "1"], &[1, 0]),
            step(0, &["CLIENT", "TRACKING", "ON", "OPTOUT"], &[0]),
            step(0, &["CLIENT", "TRACKING", "OFF"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "OPTOUT"], &[0]),
            step(0, &["CLIENT", "CACHING", "NO"], &[0]),
            step(0, &["GET", "skipped"], &[0]),
            step(0, &["GET", "tracked"], &[0]),
            step(1, &["MSET", "skipped", "1", "tracked", "1"], &[1, 0]),
        ],
    );
}

#[test]
fn bad_tracking_options() {
    same_transcript(
        1,
        &[
            step(0, &["CLIENT", "TRACKING", "MAYBE"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "PREFIX", "a"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab", "PREFIX", "a"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "REDIRECT", "x"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "FOO"], &[0]),
            step(0, &["CLIENT", "TRACKING", "ON", "REDIRECT"], &[0]),
            step(0, &["CLIENT", "CACHING", "YES"], &[0]),
            step(0, &["CLIENT", "CACHING", "MAYBE"], &[0]),
        ],
    );
}

/// `tracking-table-max-keys`: past the limit, keys are invalidated (and forgotten) before the
/// next command runs, until the table is back at the limit.
#[test]
fn the_tracking_table_is_kept_under_its_limit() {
    let server = crate::support::Server::start(&["--tracking-table-max-keys", "2"]);
    let mut conn = server.raw();
    conn.call(&["HELLO", "3"]);
    assert_eq!(conn.call(&["CLIENT", "TRACKING", "ON"]), "+OK\r\n");
    conn.call(&["MGET", "a", "b", "c", "d", "e"]);
    conn.cmd(&[b"PING"]);
    let mut invalidated = 0;
    loop {
        let reply = String::from_utf8_lossy(&conn.read_reply()).into_owned();
        if reply == "+PONG\r\n" {
            break;
        }
        assert!(reply.starts_with(">2\r\n$10\r\ninvalidate\r\n*1\r\n"), "{reply}");
        invalidated += 1;
    }
    assert_eq!(invalidated, 3);
    let info = conn.call(&["INFO", "stats"]);
    assert!(info.contains("tracking_total_keys:2\r\n") && info.contains("tracking_total_items:2\r\n"), "{info}");
    assert!(conn.call(&["INFO", "clients"]).contains("tracking_clients:1\r\n"));
}
