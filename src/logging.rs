//! Logging through `tracing`, in Redis's log line format and with Redis's levels.
//!
//! `pid:M 22 Nov 2026 03:41:33.123 * message`, where the level mark is `.` debug, `-` verbose,
//! `*` notice and `#` warning. Redis's levels map onto tracing's: debug = TRACE, verbose = DEBUG,
//! notice = INFO, warning = WARN (and ERROR). The level can change at run time (CONFIG SET
//! loglevel).

use std::fmt;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicI32, AtomicU8, Ordering};

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{Layer, filter};

use crate::config::LogLevel;
use crate::types::number::format_i64;

static LEVEL: AtomicU8 = AtomicU8::new(LogLevel::Notice as u8);

/// The descriptor log lines go to, for [`log_from_signal_handler`] (-1: discarded).
static LOG_FD: AtomicI32 = AtomicI32::new(libc::STDOUT_FILENO);

/// Changes the level of messages written from now on.
pub fn set_level(level: LogLevel) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

fn enabled(level: &Level) -> bool {
    let current = LEVEL.load(Ordering::Relaxed);
    let needed = match *level {
        Level::TRACE => LogLevel::Debug,
        Level::DEBUG => LogLevel::Verbose,
        Level::INFO => LogLevel::Notice,
        Level::WARN | Level::ERROR => LogLevel::Warning,
    };
    needed as u8 >= current && current != LogLevel::Nothing as u8
}

/// Where log lines go.
pub enum Target {
    /// Standard output.
    Stdout,
    /// Appended to a file.
    File(std::fs::File),
    /// Discarded (daemonized with no log file).
    Discard,
}

/// Installs the global subscriber. Call once, before anything logs.
pub fn init(level: LogLevel, target: Target) {
    set_level(level);
    let fd = match &target {
        Target::Stdout => libc::STDOUT_FILENO,
        Target::File(f) => f.as_raw_fd(),
        Target::Discard => -1,
    };
    LOG_FD.store(fd, Ordering::Relaxed);
    let writer: tracing_subscriber::fmt::writer::BoxMakeWriter = match target {
        Target::Stdout => tracing_subscriber::fmt::writer::BoxMakeWriter::new(std::io::stdout),
        Target::File(f) => tracing_subscriber::fmt::writer::BoxMakeWriter::new(std::sync::Mutex::new(f)),
        Target::Discard => tracing_subscriber::fmt::writer::BoxMakeWriter::new(std::io::sink),
    };
    let layer = tracing_subscriber::fmt::layer()
        .event_format(RedisFormat)
        .with_writer(writer)
        .with_filter(filter::filter_fn(|meta| enabled(meta.level())));
    // A second init (tests) keeps the first subscriber.
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
}

/// Writes `pid:signal-handler (unix-secs) message` to the log, as Redis's
/// `serverLogFromHandler`: async-signal-safe (no allocation, no lock, one `write`), for use
/// in a signal action. The level is not checked.
pub fn log_from_signal_handler(message: &[u8]) {
    let fd = LOG_FD.load(Ordering::Relaxed);
    if fd < 0 {
        return;
    }
    let mut line = [0u8; 256];
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        let n = bytes.len().min(line.len() - len);
        line[len..len + n].copy_from_slice(&bytes[..n]);
        len += n;
    };
    let mut digits = [0u8; 20];
    put(format_i64(i64::from(std::process::id()), &mut digits));
    put(b":signal-handler (");
    // SAFETY: time(NULL) is async-signal-safe.
    let now = unsafe { libc::time(std::ptr::null_mut()) };
    put(format_i64(now, &mut digits));
    put(b") ");
    put(message);
    put(b"\n");
    // SAFETY: writes `len` initialized bytes of `line`; write is async-signal-safe.
    unsafe { libc::write(fd, line.as_ptr().cast(), len) };
}

struct RedisFormat;

impl<S, N> FormatEvent<S, N> for RedisFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(&self, ctx: &FmtContext<'_, S, N>, mut writer: Writer<'_>, event: &Event<'_>) -> fmt::Result {
        let mark = match *event.metadata().level() {
            Level::TRACE => '.',
            Level::DEBUG => '-',
            Level::INFO => '*',
            Level::WARN | Level::ERROR => '#',
        };
        write!(writer, "{}:M {} {} ", std::process::id(), timestamp(), mark)?;
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

/// Local time as `22 Nov 2026 03:41:33.123`.
pub fn timestamp() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = now.as_secs() as libc::time_t;
    // SAFETY: localtime_r writes into the zeroed struct we own; a null return leaves it zeroed.
    let tm = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&secs, &mut tm);
        tm
    };
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.get(tm.tm_mon as usize).copied().unwrap_or("Jan");
    let mut s = Vec::with_capacity(32);
    let _ = write!(
        s,
        "{:02} {} {} {:02}:{:02}:{:02}.{:03}",
        tm.tm_mday,
        month,
        tm.tm_year + 1900,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        now.subsec_millis()
    );
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_filter_like_redis() {
        set_level(LogLevel::Notice);
        assert!(enabled(&Level::WARN));
        assert!(enabled(&Level::INFO));
        assert!(!enabled(&Level::DEBUG));
        set_level(LogLevel::Debug);
        assert!(enabled(&Level::TRACE));
        set_level(LogLevel::Nothing);
        assert!(!enabled(&Level::ERROR));
        set_level(LogLevel::Notice);
    }
}
