//! Test support: spawn a server binary on a free loopback port and talk to it.

pub mod effects;
pub mod transcript;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// Default read timeout for raw connections.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A server process, killed on drop.
pub struct Server {
    child: Option<Child>,
    /// Its TCP port.
    pub port: u16,
    /// Its working directory (`dir`), removed on drop.
    pub dir: tempfile::TempDir,
    /// Where its log goes.
    pub log: PathBuf,
}

/// A free loopback port (bound then released; a tiny race with other processes is accepted).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// Runs `program args...` in `cwd`, expecting it to exit at once; returns (exit code, stdout,
/// stderr).
pub fn run_to_exit(program: &str, args: &[&str], cwd: &Path) -> (Option<i32>, String, String) {
    let out = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// Path of the rkv-server binary under test.
pub fn rkv_binary() -> &'static str {
    env!("CARGO_BIN_EXE_rkv-server")
}

/// Whether a program is on PATH (interop tests need the real Redis tools).
pub fn have(program: &str) -> bool {
    Command::new("sh").arg("-c").arg(format!("command -v {program}")).output().is_ok_and(|o| o.status.success())
}

/// `--io-threads N` for rkv when `RKV_TEST_IO_THREADS=N` is set, so that any test can run over
/// I/O threads (CI runs the blocking, transaction and pub/sub tests both ways).
fn io_threads_args(program: &str) -> Vec<String> {
    match std::env::var("RKV_TEST_IO_THREADS") {
        Ok(n) if program == rkv_binary() => vec!["--io-threads".to_owned(), n],
        _ => Vec::new(),
    }
}

impl Server {
    /// Starts rkv-server with `--port <free> --bind 127.0.0.1` followed by `args`.
    pub fn start(args: &[&str]) -> Server {
        Server::start_program(rkv_binary(), None, args)
    }

    /// Starts rkv-server with a config file (written into the server's directory) and extra args.
    pub fn start_with_config(config: &str, args: &[&str]) -> Server {
        Server::start_program(rkv_binary(), Some(config), args)
    }

    /// Starts the real redis-server with the same conventions (for differential tests).
    pub fn start_redis(args: &[&str]) -> Server {
        Server::start_program("redis-server", None, &[&["--save", "", "--appendonly", "no"], args].concat())
    }

    /// Starts `program [config] --port P --dir D --logfile L args...` and waits until it accepts.
    ///
    /// Ports are picked free, but a parallel test may take the same one first: then our process
    /// exits or the one answering is not ours (its INFO `process_id` differs), and another port
    /// is tried.
    pub fn start_program(program: &str, config: Option<&str>, args: &[&str]) -> Server {
        Server::start_program_in(program, tempfile::tempdir().expect("temp dir"), config, args)
    }

    /// [`Server::start_program`] in `dir`, which may already hold files (an RDB to load).
    pub fn start_program_in(program: &str, dir: tempfile::TempDir, config: Option<&str>, args: &[&str]) -> Server {
        Server::spawn_in(program, dir, config, args, READY)
    }

    /// [`Server::start_program_in`] returning as soon as the port answers, before the dataset
    /// is loaded (both rkv and Redis listen, then log "Server initialized", then load).
    pub fn start_loading_in(program: &str, dir: tempfile::TempDir, args: &[&str]) -> Server {
        Server::spawn_in(program, dir, None, args, "Server initialized")
    }

    /// Starts `program` as [`Server::start_program`] describes, until its log holds `marker`
    /// and its port answers.
    fn spawn_in(program: &str, dir: tempfile::TempDir, config: Option<&str>, args: &[&str], marker: &str) -> Server {
        let log = dir.path().join("server.log");
        let config_path = config.map(|text| {
            let path = dir.path().join("test.conf");
            std::fs::write(&path, text).expect("write config");
            path
        });
        let mut failures = Vec::new();
        for _ in 0..5 {
            // A fresh log per attempt, so an earlier attempt's lines cannot look like readiness.
            let _ = std::fs::remove_file(&log);
            let port = free_port();
            let mut cmd = Command::new(program);
            if let Some(path) = &config_path {
                cmd.arg(path);
            }
            cmd.args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .arg("--dir")
                .arg(dir.path())
                .arg("--logfile")
                .arg(&log)
                .args(io_threads_args(program))
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            let mut child = cmd.spawn().unwrap_or_else(|e| panic!("spawn {program}: {e}"));
            match wait_ready(&mut child, port, &log, marker) {
                Ok(()) => return Server { child: Some(child), port, dir, log },
                Err(why) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    failures.push(why);
                }
            }
        }
        let log_text = std::fs::read_to_string(&log).unwrap_or_default();
        panic!("could not start {program}: {failures:?}\nlog: {log_text}");
    }

    /// The server's log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The server's directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `redis://127.0.0.1:port/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// A `redis` crate connection.
    pub fn client(&self) -> redis::Connection {
        redis::Client::open(self.url()).and_then(|c| c.get_connection()).expect("redis connection")
    }

    /// A raw TCP connection.
    pub fn raw(&self) -> Raw {
        Raw::connect(self.port)
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(Child::id).unwrap_or(0)
    }

    /// Sends a signal to the server.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill").arg(format!("-{signal}")).arg(self.pid().to_string()).status();
        assert!(status.is_ok_and(|s| s.success()), "kill -{signal} failed");
    }

    /// Waits up to `timeout` for the process to exit; returns its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let deadline = Instant::now() + timeout;
        let child = self.child.as_mut()?;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The log line both rkv and Redis print once they serve clients.
const READY: &str = "Ready to accept connections";

/// Waits until `child` has bound its port (its log holds `marker`, by default [`READY`], which
/// both rkv and Redis print after binding) and the port accepts. A child that lost the port to
/// another process exits instead.
fn wait_ready(child: &mut Child, port: u16, log: &Path, marker: &str) -> Result<(), String> {
    let deadline = Instant::now() + START_TIMEOUT;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            let mut stderr = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut stderr);
            }
            return Err(format!("exited early with {status}: {stderr}"));
        }
        let bound = std::fs::read_to_string(log).is_ok_and(|text| text.contains(marker));
        // The probe quits rather than hangs up: once it has read QUIT's OK the server has
        // forgotten it, so tests that count clients never see it.
        if bound && Raw::try_connect(port).is_some_and(|mut probe| probe.call(&["QUIT"]) == "+OK\r\n") {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(format!("did not start listening on port {port}"))
}

/// A raw RESP connection for byte-exact assertions.
pub struct Raw {
    /// The socket.
    pub stream: TcpStream,
}

impl Raw {
    /// Connects to a loopback port.
    pub fn connect(port: u16) -> Raw {
        Raw::try_connect(port).expect("connect")
    }

    /// Connects if something listens on the port.
    pub fn try_connect(port: u16) -> Option<Raw> {
        let stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream.set_read_timeout(Some(READ_TIMEOUT)).ok()?;
        stream.set_nodelay(true).ok()?;
        Some(Raw { stream })
    }

    /// Writes bytes.
    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("write");
    }

    /// Sends a command as a multibulk request.
    pub fn cmd(&mut self, args: &[&[u8]]) {
        self.send(&encode(args));
    }

    /// Reads one complete RESP value and returns its raw bytes.
    pub fn read_reply(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.read_value(&mut out);
        out
    }

    /// Sends `args` and returns the raw reply.
    pub fn call(&mut self, args: &[&str]) -> String {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        self.cmd(&args);
        String::from_utf8_lossy(&self.read_reply()).into_owned()
    }

    /// Reads until the peer closes; returns everything read. Panics on timeout.
    pub fn read_to_close(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.stream.read_to_end(&mut out).expect("read to close");
        out
    }

    fn read_line(&mut self, out: &mut Vec<u8>) -> Vec<u8> {
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        loop {
            self.stream.read_exact(&mut byte).expect("read line");
            line.push(byte[0]);
            if line.ends_with(b"\r\n") {
                out.extend_from_slice(&line);
                line.truncate(line.len() - 2);
                return line;
            }
        }
    }

    fn read_value(&mut self, out: &mut Vec<u8>) {
        let line = self.read_line(out);
        let (kind, rest) = line.split_first().expect("empty line");
        let n: i64 = std::str::from_utf8(rest).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
        match kind {
            b'$' | b'=' | b'!' if n >= 0 => {
                let mut body = vec![0; n as usize + 2];
                self.stream.read_exact(&mut body).expect("read bulk");
                out.extend_from_slice(&body);
            }
            b'*' | b'~' | b'>' if n > 0 => (0..n).for_each(|_| self.read_value(out)),
            b'%' | b'|' if n > 0 => (0..2 * n).for_each(|_| self.read_value(out)),
            _ => {}
        }
    }
}

/// Encodes a multibulk request.
pub fn encode(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Sends each command, on one connection each, to a fresh rkv and a fresh redis-server and
/// asserts identical raw replies (skipped when redis-server is not installed).
pub fn same_replies(commands: &[&[&str]]) {
    compare_replies(false, commands);
}

/// Runs `commands` on a fresh rkv and a fresh redis-server and asserts that each one gets the same
/// reply and leaves the same `rdb_changes_since_last_save` (Redis's count of changes, which
/// persistence and replication will rely on). Skipped when redis-server is not installed.
pub fn same_dirty_counts(commands: &[&[&str]]) {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    // Both without save points, as `start_redis` runs Redis: FLUSHALL saves (and resets the
    // count) when there are some.
    let (rkv, redis) = (Server::start(&["--save", ""]), Server::start_redis(&[]));
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let dirty = |conn: &mut Raw| {
        let info = conn.call(&["INFO", "persistence"]);
        info.lines().find(|l| l.starts_with("rdb_changes_since_last_save:")).unwrap_or_default().to_owned()
    };
    for cmd in commands {
        assert_eq!(a.call(cmd), b.call(cmd), "command {cmd:?}");
        assert_eq!(dirty(&mut a), dirty(&mut b), "after {cmd:?}");
    }
}

/// [`same_replies`] with both connections switched to RESP3 first.
pub fn same_replies_resp3(commands: &[&[&str]]) {
    compare_replies(true, commands);
}

fn compare_replies(resp3: bool, commands: &[&[&str]]) {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    if resp3 {
        // HELLO itself differs (ids, rkv_version); only what follows is compared.
        a.call(&["HELLO", "3"]);
        b.call(&["HELLO", "3"]);
    }
    for cmd in commands {
        assert_eq!(a.call(cmd), b.call(cmd), "command {cmd:?}");
    }
}
