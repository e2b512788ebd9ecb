//! Redis's glob matching (`stringmatchlen`), binary safe, shared by KEYS, SCAN MATCH, CONFIG GET,
//! PSUBSCRIBE and friends.
//!
//! Not the `glob` crate: that one matches paths (a `*` stops at `/`), works on UTF-8 text and
//! rejects malformed patterns, while Redis matches raw bytes, lets `*` cross every byte, and gives a
//! meaning to every pattern: a trailing `\` is a literal backslash, and an unclosed `[` class runs
//! to the end of the pattern.
//!
//! Syntax: `*` (any run of bytes), `?` (one byte), `[abc]`, `[^abc]`, `[a-z]` (a range, ends in
//! either order), `\x` (a literal `x`, also inside classes).

/// Whether `string` matches `pattern`, case-sensitively.
pub fn matches(pattern: &[u8], string: &[u8]) -> bool {
    matches_with(pattern, string, false)
}

/// Whether `string` matches `pattern`, ignoring ASCII case.
pub fn matches_nocase(pattern: &[u8], string: &[u8]) -> bool {
    matches_with(pattern, string, true)
}

/// Whether `pattern` contains a glob metacharacter Redis treats specially (`*`, `?`, `[`): a
/// pattern without one can be looked up exactly.
pub fn has_wildcards(pattern: &[u8]) -> bool {
    pattern.iter().any(|b| matches!(b, b'*' | b'?' | b'['))
}

fn matches_with(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    // Set once a `*` exhausted the string: an outer `*` trying a longer prefix cannot succeed
    // either, which keeps patterns like `a*a*a*a*b` linear instead of exponential.
    let mut give_up = false;
    match_impl(pattern, string, nocase, &mut give_up)
}

fn eq(a: u8, b: u8, nocase: bool) -> bool {
    if nocase { a.eq_ignore_ascii_case(&b) } else { a == b }
}

fn match_impl(mut p: &[u8], mut s: &[u8], nocase: bool, give_up: &mut bool) -> bool {
    while let (Some(&pc), Some(&sc)) = (p.first(), s.first()) {
        match pc {
            b'*' => {
                while p.len() > 1 && p[1] == b'*' {
                    p = &p[1..];
                }
                if p.len() == 1 {
                    return true;
                }
                while !s.is_empty() {
                    if match_impl(&p[1..], s, nocase, give_up) {
                        return true;
                    }
                    if *give_up {
                        return false;
                    }
                    s = &s[1..];
                }
                *give_up = true;
                return false;
            }
            b'?' => s = &s[1..],
            b'[' => {
                let (matched, rest) = match_class(&p[1..], sc, nocase);
                if !matched {
                    return false;
                }
                // `rest` starts at the closing `]` (or is empty for an unclosed class).
                p = rest;
                s = &s[1..];
            }
            b'\\' if p.len() >= 2 => {
                p = &p[1..];
                if !eq(p[0], sc, nocase) {
                    return false;
                }
                s = &s[1..];
            }
            _ => {
                if !eq(pc, sc, nocase) {
                    return false;
                }
                s = &s[1..];
            }
        }
        p = p.get(1..).unwrap_or_default();
        if s.is_empty() {
            while p.first() == Some(&b'*') {
                p = &p[1..];
            }
            break;
        }
    }
    p.is_empty() && s.is_empty()
}

/// Matches byte `c` against the class whose body starts at `p` (just after `[`). Returns whether
/// it matched and the pattern from the class's closing `]` on; an unclosed class consumes the
/// whole pattern except its last byte, which the caller then steps over.
fn match_class(mut p: &[u8], c: u8, nocase: bool) -> (bool, &[u8]) {
    let negate = p.first() == Some(&b'^');
    if negate {
        p = &p[1..];
    }
    let mut matched = false;
    loop {
        match p {
            [b'\\', escaped, ..] => {
                p = &p[1..];
                matched |= *escaped == c;
            }
            [b']', ..] => break,
            [] => {
                // Unclosed: stop here; the caller's step past the class ends the pattern.
                break;
            }
            [start, b'-', end, ..] => {
                let (mut lo, mut hi, mut c) = (*start, *end, c);
                if lo > hi {
                    std::mem::swap(&mut lo, &mut hi);
                }
                if nocase {
                    lo = lo.to_ascii_lowercase();
                    hi = hi.to_ascii_lowercase();
                    c = c.to_ascii_lowercase();
                }
                p = &p[2..];
                matched |= (lo..=hi).contains(&c);
            }
            [literal, ..] => matched |= eq(*literal, c, nocase),
        }
        p = &p[1..];
    }
    (matched != negate, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        matches(p.as_bytes(), s.as_bytes())
    }

    #[test]
    fn stars_and_questions() {
        assert!(!m("*", ""), "Redis never matches an empty string");
        assert!(m("*", "anything"));
        assert!(m("h*o", "hello"));
        assert!(m("h**o", "hello"));
        assert!(!m("h*o", "hellx"));
        assert!(m("h?llo", "hello"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("a*", "a"));
        assert!(m("a*b*", "ab"));
        assert!(!m("", "a"));
        assert!(m("", ""));
        assert!(m("*/*", "a/b"), "a star crosses slashes, unlike path globs");
    }

    #[test]
    fn classes() {
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(m("h[b-a]llo", "hallo"), "reversed ranges are accepted");
        assert!(m("[\\]]", "]"));
        assert!(m("[a\\-z]", "-"));
        assert!(!m("[a\\-z]", "b"));
        assert!(m("[-a]", "-"));
        assert!(!m("[a-]", "-"), "`a-]` is a range, leaving the class unclosed");
        assert!(m("[a-]", "_"));
    }

    #[test]
    fn escapes_and_malformed_patterns() {
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("a\\", "a\\"), "a trailing backslash is literal");
        assert!(!m("a\\", "a"));
        assert!(m("[abc", "a"), "an unclosed class runs to the end");
        assert!(m("[abc", "c"));
        assert!(!m("[abc", "ab"));
        assert!(!m("[", "a"));
        assert!(m("[^", "a"), "an empty negated class matches anything");
        assert!(!m("x[", "x"));
    }

    #[test]
    fn nocase_and_binary() {
        assert!(matches_nocase(b"MAX*", b"maxmemory"));
        assert!(matches_nocase(b"[A-C]x", b"bX"));
        assert!(!matches(b"MAX*", b"maxmemory"));
        assert!(matches(b"\xff*\x00", b"\xff\x01\x00"));
    }

    #[test]
    fn pathological_patterns_finish() {
        let s = vec![b'a'; 60];
        assert!(!matches(b"a*a*a*a*a*a*a*a*a*a*a*a*a*b", &s));
    }

    #[test]
    fn wildcard_detection() {
        assert!(has_wildcards(b"max*"));
        assert!(has_wildcards(b"a[b]"));
        assert!(!has_wildcards(b"maxmemory"));
    }
}
