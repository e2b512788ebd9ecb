//! CLIENT PAUSE: held commands run in order once the pause ends, reads go on during a WRITE
//! pause, the dataset does not change by expiry meanwhile, and bad arguments answer Redis's
//! errors.

use std::time::{Duration, Instant};

use crate::support::Server;
use crate::support::transcript::{same_transcript, step};

#[test]
fn write_pause_holds_writes_until_unpaused_and_keeps_their_order() {
    let server = Server::start(&[]);
    let mut admin = server.raw();
    let mut writer = server.raw();
    assert_eq!(admin.call(&["CLIENT", "PAUSE", "100000", "WRITE"]), "+OK\r\n");
    assert_eq!(writer.call(&["GET", "k"]), "$-1\r\n");
    // A write and a read pipelined behind it: both wait, in order.
    writer.send(&crate::support::encode(&[b"SET", b"k", b"v"]));
    writer.send(&crate::support::encode(&[b"GET", b"k"]));
    writer.stream.set_read_timeout(Some(Duration::from_millis(200))).expect("timeout");
    let mut byte = [0u8; 1];
    assert!(std::io::Read::read(&mut writer.stream, &mut byte).is_err(), "a held write was answered");
    writer.stream.set_read_timeout(Some(crate::support::READ_TIMEOUT)).expect("timeout");
    assert!(admin.call(&["CLIENT", "LIST"]).contains("flags=b"));
    assert!(admin.call(&["INFO", "clients"]).contains("blocked_clients:1\r\n"));
    assert_eq!(admin.call(&["CLIENT", "UNPAUSE"]), "+OK\r\n");
    assert_eq!(String::from_utf8_lossy(&writer.read_reply()), "+OK\r\n");
    assert_eq!(String::from_utf8_lossy(&writer.read_reply()), "$1\r\nv\r\n");
}

/// PFCOUNT and PUBLISH may replicate: a WRITE pause holds them too, as Redis's "special
/// commands are paused by RO" case.
#[test]
fn write_pause_holds_commands_that_may_replicate() {
    let server = Server::start(&[]);
    let mut admin = server.raw();
    assert_eq!(admin.call(&["PFADD", "hll", "x"]), ":1\r\n");
    assert_eq!(admin.call(&["CLIENT", "PAUSE", "100000", "WRITE"]), "+OK\r\n");
    let (mut counter, mut publisher) = (server.raw(), server.raw());
    counter.send(&crate::support::encode(&[b"PFCOUNT", b"hll"]));
    publisher.send(&crate::support::encode(&[b"PUBLISH", b"channel", b"message"]));
    let deadline = Instant::now() + Duration::from_secs(5);
    while !admin.call(&["INFO", "clients"]).contains("blocked_clients:2\r\n") {
        assert!(Instant::now() < deadline, "PFCOUNT and PUBLISH were not both held");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(admin.call(&["CLIENT", "UNPAUSE"]), "+OK\r\n");
    assert_eq!(String::from_utf8_lossy(&counter.read_reply()), ":1\r\n");
    assert_eq!(String::from_utf8_lossy(&publisher.read_reply()), ":0\r\n");
}

#[test]
fn all_pause_ends_by_itself() {
    let server = Server::start(&[]);
    let mut admin = server.raw();
    let mut other = server.raw();
    let started = Instant::now();
    assert_eq!(admin.call(&["CLIENT", "PAUSE", "300"]), "+OK\r\n");
    assert_eq!(other.call(&["PING"]), "+PONG\r\n");
    assert!(started.elapsed() >= Duration::from_millis(250), "PING answered during the pause");
}

#[test]
fn expired_keys_are_missing_but_not_deleted_during_a_write_pause() {
    let server = Server::start(&[]);
    let mut conn = server.raw();
    conn.call(&["SET", "k", "v", "PX", "20"]);
    conn.call(&["CLIENT", "PAUSE", "100000", "WRITE"]);
    std::thread::sleep(Duration::from_millis(250));
    assert_eq!(conn.call(&["GET", "k"]), "$-1\r\n");
    assert_eq!(conn.call(&["DBSIZE"]), ":1\r\n", "the expired key was deleted during the pause");
    conn.call(&["CLIENT", "UNPAUSE"]);
    assert_eq!(conn.call(&["GET", "k"]), "$-1\r\n");
    assert_eq!(conn.call(&["DBSIZE"]), ":0\r\n");
}

#[test]
fn pause_arguments_are_checked_like_redis() {
    same_transcript(
        1,
        &[
            step(0, &["CLIENT", "PAUSE", "-1"], &[0]),
            step(0, &["CLIENT", "PAUSE", "abc"], &[0]),
            step(0, &["CLIENT", "PAUSE", "10", "SOME"], &[0]),
            step(0, &["CLIENT", "PAUSE", "10", "WRITE", "extra"], &[0]),
            step(0, &["CLIENT", "PAUSE", "0", "write"], &[0]),
            step(0, &["CLIENT", "UNPAUSE"], &[0]),
        ],
    );
}

/// Scripts are held by a WRITE pause by what they declare (Redis's `getCommandFlags`): a
/// `no-writes` script or function, and the read-only forms, run; a script without a shebang,
/// one with a shebang and no flags, and a function without `no-writes` are held, alone or
/// in an EXEC.
#[test]
fn write_pause_holds_scripts_by_their_declared_flags() {
    const LIBRARY: &str = "#!lua name=lib\n\
        redis.register_function{function_name='f_ro', callback=function() return 'ro' end, flags={'no-writes'}}\n\
        redis.register_function('f_rw', function() return redis.call('incr', 'c') end)";
    const READ_ONLY: &str = "#!lua flags=no-writes\nreturn 2";
    same_transcript(
        5,
        &[
            step(0, &["FUNCTION", "LOAD", LIBRARY], &[0]),
            step(0, &["SCRIPT", "LOAD", READ_ONLY], &[0]),
            step(4, &["MULTI"], &[4]),
            step(4, &["EVAL", "#!lua\nreturn redis.call('incr', 'd')", "0"], &[4]),
            step(0, &["CLIENT", "PAUSE", "100000", "WRITE"], &[0]),
            step(1, &["EVAL", "return redis.call('incr', 'a')", "0"], &[]),
            step(2, &["EVAL", "#!lua\nreturn redis.call('incr', 'b')", "0"], &[]),
            step(3, &["FCALL", "f_rw", "0"], &[]),
            step(4, &["EXEC"], &[]),
            step(0, &["EVAL", "#!lua flags=no-writes\nreturn 'ro'", "0"], &[0]),
            step(0, &["EVAL_RO", "return redis.call('mget', 'a', 'b', 'c')", "0"], &[0]),
            step(0, &["EVALSHA", "AE33F9227913B24D053A555637F98260B23BD3A3", "0"], &[0]),
            step(0, &["FCALL", "f_ro", "0"], &[0]),
            step(0, &["FCALL_RO", "f_ro", "0"], &[0]),
            step(0, &["MULTI"], &[0]),
            step(0, &["EVAL", "#!lua flags=no-writes\nreturn 3", "0"], &[0]),
            step(0, &["EXEC"], &[0]),
            step(0, &["MGET", "a", "b", "c", "d"], &[0]),
            step(0, &["CLIENT", "UNPAUSE"], &[0, 1, 2, 3, 4]),
        ],
    );
}
