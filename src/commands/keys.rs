//! Finding the key arguments of a command line from its key specs (COMMAND GETKEYS, and the
//! seam for ACL key checks and cluster routing). Indexes count from the command name (argv[0]).

use super::spec::{BeginSearch, CommandSpec, FindKeys, KeyFlags, KeySpec};
use crate::types::number::parse_i64;

/// A key argument: its index in argv and how the command accesses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRef {
    /// Index in argv (0 is the command name).
    pub pos: usize,
    /// Access flags from the key spec.
    pub flags: KeyFlags,
}

/// Whether the command can take keys at all: it has a key finder or a spec for real keys.
pub fn has_keys(spec: &CommandSpec) -> bool {
    spec.getkeys.is_some() || spec.keys.iter().any(|ks| !ks.flags.contains(KeyFlags::NOT_KEY))
}

/// The keys of `argv` (whose arity was already checked), in key-spec order. Empty when the
/// command has no keys here or the arguments do not fit its specs.
///
/// As in Redis, specs are preferred unless their flags vary with the arguments; then, or when a
/// spec cannot be applied, the command's own finder decides. A command with variable flags and no
/// finder still gets the specs' answer, which beats none.
pub fn command_keys(spec: &CommandSpec, argv: &[&[u8]]) -> Vec<KeyRef> {
    let real_keys = spec.keys.iter().any(|ks| !ks.flags.contains(KeyFlags::NOT_KEY));
    let variable = spec.keys.iter().any(|ks| ks.flags.contains(KeyFlags::VARIABLE_FLAGS));
    if real_keys && (!variable || spec.getkeys.is_none()) {
        if let Some(keys) = keys_from_specs(spec.keys, argv) {
            return keys;
        }
    }
    spec.getkeys.map(|find| find(argv)).unwrap_or_default()
}

/// Applies every key spec (skipping `not_key` ones); `None` if one cannot be applied or is
/// incomplete.
pub fn keys_from_specs(specs: &[KeySpec], argv: &[&[u8]]) -> Option<Vec<KeyRef>> {
    let mut keys = Vec::new();
    for ks in specs {
        if ks.flags.contains(KeyFlags::NOT_KEY) {
            continue;
        }
        let Some(first) = begin_index(ks.begin, argv)? else { continue };
        let (first, last, step) = key_bounds(ks.find, first, argv)?;
        let argc = argv.len();
        if last >= argc || last < first || first >= argc || step == 0 {
            return None;
        }
        keys.extend((first..=last).step_by(step).map(|pos| KeyRef { pos, flags: ks.flags }));
        if ks.flags.contains(KeyFlags::INCOMPLETE) {
            return None;
        }
    }
    Some(keys)
}

/// Where the keys of one spec start: `Some(None)` when its keyword is absent (the spec then
/// simply has no keys), `None` when the spec cannot be applied.
fn begin_index(begin: BeginSearch, argv: &[&[u8]]) -> Option<Option<usize>> {
    let argc = argv.len() as i64;
    match begin {
        BeginSearch::Index(pos) => Some(usize::try_from(pos).ok()),
        BeginSearch::Keyword { keyword, start_from } => {
            let start_from = i64::from(start_from);
            // Forward searches stop before the last argument, backward ones before argument 1:
            // a keyword there could not be followed by a key.
            let (start, end, forward) =
                if start_from > 0 { (start_from, argc - 1, true) } else { (argc + start_from, 1, false) };
            let mut i = start;
            while i != end && (1..argc).contains(&i) {
                let arg = argv.get(i as usize)?;
                if arg.eq_ignore_ascii_case(keyword.as_bytes()) {
                    return Some(Some(i as usize + 1));
                }
                i += if forward { 1 } else { -1 };
            }
            Some(None)
        }
        BeginSearch::Unknown => None,
    }
}

/// First key, last key and step of one spec whose keys start at `first`.
fn key_bounds(find: FindKeys, first: usize, argv: &[&[u8]]) -> Option<(usize, usize, usize)> {
    let argc = argv.len() as i64;
    let first_i = first as i64;
    let (first, last, step) = match find {
        FindKeys::Range { last_key, step, limit } => {
            let last_key = i64::from(last_key);
            let last = if last_key >= 0 {
                first_i + last_key
            } else if limit <= 0 {
                argc + last_key
            } else {
                // Only the first 1/limit of the remaining arguments are keys (e.g. XREAD STREAMS).
                first_i + (argc - first_i) / i64::from(limit) + last_key
            };
            (first_i, last, step)
        }
        FindKeys::Keynum { keynum_idx, first_key, step } => {
            let count_at = usize::try_from(first_i + i64::from(keynum_idx)).ok()?;
            let count = parse_i64(argv.get(count_at)?).filter(|n| *n >= 0)?;
            let first = first_i + i64::from(first_key);
            (first, first.checked_add(count)? - 1, step)
        }
        FindKeys::Unknown => return None,
    };
    Some((usize::try_from(first).ok()?, usize::try_from(last).ok()?, usize::try_from(step).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RW: KeyFlags = KeyFlags::RW;

    fn spec(begin: BeginSearch, find: FindKeys) -> KeySpec {
        KeySpec { flags: RW, begin, find, notes: None }
    }

    fn positions(specs: &[KeySpec], argv: &[&str]) -> Option<Vec<usize>> {
        let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_bytes()).collect();
        keys_from_specs(specs, &argv).map(|keys| keys.iter().map(|k| k.pos).collect())
    }

    #[test]
    fn ranges() {
        let all = [spec(BeginSearch::Index(1), FindKeys::Range { last_key: -1, step: 1, limit: 0 })];
        assert_eq!(positions(&all, &["del", "a", "b", "c"]), Some(vec![1, 2, 3]));
        let pairs = [spec(BeginSearch::Index(1), FindKeys::Range { last_key: -1, step: 2, limit: 0 })];
        assert_eq!(positions(&pairs, &["mset", "a", "1", "b", "2"]), Some(vec![1, 3]));
        let one = [spec(BeginSearch::Index(1), FindKeys::Range { last_key: 0, step: 1, limit: 0 })];
        assert_eq!(positions(&one, &["get"]), None);
    }

    #[test]
    fn keyword_with_limit() {
        let streams = [spec(
            BeginSearch::Keyword { keyword: "STREAMS", start_from: 1 },
            FindKeys::Range { last_key: -1, step: 1, limit: 2 },
        )];
        assert_eq!(positions(&streams, &["xread", "COUNT", "2", "streams", "a", "b", "0", "0"]), Some(vec![4, 5]));
        // A missing keyword means no keys from this spec.
        assert_eq!(positions(&streams, &["xread", "COUNT", "2"]), Some(vec![]));
    }

    #[test]
    fn keynum() {
        let eval = [spec(BeginSearch::Index(2), FindKeys::Keynum { keynum_idx: 0, first_key: 1, step: 1 })];
        assert_eq!(positions(&eval, &["eval", "s", "2", "a", "b", "x"]), Some(vec![3, 4]));
        assert_eq!(positions(&eval, &["eval", "s", "9", "a"]), None);
        assert_eq!(positions(&eval, &["eval", "s", "-1", "a"]), None);
        assert_eq!(positions(&eval, &["eval", "s", "x", "a"]), None);
        assert_eq!(positions(&eval, &["eval", "s"]), None);
    }

    #[test]
    fn not_keys_and_incomplete() {
        let mut channel = spec(BeginSearch::Index(1), FindKeys::Range { last_key: 0, step: 1, limit: 0 });
        channel.flags = KeyFlags::NOT_KEY;
        assert_eq!(positions(&[channel], &["publish", "c", "m"]), Some(vec![]));
        let mut partial = spec(BeginSearch::Index(1), FindKeys::Range { last_key: 0, step: 1, limit: 0 });
        partial.flags = KeyFlags::INCOMPLETE;
        assert_eq!(positions(&[partial], &["sort", "k"]), None);
        let unknown = [spec(BeginSearch::Unknown, FindKeys::Unknown)];
        assert_eq!(positions(&unknown, &["migrate", "k"]), None);
    }
}
