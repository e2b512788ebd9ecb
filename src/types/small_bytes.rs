//! A byte string stored inline when short, so small keys cost no extra allocation.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};

/// Longest string kept inline (the type is 24 bytes, the same as a `Vec`).
pub const INLINE_CAPACITY: usize = 22;

/// A binary-safe string: up to [`INLINE_CAPACITY`] bytes inline, longer ones in one heap
/// allocation of exactly their length.
#[derive(Clone)]
pub enum SmallBytes {
    /// Short strings.
    Inline {
        /// Number of bytes used.
        len: u8,
        /// The bytes.
        data: [u8; INLINE_CAPACITY],
    },
    /// Longer strings.
    Heap(Box<[u8]>),
}

impl SmallBytes {
    /// Copies `bytes`.
    pub fn new(bytes: &[u8]) -> Self {
        if bytes.len() <= INLINE_CAPACITY {
            let mut data = [0u8; INLINE_CAPACITY];
            data[..bytes.len()].copy_from_slice(bytes);
            SmallBytes::Inline { len: bytes.len() as u8, data }
        } else {
            SmallBytes::Heap(bytes.into())
        }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            SmallBytes::Inline { len, data } => &data[..usize::from(*len)],
            SmallBytes::Heap(b) => b,
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes allocated on the heap for it (0 when inline).
    pub fn heap_size(&self) -> usize {
        match self {
            SmallBytes::Inline { .. } => 0,
            SmallBytes::Heap(b) => b.len(),
        }
    }
}

impl From<&[u8]> for SmallBytes {
    fn from(bytes: &[u8]) -> Self {
        SmallBytes::new(bytes)
    }
}

impl From<Vec<u8>> for SmallBytes {
    fn from(bytes: Vec<u8>) -> Self {
        if bytes.len() <= INLINE_CAPACITY {
            SmallBytes::new(&bytes)
        } else {
            SmallBytes::Heap(bytes.into_boxed_slice())
        }
    }
}

impl Borrow<[u8]> for SmallBytes {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl PartialEq for SmallBytes {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for SmallBytes {}

impl Hash for SmallBytes {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl fmt::Debug for SmallBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_heap() {
        assert_eq!(std::mem::size_of::<SmallBytes>(), 24);
        let short = SmallBytes::new(b"key:000000000001");
        assert!(matches!(short, SmallBytes::Inline { .. }));
        assert_eq!(short.as_bytes(), b"key:000000000001");
        assert_eq!(short.heap_size(), 0);
        let long = SmallBytes::from(vec![7u8; 23]);
        assert!(matches!(long, SmallBytes::Heap(_)));
        assert_eq!(long.len(), 23);
        assert_eq!(SmallBytes::new(b""), SmallBytes::from(Vec::new()));
    }
}
