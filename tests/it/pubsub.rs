//! Pub/Sub with several clients, compared byte for byte with redis-server 7.0.15: subscribe and
//! unsubscribe confirmations, messages in RESP2 and RESP3, patterns, shard channels, subscribed
//! mode, PUBSUB introspection; and a slow subscriber cut off by its output limit.

use std::io::Read;
use std::time::Duration;

use crate::support::transcript::{same_transcript, step};
use crate::support::{Raw, Server};

#[test]
fn subscribe_publish_unsubscribe_resp2() {
    // Redis delivers to matching patterns in its dictionary's (randomly seeded) order, so each
    // pattern subscriber here holds one pattern.
    same_transcript(
        4,
        &[
            step(0, &["SUBSCRIBE", "a", "b", "a"], &[0, 0, 0]),
            step(1, &["PSUBSCRIBE", "a*"], &[1]),
            step(3, &["PSUBSCRIBE", "?", "?"], &[3, 3]),
            step(2, &["PUBLISH", "a", "hello"], &[2, 0, 1, 3]),
            step(2, &["PUBLISH", "b", "x"], &[2, 0, 3]),
            step(2, &["PUBLISH", "nobody", "x"], &[2]),
            step(2, &["PUBSUB", "NUMSUB", "a", "b", "c"], &[2]),
            step(2, &["PUBSUB", "NUMPAT"], &[2]),
            step(2, &["PUBSUB", "CHANNELS", "b*"], &[2]),
            step(0, &["UNSUBSCRIBE", "a"], &[0]),
            step(2, &["PUBLISH", "a", "again"], &[2, 1, 3]),
            step(0, &["UNSUBSCRIBE", "nope"], &[0]),
            step(0, &["UNSUBSCRIBE"], &[0]),
            step(0, &["UNSUBSCRIBE"], &[0]),
            step(3, &["PUNSUBSCRIBE", "?"], &[3]),
            step(3, &["PUNSUBSCRIBE"], &[3]),
            step(1, &["PUNSUBSCRIBE"], &[1]),
            step(1, &["PUNSUBSCRIBE"], &[1]),
            step(2, &["PUBSUB", "NUMPAT"], &[2]),
            step(0, &["GET", "k"], &[0]),
        ],
    );
}

#[test]
fn subscribed_mode_allows_only_pubsub_commands_in_resp2() {
    same_transcript(
        1,
        &[
            step(0, &["SUBSCRIBE", "a"], &[0]),
            step(0, &["GET", "k"], &[0]),
            step(0, &["PING"], &[0]),
            step(0, &["PING", "hi"], &[0]),
            step(0, &["SSUBSCRIBE", "s"], &[0]),
            step(0, &["UNSUBSCRIBE", "a"], &[0]),
            step(0, &["SET", "k", "v"], &[0]),
            step(0, &["SUNSUBSCRIBE"], &[0]),
            step(0, &["PING"], &[0]),
            step(0, &["SUBSCRIBE", "a"], &[0]),
            step(0, &["RESET"], &[0]),
            step(0, &["GET", "k"], &[0]),
        ],
    );
}

#[test]
fn subscribed_mode_is_checked_after_memory_as_in_redis() {
    let filler = "x".repeat(100_000);
    same_transcript(
        2,
        &[
            step(0, &["SET", "filler", &filler], &[0]),
            step(0, &["CONFIG", "SET", "maxmemory", "1"], &[0]),
            step(1, &["SUBSCRIBE", "a"], &[1]),
            step(1, &["SET", "k", "v"], &[1]),
            step(1, &["GET", "k"], &[1]),
            step(0, &["CONFIG", "SET", "maxmemory", "0"], &[0]),
            step(1, &["SET", "k", "v"], &[1]),
        ],
    );
}

#[test]
fn resp3_clients_get_pushes_and_keep_full_use_of_commands() {
    same_transcript(
        2,
        &[
            step(0, &["HELLO", "3"], &[]),
            step(0, &["SUBSCRIBE", "a"], &[0]),
            step(0, &["SET", "k", "v"], &[0]),
            step(0, &["GET", "k"], &[0]),
            step(1, &["PUBLISH", "a", "m"], &[1, 0]),
            step(0, &["PUBLISH", "a", "self"], &[0, 0]),
            step(0, &["PING"], &[0]),
            step(0, &["UNSUBSCRIBE"], &[0]),
        ],
    );
}

#[test]
fn shard_channels() {
    // Client 2's pattern matches the shard channels but shard messages ignore patterns: its
    // next read is the PUBLISH message.
    same_transcript(
        3,
        &[
            step(0, &["SSUBSCRIBE", "s1", "s2"], &[0, 0]),
            step(2, &["PSUBSCRIBE", "s*"], &[2]),
            step(1, &["SPUBLISH", "s1", "m"], &[1, 0]),
            step(1, &["PUBLISH", "s1", "plain"], &[1, 2]),
            step(0, &["SUNSUBSCRIBE", "s2"], &[0]),
            step(1, &["PUBSUB", "SHARDNUMSUB", "s1", "s2"], &[1]),
            step(1, &["PUBSUB", "SHARDCHANNELS"], &[1]),
            step(1, &["PUBSUB", "SHARDCHANNELS", "x", "y"], &[1]),
            step(1, &["PUBSUB", "NOPE"], &[1]),
        ],
    );
}

/// A subscriber that never reads is dropped by the pubsub class's hard limit, while a reading
/// subscriber of the same channel receives every message and the server keeps serving.
#[test]
fn slow_subscriber_is_cut_off_by_the_pubsub_limit() {
    let server = Server::start(&["--client-output-buffer-limit", "pubsub 256kb 0 0"]);
    let mut slow = server.raw();
    slow.call(&["SUBSCRIBE", "news"]);
    let mut reader = server.raw();
    reader.call(&["SUBSCRIBE", "news"]);
    let mut publisher = server.raw();
    let payload = "x".repeat(64 * 1024);
    // 32 MB in all: more than the kernel's socket buffers can absorb for the slow client, far
    // past its 256 KB limit.
    let messages = 500;
    let expected_push = format!("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n${}\r\n{payload}\r\n", payload.len());
    for i in 0..messages {
        publisher.call(&["PUBLISH", "news", &payload]);
        let push = reader.read_reply();
        assert_eq!(push, expected_push.as_bytes(), "message {i} to the reading subscriber");
    }
    let clients = publisher.call(&["CLIENT", "LIST", "TYPE", "pubsub"]);
    assert_eq!(clients.matches("flags=P").count(), 1, "only the reader is left: {clients}");
    assert_eq!(publisher.call(&["PUBSUB", "NUMSUB", "news"]), "*2\r\n$4\r\nnews\r\n:1\r\n");
    // The slow client's connection is closed: reading what was sent before ends at EOF.
    slow.stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut sink = Vec::new();
    slow.stream.read_to_end(&mut sink).expect("connection closed by the server");
    assert!(sink.len() < messages * payload.len(), "the slow client got {} bytes", sink.len());
    assert_eq!(publisher.call(&["PING"]), "+PONG\r\n");
}

/// One message to 10,000 subscribers of one channel reaches every one of them.
#[test]
fn publish_reaches_ten_thousand_subscribers() {
    let server = Server::start(&["--maxclients", "10100"]);
    let mut subscribers: Vec<Raw> = (0..10_000).map(|_| server.raw()).collect();
    for s in &mut subscribers {
        s.cmd(&[b"SUBSCRIBE", b"crowd"]);
    }
    for s in &mut subscribers {
        s.read_reply();
    }
    let mut publisher = server.raw();
    assert_eq!(publisher.call(&["PUBLISH", "crowd", "hi"]), ":10000\r\n");
    for s in &mut subscribers {
        assert_eq!(s.read_reply(), b"*3\r\n$7\r\nmessage\r\n$5\r\ncrowd\r\n$2\r\nhi\r\n");
    }
}
