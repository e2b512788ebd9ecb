//! Configuration: redis.conf files, the command line, fatal errors, and CONFIG GET/SET/REWRITE,
//! compared with the real redis-server where both can run.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{Server, free_port, have, rkv_binary, run_to_exit};

fn config_get(server: &Server, name: &str) -> String {
    server.raw().call(&["CONFIG", "GET", name])
}

#[test]
fn command_line_overrides_the_file() {
    let server = Server::start_with_config("hz 20\nmaxclients 50\n# a comment\n", &["--hz", "30"]);
    assert_eq!(config_get(&server, "hz"), "*2\r\n$2\r\nhz\r\n$2\r\n30\r\n");
    assert_eq!(config_get(&server, "maxclients"), "*2\r\n$10\r\nmaxclients\r\n$2\r\n50\r\n");
    assert_eq!(config_get(&server, "save"), "*2\r\n$4\r\nsave\r\n$23\r\n3600 1 300 100 60 10000\r\n");
}

#[test]
fn multi_argument_directives_on_the_command_line() {
    let server = Server::start(&["--save", "900", "1", "--save", "300", "10", "--hz", "11"]);
    assert_eq!(config_get(&server, "save"), "*2\r\n$4\r\nsave\r\n$12\r\n900 1 300 10\r\n");
    let server = Server::start(&["--save", "--hz", "11"]);
    assert_eq!(config_get(&server, "save"), "*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
}

#[test]
fn config_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(rkv_binary())
        .arg("-")
        .args(["--bind", "127.0.0.1", "--logfile"])
        .arg(dir.path().join("log"))
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("port {port}\nhz 42\n").as_bytes()).unwrap();
    drop(stdin);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "server from stdin config did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let reply = crate::support::Raw::connect(port).call(&["CONFIG", "GET", "hz"]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(reply, "*2\r\n$2\r\nhz\r\n$2\r\n42\r\n");
}

#[test]
fn fatal_errors_match_redis() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.conf"), "hz 5\nport abc\n").unwrap();
    std::fs::write(dir.path().join("quotes.conf"), "requirepass \"open\n").unwrap();
    let cases: &[&[&str]] = &[
        &["--port", "abc"],
        &["bad.conf"],
        &["bad.conf", "--hz", "7"],
        &["quotes.conf"],
        &["--save", "900"],
        &["--loglevel", "loud"],
        &["--no-such-directive", "1"],
        &["--port", "1", "2"],
        &["--maxclients", "0"],
        &["--unixsocketperm", "999"],
        &["--maxmemory-clients", "200%"],
        &["--rename-command", "nosuch", "x"],
        &["--shutdown-on-sigint"],
        &["--port", "7", "--shutdown-on-sigterm", "--loglevel"],
    ];
    for args in cases {
        let (redis_code, _, redis_err) = run_to_exit("redis-server", args, dir.path());
        let (rkv_code, _, rkv_err) = run_to_exit(rkv_binary(), args, dir.path());
        assert_eq!((rkv_code, rkv_err), (redis_code, redis_err), "for {args:?}");
        assert_eq!(rkv_code, Some(1));
    }
}

#[test]
fn unsafe_directives_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["--user", "alice", "on"][..], &["--tls-port", "6380"]] {
        let (code, _, stderr) = run_to_exit(rkv_binary(), args, dir.path());
        assert_eq!(code, Some(1), "{args:?}");
        assert!(stderr.contains("*** FATAL CONFIG FILE ERROR"), "{args:?}: {stderr}");
        assert!(stderr.contains(&format!(">>> '{} \"{}\"", &args[0][2..], args[1])), "{stderr}");
    }
}

#[test]
fn requirepass_from_the_config_file() {
    let server = Server::start_with_config("requirepass \"s3cret\"\n", &[]);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["GET", "k"]), "-NOAUTH Authentication required.\r\n");
    assert_eq!(raw.call(&["AUTH", "s3cret"]), "+OK\r\n");
    assert_eq!(raw.call(&["PING"]), "+PONG\r\n");
}

#[test]
fn config_set_errors_and_atomicity_match_redis() {
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let cases: &[&[&str]] = &[
        &["CONFIG", "SET", "hz", "20", "maxclients", "abc"],
        &["CONFIG", "SET", "hz", "20", "hz", "21"],
        &["CONFIG", "SET", "hz", "20", "nosuch", "1"],
        &["CONFIG", "SET", "daemonize", "yes", "nosuch", "1"],
        &["CONFIG", "SET", "hz", "20", "maxclients"],
        &["CONFIG", "SET", "loglevel", "loud"],
        &["CONFIG", "SET", "save", "900"],
        &["CONFIG", "SET", "shutdown-on-sigint", ""],
        &["CONFIG", "SET", "shutdown-on-sigterm", "save nosave"],
        &["CONFIG", "SET", "shutdown-on-sigterm", "now save"],
        &["CONFIG", "GET", "shutdown-on-sig*"],
        &["CONFIG", "GET", "hz"],
        &["CONFIG", "SET", "hz", "20", "maxclients", "77", "save", "900 1"],
        &["CONFIG", "GET", "hz"],
        &["CONFIG", "GET", "save"],
        &["CONFIG", "GET", "maxclients"],
        &["CONFIG", "GET", "HZ", "hz"],
        &["CONFIG", "GET", "maxmemory-p*", "*-max-listpack-*"],
        &["CONFIG", "GET", "slave-read-only"],
        &["CONFIG", "REWRITE"],
        &["CONFIG", "RESETSTAT"],
        &["CONFIG", "HELP"],
        &["CONFIG", "FOO"],
    ];
    for args in cases {
        assert_eq!(sorted_map(&rkv.raw().call(args)), sorted_map(&redis.raw().call(args)), "for {args:?}");
    }
}

/// CONFIG GET replies come in hash order in Redis; compare them as sets of lines.
fn sorted_map(reply: &str) -> Vec<String> {
    let mut lines: Vec<String> = reply.split("\r\n").map(str::to_owned).collect();
    if reply.starts_with('*') && lines.len() > 5 {
        let mut pairs: Vec<String> = lines[1..].chunks(4).map(|c| c.join("\r\n")).collect();
        pairs.sort();
        lines.truncate(1);
        lines.extend(pairs);
    }
    lines
}

#[test]
fn rewrite_round_trip_keeps_comments() {
    let server = Server::start_with_config("# my settings\nhz 15\n\n# keep me too\nmaxmemory-policy noeviction\n", &[]);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["CONFIG", "SET", "hz", "20", "maxmemory-policy", "allkeys-lru", "timeout", "90"]), "+OK\r\n");
    assert_eq!(raw.call(&["CONFIG", "REWRITE"]), "+OK\r\n");
    let text = std::fs::read_to_string(server.path().join("test.conf")).unwrap();
    assert!(text.starts_with("# my settings\nhz 20\n\n# keep me too\nmaxmemory-policy allkeys-lru\n"), "{text}");
    assert!(text.contains("# Generated by CONFIG REWRITE\n"), "{text}");
    assert!(text.contains("\ntimeout 90\n"), "{text}");
    assert!(!text.contains("tcp-backlog"), "defaults are not added: {text}");

    let restarted = Server::start_with_config(&text, &[]);
    for (name, want) in [("hz", "20"), ("maxmemory-policy", "allkeys-lru"), ("timeout", "90")] {
        let reply = config_get(&restarted, name);
        assert!(reply.ends_with(&format!("${}\r\n{want}\r\n", want.len())), "{name}: {reply}");
    }
}

#[test]
fn rewrite_without_a_config_file() {
    let server = Server::start(&[]);
    assert_eq!(server.raw().call(&["CONFIG", "REWRITE"]), "-ERR The server is running without a config file\r\n");
}

#[test]
fn runtime_changes_take_effect() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["CONFIG", "SET", "requirepass", "pw"]), "+OK\r\n");
    let mut other = server.raw();
    assert_eq!(other.call(&["GET", "k"]), "-NOAUTH Authentication required.\r\n");
    assert_eq!(raw.call(&["CONFIG", "SET", "loglevel", "warning"]), "+OK\r\n");
}

#[test]
fn config_set_port_and_bind_rebind_live() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    // A port somebody else holds: refused, and the old port keeps serving.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let taken_port = taken.local_addr().expect("addr").port().to_string();
    assert_eq!(
        raw.call(&["CONFIG", "SET", "port", &taken_port]),
        "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n"
    );
    assert_eq!(
        raw.call(&["CONFIG", "SET", "bind", "999.999.999.999"]),
        "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n"
    );
    assert_eq!(server.raw().call(&["PING"]), "+PONG\r\n");
    // A free port: the server moves there; connected clients stay.
    let new_port = crate::support::free_port();
    assert_eq!(raw.call(&["CONFIG", "SET", "port", &new_port.to_string()]), "+OK\r\n");
    let mut moved = None;
    for _ in 0..100 {
        if let Some(c) = crate::support::Raw::try_connect(new_port) {
            moved = Some(c);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(moved.expect("listening on the new port").call(&["PING"]), "+PONG\r\n");
    assert!(crate::support::Raw::try_connect(server.port).is_none(), "old port closed");
    assert_eq!(
        raw.call(&["CONFIG", "GET", "port"]),
        format!("*2\r\n$4\r\nport\r\n${}\r\n{new_port}\r\n", new_port.to_string().len())
    );
}

#[test]
fn debian_redis_conf_loads() {
    let path = "/etc/redis/redis.conf";
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} is absent");
        return;
    };
    let server = Server::start_with_config(&text, &["--daemonize", "no", "--pidfile", ""]);
    assert_eq!(server.raw().call(&["PING"]), "+PONG\r\n");
}

#[test]
fn example_config_loads() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/redis.conf.example")).unwrap();
    let server = Server::start_with_config(&text, &[]);
    assert_eq!(config_get(&server, "save"), "*2\r\n$4\r\nsave\r\n$23\r\n3600 1 300 100 60 10000\r\n");
    assert!(!server.log_text().contains("not implemented"), "{}", server.log_text());
}

#[test]
fn protected_configs_are_refused_by_default_as_in_redis() {
    crate::support::same_replies(&[
        &["CONFIG", "SET", "dir", "/"],
        &["CONFIG", "SET", "dbfilename", "x.rdb"],
        &["CONFIG", "SET", "hz", "11", "dir", "/"],
        &["CONFIG", "GET", "dbfilename"],
    ]);
    let server = Server::start(&[]);
    let before = config_get(&server, "dir");
    assert_eq!(
        server.raw().call(&["CONFIG", "SET", "dir", "/"]),
        "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n"
    );
    assert_eq!(config_get(&server, "dir"), before, "a refused dir must not move the process");
}

#[test]
fn protected_configs_yes_and_local_allow_a_loopback_client() {
    for mode in ["yes", "local"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().canonicalize().unwrap();
        let path = path.to_str().unwrap();
        let server = Server::start(&["--enable-protected-configs", mode]);
        assert_eq!(server.raw().call(&["CONFIG", "SET", "dir", path]), "+OK\r\n", "mode {mode}");
        let expected = format!("*2\r\n$3\r\ndir\r\n${}\r\n{path}\r\n", path.len());
        assert_eq!(config_get(&server, "dir"), expected, "mode {mode}");
        assert_eq!(server.raw().call(&["CONFIG", "SET", "dbfilename", "y.rdb"]), "+OK\r\n");
    }
}
