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

/// A client argument as Redis's `%s` prints it into an error: up to its first NUL byte.
/// Arguments are echoed as raw bytes (see [`format_error`]), never as lossy UTF-8.
pub fn c_str(arg: &[u8]) -> &[u8] {
    arg.iter().position(|&b| b == 0).map_or(arg, |nul| &arg[..nul])
}

/// An error text built the way Redis's `addReplyErrorFormat` builds one: the `parts`
/// concatenated (client arguments among them passed through [`c_str`]), then CR and LF trimmed
/// from both ends. The reply encoder (`Reply::error_bytes`) turns the ones left inside into
/// spaces.
pub fn format_error(parts: &[&[u8]]) -> Vec<u8> {
    let text = parts.concat();
    let keep = |b: &u8| *b != b'\r' && *b != b'\n';
    let start = text.iter().position(keep).unwrap_or(text.len());
    let end = text.iter().rposition(keep).map_or(start, |i| i + 1);
    text[start..end].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_cut_at_nul_and_ends_trimmed() {
        assert_eq!(c_str(b"a\0b"), b"a");
        assert_eq!(c_str(b"\xff("), b"\xff(");
        assert_eq!(format_error(&[b"ERR Unsupported option ", c_str(b"a\nb\r\n")]), b"ERR Unsupported option a\nb");
        assert_eq!(format_error(&[b"\r\n", b"\r"]), b"");
    }
}
