//! Helpers shared by the geo commands: coordinate and unit arguments with Redis's errors, reading
//! members' positions from a sorted set, and the number formats geo replies use.

use crate::commands::errors::{NOT_FLOAT, Replied, WRONGTYPE};
use crate::commands::{Arg, ArgKind};
use crate::keyspace::{Access, now_ms};
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::geohash::{self, LAT_MAX, LAT_MIN, LONG_MAX, LONG_MIN};
use crate::types::zset::ZSetValue;
use crate::types::zset::score::parse_score;

/// The documented `m|km|ft|mi` argument.
pub const UNIT: Arg = Arg {
    name: "unit",
    kind: ArgKind::OneOf(&[
        Arg { name: "m", kind: ArgKind::PureToken, token: Some("M"), ..Arg::DEFAULT },
        Arg { name: "km", kind: ArgKind::PureToken, token: Some("KM"), ..Arg::DEFAULT },
        Arg { name: "ft", kind: ArgKind::PureToken, token: Some("FT"), ..Arg::DEFAULT },
        Arg { name: "mi", kind: ArgKind::PureToken, token: Some("MI"), ..Arg::DEFAULT },
    ]),
    ..Arg::DEFAULT
};

/// The documented `key [member ...]` of GEOHASH and GEOPOS.
pub const KEY_MEMBERS: &[Arg] = &[Arg::key(0), Arg { name: "member", multiple: true, ..Arg::DEFAULT }];

/// Metres per unit (`m`, `km`, `ft`, `mi`, any case).
pub fn parse_unit(raw: &[u8]) -> Result<f64, &'static str> {
    match raw.to_ascii_lowercase().as_slice() {
        b"m" => Ok(1.0),
        b"km" => Ok(1000.0),
        b"ft" => Ok(0.3048),
        b"mi" => Ok(1609.34),
        _ => Err("ERR unsupported unit provided. please use M, KM, FT, MI"),
    }
}

/// A longitude and latitude argument pair, in range.
pub fn parse_point(long: &[u8], lat: &[u8]) -> Result<(f64, f64), String> {
    let (Some(x), Some(y)) = (parse_score(long), parse_score(lat)) else { return Err(NOT_FLOAT.to_owned()) };
    if !(LONG_MIN..=LONG_MAX).contains(&x) || !(LAT_MIN..=LAT_MAX).contains(&y) {
        return Err(format!("ERR invalid longitude,latitude pair {x:.6},{y:.6}"));
    }
    Ok((x, y))
}

/// A non-negative length argument (`what` names it in the error: radius, width, height).
pub fn parse_length(raw: &[u8], what: &str) -> Result<f64, String> {
    parse_score(raw).ok_or_else(|| format!("ERR need numeric {what}"))
}

/// The sorted set at `key` without touching stats or access times (the command's own lookup
/// already did): `Err` when it holds another type (nothing is replied).
pub fn peek_zset<'a>(ctx: &'a mut Ctx<'_>, key: &[u8]) -> Result<Option<&'a ZSetValue>, Replied> {
    match ctx.server.dbs[ctx.client.db].lookup_for(key, now_ms(), Access::Peek) {
        None => Ok(None),
        Some(entry) => entry.value.as_zset_mut().map(|z| Some(&*z)).ok_or(Replied),
    }
}

/// Looks `key` up as a read (hits, misses, expiry); replies WRONGTYPE and returns `Err` for
/// another type; `Ok(false)` when absent.
pub fn lookup_read(ctx: &mut Ctx<'_>, key: &[u8]) -> Result<bool, Replied> {
    match ctx.server.dbs[ctx.client.db].lookup_for(key, now_ms(), Access::Read) {
        None => Ok(false),
        Some(entry) if entry.value.as_zset().is_some() => Ok(true),
        Some(_) => {
            ctx.out.error(WRONGTYPE);
            Err(Replied)
        }
    }
}

/// The positions of `members` in the sorted set at `key` (`None` for a missing member or key);
/// replies WRONGTYPE and returns `Err` for another type.
pub fn member_points(ctx: &mut Ctx<'_>, key: &[u8], members: &[&[u8]]) -> Result<Vec<Option<(f64, f64)>>, Replied> {
    lookup_read(ctx, key)?;
    Ok(match peek_zset(ctx, key) {
        Ok(Some(zset)) => members.iter().map(|m| member_point(zset, m)).collect(),
        _ => vec![None; members.len()],
    })
}

/// A member's position, decoded from its score.
pub fn member_point(zset: &ZSetValue, member: &[u8]) -> Option<(f64, f64)> {
    zset.score(member).map(geohash::score_to_point)
}

/// A distance as Redis prints it: four decimals, rounded half to even, as a bulk string.
pub fn reply_distance(out: &mut Reply, d: f64) {
    out.bulk(fixed4(d).as_bytes());
}

fn fixed4(d: f64) -> String {
    if d == 0.0 {
        return "0.0000".to_owned();
    }
    let scaled = (d * 10000.0).round_ties_even() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let v = scaled.unsigned_abs();
    format!("{sign}{}.{:04}", v / 10000, v % 10000)
}

/// A coordinate as Redis's addReplyHumanLongDouble prints it: `%.17Lf` without trailing zeros,
/// a bulk string in RESP2 and a double in RESP3.
pub fn reply_coordinate(out: &mut Reply, d: f64) {
    let text = human(d);
    if out.is_resp3() {
        out.raw(format!(",{text}\r\n").as_bytes());
    } else {
        out.bulk(text.as_bytes());
    }
}

fn human(d: f64) -> String {
    let text = format!("{d:.17}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_redis() {
        assert_eq!(fixed4(0.0), "0.0000");
        assert_eq!(fixed4(166274.15156960033), "166274.1516");
        assert_eq!(fixed4(0.00005), "0.0000");
        assert_eq!(fixed4(0.5), "0.5000");
        assert_eq!(human(13.361389338970184), "13.36138933897018433");
        assert_eq!(human(-0.0), "0");
        assert_eq!(human(2.5), "2.5");
        assert_eq!(human(10.0), "10");
    }

    #[test]
    fn arguments_parse_with_redis_errors() {
        assert_eq!(parse_point(b"13.5", b"38"), Ok((13.5, 38.0)));
        assert_eq!(parse_point(b"x", b"38"), Err(NOT_FLOAT.to_owned()));
        assert_eq!(
            parse_point(b"200", b"38"),
            Err("ERR invalid longitude,latitude pair 200.000000,38.000000".to_owned())
        );
        assert_eq!(parse_unit(b"KM"), Ok(1000.0));
        assert!(parse_unit(b"yd").is_err());
    }
}
