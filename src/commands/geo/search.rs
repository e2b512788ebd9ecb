//! The search behind GEORADIUS, GEORADIUSBYMEMBER (and their `_RO` forms), GEOSEARCH and
//! GEOSEARCHSTORE: Redis's georadiusGeneric, with its argument order, errors, cell scan order
//! (so unsorted replies list members as Redis does), sorting, replies and STORE/STOREDIST.

use super::common::{
    UNIT, lookup_read, member_point, parse_length, parse_point, parse_unit, peek_zset, reply_coordinate, reply_distance,
};
use crate::commands::errors::{NOT_INTEGER, SYNTAX, c_str, format_error};
use crate::commands::zset::common::{limits, store};
use crate::commands::{Arg, ArgKind, BeginSearch, FindKeys, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::geohash::{Search, Shape, score_range, score_to_point};
use crate::types::number::parse_i64;
use crate::types::small_bytes::SmallBytes;
use crate::types::zset::ZSetValue;
use crate::types::zset::btree::Item;
use crate::types::zset::score::ScoreRange;

/// Which command runs the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// GEORADIUS key long lat radius unit.
    Radius,
    /// GEORADIUS_RO (no STORE).
    RadiusRo,
    /// GEORADIUSBYMEMBER key member radius unit.
    ByMember,
    /// GEORADIUSBYMEMBER_RO (no STORE).
    ByMemberRo,
    /// GEOSEARCH key FROM… BY….
    Search,
    /// GEOSEARCHSTORE dest key FROM… BY… [STOREDIST].
    SearchStore,
}

impl Variant {
    fn geosearch(self) -> bool {
        matches!(self, Variant::Search | Variant::SearchStore)
    }

    fn may_store(self) -> bool {
        matches!(self, Variant::Radius | Variant::ByMember)
    }
}

/// The documented arguments of GEORADIUS_RO: `key longitude latitude radius unit` and options.
pub const POINT_ARGS: [Arg; 10] = join(
    &[
        Arg::key(0),
        Arg { name: "longitude", kind: ArgKind::Double, ..Arg::DEFAULT },
        Arg { name: "latitude", kind: ArgKind::Double, ..Arg::DEFAULT },
        RADIUS,
        UNIT,
    ],
    &radius_options(COUNT_ANY_SINCE_6_2),
);

/// The documented arguments of GEORADIUSBYMEMBER_RO: `key member radius unit` and options.
pub const MEMBER_ARGS: [Arg; 9] =
    join(&[Arg::key(0), Arg { name: "member", ..Arg::DEFAULT }, RADIUS, UNIT], &RADIUS_OPTIONS);

const RADIUS: Arg = Arg { name: "radius", kind: ArgKind::Double, ..Arg::DEFAULT };

/// The documented `STORE key` and `STOREDIST key` of GEORADIUS and GEORADIUSBYMEMBER.
pub const STORE_ARGS: &[Arg] = &[
    Arg { name: "key", kind: ArgKind::Key(1), token: Some("STORE"), optional: true, ..Arg::DEFAULT },
    Arg { name: "key", kind: ArgKind::Key(2), token: Some("STOREDIST"), optional: true, ..Arg::DEFAULT },
];

/// `a` then `b`, as one array of `M` = `a.len() + b.len()` arguments (spec tables are consts).
pub const fn join<const M: usize>(a: &[Arg], b: &[Arg]) -> [Arg; M] {
    let mut out = [Arg::DEFAULT; M];
    let mut i = 0;
    while i < M {
        out[i] = if i < a.len() { a[i] } else { b[i - a.len()] };
        i += 1;
    }
    out
}

/// Key specs of GEORADIUS and GEORADIUSBYMEMBER: the source, and the keys after STORE or
/// STOREDIST, searched from argument `start_from`.
pub const fn store_keys(start_from: i32) -> [KeySpec; 3] {
    const fn after(keyword: &'static str, start_from: i32) -> KeySpec {
        KeySpec {
            flags: KeyFlags::OW.union(KeyFlags::UPDATE),
            begin: BeginSearch::Keyword { keyword, start_from },
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        }
    }
    [KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS)), after("STORE", start_from), after("STOREDIST", start_from)]
}

/// The complexity the GEORADIUS family documents.
pub const RADIUS_COMPLEXITY: &str = "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.";

/// The documented `WITHCOORD WITHDIST WITHHASH [COUNT n [ANY]] [ASC|DESC]` of the GEORADIUS family.
pub const RADIUS_OPTIONS: [Arg; 5] = radius_options(COUNT);

/// `WITHCOORD WITHDIST WITHHASH`, the given `COUNT` block, then `ASC|DESC`.
const fn radius_options(count: Arg) -> [Arg; 5] {
    [
        Arg { name: "withcoord", kind: ArgKind::PureToken, token: Some("WITHCOORD"), optional: true, ..Arg::DEFAULT },
        Arg { name: "withdist", kind: ArgKind::PureToken, token: Some("WITHDIST"), optional: true, ..Arg::DEFAULT },
        Arg { name: "withhash", kind: ArgKind::PureToken, token: Some("WITHHASH"), optional: true, ..Arg::DEFAULT },
        count,
        ORDER,
    ]
}

/// The documented `COUNT n [ANY]` block.
pub const COUNT: Arg = count_block(&[COUNT_N, ANY]);

/// The `COUNT n [ANY]` block of GEORADIUS(_RO), whose docs date `ANY` to 6.2.0.
const COUNT_ANY_SINCE_6_2: Arg = count_block(&[COUNT_N, Arg { since: Some("6.2.0"), ..ANY }]);

const COUNT_N: Arg = Arg { name: "count", kind: ArgKind::Integer, token: Some("COUNT"), ..Arg::DEFAULT };
const ANY: Arg = Arg { name: "any", kind: ArgKind::PureToken, token: Some("ANY"), optional: true, ..Arg::DEFAULT };

const fn count_block(items: &'static [Arg]) -> Arg {
    Arg { name: "count", kind: ArgKind::Block(items), optional: true, ..Arg::DEFAULT }
}

/// The documented `ASC|DESC`, as SORT has it.
pub const ORDER: Arg = crate::commands::generic::sort::ORDER;

/// The documented `FROMMEMBER member | FROMLONLAT long lat` and `BYRADIUS r unit | BYBOX w h unit`.
pub const FROM_BY: &[Arg] = &[
    Arg {
        name: "from",
        kind: ArgKind::OneOf(&[
            Arg { name: "member", token: Some("FROMMEMBER"), ..Arg::DEFAULT },
            Arg {
                name: "longitude_latitude",
                token: Some("FROMLONLAT"),
                kind: ArgKind::Block(&[
                    Arg { name: "longitude", kind: ArgKind::Double, ..Arg::DEFAULT },
                    Arg { name: "latitude", kind: ArgKind::Double, ..Arg::DEFAULT },
                ]),
                ..Arg::DEFAULT
            },
        ]),
        ..Arg::DEFAULT
    },
    Arg {
        name: "by",
        kind: ArgKind::OneOf(&[
            Arg {
                name: "circle",
                kind: ArgKind::Block(&[
                    Arg { name: "radius", kind: ArgKind::Double, token: Some("BYRADIUS"), ..Arg::DEFAULT },
                    UNIT,
                ]),
                ..Arg::DEFAULT
            },
            Arg {
                name: "box",
                kind: ArgKind::Block(&[
                    Arg { name: "width", kind: ArgKind::Double, token: Some("BYBOX"), ..Arg::DEFAULT },
                    Arg { name: "height", kind: ArgKind::Double, ..Arg::DEFAULT },
                    UNIT,
                ]),
                ..Arg::DEFAULT
            },
        ]),
        ..Arg::DEFAULT
    },
];

/// Ordering of the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    None,
    Asc,
    Desc,
}

/// Everything the arguments ask for.
#[derive(Debug)]
struct Request {
    center: Option<(f64, f64)>,
    shape: Option<(Shape, f64)>,
    store: Option<Vec<u8>>,
    store_dist: bool,
    with_dist: bool,
    with_hash: bool,
    with_coord: bool,
    sort: Sort,
    count: usize,
    any: bool,
}

/// One match.
struct Point {
    member: Vec<u8>,
    score: f64,
    long: f64,
    lat: f64,
    dist: f64,
}

/// Runs the search for `variant`.
pub fn georadius(ctx: &mut Ctx<'_>, argv: &[&[u8]], variant: Variant) {
    let source = argv[if variant == Variant::SearchStore { 2 } else { 1 }];
    let Ok(exists) = lookup_read(ctx, source) else { return };
    let request = match parse(ctx, argv, variant, source, exists) {
        Ok(request) => request,
        Err(e) => return ctx.out.error_bytes(&e),
    };
    let (Some((long, lat)), Some((shape, conversion))) = (request.center, request.shape) else {
        // Only an absent source gets here without a centre (BYMEMBER/FROMMEMBER).
        return reply_missing(ctx, &request);
    };
    if !exists {
        return reply_missing(ctx, &request);
    }
    let search = Search { long, lat, shape, conversion };
    let limit = if request.any { request.count } else { 0 };
    let Ok(Some(zset)) = peek_zset(ctx, source) else { return reply_missing(ctx, &request) };
    let mut points = scan(zset, &search, limit);
    if points.is_empty() && request.store.is_none() {
        return ctx.out.array(0);
    }
    let sort = if request.count != 0 && request.sort == Sort::None && !request.any { Sort::Asc } else { request.sort };
    match sort {
        Sort::None => {}
        Sort::Asc => points.sort_by(|a, b| a.dist.total_cmp(&b.dist)),
        Sort::Desc => points.sort_by(|a, b| b.dist.total_cmp(&a.dist)),
    }
    let returned = if request.count == 0 { points.len() } else { points.len().min(request.count) };
    points.truncate(returned);
    points.iter_mut().for_each(|p| p.dist /= conversion);
    match &request.store {
        None => reply_points(ctx, &request, &points),
        Some(dest) => store_points(ctx, dest, &points, request.store_dist, variant.geosearch()),
    }
}

/// Reads the arguments in Redis's order: the fixed ones of the variant, then the options.
fn parse(ctx: &mut Ctx<'_>, argv: &[&[u8]], variant: Variant, source: &[u8], exists: bool) -> Result<Request, Vec<u8>> {
    let text = |s: String| s.into_bytes();
    let mut r = Request {
        center: None,
        shape: None,
        store: None,
        store_dist: false,
        with_dist: false,
        with_hash: false,
        with_coord: false,
        sort: Sort::None,
        count: 0,
        any: false,
    };
    let base = match variant {
        Variant::Radius | Variant::RadiusRo => {
            r.center = Some(parse_point(argv[2], argv[3]).map_err(text)?);
            r.shape = Some(parse_radius(argv[4], argv[5]).map_err(text)?);
            6
        }
        Variant::ByMember | Variant::ByMemberRo if !exists => 5,
        Variant::ByMember | Variant::ByMemberRo => {
            r.center = Some(locate(ctx, source, argv[2])?);
            r.shape = Some(parse_radius(argv[3], argv[4]).map_err(text)?);
            5
        }
        Variant::Search => 2,
        Variant::SearchStore => {
            r.store = Some(argv[1].to_vec());
            3
        }
    };
    let (mut from_member, mut from_lonlat, mut by_radius, mut by_box) = (false, false, false, false);
    let mut i = base;
    while i < argv.len() {
        let left = argv.len() - i - 1;
        let search = variant.geosearch();
        match argv[i].to_ascii_lowercase().as_slice() {
            b"withdist" => r.with_dist = true,
            b"withhash" => r.with_hash = true,
            b"withcoord" => r.with_coord = true,
            b"any" => r.any = true,
            b"asc" => r.sort = Sort::Asc,
            b"desc" => r.sort = Sort::Desc,
            b"count" if left >= 1 => {
                let n = parse_i64(argv[i + 1]).ok_or_else(|| NOT_INTEGER.as_bytes().to_vec())?;
                if n <= 0 {
                    return Err(b"ERR COUNT must be > 0".to_vec());
                }
                r.count = n as usize;
                i += 1;
            }
            b"store" | b"storedist" if left >= 1 && variant.may_store() => {
                r.store_dist = argv[i].eq_ignore_ascii_case(b"storedist");
                r.store = Some(argv[i + 1].to_vec());
                i += 1;
            }
            b"storedist" if variant == Variant::SearchStore => r.store_dist = true,
            b"frommember" if left >= 1 && search && !from_lonlat => {
                if exists {
                    r.center = Some(locate(ctx, source, argv[i + 1])?);
                }
                from_member = true;
                i += 1;
            }
            b"fromlonlat" if left >= 2 && search && !from_member => {
                r.center = Some(parse_point(argv[i + 1], argv[i + 2]).map_err(text)?);
                from_lonlat = true;
                i += 2;
            }
            b"byradius" if left >= 2 && search && !by_box => {
                r.shape = Some(parse_radius(argv[i + 1], argv[i + 2]).map_err(text)?);
                by_radius = true;
                i += 2;
            }
            b"bybox" if left >= 3 && search && !by_radius => {
                let width = parse_length(argv[i + 1], "width").map_err(text)?;
                let height = parse_length(argv[i + 2], "height").map_err(text)?;
                if width < 0.0 || height < 0.0 {
                    return Err(b"ERR height or width cannot be negative".to_vec());
                }
                let unit = parse_unit(argv[i + 3]).map_err(|e| e.as_bytes().to_vec())?;
                r.shape = Some((Shape::Box { width, height }, unit));
                by_box = true;
                i += 3;
            }
            _ => return Err(SYNTAX.as_bytes().to_vec()),
        }
        i += 1;
    }
    if r.store.is_some() && (r.with_dist || r.with_hash || r.with_coord) {
        let who = if variant == Variant::SearchStore { "GEOSEARCHSTORE" } else { "STORE option in GEORADIUS" };
        return Err(format!("ERR {who} is not compatible with WITHDIST, WITHHASH and WITHCOORD options").into_bytes());
    }
    if variant.geosearch() && !(from_member || from_lonlat) {
        return Err(format_error(&[
            b"ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ",
            c_str(argv[0]),
        ]));
    }
    if variant.geosearch() && !(by_radius || by_box) {
        return Err(format_error(&[b"ERR exactly one of BYRADIUS and BYBOX can be specified for ", c_str(argv[0])]));
    }
    if r.any && r.count == 0 {
        return Err(b"ERR the ANY argument requires COUNT argument".to_vec());
    }
    Ok(r)
}

/// A radius and unit.
fn parse_radius(radius: &[u8], unit: &[u8]) -> Result<(Shape, f64), String> {
    let radius = parse_length(radius, "radius")?;
    if radius < 0.0 {
        return Err("ERR radius cannot be negative".to_owned());
    }
    Ok((Shape::Circle { radius }, parse_unit(unit)?))
}

/// The position of `member` in the source set.
fn locate(ctx: &mut Ctx<'_>, source: &[u8], member: &[u8]) -> Result<(f64, f64), Vec<u8>> {
    match peek_zset(ctx, source) {
        Ok(Some(zset)) => member_point(zset, member),
        _ => None,
    }
    .ok_or_else(|| b"ERR could not decode requested zset member".to_vec())
}

/// The reply when the source key does not exist: STORE deletes its destination and replies 0.
fn reply_missing(ctx: &mut Ctx<'_>, request: &Request) {
    match &request.store {
        Some(dest) => {
            if ctx.server.dbs[ctx.client.db].remove(dest).is_some() {
                ctx.changed(dest, crate::config::NotifyFlags::GENERIC, "del");
            }
            ctx.out.int(0);
        }
        None => ctx.out.array(0),
    }
}

/// Redis's membersOfAllNeighbors: each cell's score range in turn (a cell equal to the one
/// scanned last is skipped), members in score order, stopping at `limit` matches (0: none).
fn scan(zset: &ZSetValue, search: &Search, limit: usize) -> Vec<Point> {
    let cells = search.cells();
    let mut points = Vec::new();
    let mut last = 0;
    for (i, cell) in cells.iter().enumerate() {
        let Some(cell) = cell else { continue };
        if last != 0 && Some(*cell) == cells[last] {
            continue;
        }
        if limit != 0 && points.len() >= limit {
            break;
        }
        let (min, max) = score_range(*cell);
        let range = ScoreRange { min: min as f64, max: max as f64, min_exclusive: false, max_exclusive: true };
        let (start, end) = zset.score_span(&range);
        let mut done = false;
        zset.for_each(start, end, false, |score, member| {
            if done {
                return;
            }
            let (long, lat) = score_to_point(score);
            if let Some(dist) = search.contains(long, lat) {
                points.push(Point { member: member.to_vec(), score, long, lat, dist });
            }
            done = limit != 0 && points.len() >= limit;
        });
        last = i;
    }
    points
}

fn reply_points(ctx: &mut Ctx<'_>, request: &Request, points: &[Point]) {
    let options = usize::from(request.with_dist) + usize::from(request.with_hash) + usize::from(request.with_coord);
    ctx.out.array(points.len());
    for p in points {
        if options > 0 {
            ctx.out.array(options + 1);
        }
        ctx.out.bulk(&p.member);
        if request.with_dist {
            reply_distance(ctx.out, p.dist);
        }
        if request.with_hash {
            ctx.out.int(p.score as i64);
        }
        if request.with_coord {
            ctx.out.array(2);
            reply_coordinate(ctx.out, p.long);
            reply_coordinate(ctx.out, p.lat);
        }
    }
}

/// STORE/STOREDIST and GEOSEARCHSTORE: the matches become a sorted set (scored by geohash or
/// distance), replacing `dest`; dirty counts every member stored, as in Redis.
fn store_points(ctx: &mut Ctx<'_>, dest: &[u8], points: &[Point], by_distance: bool, geosearch: bool) {
    let mut items: Vec<Item> = points
        .iter()
        .map(|p| Item { score: if by_distance { p.dist } else { p.score }, member: SmallBytes::new(&p.member) })
        .collect();
    items.sort_by(|a, b| a.score.total_cmp(&b.score).then_with(|| a.member.as_bytes().cmp(b.member.as_bytes())));
    items.dedup_by(|a, b| a.member.as_bytes() == b.member.as_bytes());
    let n = items.len();
    let zset = ZSetValue::from_sorted(items, limits(&ctx.server.config));
    store(ctx, dest, zset, if geosearch { "geosearchstore" } else { "georadiusstore" });
    ctx.add_dirty(n.saturating_sub(1) as u64);
}
