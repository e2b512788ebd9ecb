//! SORT and SORT_RO, compared byte for byte with redis-server 7.0.15 (sets are only sorted with
//! a total order, since their native order is hash order).

use crate::support::{Server, same_replies, same_replies_resp3};

/// Lists, sets, sorted sets, weights as strings and hash fields, and names for GET.
const FIXTURE: &[&[&str]] = &[
    &["RPUSH", "l", "3", "1", "2", "10", "-1.5"],
    &["RPUSH", "words", "pear", "apple", "fig", "Banana", "apple2"],
    &["SADD", "s", "5", "3", "9", "1"],
    &["SADD", "ws", "b", "a", "c"],
    &["ZADD", "z", "1", "c", "2", "a", "3", "b", "4", "d"],
    &["MSET", "w_3", "30", "w_1", "10", "w_2", "5", "w_10", "x", "n_1", "one", "n_2", "two", "n_3", "three"],
    &["HSET", "h_1", "age", "40", "name", "Ann"],
    &["HSET", "h_2", "age", "20", "name", "Bob"],
    &["HSET", "h_3", "age", "30"],
];

/// The fixture's commands followed by `commands`.
fn with_fixture<'a>(commands: &[&'a [&'a str]]) -> Vec<&'a [&'a str]> {
    FIXTURE.iter().copied().chain(commands.iter().copied()).collect()
}

#[test]
fn sorts_numbers_and_words_with_limit_and_order() {
    same_replies(&with_fixture(&[
        &["SORT", "l"],
        &["SORT", "l", "DESC"],
        &["SORT", "words"],
        &["SORT", "words", "ALPHA"],
        &["SORT", "words", "ALPHA", "DESC", "LIMIT", "1", "2"],
        &["SORT", "s"],
        &["SORT", "ws", "ALPHA"],
        &["SORT", "z"],
        &["SORT", "z", "ALPHA", "DESC"],
        &["SORT", "l", "LIMIT", "-5", "2"],
        &["SORT", "l", "LIMIT", "2", "-1"],
        &["SORT", "l", "LIMIT", "100", "1"],
        &["SORT", "l", "LIMIT", "1", "0"],
        &["SORT", "missing"],
        &["SORT_RO", "l", "DESC", "LIMIT", "0", "3"],
    ]));
}

#[test]
fn by_and_get_patterns_read_strings_and_hash_fields() {
    same_replies(&with_fixture(&[
        &["RPUSH", "ids", "3", "1", "2"],
        &["SORT", "ids", "BY", "w_*"],
        &["SORT", "ids", "BY", "w_*", "DESC", "GET", "#", "GET", "n_*"],
        &["SORT", "ids", "BY", "h_*->age", "GET", "h_*->name", "GET", "h_*->missing"],
        &["SORT", "ids", "BY", "nosort"],
        &["SORT", "ids", "BY", "nosort", "DESC", "LIMIT", "1", "5"],
        &["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "2"],
        &["SORT", "z", "BY", "nosort", "LIMIT", "1", "2"],
        &["SORT", "ids", "BY", "n_*", "ALPHA"],
        &["SORT", "ids", "BY", "n_*"],
        &["SORT", "ids", "GET", "n_*", "GET", "h_*"],
        &["SORT", "ids", "BY", "h_*->"],
        &["SORT", "l", "BY", "w_*"],
    ]));
}

#[test]
fn store_writes_a_list_and_empty_results_delete() {
    same_replies(&with_fixture(&[
        &["SET", "dst", "old"],
        &["EXPIRE", "dst", "100"],
        &["SORT", "words", "ALPHA", "STORE", "dst"],
        &["TYPE", "dst"],
        &["TTL", "dst"],
        &["LRANGE", "dst", "0", "-1"],
        &["SORT", "ws", "BY", "nosort", "STORE", "dst2"],
        &["LRANGE", "dst2", "0", "-1"],
        &["SORT", "l", "GET", "n_*", "STORE", "dst3"],
        &["LRANGE", "dst3", "0", "-1"],
        &["SORT", "missing", "STORE", "dst"],
        &["EXISTS", "dst"],
        &["INFO", "keyspace"],
    ]));
}

#[test]
fn errors_match_redis() {
    same_replies_resp3(&with_fixture(&[
        &["SORT", "words"],
        &["SORT", "l", "foo"],
        &["SORT", "l", "LIMIT", "1"],
        &["SORT", "l", "LIMIT", "a", "1"],
        &["SORT", "l", "BY"],
        &["SORT_RO", "l", "STORE", "x"],
        &["SORT", "w_1"],
        &["SORT", "h_1"],
        &["SORT", "l", "GET", "w_*"],
        &["SORT"],
    ]));
}

#[test]
fn sort_store_wakes_a_blocked_client() {
    let server = Server::start(&[]);
    let mut waiter = server.raw();
    waiter.cmd(&[b"BLPOP", b"dst", b"5"]);
    let mut other = server.raw();
    std::thread::sleep(std::time::Duration::from_millis(50));
    other.call(&["RPUSH", "src", "b", "a"]);
    assert_eq!(other.call(&["SORT", "src", "ALPHA", "STORE", "dst"]), ":2\r\n");
    assert_eq!(waiter.read_reply(), b"*2\r\n$3\r\ndst\r\n$1\r\na\r\n");
    assert_eq!(other.call(&["LRANGE", "dst", "0", "-1"]), "*1\r\n$1\r\nb\r\n");
}

#[test]
fn command_getkeys_finds_the_sorted_key_and_the_last_store() {
    same_replies(&[
        &["COMMAND", "GETKEYS", "SORT", "abc", "STORE", "def"],
        &["COMMAND", "GETKEYS", "SORT", "abc", "STORE", "a", "GET", "x", "STORE", "b", "LIMIT", "0", "1"],
        &["COMMAND", "GETKEYS", "SORT", "abc", "BY", "store", "GET", "store"],
        &["COMMAND", "GETKEYSANDFLAGS", "SORT", "abc", "STORE", "def"],
        &["COMMAND", "GETKEYS", "SORT_RO", "abc", "BY", "x"],
        &["COMMAND", "GETKEYSANDFLAGS", "SORT_RO", "abc"],
    ]);
}
