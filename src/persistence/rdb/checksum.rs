//! Redis's CRC-64 (the Jones polynomial, reflected, no final xor), which ends RDB files and DUMP
//! payloads.

use crc::{CRC_64_REDIS, Crc, Table};

/// The table-driven CRC (16 lanes: files are checksummed as they stream, so speed matters).
static CRC64: Crc<u64, Table<16>> = Crc::<u64, Table<16>>::new(&CRC_64_REDIS);

/// A running checksum.
pub type Digest = crc::Digest<'static, u64, Table<16>>;

/// A checksum of nothing yet.
pub fn digest() -> Digest {
    CRC64.digest()
}

/// The checksum of `bytes`.
pub fn crc64(bytes: &[u8]) -> u64 {
    CRC64.checksum(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_redis_check_value() {
        // Redis's crc64 test: crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca.
        assert_eq!(crc64(b"123456789"), 0xe9c6_d914_c4b8_d9ca);
        let mut d = digest();
        d.update(b"1234");
        d.update(b"56789");
        assert_eq!(d.finalize(), 0xe9c6_d914_c4b8_d9ca);
    }
}
