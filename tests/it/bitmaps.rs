//! Bitmap commands (SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO), compared reply by
//! reply, notification by notification and in what they propagate with the real redis-server.

use crate::support::effects::{same_notifications, same_propagation};
use crate::support::{Server, have, same_dirty_counts, same_replies, same_replies_resp3};

#[test]
fn single_bits_and_their_errors_match_redis() {
    same_dirty_counts(&[
        &["SETBIT", "k", "7", "1"],
        &["SETBIT", "k", "7", "1"],
        &["SETBIT", "k", "100", "0"],
        &["GETBIT", "k", "7"],
        &["GETBIT", "k", "99999999"],
        &["GET", "k"],
        &["SETBIT", "k", "-1", "1"],
        &["SETBIT", "k", "4294967296", "1"],
        &["SETBIT", "k", "1", "2"],
        &["SETBIT", "k", "1", "x"],
        &["GETBIT", "k", "x"],
        &["SET", "n", "12345"],
        &["GETBIT", "n", "2"],
        &["SETBIT", "n", "2", "1"],
        &["GET", "n"],
        &["OBJECT", "ENCODING", "n"],
        &["RPUSH", "l", "a"],
        &["SETBIT", "l", "0", "1"],
        &["GETBIT", "l", "0"],
    ]);
}

#[test]
fn counts_and_positions_match_redis() {
    let mut commands: Vec<Vec<String>> = vec![
        vec!["SET".into(), "s".into(), "\u{0}\u{ff}\u{f0}ab\u{0}\u{0}\u{1}".into()],
        vec!["SET".into(), "e".into(), "".into()],
    ];
    let ends = ["0", "1", "2", "-1", "-2", "-3", "7", "13", "40", "-100", "x"];
    for key in ["s", "e", "nokey"] {
        commands.push(vec!["BITCOUNT".into(), key.into()]);
        for bit in ["0", "1"] {
            commands.push(vec!["BITPOS".into(), key.into(), bit.into()]);
        }
        for start in ends {
            for end in ends {
                for unit in [None, Some("BIT"), Some("byte")] {
                    let mut count = vec!["BITCOUNT".to_owned(), key.into(), start.into(), end.into()];
                    count.extend(unit.map(str::to_owned));
                    commands.push(count);
                    for bit in ["0", "1"] {
                        let mut pos = vec!["BITPOS".to_owned(), key.into(), bit.into(), start.into(), end.into()];
                        pos.extend(unit.map(str::to_owned));
                        commands.push(pos);
                    }
                }
            }
            commands.push(vec!["BITPOS".into(), key.into(), "0".into(), start.into()]);
            commands.push(vec!["BITPOS".into(), key.into(), "1".into(), start.into()]);
        }
    }
    for bad in
        [&["BITCOUNT", "s", "1"][..], &["BITCOUNT", "s", "0", "1", "FOO"], &["BITCOUNT", "s", "0", "1", "BIT", "x"]]
    {
        commands.push(bad.iter().map(|s| s.to_string()).collect());
    }
    for bad in [&["BITPOS", "s", "2"][..], &["BITPOS", "s", "x"], &["BITPOS", "s", "1", "0", "1", "BIT", "x"]] {
        commands.push(bad.iter().map(|s| s.to_string()).collect());
    }
    let refs: Vec<Vec<&str>> = commands.iter().map(|c| c.iter().map(String::as_str).collect()).collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    same_replies(&slices);
}

#[test]
fn bitop_matches_redis() {
    same_dirty_counts(&[
        &["SET", "a", "\u{1}\u{2}\u{ff}abcdefghijklmnopqrstuvwxyz0123456789"],
        &["SET", "b", "\u{ff}\u{f0}"],
        &["BITOP", "AND", "d", "a", "b"],
        &["GET", "d"],
        &["BITOP", "or", "d", "a", "b", "nokey"],
        &["GET", "d"],
        &["BITOP", "XOR", "d", "a", "b", "a"],
        &["GET", "d"],
        &["BITOP", "NOT", "d", "a"],
        &["GET", "d"],
        &["OBJECT", "ENCODING", "d"],
        &["BITOP", "NOT", "d", "a", "b"],
        &["BITOP", "NAND", "d", "a"],
        &["BITOP", "AND", "d", "nokey", "nokey2"],
        &["EXISTS", "d"],
        &["BITOP", "AND", "d", "nokey"],
        &["RPUSH", "l", "x"],
        &["BITOP", "OR", "d", "a", "l"],
        &["SET", "d", "x", "EX", "100"],
        &["BITOP", "OR", "d", "a"],
        &["TTL", "d"],
    ]);
}

#[test]
fn bitfield_matches_redis() {
    same_dirty_counts(&[
        &["BITFIELD", "f", "SET", "i8", "0", "100", "GET", "i8", "0", "INCRBY", "i8", "0", "100"],
        &[
            "BITFIELD", "f", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "100", "OVERFLOW", "FAIL", "INCRBY", "i8", "0",
            "100",
        ],
        &[
            "BITFIELD", "f", "SET", "u8", "#1", "255", "INCRBY", "u8", "#1", "10", "OVERFLOW", "sat", "INCRBY", "u8",
            "#1", "-300",
        ],
        &["BITFIELD", "f", "SET", "u8", "8", "-1", "OVERFLOW", "SAT", "SET", "u8", "8", "-1", "SET", "u8", "8", "256"],
        &["BITFIELD", "f", "GET", "i64", "0", "GET", "u63", "3", "SET", "i64", "0", "-1", "INCRBY", "i64", "0", "1"],
        &["BITFIELD", "f", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1"],
        &[
            "BITFIELD",
            "f",
            "OVERFLOW",
            "SAT",
            "INCRBY",
            "i64",
            "0",
            "9223372036854775807",
            "INCRBY",
            "i64",
            "0",
            "-9223372036854775808",
        ],
        &["BITFIELD", "f", "SET", "u1", "3", "1", "GET", "u1", "3", "SET", "i1", "4", "1", "GET", "i1", "4"],
        &["BITFIELD", "f", "SET", "u8", "0", "0", "SET", "u8", "0", "0"],
        &["GET", "f"],
        &["BITFIELD", "f", "GET", "u64", "0"],
        &["BITFIELD", "f", "GET", "i65", "0"],
        &["BITFIELD", "f", "GET", "i8", "-1"],
        &["BITFIELD", "f", "GET", "i8", "#-1"],
        &["BITFIELD", "f", "OVERFLOW", "FOO", "GET", "i8", "0"],
        &["BITFIELD", "f", "GET", "i8"],
        &["BITFIELD", "f", "FOO"],
        &["BITFIELD", "f", "SET", "i8", "0", "x"],
        &["BITFIELD", "f"],
        &["BITFIELD", "nokey", "GET", "i8", "0"],
        &["EXISTS", "nokey"],
        &["BITFIELD_RO", "f", "GET", "i8", "0", "GET", "u4", "#2"],
        &["BITFIELD_RO", "f", "SET", "i8", "0", "1"],
        &["BITFIELD_RO", "nokey", "GET", "i8", "0"],
        &["RPUSH", "l", "a"],
        &["BITFIELD", "l", "GET", "i8", "0"],
        &["BITFIELD", "l", "SET", "i8", "0", "1"],
        &["SET", "n", "12345"],
        &["BITFIELD", "n", "GET", "i8", "0", "GET", "u16", "8"],
        &["BITFIELD", "big", "SET", "u8", "#536870912", "1"],
        &["BITFIELD", "big", "SET", "u8", "4294967289", "1"],
        &["EXISTS", "big"],
    ]);
    same_replies_resp3(&[&["BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5", "GET", "u2", "0"]]);
}

#[test]
fn bit_offsets_follow_proto_max_bulk_len() {
    if !have("redis-server") {
        return;
    }
    for server in
        [Server::start(&["--proto-max-bulk-len", "1mb"]), Server::start_redis(&["--proto-max-bulk-len", "1mb"])]
    {
        let mut c = server.raw();
        assert_eq!(c.call(&["SETBIT", "k", "8388607", "1"]), ":0\r\n");
        assert_eq!(c.call(&["SETBIT", "k", "8388608", "1"]), "-ERR bit offset is not an integer or out of range\r\n");
        assert_eq!(c.call(&["STRLEN", "k"]), ":1048576\r\n");
    }
}

#[test]
fn notifications_match_redis() {
    same_notifications(
        "KEA",
        &[
            &["SETBIT", "k", "3", "1"],
            &["SETBIT", "k", "3", "1"],
            &["BITFIELD", "k", "SET", "u4", "0", "1", "SET", "u4", "4", "0"],
            &["BITFIELD", "k", "GET", "u4", "0"],
            &["BITOP", "NOT", "d", "k"],
            &["BITOP", "AND", "d", "nokey"],
        ],
    );
}

#[test]
fn propagation_matches_redis() {
    same_propagation(&[
        &["SETBIT", "k", "3", "1"],
        &["SETBIT", "k", "3", "1"],
        &["BITFIELD", "k", "INCRBY", "u4", "0", "1", "GET", "u4", "0"],
        &["BITFIELD", "k", "GET", "u4", "0"],
        &["BITOP", "OR", "d", "k"],
    ]);
}

/// Random SETBIT/BITFIELD writes and BITCOUNT/BITPOS/BITFIELD reads over a few keys, seeded.
#[test]
fn random_bit_operations_match_redis() {
    let mut rng = fastrand::Rng::with_seed(11);
    let mut commands: Vec<Vec<String>> = Vec::new();
    let types = ["i1", "u1", "i5", "u7", "i8", "u8", "i13", "u31", "i33", "u63", "i64"];
    for _ in 0..600 {
        let key = ["a", "b"][rng.usize(..2)].to_owned();
        let cmd: Vec<String> = match rng.u32(..6) {
            0 => vec!["SETBIT".into(), key, rng.u32(..300).to_string(), rng.u32(..2).to_string()],
            1 => vec!["BITCOUNT".into(), key, rng.i32(-40..40).to_string(), rng.i32(-40..40).to_string(), "BIT".into()],
            2 => {
                let (s, e) = (rng.i32(-300..300).to_string(), rng.i32(-300..300).to_string());
                vec!["BITPOS".into(), key, rng.u32(..2).to_string(), s, e, ["BIT", "BYTE"][rng.usize(..2)].into()]
            }
            3 => vec!["BITOP".into(), ["AND", "OR", "XOR"][rng.usize(..3)].into(), "c".into(), "a".into(), "b".into()],
            _ => {
                let ty = types[rng.usize(..types.len())];
                let mut c =
                    vec!["BITFIELD".into(), key, "OVERFLOW".into(), ["WRAP", "SAT", "FAIL"][rng.usize(..3)].into()];
                let op = ["GET", "SET", "INCRBY"][rng.usize(..3)];
                c.extend([op.to_owned(), ty.to_owned(), rng.u32(..200).to_string()]);
                if op != "GET" {
                    c.push(rng.i64(..).wrapping_shr(rng.u32(..64)).to_string());
                }
                c
            }
        };
        commands.push(cmd);
    }
    commands.push(vec!["GET".into(), "a".into()]);
    commands.push(vec!["GET".into(), "c".into()]);
    let refs: Vec<Vec<&str>> = commands.iter().map(|c| c.iter().map(String::as_str).collect()).collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    same_replies(&slices);
}
