//! SHA-1 as Redis uses it: the building block of DEBUG DIGEST's dataset signatures, and the
//! name scripts are known by (EVALSHA).
//!
//! A thin wrapper over `sha1_smol` (no dependencies of its own, already in the lock file), so
//! callers name one function and never a crate.

/// Bytes in a SHA-1 digest.
pub const LEN: usize = 20;

/// The SHA-1 digest of `data`.
pub fn sha1(data: &[u8]) -> [u8; LEN] {
    sha1_smol::Sha1::from(data).digest().bytes()
}

/// `digest` as 40 lowercase hex digits, as Redis prints digests and script names.
pub fn to_hex(digest: &[u8; LEN]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(2 * LEN);
    for byte in digest {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        assert_eq!(to_hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(to_hex(&sha1(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
        // Two blocks: the padding spills over.
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(to_hex(&sha1(long)), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    }
}
