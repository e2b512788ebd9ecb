//! Geohashes as Redis's geohash.c and geohash_helper.c compute them: 52-bit interleaved scores
//! (latitude bits even, longitude bits odd) over longitude -180..180 and latitude
//! -85.05112878..85.05112878, decoding to the centre of a cell, haversine distances on a sphere
//! of 6372797.560856 m, and the nine cells (centre and neighbours) that cover a search shape.
//! Floating-point steps follow Redis's order of operations so results match to the last bit.

/// Bits per coordinate of a stored score (26 × 2 = 52).
pub const STEP_MAX: u8 = 26;
/// Longitude bounds.
pub const LONG_MIN: f64 = -180.0;
/// Longitude bounds.
pub const LONG_MAX: f64 = 180.0;
/// Latitude bounds (the Web Mercator limits).
pub const LAT_MIN: f64 = -85.051_128_78;
/// Latitude bounds (the Web Mercator limits).
pub const LAT_MAX: f64 = 85.051_128_78;

const EARTH_RADIUS_IN_METERS: f64 = 6_372_797.560_856;
const MERCATOR_MAX: f64 = 20_037_726.37;
const D_R: f64 = std::f64::consts::PI / 180.0;

/// A geohash of `step` bits per coordinate; `step` 0 marks an unused cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hash {
    /// Interleaved bits.
    pub bits: u64,
    /// Bits per coordinate.
    pub step: u8,
}

/// A cell's bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    /// Longitude range.
    pub long: (f64, f64),
    /// Latitude range.
    pub lat: (f64, f64),
}

fn deg_rad(a: f64) -> f64 {
    a * D_R
}

fn rad_deg(a: f64) -> f64 {
    a / D_R
}

fn interleave(lat: u32, long: u32) -> u64 {
    let spread = |v: u32| {
        let mut x = u64::from(v);
        x = (x | (x << 16)) & 0x0000_ffff_0000_ffff;
        x = (x | (x << 8)) & 0x00ff_00ff_00ff_00ff;
        x = (x | (x << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
        x = (x | (x << 2)) & 0x3333_3333_3333_3333;
        (x | (x << 1)) & 0x5555_5555_5555_5555
    };
    spread(lat) | (spread(long) << 1)
}

/// The latitude and longitude parts of interleaved bits.
fn deinterleave(bits: u64) -> (u32, u32) {
    let squash = |v: u64| {
        let mut x = v & 0x5555_5555_5555_5555;
        x = (x | (x >> 1)) & 0x3333_3333_3333_3333;
        x = (x | (x >> 2)) & 0x0f0f_0f0f_0f0f_0f0f;
        x = (x | (x >> 4)) & 0x00ff_00ff_00ff_00ff;
        x = (x | (x >> 8)) & 0x0000_ffff_0000_ffff;
        ((x | (x >> 16)) & 0xffff_ffff) as u32
    };
    (squash(bits), squash(bits >> 1))
}

/// Encodes a point with `step` bits per coordinate over the given ranges; `None` out of range.
pub fn encode(long_range: (f64, f64), lat_range: (f64, f64), long: f64, lat: f64, step: u8) -> Option<Hash> {
    if step == 0 || step > 32 || !(LONG_MIN..=LONG_MAX).contains(&long) || !(LAT_MIN..=LAT_MAX).contains(&lat) {
        return None;
    }
    if lat < lat_range.0 || lat > lat_range.1 || long < long_range.0 || long > long_range.1 {
        return None;
    }
    let scale = (1u64 << step) as f64;
    let lat_offset = (lat - lat_range.0) / (lat_range.1 - lat_range.0) * scale;
    let long_offset = (long - long_range.0) / (long_range.1 - long_range.0) * scale;
    Some(Hash { bits: interleave(lat_offset as u32, long_offset as u32), step })
}

/// Encodes a point over the WGS84 ranges Redis stores.
pub fn encode_wgs84(long: f64, lat: f64, step: u8) -> Option<Hash> {
    encode((LONG_MIN, LONG_MAX), (LAT_MIN, LAT_MAX), long, lat, step)
}

/// The 52-bit score of a hash.
pub fn align52(hash: Hash) -> u64 {
    hash.bits << (52 - u32::from(hash.step) * 2)
}

/// The cell of `hash` over the WGS84 ranges.
pub fn decode(hash: Hash) -> Area {
    let (ilat, ilong) = deinterleave(hash.bits);
    let scale = (1u64 << hash.step) as f64;
    let (lat_scale, long_scale) = (LAT_MAX - LAT_MIN, LONG_MAX - LONG_MIN);
    Area {
        lat: (
            LAT_MIN + (f64::from(ilat) * 1.0 / scale) * lat_scale,
            LAT_MIN + ((f64::from(ilat) + 1.0) * 1.0 / scale) * lat_scale,
        ),
        long: (
            LONG_MIN + (f64::from(ilong) * 1.0 / scale) * long_scale,
            LONG_MIN + ((f64::from(ilong) + 1.0) * 1.0 / scale) * long_scale,
        ),
    }
}

/// The point a stored score stands for: the centre of its cell, clamped to the ranges.
pub fn score_to_point(score: f64) -> (f64, f64) {
    let area = decode(Hash { bits: score as u64, step: STEP_MAX });
    let long = ((area.long.0 + area.long.1) / 2.0).clamp(LONG_MIN, LONG_MAX);
    let lat = ((area.lat.0 + area.lat.1) / 2.0).clamp(LAT_MIN, LAT_MAX);
    (long, lat)
}

/// The score GEOADD stores for a point (validated to be in range).
pub fn point_to_score(long: f64, lat: f64) -> Option<u64> {
    encode_wgs84(long, lat, STEP_MAX).map(align52)
}

/// Distance along a meridian.
fn lat_distance(lat1: f64, lat2: f64) -> f64 {
    EARTH_RADIUS_IN_METERS * (deg_rad(lat2) - deg_rad(lat1)).abs()
}

/// Haversine distance in metres.
pub fn distance(long1: f64, lat1: f64, long2: f64, lat2: f64) -> f64 {
    let (lon1r, lon2r) = (deg_rad(long1), deg_rad(long2));
    let v = ((lon2r - lon1r) / 2.0).sin();
    if v == 0.0 {
        return lat_distance(lat1, lat2);
    }
    let (lat1r, lat2r) = (deg_rad(lat1), deg_rad(lat2));
    let u = ((lat2r - lat1r) / 2.0).sin();
    let a = u * u + lat1r.cos() * lat2r.cos() * v * v;
    2.0 * EARTH_RADIUS_IN_METERS * a.sqrt().asin()
}

/// A search shape, in metres after conversion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// Within `radius` of the centre.
    Circle {
        /// Radius in the request's unit.
        radius: f64,
    },
    /// Within a box centred on the centre.
    Box {
        /// Width in the request's unit.
        width: f64,
        /// Height in the request's unit.
        height: f64,
    },
}

/// A search: centre, shape and the unit's size in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Search {
    /// Centre longitude.
    pub long: f64,
    /// Centre latitude.
    pub lat: f64,
    /// The shape.
    pub shape: Shape,
    /// Metres per unit.
    pub conversion: f64,
}

impl Search {
    /// The distance from the centre when the point at `score` lies in the shape.
    pub fn contains(&self, long: f64, lat: f64) -> Option<f64> {
        match self.shape {
            Shape::Circle { radius } => {
                let d = distance(self.long, self.lat, long, lat);
                (d <= radius * self.conversion).then_some(d)
            }
            Shape::Box { width, height } => {
                let (w, h) = (width * self.conversion, height * self.conversion);
                if lat_distance(lat, self.lat) > h / 2.0 || distance(long, lat, self.long, lat) > w / 2.0 {
                    return None;
                }
                Some(distance(self.long, self.lat, long, lat))
            }
        }
    }

    /// geohashBoundingBox: min long, min lat, max long, max lat.
    fn bounds(&self) -> [f64; 4] {
        let (height, width) = match self.shape {
            Shape::Circle { radius } => (self.conversion * radius, self.conversion * radius),
            Shape::Box { width, height } => (self.conversion * (height / 2.0), self.conversion * (width / 2.0)),
        };
        let lat_delta = rad_deg(height / EARTH_RADIUS_IN_METERS);
        let long_delta_top = rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(self.lat + lat_delta).cos());
        let long_delta_bottom = rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(self.lat - lat_delta).cos());
        let delta = if self.lat < 0.0 { long_delta_bottom } else { long_delta_top };
        [self.long - delta, self.lat - lat_delta, self.long + delta, self.lat + lat_delta]
    }

    /// The cells to scan, in Redis's order (centre, N, S, E, W, NE, NW, SE, SW), `None` for a
    /// neighbour that cannot hold a match.
    pub fn cells(&self) -> [Option<Hash>; 9] {
        let [min_lon, min_lat, max_lon, max_lat] = self.bounds();
        let radius = match self.shape {
            Shape::Circle { radius } => radius,
            Shape::Box { width, height } => ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt(),
        } * self.conversion;
        let mut step = estimate_step(radius, self.lat);
        let mut hash = self.encode(step);
        let n = neighbours(hash);
        let too_small = decode(n[1]).lat.1 < max_lat
            || decode(n[2]).lat.0 > min_lat
            || decode(n[3]).long.1 < max_lon
            || decode(n[4]).long.0 > min_lon;
        if step > 1 && too_small {
            step -= 1;
            hash = self.encode(step);
        }
        let area = decode(hash);
        let n = neighbours(hash);
        let mut cells = [
            Some(hash),
            Some(n[1]),
            Some(n[2]),
            Some(n[3]),
            Some(n[4]),
            Some(n[5]),
            Some(n[6]),
            Some(n[7]),
            Some(n[8]),
        ];
        if step >= 2 {
            let mut drop = |indexes: [usize; 3]| indexes.iter().for_each(|&i| cells[i] = None);
            if area.lat.0 < min_lat {
                drop([2, 7, 8]);
            }
            if area.lat.1 > max_lat {
                drop([1, 5, 6]);
            }
            if area.long.0 < min_lon {
                drop([4, 8, 6]);
            }
            if area.long.1 > max_lon {
                drop([3, 7, 5]);
            }
        }
        cells
    }

    /// The centre's hash at `step` (a zero hash if the centre cannot be encoded, as Redis
    /// leaves it).
    fn encode(&self, step: u8) -> Hash {
        encode_wgs84(self.long, self.lat, step).unwrap_or(Hash { bits: 0, step })
    }
}

/// geohashEstimateStepsByRadius.
fn estimate_step(mut range: f64, lat: f64) -> u8 {
    if range == 0.0 {
        return 26;
    }
    let mut step: i32 = 1;
    while range < MERCATOR_MAX {
        range *= 2.0;
        step += 1;
    }
    step -= 2;
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u8
}

/// `hash` moved by `dx` cells east (longitude, odd bits) and `dy` north (latitude, even bits).
fn moved(hash: Hash, dx: i8, dy: i8) -> Hash {
    let shift = 64 - u32::from(hash.step) * 2;
    let mut x = hash.bits & 0xaaaa_aaaa_aaaa_aaaa;
    let mut y = hash.bits & 0x5555_5555_5555_5555;
    if dx != 0 {
        let zz = 0x5555_5555_5555_5555u64 >> shift;
        x = if dx > 0 { x.wrapping_add(zz + 1) } else { (x | zz).wrapping_sub(zz + 1) };
        x &= 0xaaaa_aaaa_aaaa_aaaau64 >> shift;
    }
    if dy != 0 {
        let zz = 0xaaaa_aaaa_aaaa_aaaau64 >> shift;
        y = if dy > 0 { y.wrapping_add(zz + 1) } else { (y | zz).wrapping_sub(zz + 1) };
        y &= 0x5555_5555_5555_5555u64 >> shift;
    }
    Hash { bits: x | y, step: hash.step }
}

/// The hash and its neighbours: [self, N, S, E, W, NE, NW, SE, SW].
fn neighbours(hash: Hash) -> [Hash; 9] {
    [
        hash,
        moved(hash, 0, 1),
        moved(hash, 0, -1),
        moved(hash, 1, 0),
        moved(hash, -1, 0),
        moved(hash, 1, 1),
        moved(hash, -1, 1),
        moved(hash, 1, -1),
        moved(hash, -1, -1),
    ]
}

/// The score range `[min, max)` of the members inside a cell.
pub fn score_range(hash: Hash) -> (u64, u64) {
    (align52(hash), align52(Hash { bits: hash.bits + 1, step: hash.step }))
}

/// GEOHASH's 11-character string: the point re-encoded over latitude -90..90.
pub fn standard_string(long: f64, lat: f64) -> Option<String> {
    const ALPHABET: &[u8] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let hash = encode((-180.0, 180.0), (-90.0, 90.0), long, lat, 26)?;
    Some(
        (0..11)
            .map(|i| {
                let idx = if i == 10 { 0 } else { (hash.bits >> (52 - (i + 1) * 5)) & 0x1f };
                char::from(ALPHABET[idx as usize])
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_round_trip_to_cell_centres() {
        // Values printed by redis-server for GEOADD k 13.361389 38.115556 Palermo.
        let score = point_to_score(13.361389, 38.115556).unwrap();
        assert_eq!(score, 3479099956230698);
        let (long, lat) = score_to_point(score as f64);
        assert!((long - 13.361389).abs() < 1e-5 && (lat - 38.115556).abs() < 1e-5);
        assert_eq!(point_to_score(181.0, 0.0), None);
        assert_eq!(point_to_score(0.0, 86.0), None);
    }

    #[test]
    fn distances_and_hash_strings() {
        let d = distance(13.361389, 38.115556, 15.087269, 37.502669);
        assert!((d - 166274.0).abs() < 1.0, "{d}");
        assert_eq!(distance(1.0, 2.0, 1.0, 2.0), 0.0);
        let (long, lat) = score_to_point(3479099956230698.0);
        assert_eq!(standard_string(long, lat).as_deref(), Some("sqc8b49rny0"));
    }

    #[test]
    fn interleaving_round_trips() {
        for (a, b) in [(0u32, 0u32), (1, 2), (0x3ff_ffff, 0x155_5555), (u32::MAX, 7)] {
            assert_eq!(deinterleave(interleave(a, b)), (a, b));
        }
    }

    #[test]
    fn neighbours_move_one_cell() {
        let h = encode_wgs84(10.0, 10.0, 10).unwrap();
        let area = decode(h);
        let east = decode(moved(h, 1, 0));
        assert_eq!(east.long.0, area.long.1);
        let south = decode(moved(h, 0, -1));
        assert_eq!(south.lat.1, area.lat.0);
    }

    #[test]
    fn step_estimates_as_redis() {
        assert_eq!(estimate_step(0.0, 0.0), 26);
        assert_eq!(estimate_step(1000.0, 0.0), 14);
        assert_eq!(estimate_step(1000.0, 70.0), 13);
        assert_eq!(estimate_step(1000.0, -85.0), 12);
        assert_eq!(estimate_step(1e9, 0.0), 1);
    }
}
