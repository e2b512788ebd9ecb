//! Round trips of every type and encoding through the writer and the reader, the legacy
//! encodings from hand-built bytes, and whole files: options, hints, checksums, corruption.

use super::build::EncodingLimits;
use super::decode::read_value;
use super::format::ValueType;
use super::reader::Reader;
use super::testkit::{intset, ziplist, zipmap};
use super::writer::Writer;
use super::*;
use crate::keyspace::clock::ClockMode;
use crate::keyspace::{AccessClock, Db, Entry, HashLimits, HashValue, StringValue, Value};
use crate::types::intset::IntSet;
use crate::types::listpack::Listpack;
use crate::types::quicklist::{End, Quicklist, Shape};
use crate::types::set::SetValue;
use crate::types::zset::{AddFlags, ZSetLimits, ZSetValue};

fn limits() -> EncodingLimits {
    EncodingLimits::redis_defaults()
}

/// A value's contents in a comparable form: its type, encoding and elements (unordered
/// collections sorted).
fn contents(value: &Value) -> (String, Vec<Vec<u8>>) {
    let mut elements: Vec<Vec<u8>> = match value {
        Value::String(s) => vec![s.to_vec()],
        Value::List(l) => {
            let mut out = Vec::new();
            l.for_each(0..l.len(), false, |e| out.push(e.to_vec()));
            out
        }
        Value::Set(s) => s.members(),
        Value::Hash(h) => h.iter().map(|(f, v)| [&f[..], b"=", &v[..]].concat()).collect(),
        Value::ZSet(z) => {
            z.items().iter().map(|i| format!("{}:{:?}", i.score, i.member.as_bytes()).into_bytes()).collect()
        }
    };
    if matches!(value, Value::Set(_) | Value::Hash(_)) {
        elements.sort();
    }
    (format!("{}/{}", value.type_name(), value.encoding()), elements)
}

fn round_trip(value: &Value, compress: bool) -> Value {
    let payload = dump(value, compress);
    assert_eq!(serialized_len(value, compress), payload.len() - 11);
    match restore(&payload, true, &limits()) {
        Ok(v) => v,
        Err(e) => panic!("{value:?} did not restore: {e:?}"),
    }
}

/// Decodes a value of type `ty` from `body`.
fn decode(ty: ValueType, body: &[u8]) -> Result<Value, RdbError> {
    decode_with(ty, body, &limits())
}

fn decode_with(ty: ValueType, body: &[u8], limits: &EncodingLimits) -> Result<Value, RdbError> {
    read_value(&mut Reader::new(body, false), ty as u8, limits)
}

/// `strings` as the writer writes them, one after the other, after `count` as a length.
fn body(count: Option<u64>, strings: &[&[u8]]) -> Vec<u8> {
    let mut w = Writer::new(Vec::new(), false, false);
    if let Some(n) = count {
        w.len(n).unwrap();
    }
    for s in strings {
        w.string(s).unwrap();
    }
    w.into_sink()
}

/// A blob string holding `bytes`.
fn blob(bytes: &[u8]) -> Vec<u8> {
    body(None, &[bytes])
}

fn list(values: impl IntoIterator<Item = Vec<u8>>, shape: Shape) -> Value {
    let mut l = Quicklist::new(shape);
    values.into_iter().for_each(|v| l.push(End::Back, &v));
    Value::List(Box::new(l))
}

fn set(members: &[&str]) -> Value {
    let mut s = SetValue::for_member(members[0].as_bytes());
    members.iter().for_each(|m| {
        s.add(m.as_bytes(), 512);
    });
    Value::Set(s)
}

fn hash(pairs: &[(String, String)], limits: HashLimits) -> Value {
    let mut h = HashValue::default();
    pairs.iter().for_each(|(f, v)| {
        h.set(f.as_bytes(), v.as_bytes(), limits);
    });
    Value::Hash(h)
}

fn zset(pairs: &[(f64, String)], limits: ZSetLimits) -> Value {
    let mut z = ZSetValue::for_first_member(pairs[0].1.len(), limits);
    pairs.iter().for_each(|(s, m)| {
        z.add(*s, m.as_bytes(), AddFlags::default(), limits).unwrap();
    });
    Value::ZSet(z)
}

fn samples() -> Vec<Value> {
    let n = |range: std::ops::Range<i64>, f: fn(i64) -> String| range.map(f).collect::<Vec<_>>();
    let small_hash = HashLimits { max_entries: 512, max_value: 64 };
    let small_zset = ZSetLimits { max_entries: 128, max_value: 64 };
    let pairs =
        |count: i64| n(0..count, |i| format!("field:{i}")).into_iter().zip(n(0..count, |i| format!("{}", i * 7)));
    let scored = |count: i64| n(0..count, |i| format!("m{i}")).into_iter().map(|m| (m.len() as f64 * 1.5, m));
    vec![
        Value::String(StringValue::from_bytes(b"12345")),
        Value::String(StringValue::from_bytes(b"-9223372036854775808")),
        Value::String(StringValue::from_bytes(b"hello")),
        Value::String(StringValue::from_bytes(b"")),
        Value::String(StringValue::from_bytes(&[b'x'; 500])),
        Value::String(StringValue::from_bytes(&(0..=255u8).collect::<Vec<_>>())),
        Value::String(StringValue::Raw(Box::new(b"modified in place, and longer than forty-four bytes".to_vec()))),
        list([b"a".to_vec(), b"1".to_vec(), b"-1".to_vec()], Shape::plain(-2)),
        list((0..5000).map(|i| format!("element-{i}").into_bytes()), Shape::plain(-2)),
        list((0..5000).map(|i| format!("element-{}", i % 10).into_bytes()), Shape { fill: 16, depth: 1 }),
        list([vec![b'b'; 20000], b"small".to_vec()], Shape::plain(-2)),
        set(&["1", "-5", "300"]),
        set(&["70000", "-1"]),
        set(&["5000000000", "1"]),
        set(&["a", "b", "1"]),
        Value::Set(SetValue::IntSet(IntSet::from_sorted(&(0..500).map(|i| i * 1000).collect::<Vec<_>>()))),
        hash(&pairs(3).collect::<Vec<_>>(), small_hash),
        hash(&pairs(600).collect::<Vec<_>>(), small_hash),
        hash(&[("f".into(), "v".repeat(100))], small_hash),
        zset(&scored(5).collect::<Vec<_>>(), small_zset),
        zset(&scored(200).collect::<Vec<_>>(), small_zset),
        zset(&[(f64::INFINITY, "top".into()), (f64::NEG_INFINITY, "bottom".into()), (0.1, "x".into())], small_zset),
        zset(
            &[
                (1e300, "big".into()),
                (-2.5, "neg".into()),
                (1.0 / 3.0, "a member longer than zset-max-listpack-value, 64 bytes, so a skiplist".into()),
            ],
            small_zset,
        ),
    ]
}

#[test]
fn every_type_and_encoding_round_trips() {
    for value in samples() {
        for compress in [false, true] {
            let back = round_trip(&value, compress);
            assert_eq!(contents(&back), contents(&value), "compress {compress}");
        }
    }
}

#[test]
fn decimal_strings_load_as_integers() {
    // An APPENDed "77" is `raw` in memory; loaded, it is an integer (Redis's tryObjectEncoding).
    let back = round_trip(&Value::String(StringValue::Raw(Box::new(b"77".to_vec()))), true);
    assert_eq!(back.encoding(), "int");
}

#[test]
fn dumps_match_redis_bytes() {
    // redis-cli DUMP in Redis 7.0.15 after SET k 12345, RPUSH l a 1 -1, HSET h a 1 b 2,
    // ZADD z 1 a 2.5 b, SADD s 1 2 3.
    let small = HashLimits { max_entries: 128, max_value: 64 };
    let cases: [(Value, &[u8]); 5] = [
        (Value::String(StringValue::from_bytes(b"12345")), b"\x00\xc190\n\x00\x9d\x94\xea'\x93\xfc\x08\xb9"),
        (
            list([b"a".to_vec(), b"1".to_vec(), b"-1".to_vec()], Shape::plain(-2)),
            b"\x12\x01\x02\x0f\x0f\x00\x00\x00\x03\x00\x81a\x02\x01\x01\xdf\xff\x02\xff\n\x00\xd7C\xdbU\xabhF\xed",
        ),
        (
            hash(&[("a".into(), "1".into()), ("b".into(), "2".into())], small),
            b"\x10\x11\x11\x00\x00\x00\x04\x00\x81a\x02\x01\x01\x81b\x02\x02\x01\xff\n\x00>@cl\x8f]v\x9a",
        ),
        (
            zset(&[(1.0, "a".into()), (2.5, "b".into())], ZSetLimits { max_entries: 128, max_value: 64 }),
            b"\x11\x14\x14\x00\x00\x00\x04\x00\x81a\x02\x01\x01\x81b\x02\x832.5\x04\xff\n\x00\xd4Ln\xa4\xf6D\xd9\xd7",
        ),
        (
            set(&["1", "2", "3"]),
            b"\x0b\x0e\x02\x00\x00\x00\x03\x00\x00\x00\x01\x00\x02\x00\x03\x00\n\x00\xa5\x02\\\xe2mnM\x1b",
        ),
    ];
    for (value, redis) in cases {
        assert_eq!(dump(&value, true), redis, "{value:?}");
    }
}

#[test]
fn loaded_encodings_follow_the_limits() {
    let tight = EncodingLimits {
        hash: HashLimits { max_entries: 2, max_value: 4 },
        zset: ZSetLimits { max_entries: 2, max_value: 4 },
        set_max_intset: 2,
        list: Shape::plain(2),
    };
    let encoding = |value: &Value| value.encoding();
    // A listpack hash of three fields becomes a hash table; one with long values stays a listpack
    // (Redis only checks the count of a loaded listpack).
    let three = hash(
        &[("a".into(), "1".into()), ("b".into(), "2".into()), ("c".into(), "3".into())],
        HashLimits { max_entries: 8, max_value: 8 },
    );
    let payload = dump(&three, false);
    assert_eq!(encoding(&restore(&payload, true, &tight).unwrap()), "hashtable");
    let long = hash(&[("a".into(), "long value".into())], HashLimits { max_entries: 8, max_value: 64 });
    assert_eq!(encoding(&restore(&dump(&long, false), true, &tight).unwrap()), "listpack");
    // The same long value loaded pair by pair (type 4) goes to a hash table.
    let pairwise = decode_with(ValueType::Hash, &body(Some(1), &[b"a", b"long value"]), &tight).unwrap();
    assert_eq!(encoding(&pairwise), "hashtable");
    let ints = set(&["1", "2", "3"]);
    assert_eq!(encoding(&restore(&dump(&ints, false), true, &tight).unwrap()), "hashtable");
    let scores =
        zset(&[(1.0, "a".into()), (2.0, "b".into()), (3.0, "c".into())], ZSetLimits { max_entries: 8, max_value: 8 });
    assert_eq!(encoding(&restore(&dump(&scores, false), true, &tight).unwrap()), "skiplist");
    let Value::List(l) =
        restore(&dump(&list((0..9).map(|i| vec![b'0' + i]), Shape::plain(-2)), false), true, &tight).unwrap()
    else {
        panic!("not a list")
    };
    assert_eq!(l.node_count(), 5, "nodes of 2 entries");
}

#[test]
fn zipmap_hashes() {
    let long = vec![b'v'; 300];
    let zm = zipmap(&[(b"f1", b"v1"), (b"f2", b"22")], 1);
    let value = decode(ValueType::HashZipmap, &blob(&zm)).unwrap();
    assert_eq!(contents(&value), ("hash/listpack".into(), vec![b"f1=v1".to_vec(), b"f2=22".to_vec()]));
    // A value longer than hash-max-listpack-value sends a zipmap hash to a hash table.
    let value = decode(ValueType::HashZipmap, &blob(&zipmap(&[(b"f", &long)], 0))).unwrap();
    assert_eq!(value.encoding(), "hashtable");
    let dup = decode(ValueType::HashZipmap, &blob(&zipmap(&[(b"f", b"1"), (b"f", b"2")], 0))).unwrap_err();
    assert!(dup.to_string().contains("Zipmap integrity check failed: duplicate"), "{dup}");
}

#[test]
fn ziplist_lists_hashes_and_sorted_sets() {
    let zl = ziplist(&[b"a", b"12", b"-70000", b"last"]);
    let value = decode(ValueType::ListZiplist, &blob(&zl)).unwrap();
    assert_eq!(contents(&value).1, [b"a".to_vec(), b"12".to_vec(), b"-70000".to_vec(), b"last".to_vec()]);
    let value = decode(ValueType::HashZiplist, &blob(&zl)).unwrap();
    assert_eq!(contents(&value), ("hash/listpack".into(), vec![b"-70000=last".to_vec(), b"a=12".to_vec()]));
    // Scores as integers and as text (Redis's d2string), read back in order.
    let zs = ziplist(&[b"b", b"2", b"a", b"1.5", b"c", b"inf"]);
    let Value::ZSet(z) = decode(ValueType::ZSetZiplist, &blob(&zs)).unwrap() else { panic!() };
    let items: Vec<(f64, Vec<u8>)> = z.items().iter().map(|i| (i.score, i.member.as_bytes().to_vec())).collect();
    assert_eq!(items, [(1.5, b"a".to_vec()), (2.0, b"b".to_vec()), (f64::INFINITY, b"c".to_vec())]);
    let odd = decode(ValueType::HashZiplist, &blob(&ziplist(&[b"a", b"b", b"c"]))).unwrap_err();
    assert!(odd.to_string().contains("even number"), "{odd}");
    let nan = decode(ValueType::ZSetZiplist, &blob(&ziplist(&[b"m", b"nan"]))).unwrap_err();
    assert!(nan.to_string().contains("Zset with NAN score detected"), "{nan}");
    let empty = decode(ValueType::ListZiplist, &blob(&ziplist(&[]))).unwrap_err();
    assert!(matches!(empty.kind, ErrorKind::EmptyValue));
    let mut broken = zl.clone();
    broken[11] = 0x3f;
    let err = decode(ValueType::ListZiplist, &blob(&broken)).unwrap_err();
    assert!(err.to_string().contains("List ziplist integrity check failed"), "{err}");
}

#[test]
fn intsets_of_every_width() {
    for (values, width) in [(vec![-3, 1, 2], 2), (vec![-100_000, 5], 4), (vec![1, i64::MAX], 8), (vec![1, 2], 8)] {
        let value = decode(ValueType::SetIntset, &blob(&intset(&values, width))).unwrap();
        let Value::Set(s) = &value else { panic!("not a set") };
        assert!(matches!(s, SetValue::IntSet(v) if v.iter().eq(values.iter().copied())), "{s:?}");
    }
    let big: Vec<i64> = (0..600).collect();
    assert_eq!(decode(ValueType::SetIntset, &blob(&intset(&big, 2))).unwrap().encoding(), "hashtable");
    let err = decode(ValueType::SetIntset, &blob(&intset(&[2, 1], 2))).unwrap_err();
    assert!(err.to_string().contains("Intset integrity check failed"), "{err}");
}

#[test]
fn old_sorted_sets_with_text_scores() {
    // Type 3: member, then a length byte and text (253 NaN, 254 +inf, 255 -inf).
    let mut b = body(Some(3), &[b"a"]);
    b.extend_from_slice(b"\x041.25");
    b.extend_from_slice(&body(None, &[b"b"]));
    b.push(254);
    b.extend_from_slice(&body(None, &[b"c"]));
    b.push(255);
    let Value::ZSet(z) = decode(ValueType::ZSet, &b).unwrap() else { panic!() };
    let scores: Vec<f64> = z.items().iter().map(|i| i.score).collect();
    assert_eq!(scores, [f64::NEG_INFINITY, 1.25, f64::INFINITY]);
    let mut nan = body(Some(1), &[b"a"]);
    nan.push(253);
    assert!(decode(ValueType::ZSet, &nan).unwrap_err().to_string().contains("NAN score"));
    let mut dup = body(Some(2), &[b"a"]);
    dup.extend_from_slice(&[1, b'1']);
    dup.extend_from_slice(&body(None, &[b"a"]));
    dup.extend_from_slice(&[1, b'2']);
    assert!(decode(ValueType::ZSet, &dup).unwrap_err().to_string().contains("Duplicate zset fields"));
}

#[test]
fn quicklists_of_ziplists_and_of_listpacks_and_plain_nodes() {
    let nodes = [ziplist(&[b"a", b"b"]), ziplist(&[]), ziplist(&[b"1", b"c"])];
    let mut v1 = Writer::new(Vec::new(), false, true);
    v1.len(3).unwrap();
    nodes.iter().for_each(|n| v1.string(n).unwrap());
    let value = decode(ValueType::ListQuicklist, &v1.into_sink()).unwrap();
    assert_eq!(contents(&value).1, [b"a".to_vec(), b"b".to_vec(), b"1".to_vec(), b"c".to_vec()]);

    let lp: Listpack = ["x", "y"].into_iter().collect();
    let mut v2 = Writer::new(Vec::new(), false, false);
    v2.len(2).unwrap();
    v2.len(1).unwrap();
    v2.string(b"a plain element").unwrap();
    v2.len(2).unwrap();
    v2.string(&listpack::framed(lp.encoded(), lp.len())).unwrap();
    let value = decode(ValueType::ListQuicklist2, &v2.into_sink()).unwrap();
    assert_eq!(contents(&value).1, [b"a plain element".to_vec(), b"x".to_vec(), b"y".to_vec()]);

    let bad_container = [1, 3, 1, b'x'];
    assert!(decode(ValueType::ListQuicklist2, &bad_container).unwrap_err().to_string().contains("Quicklist integrity"));
    let empty_node = [1, 2, 0];
    assert!(decode(ValueType::ListQuicklist2, &empty_node).unwrap_err().to_string().contains("with data"));
}

#[test]
fn sets_one_by_one_and_as_listpacks() {
    let value = decode(ValueType::Set, &body(Some(3), &[b"3", b"1", b"2"])).unwrap();
    assert_eq!(value.encoding(), "intset");
    let value = decode(ValueType::Set, &body(Some(2), &[b"3", b"x"])).unwrap();
    assert_eq!(value.encoding(), "hashtable");
    assert!(decode(ValueType::Set, &body(Some(2), &[b"x", b"x"])).is_err());
    let lp: Listpack = ["5", "-1", "9"].into_iter().collect();
    let value = decode(ValueType::SetListpack, &blob(&listpack::framed(lp.encoded(), lp.len()))).unwrap();
    assert_eq!(contents(&value), ("set/intset".into(), vec![b"-1".to_vec(), b"5".to_vec(), b"9".to_vec()]));
    let dup: Listpack = ["a", "a"].into_iter().collect();
    assert!(decode(ValueType::SetListpack, &blob(&listpack::framed(dup.encoded(), 2))).is_err());
}

#[test]
fn refused_types_name_themselves() {
    for (ty, what) in
        [(6u8, "module data not supported"), (7, "module data not supported"), (15, "RDB type 15"), (21, "RDB type 21")]
    {
        let err = read_value(&mut Reader::new(&[0u8; 4][..], false), ty, &limits()).unwrap_err();
        assert!(err.to_string().contains(what), "{err}");
    }
    let err = read_value(&mut Reader::new(&[0u8; 4][..], false), 8, &limits()).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::UnknownType(8)));
    for ty in [ValueType::List, ValueType::Set, ValueType::ZSet2, ValueType::Hash, ValueType::ListQuicklist2] {
        assert!(matches!(decode(ty, &[0]).unwrap_err().kind, ErrorKind::EmptyValue), "{ty:?}");
    }
}

#[test]
fn payload_footer_checks() {
    let payload = dump(&Value::String(StringValue::from_bytes(b"hello")), true);
    let version_or_checksum =
        |p: &[u8], verify: bool| matches!(restore(p, verify, &limits()), Err(PayloadError::VersionOrChecksum));
    assert!(version_or_checksum(&payload[..9], true));
    let mut flipped = payload.clone();
    flipped[2] ^= 1;
    assert!(version_or_checksum(&flipped, true));
    assert!(restore(&flipped, false, &limits()).is_ok(), "checksum checks can be skipped");
    let mut newer = payload.clone();
    let at = newer.len() - 10;
    newer[at] = 11;
    assert!(version_or_checksum(&newer, false));
    let mut bad = vec![0u8, 0x05, b'a'];
    bad.extend_from_slice(&10u16.to_le_bytes());
    bad.extend_from_slice(&checksum::crc64(&bad).to_le_bytes());
    assert!(matches!(restore(&bad, true, &limits()), Err(PayloadError::BadData(_))));
}

fn lru_clock(now_secs: u64) -> AccessClock {
    AccessClock { mode: ClockMode::Lru, now_secs, touch: true }
}

fn options(databases: usize) -> LoadOptions {
    LoadOptions { databases, verify_checksum: true, limits: limits() }
}

/// Two databases with keys of every type, a TTL and a function library, saved to bytes.
fn sample_file(checksum: bool, access: AccessStamps) -> Vec<u8> {
    let mut dbs: Vec<Db> = (0..3).map(|_| Db::default()).collect();
    for (i, value) in samples().into_iter().enumerate() {
        dbs[0].insert(format!("key:{i}").as_bytes(), value, false);
    }
    dbs[2].insert(b"volatile", Value::String(StringValue::from_bytes(b"v")), false);
    dbs[2].set_expire(b"volatile", 4_000_000_000_000);
    let options = SaveOptions { compress: true, checksum, access };
    let aux = Aux { ctime: 1_700_000_000, used_mem: 12345, aof_base: false, replication: None };
    save(
        Vec::new(),
        &dbs,
        &[b"#!lua name=lib\nredis.register_function('f', function() return 1 end)".to_vec()],
        &options,
        &aux,
    )
    .unwrap()
}

#[test]
fn files_round_trip_with_aux_functions_and_expiry() {
    let file = sample_file(true, AccessStamps::None);
    assert_eq!(&file[..9], b"REDIS0010");
    let loaded = load(&file[..], &options(3)).unwrap();
    assert_eq!(loaded.version, 10);
    let aux: Vec<(String, String)> = loaded
        .aux
        .iter()
        .map(|(k, v)| (String::from_utf8_lossy(k).into_owned(), String::from_utf8_lossy(v).into_owned()))
        .collect();
    let names: Vec<&str> = aux.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"]);
    assert_eq!(aux[0].1, "7.0.15");
    assert_eq!(aux[2].1, "1700000000");
    assert_eq!(loaded.functions.len(), 1);
    assert_eq!(loaded.dbs[0].len(), samples().len());
    assert!(loaded.dbs[1].is_empty());
    let volatile = &loaded.dbs[2][0];
    assert_eq!((volatile.key.as_slice(), volatile.expire), (&b"volatile"[..], Some(4_000_000_000_000)));
    let by_key = |key: &str| loaded.dbs[0].iter().find(|k| k.key == key.as_bytes()).map(|k| contents(&k.value));
    for (i, value) in samples().iter().enumerate() {
        assert_eq!(by_key(&format!("key:{i}")), Some(contents(value)));
    }
}

#[test]
fn access_hints_are_saved_per_policy() {
    let file = sample_file(true, AccessStamps::Idle(lru_clock(1_000_000 + 3600)));
    let loaded = load(&file[..], &options(3)).unwrap();
    // Keys were stamped at `Db::default()`'s clock (now); an hour is far off, so idle is large.
    assert!(loaded.dbs[0].iter().all(|k| k.idle_secs.is_some() && k.freq.is_none()));
    let lfu = AccessClock { mode: ClockMode::Lfu { log_factor: 10, decay_minutes: 0 }, now_secs: 0, touch: true };
    let mut saver = Saver::new(
        Vec::new(),
        &SaveOptions { compress: false, checksum: true, access: AccessStamps::Freq(lfu) },
        &Aux::snapshot(0),
    )
    .unwrap();
    saver.select_db(0, 1, 0).unwrap();
    saver.save_key(b"k", &Entry::new(Value::String(StringValue::from_bytes(b"v")), 42), None).unwrap();
    let file = saver.finish().unwrap();
    let loaded = load(&file[..], &options(1)).unwrap();
    assert_eq!((loaded.dbs[0][0].freq, loaded.dbs[0][0].idle_secs), (Some(42), None));
}

#[test]
fn checksums_are_checked_unless_zero_or_off() {
    let file = sample_file(true, AccessStamps::None);
    let mut flipped = file.clone();
    let at = flipped.len() - 3;
    flipped[at] ^= 0xff;
    let err = load(&flipped[..], &options(3)).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Checksum { .. }), "{err}");
    assert_eq!(err.offset, file.len() as u64 - 8);
    assert!(load(&flipped[..], &LoadOptions { verify_checksum: false, ..options(3) }).is_ok());
    let unchecked = sample_file(false, AccessStamps::None);
    assert_eq!(&unchecked[unchecked.len() - 8..], &[0; 8]);
    assert!(load(&unchecked[..], &options(3)).is_ok());
}

#[test]
fn every_truncation_is_an_error_with_its_offset() {
    let file = sample_file(true, AccessStamps::None);
    // Every cut in the header and the last bytes, and 300 cuts in between.
    let step = file.len() / 300;
    for cut in (0..100).chain((100..file.len()).step_by(step)).chain(file.len() - 8..file.len()) {
        match load(&file[..cut], &options(3)) {
            Ok(_) => panic!("a file cut at {cut} loaded"),
            Err(e) => assert!(e.offset <= cut as u64, "offset {} past the cut {cut}", e.offset),
        }
    }
}

#[test]
fn headers_and_databases_are_checked() {
    let file = sample_file(true, AccessStamps::None);
    let err = load(&b"REDIX0010\xff"[..], &options(3)).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::BadSignature));
    let err = load(&b"REDIS0012\xff"[..], &options(3)).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::UnsupportedVersion(12)));
    let err = load(&b"REDIS00a1\xff"[..], &options(3)).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::UnsupportedVersion(0)));
    let err = load(&file[..], &options(2)).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::DbOutOfRange { db: 2, databases: 2 }), "{err}");
    // Version 11 (Redis 7.2) and old versions without a checksum load.
    let mut v11 = b"REDIS0011".to_vec();
    v11.extend_from_slice(&[0xfe, 0, ValueType::String as u8, 1, b'k', 1, b'v', 0xff]);
    v11.extend_from_slice(&checksum::crc64(&v11).to_le_bytes());
    assert_eq!(load(&v11[..], &options(1)).unwrap().dbs[0].len(), 1);
    let v4 = b"REDIS0004\xfe\x00\x00\x01k\x01v\xfd\x10\x00\x00\x00\x00\x01j\x01w\xff";
    let loaded = load(&v4[..], &options(1)).unwrap();
    assert_eq!(loaded.dbs[0][1].expire, Some(16_000));
    for (bytes, what) in
        [(&[0xf7][..], "module data"), (&[0xf6][..], "release candidates"), (&[0x08][..], "unknown value type")]
    {
        let mut f = b"REDIS0009".to_vec();
        f.extend_from_slice(bytes);
        let err = load(&f[..], &options(1)).unwrap_err();
        assert!(err.to_string().contains(what), "{err}");
        assert_eq!(err.offset, 9);
    }
}

#[test]
fn load_options_follow_the_config() {
    let mut config = crate::config::Config::default();
    let options = LoadOptions::from_config(&config, false);
    assert_eq!((options.databases, options.verify_checksum), (16, true));
    assert_eq!(options.limits, limits());
    assert!(!LoadOptions::from_config(&config, true).verify_checksum);
    config.snapshot.checksum = false;
    assert!(!LoadOptions::from_config(&config, false).verify_checksum);
}

#[test]
fn empty_keys_are_skipped_in_files() {
    let mut f = b"REDIS0009".to_vec();
    f.extend_from_slice(&[ValueType::Set as u8, 1, b'e', 0, ValueType::String as u8, 1, b'k', 1, b'v', 0xff]);
    f.extend_from_slice(&checksum::crc64(&f).to_le_bytes());
    let loaded = load(&f[..], &options(1)).unwrap();
    assert_eq!((loaded.empty_keys_skipped, loaded.dbs[0].len()), (1, 1));
}

#[test]
fn random_corruption_never_panics() {
    let file = sample_file(true, AccessStamps::None);
    let mut rng = fastrand::Rng::with_seed(11);
    for _ in 0..300 {
        let mut bad = file.clone();
        for _ in 0..rng.usize(1..4) {
            let at = rng.usize(9..bad.len());
            bad[at] = rng.u8(..);
        }
        let _ = load(&bad[..], &LoadOptions { verify_checksum: false, ..options(3) });
    }
    for value in samples() {
        let payload = dump(&value, true);
        for _ in 0..30 {
            let mut bad = payload.clone();
            let at = rng.usize(..bad.len() - 10);
            bad[at] = rng.u8(..);
            let _ = restore(&bad, false, &limits());
        }
    }
}
