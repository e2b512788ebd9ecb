//! Checks shared by the fuzz targets, and a fixed-seed test that runs them on stable Rust.

use rkv::protocol::{Batch, DecodeLimits, ProtocolError, RequestDecoder};
use rkv::types::lzf;

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

/// Asserts `plain` compresses (if it does) to a shorter stream that decodes back to it.
fn lzf_round_trip(plain: &[u8]) {
    if let Some(packed) = lzf::compress(plain) {
        assert!(packed.len() < plain.len());
        assert_eq!(lzf::decompress(&packed, plain.len()).as_deref(), Ok(plain));
    }
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
