//! Keyspace notifications, compared with redis-server 7.0.15: the events each command family
//! fires, in order, on `__keyspace@<db>__:<key>` and `__keyevent@<db>__:<event>`.

use crate::support::effects::same_notifications;

#[test]
fn generic_and_string_events() {
    same_notifications(
        "KEA",
        &[
            &["SET", "k", "v"],
            &["SET", "k", "v", "EX", "100"],
            &["SET", "k", "v", "NX"],
            &["EXPIRE", "k", "50"],
            &["EXPIRE", "missing", "50"],
            &["EXPIRE", "k", "-1"],
            &["SET", "a", "1"],
            &["SET", "b", "2"],
            &["DEL", "a", "b", "c"],
        ],
    );
}

#[test]
fn classes_filter_events() {
    same_notifications("Kg", &[&["SET", "k", "v"], &["SET", "k", "v", "PX", "100000"], &["DEL", "k"]]);
    same_notifications("E$", &[&["SET", "k", "v"], &["DEL", "k"]]);
}

#[test]
fn lazy_expiry_fires_expired() {
    same_notifications(
        "KEA",
        &[&["SET", "k", "v", "PX", "5"], &["DEBUG", "SLEEP", "0.1"], &["GET", "k"], &["GET", "k"]],
    );
}
