//! Checks shared by the fuzz targets, and a fixed-seed test that runs them on stable Rust.

use rkv::keyspace::{HashLimits, Value};
use rkv::persistence::rdb::{self, EncodingLimits, LoadOptions};
use rkv::protocol::{Batch, DecodeLimits, ProtocolError, RequestDecoder};
use rkv::types::quicklist::Shape;
use rkv::types::zset::ZSetLimits;
use rkv::types::{hll, lzf};

/// Most split points taken from the fuzz input.
const MAX_CUTS: usize = 7;

/// Requests (as owned argument lists) and the protocol error that ended decoding, if any.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    /// Every complete request, in order.
    pub requests: Vec<Vec<Vec<u8>>>,
    /// The error that stopped decoding.
    pub error: Option<ProtocolError>,
}

/// Decodes `data` as a connection would, and asserts it must not matter how the bytes arrive.
///
/// Layout: byte 0 holds options (bit 0: the client must authenticate; bit 1: a tiny
/// `proto-max-bulk-len`; bits 2..5: how many split points follow), then 2 bytes per split point,
/// then the stream. Decoding panics if a request's argument ranges leave the buffer.
pub fn check_decode(data: &[u8]) {
    let Some((&options, rest)) = data.split_first() else { return };
    let limits = DecodeLimits {
        auth_required: options & 1 != 0,
        max_bulk_len: if options & 2 != 0 { 64 } else { DecodeLimits::default().max_bulk_len },
    };
    let cut_count = (usize::from(options >> 2) & 7).min(MAX_CUTS).min(rest.len() / 2);
    let (cut_bytes, stream) = rest.split_at(cut_count * 2);
    let mut cuts: Vec<usize> =
        cut_bytes.chunks_exact(2).map(|c| usize::from(u16::from_le_bytes([c[0], c[1]])) % (stream.len() + 1)).collect();
    cuts.sort_unstable();

    let whole = decode_in_chunks(stream, &[], limits);
    let chunked = decode_in_chunks(stream, &cuts, limits);
    assert_eq!(whole, chunked, "cuts {cuts:?}");
}

/// Feeds `stream` to a decoder in pieces ending at `cuts` (sorted), running and dropping each
/// batch and the consumed bytes after every piece, like the connection task.
pub fn decode_in_chunks(stream: &[u8], cuts: &[usize], limits: DecodeLimits) -> Decoded {
    let mut decoder = RequestDecoder::new();
    let mut batch = Batch::new();
    let mut buf = Vec::new();
    let mut decoded = Decoded { requests: Vec::new(), error: None };
    let mut from = 0;
    for &to in cuts.iter().chain(std::iter::once(&stream.len())) {
        buf.extend_from_slice(&stream[from..to]);
        from = to;
        let result = loop {
            match decoder.next(&buf, limits, &mut batch) {
                Ok(true) => {}
                Ok(false) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        // Collecting the arguments indexes the buffer with every range: out of bounds panics.
        decoded.requests.extend(batch.iter(&buf).map(|args| args.map(<[u8]>::to_vec).collect::<Vec<_>>()));
        batch.clear();
        if let Err(e) = result {
            decoded.error = Some(e);
            return decoded;
        }
        let consumed = decoder.request_start();
        assert!(consumed <= buf.len());
        buf.drain(..consumed);
        decoder.consumed(consumed);
    }
    decoded
}

/// Runs `data` through the LZF decoder as untrusted input, and through the compressor.
///
/// Layout: bytes 0..2 hold the stated decompressed size (little endian), the rest is the stream.
/// Decoding must return an error or exactly that many bytes, never panic; whatever decodes, and
/// the whole input, must survive a compression round trip.
pub fn check_lzf(data: &[u8]) {
    let Some((size, stream)) = data.split_first_chunk::<2>() else { return };
    let size = usize::from(u16::from_le_bytes(*size));
    if let Ok(plain) = lzf::decompress(stream, size) {
        assert_eq!(plain.len(), size);
        lzf_round_trip(&plain);
    }
    lzf_round_trip(data);
}

/// Runs every HLL operation on `data` as an untrusted HLL string (the `HYLL` header is
/// prepended when byte 0 is even, so that most inputs reach the register code): nothing panics,
/// and a string that converts to dense keeps its registers and its count.
pub fn check_hll(data: &[u8]) {
    let Some((&options, body)) = data.split_first() else { return };
    let bytes = if options & 1 == 0 { [&b"HYLL"[..], body].concat() } else { body.to_vec() };
    let Some(encoding) = hll::encoding(&bytes) else { return };
    let sparse_max = if options & 2 == 0 { 3000 } else { 40 };
    let mut registers = [0u8; hll::REGISTERS];
    let merged = hll::merge_into(&mut registers, &bytes);
    let count = hll::count(&bytes);
    let _ = hll::cached(&bytes);
    if encoding == hll::Encoding::Sparse {
        let _ = hll::decode(&bytes);
    }
    let mut dense = bytes.clone();
    if hll::to_dense(&mut dense).is_ok() {
        assert_eq!(hll::encoding(&dense), Some(hll::Encoding::Dense));
        assert!(merged.is_ok());
        let mut again = [0u8; hll::REGISTERS];
        assert!(hll::merge_into(&mut again, &dense).is_ok());
        assert_eq!(again, registers);
        if encoding == hll::Encoding::Sparse {
            assert_eq!(count, hll::count(&dense));
        }
    }
    let mut written = bytes;
    for element in body.chunks(3).take(8) {
        if hll::add(&mut written, element, sparse_max).is_err() {
            return;
        }
    }
    let _ = hll::set_register(&mut written, usize::from(options) * 64, 40, sparse_max);
    let _ = hll::count(&written);
}

/// Asserts `plain` compresses (if it does) to a shorter stream that decodes back to it.
fn lzf_round_trip(plain: &[u8]) {
    if let Some(packed) = lzf::compress(plain) {
        assert!(packed.len() < plain.len());
        assert_eq!(lzf::decompress(&packed, plain.len()).as_deref(), Ok(plain));
    }
}

/// Encoding limits chosen by an options byte: Redis's defaults, or tiny ones so that loaded
/// values convert between encodings.
fn limits(tiny: bool) -> EncodingLimits {
    if !tiny {
        return EncodingLimits::redis_defaults();
    }
    EncodingLimits {
        hash: HashLimits { max_entries: 2, max_value: 4 },
        zset: ZSetLimits { max_entries: 2, max_value: 4 },
        set_max_intset: 2,
        list: Shape { fill: 2, depth: 1 },
    }
}

/// Asserts that a value loaded from untrusted bytes is whole: rkv's own payload of it restores,
/// to a value of the same type, size and payload length.
fn check_loaded(value: &Value, limits: &EncodingLimits) {
    let payload = rdb::dump(value, true);
    assert_eq!(rdb::serialized_len(value, true), payload.len() - 11);
    let again = rdb::restore(&payload, true, limits).expect("rkv's own payload restores");
    assert_eq!(again.type_name(), value.type_name());
    assert_eq!(rdb::dump(&again, true).len() > 11, payload.len() > 11);
}

/// Loads `data` as an RDB file (untrusted): an error or a dataset, never a panic, and every
/// value loaded survives a DUMP/RESTORE round trip.
///
/// Layout: byte 0 holds options (bit 0: check the CRC64; bit 1: tiny encoding limits; bit 2: the
/// rest lacks the 9-byte header, which is made from bits 4..7 as version 6 to 11), then the file.
pub fn check_rdb_load(data: &[u8]) {
    let Some((&options, rest)) = data.split_first() else { return };
    let limits = limits(options & 2 != 0);
    let mut file = Vec::with_capacity(rest.len() + 9);
    if options & 4 != 0 {
        file.extend_from_slice(format!("REDIS{:04}", 6 + (options >> 4) % 6).as_bytes());
    }
    file.extend_from_slice(rest);
    let load_options = LoadOptions { databases: 16, verify_checksum: options & 1 != 0, limits };
    if let Ok(loaded) = rdb::load(&file[..], &load_options) {
        for key in loaded.dbs.iter().flatten() {
            check_loaded(&key.value, &limits);
        }
    }
}

/// Restores `data` as a DUMP payload (untrusted): `Bad data format` or a value, never a panic,
/// and every value restored survives another round trip.
///
/// Layout: byte 0 holds options (bit 0: check the CRC64; bit 1: tiny encoding limits; bit 2:
/// append a valid footer, version 10 and the right CRC, so the decoder sees the bytes), then the
/// payload.
pub fn check_restore_payload(data: &[u8]) {
    let Some((&options, rest)) = data.split_first() else { return };
    let limits = limits(options & 2 != 0);
    let mut payload = rest.to_vec();
    if options & 4 != 0 {
        payload.extend_from_slice(&10u16.to_le_bytes());
        let crc = crc64_of(&payload);
        payload.extend_from_slice(&crc.to_le_bytes());
    }
    if let Ok(value) = rdb::restore(&payload, options & 1 != 0, &limits) {
        check_loaded(&value, &limits);
    }
}

/// A script host for the library checks: scripts there call no commands.
struct NoCommands;

impl rkv::scripting::ScriptHost for NoCommands {
    fn call(&mut self, _argv: &[&[u8]], _propagate: bool, _out: &mut rkv::protocol::Reply) -> Result<(), String> {
        Err("no commands here".to_owned())
    }
}

/// Feeds the untrusted bytes scripts hand the Rust-written libraries: `cjson.decode`,
/// `cmsgpack.unpack`, and `struct.unpack` (byte 0 tells how many of the next bytes are its
/// format). Each may fail with a Lua error, never panic, and the script must still return.
pub fn check_script_libs(data: &[u8]) {
    // The functions returning many values are called from a Lua function inside pcall: Lua
    // 5.1's own pcall pushes its status past the stack slots a C function's many results
    // fill, which its API check (on in debug builds of the vendored Lua) stops.
    const PROBE: &str = "local function n(...) return select('#', ...) end \
        pcall(cjson.decode, ARGV[1]) pcall(function() return n(cmsgpack.unpack(ARGV[1])) end) \
        pcall(function() return n(struct.unpack(ARGV[2], ARGV[1])) end) pcall(struct.size, ARGV[2]) \
        pcall(struct.pack, ARGV[2], 1, 'ab', 2) return 1";
    thread_local! {
        static ENGINE: std::cell::RefCell<Option<(rkv::scripting::Engine, rkv::scripting::ScriptKey)>> = const { std::cell::RefCell::new(None) };
    }
    let Some((&format_len, rest)) = data.split_first() else { return };
    let (format, bytes) = rest.split_at(usize::from(format_len).min(rest.len()));
    ENGINE.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            let mut engine = rkv::scripting::Engine::new().expect("engine");
            let sha = engine.load(PROBE.as_bytes()).expect("probe compiles");
            *slot = Some((engine, sha));
        }
        let Some((engine, sha)) = slot.as_mut() else { return };
        let mut out = rkv::protocol::Reply::new(false);
        engine.eval(sha, &[], &[bytes, format], &mut NoCommands, &mut out);
        assert_eq!(out.as_bytes(), b":1\r\n", "format {format:?} data {bytes:?}");
    });
}

/// Reads `data` as the commands of an AOF file (untrusted): commands, then the end, a
/// truncation or a format error, never a panic; the same through a tiny read buffer as from
/// memory; and the commands read, written back as RESP, read back the same.
///
/// Layout: byte 0 is the read buffer's capacity for the second reading (1 to 256), then the file.
pub fn check_aof_read(data: &[u8]) {
    let Some((&capacity, file)) = data.split_first() else { return };
    let whole = read_commands(file, file.len().max(1));
    assert_eq!(read_commands(file, usize::from(capacity) + 1), whole);
    let mut again = Vec::new();
    for argv in &whole.0 {
        again.extend_from_slice(format!("*{}\r\n", argv.len()).as_bytes());
        for arg in argv {
            again.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
            again.extend_from_slice(arg);
            again.extend_from_slice(b"\r\n");
        }
    }
    let round_trip = read_commands(&again, 64);
    assert_eq!((round_trip.0, round_trip.1.as_str()), (whole.0, "end"));
}

/// Checks `data` as an AOF file the way `rkv-server --check-aof` does (untrusted bytes): a
/// report and a verdict, never a panic, and the same through a tiny read buffer as from memory.
///
/// Layout: byte 0 is the read buffer's capacity for the second check (1 to 256), then the file.
pub fn check_aof_check(data: &[u8]) {
    let Some((&capacity, file)) = data.split_first() else { return };
    let whole = aof_check_report(file, file.len().max(1));
    assert_eq!(aof_check_report(file, usize::from(capacity) + 1), whole);
}

/// The checker's report on `file` read through a buffer of `capacity` bytes, and its verdict.
fn aof_check_report(file: &[u8], capacity: usize) -> (String, bool) {
    use rkv::persistence::aof::check::{CheckedFile, RdbCheck, Repair, check_contents};
    let checked = CheckedFile {
        name: "f.aof",
        path: "f.aof",
        size: file.len() as u64,
        preamble: file.len() >= 8 && file.starts_with(b"REDIS"),
        last: true,
        repair: Repair::None,
    };
    let source = std::io::BufReader::with_capacity(capacity, std::io::Cursor::new(file));
    let rdb = RdbCheck { limits: EncodingLimits::redis_defaults(), now_ms: 0 };
    let mut out = Vec::new();
    let verdict = check_contents(&checked, source, rdb, &mut 1, &mut || false, &mut out).expect("in memory");
    (String::from_utf8_lossy(&out).into_owned(), verdict.is_ok())
}

/// The commands read from `file` through a buffer of `capacity` bytes, how reading ended, and
/// the offset it ended at.
fn read_commands(file: &[u8], capacity: usize) -> (Vec<Vec<Vec<u8>>>, String, u64) {
    use rkv::persistence::aof::{CommandReader, ReadError};
    let mut reader = CommandReader::new(std::io::BufReader::with_capacity(capacity, file), 0);
    let mut commands = Vec::new();
    let end = loop {
        match reader.next_command() {
            Ok(Some(argv)) => commands.push(argv),
            Ok(None) => break "end",
            Err(ReadError::Truncated) => break "truncated",
            Err(ReadError::Format) => break "format",
            Err(ReadError::Io(_)) => break "io",
        }
    };
    assert!(reader.offset() <= file.len() as u64);
    (commands, end.to_owned(), reader.offset())
}

/// Redis's CRC-64 of `bytes` (what a payload's footer carries).
fn crc64_of(bytes: &[u8]) -> u64 {
    crc::Crc::<u64>::new(&crc::CRC_64_REDIS).checksum(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64*: a fixed-seed generator, so the stable fallback is reproducible.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Pieces that make near-valid RESP more likely than uniform bytes would.
    const ATOMS: &[&[u8]] = &[
        b"*", b"$", b"\r\n", b"\r", b"\n", b"0", b"1", b"3", b"-1", b"16", b"PING", b"SET", b" ", b"\"", b"'", b"\\x4",
    ];

    /// Stable-Rust stand-in for the fuzzer: random inputs from a fixed seed.
    #[test]
    fn random_inputs_decode_the_same_however_split() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..100_000 {
            let mut data = vec![rng.next() as u8];
            for _ in 0..MAX_CUTS * 2 {
                data.push(rng.next() as u8);
            }
            for _ in 0..rng.below(40) {
                if rng.below(4) == 0 {
                    data.push(rng.next() as u8);
                } else {
                    data.extend_from_slice(ATOMS[rng.below(ATOMS.len())]);
                }
            }
            check_decode(&data);
        }
    }

    /// Stable-Rust stand-in for the `hll_parse` fuzzer: HLL strings built by PFADD, sparse and
    /// dense, mutated.
    #[test]
    fn mutated_hll_strings_never_panic() {
        let mut rng = Rng(0x2f69_3a1c_88d4_0b57);
        let mut seeds = Vec::new();
        for (n, sparse_max) in [(0, 3000), (5, 3000), (300, 3000), (3000, 3000)] {
            let mut bytes = hll::new_sparse();
            for i in 0..n {
                hll::add(&mut bytes, format!("e{i}").as_bytes(), sparse_max).unwrap();
            }
            seeds.push([&[0u8][..], &bytes[4..]].concat());
        }
        for _ in 0..3_000 {
            let seed = &seeds[rng.below(seeds.len())];
            let mut data = mutate(&mut rng, seed);
            if let Some(first) = data.first_mut() {
                *first &= !1;
            }
            check_hll(&data);
        }
    }

    /// Values of every type and encoding, as DUMP payloads: the seeds RDB mutations start from.
    fn seed_values() -> Vec<Value> {
        use rkv::keyspace::{HashValue, StringValue};
        use rkv::types::quicklist::{End, Quicklist};
        use rkv::types::set::SetValue;
        use rkv::types::zset::{AddFlags, ZSetValue};
        let mut values = vec![
            Value::String(StringValue::from_bytes(b"12345")),
            Value::String(StringValue::from_bytes(&b"abc".repeat(30))),
        ];
        for (count, shape) in [(5, Shape { fill: -2, depth: 0 }), (300, Shape { fill: 8, depth: 1 })] {
            let mut list = Quicklist::new(shape);
            (0..count).for_each(|i| list.push(End::Back, format!("e{}", i % 13).as_bytes()));
            values.push(Value::List(Box::new(list)));
        }
        for members in [&["1", "-7", "70000"][..], &["a", "b", "1"]] {
            let mut set = SetValue::for_member(members[0].as_bytes());
            members.iter().for_each(|m| {
                set.add(m.as_bytes(), 512);
            });
            values.push(Value::Set(set));
        }
        for count in [3, 200] {
            let limits = HashLimits { max_entries: 128, max_value: 64 };
            let mut hash = HashValue::default();
            (0..count).for_each(|i| {
                hash.set(format!("f{i}").as_bytes(), format!("{}", i * 3).as_bytes(), limits);
            });
            values.push(Value::Hash(hash));
            let limits = ZSetLimits { max_entries: 128, max_value: 64 };
            let mut zset = ZSetValue::for_first_member(2, limits);
            (0..count).for_each(|i| {
                zset.add(f64::from(i) / 4.0, format!("m{i}").as_bytes(), AddFlags::default(), limits).ok();
            });
            values.push(Value::ZSet(zset));
        }
        values.push(seed_stream());
        values
    }

    /// A stream of several nodes with mixed field sets, tombstones, and a group with pending
    /// entries owned by two consumers.
    fn seed_stream() -> Value {
        use rkv::types::stream::{Group, NodeLimits, Stream, StreamId};
        let limits = NodeLimits { max_bytes: 4096, max_entries: 4 };
        let mut stream = Stream::new();
        for i in 1..=11u64 {
            let value = (i * 7).to_string();
            let fields: Vec<&[u8]> =
                if i % 3 == 0 { vec![b"x", value.as_bytes()] } else { vec![b"a", value.as_bytes(), b"b", b"text"] };
            stream.append(StreamId::new(i, i % 2), &fields, limits).unwrap();
        }
        stream.delete(StreamId::new(4, 0));
        stream.max_deleted_id = StreamId::new(4, 0);
        let mut group = Group::new(StreamId::new(6, 0), 5);
        for (i, consumer) in [(1, &b"alice"[..]), (2, b"bob"), (3, b"alice")] {
            group.create_consumer(consumer, 1_000);
            group.assign(StreamId::new(i, i % 2), consumer, 2_000 + i as i64, Some(i));
        }
        stream.groups.insert(b"g".to_vec(), group);
        Value::Stream(Box::new(stream))
    }

    /// `seed` with a few random byte changes, insertions or a cut.
    fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
        let mut data = seed.to_vec();
        for _ in 0..1 + rng.below(4) {
            if data.is_empty() {
                break;
            }
            let at = rng.below(data.len());
            match rng.below(4) {
                0 => data.truncate(at),
                1 => data.insert(at, rng.next() as u8),
                _ => data[at] = rng.next() as u8,
            }
        }
        data
    }

    /// Stable-Rust stand-in for the `restore_payload` fuzzer: mutated payloads of every type,
    /// with their footer fixed so the decoder sees the damage.
    #[test]
    fn mutated_payloads_never_panic() {
        let mut rng = Rng(0x5851_f42d_4c95_7f2d);
        let seeds: Vec<Vec<u8>> = seed_values().iter().map(|v| rdb::dump(v, rng.below(2) == 0)).collect();
        for _ in 0..20_000 {
            let seed = &seeds[rng.below(seeds.len())];
            let body = mutate(&mut rng, &seed[..seed.len() - 10]);
            let options = 4 | (rng.next() as u8 & 3);
            check_restore_payload(&[&[options][..], &body].concat());
        }
    }

    /// Stable-Rust stand-in for the `rdb_load` fuzzer: mutated files holding every type.
    #[test]
    fn mutated_files_never_panic() {
        use rkv::keyspace::Db;
        use rkv::persistence::rdb::{AccessStamps, Aux, SaveOptions};
        let mut rng = Rng(0x1405_7b7e_f767_814f);
        let mut db = Db::default();
        for (i, value) in seed_values().into_iter().enumerate() {
            db.put(format!("k{i}").as_bytes(), value, (i % 3 == 0).then_some(4_000_000_000_000));
        }
        let options = SaveOptions { compress: true, checksum: true, access: AccessStamps::None };
        let file = rdb::save(Vec::new(), &[db], &[b"#!lua name=l\n".to_vec()], &options, &Aux::snapshot(0)).unwrap();
        check_rdb_load(&[&[1u8][..], &file].concat());
        for _ in 0..3_000 {
            let options = rng.next() as u8 & !4 & !1;
            check_rdb_load(&[&[options][..], &mutate(&mut rng, &file)].concat());
        }
    }

    /// Pieces of JSON, MessagePack and struct formats, so inputs get past the first byte.
    const LIB_ATOMS: &[&[u8]] = &[
        b"[",
        b"]",
        b"{",
        b"}",
        b"\"",
        b":",
        b",",
        b"1e5",
        b"-0.5",
        b"\\u00e9",
        b"null",
        b"\x91",
        b"\x81",
        b"\xa3ab",
        b"\xdc\x00\x02",
        b"\xcb",
        b"\xd9\x05",
        b"\xc1",
        b">",
        b"<",
        b"!4",
        b"i3",
        b"c0",
        b"s",
        b"d",
        b"Bc0",
        b"\x00",
    ];

    /// Stable-Rust stand-in for the `script_libs` fuzzer.
    #[test]
    fn random_library_inputs_never_panic() {
        let mut rng = Rng(0x6a09_e667_f3bc_c909);
        for _ in 0..50_000 {
            let mut data = vec![rng.below(8) as u8];
            for _ in 0..rng.below(24) {
                if rng.below(4) == 0 {
                    data.push(rng.next() as u8);
                } else {
                    data.extend_from_slice(LIB_ATOMS[rng.below(LIB_ATOMS.len())]);
                }
            }
            check_script_libs(&data);
        }
    }

    /// Stable-Rust stand-in for the `aof_read` fuzzer: near-valid AOF text from RESP pieces and
    /// annotations.
    #[test]
    fn random_aof_text_reads_the_same_however_buffered() {
        const AOF_ATOMS: &[&[u8]] = &[
            b"*2\r\n",
            b"*1\r\n",
            b"$3\r\nSET\r\n",
            b"$1\r\nk\r\n",
            b"$0\r\n\r\n",
            b"#TS:1\r\n",
            b"*",
            b"$",
            b"\r\n",
            b"\n",
            b"9",
            b"-1",
            b"x",
        ];
        let mut rng = Rng(0x3c6e_f372_fe94_f82b);
        for _ in 0..50_000 {
            let mut data = vec![rng.next() as u8];
            for _ in 0..rng.below(30) {
                data.extend_from_slice(AOF_ATOMS[rng.below(AOF_ATOMS.len())]);
            }
            check_aof_read(&data);
            check_aof_check(&data);
        }
    }

    /// LZF tokens: literal runs, short and extended back-references, odd bytes.
    const LZF_ATOMS: &[&[u8]] =
        &[b"\x00a", b"\x02abc", b"\x1f", b"\x20\x00", b"\x40\x01", b"\xe0\x10\x00", b"\xe0\xff\x01", b"\xff"];

    /// Stable-Rust stand-in for the `lzf_decompress` fuzzer.
    #[test]
    fn random_lzf_streams_never_panic() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..100_000 {
            let mut data = (rng.below(600) as u16).to_le_bytes().to_vec();
            for _ in 0..rng.below(30) {
                if rng.below(4) == 0 {
                    data.push(rng.next() as u8);
                } else {
                    data.extend_from_slice(LZF_ATOMS[rng.below(LZF_ATOMS.len())]);
                }
            }
            check_lzf(&data);
        }
    }
}
