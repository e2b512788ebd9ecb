//! Server lifecycle and connection management: AUTH, maxclients, idle timeout, QUIT, SHUTDOWN,
//! signals, unix sockets, pidfile, daemonize, DEBUG gating.

use std::io::Read;
use std::time::Duration;

use crate::support::{Raw, Server};

#[test]
fn requirepass_gates_commands_until_auth() {
    let server = Server::start(&["--requirepass", "s3cret"]);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["GET", "k"]), "-NOAUTH Authentication required.\r\n");
    // Unknown commands and arity errors come before the auth check, as in Redis.
    assert_eq!(raw.call(&["NOPE"]), "-ERR unknown command 'NOPE', with args beginning with: \r\n");
    assert_eq!(raw.call(&["PING"]), "-NOAUTH Authentication required.\r\n");
    assert_eq!(raw.call(&["AUTH", "wrong"]), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    assert_eq!(
        raw.call(&["AUTH", "bob", "s3cret"]),
        "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
    );
    assert_eq!(raw.call(&["AUTH", "s3cret"]), "+OK\r\n");
    assert_eq!(raw.call(&["PING"]), "+PONG\r\n");

    let mut other = server.raw();
    let reply = other.call(&["HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "me"]);
    assert!(reply.starts_with("%8\r\n"), "{reply}");
    assert_eq!(other.call(&["GET", "k"]), "_\r\n");

    let mut third = server.raw();
    assert!(
        third.call(&["HELLO", "3"]).starts_with("-NOAUTH HELLO must be called with the client already authenticated")
    );
    assert_eq!(third.call(&["RESET"]), "+RESET\r\n");
}

#[test]
fn unauthenticated_clients_cannot_send_big_requests() {
    let server = Server::start(&["--requirepass", "pw"]);
    let mut raw = server.raw();
    raw.send(b"*11\r\n");
    assert_eq!(raw.read_to_close(), b"-ERR Protocol error: unauthenticated multibulk length\r\n");
    // After AUTH in the same pipeline, a large request is fine.
    let mut raw = server.raw();
    let mut batch = crate::support::encode(&[b"AUTH", b"pw"]);
    let big = vec![b'x'; 100_000];
    batch.extend_from_slice(&crate::support::encode(&[b"ECHO", &big]));
    raw.send(&batch);
    assert_eq!(raw.read_reply(), b"+OK\r\n");
    assert_eq!(raw.read_reply().len(), 100_000 + b"$100000\r\n\r\n".len());
}

#[test]
fn auth_without_password_configured() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    assert_eq!(
        raw.call(&["AUTH", "x"]),
        "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n"
    );
    assert_eq!(raw.call(&["AUTH", "default", "anything"]), "+OK\r\n");
    assert_eq!(raw.call(&["AUTH", "a", "b", "c"]), "-ERR syntax error\r\n");
}

#[test]
fn maxclients_refuses_extra_connections() {
    let server = Server::start(&["--maxclients", "2"]);
    // Let the server notice the harness's readiness probe disconnecting.
    std::thread::sleep(Duration::from_millis(200));
    let mut a = server.raw();
    let mut b = server.raw();
    assert_eq!(a.call(&["PING"]), "+PONG\r\n");
    assert_eq!(b.call(&["PING"]), "+PONG\r\n");
    let mut c = server.raw();
    assert_eq!(c.read_to_close(), b"-ERR max number of clients reached\r\n");
    drop(a);
    // The slot frees once the server notices the disconnect.
    let mut ok = false;
    for _ in 0..100 {
        let mut d = server.raw();
        d.send(b"PING\r\n");
        let mut buf = [0u8; 64];
        let n = d.stream.read(&mut buf).unwrap_or(0);
        if &buf[..n] == b"+PONG\r\n" {
            ok = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(ok, "a freed slot was never reused");
    assert_eq!(b.call(&["PING"]), "+PONG\r\n");
}

#[test]
fn idle_clients_are_closed_after_timeout() {
    let server = Server::start(&["--timeout", "1"]);
    let mut idle = server.raw();
    assert_eq!(idle.call(&["PING"]), "+PONG\r\n");
    idle.stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(idle.read_to_close(), b"");
}

#[test]
fn quit_replies_then_closes() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    raw.send(b"*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n");
    assert_eq!(raw.read_to_close(), b"+OK\r\n");
}

#[test]
fn select_checks_range() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["SELECT", "15"]), "+OK\r\n");
    assert_eq!(raw.call(&["SELECT", "16"]), "-ERR DB index is out of range\r\n");
    assert_eq!(raw.call(&["SELECT", "x"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(raw.call(&["SET", "k", "15"]), "+OK\r\n");
    assert_eq!(raw.call(&["SELECT", "0"]), "+OK\r\n");
    assert_eq!(raw.call(&["GET", "k"]), "$-1\r\n");
}

#[test]
fn shutdown_nosave_stops_the_server() {
    let mut server = Server::start(&[]);
    let pidfile = server.path().join("rkv.pid");
    let mut server2 = Server::start(&["--pidfile", pidfile.to_str().unwrap_or_default()]);
    assert!(pidfile.exists(), "pidfile not written");
    let mut raw = server.raw();
    assert_eq!(raw.call(&["SHUTDOWN", "ABORT"]), "-ERR No shutdown in progress.\r\n");
    assert_eq!(raw.call(&["SHUTDOWN", "NOSAVE", "SAVE"]), "-ERR syntax error\r\n");
    raw.cmd(&[b"SHUTDOWN", b"NOSAVE"]);
    assert_eq!(raw.read_to_close(), b"");
    assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0));
    let mut raw2 = server2.raw();
    raw2.cmd(&[b"SHUTDOWN"]);
    assert_eq!(raw2.read_to_close(), b"");
    assert_eq!(server2.wait_exit(Duration::from_secs(10)), Some(0));
    assert!(!pidfile.exists(), "pidfile not removed on shutdown");
}

#[test]
fn sigterm_and_sigint_exit_cleanly() {
    for signal in ["TERM", "INT"] {
        let mut server = Server::start(&[]);
        let mut raw = server.raw();
        assert_eq!(raw.call(&["PING"]), "+PONG\r\n");
        server.signal(signal);
        assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0), "SIG{signal}");
        assert_eq!(raw.read_to_close(), b"");
        assert!(
            server.log_text().contains(&format!("Received SIG{signal} scheduling shutdown")),
            "{}",
            server.log_text()
        );
    }
}

/// Both servers, when real Redis is installed (rkv alone otherwise), each started with `args`.
fn rkv_and_redis(args: &[&str]) -> Vec<Server> {
    let mut servers = vec![Server::start(args)];
    if crate::support::have("redis-server") {
        servers.push(Server::start_redis(args));
    } else {
        eprintln!("redis-server not installed: checking rkv alone");
    }
    servers
}

/// Polls `done` every 10 ms for up to 5 s.
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..500 {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn shutdown_abort_cancels_a_signal_shutdown_the_paused_cron_holds() {
    for mut server in rkv_and_redis(&["--enable-debug-command", "yes", "--save", ""]) {
        let mut raw = server.raw();
        assert_eq!(raw.call(&["SHUTDOWN", "ABORT"]), "-ERR No shutdown in progress.\r\n");
        assert_eq!(raw.call(&["DEBUG", "PAUSE-CRON", "1"]), "+OK\r\n");
        server.signal("TERM");
        std::thread::sleep(Duration::from_millis(100));
        // The cron starts a signal's shutdown: paused, it holds it, and SHUTDOWN ABORT cancels.
        assert_eq!(raw.call(&["SHUTDOWN", "ABORT"]), "+OK\r\n");
        assert_eq!(raw.call(&["DEBUG", "PAUSE-CRON", "0"]), "+OK\r\n");
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(raw.call(&["PING"]), "+PONG\r\n");
        assert!(server.log_text().contains("Shutdown manually aborted."), "{}", server.log_text());
        // Unpaused, a signal's shutdown goes ahead.
        server.signal("TERM");
        assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0));
    }
}

#[test]
fn a_second_sigint_during_the_shutdown_save_quits_at_once_and_removes_the_temp_file() {
    for mut server in rkv_and_redis(&["--save", "3600 1"]) {
        let mut raw = server.raw();
        for i in 0..20 {
            raw.call(&["SET", &i.to_string(), "v"]);
        }
        // 20 keys at 100 ms each: the final save takes 2 s.
        raw.call(&["CONFIG", "SET", "rdb-key-save-delay", "100000"]);
        let temp = server.path().join(format!("temp-{}.rdb", server.pid()));
        server.signal("INT");
        assert!(eventually(|| temp.exists()), "the shutdown save did not start: {}", server.log_text());
        server.signal("INT");
        assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(1), "{}", server.log_text());
        assert!(!temp.exists(), "the temporary file was left behind");
        assert!(!server.path().join("dump.rdb").exists(), "the interrupted save was kept");
        assert!(server.log_text().contains("You insist... exiting now."), "{}", server.log_text());
    }
}

#[test]
fn a_shutdown_whose_save_fails_keeps_the_server_serving() {
    for mut server in rkv_and_redis(&["--save", "3600 1"]) {
        let mut raw = server.raw();
        raw.call(&["SET", "k", "v"]);
        // A directory in the way of dump.rdb makes the final rename fail.
        std::fs::create_dir(server.path().join("dump.rdb")).expect("mkdir");
        server.signal("INT");
        let refused = "Errors trying to shut down the server. Check the logs for more information.";
        assert!(eventually(|| server.log_text().contains(refused)), "{}", server.log_text());
        assert!(server.log_text().contains("Error trying to save the DB, can't exit."));
        assert_eq!(raw.call(&["PING"]), "+PONG\r\n");
        assert_eq!(raw.call(&["SHUTDOWN"]), "-ERR Errors trying to SHUTDOWN. Check logs.\r\n");
        assert_eq!(raw.call(&["GET", "k"]), "$1\r\nv\r\n");
        raw.send(b"SHUTDOWN NOSAVE\r\n");
        assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0));
    }
}

#[test]
fn sigterm_during_a_background_save_still_writes_the_final_snapshot() {
    let mut server = Server::start(&["--save", "3600 1"]);
    let mut raw = server.raw();
    for i in 0..20 {
        raw.call(&["SET", &i.to_string(), "v"]);
    }
    raw.call(&["CONFIG", "SET", "rdb-key-save-delay", "100000"]);
    assert_eq!(raw.call(&["BGSAVE"]), "+Background saving started\r\n");
    std::thread::sleep(Duration::from_millis(150));
    // The aborted background save's writer must not remove the final save's file.
    server.signal("TERM");
    assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0), "{}", server.log_text());
    let saved = std::fs::read(server.path().join("dump.rdb")).expect("dump.rdb");
    let restarted = Server::start_program_in(crate::support::rkv_binary(), dir_holding(&saved), None, &[]);
    assert_eq!(restarted.raw().call(&["DBSIZE"]), ":20\r\n");
}

/// A fresh directory holding `rdb` as dump.rdb.
fn dir_holding(rdb: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("dump.rdb"), rdb).expect("write dump.rdb");
    dir
}

#[test]
fn unix_socket_serves_clients() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rkv.sock");
    let server = Server::start(&["--unixsocket", path.to_str().unwrap_or_default(), "--unixsocketperm", "700"]);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    let mut sock = std::os::unix::net::UnixStream::connect(&path).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    std::io::Write::write_all(&mut sock, b"PING\r\n").unwrap();
    let mut buf = [0u8; 7];
    sock.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"+PONG\r\n");
    drop(server);
}

#[test]
fn debug_command_is_gated() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    assert!(raw.call(&["DEBUG", "SLEEP", "0"]).starts_with("-ERR DEBUG command not allowed."));
    let server = Server::start(&["--enable-debug-command", "yes"]);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["DEBUG", "SLEEP", "0"]), "+OK\r\n");
    assert_eq!(raw.call(&["DEBUG", "ERROR", "OOPS x"]), "-OOPS x\r\n");
    assert_eq!(
        raw.call(&["DEBUG", "NOPE"]),
        "-ERR unknown subcommand or wrong number of arguments for 'NOPE'. Try DEBUG HELP.\r\n"
    );
}

#[test]
fn abrupt_disconnects_do_not_disturb_others() {
    let server = Server::start(&[]);
    let mut steady = server.raw();
    for _ in 0..20 {
        let mut r = Raw::connect(server.port);
        r.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\npartial");
        drop(r);
    }
    assert_eq!(steady.call(&["SET", "a", "1"]), "+OK\r\n");
    assert_eq!(steady.call(&["GET", "a"]), "$1\r\n1\r\n");
    assert_eq!(steady.call(&["GET", "k"]), "$-1\r\n");
}

#[test]
fn daemonize_detaches_and_writes_pidfile() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("d.pid");
    let log = dir.path().join("d.log");
    let port = crate::support::free_port();
    let status = std::process::Command::new(crate::support::rkv_binary())
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--daemonize", "yes"])
        .arg("--pidfile")
        .arg(&pidfile)
        .arg("--logfile")
        .arg(&log)
        .status()
        .expect("spawn");
    assert!(status.success(), "the foreground process exits 0 once the daemon is forked");
    let mut pid = None;
    for _ in 0..250 {
        if let Some(p) = std::fs::read_to_string(&pidfile).ok().and_then(|s| s.trim().parse::<u32>().ok()) {
            if Raw::try_connect(port).is_some() {
                pid = Some(p);
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = pid.expect("daemon did not come up");
    let proc_dir = std::path::PathBuf::from(format!("/proc/{pid}"));
    assert!(proc_dir.exists());
    let mut raw = Raw::connect(port);
    raw.cmd(&[b"SHUTDOWN", b"NOSAVE"]);
    assert_eq!(raw.read_to_close(), b"");
    for _ in 0..250 {
        if !proc_dir.exists() && !pidfile.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!pidfile.exists(), "pidfile removed at exit");
    assert!(std::fs::read_to_string(&log).unwrap_or_default().contains("Ready to accept connections"));
}

#[test]
fn rename_command_renames_and_disables() {
    let server = Server::start(&["--rename-command", "CONFIG", "MYCONFIG", "--rename-command", "DEBUG", ""]);
    let mut raw = server.raw();
    assert_eq!(
        raw.call(&["CONFIG", "GET", "port"]),
        "-ERR unknown command 'CONFIG', with args beginning with: 'GET' 'port' \r\n"
    );
    assert!(raw.call(&["MYCONFIG", "GET", "port"]).starts_with("*2\r\n$4\r\nport\r\n"));
    assert!(raw.call(&["DEBUG", "SLEEP", "0"]).starts_with("-ERR unknown command 'DEBUG'"));
}

#[test]
fn binds_several_addresses_including_ipv6() {
    let server = Server::start(&["--bind", "127.0.0.1", "::1"]);
    assert_eq!(server.raw().call(&["PING"]), "+PONG\r\n");
    match std::net::TcpStream::connect(("::1", server.port)) {
        Ok(mut v6) => {
            use std::io::Write;
            v6.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            v6.write_all(b"CLIENT INFO\r\n").unwrap();
            let mut buf = [0u8; 256];
            let n = v6.read(&mut buf).unwrap_or(0);
            let line = String::from_utf8_lossy(&buf[..n]);
            assert!(line.contains("addr=[::1]:"), "{line}");
        }
        Err(e) => eprintln!("skipped IPv6 half: {e}"),
    }
}

#[test]
fn port_zero_serves_only_the_unix_socket() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("only.sock");
    let log = dir.path().join("log");
    let mut child = std::process::Command::new(crate::support::rkv_binary())
        .args(["--port", "0", "--unixsocket"])
        .arg(&sock)
        .arg("--logfile")
        .arg(&log)
        .spawn()
        .expect("spawn");
    let mut stream = None;
    for _ in 0..250 {
        if let Ok(s) = std::os::unix::net::UnixStream::connect(&sock) {
            stream = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut stream = stream.expect("unix socket never came up");
    use std::io::Write;
    stream.write_all(b"SHUTDOWN NOSAVE\r\n").unwrap();
    let status = child.wait().expect("wait");
    assert!(status.success());
    assert!(!sock.exists(), "socket file removed at exit");
}

#[test]
fn query_buffer_and_bulk_limits_apply_live() {
    let server = Server::start(&[]);
    let mut admin = server.raw();
    assert_eq!(admin.call(&["CONFIG", "SET", "proto-max-bulk-len", "1mb"]), "+OK\r\n");
    let mut raw = server.raw();
    raw.send(b"*2\r\n$4\r\nECHO\r\n$2000000\r\n");
    assert_eq!(raw.read_to_close(), b"-ERR Protocol error: invalid bulk length\r\n");

    assert_eq!(
        admin.call(&["CONFIG", "SET", "proto-max-bulk-len", "10mb", "client-query-buffer-limit", "1mb"]),
        "+OK\r\n"
    );
    let mut raw = server.raw();
    raw.send(b"*2\r\n$4\r\nECHO\r\n$3000000\r\n");
    // Sending more than the limit without completing the request gets the client closed.
    let chunk = vec![b'x'; 64 * 1024];
    let mut closed = false;
    for _ in 0..40 {
        if std::io::Write::write_all(&mut raw.stream, &chunk).is_err() {
            closed = true;
            break;
        }
    }
    if !closed {
        assert_eq!(raw.read_to_close(), b"", "client over client-query-buffer-limit is closed");
    }
    assert_eq!(admin.call(&["PING"]), "+PONG\r\n");
}

/// `min-replicas-to-write` on a primary with no good replica refuses writes (commands, EXEC of a
/// queued write, scripts that write or declare they may) and lets reads and `no-writes` scripts
/// through, with Redis's replies; `min-replicas-max-lag 0` turns the check off.
#[test]
fn min_replicas_to_write_refuses_writes_as_redis_does() {
    crate::support::same_replies(&[
        &["SET", "x", "before"],
        &["CONFIG", "SET", "min-replicas-to-write", "1"],
        &["SET", "x", "during"],
        &["GET", "x"],
        &["MULTI"],
        &["SET", "x", "queued"],
        &["EXEC"],
        &["MULTI"],
        &["GET", "x"],
        &["EXEC"],
        &["EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "x"],
        &["EVAL", "return redis.call('get', KEYS[1])", "1", "x"],
        &["EVAL", "#!lua\nreturn redis.call('get', KEYS[1])", "1", "x"],
        &["EVAL", "return redis.call('set', KEYS[1], 'script')", "1", "x"],
        &["EVAL", "return redis.pcall('set', KEYS[1], 'script')", "1", "x"],
        &["FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('w', function() return 1 end)"],
        &["FCALL", "w", "0"],
        &["CONFIG", "SET", "min-replicas-max-lag", "0"],
        &["SET", "x", "lag check off"],
        &["CONFIG", "SET", "min-replicas-max-lag", "10"],
        &["CONFIG", "SET", "min-replicas-to-write", "0"],
        &["SET", "x", "after"],
        &["GET", "x"],
    ]);
}

/// INFO replication shows `min_slaves_good_slaves` only while the check is on, as Redis does.
#[test]
fn info_counts_good_replicas_while_min_replicas_is_on() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let good = |raw: &mut Raw| raw.call(&["INFO", "replication"]).lines().any(|l| l == "min_slaves_good_slaves:0");
    assert!(!good(&mut raw));
    raw.call(&["CONFIG", "SET", "min-replicas-to-write", "2"]);
    assert!(good(&mut raw));
    raw.call(&["CONFIG", "SET", "min-replicas-max-lag", "0"]);
    assert!(!good(&mut raw));
}
