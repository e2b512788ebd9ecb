//! Process and system probes for INFO: allocator statistics, RSS, CPU time, OS name, random ids.
//! Every probe degrades to zero or an empty string rather than failing.

/// jemalloc's view of the heap, in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allocator {
    /// Bytes allocated by the application (`used_memory`).
    pub allocated: u64,
    /// Bytes in active pages.
    pub active: u64,
    /// Bytes in physically resident data pages.
    pub resident: u64,
}

/// Reads jemalloc's statistics after refreshing them (they are cached per epoch).
pub fn allocator() -> Allocator {
    use tikv_jemalloc_ctl::{epoch, stats};
    // Without advancing the epoch jemalloc reports the numbers of the last refresh.
    let _ = epoch::advance();
    let read = |r: tikv_jemalloc_ctl::Result<usize>| r.map(|v| v as u64).unwrap_or(0);
    Allocator {
        allocated: read(stats::allocated::read()),
        active: read(stats::active::read()),
        resident: read(stats::resident::read()),
    }
}

/// `jemalloc-<version>` as INFO's `mem_allocator` shows it.
pub fn allocator_name() -> String {
    let version = tikv_jemalloc_ctl::version::read().unwrap_or("unknown");
    format!("jemalloc-{}", version.split('-').next().unwrap_or(version))
}

/// Resident set size of this process, from `/proc/self/statm`.
pub fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * page_size()
}

/// Physical memory of the machine.
pub fn total_system_memory() -> u64 {
    // SAFETY: sysconf only reads system constants.
    let pages = unsafe { libc::sysconf(libc::_SC_PHYS_PAGES) };
    u64::try_from(pages).unwrap_or(0) * page_size()
}

fn page_size() -> u64 {
    // SAFETY: sysconf only reads system constants.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    u64::try_from(size).unwrap_or(4096)
}

/// CPU time `(system, user)` in seconds for `who` (`RUSAGE_SELF`, `RUSAGE_CHILDREN`,
/// `RUSAGE_THREAD`).
pub fn cpu_times(who: libc::c_int) -> (f64, f64) {
    // SAFETY: getrusage fills the zeroed struct we own; on failure it stays zeroed.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(who, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (seconds(usage.ru_stime), seconds(usage.ru_utime))
}

/// `sysname release machine`, like Redis's `os` field.
pub fn os_name() -> String {
    // SAFETY: uname fills the zeroed struct we own; its fields are NUL-terminated C strings.
    let name = unsafe {
        let mut name: libc::utsname = std::mem::zeroed();
        if libc::uname(&mut name) != 0 {
            return String::new();
        }
        name
    };
    let field = |f: &[libc::c_char]| {
        let bytes: Vec<u8> = f.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    format!("{} {} {}", field(&name.sysname), field(&name.release), field(&name.machine))
}

/// 40 random lowercase hex characters (run ids and replication ids).
pub fn random_hex40() -> String {
    let mut bytes = [0u8; 20];
    // SAFETY: getrandom writes at most `bytes.len()` bytes into the buffer we own.
    let filled = unsafe { libc::getrandom(bytes.as_mut_ptr().cast(), bytes.len(), 0) };
    if filled != bytes.len() as isize {
        // Practically unreachable on Linux; fall back to a clock-seeded mix so ids still differ.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let mut x = (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32);
        for b in &mut bytes {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes as Redis's `bytesToHuman` prints them: `100B`, `1.00K`, `2.50M`… up to `P`, and plain
/// bytes again beyond.
pub fn bytes_to_human(n: u64) -> String {
    let mut scale = 1024u64;
    for unit in ["K", "M", "G", "T", "P"] {
        if n < scale {
            break;
        }
        if n / 1024 < scale {
            return format!("{:.2}{unit}", n as f64 / scale as f64);
        }
        scale *= 1024;
    }
    format!("{n}B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_like_redis() {
        assert_eq!(bytes_to_human(0), "0B");
        assert_eq!(bytes_to_human(1023), "1023B");
        assert_eq!(bytes_to_human(1024), "1.00K");
        assert_eq!(bytes_to_human(916424), "894.95K");
        assert_eq!(bytes_to_human(6623232), "6.32M");
        assert_eq!(bytes_to_human(25276063744), "23.54G");
        assert_eq!(bytes_to_human(1 << 40), "1.00T");
        assert_eq!(bytes_to_human(1 << 50), "1.00P");
        assert_eq!(bytes_to_human(u64::MAX), "18446744073709551615B");
    }

    #[test]
    fn ids_are_random_hex() {
        let (a, b) = (random_hex40(), random_hex40());
        assert_eq!(a.len(), 40);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }

    #[test]
    fn probes_answer() {
        assert!(rss_bytes() > 0);
        assert!(allocator_name().starts_with("jemalloc-"));
    }
}
