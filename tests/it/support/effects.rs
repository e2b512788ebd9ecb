//! Comparing what commands cause besides their replies, against real redis-server 7.0.15: the
//! keyspace notifications subscribers receive, and the commands propagated to the AOF and
//! replicas.

use super::{Raw, Server, have};

/// Runs `commands` on a fresh rkv and a fresh redis-server with `notify-keyspace-events
/// <flags>`, and asserts that every command gets the same reply and makes a subscriber of
/// `__key*__:*` receive the same notifications, in the same order. Skipped without
/// redis-server.
pub fn same_notifications(flags: &str, commands: &[&[&str]]) {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    // DEBUG SLEEP lets a transcript wait for a TTL to pass.
    let args = ["--notify-keyspace-events", flags, "--enable-debug-command", "yes"];
    let rkv = Server::start(&args);
    let redis = Server::start_redis(&args);
    let mut ours = Transcript::open(rkv.port);
    let mut theirs = Transcript::open(redis.port);
    for (i, cmd) in commands.iter().enumerate() {
        let (a, b) = (ours.run(i, cmd), theirs.run(i, cmd));
        assert_eq!(a, b, "command {cmd:?}: reply and notifications (rkv left, redis right)");
    }
}

/// A command connection and a subscriber connection to one server.
pub struct Transcript {
    commands: Raw,
    subscriber: Raw,
}

impl Transcript {
    /// Connects and subscribes to every keyspace and keyevent channel, plus a marker channel.
    /// The server must allow DEBUG: active expiry is turned off, a key whose TTL passes expires when a command reads it, so
    /// its event comes with that command on both servers, not at a cron tick.
    pub fn open(port: u16) -> Transcript {
        let mut subscriber = Raw::connect(port);
        subscriber.call(&["PSUBSCRIBE", "__key*__:*"]);
        subscriber.call(&["SUBSCRIBE", "rkv-test-marker"]);
        let mut commands = Raw::connect(port);
        assert_eq!(commands.call(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]), "+OK\r\n");
        Transcript { commands, subscriber }
    }

    /// Sends `cmd`; returns its reply followed by the notifications it caused, one per line as
    /// `channel message`.
    pub fn run(&mut self, step: usize, cmd: &[&str]) -> String {
        let mut out = self.commands.call(cmd);
        let marker = step.to_string();
        self.commands.call(&["PUBLISH", "rkv-test-marker", &marker]);
        loop {
            let message = self.subscriber.read_reply();
            let text = String::from_utf8_lossy(&message).into_owned();
            let parts: Vec<&str> = text.split("\r\n").collect();
            // pmessage: *4 $8 pmessage $n pattern $n channel $n payload.
            if parts.get(2) == Some(&"pmessage") {
                out.push_str(&format!("\n{} {}", parts[6], parts[8]));
                continue;
            }
            assert_eq!(parts.get(6), Some(&marker.as_str()), "unexpected push {text:?}");
            return out;
        }
    }
}

/// The commands real redis-server 7.0.15 propagates for `commands` (sent in order on one
/// connection), read back from its AOF, with timestamps normalised (see [`normalise`]).
/// `None` when redis-server is not installed.
pub fn redis_propagation(commands: &[&[&str]]) -> Option<Vec<Vec<String>>> {
    redis_propagation_clients(&one_client(commands))
}

/// The commands rkv propagates for `commands`, run in process by one client on an executor
/// whose propagation stream is enabled, with timestamps normalised.
pub fn rkv_propagation(commands: &[&[&str]]) -> Vec<Vec<String>> {
    rkv_propagation_clients(&one_client(commands))
}

/// `commands` as steps of client 0.
fn one_client<'a>(commands: &[&'a [&'a str]]) -> Vec<(usize, &'a [&'a str])> {
    commands.iter().map(|cmd| (0, *cmd)).collect()
}

/// Asserts that rkv propagates what redis-server 7.0.15 writes to its AOF for `commands`.
pub fn same_propagation(commands: &[&[&str]]) {
    let Some(theirs) = redis_propagation(commands) else {
        eprintln!("skipped: redis-server is not installed");
        return;
    };
    assert_eq!(rkv_propagation(commands), theirs, "propagated commands (rkv left, redis right) for {commands:?}");
}

/// The commands in a server's (last) incremental AOF file, normalised.
pub fn aof_commands(redis: &Server) -> Vec<Vec<String>> {
    let aof_dir = redis.path().join("appendonlydir");
    let incr = std::fs::read_dir(&aof_dir)
        .expect("appendonlydir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".incr.aof"))
        .expect("incremental AOF file");
    let bytes = std::fs::read(incr).expect("read AOF");
    normalise(parse_commands(&bytes))
}

/// Replaces Unix-millisecond timestamps (integers above 10^12, as PEXPIREAT and PXAT carry)
/// with `<ms>`, and upper-cases command names, so runs at different times compare equal.
fn normalise(commands: Vec<Vec<String>>) -> Vec<Vec<String>> {
    commands
        .into_iter()
        .map(|argv| {
            argv.into_iter()
                .enumerate()
                .map(|(i, a)| match a.parse::<i64>() {
                    Ok(n) if n > 1_000_000_000_000 => "<ms>".to_owned(),
                    _ if i == 0 => a.to_ascii_uppercase(),
                    _ => a,
                })
                .collect()
        })
        .collect()
}

/// Splits a stream of RESP multibulk commands into argument lists.
fn parse_commands(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut rest = bytes;
    let line = |rest: &mut &[u8]| -> String {
        let end = rest.windows(2).position(|w| w == b"\r\n").expect("line end");
        let text = String::from_utf8_lossy(&rest[..end]).into_owned();
        *rest = &rest[end + 2..];
        text
    };
    while !rest.is_empty() {
        let header = line(&mut rest);
        let n: usize = header.trim_start_matches('*').parse().expect("multibulk header");
        let mut argv = Vec::with_capacity(n);
        for _ in 0..n {
            let len: usize = line(&mut rest).trim_start_matches('$').parse().expect("bulk header");
            argv.push(String::from_utf8_lossy(&rest[..len]).into_owned());
            rest = &rest[len + 2..];
        }
        commands.push(argv);
    }
    commands
}

/// [`same_propagation`] with several clients: each step is `(client, command)`. A command that
/// blocks (BLPOP on an empty list) leaves its client waiting; a later write serves it, and what
/// the served command propagates is compared too (what the in-process harness of
/// [`rkv_propagation`] cannot do with one client).
pub fn same_propagation_clients(steps: &[(usize, &[&str])]) {
    let Some(theirs) = redis_propagation_clients(steps) else {
        eprintln!("skipped: redis-server is not installed");
        return;
    };
    assert_eq!(rkv_propagation_clients(steps), theirs, "propagated commands (rkv left, redis right) for {steps:?}");
}

/// The commands real redis-server 7.0.15 writes to its AOF for `steps`, each client on its own
/// connection. A command is taken to block when its client gets no reply while the server's
/// `blocked_clients` grows; a blocked client's eventual reply is read before its next command.
pub fn redis_propagation_clients(steps: &[(usize, &[&str])]) -> Option<Vec<Vec<String>>> {
    if !have("redis-server") {
        return None;
    }
    let redis = Server::start_program(
        "redis-server",
        None,
        &["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--aof-use-rdb-preamble", "yes"],
    );
    let clients = steps.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
    let mut conns: Vec<Raw> = (0..clients).map(|_| redis.raw()).collect();
    let mut blocked = vec![false; clients];
    let mut control = redis.raw();
    for &(c, cmd) in steps {
        if blocked[c] {
            conns[c].read_reply();
        }
        let before = blocked_clients(&mut control);
        let args: Vec<&[u8]> = cmd.iter().map(|a| a.as_bytes()).collect();
        conns[c].cmd(&args);
        blocked[c] = replied_or_blocked(&mut conns[c], &mut control, before);
    }
    Some(aof_commands(&redis))
}

/// `blocked_clients` of INFO clients.
fn blocked_clients(control: &mut Raw) -> usize {
    let info = control.call(&["INFO", "clients"]);
    info.lines().find_map(|l| l.strip_prefix("blocked_clients:")).and_then(|n| n.trim().parse().ok()).unwrap_or(0)
}

/// Waits for the command just sent on `conn` to be answered (reads the reply; returns false) or
/// to block (returns true).
fn replied_or_blocked(conn: &mut Raw, control: &mut Raw, before: usize) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        conn.stream.set_read_timeout(Some(std::time::Duration::from_millis(5))).expect("timeout");
        let ready = conn.stream.peek(&mut [0u8; 1]).is_ok_and(|n| n > 0);
        conn.stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).expect("timeout");
        if ready {
            conn.read_reply();
            return false;
        }
        if blocked_clients(control) > before {
            return true;
        }
        assert!(std::time::Instant::now() < deadline, "command neither answered nor blocked");
    }
}

/// The commands rkv propagates for `steps` run in process, each client registered on its own;
/// a blocked client is served by a later step's write as on a real connection.
pub fn rkv_propagation_clients(steps: &[(usize, &[&str])]) -> Vec<Vec<String>> {
    use rkv::commands::{self, CommandTable};
    use rkv::config::Config;
    use rkv::executor::Executor;
    use rkv::protocol::{Batch, DecodeLimits, Reply, RequestDecoder};
    use rkv::state::{NewClient, Transport};

    let table = CommandTable::build(&commands::all(), &[]).expect("command table");
    let mut executor = Executor::new(Config::default(), table);
    executor.state_mut().propagation.enable();
    let clients = steps.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
    let mut receivers = Vec::new();
    let ids: Vec<_> = (0..clients)
        .map(|i| {
            let (events, receiver) = tokio::sync::mpsc::unbounded_channel();
            receivers.push(receiver);
            let transport =
                Transport::Tcp { peer: format!("127.0.0.1:{}", 50000 + i), local: "127.0.0.1:6379".to_owned() };
            executor.register_client(NewClient { transport, fd: -1, events, in_flight: Default::default() })
        })
        .collect();
    let mut out = Reply::new(false);
    for &(c, cmd) in steps {
        let args: Vec<&[u8]> = cmd.iter().map(|a| a.as_bytes()).collect();
        let input = super::encode(&args);
        let (mut decoder, mut batch) = (RequestDecoder::new(), Batch::new());
        while let Ok(true) = decoder.next(&input, DecodeLimits::default(), &mut batch) {}
        executor.borrowed().run_batch(ids[c], &input, 0, &batch, &mut out);
        out.clear();
    }
    let bytes = executor.state_mut().propagation.take();
    normalise(parse_commands(&bytes))
}
