//! DUMP, RESTORE and RDB files between rkv and real redis-server 7.0.15: payloads and files made
//! by either side load on the other with the same contents and encodings, small values dump to
//! identical bytes, corrupt payloads get Redis's errors without harming the server, and
//! RESTORE's events, propagation and change counts match Redis's. Skipped (with a note) when
//! the Redis tools are not installed.

use rkv::keyspace::Db;
use rkv::persistence::rdb::{self, AccessStamps, Aux, EncodingLimits, LoadOptions, SaveOptions};

use crate::support::effects::{same_notifications, same_propagation};
use crate::support::{Raw, Server, have, run_to_exit, same_dirty_counts};

/// Whether the Redis tools these tests need are installed (prints a note when not).
fn redis_tools() -> bool {
    let present = have("redis-server") && have("redis-check-rdb");
    if !present {
        eprintln!("skipped: redis-server or redis-check-rdb is not installed");
    }
    present
}

/// Sends `args` and returns the raw reply.
fn call(conn: &mut Raw, args: &[&[u8]]) -> Vec<u8> {
    conn.cmd(args);
    conn.read_reply()
}

/// The bytes of a bulk string reply.
fn bulk(reply: &[u8]) -> Vec<u8> {
    let header_end = reply.windows(2).position(|w| w == b"\r\n").expect("bulk header");
    let len: usize = std::str::from_utf8(&reply[1..header_end]).ok().and_then(|n| n.parse().ok()).expect("bulk length");
    reply[header_end + 2..header_end + 2 + len].to_vec()
}

/// The elements of a flat array reply of bulk strings.
fn elements(reply: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = &reply[reply.windows(2).position(|w| w == b"\r\n").expect("array header") + 2..];
    while !rest.is_empty() {
        let item = bulk(rest);
        let consumed = rest.windows(2).position(|w| w == b"\r\n").expect("bulk header") + 2 + item.len() + 2;
        out.push(item);
        rest = &rest[consumed..];
    }
    out
}

/// What a key holds, as commands show it: its type, encoding and contents (hash and set
/// elements sorted, as their order is the hash table's).
fn describe(conn: &mut Raw, key: &str) -> String {
    let k = key.as_bytes();
    let kind = String::from_utf8_lossy(&call(conn, &[b"TYPE", k])).trim().trim_start_matches('+').to_owned();
    let encoding = String::from_utf8_lossy(&call(conn, &[b"OBJECT", b"ENCODING", k])).into_owned();
    let mut items = match kind.as_str() {
        "string" => vec![bulk(&call(conn, &[b"GET", k]))],
        "list" => elements(&call(conn, &[b"LRANGE", k, b"0", b"-1"])),
        "set" => elements(&call(conn, &[b"SMEMBERS", k])),
        "hash" => {
            elements(&call(conn, &[b"HGETALL", k])).chunks(2).map(|p| [&p[0][..], b"=", &p[1][..]].concat()).collect()
        }
        "zset" => elements(&call(conn, &[b"ZRANGE", k, b"0", b"-1", b"WITHSCORES"])),
        other => panic!("key {key} has type {other}"),
    };
    if matches!(kind.as_str(), "set" | "hash") {
        items.sort();
    }
    let shown: Vec<String> = items.iter().map(|i| String::from_utf8_lossy(i).into_owned()).collect();
    format!("{kind} {} {shown:?}", encoding.trim())
}

/// Commands creating keys of every type in every encoding, big and small: integer strings,
/// LZF-compressible strings, lists of one and many nodes and with a large element, intsets of
/// each width, listpack and hash-table hashes and sorted sets.
fn dataset() -> Vec<Vec<String>> {
    let mut cmds: Vec<Vec<String>> = Vec::new();
    let mut add = |words: Vec<String>| cmds.push(words);
    let s = |v: &[&str]| v.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
    add(s(&["SET", "str:int", "12345"]));
    add(s(&["SET", "str:neg", "-70000"]));
    add(s(&["SET", "str:wide", "9223372036854775807"]));
    add(s(&["SET", "str:embstr", "hello"]));
    add(s(&["SET", "str:empty", ""]));
    add(vec!["SET".into(), "str:lzf".into(), "abcdefgh".repeat(40)]);
    add(vec!["SET".into(), "str:raw".into(), (0..300).map(|i| char::from(b'!' + (i * 37 % 90) as u8)).collect()]);
    add(s(&["SET", "str:ttl", "v", "PX", "100000000"]));
    add(s(&["APPEND", "str:appended", "77"]));
    add(s(&["RPUSH", "list:small", "a", "1", "-1", "b"]));
    let many = |prefix: &str, n: usize| (0..n).map(|i| format!("{prefix}{i}")).collect::<Vec<_>>();
    add([s(&["RPUSH", "list:big"]), many("element-", 3000)].concat());
    add(vec!["RPUSH".into(), "list:bigelem".into(), "x".repeat(20000), "small".into()]);
    add(s(&["SADD", "set:int16", "1", "2", "3", "-300"]));
    add(s(&["SADD", "set:int32", "70000", "-5"]));
    add(s(&["SADD", "set:int64", "5000000000", "1"]));
    // Redis's intset never narrows: after the wide member goes, records stay 8 bytes.
    add(s(&["SADD", "set:widened", "1", "2", "3", "5000000000"]));
    add(s(&["SREM", "set:widened", "5000000000"]));
    add(s(&["SADD", "set:strings", "a", "b", "c", "1"]));
    add([s(&["SADD", "set:big"]), (0..600).map(|i| (i * 7).to_string()).collect()].concat());
    add(s(&["HSET", "hash:small", "a", "1", "b", "2", "c", "three"]));
    add([s(&["HSET", "hash:big"]), many("f", 600).into_iter().flat_map(|f| [f.clone(), f]).collect()].concat());
    add(vec!["HSET".into(), "hash:longval".into(), "f".into(), "v".repeat(100)]);
    add(s(&["ZADD", "zset:small", "1", "a", "2.5", "b", "-inf", "c", "1e300", "d", "0.1", "e"]));
    add([s(&["ZADD", "zset:big"]), (0..200).flat_map(|i| [format!("{}", i as f64 / 3.0), format!("m{i}")]).collect()]
        .concat());
    add(vec!["ZADD".into(), "zset:longmember".into(), "1".into(), "m".repeat(100)]);
    cmds
}

/// The keys [`dataset`] creates.
fn dataset_keys() -> Vec<String> {
    let mut keys: Vec<String> = dataset().into_iter().map(|cmd| cmd[1].clone()).collect();
    keys.dedup();
    keys
}

/// Keys whose DUMP bytes legitimately differ from Redis's: elements in hash-table order.
const BYTES_DIFFER: &[&str] = &["set:strings", "set:big", "hash:big", "hash:longval"];

fn populate(conn: &mut Raw) {
    for cmd in dataset() {
        let args: Vec<&[u8]> = cmd.iter().map(|w| w.as_bytes()).collect();
        let reply = call(conn, &args);
        assert!(!reply.starts_with(b"-"), "{:?}: {}", cmd[..2].to_vec(), String::from_utf8_lossy(&reply));
    }
}

/// DUMPs every key on `from`, RESTOREs it on `to`, and compares the keys with commands.
fn copy_and_compare(from: &Server, to: &Server) {
    let (mut src, mut dst) = (from.raw(), to.raw());
    for key in dataset_keys() {
        let payload = bulk(&call(&mut src, &[b"DUMP", key.as_bytes()]));
        let reply = call(&mut dst, &[b"RESTORE", key.as_bytes(), b"0", &payload, b"REPLACE"]);
        assert_eq!(reply, b"+OK\r\n", "RESTORE {key}");
        assert_eq!(describe(&mut dst, &key), describe(&mut src, &key), "{key} after DUMP/RESTORE");
    }
}

/// Server arguments of each configuration the cross tests run under.
const CONFIGS: &[&[&str]] = &[
    &[],
    &["--list-compress-depth", "1", "--list-max-listpack-size", "4", "--rdbcompression", "no"],
    &["--hash-max-listpack-entries", "2", "--zset-max-listpack-entries", "2", "--set-max-intset-entries", "2"],
];

#[test]
fn redis_dumps_restore_in_rkv_and_back() {
    if !redis_tools() {
        return;
    }
    for args in CONFIGS {
        let (redis, rkv) = (Server::start_redis(args), Server::start(args));
        populate(&mut redis.raw());
        copy_and_compare(&redis, &rkv);
        // And back: rkv's payloads of what it restored load in a fresh redis-server.
        let redis2 = Server::start_redis(args);
        copy_and_compare(&rkv, &redis2);
    }
}

#[test]
fn dumps_match_redis_bytes_without_compression() {
    // With compression on the bytes differ wherever LZF applies (rkv's compressor is not
    // liblzf); without it every value not in hash-table order must be byte-identical: strings,
    // list nodes and their boundaries, intsets, listpacks, skiplists.
    if !redis_tools() {
        return;
    }
    let args = ["--rdbcompression", "no"];
    let (redis, rkv) = (Server::start_redis(&args), Server::start(&args));
    let (mut a, mut b) = (redis.raw(), rkv.raw());
    populate(&mut a);
    populate(&mut b);
    for key in dataset_keys().iter().filter(|k| !BYTES_DIFFER.contains(&k.as_str())) {
        let k = key.as_bytes();
        let (ours, theirs) = (call(&mut b, &[b"DUMP", k]), call(&mut a, &[b"DUMP", k]));
        let first_difference = ours.iter().zip(&theirs).position(|(x, y)| x != y);
        assert!(
            ours == theirs,
            "DUMP {key}: {} bytes (rkv) and {} bytes (redis), first difference at {first_difference:?}",
            ours.len(),
            theirs.len()
        );
    }
}

/// A DUMP payload of a short string whose bytes, checksum included, are valid UTF-8, so the
/// `&str` harnesses can send it.
fn text_payload() -> String {
    (0..)
        .map(|i| {
            rdb::dump(
                &rkv::keyspace::Value::String(rkv::keyspace::StringValue::from_bytes(format!("v{i}").as_bytes())),
                true,
            )
        })
        .find_map(|p| String::from_utf8(p).ok())
        .expect("some payload is UTF-8")
}

#[test]
fn restore_errors_match_redis() {
    let payload = text_payload();
    let mut truncated = payload.clone();
    truncated.pop();
    let newer = format!("{}\u{b}{}", &payload[..payload.len() - 10], &payload[payload.len() - 9..]);
    let short = "\u{0}\u{1}";
    crate::support::same_replies(&[
        &["SET", "k", "v"],
        &["RESTORE", "k", "0", &payload],
        &["RESTORE", "k", "0", &payload, "BOGUS"],
        &["RESTORE", "k", "0", &payload, "IDLETIME"],
        &["RESTORE", "new", "0", &payload, "IDLETIME", "-1"],
        &["RESTORE", "new", "0", &payload, "IDLETIME", "x"],
        &["RESTORE", "new", "0", &payload, "FREQ", "256"],
        &["RESTORE", "new", "0", &payload, "FREQ", "1", "IDLETIME", "1"],
        &["RESTORE", "new", "-1", &payload],
        &["RESTORE", "new", "x", &payload],
        &["RESTORE", "new", "0", &truncated],
        &["RESTORE", "new", "0", short],
        &["RESTORE", "new", "0", &newer],
        &["RESTORE", "new", "0", "not a payload at all"],
        &["RESTORE", "k", "0", &payload, "REPLACE"],
        &["GET", "k"],
        &["RESTORE", "n2", "0", &payload, "replace", "absttl", "idletime", "100"],
        &["DUMP", "missing"],
        &["DUMP", "k"],
        &["RESTORE", "gone", "1", &payload, "ABSTTL"],
        &["EXISTS", "gone"],
    ]);
}

#[test]
fn persistence_directives_behave_as_in_redis() {
    crate::support::same_replies(&[
        &["CONFIG", "GET", "sanitize-dump-payload"],
        &["CONFIG", "SET", "sanitize-dump-payload", "clients"],
        &["CONFIG", "GET", "sanitize-dump-payload"],
        &["CONFIG", "SET", "sanitize-dump-payload", "maybe"],
        &["CONFIG", "SET", "sanitize-dump-payload", "YES"],
        &["CONFIG", "GET", "sanitize-dump-payload"],
        &["CONFIG", "GET", "rdbcompression"],
        &["CONFIG", "SET", "rdbcompression", "no"],
        &[
            "SET",
            "long",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ],
        &["DUMP", "long"],
        &["CONFIG", "GET", "rdbchecksum"],
        &["CONFIG", "SET", "rdbchecksum", "no"],
    ]);
}

#[test]
fn restore_serves_clients_blocked_on_the_key() {
    let rkv = Server::start(&[]);
    let (mut waiter, mut writer) = (rkv.raw(), rkv.raw());
    call(&mut writer, &[b"RPUSH", b"src", b"a", b"b"]);
    let payload = bulk(&call(&mut writer, &[b"DUMP", b"src"]));
    waiter.cmd(&[b"BLPOP", b"l", b"10"]);
    while !String::from_utf8_lossy(&call(&mut writer, &[b"INFO", b"clients"])).contains("blocked_clients:1") {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(call(&mut writer, &[b"RESTORE", b"l", b"0", &payload]), b"+OK\r\n");
    assert_eq!(waiter.read_reply(), b"*2\r\n$1\r\nl\r\n$1\r\na\r\n");
    assert_eq!(call(&mut writer, &[b"LRANGE", b"l", b"0", b"-1"]), b"*1\r\n$1\r\nb\r\n");
}

#[test]
fn idletime_and_freq_set_the_access_clock() {
    let rkv = Server::start(&[]);
    let mut conn = rkv.raw();
    let payload = text_payload();
    conn.call(&["RESTORE", "k", "0", &payload, "IDLETIME", "1000"]);
    let idle = bulk_int(conn.call(&["OBJECT", "IDLETIME", "k"]).as_bytes());
    assert!((1000..1003).contains(&idle), "{idle}");
    conn.call(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"]);
    conn.call(&["RESTORE", "f", "0", &payload, "FREQ", "200"]);
    assert_eq!(conn.call(&["OBJECT", "FREQ", "f"]), ":200\r\n");
}

#[test]
fn corrupt_payloads_are_refused_and_the_server_keeps_serving() {
    if !redis_tools() {
        return;
    }
    let rkv = Server::start(&["--enable-debug-command", "yes"]);
    let mut conn = rkv.raw();
    populate(&mut conn);
    let mut rng = fastrand::Rng::with_seed(5);
    let mut refused = 0;
    for key in dataset_keys() {
        let payload = bulk(&call(&mut conn, &[b"DUMP", key.as_bytes()]));
        // With checksums on, any flipped byte or cut is "version or checksum".
        let mut flipped = payload.clone();
        let at = rng.usize(..flipped.len());
        flipped[at] ^= 1 << rng.u8(..8);
        let reply = call(&mut conn, &[b"RESTORE", b"victim", b"0", &flipped, b"REPLACE"]);
        assert_eq!(reply, b"-ERR DUMP payload version or checksum are wrong\r\n", "{key} flipped at {at}");
        let cut = &payload[..rng.usize(..payload.len())];
        let reply = call(&mut conn, &[b"RESTORE", b"victim", b"0", cut, b"REPLACE"]);
        assert_eq!(reply, b"-ERR DUMP payload version or checksum are wrong\r\n", "{key} cut");
        // Without checksums, corruption reaches the decoder: refused or loaded, never a crash.
        call(&mut conn, &[b"DEBUG", b"SET-SKIP-CHECKSUM-VALIDATION", b"1"]);
        for _ in 0..20 {
            let mut bad = payload.clone();
            let at = rng.usize(..bad.len() - 10);
            bad[at] = rng.u8(..);
            let reply = call(&mut conn, &[b"RESTORE", b"victim", b"0", &bad, b"REPLACE"]);
            assert!(
                reply == b"+OK\r\n" || reply == b"-ERR Bad data format\r\n",
                "{key}: {}",
                String::from_utf8_lossy(&reply)
            );
            refused += usize::from(reply != b"+OK\r\n");
        }
        call(&mut conn, &[b"DEBUG", b"SET-SKIP-CHECKSUM-VALIDATION", b"0"]);
    }
    assert!(refused > 0);
    assert_eq!(call(&mut conn, &[b"PING"]), b"+PONG\r\n");
    for key in dataset_keys() {
        assert!(!describe(&mut conn, &key).is_empty());
    }
}

#[test]
fn restore_events_propagation_and_changes_match_redis() {
    let payload = text_payload();
    let past = "1000";
    let commands: &[&[&str]] = &[
        &["RESTORE", "a", "0", &payload],
        &["RESTORE", "b", "100000", &payload],
        &["RESTORE", "c", "100000", &payload, "IDLETIME", "5"],
        &["RESTORE", "d", "99999999999999", &payload, "ABSTTL", "FREQ", "3"],
        &["RESTORE", "a", "0", &payload, "REPLACE"],
        &["RESTORE", "e", past, &payload, "ABSTTL"],
        &["RESTORE", "a", past, &payload, "ABSTTL", "REPLACE"],
        &["RESTORE", "b", "0", &payload],
        &["RESTORE", "f", "0", "garbage"],
    ];
    same_propagation(commands);
    same_notifications("KEA", commands);
    same_notifications("KEgn", commands);
    same_dirty_counts(commands);
}

/// Every key of `conn`'s dataset in a fresh in-process database, read back through DUMP and
/// with its expiry (what the server holds, as a SAVE would see it).
fn snapshot_of(conn: &mut Raw) -> Db {
    let mut db = Db::default();
    for key in dataset_keys() {
        let k = key.as_bytes();
        let payload = bulk(&call(conn, &[b"DUMP", k]));
        let value = rdb::restore(&payload, true, &EncodingLimits::redis_defaults()).expect("own payload");
        let ttl = String::from_utf8_lossy(&call(conn, &[b"PEXPIRETIME", k])).trim().trim_start_matches(':').to_owned();
        let expire = ttl.parse::<i64>().ok().filter(|&t| t > 0);
        db.put(k, value, expire);
    }
    db
}

#[test]
fn rkv_files_load_in_redis_and_pass_redis_check_rdb() {
    if !redis_tools() {
        return;
    }
    let rkv = Server::start(&[]);
    let mut conn = rkv.raw();
    populate(&mut conn);
    let dbs = vec![Db::default(), Db::default(), snapshot_of(&mut conn)];
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, compress, checksum) in [("plain.rdb", true, true), ("unchecked.rdb", false, false)] {
        let options = SaveOptions { compress, checksum, access: AccessStamps::None };
        let bytes = rdb::save(Vec::new(), &dbs, &[], &options, &Aux::snapshot(1 << 20)).expect("save");
        std::fs::write(dir.path().join(name), &bytes).expect("write rdb");
        let (code, out, err) = run_to_exit("redis-check-rdb", &[name], dir.path());
        assert_eq!(code, Some(0), "redis-check-rdb {name}: {out}{err}");
        assert!(out.contains("\\o/ RDB looks OK! \\o/"), "{out}");
        let redis = Server::start_redis(&["--dir", dir.path().to_str().expect("utf-8 dir"), "--dbfilename", name]);
        let mut theirs = redis.raw();
        call(&mut theirs, &[b"SELECT", b"2"]);
        for key in dataset_keys() {
            assert_eq!(describe(&mut theirs, &key), describe(&mut conn, &key), "{key} from {name}");
        }
        let ttl = bulk_int(&call(&mut theirs, &[b"PEXPIRETIME", b"str:ttl"]));
        assert_eq!(ttl, bulk_int(&call(&mut conn, &[b"PEXPIRETIME", b"str:ttl"])));
    }
}

/// An integer reply's value.
fn bulk_int(reply: &[u8]) -> i64 {
    String::from_utf8_lossy(reply).trim().trim_start_matches(':').parse().expect("integer reply")
}

#[test]
fn redis_files_load_in_rkv() {
    if !redis_tools() {
        return;
    }
    for args in CONFIGS {
        let redis = Server::start_redis(args);
        let mut theirs = redis.raw();
        call(&mut theirs, &[b"SELECT", b"3"]);
        populate(&mut theirs);
        let library = b"#!lua name=mylib\nredis.register_function('hello', function() return 'hi' end)";
        assert_eq!(call(&mut theirs, &[b"FUNCTION", b"LOAD", library]), b"$5\r\nmylib\r\n");
        assert_eq!(call(&mut theirs, &[b"SAVE"]), b"+OK\r\n");
        let file = std::fs::File::open(redis.path().join("dump.rdb")).expect("dump.rdb");
        let options = LoadOptions { databases: 16, verify_checksum: true, limits: EncodingLimits::redis_defaults() };
        let loaded = rdb::load(std::io::BufReader::new(file), &options).expect("load redis's file");
        assert_eq!(loaded.version, 10);
        assert!(loaded.aux.iter().any(|(k, v)| k == b"redis-ver" && v == b"7.0.15"));
        assert_eq!(loaded.functions, [library.to_vec()]);
        assert_eq!(loaded.dbs[3].len(), dataset_keys().len());
        // Each loaded value, dumped by rkv and restored into an rkv server, reads as in Redis.
        let rkv = Server::start(args);
        let mut ours = rkv.raw();
        for key in &loaded.dbs[3] {
            let payload = rdb::dump(&key.value, true);
            assert_eq!(call(&mut ours, &[b"RESTORE", &key.key, b"0", &payload]), b"+OK\r\n");
            let name = String::from_utf8_lossy(&key.key).into_owned();
            assert_eq!(describe(&mut ours, &name), describe(&mut theirs, &name), "{name} loaded from redis's file");
            let expected = bulk_int(&call(&mut theirs, &[b"PEXPIRETIME", &key.key]));
            assert_eq!(key.expire.unwrap_or(-1), expected, "{name}'s expiry");
        }
    }
}
