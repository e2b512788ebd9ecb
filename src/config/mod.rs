//! Server configuration (placeholder until the directive table lands).

use std::path::PathBuf;

/// `enable-debug-command` and friends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnableMode {
    /// Never.
    No,
    /// Always.
    Yes,
    /// Only from loopback or unix-socket clients.
    Local,
}

/// Redis's `loglevel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Everything.
    Debug,
    /// Verbose.
    Verbose,
    /// Notices (the default).
    Notice,
    /// Warnings only.
    Warning,
    /// Nothing at all.
    Nothing,
}

/// The live configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute path of the config file, if any.
    pub config_file: Option<PathBuf>,
    /// TCP port (0 = no TCP listener).
    pub port: u16,
    /// Addresses to listen on.
    pub bind: Vec<String>,
    /// Unix socket path.
    pub unixsocket: Option<PathBuf>,
    /// Unix socket permissions (octal as in redis.conf).
    pub unixsocketperm: u32,
    /// listen(2) backlog.
    pub tcp_backlog: u32,
    /// TCP keepalive in seconds (0 = off).
    pub tcp_keepalive: u64,
    /// Idle client timeout in seconds (0 = never).
    pub timeout: u64,
    /// Most clients at once.
    pub maxclients: u64,
    /// Refuse non-loopback clients when no password is set.
    pub protected_mode: bool,
    /// Fork into the background.
    pub daemonize: bool,
    /// Where to write the pid.
    pub pidfile: Option<PathBuf>,
    /// Log file ("" = standard output).
    pub logfile: String,
    /// Log verbosity.
    pub loglevel: LogLevel,
    /// Working directory.
    pub dir: PathBuf,
    /// Number of databases.
    pub databases: usize,
    /// Password of the default user.
    pub requirepass: Option<Vec<u8>>,
    /// Largest bulk string accepted in a request.
    pub proto_max_bulk_len: i64,
    /// Largest query buffer before the client is closed.
    pub client_query_buffer_limit: u64,
    /// Background task frequency.
    pub hz: u32,
    /// Whether DEBUG may run.
    pub enable_debug_command: EnableMode,
    /// `rename-command old new` pairs.
    pub rename_commands: Vec<(String, String)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            config_file: None,
            port: 6379,
            bind: vec!["*".to_owned(), "-::*".to_owned()],
            unixsocket: None,
            unixsocketperm: 0,
            tcp_backlog: 511,
            tcp_keepalive: 300,
            timeout: 0,
            maxclients: 10000,
            protected_mode: true,
            daemonize: false,
            pidfile: None,
            logfile: String::new(),
            loglevel: LogLevel::Notice,
            dir: PathBuf::from("."),
            databases: 16,
            requirepass: None,
            proto_max_bulk_len: 512 * 1024 * 1024,
            client_query_buffer_limit: 1024 * 1024 * 1024,
            hz: 10,
            enable_debug_command: EnableMode::No,
            rename_commands: Vec::new(),
        }
    }
}

/// A configuration error, printed before exiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// Builds the configuration from redis-server style arguments (placeholder: `--port` and
/// `--requirepass` only).
pub fn load(args: &[std::ffi::OsString]) -> Result<Config, ConfigError> {
    let mut config = Config::default();
    let args: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let mut i = 0;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--port", Some(v)) => config.port = v.parse().map_err(|_| ConfigError(format!("bad port {v}")))?,
            ("--bind", Some(v)) => config.bind = vec![v.clone()],
            ("--dir", Some(v)) => config.dir = PathBuf::from(v),
            ("--logfile", Some(v)) => config.logfile = v.clone(),
            ("--timeout", Some(v)) => config.timeout = v.parse().map_err(|_| ConfigError(format!("bad timeout {v}")))?,
            ("--maxclients", Some(v)) => {
                config.maxclients = v.parse().map_err(|_| ConfigError(format!("bad maxclients {v}")))?
            }
            ("--requirepass", Some(v)) => config.requirepass = Some(v.clone().into_bytes()),
            ("--enable-debug-command", Some(v)) => {
                config.enable_debug_command = if v == "yes" { EnableMode::Yes } else { EnableMode::No }
            }
            (other, _) => return Err(ConfigError(format!("unsupported argument {other}"))),
        }
        i += 2;
    }
    Ok(config)
}
