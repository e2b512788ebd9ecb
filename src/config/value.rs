//! Directive values: parsing arguments into the canonical text CONFIG GET shows, with Redis's
//! error texts, and the notations shared with CONFIG REWRITE (memory units, quoting).
//!
//! Every value is kept as that canonical text, so CONFIG GET, CONFIG REWRITE and the default
//! comparison work the same way for every directive.

use super::directives::{Directive, Kind, MULTI_ARG, Special, Style};
use crate::types::number::parse_i64;

/// Parses a memory amount like Redis's `memtoull`: digits and an optional case-insensitive unit
/// (`b`, `k`=1000, `kb`=1024, `m`, `mb`, `g`, `gb`). Overflow wraps, as in Redis.
pub fn parse_memory(s: &[u8]) -> Option<u64> {
    let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let unit = s[digits..].to_ascii_lowercase();
    let mul: u64 = match unit.as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    if digits == 0 {
        return None;
    }
    let text = std::str::from_utf8(&s[..digits]).ok()?;
    // strtoull saturates on overflow; the multiplication then wraps like Redis's.
    let n = text.parse::<u64>().unwrap_or(u64::MAX);
    Some(n.wrapping_mul(mul))
}

/// Writes bytes with the largest exact unit (`1gb`, `512mb`, `4kb`) as CONFIG REWRITE does.
pub fn format_memory(bytes: i128) -> String {
    const KB: i128 = 1024;
    for (unit, size) in [("gb", KB * KB * KB), ("mb", KB * KB), ("kb", KB)] {
        if bytes != 0 && bytes % size == 0 {
            return format!("{}{unit}", bytes / size);
        }
    }
    bytes.to_string()
}

/// Quotes a string like Redis's `sdscatrepr`: always in double quotes, escaping `\`, `"`,
/// control characters and non-printable bytes.
pub fn repr(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            b if b.is_ascii_graphic() || b == b' ' => out.push(char::from(b)),
            b => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// The canonical text of a directive's default value.
pub fn default_value(d: &Directive) -> Vec<u8> {
    match d.kind {
        Kind::Bool { default } => yes_no(default).into(),
        Kind::Num { default, style, .. } => format_number(default, style).into_bytes(),
        Kind::Enum { default, .. } => default.into(),
        Kind::Str { default, .. } => default.into(),
        Kind::Special(special) => special_default(special),
    }
}

fn special_default(special: Special) -> Vec<u8> {
    let text: &str = match special {
        Special::Dir => {
            return std::env::current_dir().map(|p| p.into_os_string().into_encoded_bytes()).unwrap_or_default();
        }
        Special::Save => "3600 1 300 100 60 10000",
        Special::ClientOutputBufferLimit => "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
        Special::OomScoreAdjValues => "0 200 800",
        Special::NotifyKeyspaceEvents | Special::ReplicaOf => "",
        Special::Bind => "* -::*",
        Special::LatencyPercentiles => "50 99 99.9",
    };
    text.into()
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// A number in the notation CONFIG GET uses for its style.
pub fn format_number(v: i128, style: Style) -> String {
    match style {
        Style::MemoryOrPercent if v < 0 => format!("{}%", -v),
        Style::Octal => format!("{v:o}"),
        _ => v.to_string(),
    }
}

/// Parses the arguments of directive `d` (already split) into its canonical value. `current` is
/// the value being replaced (for directives that update part of it).
pub fn parse(d: &Directive, args: &[Vec<u8>], current: &[u8]) -> Result<Vec<u8>, String> {
    match d.kind {
        Kind::Bool { .. } => parse_bool(single(args)?).map(|b| yes_no(b).into()),
        Kind::Num { min, max, style, unsigned, .. } => {
            let v = parse_number(single(args)?, style)?;
            check_bounds(v, min, max, style, unsigned).map(|v| format_number(v, style).into_bytes())
        }
        Kind::Enum { values, .. } => parse_enum(values, args, d.flags & MULTI_ARG != 0),
        Kind::Str { check, .. } => {
            let v = single(args)?;
            check.map_or(Ok(()), |f| f(v)).map_err(str::to_owned)?;
            Ok(v.to_vec())
        }
        Kind::Special(special) => parse_special(special, args, current),
    }
}

fn single(args: &[Vec<u8>]) -> Result<&[u8], String> {
    match args {
        [one] => Ok(one),
        _ => Err("wrong number of arguments".into()),
    }
}

fn parse_bool(v: &[u8]) -> Result<bool, String> {
    if v.eq_ignore_ascii_case(b"yes") {
        Ok(true)
    } else if v.eq_ignore_ascii_case(b"no") {
        Ok(false)
    } else {
        Err("argument must be 'yes' or 'no'".into())
    }
}

/// Reads a number in Redis's order: memory notation, then percent, then octal, then plain.
fn parse_number(v: &[u8], style: Style) -> Result<i128, String> {
    let memory = matches!(style, Style::Memory | Style::MemoryOrPercent);
    if memory && v.first() != Some(&b'-') {
        if let Some(n) = parse_memory(v) {
            // Redis keeps the bytes in a long long: huge values wrap to negative.
            return Ok(i128::from(n as i64));
        }
    }
    if style == Style::MemoryOrPercent {
        if let Some(p) = v.strip_suffix(b"%").filter(|p| !p.is_empty()).and_then(parse_i64).filter(|p| *p >= 0) {
            return Ok(-i128::from(p));
        }
    }
    let parsed = match style {
        Style::Octal => std::str::from_utf8(v).ok().and_then(parse_octal),
        Style::Plain => parse_i64(v).map(i128::from),
        Style::Memory | Style::MemoryOrPercent => None,
    };
    parsed.ok_or_else(|| {
        match style {
            Style::MemoryOrPercent => "argument must be a memory or percent value",
            Style::Memory => "argument must be a memory value",
            Style::Octal => "argument couldn't be parsed as an octal number",
            Style::Plain => "argument couldn't be parsed into an integer",
        }
        .to_owned()
    })
}

/// strtoll(v, 8) with the whole string consumed: optional spaces and sign, octal digits.
fn parse_octal(v: &str) -> Option<i128> {
    let t = v.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = i64::from_str_radix(digits, 8).ok()?;
    Some(i128::from(if neg { -n } else { n }))
}

fn check_bounds(v: i128, min: i128, max: i128, style: Style, unsigned: bool) -> Result<i128, String> {
    if unsigned {
        // Redis compares the value read as unsigned long long.
        let u = i128::from(v as i64 as u64);
        if u < min || u > max {
            return Err(if style == Style::Octal {
                format!("argument must be between {min:o} and {max:o} inclusive")
            } else {
                format!("argument must be between {min} and {max} inclusive")
            });
        }
        return Ok(u);
    }
    if style == Style::MemoryOrPercent && v < 0 {
        if v < min {
            return Err(format!("percentage argument must be less or equal to {}", -min));
        }
        return Ok(v);
    }
    if v < min || v > max {
        return Err(format!("argument must be between {min} and {max} inclusive"));
    }
    Ok(v)
}

fn parse_enum(values: &[(&'static str, u32)], args: &[Vec<u8>], flags: bool) -> Result<Vec<u8>, String> {
    let find = |a: &[u8]| values.iter().find(|(name, _)| a.eq_ignore_ascii_case(name.as_bytes())).map(|&(_, v)| v);
    let bad = || {
        let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
        format!("argument(s) must be one of the following: {}", names.join(", "))
    };
    if !flags {
        let value = find(single(args)?).ok_or_else(bad)?;
        return Ok(enum_name(values, value).into());
    }
    // Redis's configEnumGetValue: a flags directive needs at least one flag.
    if args.is_empty() {
        return Err(bad());
    }
    let mut bits = 0;
    for a in args {
        bits |= find(a).ok_or_else(bad)?;
    }
    // The only bit-flag enums are shutdown-on-sig*: SAVE (1) and NOSAVE (2) exclude each other.
    if bits & 3 == 3 {
        return Err("shutdown options SAVE and NOSAVE can't be used simultaneously".into());
    }
    let names: Vec<&str> = values.iter().filter(|(_, v)| *v != 0 && bits & v == *v).map(|(n, _)| *n).collect();
    Ok(if names.is_empty() { enum_name(values, 0).into() } else { names.join(" ").into_bytes() })
}

fn enum_name(values: &[(&'static str, u32)], value: u32) -> &'static str {
    values.iter().find(|(_, v)| *v == value).map_or("", |(n, _)| n)
}

fn parse_special(special: Special, args: &[Vec<u8>], current: &[u8]) -> Result<Vec<u8>, String> {
    match special {
        Special::Dir => {
            let path = single(args)?;
            let path = std::path::Path::new(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(path));
            let abs = std::fs::canonicalize(path).map_err(|e| super::strerror(&e))?;
            if !abs.is_dir() {
                return Err("Not a directory".into());
            }
            Ok(abs.into_os_string().into_encoded_bytes())
        }
        Special::Save => parse_save(args),
        Special::ClientOutputBufferLimit => parse_output_limits(args, current),
        Special::OomScoreAdjValues => {
            if args.len() != 3 {
                return Err("wrong number of arguments".into());
            }
            let ok = args.iter().all(|a| strtoll_exact(a).is_some_and(|v| (-2000..=2000).contains(&v)));
            if !ok {
                return Err("Invalid oom-score-adj-values, elements must be between -2000 and 2000.".into());
            }
            Ok(join(args.iter().map(|a| strtoll_exact(a).unwrap_or(0).to_string())))
        }
        Special::NotifyKeyspaceEvents => parse_keyspace_events(single(args)?),
        Special::Bind => {
            if args.len() > 16 {
                return Err("Too many bind addresses specified.".into());
            }
            let args = if matches!(args, [one] if one.is_empty()) { &[][..] } else { args };
            Ok(args.join(&b' '))
        }
        Special::ReplicaOf => {
            let [host, port] = args else { return Err("wrong number of arguments".into()) };
            if host.eq_ignore_ascii_case(b"no") && port.eq_ignore_ascii_case(b"one") {
                return Ok(Vec::new());
            }
            match strtoll_exact(port) {
                Some(p) if (0..=65535).contains(&p) => Ok([host.as_slice(), b" ", p.to_string().as_bytes()].concat()),
                _ => Err("Invalid master port".into()),
            }
        }
        Special::LatencyPercentiles => {
            let args = if matches!(args, [one] if one.is_empty()) { &[][..] } else { args };
            let mut out = Vec::new();
            for a in args {
                let p = std::str::from_utf8(a)
                    .ok()
                    .and_then(|s| s.parse::<f64>().ok())
                    .filter(|p| p.is_finite() && !a.is_empty())
                    .ok_or("Invalid latency-tracking-info-percentiles parameters")?;
                if !(0.0..=100.0).contains(&p) {
                    return Err("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]".into());
                }
                out.push(p.to_string());
            }
            Ok(join(out.into_iter()))
        }
    }
}

fn join(parts: impl Iterator<Item = String>) -> Vec<u8> {
    parts.collect::<Vec<_>>().join(" ").into_bytes()
}

/// `strtoll(s, &end, 10)` that must consume the whole string (an empty string reads as 0).
fn strtoll_exact(s: &[u8]) -> Option<i64> {
    let t = std::str::from_utf8(s).ok()?.trim_start();
    if t.is_empty() {
        return Some(0);
    }
    t.strip_prefix('+').unwrap_or(t).parse::<i64>().ok()
}

fn parse_save(args: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    let args = if matches!(args, [one] if one.is_empty()) { &[][..] } else { args };
    let invalid = || "Invalid save parameters".to_owned();
    if args.len() % 2 == 1 {
        return Err(invalid());
    }
    let mut nums = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        let v = strtoll_exact(a).ok_or_else(invalid)?;
        if (i % 2 == 0 && v < 1) || v < 0 {
            return Err(invalid());
        }
        nums.push(v.to_string());
    }
    Ok(join(nums.into_iter()))
}

const CLIENT_CLASSES: [&str; 3] = ["normal", "slave", "pubsub"];

fn parse_output_limits(args: &[Vec<u8>], current: &[u8]) -> Result<Vec<u8>, String> {
    if args.len() % 4 != 0 {
        return Err("Wrong number of arguments in buffer limit configuration.".into());
    }
    let current = String::from_utf8_lossy(current);
    let mut limits: Vec<String> = current.split(' ').map(str::to_owned).collect();
    if limits.len() != 12 {
        limits = String::from_utf8_lossy(&special_default(Special::ClientOutputBufferLimit))
            .split(' ')
            .map(str::to_owned)
            .collect();
    }
    for group in args.chunks(4) {
        let class = match group[0].to_ascii_lowercase().as_slice() {
            b"normal" => 0,
            b"slave" | b"replica" => 1,
            b"pubsub" => 2,
            _ => return Err("Invalid client class specified in buffer limit configuration.".into()),
        };
        let bad = || "Error in hard, soft or soft_seconds setting in buffer limit configuration.".to_owned();
        let hard = parse_memory(&group[1]).ok_or_else(bad)?;
        let soft = parse_memory(&group[2]).ok_or_else(bad)?;
        let secs = strtoll_exact(&group[3]).filter(|s| *s >= 0).ok_or_else(bad)?;
        let at = class * 4;
        limits[at] = CLIENT_CLASSES[class].to_owned();
        limits[at + 1] = hard.to_string();
        limits[at + 2] = soft.to_string();
        limits[at + 3] = secs.to_string();
    }
    Ok(limits.join(" ").into_bytes())
}

fn parse_keyspace_events(v: &[u8]) -> Result<Vec<u8>, String> {
    super::NotifyFlags::parse(v)
        .map(super::NotifyFlags::canonical)
        .ok_or_else(|| "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::directives::{TABLE, lookup};

    fn set(name: &str, args: &[&str]) -> Result<String, String> {
        let d = &TABLE[lookup(name.as_bytes()).unwrap()];
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        parse(d, &args, &default_value(d)).map(|v| String::from_utf8(v).unwrap())
    }

    #[test]
    fn memory_units() {
        assert_eq!(parse_memory(b"1k"), Some(1000));
        assert_eq!(parse_memory(b"1KB"), Some(1024));
        assert_eq!(parse_memory(b"2m"), Some(2_000_000));
        assert_eq!(parse_memory(b"2Mb"), Some(2 * 1024 * 1024));
        assert_eq!(parse_memory(b"1g"), Some(1_000_000_000));
        assert_eq!(parse_memory(b"1gb"), Some(1 << 30));
        assert_eq!(parse_memory(b"10b"), Some(10));
        assert_eq!(parse_memory(b"7"), Some(7));
        assert_eq!(parse_memory(b"kb"), None);
        assert_eq!(parse_memory(b"1x"), None);
        assert_eq!(parse_memory(b"-1"), None);
        assert_eq!(format_memory(1 << 30), "1gb");
        assert_eq!(format_memory(3 * 1024 * 1024), "3mb");
        assert_eq!(format_memory(2048), "2kb");
        assert_eq!(format_memory(1000), "1000");
        assert_eq!(format_memory(0), "0");
    }

    #[test]
    fn numbers_and_their_errors() {
        assert_eq!(set("port", &["7000"]).unwrap(), "7000");
        assert_eq!(set("port", &["abc"]).unwrap_err(), "argument couldn't be parsed into an integer");
        assert_eq!(set("port", &["70000"]).unwrap_err(), "argument must be between 0 and 65535 inclusive");
        assert_eq!(set("hz", &["-1"]).unwrap_err(), "argument must be between 0 and 2147483647 inclusive");
        assert_eq!(set("maxclients", &["0"]).unwrap_err(), "argument must be between 1 and 4294967295 inclusive");
        assert_eq!(set("maxmemory", &["1x"]).unwrap_err(), "argument must be a memory value");
        assert_eq!(set("proto-max-bulk-len", &["2mb"]).unwrap(), "2097152");
        assert_eq!(set("unixsocketperm", &["700"]).unwrap(), "700");
        assert_eq!(set("unixsocketperm", &["999"]).unwrap_err(), "argument couldn't be parsed as an octal number");
        assert_eq!(set("unixsocketperm", &["1000"]).unwrap_err(), "argument must be between 0 and 777 inclusive");
        assert_eq!(set("maxmemory-clients", &["20%"]).unwrap(), "20%");
        assert_eq!(
            set("maxmemory-clients", &["200%"]).unwrap_err(),
            "percentage argument must be less or equal to 100"
        );
        assert_eq!(set("maxmemory-clients", &["-5"]).unwrap_err(), "argument must be a memory or percent value");
        assert_eq!(set("maxmemory-clients", &["1kb"]).unwrap(), "1024");
        assert_eq!(set("port", &["1", "2"]).unwrap_err(), "wrong number of arguments");
    }

    #[test]
    fn bools_enums_strings() {
        assert_eq!(set("daemonize", &["YES"]).unwrap(), "yes");
        assert_eq!(set("daemonize", &["maybe"]).unwrap_err(), "argument must be 'yes' or 'no'");
        assert_eq!(set("loglevel", &["WARNING"]).unwrap(), "warning");
        assert_eq!(
            set("loglevel", &["foo"]).unwrap_err(),
            "argument(s) must be one of the following: debug, verbose, notice, warning"
        );
        assert_eq!(set("oom-score-adj", &["relative"]).unwrap(), "yes");
        assert_eq!(set("shutdown-on-sigint", &["now", "save"]).unwrap(), "save now");
        assert_eq!(set("shutdown-on-sigint", &["default"]).unwrap(), "default");
        assert!(set("shutdown-on-sigint", &["save", "nosave"]).is_err());
        assert_eq!(
            set("shutdown-on-sigint", &[]).unwrap_err(),
            "argument(s) must be one of the following: default, save, nosave, now, force"
        );
        assert_eq!(set("dbfilename", &["a/b"]).unwrap_err(), "dbfilename can't be a path, just a filename");
        assert_eq!(set("logfile", &[""]).unwrap(), "");
    }

    #[test]
    fn specials() {
        assert_eq!(set("save", &[""]).unwrap(), "");
        assert_eq!(set("save", &["900", "1", "300", "10"]).unwrap(), "900 1 300 10");
        assert_eq!(set("save", &["900"]).unwrap_err(), "Invalid save parameters");
        assert_eq!(set("save", &["0", "1"]).unwrap_err(), "Invalid save parameters");
        assert_eq!(set("bind", &["127.0.0.1", "::1"]).unwrap(), "127.0.0.1 ::1");
        assert_eq!(set("notify-keyspace-events", &["KEA"]).unwrap(), "AKE");
        assert_eq!(set("notify-keyspace-events", &["Kgx"]).unwrap(), "gxK");
        assert!(set("notify-keyspace-events", &["Q"]).is_err());
        assert_eq!(
            set("client-output-buffer-limit", &["replica", "1mb", "0", "10"]).unwrap(),
            "normal 0 0 0 slave 1048576 0 10 pubsub 33554432 8388608 60"
        );
        assert_eq!(set("replicaof", &["no", "one"]).unwrap(), "");
        assert_eq!(set("replicaof", &["h", "70000"]).unwrap_err(), "Invalid master port");
        assert_eq!(set("latency-tracking-info-percentiles", &["50", "99.9"]).unwrap(), "50 99.9");
        assert_eq!(set("oom-score-adj-values", &["0", "1", "3000"]).unwrap_err().len(), 70);
    }

    #[test]
    fn quoting() {
        assert_eq!(repr(b"a b"), "\"a b\"");
        assert_eq!(repr(b""), "\"\"");
        assert_eq!(repr(b"q\"\\\n\x01"), "\"q\\\"\\\\\\n\\x01\"");
    }

    #[test]
    fn every_default_parses_back_to_itself() {
        for d in TABLE {
            let v = default_value(d);
            let args: Vec<Vec<u8>> = if d.has(MULTI_ARG) && !v.is_empty() {
                v.split(|&b| b == b' ').map(<[u8]>::to_vec).collect()
            } else {
                vec![v.clone()]
            };
            // `dir` depends on the process; an unset replicaof cannot be spelled as arguments.
            if matches!(d.kind, Kind::Special(Special::Dir | Special::ReplicaOf)) {
                continue;
            }
            assert_eq!(parse(d, &args, &v).as_deref(), Ok(v.as_slice()), "{}", d.name);
        }
    }
}
