//! Typed forms of two directives the executor reads on every command or message:
//! `notify-keyspace-events` (which keyspace events are published) and
//! `client-output-buffer-limit` (when a client's pending output gets it disconnected).

/// Keyspace event classes (`notify-keyspace-events`), bit for bit Redis's `NOTIFY_*` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NotifyFlags(pub u32);

impl NotifyFlags {
    /// `K`: publish on `__keyspace@<db>__:<key>`.
    pub const KEYSPACE: NotifyFlags = NotifyFlags(1);
    /// `E`: publish on `__keyevent@<db>__:<event>`.
    pub const KEYEVENT: NotifyFlags = NotifyFlags(1 << 1);
    /// `g`: generic commands (DEL, EXPIRE, RENAME…).
    pub const GENERIC: NotifyFlags = NotifyFlags(1 << 2);
    /// `$`: strings.
    pub const STRING: NotifyFlags = NotifyFlags(1 << 3);
    /// `l`: lists.
    pub const LIST: NotifyFlags = NotifyFlags(1 << 4);
    /// `s`: sets.
    pub const SET: NotifyFlags = NotifyFlags(1 << 5);
    /// `h`: hashes.
    pub const HASH: NotifyFlags = NotifyFlags(1 << 6);
    /// `z`: sorted sets.
    pub const ZSET: NotifyFlags = NotifyFlags(1 << 7);
    /// `x`: expired keys.
    pub const EXPIRED: NotifyFlags = NotifyFlags(1 << 8);
    /// `e`: evicted keys.
    pub const EVICTED: NotifyFlags = NotifyFlags(1 << 9);
    /// `t`: streams.
    pub const STREAM: NotifyFlags = NotifyFlags(1 << 10);
    /// `m`: key misses (not part of `A`).
    pub const KEY_MISS: NotifyFlags = NotifyFlags(1 << 11);
    /// `d`: module key types.
    pub const MODULE: NotifyFlags = NotifyFlags(1 << 13);
    /// `n`: new keys (not part of `A`).
    pub const NEW: NotifyFlags = NotifyFlags(1 << 14);

    /// `A`: every class but `m` and `n`.
    const ALL: u32 = 0b10_0111_1111_1100;

    /// Class letters in the order CONFIG GET writes them after `A` (then K, E, m).
    const LETTERS: &'static [(u8, NotifyFlags)] = &[
        (b'g', NotifyFlags::GENERIC),
        (b'$', NotifyFlags::STRING),
        (b'l', NotifyFlags::LIST),
        (b's', NotifyFlags::SET),
        (b'h', NotifyFlags::HASH),
        (b'z', NotifyFlags::ZSET),
        (b'x', NotifyFlags::EXPIRED),
        (b'e', NotifyFlags::EVICTED),
        (b't', NotifyFlags::STREAM),
        (b'd', NotifyFlags::MODULE),
        (b'n', NotifyFlags::NEW),
        (b'K', NotifyFlags::KEYSPACE),
        (b'E', NotifyFlags::KEYEVENT),
        (b'm', NotifyFlags::KEY_MISS),
    ];

    /// Parses a `notify-keyspace-events` value; `None` for an unknown letter.
    pub fn parse(text: &[u8]) -> Option<NotifyFlags> {
        let mut bits = 0;
        for &c in text {
            bits |= match c {
                b'A' => Self::ALL,
                _ => Self::LETTERS.iter().find(|(letter, _)| *letter == c)?.1.0,
            };
        }
        Some(NotifyFlags(bits))
    }

    /// The flags of a canonical value (as CONFIG GET shows it).
    pub fn from_canonical(text: &[u8]) -> NotifyFlags {
        Self::parse(text).unwrap_or_default()
    }

    /// The value CONFIG GET shows: `A` for all the classes it covers, then the other letters.
    /// Redis 7.0 hides `n` behind `A` (`KEAn` shows as `AKE`) while still firing `new`; the
    /// configuration is kept as this text, so rkv shows `AnKE` to keep firing it.
    pub fn canonical(self) -> Vec<u8> {
        let all = self.0 & Self::ALL == Self::ALL;
        let mut out = if all { vec![b'A'] } else { Vec::new() };
        for &(letter, flag) in Self::LETTERS {
            if self.intersects(flag) && !(all && flag.0 & Self::ALL != 0) {
                out.push(letter);
            }
        }
        out
    }

    /// Whether any bit of `other` is set.
    pub fn intersects(self, other: NotifyFlags) -> bool {
        self.0 & other.0 != 0
    }
}

/// The client classes `client-output-buffer-limit` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientClass {
    /// Ordinary clients (and MONITOR).
    Normal = 0,
    /// Replicas.
    Replica = 1,
    /// Clients subscribed to a channel or pattern.
    PubSub = 2,
}

/// One class's output limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutputLimit {
    /// Disconnect as soon as pending output reaches this many bytes (0 = no hard limit).
    pub hard: u64,
    /// Disconnect when pending output stays at or above this many bytes ...
    pub soft: u64,
    /// ... for this many seconds.
    pub soft_seconds: u64,
}

/// The limits of every class, indexed by [`ClientClass`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutputLimits(pub [OutputLimit; 3]);

impl OutputLimits {
    /// Reads a canonical `client-output-buffer-limit` value (`normal 0 0 0 slave … pubsub …`).
    pub fn from_canonical(text: &str) -> OutputLimits {
        let mut limits = OutputLimits::default();
        let words: Vec<&str> = text.split(' ').collect();
        for group in words.chunks(4) {
            let class = match group[0] {
                "normal" => ClientClass::Normal,
                "slave" | "replica" => ClientClass::Replica,
                "pubsub" => ClientClass::PubSub,
                _ => continue,
            };
            let num = |i: usize| group.get(i).and_then(|w| w.parse::<u64>().ok()).unwrap_or(0);
            limits.0[class as usize] = OutputLimit { hard: num(1), soft: num(2), soft_seconds: num(3) };
        }
        limits
    }

    /// The limits of `class`.
    pub fn of(&self, class: ClientClass) -> OutputLimit {
        self.0[class as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_event_flags() {
        let f = NotifyFlags::from_canonical(b"AKE");
        assert!(f.intersects(NotifyFlags::GENERIC) && f.intersects(NotifyFlags::KEYSPACE));
        assert!(!f.intersects(NotifyFlags::KEY_MISS) && !f.intersects(NotifyFlags::NEW));
        assert_eq!(NotifyFlags::from_canonical(b""), NotifyFlags(0));
        assert_eq!(NotifyFlags::from_canonical(b"Elx").0, 2 | 16 | 256);
        assert_eq!(NotifyFlags::parse(b"KEA").map(NotifyFlags::canonical), Some(b"AKE".to_vec()));
        assert_eq!(NotifyFlags::parse(b"dt").map(NotifyFlags::canonical), Some(b"td".to_vec()));
        assert_eq!(NotifyFlags::parse(b"KEAn").map(NotifyFlags::canonical), Some(b"AnKE".to_vec()));
        assert_eq!(NotifyFlags::parse(b"mnEx").map(NotifyFlags::canonical), Some(b"xnEm".to_vec()));
        assert_eq!(NotifyFlags::parse(b"Q"), None);
    }

    #[test]
    fn canonical_output_limits() {
        let l = OutputLimits::from_canonical("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        assert_eq!(l.of(ClientClass::Normal), OutputLimit::default());
        assert_eq!(l.of(ClientClass::PubSub), OutputLimit { hard: 33554432, soft: 8388608, soft_seconds: 60 });
        assert_eq!(l.of(ClientClass::Replica).hard, 268435456);
    }
}
