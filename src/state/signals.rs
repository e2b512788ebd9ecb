//! SIGTERM and SIGINT, as Redis's `sigShutdownHandler` takes them: the signal action only
//! notes that a shutdown is wanted (Redis's `shutdown_asap` and `last_sig_received`) and logs
//! it; the cron starts that shutdown (so DEBUG PAUSE-CRON holds it, and SHUTDOWN ABORT can still
//! cancel it), and so does a load between its steps. A second SIGINT while one is pending means
//! "quit now": the action itself removes the temporary RDB files and exits with status 1, even
//! while the executor's thread is held by a long foreground save.

use std::ffi::CString;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// The signal whose shutdown is pending (0: none).
static PENDING: AtomicI32 = AtomicI32::new(0);

/// Whether a load runs (the action then logs Redis's loading message).
static LOADING: AtomicBool = AtomicBool::new(false);

/// The temporary RDB files a save may be writing, relative to `dir` (the working directory):
/// a foreground save's and a background save's. Set before the action is installed.
static TEMP_FILES: OnceLock<[CString; 2]> = OnceLock::new();

/// Installs the action for SIGTERM and SIGINT; from then on they no longer end the process
/// by default. `temp_files` are removed when a second SIGINT insists.
pub fn install(temp_files: [String; 2]) {
    let _ = TEMP_FILES.set(temp_files.map(|name| CString::new(name).unwrap_or_default()));
    for signal in [libc::SIGTERM, libc::SIGINT] {
        // SAFETY: `on_signal` only touches atomics, a set-once cell and async-signal-safe
        // calls (write, unlink, _exit).
        if let Err(e) = unsafe { signal_hook_registry::register(signal, move || on_signal(signal)) } {
            tracing::warn!("Could not install the handler of signal {signal}: {e}; only SHUTDOWN will stop the server");
        }
    }
}

/// The signal action. Async-signal-safe.
fn on_signal(signal: i32) {
    if signal == libc::SIGINT && PENDING.load(Ordering::Relaxed) != 0 {
        crate::logging::log_from_signal_handler(b"You insist... exiting now.");
        if let Some(files) = TEMP_FILES.get() {
            for file in files {
                // SAFETY: a valid NUL-terminated path; unlink is async-signal-safe.
                unsafe { libc::unlink(file.as_ptr()) };
            }
        }
        // SAFETY: _exit is async-signal-safe; the process ends here, as Redis's exit(1) does.
        unsafe { libc::_exit(1) };
    }
    let message: &[u8] = if LOADING.load(Ordering::Relaxed) {
        b"Received shutdown signal during loading, scheduling shutdown."
    } else if signal == libc::SIGINT {
        b"Received SIGINT scheduling shutdown..."
    } else {
        b"Received SIGTERM scheduling shutdown..."
    };
    crate::logging::log_from_signal_handler(message);
    PENDING.store(signal, Ordering::Relaxed);
}

/// The signal whose shutdown is pending, if one is.
pub fn pending() -> Option<i32> {
    Some(PENDING.load(Ordering::Relaxed)).filter(|&s| s != 0)
}

/// Forgets the pending shutdown (it failed, or SHUTDOWN ABORT cancelled it); returns whether
/// there was one.
pub fn clear() -> bool {
    PENDING.swap(0, Ordering::Relaxed) != 0
}

/// Notes whether a load runs, for the action's message.
pub fn set_loading(loading: bool) {
    LOADING.store(loading, Ordering::Relaxed);
}
