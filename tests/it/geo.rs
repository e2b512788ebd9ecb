//! Geo commands compared with the real redis-server: scores, positions and distances printed
//! digit for digit, searches over thousands of points (unsorted replies in Redis's cell order),
//! STORE/STOREDIST results, errors, notifications, dirty counts and propagation (GEOADD goes out
//! as ZADD).

use crate::support::effects::{same_notifications, same_propagation};
use crate::support::{Raw, Server, have, same_dirty_counts, same_replies_resp3};

fn call(conn: &mut Raw, args: &[String]) -> String {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    conn.call(&refs)
}

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn commands_and_errors_match_redis() {
    same_dirty_counts(&[
        &["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"],
        &["GEOADD", "Sicily", "NX", "13.361389", "38.115556", "Palermo", "16", "38", "x"],
        &["GEOADD", "Sicily", "xx", "ch", "13.4", "38.1", "Palermo"],
        &["GEOADD", "Sicily", "nx", "xx", "1", "2", "a"],
        &["GEOADD", "Sicily", "ch", "1", "2"],
        &["GEOADD", "Sicily", "ch", "ch", "ch"],
        &["GEOADD", "Sicily", "200", "2", "a"],
        &["GEOADD", "Sicily", "1", "86", "a"],
        &["GEOADD", "Sicily", "x", "2", "a"],
        &["ZRANGE", "Sicily", "0", "-1", "WITHSCORES"],
        &["GEODIST", "Sicily", "Palermo", "Catania"],
        &["GEODIST", "Sicily", "Palermo", "Catania", "KM"],
        &["GEODIST", "Sicily", "Palermo", "Catania", "mi"],
        &["GEODIST", "Sicily", "Palermo", "Catania", "ft"],
        &["GEODIST", "Sicily", "Palermo", "Catania", "yd"],
        &["GEODIST", "Sicily", "Palermo", "Palermo"],
        &["GEODIST", "Sicily", "Palermo", "nope"],
        &["GEODIST", "nokey", "a", "b"],
        &["GEODIST", "Sicily", "a", "b", "c", "d"],
        &["GEOHASH", "Sicily", "Palermo", "Catania", "nope"],
        &["GEOHASH", "nokey", "a"],
        &["GEOHASH", "Sicily"],
        &["GEOPOS", "Sicily", "Palermo", "Catania", "nope"],
        &["GEOPOS", "nokey", "a"],
        &["RPUSH", "l", "a"],
        &["GEOADD", "l", "1", "1", "a"],
        &["GEOPOS", "l", "a"],
        &["GEODIST", "l", "a", "b"],
        &["GEORADIUS", "l", "1", "1", "1", "km"],
        &["GEOSEARCH", "l", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"],
    ]);
}

#[test]
fn search_options_and_errors_match_redis() {
    let setup = "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 13.5 38.1 Near 15 37 Center";
    let lines = [
        setup,
        "GEORADIUS Sicily 15 37 200 km",
        "GEORADIUS Sicily 15 37 200 km WITHCOORD WITHDIST WITHHASH",
        "GEORADIUS Sicily 15 37 200 km WITHDIST ASC",
        "GEORADIUS Sicily 15 37 200 km WITHDIST DESC COUNT 2",
        "GEORADIUS Sicily 15 37 200 km COUNT 1 ANY",
        "GEORADIUS Sicily 15 37 200 km ANY",
        "GEORADIUS Sicily 15 37 200 km COUNT 0",
        "GEORADIUS Sicily 15 37 200 km COUNT x",
        "GEORADIUS Sicily 15 37 -1 km",
        "GEORADIUS Sicily 15 37 x km",
        "GEORADIUS Sicily 15 37 200 yd",
        "GEORADIUS Sicily 15 37 200 km FOO",
        "GEORADIUS Sicily 15 37 200 km STORE dst",
        "ZRANGE dst 0 -1 WITHSCORES",
        "GEORADIUS Sicily 15 37 200 km STOREDIST dst2 COUNT 2 DESC",
        "ZRANGE dst2 0 -1 WITHSCORES",
        "GEORADIUS Sicily 15 37 200 km STORE dst WITHDIST",
        "GEORADIUS_RO Sicily 15 37 200 km STORE dst",
        "GEORADIUSBYMEMBER Sicily Palermo 200 km WITHDIST",
        "GEORADIUSBYMEMBER Sicily nope 200 km WITHDIST",
        "GEORADIUSBYMEMBER nokey nope 200 km WITHDIST",
        "GEORADIUSBYMEMBER nokey nope 200 km STORE dst",
        "EXISTS dst",
        "GEORADIUSBYMEMBER_RO Sicily Palermo 100 km",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC WITHCOORD WITHDIST",
        "GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 400 400 km ASC WITHDIST",
        "GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 400 400 km STOREDIST",
        "GEOSEARCH Sicily BYBOX 400 400 km",
        "geosearch Sicily FROMMEMBER Palermo",
        "GEOSEARCH Sicily FROMMEMBER Palermo FROMLONLAT 1 1 BYRADIUS 1 km",
        "GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 1 km BYBOX 1 1 km",
        "GEOSEARCH Sicily FROMMEMBER nope BYRADIUS 1 km",
        "GEOSEARCH nokey FROMMEMBER nope BYRADIUS 1 km",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX -1 1 km",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX x 1 km",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 1 x km",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 1 ANY WITHHASH",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 20000 km",
        "GEOSEARCH Sicily FROMLONLAT 0 0 BYRADIUS 0 km",
        "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST",
        "ZRANGE dst 0 -1 WITHSCORES",
        "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST",
        "GEOSEARCHSTORE dst Sicily FROMLONLAT 0 0 BYRADIUS 1 km",
        "EXISTS dst",
        "GEOSEARCHSTORE dst nokey FROMLONLAT 0 0 BYRADIUS 1 km",
    ];
    let commands: Vec<Vec<String>> = lines.iter().map(|l| words(l)).collect();
    let refs: Vec<Vec<&str>> = commands.iter().map(|c| c.iter().map(String::as_str).collect()).collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    same_dirty_counts(&slices);
    same_replies_resp3(&slices);
}

/// Thousands of random points (many near the poles, the antimeridian and the equator), searched
/// by radius and by box from points and members, sorted and unsorted: every reply identical.
#[test]
fn searches_over_thousands_of_points_match_redis() {
    if !have("redis-server") {
        return;
    }
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let mut rng = fastrand::Rng::with_seed(42);
    let coordinate = |rng: &mut fastrand::Rng| -> (f64, f64) {
        match rng.u32(..4) {
            0 => (rng.f64() * 360.0 - 180.0, rng.f64() * 170.0 - 85.0),
            1 => (179.0 + rng.f64() * 2.0 - 1.0, rng.f64() * 10.0 - 5.0),
            2 => (rng.f64() * 20.0 - 10.0, 80.0 + rng.f64() * 5.0),
            _ => (2.0 + rng.f64(), 48.0 + rng.f64()),
        }
    };
    for chunk in 0..10 {
        let mut cmd = vec!["GEOADD".to_owned(), "points".to_owned()];
        for i in 0..300 {
            let (long, lat) = coordinate(&mut rng);
            cmd.extend([format!("{long:.6}"), format!("{lat:.6}"), format!("p{chunk}-{i}")]);
        }
        assert_eq!(call(&mut a, &cmd), call(&mut b, &cmd));
    }
    let radii = ["0.5", "10", "100", "1000", "5000", "20000"];
    for q in 0..150 {
        let (long, lat) = coordinate(&mut rng);
        let unit = ["m", "km", "mi", "ft"][q % 4];
        let r = radii[rng.usize(..radii.len())];
        let from = if q % 3 == 0 {
            vec!["FROMMEMBER".to_owned(), format!("p{}-{}", rng.usize(..10), rng.usize(..300))]
        } else {
            vec!["FROMLONLAT".to_owned(), format!("{long:.5}"), format!("{lat:.5}")]
        };
        let by = if q % 2 == 0 {
            vec!["BYRADIUS".to_owned(), r.to_owned(), "km".to_owned()]
        } else {
            vec!["BYBOX".to_owned(), r.to_owned(), radii[rng.usize(..radii.len())].to_owned(), unit.to_owned()]
        };
        let mut cmd = vec!["GEOSEARCH".to_owned(), "points".to_owned()];
        cmd.extend(from);
        cmd.extend(by);
        match q % 5 {
            0 => cmd.extend(words("WITHDIST WITHCOORD WITHHASH")),
            1 => cmd.extend(words("ASC WITHDIST")),
            2 => cmd.extend(words("DESC COUNT 5 WITHDIST")),
            3 => cmd.extend(words("COUNT 3 ANY")),
            _ => {}
        }
        assert_eq!(call(&mut a, &cmd), call(&mut b, &cmd), "{cmd:?}");
        let radius = vec![
            "GEORADIUS".to_owned(),
            "points".to_owned(),
            format!("{long:.5}"),
            format!("{lat:.5}"),
            r.to_owned(),
            unit.to_owned(),
            "WITHDIST".to_owned(),
        ];
        assert_eq!(call(&mut a, &radius), call(&mut b, &radius), "{radius:?}");
    }
    let store = words("GEOSEARCHSTORE dst points FROMLONLAT 2.5 48.5 BYRADIUS 100 km STOREDIST");
    assert_eq!(call(&mut a, &store), call(&mut b, &store));
    let range = words("ZRANGE dst 0 -1 WITHSCORES");
    assert_eq!(call(&mut a, &range), call(&mut b, &range));
    let mut pos = vec!["GEOPOS".to_owned(), "points".to_owned()];
    let mut hash = vec!["GEOHASH".to_owned(), "points".to_owned()];
    for i in 0..300 {
        pos.push(format!("p3-{i}"));
        hash.push(format!("p7-{i}"));
    }
    assert_eq!(call(&mut a, &pos), call(&mut b, &pos));
    assert_eq!(call(&mut a, &hash), call(&mut b, &hash));
}

#[test]
fn notifications_match_redis() {
    same_notifications(
        "KEA",
        &[
            &["GEOADD", "g", "1", "2", "a", "3", "4", "b"],
            &["GEOADD", "g", "NX", "1", "2", "a"],
            &["GEORADIUS", "g", "1", "2", "1000", "km", "STORE", "d"],
            &["GEOSEARCHSTORE", "d2", "g", "FROMLONLAT", "1", "2", "BYRADIUS", "10", "km"],
            &["GEOSEARCHSTORE", "d2", "g", "FROMLONLAT", "50", "50", "BYRADIUS", "10", "km"],
        ],
    );
}

#[test]
fn propagation_matches_redis() {
    same_propagation(&[
        &["GEOADD", "g", "CH", "1", "2", "a", "3", "4", "b"],
        &["GEOADD", "g", "NX", "1", "2", "a"],
        &["GEOADD", "g", "XX", "5", "6", "a"],
        &["GEORADIUS", "g", "1", "2", "1000", "km", "STOREDIST", "d"],
        &["GEOSEARCHSTORE", "d2", "g", "FROMLONLAT", "1", "2", "BYRADIUS", "10", "km"],
    ]);
}
