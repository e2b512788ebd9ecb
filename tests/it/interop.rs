//! Interop with the real Redis tools: redis-cli (one-shot commands, `--pipe`, RESP3, `--stat`) and
//! redis-benchmark, run against rkv and, where output is compared, against real redis-server.
//! Skipped with a note when the tools are not installed.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Server, have};

/// Longest any tool may run before the test gives up on it.
const TOOL_TIMEOUT: Duration = Duration::from_secs(30);

/// What a finished tool printed.
struct Output {
    stdout: String,
    stderr: String,
    success: bool,
}

/// Whether `tool` is installed; prints why the test is skipped when it is not.
fn tool_present(tool: &str) -> bool {
    let present = have(tool);
    if !present {
        eprintln!("note: {tool} not found; skipping interop test");
    }
    present
}

/// Runs `tool args`, feeding `stdin`, and kills it after `limit` (then `success` is false).
fn run(tool: &str, args: &[&str], stdin: &[u8], limit: Duration) -> Output {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {tool}: {e}"));
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    // A separate writer: the tool may answer while it reads, and both pipes have bounded buffers.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let (stdout, stderr) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let success = wait_or_kill(&mut child, limit);
    let _ = writer.join();
    Output { stdout: join_text(stdout), stderr: join_text(stderr), success }
}

/// Reads a pipe to its end on a thread.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut bytes);
        }
        bytes
    })
}

fn join_text(handle: std::thread::JoinHandle<Vec<u8>>) -> String {
    String::from_utf8_lossy(&handle.join().unwrap_or_default()).into_owned()
}

/// Waits up to `limit` for `child`; kills it past that. True if it exited successfully in time.
fn wait_or_kill(child: &mut Child, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return status.success();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}

/// `redis-cli -p <port> args...`, checked to exit successfully.
fn cli(server: &Server, args: &[&str]) -> String {
    let port = server.port.to_string();
    let out = run("redis-cli", &[&["-p", &port], args].concat(), b"", TOOL_TIMEOUT);
    assert!(out.success, "redis-cli {args:?} failed: {}", out.stderr);
    out.stdout
}

#[test]
fn one_shot_commands_print_like_redis() {
    if !tool_present("redis-cli") {
        return;
    }
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let script: [&[&str]; 5] = [&["set", "k", "v"], &["get", "k"], &["ping"], &["foo", "bar"], &["get", "missing"]];
    for args in script {
        assert_eq!(cli(&rkv, args), cli(&redis, args), "redis-cli {args:?}");
    }
    assert_eq!(cli(&rkv, &["get", "k"]), "v\n");
    assert_eq!(cli(&rkv, &["foo", "bar"]), "ERR unknown command 'foo', with args beginning with: 'bar' \n\n");
}

#[test]
fn pipe_mass_insertion_of_100k_sets() {
    if !tool_present("redis-cli") {
        return;
    }
    let server = Server::start(&[]);
    let mut input = Vec::with_capacity(100_000 * 40);
    for i in 0..100_000 {
        input.extend_from_slice(&crate::support::encode(&[b"SET", format!("key:{i}").as_bytes(), b"value"]));
    }
    let port = server.port.to_string();
    let out = run("redis-cli", &["-p", &port, "--pipe"], &input, TOOL_TIMEOUT);
    assert!(out.success, "--pipe failed: {}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("errors: 0, replies: 100000"), "{}", out.stdout);
    assert_eq!(cli(&server, &["dbsize"]), "100000\n");
    assert_eq!(cli(&server, &["get", "key:99999"]), "value\n");
}

/// rkv's HELLO also reports `rkv_version` after Redis's fields; client ids differ by nature.
fn comparable_hello(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.starts_with("id ") && !l.starts_with("rkv_version ")).collect()
}

#[test]
fn resp3_replies_print_like_redis() {
    if !tool_present("redis-cli") {
        return;
    }
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let hello = cli(&rkv, &["-3", "hello"]);
    assert_eq!(comparable_hello(&hello), comparable_hello(&cli(&redis, &["-3", "hello"])));
    assert!(hello.contains("proto 3\n"), "{hello}");
    assert_eq!(cli(&rkv, &["-3", "get", "missing"]), cli(&redis, &["-3", "get", "missing"]));
}

#[test]
fn stat_mode_prints_its_header() {
    if !tool_present("redis-cli") || !tool_present("stdbuf") {
        return;
    }
    let server = Server::start(&[]);
    let port = server.port.to_string();
    // redis-cli buffers stdout in a pipe and is killed, not stopped: ask for line buffering.
    let out = run("stdbuf", &["-oL", "redis-cli", "-p", &port, "--stat", "-i", "0.5"], b"", Duration::from_secs(2));
    assert!(out.stdout.starts_with("------- data ------"), "stdout: {}\nstderr: {}", out.stdout, out.stderr);
    assert!(out.stdout.lines().count() >= 3, "{}", out.stdout);
    assert!(!out.stdout.contains("ERR") && out.stderr.is_empty(), "{}{}", out.stdout, out.stderr);
}

#[test]
fn redis_benchmark_runs_without_errors() {
    if !tool_present("redis-benchmark") {
        return;
    }
    let server = Server::start(&[]);
    let port = server.port.to_string();
    let args = ["-p", &port, "-t", "set,get", "-n", "2000", "-c", "10", "--csv"];
    let out = run("redis-benchmark", &args, b"", TOOL_TIMEOUT);
    assert!(out.success, "redis-benchmark failed: {}{}", out.stdout, out.stderr);
    for test in ["\"SET\"", "\"GET\""] {
        let row = out.stdout.lines().find(|l| l.starts_with(test)).unwrap_or_else(|| panic!("{test}: {}", out.stdout));
        let rps: f64 = row.split(',').nth(1).and_then(|v| v.trim_matches('"').parse().ok()).unwrap_or(0.0);
        assert!(rps > 0.0, "{row}");
    }
    // Until CONFIG GET exists, redis-benchmark warns that it could not read the configuration.
    let errors: Vec<&str> = out.stderr.lines().filter(|l| l.contains("ERR") || l.contains("rror")).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(cli(&server, &["dbsize"]), "1\n");
}
