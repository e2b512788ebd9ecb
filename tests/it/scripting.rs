//! Lua scripting, compared reply by reply with the real redis-server: the patterns applications
//! depend on (rate limiter, lock release), conversions both ways, error texts with the script's
//! name and line, the sandbox, shebang flags and read-only scripts, and what is propagated.

use crate::support::effects::same_propagation;
use crate::support::{same_replies, same_replies_resp3};

/// The classic fixed-window rate limiter: INCR, EXPIRE on the first hit, refuse past the limit.
const RATE_LIMITER: &str = "local n = redis.call('INCR', KEYS[1]) \
     if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end \
     if n > tonumber(ARGV[2]) then return 0 end return n";

/// Redlock's release: delete the lock only while it still holds our token.
const LOCK_RELEASE: &str =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

#[test]
fn rate_limiter_and_lock_release_match_redis() {
    same_replies(&[
        &["EVAL", RATE_LIMITER, "1", "rl", "60", "2"],
        &["EVAL", RATE_LIMITER, "1", "rl", "60", "2"],
        &["EVAL", RATE_LIMITER, "1", "rl", "60", "2"],
        &["TTL", "rl"],
        &["SET", "lock", "token-1", "NX", "PX", "30000"],
        &["EVAL", LOCK_RELEASE, "1", "lock", "other"],
        &["EVAL", LOCK_RELEASE, "1", "lock", "token-1"],
        &["EXISTS", "lock"],
        &["SCRIPT", "LOAD", LOCK_RELEASE],
        &["EVALSHA", "e27e78b2d4e4c4c7a7d2c0a3f1f1b86c3d9f1f26", "1", "lock", "x"],
        &["SCRIPT", "EXISTS", "4a2267357833227dd98abdedb8cf24b15a986445", "ffffffffffffffffffffffffffffffffffffffff"],
        &["EVALSHA", "short", "0"],
    ]);
}

#[test]
fn conversions_match_redis() {
    same_replies(&[
        &["RPUSH", "l", "a", "b"],
        &["HSET", "h", "f", "v"],
        &["EVAL", "return {1, 2.9, -3.7, 'x', true, false, {ok='fine'}, nil, 'after nil'}", "0"],
        &["EVAL", "return redis.call('lrange', KEYS[1], 0, -1)", "1", "l"],
        &["EVAL", "return {redis.call('get', 'missing')}", "0"],
        &["EVAL", "return redis.call('get', 'missing') == false", "0"],
        &["EVAL", "return redis.call('hgetall', 'h')", "0"],
        &["EVAL", "return redis.status_reply('a\\r\\nb')", "0"],
        &["EVAL", "return redis.error_reply('MY custom')", "0"],
        &["EVAL", "return redis.error_reply('nocode')", "0"],
        &["EVAL", "return redis.error_reply(1, 2)", "0"],
        &["EVAL", "return {err='plain'}", "0"],
        &["EVAL", "return redis.call('ping')", "0"],
        &["EVAL", "return type(redis.call('ping'))", "0"],
        &["EVAL", "return redis.sha1hex('Pizza & Mandolino')", "0"],
        &["EVAL", "return tostring(math.random()) .. ' ' .. math.random(10) .. ' ' .. math.random(5, 9)", "0"],
        &["EVAL", "return redis.REDIS_VERSION", "0"],
        &["EVAL", "return {KEYS[1], KEYS[2], ARGV[1], #ARGV}", "2", "k1", "k2", "a1", "a2"],
    ]);
}

#[test]
fn resp3_conversions_match_redis() {
    same_replies_resp3(&[
        &["HSET", "h", "f", "v"],
        &["SADD", "s", "m"],
        &["EVAL", "redis.setresp(3) return redis.call('hgetall', 'h')", "0"],
        &["EVAL", "redis.setresp(3) return redis.call('smembers', 's')", "0"],
        &["EVAL", "redis.setresp(3) return {redis.call('get', 'nokey')}", "0"],
        &["EVAL", "return {true, false}", "0"],
        &["EVAL", "redis.setresp(3) return {true, false}", "0"],
        &["EVAL", "return {double=3.5}", "0"],
        &["EVAL", "return {big_number='123456789012345678901234567890'}", "0"],
        &["EVAL", "return {map={a=1}}", "0"],
        &["EVAL", "return {set={x=true}}", "0"],
        &["EVAL", "return {verbatim_string={format='txt', string='hello'}}", "0"],
        &["EVAL", "return nil", "0"],
    ]);
}

#[test]
fn error_texts_and_pcall_tables_match_redis() {
    same_replies(&[
        &["SET", "s", "text"],
        &["EVAL", "return redis.call('incr', 's')", "0"],
        &["EVAL", "return redis.pcall('incr', 's')", "0"],
        &["EVAL", "local e = redis.pcall('incr', 's') return e['err']", "0"],
        &["EVAL", "local ok, e = pcall(redis.call, 'incr', 's') return {tostring(ok), e}", "0"],
        &["EVAL", "\n\nerror('deep')", "0"],
        &["EVAL", "error({err='custom'})", "0"],
        &["EVAL", "return redis.call('nosuch')", "0"],
        &["EVAL", "return redis.call('get')", "0"],
        &["EVAL", "return redis.call()", "0"],
        &["EVAL", "return redis.call({})", "0"],
        &["EVAL", "return redis.call('eval', 'return 1', 0)", "0"],
        &["EVAL", "return redis.call('blpop', 'l', 0)", "0"],
        &["EVAL", "return redis.pcall('XRead', 'BLOCK', 0, 'STREAMS', 's', '$')", "0"],
        &["XGROUP", "CREATE", "st", "g", "$", "MKSTREAM"],
        &["EVAL", "return redis.pcall('xreadgroup', 'group', 'g', 'c', 'block', 0, 'streams', 'st', '>')", "0"],
        &["EVAL", "redis.setresp(4)", "0"],
        &["EVAL", "redis.set_repl(9)", "0"],
        &["EVAL", "redis.log(9, 'x')", "0"],
        &["EVAL", "return x(", "0"],
        &["EVAL", "return 1", "-1"],
        &["EVAL", "return 1", "2", "a"],
        &["EVAL", "return 1", "x"],
        &["INFO", "errorstats"],
    ]);
}

#[test]
fn redis_call_arguments_match_redis() {
    same_replies(&[
        // Thousands of arguments, near Lua 5.1's C stack limit.
        &[
            "EVAL",
            "local t = {} for i = 1, 7000 do t[i] = 'e' .. i end return redis.call('rpush', 'big', unpack(t))",
            "0",
        ],
        &["LRANGE", "big", "6998", "-1"],
        // Numbers are formatted as %.17g, not as Lua prints them.
        &["EVAL", "redis.call('set', 'n', 3.14159265358979) return redis.call('get', 'n')", "0"],
        &["EVAL", "return redis.call('set', 'n', 0.1, 'px', 100000.0)", "0"],
        &["GET", "n"],
        &["EVAL", "return redis.pcall('set', 'n', true)", "0"],
        &["EVAL", "return redis.pcall('set', 'n', nil)", "0"],
        // From a coroutine, whose Lua state is not the script's.
        &[
            "EVAL",
            "local co = coroutine.create(function() return redis.call('incr', 'c') end) \
            local ok, v = coroutine.resume(co) return {tostring(ok), v}",
            "0",
        ],
        &[
            "EVAL",
            "local co = coroutine.create(function() return redis.call('lpush', 'n', 1) end) \
            local ok, e = coroutine.resume(co) return {tostring(ok), e.err}",
            "0",
        ],
    ]);
}

#[test]
fn sandbox_matches_redis() {
    same_replies(&[
        &["EVAL", "return a", "0"],
        &["EVAL", "a = 10", "0"],
        &["EVAL", "redis = function() return 1 end", "0"],
        &["EVAL", "redis.call = function() return 1 end", "0"],
        &["EVAL", "setmetatable(_G, {})", "0"],
        &["EVAL", "local g = getmetatable(_G) g.__index = {}", "0"],
        &["EVAL", "_G = {}", "0"],
        &["EVAL", "string.len = nil", "0"],
        &["EVAL", "loadfile('x')", "0"],
        &["EVAL", "dofile('x')", "0"],
        &["EVAL", "print('x')", "0"],
        &["EVAL", "return os", "0"],
        &["EVAL", "return loadstring(string.dump(function() return 1 end))()", "0"],
        &["EVAL", "local f = loadstring('return 7') return f()", "0"],
        &["EVAL", "return pcall(function() return nosuch end)", "0"],
    ]);
}

#[test]
fn shebang_flags_and_read_only_scripts_match_redis() {
    same_replies(&[
        &["EVAL", "#!lua flags=no-writes\nreturn redis.call('set', 'a', 'b')", "0"],
        &["EVAL", "#!lua flags=no-writes\nreturn redis.call('get', 'a')", "0"],
        &["EVAL", "#!lua\nreturn redis.call('set', 'a', 'b')", "0"],
        &["EVAL_RO", "#!lua\nreturn 1", "0"],
        &["EVAL_RO", "return redis.call('set', 'a', 'b')", "0"],
        &["EVAL_RO", "return redis.call('get', 'a')", "0"],
        &["EVAL", "#!lua flags=bogus\nreturn 1", "0"],
        &["EVAL", "#!lua x=1\nreturn 1", "0"],
        &["EVAL", "#!python\nreturn 1", "0"],
        &["EVAL", "#!lua", "0"],
        &["EVAL", "#!lua\nerror('line two')", "0"],
    ]);
}

/// Over `maxmemory`, a script is refused before it runs by the flags it declares (a shebang or
/// a function without `allow-oom` or `no-writes` may grow memory), one without a shebang only
/// when it calls a command that may.
#[test]
fn scripts_over_maxmemory_are_refused_by_their_declared_flags_as_in_redis() {
    same_replies(&[
        &["SET", "k", "v"],
        &[
            "FUNCTION",
            "LOAD",
            "#!lua name=lib\nredis.register_function('w', function() return 1 end)\n\
             redis.register_function{function_name='r', callback=function() return 2 end, flags={'no-writes'}}",
        ],
        &["CONFIG", "SET", "maxmemory", "1"],
        &["EVAL", "#!lua\nreturn 1", "0"],
        &["EVAL", "#!lua flags=allow-oom\nreturn redis.call('set', 'k', 'w')", "0"],
        &["EVAL", "#!lua flags=no-writes\nreturn redis.call('get', 'k')", "0"],
        &["EVAL", "return redis.call('get', 'k')", "0"],
        &["EVAL", "return redis.call('set', 'k', 'x')", "0"],
        &["FCALL", "w", "0"],
        &["FCALL", "r", "0"],
        &["FCALL_RO", "r", "0"],
        &["CONFIG", "SET", "maxmemory", "0"],
    ]);
}

#[test]
fn script_cache_commands_match_redis() {
    same_replies(&[
        &["SCRIPT", "LOAD", "return 'cached'"],
        &["SCRIPT", "LOAD", "return ("],
        &["EVALSHA", "3d2d9a7a9eb0ba6fc9e2ba4a4a4a2d0c9a0a1b2c", "0"],
        &["SCRIPT", "FLUSH", "bad"],
        &["SCRIPT", "FLUSH"],
        &["SCRIPT", "KILL"],
        &["SCRIPT", "HELP"],
        &["SCRIPT", "NOSUCH"],
    ]);
}

#[test]
fn scripts_inside_multi_match_redis() {
    same_replies(&[
        &["MULTI"],
        &["EVAL", "return redis.call('incr', KEYS[1])", "1", "n"],
        &["EVAL", "return redis.call('incr', KEYS[1])", "1", "n"],
        &["EXEC"],
    ]);
}

#[test]
fn script_writes_propagate_as_the_commands_they_ran() {
    same_propagation(&[
        &["EVAL", "redis.call('set', KEYS[1], 'a') redis.call('incr', KEYS[2]) return 1", "2", "k", "n"],
        &["EVAL", "redis.call('set', KEYS[1], 'only') return 1", "1", "k"],
        &["EVAL", "return redis.call('get', KEYS[1])", "1", "k"],
        &["EVAL", "redis.call('set', 'x', 1) redis.set_repl(redis.REPL_NONE) redis.call('set', 'y', 2) return 1", "0"],
        &["EVAL", "redis.call('select', 2) redis.call('set', 'z', 1) redis.call('set', 'w', 1) return 1", "0"],
    ]);
}

#[test]
fn cjson_and_bit_match_redis() {
    same_replies(&[
        &["EVAL", "return cjson.encode({a={1, 2, 'x/y'}, b=true, c=cjson.null})", "0"],
        &["EVAL", "return cjson.encode({1, nil, 3})", "0"],
        &["EVAL", "return cjson.encode({[1]=1, [100]=2})", "0"],
        &["EVAL", "return cjson.encode({[true]=1})", "0"],
        &["EVAL", "return cjson.encode(0/0)", "0"],
        &["EVAL", "return cjson.encode('\\1\\127\"')", "0"],
        &["EVAL", "return cjson.decode('[1,')", "0"],
        &["EVAL", "return cjson.decode('{\"a\" 1}')", "0"],
        &["EVAL", "local ok, e = pcall(cjson.decode, '[1,') return e", "0"],
        &["EVAL", "local t = cjson.decode('{\"k\":[1,2,{\"x\":\"\\\\u00e9\"}]}') return {t.k[1], t.k[3].x}", "0"],
        &["EVAL", "return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')", "0"],
        &[
            "EVAL",
            "return {bit.band(7, 3), bit.bor(1, 2, 4), bit.bxor(5, 1), bit.lshift(1, 31), bit.tohex(255, -4)}",
            "0",
        ],
        &["EVAL", "return bit.band()", "0"],
    ]);
}

/// One busy-script scene, played against a server: a script runs forever on `runner` while
/// `other` sees `-BUSY` for ordinary commands and may kill it.
/// Returns every reply, in order.
fn busy_scene(server: &crate::support::Server) -> Vec<String> {
    use std::time::{Duration, Instant};
    let (mut runner, mut other) = (server.raw(), server.raw());
    let mut seen = vec![
        other.call(&["CONFIG", "SET", "lua-time-limit", "50"]),
        other.call(&["SCRIPT", "KILL"]),
        other.call(&["FUNCTION", "KILL"]),
        other.call(&[
            "FUNCTION",
            "LOAD",
            "#!lua name=lib\nredis.register_function('spin', function() while true do end end)",
        ]),
    ];
    let wait_busy = |other: &mut crate::support::Raw| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !other.call(&["PING"]).starts_with("-BUSY") {
            assert!(Instant::now() < deadline, "the script never became busy");
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    // A read-only EVAL: the wrong KILL, the refused commands, then SCRIPT KILL.
    runner.call(&["SET", "before", "1"]);
    runner.cmd(&[b"EVAL", b"local n = 0 while true do n = n + 1 end", b"0"]);
    wait_busy(&mut other);
    // The script's own client is protected: what it sends meanwhile waits for the script.
    runner.cmd(&[b"PING"]);
    for cmd in [&["GET", "before"][..], &["FUNCTION", "KILL"], &["FUNCTION", "STATS"], &["SHUTDOWN"], &["MULTI"]] {
        seen.push(other.call(cmd));
    }
    seen.extend([other.call(&["GET", "before"]), other.call(&["DISCARD"])]);
    // A connection opened meanwhile is served too.
    let mut late = server.raw();
    seen.extend([late.call(&["CLIENT", "SETNAME", "late"]), late.call(&["CLIENT", "GETNAME"])]);
    seen.push(other.call(&["SCRIPT", "KILL"]));
    seen.push(String::from_utf8_lossy(&runner.read_reply()).into_owned());
    seen.push(String::from_utf8_lossy(&runner.read_reply()).into_owned());
    seen.push(other.call(&["PING"]));
    // A function, killed the same way, with pcall unable to catch the kill.
    runner.cmd(&[b"FCALL", b"spin", b"0"]);
    wait_busy(&mut other);
    seen.extend([other.call(&["SCRIPT", "KILL"]), other.call(&["FUNCTION", "KILL"])]);
    seen.push(String::from_utf8_lossy(&runner.read_reply()).into_owned());
    runner.cmd(&[b"EVAL", b"while true do pcall(function() while true do end end) end", b"0"]);
    wait_busy(&mut other);
    seen.push(other.call(&["SCRIPT", "KILL"]));
    seen.push(String::from_utf8_lossy(&runner.read_reply()).into_owned());
    // A script that wrote cannot be killed; SHUTDOWN NOSAVE stops it and the server.
    runner.cmd(&[b"EVAL", b"redis.call('set', 'x', '1') while true do end", b"0"]);
    wait_busy(&mut other);
    seen.push(other.call(&["SCRIPT", "KILL"]));
    other.cmd(&[b"SHUTDOWN", b"NOSAVE"]);
    seen.push(String::from_utf8_lossy(&other.read_to_close()).into_owned());
    // By the time SHUTDOWN's connection ends, the port refuses new ones.
    seen.push(format!("refused: {}", crate::support::Raw::try_connect(server.port).is_none()));
    seen.push(String::from_utf8_lossy(&runner.read_to_close()).into_owned());
    seen
}

#[test]
fn busy_scripts_answer_busy_and_can_be_killed_as_in_redis() {
    busy_scene_matches_redis("1");
}

/// With I/O threads, the other clients' requests reach the busy script's hook as queued jobs.
#[test]
fn busy_scripts_with_io_threads_answer_busy_and_can_be_killed_as_in_redis() {
    busy_scene_matches_redis("4");
}

/// Plays [`busy_scene`] on rkv with `io_threads` and on redis-server; every reply must match.
fn busy_scene_matches_redis(io_threads: &str) {
    let mut ours = crate::support::Server::start(&["--io-threads", io_threads]);
    let mut redis = crate::support::Server::start_redis(&[]);
    let (got, want) = (busy_scene(&ours), busy_scene(&redis));
    assert_eq!(got, want);
    assert!(want.iter().any(|r| r.starts_with("-UNKILLABLE")), "{want:?}");
    assert!(ours.wait_exit(std::time::Duration::from_secs(10)).is_some(), "rkv still runs after SHUTDOWN NOSAVE");
    assert!(redis.wait_exit(std::time::Duration::from_secs(10)).is_some());
}

#[test]
fn sort_by_constant_in_scripts_is_ordered_as_in_redis() {
    same_replies(&[
        &["SADD", "myset", "p", "o", "f", "b", "i", "aa", "azz", "c"],
        &["EVAL", "return redis.call('sort', KEYS[1], 'by', '_')", "1", "myset"],
        &["EVAL", "return redis.call('sort', KEYS[1], 'by', '_', 'get', '#', 'get', '_:*')", "1", "myset"],
        &["RPUSH", "mylist", "c", "a", "b"],
        &["EVAL", "return redis.call('sort', KEYS[1], 'by', '_')", "1", "mylist"],
    ]);
}

/// `calls`, `rejected_calls` and `failed_calls` of every command in INFO commandstats, and the
/// errorstats lines (sorted: Redis lists commands in its dict's order), after `scripts` ran on
/// a fresh server.
fn script_call_stats(server: &crate::support::Server, scripts: &[&[&str]]) -> Vec<String> {
    let mut raw = server.raw();
    raw.call(&["CONFIG", "RESETSTAT"]);
    for script in scripts {
        raw.call(script);
    }
    let info = raw.call(&["INFO", "commandstats"]) + &raw.call(&["INFO", "errorstats"]);
    let lines = info
        .lines()
        .filter(|l| l.starts_with("cmdstat_") || l.starts_with("errorstat_"))
        .filter(|l| !l.starts_with("cmdstat_config") && !l.starts_with("cmdstat_info"))
        .map(|l| l.split(',').filter(|f| !f.starts_with("usec")).collect::<Vec<_>>().join(","));
    let mut lines: Vec<String> = lines.collect();
    lines.sort();
    lines
}

#[test]
fn failed_scripts_count_as_failed_calls_as_in_redis() {
    let scripts: &[&[&str]] = &[
        &["EVAL", "return redis.call('select', 99)", "0"],
        &["EVAL", "local t = redis.pcall('select', 99) return 1", "0"],
        &["EVAL", "return redis.pcall('select', 99)", "0"],
        &["EVAL", "return redis.error_reply('MY own')", "0"],
        &["EVAL", "return nosuchglobal", "0"],
    ];
    let ours = crate::support::Server::start(&[]);
    let redis = crate::support::Server::start_redis(&[]);
    assert_eq!(script_call_stats(&ours, scripts), script_call_stats(&redis, scripts));
}

#[test]
fn struct_matches_redis() {
    same_replies(&[
        &["EVAL", "return struct.pack('>hI3<i2Bxc3', -2, 66051, 5, 255, 'abcdef')", "0"],
        &["EVAL", "return struct.pack('!4bi!8bd', 1, 2, 3, 1.5)", "0"],
        &["EVAL", "return struct.pack('s c0 f', 'zero', 'whole', 0.25)", "0"],
        &["EVAL", "return {struct.unpack('>hI3s', struct.pack('>hI3s', -2, 66051, 'hi'))}", "0"],
        &["EVAL", "return {struct.unpack('Bc0', '\\3abcd')}", "0"],
        &["EVAL", "return {struct.unpack('<i8', struct.pack('<i8', -1))}", "0"],
        &["EVAL", "return {struct.unpack('b', 'xyz', 2)}", "0"],
        &["EVAL", "return {struct.size('!8bd'), struct.size('>i3 h'), struct.size('c10')}", "0"],
        &["EVAL", "return struct.pack('y', 1)", "0"],
        &["EVAL", "return struct.pack('i33', 1)", "0"],
        &["EVAL", "return struct.pack('!3')", "0"],
        &["EVAL", "return struct.pack('c5', 'ab')", "0"],
        &["EVAL", "return struct.pack('i')", "0"],
        &["EVAL", "return struct.unpack('i', 'ab')", "0"],
        &["EVAL", "return struct.unpack('s', 'ab')", "0"],
        &["EVAL", "return struct.unpack('c0', 'ab')", "0"],
        &["EVAL", "return struct.unpack('b', 'a', 0)", "0"],
        &["EVAL", "return struct.size('s')", "0"],
        &["EVAL", "local ok, e = pcall(struct.size, 'c0') return e", "0"],
        &["EVAL", "struct.pack = nil", "0"],
    ]);
}
