//! Operations: supervision (systemd notify), `--version`/`--help`, directives refused rather
//! than ignored, connection log lines, and CONFIG SET bind — checked against redis-server where
//! both can run.

use std::os::unix::net::UnixDatagram;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Raw, Server, free_port, have, rkv_binary, run_to_exit};

/// Receives datagrams until `want` arrived (or a timeout); returns every message received.
fn receive_until(socket: &UnixDatagram, want: &str) -> Vec<String> {
    socket.set_read_timeout(Some(Duration::from_millis(200))).expect("timeout");
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut got = Vec::new();
    let mut buf = [0u8; 512];
    while Instant::now() < deadline && !got.iter().any(|m| m == want) {
        if let Ok(n) = socket.recv(&mut buf) {
            got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
    }
    got
}

/// Starts `program --supervised MODE` with NOTIFY_SOCKET set, and checks Redis 7.0.15's
/// messages: loading, ready (once the port accepts), stopping on SHUTDOWN.
fn systemd_notify_sequence(program: &str, mode: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let sock_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&sock_path).expect("bind notify socket");
    let port = free_port();
    let mut child = Command::new(program)
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--supervised", mode])
        .arg("--logfile")
        .arg(dir.path().join("log"))
        .arg("--dir")
        .arg(dir.path())
        .env("NOTIFY_SOCKET", &sock_path)
        .env_remove("UPSTART_JOB")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let got = receive_until(&socket, "READY=1\n");
    assert_eq!(
        got,
        ["STATUS=Redis is loading...\n", "STATUS=Ready to accept connections\n", "READY=1\n"],
        "{program} --supervised {mode}"
    );
    // READY=1 is only sent once the port accepts.
    let mut raw = Raw::connect(port);
    assert_eq!(raw.call(&["PING"]), "+PONG\r\n");
    if program == rkv_binary() {
        let info = raw.call(&["INFO", "server"]);
        assert!(info.contains("process_supervised:systemd\r\n"), "{info}");
    }
    raw.cmd(&[b"SHUTDOWN", b"NOSAVE"]);
    let got = receive_until(&socket, "STOPPING=1\n");
    assert_eq!(got, ["STOPPING=1\n"], "{program}");
    let _ = child.wait();
}

#[test]
fn systemd_notify_messages_match_redis() {
    systemd_notify_sequence(rkv_binary(), "systemd");
    systemd_notify_sequence(rkv_binary(), "auto");
    if have("redis-server") {
        systemd_notify_sequence("redis-server", "systemd");
    }
}

#[test]
fn systemd_without_notify_socket_is_not_supervised() {
    let server = Server::start(&["--supervised", "systemd"]);
    let info = server.raw().call(&["INFO", "server"]);
    assert!(info.contains("process_supervised:no\r\n"), "{info}");
    assert!(server.log_text().contains("systemd supervision error: NOTIFY_SOCKET not found!"));
}

#[test]
fn version_and_help_like_redis_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    for flag in ["--version", "-v"] {
        let (code, stdout, _) = run_to_exit(rkv_binary(), &[flag], dir.path());
        assert_eq!(code, Some(0));
        assert!(stdout.starts_with("Redis server v=7.0.15 sha="), "{stdout}");
        assert!(stdout.contains(" bits=64 "), "{stdout}");
        assert!(stdout.trim_end().ends_with(&format!(" rkv={}", env!("CARGO_PKG_VERSION"))), "{stdout}");
    }
    if have("redis-server") {
        let (_, redis, _) = run_to_exit("redis-server", &["--version"], dir.path());
        let fields = |line: &str| {
            line.split_whitespace().map(|f| f.split('=').next().unwrap_or("").to_owned()).collect::<Vec<_>>()
        };
        let (_, rkv, _) = run_to_exit(rkv_binary(), &["--version"], dir.path());
        assert_eq!(fields(&rkv)[..fields(&redis).len()], fields(&redis)[..]);
    }
    for flag in ["--help", "-h"] {
        let (code, stdout, stderr) = run_to_exit(rkv_binary(), &[flag], dir.path());
        assert_eq!(code, Some(1), "redis-server exits 1 after the usage text");
        assert!(stdout.is_empty());
        assert!(stderr.starts_with("Usage: ./rkv-server [/path/to/redis.conf] [options] [-]\n"), "{stderr}");
    }
}

#[test]
fn directives_that_weaken_safety_stop_startup() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: &[(&[&str], &str)] = &[
        (&["--replicaof", "127.0.0.1", "6379"], "replicaof \"127.0.0.1\" \"6379\""),
        (&["--slaveof", "127.0.0.1", "6379"], "slaveof \"127.0.0.1\" \"6379\""),
        (&["--cluster-enabled", "yes"], "cluster-enabled \"yes\""),
        (&["--tls-port", "6380"], "tls-port \"6380\""),
        (&["--aclfile", "/etc/users.acl"], "aclfile \"/etc/users.acl\""),
    ];
    for (args, line) in cases {
        let (code, _, stderr) = run_to_exit(rkv_binary(), args, dir.path());
        assert_eq!(code, Some(1), "{args:?}");
        assert!(stderr.contains("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***"), "{stderr}");
        assert!(stderr.contains(&format!(">>> '{line}'")), "{stderr}");
    }
    // From a file: the line number points at the directive.
    let conf = dir.path().join("bad.conf");
    std::fs::write(&conf, "port 0\n# comment\ncluster-enabled yes\n").expect("write");
    let (code, _, stderr) = run_to_exit(rkv_binary(), &[conf.to_str().expect("utf-8")], dir.path());
    assert_eq!(code, Some(1));
    assert!(stderr.contains("Reading the configuration file, at line 3\n>>> 'cluster-enabled yes'\n"), "{stderr}");
    // Turning the features off is what rkv does anyway, so it is accepted.
    let server = Server::start(&["--appendonly", "no", "--replicaof", "no", "one", "--cluster-enabled", "no"]);
    assert_eq!(server.raw().call(&["PING"]), "+PONG\r\n");
}

#[test]
fn config_set_refuses_unimplemented_safety_features() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["CONFIG", "SET", "tls-replication", "no"]), "+OK\r\n");
    let reply = raw.call(&["CONFIG", "SET", "tls-port", "6380"]);
    assert!(reply.starts_with("-ERR CONFIG SET failed (possibly related to argument 'tls-port') - "), "{reply}");
    // Immutable in Redis too.
    for name in ["replicaof", "cluster-enabled", "aclfile"] {
        let reply = raw.call(&["CONFIG", "SET", name, "x"]);
        assert_eq!(
            reply,
            format!("-ERR CONFIG SET failed (possibly related to argument '{name}') - can't set immutable config\r\n")
        );
    }
}

/// Waits until the log contains `needle`.
fn wait_for_log(server: &Server, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = server.log_text();
        if log.contains(needle) || Instant::now() > deadline {
            return log;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn verbose_log_shows_connects_and_disconnects() {
    let server = Server::start(&["--loglevel", "verbose", "--save", ""]);
    let mut raw = server.raw();
    raw.call(&["CLIENT", "SETNAME", "probe"]);
    let local = raw.stream.local_addr().expect("addr");
    drop(raw);
    let accepted = format!("- Accepted 127.0.0.1:{}\n", local.port());
    let closed = "- Client closed connection id=";
    let log = wait_for_log(&server, &format!("addr=127.0.0.1:{} ", local.port()));
    assert!(log.contains(&accepted), "{log}");
    let line = log
        .lines()
        .find(|l| l.contains(closed) && l.contains(&format!(":{} ", local.port())))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(line.contains(&format!(" laddr=127.0.0.1:{} ", server.port)), "{line}");
    assert!(line.contains(" name=probe "), "{line}");
    assert!(line.contains(" cmd=client|setname "), "{line}");

    // At the default level neither line is written.
    let quiet = Server::start(&["--save", ""]);
    drop(quiet.raw());
    std::thread::sleep(Duration::from_millis(100));
    assert!(!quiet.log_text().contains("Accepted 127.0.0.1"));
}

#[test]
fn config_set_bind_keeps_addresses_already_bound() {
    let server = Server::start(&["--save", ""]);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["CONFIG", "SET", "bind", "127.0.0.1 -::1"]), "+OK\r\n");
    assert_eq!(Raw::connect(server.port).call(&["PING"]), "+PONG\r\n");
    assert_eq!(raw.call(&["CONFIG", "SET", "bind", "127.0.0.1"]), "+OK\r\n");
    assert_eq!(Raw::connect(server.port).call(&["PING"]), "+PONG\r\n");
    assert_eq!(raw.call(&["CONFIG", "GET", "bind"]), "*2\r\n$4\r\nbind\r\n$9\r\n127.0.0.1\r\n");
}

#[test]
fn role_module_and_lolwut_text_match_redis() {
    crate::support::same_replies(&[
        &["ROLE"],
        &["ROLE", "x"],
        &["LOLWUT"],
        &["LOLWUT", "VERSION", "7"],
        &["LOLWUT", "version", "x"],
        &["LOLWUT", "VERSION", "5", "x"],
        &["LOLWUT", "foo", "bar"],
        &["LOLWUT", "VERSION"],
        // One square, one braille cell: no randomness left.
        &["LOLWUT", "VERSION", "5", "1", "1", "1"],
        &["LOLWUT", "VERSION", "6", "1", "1"],
        &["MODULE", "LIST"],
        &["MODULE", "HELP"],
        &["MODULE", "HELP", "x"],
        &["MODULE", "LOAD", "/nonexistent.so"],
        &["MODULE", "LOADEX", "/nonexistent.so", "ARGS", "a"],
        &["MODULE", "UNLOAD", "foo"],
        &["MODULE", "nosuch"],
        &["COMMAND", "LIST", "FILTERBY", "MODULE", "foo"],
        &["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"],
        &["COMMAND", "LIST", "FILTERBY", "foo", "x"],
        &["COMMAND", "LIST", "FILTERBY"],
        &["COMMAND", "INFO", "role", "lolwut", "module|list", "module|load", "module|help", "module|unload"],
        &["COMMAND", "DOCS", "lolwut"],
    ]);
}

#[test]
fn module_load_when_enabled_fails_like_redis() {
    let rkv = Server::start(&["--enable-module-command", "yes"]);
    let expected = "-ERR Error loading the extension. Please check the server logs.\r\n";
    assert_eq!(rkv.raw().call(&["MODULE", "LOAD", "/nonexistent.so"]), expected);
    if have("redis-server") {
        let redis = Server::start_redis(&["--enable-module-command", "yes"]);
        assert_eq!(redis.raw().call(&["MODULE", "LOAD", "/nonexistent.so"]), expected);
        for cmd in [&["MODULE", "UNLOAD", "foo"][..], &["MODULE", "LOADEX", "/x.so", "CONFIG", "a", "b"]] {
            assert_eq!(rkv.raw().call(cmd), redis.raw().call(cmd), "{cmd:?}");
        }
    }
}

#[test]
fn lolwut_draws_schotter_and_skyline() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let art = raw.call(&["LOLWUT", "VERSION", "5"]);
    assert!(art.ends_with("\n\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n\r\n"));
    // 66 braille characters on each of 49 lines.
    let body = art.split_once("\r\n").map(|(_, b)| b).unwrap_or_default();
    let lines: Vec<&str> = body.split('\n').take(49).collect();
    assert!(lines.iter().all(|l| l.chars().count() == 66 && l.chars().all(|c| ('\u{2800}'..='\u{28ff}').contains(&c))));
    assert!(lines.iter().any(|l| l.chars().any(|c| c != '\u{2800}')), "something is drawn");
    let sky = raw.call(&["LOLWUT", "VERSION", "6", "10", "4"]);
    assert!(sky.contains("\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15\n"));
    assert_eq!(sky.matches("\x1b[0m").count(), 40);
}

#[test]
fn command_list_filters_like_redis() {
    if !have("redis-server") {
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let sorted = |reply: String| {
        let mut lines: Vec<String> = reply.lines().skip(1).map(str::to_owned).collect();
        lines.sort();
        lines
    };
    let cmd = ["COMMAND", "LIST", "FILTERBY", "PATTERN", "mod*"];
    assert_eq!(sorted(rkv.raw().call(&cmd)), sorted(redis.raw().call(&cmd)));
    // Every command rkv lists under @admin Redis lists too.
    let cmd = ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "admin"];
    let (ours, theirs) = (sorted(rkv.raw().call(&cmd)), sorted(redis.raw().call(&cmd)));
    assert!(ours.iter().any(|l| l == "role"));
    let missing: Vec<&String> = ours.iter().filter(|l| l.starts_with('$') || theirs.contains(l)).collect();
    assert_eq!(missing.len(), ours.len());
}

/// INFO's section headers and field names (not values), without the per-command and per-error
/// lines, which depend on what ran.
fn info_names(reply: &str) -> Vec<String> {
    reply
        .lines()
        .skip(1)
        .map(|l| l.split(':').next().unwrap_or_default().to_owned())
        .filter(|n| {
            !n.is_empty()
                && n != "rkv_version"
                && !["cmdstat_", "errorstat_", "latency_percentiles_usec_"].iter().any(|p| n.starts_with(p))
        })
        .collect()
}

#[test]
fn info_sections_and_field_names_match_redis() {
    if !have("redis-server") {
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    for args in [
        &["INFO"][..],
        &["INFO", "everything"],
        &["INFO", "all"],
        &["INFO", "default"],
        &["INFO", "server", "clients"],
        &["INFO", "SERVER", "Keyspace", "cpu"],
        &["INFO", "commandstats"],
        &["INFO", "latencystats"],
        &["INFO", "modules", "cluster", "replication"],
        &["INFO", "persistence", "stats", "memory"],
        &["INFO", "nosuch"],
    ] {
        let (ours, theirs) = (info_names(&rkv.raw().call(args)), info_names(&redis.raw().call(args)));
        assert_eq!(ours, theirs, "{args:?}");
    }
}
