//! Error replies shared by many commands, with Redis's exact texts (clients match on them).

/// Bad option combination or unknown option.
pub const SYNTAX: &str = "ERR syntax error";
/// A key holds a value of another type.
pub const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
/// An argument is not a 64-bit integer.
pub const NOT_INTEGER: &str = "ERR value is not an integer or out of range";
/// An argument is not a finite float.
pub const NOT_FLOAT: &str = "ERR value is not a valid float";
/// INCR-family overflow.
pub const OVERFLOW: &str = "ERR increment or decrement would overflow";

/// Marker for "the error reply was already written": a helper that fails returns it so the
/// handler just stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replied;

/// `invalid expire time in '<command>' command`.
pub fn invalid_expire_time(command: &str) -> String {
    format!("ERR invalid expire time in '{command}' command")
}
