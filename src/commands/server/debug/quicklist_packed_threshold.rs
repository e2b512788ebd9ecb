//! DEBUG QUICKLIST-PACKED-THRESHOLD <size>: from which size a list element gets a plain node of
//! its own (see `types::quicklist`).

use super::Sub;
use crate::config::value::parse_memory;
use crate::state::Ctx;
use crate::types::quicklist::set_packed_threshold;

/// DEBUG QUICKLIST-PACKED-THRESHOLD.
pub const SUB: Sub = Sub {
    name: "quicklist-packed-threshold",
    min_args: 3,
    max_args: 3,
    help: &[
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Sets the threshold for elements to be inserted as plain vs packed nodes",
        "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
    ],
    run,
};

/// Sizes are memory amounts (`1b`, `100mb`); 0 restores the 1 GiB default.
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if parse_size(argv[2]).is_some_and(set_packed_threshold) {
        ctx.out.ok();
    } else {
        ctx.out.error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
    }
}

/// A memory amount as Redis's `memtoull` reads it: like [`parse_memory`], except that a unit
/// without digits (or nothing at all) is zero bytes, strtoull's reading of no digits.
fn parse_size(arg: &[u8]) -> Option<u64> {
    if arg.first().is_some_and(u8::is_ascii_digit) { parse_memory(arg) } else { parse_memory(&[b"0", arg].concat()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_memtoull_does() {
        assert_eq!(parse_size(b"1b"), Some(1));
        assert_eq!(parse_size(b"100mb"), Some(100 << 20));
        assert_eq!(parse_size(b"4095MB"), Some(4095 << 20));
        assert_eq!(parse_size(b""), Some(0));
        assert_eq!(parse_size(b"b"), Some(0));
        for bad in [&b"-1"[..], b"1.5", b"abc", b" 10", b"10 "] {
            assert_eq!(parse_size(bad), None, "{}", bad.escape_ascii());
        }
    }
}
