//! XADD's and XTRIM's shared options (Redis's `streamParseAddOrTrimArgsOrReply`): `MAXLEN|MINID
//! [=|~] threshold`, `LIMIT count`, and for XADD `NOMKSTREAM` and the ID that ends the options.
//! Also the rewrite of an approximate trim into the exact form a replica or the AOF replays.

use super::common::{parse_id, parse_id_star};
use crate::commands::errors::{NOT_INTEGER, Replied, SYNTAX};
use crate::protocol::Reply;
use crate::types::number::parse_i64;
use crate::types::stream::{ParsedId, Stream, Trim};

/// Parsed XADD/XTRIM options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrimArgs {
    /// The trimming strategy and threshold, if any.
    pub trim: Option<Trim>,
    /// `~`: trim only whole nodes.
    pub approx: bool,
    /// Most entries to remove (0: no limit).
    pub limit: u64,
    /// Index of the threshold argument (rewritten for propagation).
    pub threshold_index: usize,
    /// XADD's `NOMKSTREAM`.
    pub no_mkstream: bool,
    /// XADD's ID (`None` for `*`).
    pub id: Option<ParsedId>,
    /// Index of XADD's ID argument.
    pub id_index: usize,
}

fn error(out: &mut Reply, msg: &str) -> Replied {
    out.error(msg);
    Replied
}

const BOTH_STRATEGIES: &str = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";

/// Parses the options from argument 2 on; for XADD (`xadd`) stops at the ID. `node_max_entries`
/// sets the default LIMIT of an approximate trim.
pub fn parse(out: &mut Reply, argv: &[&[u8]], xadd: bool, node_max_entries: i64) -> Result<TrimArgs, Replied> {
    let mut args = TrimArgs::default();
    let mut limit_given = None;
    let mut i = 2;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        let opt = argv[i];
        let strategy = if opt.eq_ignore_ascii_case(b"maxlen") {
            Some(true)
        } else if opt.eq_ignore_ascii_case(b"minid") {
            Some(false)
        } else {
            None
        };
        if xadd && opt == b"*" {
            break;
        } else if let (Some(maxlen), true) = (strategy, more > 0) {
            if args.trim.is_some() {
                return Err(error(out, BOTH_STRATEGIES));
            }
            args.approx = false;
            if more >= 2 && (argv[i + 1] == b"~" || argv[i + 1] == b"=") {
                args.approx = argv[i + 1] == b"~";
                i += 1;
            }
            let value = argv[i + 1];
            args.trim = Some(if maxlen {
                let n = parse_i64(value).ok_or_else(|| error(out, NOT_INTEGER))?;
                let n = u64::try_from(n).map_err(|_| error(out, "ERR The MAXLEN argument must be >= 0."))?;
                Trim::MaxLen(n)
            } else {
                Trim::MinId(parse_id(out, value, 0, true)?)
            });
            i += 1;
            args.threshold_index = i;
        } else if opt.eq_ignore_ascii_case(b"limit") && more > 0 {
            let n = parse_i64(argv[i + 1]).ok_or_else(|| error(out, NOT_INTEGER))?;
            let n = u64::try_from(n).map_err(|_| error(out, "ERR The LIMIT argument must be >= 0."))?;
            limit_given = Some(n);
            args.limit = n;
            i += 1;
        } else if xadd && opt.eq_ignore_ascii_case(b"nomkstream") {
            args.no_mkstream = true;
        } else if xadd {
            args.id = Some(parse_id_star(out, opt, 0, true, true)?);
            break;
        } else {
            return Err(error(out, SYNTAX));
        }
        i += 1;
    }
    args.id_index = i;
    if args.limit != 0 && args.trim.is_none() {
        return Err(error(out, "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"));
    }
    if !xadd && args.trim.is_none() {
        return Err(error(out, "ERR syntax error, XTRIM must be called with a trimming strategy"));
    }
    match limit_given {
        // Replayed from the AOF, the threshold was made exact when propagated (`=` with LIMIT
        // is what Redis writes): no limit applies.
        _ if crate::keyspace::is_loading() => args.limit = 0,
        Some(_) if !args.approx => {
            return Err(error(out, "ERR syntax error, LIMIT cannot be used without the special ~ option"));
        }
        Some(_) => {}
        // At most 100 nodes' worth of entries, capped on both sides as Redis does.
        None if args.approx => {
            let limit = node_max_entries.saturating_mul(100);
            args.limit = if limit <= 0 { 10_000 } else { limit.min(1_000_000) as u64 };
        }
        None => args.limit = 0,
    }
    Ok(args)
}

/// The arguments as a replica must replay them after an approximate trim: `~` becomes `=` and
/// the threshold what the trim actually left (the length, or the first entry's ID).
pub fn exact_form(argv: &[&[u8]], args: &TrimArgs, stream: &Stream) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = argv.iter().map(|a| a.to_vec()).collect();
    if args.approx {
        out[args.threshold_index - 1] = b"=".to_vec();
        out[args.threshold_index] = match args.trim {
            Some(Trim::MaxLen(_)) => stream.len().to_string().into_bytes(),
            _ => stream.edge_id(false).unwrap_or_default().to_bytes(),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::stream::StreamId;

    fn parse_ok(args: &[&str], xadd: bool) -> Result<TrimArgs, String> {
        let argv: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        let mut out = Reply::new(false);
        parse(&mut out, &argv, xadd, 100).map_err(|_| String::from_utf8_lossy(out.as_bytes()).into_owned())
    }

    #[test]
    fn parses_options_like_redis() {
        let a = parse_ok(&["XADD", "s", "MAXLEN", "~", "10", "*", "f", "v"], true).unwrap();
        assert_eq!(
            (a.trim, a.approx, a.limit, a.threshold_index, a.id_index),
            (Some(Trim::MaxLen(10)), true, 10_000, 4, 5)
        );
        let a = parse_ok(&["XADD", "s", "NOMKSTREAM", "minid", "5", "5-*", "f", "v"], true).unwrap();
        assert_eq!((a.trim, a.no_mkstream, a.id_index), (Some(Trim::MinId(StreamId::new(5, 0))), true, 5));
        assert!(!a.id.unwrap().seq_given);
        let err = |args: &[&str], xadd| parse_ok(args, xadd).unwrap_err();
        assert_eq!(err(&["XTRIM", "s", "MAXLEN", "1", "MINID", "1"], false), format!("-{BOTH_STRATEGIES}\r\n"));
        assert!(err(&["XTRIM", "s", "MAXLEN", "1", "LIMIT", "1"], false).contains("special ~"));
        assert!(err(&["XTRIM", "s", "LIMIT", "1"], false).contains("trimming strategy"));
        assert!(err(&["XTRIM", "s"], false).contains("XTRIM must be called"));
        assert!(err(&["XTRIM", "s", "MAXLEN", "-1"], false).contains(">= 0"));
        assert!(err(&["XADD", "s", "bad", "f", "v"], true).contains(super::super::common::INVALID_ID));
    }
}
