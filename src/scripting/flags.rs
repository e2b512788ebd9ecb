//! Script flags: declared by an EVAL script's `#!lua flags=...` shebang line, or by a function's
//! `flags` when registered. A script without a shebang runs in EVAL's compatibility mode.

/// A set of script flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScriptFlags(pub u8);

impl ScriptFlags {
    /// No shebang: Redis 6 semantics (may write, no OOM check at start, no declared flags).
    pub const EVAL_COMPAT: ScriptFlags = ScriptFlags(1 << 0);
    /// `no-writes`.
    pub const NO_WRITES: ScriptFlags = ScriptFlags(1 << 1);
    /// `allow-oom`.
    pub const ALLOW_OOM: ScriptFlags = ScriptFlags(1 << 2);
    /// `allow-stale`.
    pub const ALLOW_STALE: ScriptFlags = ScriptFlags(1 << 3);
    /// `no-cluster`.
    pub const NO_CLUSTER: ScriptFlags = ScriptFlags(1 << 4);
    /// `allow-cross-slot-keys`.
    pub const ALLOW_CROSS_SLOT: ScriptFlags = ScriptFlags(1 << 5);

    /// The declarable flags and their names, in Redis's order (FUNCTION LIST shows them so).
    pub const NAMES: &'static [(ScriptFlags, &'static str)] = &[
        (ScriptFlags::NO_WRITES, "no-writes"),
        (ScriptFlags::ALLOW_OOM, "allow-oom"),
        (ScriptFlags::ALLOW_STALE, "allow-stale"),
        (ScriptFlags::NO_CLUSTER, "no-cluster"),
        (ScriptFlags::ALLOW_CROSS_SLOT, "allow-cross-slot-keys"),
    ];

    /// Whether every flag of `other` is set.
    pub fn contains(self, other: ScriptFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// The flag named `name`.
    pub fn named(name: &[u8]) -> Option<ScriptFlags> {
        Self::NAMES.iter().find(|(_, n)| n.as_bytes() == name).map(|(f, _)| *f)
    }

    /// Adds `other`.
    pub fn insert(&mut self, other: ScriptFlags) {
        self.0 |= other.0;
    }
}

/// Reads an EVAL script's shebang (Redis's `evalExtractShebangFlags`): its flags, and how many
/// bytes the shebang line takes (the line feed stays in the body, so line numbers hold).
/// On error, the text after `ERR `.
pub fn parse_shebang(body: &[u8]) -> Result<(ScriptFlags, usize), String> {
    if !body.starts_with(b"#!") {
        return Ok((ScriptFlags::EVAL_COMPAT, 0));
    }
    let Some(len) = body.iter().position(|&b| b == b'\n') else {
        return Err("Invalid script shebang".to_owned());
    };
    let parts = match crate::protocol::split_args(&body[..len]) {
        Some(parts) if !parts.is_empty() => parts,
        _ => return Err("Invalid engine in script shebang".to_owned()),
    };
    if parts[0] != b"#!lua" {
        return Err(format!("Unexpected engine in script shebang: {}", String::from_utf8_lossy(&parts[0])));
    }
    let mut flags = ScriptFlags::default();
    for part in &parts[1..] {
        let Some(list) = part.strip_prefix(b"flags=") else {
            return Err(format!("Unknown lua shebang option: {}", String::from_utf8_lossy(part)));
        };
        if list.is_empty() {
            continue;
        }
        for name in list.split(|&b| b == b',') {
            match ScriptFlags::named(name) {
                Some(flag) => flags.insert(flag),
                None => {
                    return Err(format!("Unexpected flag in script shebang: {}", String::from_utf8_lossy(name)));
                }
            }
        }
    }
    Ok((flags, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebangs() {
        assert_eq!(parse_shebang(b"return 1"), Ok((ScriptFlags::EVAL_COMPAT, 0)));
        assert_eq!(parse_shebang(b"#!lua\nreturn 1"), Ok((ScriptFlags::default(), 5)));
        let (flags, len) = parse_shebang(b"#!lua flags=no-writes,allow-oom\nx").unwrap();
        assert!(flags.contains(ScriptFlags::NO_WRITES) && flags.contains(ScriptFlags::ALLOW_OOM));
        assert_eq!(len, 31);
        assert_eq!(parse_shebang(b"#!lua flags=\nx"), Ok((ScriptFlags::default(), 12)));
        assert_eq!(parse_shebang(b"#!lua"), Err("Invalid script shebang".to_owned()));
        assert_eq!(parse_shebang(b"#!py\n"), Err("Unexpected engine in script shebang: #!py".to_owned()));
        assert_eq!(parse_shebang(b"#!lua x=1\n"), Err("Unknown lua shebang option: x=1".to_owned()));
        assert_eq!(
            parse_shebang(b"#!lua flags=no-writes,bad\n"),
            Err("Unexpected flag in script shebang: bad".to_owned())
        );
    }
}
