//! Redis 7 functions, compared reply by reply with the real redis-server: FUNCTION LOAD, LIST,
//! DELETE, FLUSH, STATS, RESTORE errors, FCALL and FCALL_RO with flags, and library files that
//! round-trip between rkv and redis-server through RDB.

use crate::support::{Server, have, same_replies};

const LIB: &str = "#!lua name=mylib\n\
     redis.register_function('echo', function(keys, args) return {keys[1], args[1]} end)\n\
     redis.register_function{function_name='ro', callback=function(keys) return redis.call('get', keys[1]) end, \
     flags={'no-writes'}, description='reads'}\n\
     redis.register_function('incr', function(keys) return redis.call('incr', keys[1]) end)";

#[test]
fn load_list_call_and_delete_match_redis() {
    same_replies(&[
        &["FUNCTION", "LOAD", LIB],
        &["FUNCTION", "LOAD", LIB],
        &["FUNCTION", "LOAD", "REPLACE", LIB],
        // Redis lists a library's functions in hash order: compare a one-function library.
        &[
            "FUNCTION",
            "LOAD",
            "#!lua name=solo\nredis.register_function{function_name='s', callback=function() end, flags={'allow-oom', 'no-writes'}}",
        ],
        &["FUNCTION", "LIST", "LIBRARYNAME", "so*", "WITHCODE"],
        &["FUNCTION", "LIST", "LIBRARYNAME", "nomatch*"],
        &["FUNCTION", "LIST", "bogus"],
        &["FUNCTION", "LIST", "LIBRARYNAME"],
        &["FCALL", "echo", "1", "k", "a"],
        &["FCALL", "ECHO", "0"],
        &["FCALL", "nosuch", "0"],
        &["FCALL", "echo", "x"],
        &["FCALL", "echo", "5"],
        &["FCALL", "incr", "1", "n"],
        &["FCALL_RO", "incr", "1", "n"],
        &["FCALL_RO", "ro", "1", "n"],
        &["FCALL", "ro", "1", "n"],
        &["FUNCTION", "STATS"],
        &["FUNCTION", "DELETE", "nolib"],
        &["FUNCTION", "DELETE", "mylib"],
        &["FCALL", "echo", "0"],
        &["FUNCTION", "FLUSH", "bad"],
        &["FUNCTION", "FLUSH", "SYNC"],
        &["FUNCTION", "KILL"],
        &["FUNCTION", "HELP"],
        &["FUNCTION", "RESTORE", "garbage"],
        &["FUNCTION", "RESTORE", "garbage", "bogus"],
    ]);
}

#[test]
fn load_errors_match_redis() {
    same_replies(&[
        &["FUNCTION", "LOAD", "return 1"],
        &["FUNCTION", "LOAD", "#!lua name=x"],
        &["FUNCTION", "LOAD", "#!lua\nreturn 1"],
        &["FUNCTION", "LOAD", "#!lua name=a name=b\n"],
        &["FUNCTION", "LOAD", "#!lua foo=bar\n"],
        &["FUNCTION", "LOAD", "#!lua name=bad-name\n"],
        &["FUNCTION", "LOAD", "#!js name=x\n"],
        &["FUNCTION", "LOAD", "#!lua name=x\nlocal a = 1"],
        &["FUNCTION", "LOAD", "#!lua name=x\nreturn ("],
        &["FUNCTION", "LOAD", "#!lua name=x\nredis.register_function()"],
        &["FUNCTION", "LOAD", "#!lua name=x\nredis.register_function('f')"],
        &["FUNCTION", "LOAD", "#!lua name=x\nredis.register_function(1, 2)"],
        &["FUNCTION", "LOAD", "#!lua name=x\nredis.register_function{function_name='f'}"],
        &["FUNCTION", "LOAD", "#!lua name=x\nredis.register_function{callback=function() end}"],
        &[
            "FUNCTION",
            "LOAD",
            "#!lua name=x\nredis.register_function{function_name='f', callback=function() end, flags={'bad'}}",
        ],
        &[
            "FUNCTION",
            "LOAD",
            "#!lua name=x\nredis.register_function{function_name='f', callback=function() end, other=1}",
        ],
        &["FUNCTION", "LOAD", "#!lua name=x\nredis.register_function('f-g', function() end)"],
        &[
            "FUNCTION",
            "LOAD",
            "#!lua name=x\nredis.register_function('f', function() end) redis.register_function('f', function() end)",
        ],
        &["FUNCTION", "LOAD", "#!lua name=x\nredis.call('ping')"],
        &["FUNCTION", "LOAD", "#!lua name=x\nlocal s = string.len('a')"],
        &["FUNCTION", "LOAD", "BAD", "#!lua name=x\n"],
        &["FUNCTION", "LOAD", "#!lua name=x\nredis.register_function('f', function() return a end)"],
        &["FCALL", "f", "0"],
    ]);
}

#[test]
fn dump_and_restore_round_trip_between_rkv_and_redis() {
    if !have("redis-server") {
        return;
    }
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let (mut a, mut b) = (rkv.client(), redis.client());
    let load = |c: &mut redis::Connection| -> String { redis::cmd("FUNCTION").arg("LOAD").arg(LIB).query(c).unwrap() };
    assert_eq!(load(&mut a), "mylib");
    let dump: Vec<u8> = redis::cmd("FUNCTION").arg("DUMP").query(&mut a).unwrap();
    let restored: String = redis::cmd("FUNCTION").arg("RESTORE").arg(&dump).query(&mut b).unwrap();
    assert_eq!(restored, "OK");
    let echo: Vec<String> = redis::cmd("FCALL").arg("echo").arg(1).arg("k").arg("v").query(&mut b).unwrap();
    assert_eq!(echo, ["k", "v"]);
    // Redis's payload (its LZF output differs from rkv's by a few bytes) restores here too.
    let theirs: Vec<u8> = redis::cmd("FUNCTION").arg("DUMP").query(&mut b).unwrap();
    let err = redis::cmd("FUNCTION").arg("RESTORE").arg(&theirs).query::<String>(&mut a).unwrap_err();
    assert_eq!(err.detail(), Some("Library mylib already exists"));
    let ok: String = redis::cmd("FUNCTION").arg("RESTORE").arg(&theirs).arg("REPLACE").query(&mut a).unwrap();
    assert_eq!(ok, "OK");
}

#[test]
fn libraries_survive_rdb_files_written_by_either_server() {
    if !have("redis-server") {
        return;
    }
    let mut rkv = Server::start(&[]);
    let mut c = rkv.client();
    let _: String = redis::cmd("FUNCTION").arg("LOAD").arg(LIB).query(&mut c).unwrap();
    let _: String = redis::cmd("SAVE").query(&mut c).unwrap();
    let rdb = rkv.path().join("dump.rdb");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&rdb, dir.path().join("dump.rdb")).unwrap();
    rkv.signal("TERM");
    rkv.wait_exit(std::time::Duration::from_secs(10));
    let redis = Server::start_program_in("redis-server", dir, None, &["--save", ""]);
    let mut r = redis.client();
    let echo: Vec<String> = redis::cmd("FCALL").arg("echo").arg(1).arg("k").arg("v").query(&mut r).unwrap();
    assert_eq!(echo, ["k", "v"]);
}

#[test]
fn a_library_looping_at_load_times_out_as_in_redis() {
    same_replies(&[
        &["FUNCTION", "LOAD", "#!lua name=lib\nlocal a = 1 while 1 do a = a + 1 end"],
        &["FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function() return 1 end)"],
        &["FCALL", "f", "0"],
        &["EVAL", "local n = 0 for i = 1, 300000 do n = n + 1 end return n", "0"],
    ]);
}
