//! Loading the configuration like redis-server: `[CONFIG_FILE] [--directive value ...] [-]`.
//!
//! The command-line directives are turned into config text appended after the file's (and
//! stdin's) text, so they override it exactly as in Redis, and errors in either report a line
//! number in that combined text. Lines are split with Redis's tokenizer
//! ([`crate::protocol::split_args`]); `include` loads another file in place (relative to the
//! current directory, like Redis; globs allowed in the file name); `dir` changes directory as soon
//! as it is read, as Redis does.

use std::collections::HashSet;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use super::directives::{self, MULTI_ARG, Special, Support, TABLE};
use super::{Config, value};
use crate::protocol::split_args;

/// A configuration that loaded, with the warnings to log once logging is set up.
#[derive(Debug)]
pub struct Loaded {
    /// The configuration.
    pub config: Config,
    /// One line per accepted-but-unimplemented directive (and other startup notes).
    pub warnings: Vec<String>,
}

/// Why the configuration could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// A bad line: printed to stderr in Redis's "FATAL CONFIG FILE ERROR" format.
    Fatal {
        /// Line number (1-based, within the text being read) and the trimmed line.
        line: Option<(usize, String)>,
        /// The reason, with Redis's text.
        message: String,
    },
    /// A config file could not be opened: Redis logs this as a warning line.
    Open {
        /// The path as given.
        path: String,
        /// strerror text.
        reason: String,
    },
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Fatal { line, message } => {
                writeln!(f, "\n*** FATAL CONFIG FILE ERROR (Redis {}) ***", crate::REDIS_VERSION)?;
                if let Some((n, text)) = line {
                    writeln!(f, "Reading the configuration file, at line {n}")?;
                    writeln!(f, ">>> '{text}'")?;
                }
                write!(f, "{message}")
            }
            ConfigError::Open { path, reason } => write!(f, "Fatal error, can't open config file '{path}': {reason}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Directives Redis still accepts and ignores, with their argument count (name included).
const DEPRECATED: &[(&str, usize)] =
    &[("list-max-ziplist-entries", 2), ("list-max-ziplist-value", 2), ("lua-replicate-commands", 2)];

/// How deep `include` may nest before we assume a loop.
const MAX_INCLUDE_DEPTH: usize = 32;

/// Builds the configuration from redis-server style arguments (without the program name).
/// `commands` names every command, for checking `rename-command`.
pub fn load(args: &[OsString], commands: &[&str]) -> Result<Loaded, ConfigError> {
    let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    let cmdline = parse_command_line(&args);
    let mut text = Vec::new();
    let mut config_file = None;
    let mut warnings = Vec::new();
    if let Some(path) = &cmdline.config_file {
        let path = absolute_path(path);
        text = read_config_file(&path)?;
        config_file = Some(path);
    }
    if cmdline.from_stdin {
        warnings.push("Reading config from stdin".to_owned());
        let mut input = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut input)
            .map_err(|e| ConfigError::Fatal { line: None, message: super::strerror(&e) })?;
        text.extend_from_slice(&input);
    }
    text.push(b'\n');
    text.extend_from_slice(&cmdline.options);
    let mut loader = Loader::new(commands);
    loader.config.config_file = config_file;
    loader.load_text(&text, 0)?;
    loader.finish(warnings)
}

/// What the command line asked for.
#[derive(Debug, Default, PartialEq, Eq)]
struct CommandLine {
    config_file: Option<Vec<u8>>,
    from_stdin: bool,
    /// `--name v1 v2` arguments as config lines.
    options: Vec<u8>,
}

/// redis-server's argument grammar: an optional config path first (anything not starting with
/// `-`), `-` as the first or last argument for stdin, and `--name` taking every following
/// argument up to the next `--name` (an option still waiting for its first value takes even a
/// `--` argument as that value).
fn parse_command_line(args: &[Vec<u8>]) -> CommandLine {
    let mut cl = CommandLine::default();
    let mut start = 0;
    if let Some(first) = args.first().filter(|a| a.first() != Some(&b'-')) {
        cl.config_file = Some(first.clone());
        start = 1;
    }
    let last = args.len().saturating_sub(1);
    let mut has_value = true;
    for (j, arg) in args.iter().enumerate().skip(start) {
        if arg.as_slice() == b"-" && (j == 0 || j == last) {
            cl.from_stdin = true;
        } else if has_value && arg.starts_with(b"--") {
            if !cl.options.is_empty() {
                cl.options.push(b'\n');
            }
            cl.options.extend_from_slice(&arg[2..]);
            cl.options.push(b' ');
            // `--port 6380` as one argument carries its own value.
            has_value = split_args(arg).is_some_and(|a| a.len() != 1);
            let next_is_option = args.get(j + 1).is_some_and(|n| n.starts_with(b"--"));
            if !has_value && arg.eq_ignore_ascii_case(b"--save") && (j == last || next_is_option) {
                // `--save` with no value means `save ""`, as before Redis 7.0.1.
                cl.options.extend_from_slice(b"\"\"");
                has_value = true;
            }
        } else {
            cl.options.extend_from_slice(value::repr(arg).as_bytes());
            cl.options.push(b' ');
            has_value = true;
        }
    }
    cl
}

/// The path made absolute against the current directory, like Redis's `getAbsolutePath`.
fn absolute_path(path: &[u8]) -> PathBuf {
    let trimmed = path.trim_ascii();
    let rel = Path::new(std::ffi::OsStr::from_bytes(trimmed));
    if rel.is_absolute() {
        return rel.to_path_buf();
    }
    let mut base = std::env::current_dir().unwrap_or_default();
    let mut rest = trimmed;
    while let Some(tail) = rest.strip_prefix(b"../") {
        base.pop();
        rest = tail;
    }
    base.join(std::ffi::OsStr::from_bytes(rest))
}

fn read_config_file(path: &Path) -> Result<Vec<u8>, ConfigError> {
    std::fs::read(path).map_err(|e| ConfigError::Open { path: path.display().to_string(), reason: super::strerror(&e) })
}

/// State while reading config text (the top level and its includes).
struct Loader {
    config: Config,
    /// Command names as renamed so far.
    commands: HashSet<String>,
    /// Directives set by the text, by table index.
    set: HashSet<usize>,
    /// The first `save` line replaces the default save points; later ones add to them.
    save_seen: bool,
}

impl Loader {
    fn new(commands: &[&str]) -> Self {
        Loader {
            config: Config::default(),
            commands: commands.iter().map(|c| c.to_ascii_lowercase()).collect(),
            set: HashSet::new(),
            save_seen: false,
        }
    }

    fn load_text(&mut self, text: &[u8], depth: usize) -> Result<(), ConfigError> {
        for (i, raw) in text.split(|&b| b == b'\n').enumerate() {
            let line = raw.trim_ascii();
            if line.is_empty() || line[0] == b'#' {
                continue;
            }
            let fatal = |message: String| ConfigError::Fatal {
                line: Some((i + 1, String::from_utf8_lossy(line).into_owned())),
                message,
            };
            let argv = split_args(line).ok_or_else(|| fatal("Unbalanced quotes in configuration line".into()))?;
            if argv.is_empty() {
                continue;
            }
            self.line(&argv, depth).map_err(|e| match e {
                LineError::Message(m) => fatal(m),
                LineError::Nested(e) => e,
            })?;
        }
        Ok(())
    }

    fn line(&mut self, argv: &[Vec<u8>], depth: usize) -> Result<(), LineError> {
        let name = argv[0].to_ascii_lowercase();
        if let Some(index) = directives::lookup(&name) {
            return self.directive(index, &argv[1..]).map_err(LineError::Message);
        }
        let argc = argv.len();
        if DEPRECATED.iter().any(|(n, c)| n.as_bytes() == name && *c == argc) {
            return Ok(());
        }
        let msg = |m: &str| Err(LineError::Message(m.to_owned()));
        match (name.as_slice(), argv) {
            (b"include", [_, path]) => self.include(path, depth).map_err(LineError::Nested),
            (b"rename-command", [_, old, new]) => self.rename(old, new).map_err(LineError::Message),
            (b"user", _) if argc >= 2 => {
                msg("rkv does not implement ACL users yet: refusing 'user' rather than ignoring it")
            }
            (b"loadmodule", _) if argc >= 2 => msg("rkv does not support modules"),
            (b"sentinel", _) => msg("rkv does not implement sentinel mode"),
            _ if name.contains(&b'.') && argc < 2 => msg("Module config specified without value"),
            _ if name.contains(&b'.') => {
                msg("Module Configuration detected without loadmodule directive or no ApplyConfig call: aborting")
            }
            _ => msg("Bad directive or wrong number of arguments"),
        }
    }

    fn directive(&mut self, index: usize, args: &[Vec<u8>]) -> Result<(), String> {
        let d = &TABLE[index];
        let multi = d.has(MULTI_ARG);
        if !multi && args.len() != 1 {
            return Err("wrong number of arguments".into());
        }
        // A multi-argument directive given one non-empty argument is split again, so that
        // `--save "900 1"` works.
        let resplit;
        let args = match args {
            [one] if multi && !one.is_empty() => {
                resplit = split_args(one).unwrap_or_default();
                resplit.as_slice()
            }
            _ => args,
        };
        let mut parsed = value::parse(d, args, self.config.value(index))?;
        if matches!(d.kind, directives::Kind::Special(Special::Save)) {
            let previous = self.config.value(index);
            if self.save_seen && !parsed.is_empty() && !previous.is_empty() {
                parsed = [previous, b" ", &parsed].concat();
            }
            self.save_seen = true;
        }
        if let Support::Guarded(check) = d.support {
            check(&parsed)?;
        }
        if matches!(d.kind, directives::Kind::Special(Special::Dir)) {
            std::env::set_current_dir(OsString::from_vec(parsed.clone())).map_err(|e| super::strerror(&e))?;
        }
        self.config.store(index, parsed);
        self.set.insert(index);
        Ok(())
    }

    fn rename(&mut self, old: &[u8], new: &[u8]) -> Result<(), String> {
        let old = String::from_utf8_lossy(old).to_ascii_lowercase();
        if !self.commands.remove(&old) {
            return Err("No such command in rename-command".into());
        }
        let new = String::from_utf8_lossy(new).to_ascii_lowercase();
        if !new.is_empty() && !self.commands.insert(new.clone()) {
            return Err("Target command name already exists".into());
        }
        self.config.rename_commands.push((old, new));
        Ok(())
    }

    fn include(&mut self, path: &[u8], depth: usize) -> Result<(), ConfigError> {
        if depth >= MAX_INCLUDE_DEPTH {
            return Err(ConfigError::Fatal { line: None, message: "include nested too deeply".into() });
        }
        for file in include_targets(path) {
            let text = read_config_file(&file)?;
            self.load_text(&text, depth + 1)?;
        }
        Ok(())
    }

    /// Final checks, then the warnings about directives rkv accepts but does not implement.
    fn finish(self, mut warnings: Vec<String>) -> Result<Loaded, ConfigError> {
        let config = self.config;
        if !config.logfile.is_empty() {
            if let Err(e) = std::fs::OpenOptions::new().create(true).append(true).open(&config.logfile) {
                let message = format!("Can't open the log file: {}", super::strerror(&e));
                return Err(ConfigError::Fatal { line: None, message });
            }
        }
        let mut set: Vec<usize> = self.set.into_iter().collect();
        set.sort_unstable();
        for index in set {
            let d = &TABLE[index];
            if matches!(d.kind, directives::Kind::Special(Special::Save)) {
                continue;
            }
            let v = config.value(index);
            // Turning a feature off (`save ""`, `appendonly no`) is what rkv does anyway.
            let off = matches!(v, b"" | b"no" | b"0");
            if matches!(d.support, Support::Ignored) && !off && v != value::default_value(d).as_slice() {
                warnings.push(format!(
                    "Directive '{}' is accepted but not implemented by rkv: its value is stored and has no effect",
                    d.name
                ));
            }
        }
        Ok(Loaded { config, warnings })
    }
}

/// Why a line failed: a message about this line, or an error already located in an include.
enum LineError {
    Message(String),
    Nested(ConfigError),
}

/// The files an `include` names: the path itself, or, when its file name has glob characters,
/// the matching files of its directory in sorted order (none is fine, as in Redis).
fn include_targets(path: &[u8]) -> Vec<PathBuf> {
    let path = PathBuf::from(std::ffi::OsStr::from_bytes(path));
    let Some(name) = path.file_name().map(|n| n.as_bytes().to_vec()) else { return vec![path] };
    if !crate::types::glob::has_wildcards(&name) {
        return vec![path];
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| crate::types::glob::matches(&name, e.file_name().as_bytes()))
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cl(args: &[&str]) -> CommandLine {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        parse_command_line(&args)
    }

    fn options(args: &[&str]) -> String {
        String::from_utf8(cl(args).options).unwrap()
    }

    #[test]
    fn command_line_like_redis_server() {
        assert_eq!(options(&["--port", "7000"]), "port \"7000\" ");
        assert_eq!(options(&["--save", "900", "1", "--port", "7000"]), "save \"900\" \"1\" \nport \"7000\" ");
        assert_eq!(options(&["--save"]), "save \"\"");
        assert_eq!(options(&["--save", "--port", "1"]), "save \"\"\nport \"1\" ");
        assert_eq!(options(&["--port 6380"]), "port 6380 ");
        assert_eq!(options(&["--requirepass", "--weird"]), "requirepass \"--weird\" ");
        let c = cl(&["my.conf", "--port", "1", "-"]);
        assert_eq!(c.config_file.as_deref(), Some(&b"my.conf"[..]));
        assert!(c.from_stdin);
        let c = cl(&["-", "--port", "1"]);
        assert!(c.from_stdin && c.config_file.is_none());
    }

    fn load_str(text: &str) -> Result<Config, ConfigError> {
        let mut loader = Loader::new(&["get", "set", "config"]);
        loader.load_text(text.as_bytes(), 0)?;
        loader.finish(Vec::new()).map(|l| l.config)
    }

    fn fatal(text: &str) -> (Option<usize>, String) {
        match load_str(text) {
            Err(ConfigError::Fatal { line, message }) => (line.map(|(n, _)| n), message),
            other => panic!("expected a fatal error, got {other:?}"),
        }
    }

    #[test]
    fn file_syntax() {
        let c = load_str("# comment\n\n  port 7001  \r\nPORT 7002\nbind 127.0.0.1 ::1\nrequirepass \"a b\"\n").unwrap();
        assert_eq!(c.port, 7002);
        assert_eq!(c.bind, ["127.0.0.1", "::1"]);
        assert_eq!(c.requirepass.as_deref(), Some(&b"a b"[..]));
        let c = load_str("save 900 1\nsave 300 10\n").unwrap();
        assert_eq!(c.get_value("save"), Some(&b"900 1 300 10"[..]));
        let c = load_str("save 900 1\nsave \"\"\n").unwrap();
        assert_eq!(c.get_value("save"), Some(&b""[..]));
        let c = load_str("slaveof no one\nmaxmemory 0\nhz 1000\n").unwrap();
        assert_eq!(c.get_value("replicaof"), Some(&b""[..]));
        assert_eq!(c.hz, 500);
        let c = load_str("rename-command get fetch\nrename-command set \"\"\n").unwrap();
        assert_eq!(c.rename_commands, [("get".into(), "fetch".into()), ("set".into(), String::new())]);
    }

    #[test]
    fn fatal_errors_name_the_line() {
        assert_eq!(fatal("port 1\nport abc\n"), (Some(2), "argument couldn't be parsed into an integer".into()));
        assert_eq!(fatal("nosuch 1"), (Some(1), "Bad directive or wrong number of arguments".into()));
        assert_eq!(fatal("port 1 2"), (Some(1), "wrong number of arguments".into()));
        assert_eq!(fatal("port \"1"), (Some(1), "Unbalanced quotes in configuration line".into()));
        assert_eq!(fatal("rename-command nosuch x"), (Some(1), "No such command in rename-command".into()));
        assert_eq!(fatal("rename-command get set"), (Some(1), "Target command name already exists".into()));
        assert_eq!(fatal("tls-port 6380").0, Some(1));
        assert_eq!(fatal("user alice on").0, Some(1));
        assert_eq!(fatal("aclfile /x").0, Some(1));
        assert_eq!(fatal("tls-replication yes").0, Some(1));
        assert_eq!(fatal("port 1\nslaveof 127.0.0.1 6380").0, Some(2));
        assert_eq!(fatal("cluster-enabled yes").0, Some(1));
        assert!(load_str("list-max-ziplist-entries 5\ntls-cert-file /x\nmaxmemory 0b\n").is_ok());
    }

    #[test]
    fn fatal_error_format() {
        let e = ConfigError::Fatal { line: Some((2, "port \"abc\"".into())), message: "bad".into() };
        assert_eq!(
            e.to_string(),
            "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'port \"abc\"'\nbad"
        );
    }

    #[test]
    fn warnings_for_unimplemented_non_defaults() {
        let mut loader = Loader::new(&[]);
        loader
            .load_text(b"save \"\"\nappendonly no\nactiverehashing no\nhz 20\nlazyfree-lazy-eviction yes\n", 0)
            .unwrap();
        let loaded = loader.finish(Vec::new()).unwrap();
        assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
        assert!(loaded.warnings[0].contains("'lazyfree-lazy-eviction'"));
    }
}
