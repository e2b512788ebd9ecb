//! The `rkv-server` command line: like `redis-server [CONFIG_FILE] [--directive value ...]`.
//!
//! clap is not used here: redis-server's argument grammar (a positional config path that may be
//! `-` for stdin, then any directive as `--name value...` where a directive takes every argument up
//! to the next `--`) is the configuration language itself, so the config module parses it.

use std::ffi::OsString;

use crate::config::{self, Config};
use crate::logging;

const USAGE: &str = "Usage: ./rkv-server [/path/to/redis.conf] [options] [-]
       ./rkv-server - (read config from stdin)
       ./rkv-server -v or --version
       ./rkv-server -h or --help
       ./rkv-server --check-rdb <file.rdb> (check an RDB file, as redis-check-rdb)
       ./rkv-server --check-aof [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>

Examples:
       ./rkv-server (run the server with default conf)
       echo 'maxmemory 128mb' | ./rkv-server -
       ./rkv-server /etc/redis/6379.conf
       ./rkv-server --port 7777
       ./rkv-server /etc/myredis.conf --loglevel verbose -
       ./rkv-server /etc/myredis.conf --loglevel verbose
";

/// The version line printed by `--version`: redis-server's line (so scripts that parse
/// `v=7.0.15` work), then rkv's own version.
pub fn version_line() -> String {
    format!(
        "Redis server v={} sha=00000000:0 malloc={} bits={} build=0 rkv={}",
        crate::REDIS_VERSION,
        crate::stats::system::allocator_name(),
        usize::BITS,
        crate::RKV_VERSION
    )
}

/// The encodings of the default configuration, which the checkers decode values into; `None`
/// (after saying why) when it does not load.
fn default_limits(names: &[&str]) -> Option<crate::persistence::rdb::EncodingLimits> {
    match config::load(&[], names) {
        Ok(loaded) => Some(crate::persistence::rdb::EncodingLimits::from_config(&loaded.config)),
        Err(e) => {
            eprintln!("{e}");
            None
        }
    }
}

/// `--check-rdb FILE`: checks the file with the default encodings and prints the report as
/// redis-check-rdb does; exit code 0 when it is sound, 1 otherwise.
fn check_rdb(args: &[OsString], names: &[&str]) -> i32 {
    let [path] = args else {
        eprintln!("Usage: rkv-server --check-rdb <rdb-file-name>");
        return 1;
    };
    let Some(limits) = default_limits(names) else { return 1 };
    let now = crate::keyspace::now_ms();
    match crate::persistence::rdb::check_file(std::path::Path::new(path), limits, now, &mut std::io::stdout().lock()) {
        Ok(true) => 0,
        Ok(false) | Err(_) => 1,
    }
}

/// `--check-aof [--fix|--truncate-to-timestamp T] FILE`: checks a manifest and its files, or a
/// single AOF, prints the report as redis-check-aof does, and repairs the last file when asked
/// (`--fix` asks on standard input first); exit code 0 when it is valid or repaired, 1 otherwise.
fn check_aof(args: &[OsString], names: &[&str]) -> i32 {
    use crate::persistence::aof::check::{RdbCheck, Repair, check};
    let text = |a: &OsString| a.to_str().unwrap_or_default().to_owned();
    let (repair, path) = match args {
        [path] => (Repair::None, path),
        [flag, path] if flag == "--fix" => (Repair::Fix, path),
        [flag, limit, path] if flag == "--truncate-to-timestamp" => match text(limit).parse::<i64>() {
            // 0 turns the option off in redis-check-aof.
            Ok(0) => (Repair::None, path),
            Ok(limit) => (Repair::ToTimestamp(limit), path),
            Err(_) => {
                println!("Invalid timestamp, aborting...");
                return 1;
            }
        },
        _ => {
            println!(
                "Usage: rkv-server --check-aof [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>"
            );
            return 1;
        }
    };
    let Some(limits) = default_limits(names) else { return 1 };
    let rdb = RdbCheck { limits, now_ms: crate::keyspace::now_ms() };
    // redis-check-aof reads one character of the answer; "y" or "Y" goes on.
    let mut confirm = || {
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer).is_ok() && answer.starts_with(['y', 'Y'])
    };
    match check(std::path::Path::new(path), rdb, repair, &mut confirm, &mut std::io::stdout().lock()) {
        Ok(Ok(())) => 0,
        Ok(Err(_)) | Err(_) => 1,
    }
}

/// Runs the server; returns the process exit code.
pub fn main(args: Vec<OsString>) -> i32 {
    match args.first().and_then(|a| a.to_str()) {
        Some("-v" | "--version") => {
            println!("{}", version_line());
            return 0;
        }
        Some("-h" | "--help") => {
            // Like redis-server: usage goes to standard error and the exit code is 1.
            eprint!("{USAGE}");
            return 1;
        }
        _ => {}
    }
    let names: Vec<&str> = crate::commands::all().iter().map(|spec| spec.name).collect();
    match args.first().and_then(|a| a.to_str()) {
        Some("--check-rdb") => return check_rdb(&args[1..], &names),
        Some("--check-aof") => return check_aof(&args[1..], &names),
        _ => {}
    }
    let config::Loaded { config, warnings } = match config::load(&args, &names) {
        Ok(loaded) => loaded,
        Err(e @ config::ConfigError::Open { .. }) => {
            // Redis logs this one (logging is not set up yet, so to standard output).
            println!("{}:C {} # {e}", std::process::id(), logging::timestamp());
            return 1;
        }
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let target = match log_target(&config) {
        Ok(target) => target,
        Err(e) => {
            eprintln!("Can't open the log file: {e}");
            return 1;
        }
    };
    // Logging is set up before forking (it starts no thread), so supervision can log, and its
    // outcome decides whether to fork: a supervised server stays in the foreground, as in Redis.
    logging::init(config.loglevel, target);
    let supervised = crate::supervise::start(config.get_value("supervised").unwrap_or_default());
    if config.daemonize && !supervised {
        if let Err(e) = daemonize() {
            tracing::warn!("Can't daemonize: {e}");
            return 1;
        }
    }
    banner(&config);
    for warning in &warnings {
        tracing::warn!("{warning}");
    }
    if let Some(pidfile) = &config.pidfile {
        if let Err(e) = std::fs::write(pidfile, format!("{}\n", std::process::id())) {
            tracing::warn!("Failed to write PID file: {e}");
        }
    }
    let pidfile = config.pidfile.clone();
    let result = crate::server::run(config);
    if let Some(pidfile) = pidfile {
        let _ = std::fs::remove_file(pidfile);
    }
    match result {
        Ok(()) => 0,
        Err(e) => {
            tracing::warn!("{e}");
            1
        }
    }
}

fn log_target(config: &Config) -> std::io::Result<logging::Target> {
    if config.logfile.is_empty() {
        return Ok(if config.daemonize { logging::Target::Discard } else { logging::Target::Stdout });
    }
    let file = std::fs::OpenOptions::new().create(true).append(true).open(&config.logfile)?;
    Ok(logging::Target::File(file))
}

fn banner(config: &Config) {
    tracing::info!("oO0OoO0OoO0Oo rkv is starting oO0OoO0OoO0Oo");
    tracing::info!(
        "rkv version={}, redis_version={}, bits={}, pid={}, just started",
        crate::RKV_VERSION,
        crate::REDIS_VERSION,
        usize::BITS,
        std::process::id()
    );
    match &config.config_file {
        Some(path) => tracing::info!("Configuration loaded from {}", path.display()),
        None => tracing::warn!(
            "Warning: no config file specified, using the default config. In order to specify a config file use rkv-server /path/to/redis.conf"
        ),
    }
}

/// Forks into the background like Redis: the parent exits, the child starts a new session and
/// points its standard streams at /dev/null.
fn daemonize() -> std::io::Result<()> {
    // SAFETY: called before any thread or runtime exists, so fork duplicates a single thread;
    // the calls below are plain libc calls on descriptors this process owns.
    unsafe {
        match libc::fork() {
            -1 => return Err(std::io::Error::last_os_error()),
            0 => {}
            _ => libc::_exit(0),
        }
        libc::setsid();
        let devnull = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
        if devnull >= 0 {
            libc::dup2(devnull, 0);
            libc::dup2(devnull, 1);
            libc::dup2(devnull, 2);
            if devnull > 2 {
                libc::close(devnull);
            }
        }
    }
    Ok(())
}
