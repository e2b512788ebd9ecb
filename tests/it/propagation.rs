//! The propagation stream (what the AOF and replicas will receive), compared with what
//! redis-server 7.0.15 writes to its AOF for the same commands: rewritten forms (relative
//! expiries as absolute times), SELECT on database changes, MULTI/EXEC around transactions.

use crate::support::effects::same_propagation;

#[test]
fn writes_and_rewritten_expiries() {
    same_propagation(&[
        &["SET", "k", "v"],
        &["GET", "k"],
        &["SET", "k", "v", "EX", "100"],
        &["SET", "k", "v", "PXAT", "99999999999999", "GET"],
        &["EXPIRE", "k", "100", "GT"],
        &["EXPIRE", "missing", "100"],
        &["PEXPIREAT", "k", "99999999999999"],
        &["EXPIRE", "k", "-5"],
        &["DEL", "k", "missing"],
    ]);
}

#[test]
fn databases_and_transactions() {
    same_propagation(&[
        &["SET", "a", "1"],
        &["SELECT", "3"],
        &["SET", "b", "2"],
        &["MULTI"],
        &["SET", "c", "3"],
        &["GET", "c"],
        &["DEL", "c"],
        &["EXEC"],
        &["MULTI"],
        &["SET", "d", "4"],
        &["EXEC"],
        &["MULTI"],
        &["GET", "d"],
        &["EXEC"],
        &["SELECT", "0"],
        &["DEL", "a"],
    ]);
}

#[test]
fn set_drops_get_and_resolves_expiries() {
    same_propagation(&[
        &["SET", "k", "v", "GET"],
        &["SET", "k", "v2", "GET", "XX", "get"],
        &["SET", "k", "v3", "EXAT", "99999999999", "GET"],
        &["SET", "k", "v4", "KEEPTTL"],
        &["SET", "k", "v5", "NX"],
    ]);
}
