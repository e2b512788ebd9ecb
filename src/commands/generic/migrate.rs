//! MIGRATE: Atomically transfer a key from a Redis instance to another one.
//!
//! As in Redis the command is synchronous: the keys are DUMPed, sent as RESTORE commands over a
//! cached connection (`state::migrate_sockets`) and, unless COPY, deleted here once the target
//! acknowledged them; the executor waits for the target, bounded by the command's timeout. A
//! failed cached connection is retried once on a fresh one unless the failure was a timeout or
//! some key was already acknowledged. What it deleted is propagated as one DEL.

use std::io::{self, Read, Write};
use std::time::Duration;

use crate::commands::errors::{NOT_INTEGER, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::clock::unix_secs;
use crate::keyspace::{Access, now_ms};
use crate::persistence::rdb;
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::state::migrate_sockets::MigrateSocket;
use crate::types::number::parse_i64;

const KEY_FLAGS: KeyFlags = KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE);

/// MIGRATE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "migrate",
    arity: -6,
    flags: Flags::WRITE,
    acl: Acl::KEYSPACE.union(Acl::DANGEROUS),
    keys: &[
        KeySpec {
            flags: KEY_FLAGS,
            begin: BeginSearch::Index(3),
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        },
        KeySpec {
            flags: KEY_FLAGS.union(KeyFlags::INCOMPLETE),
            begin: BeginSearch::Keyword { keyword: "KEYS", start_from: -2 },
            find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
            notes: None,
        },
    ],
    group: Group::Generic,
    since: "2.6.0",
    summary: "Atomically transfer a key from a Redis instance to another one.",
    complexity: "This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.",
    history: &[
        ("3.0.0", "Added the `COPY` and `REPLACE` options."),
        ("3.0.6", "Added the `KEYS` option."),
        ("4.0.7", "Added the `AUTH` option."),
        ("6.0.0", "Added the `AUTH2` option."),
    ],
    tips: &["nondeterministic_output"],
    args: &[
        Arg { name: "host", ..Arg::DEFAULT },
        Arg { name: "port", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg {
            name: "key_or_empty_string",
            kind: ArgKind::OneOf(&[
                Arg::key(0),
                Arg { name: "empty_string", kind: ArgKind::PureToken, token: Some(""), ..Arg::DEFAULT },
            ]),
            ..Arg::DEFAULT
        },
        Arg { name: "destination-db", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "timeout", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg {
            name: "copy",
            kind: ArgKind::PureToken,
            token: Some("COPY"),
            optional: true,
            since: Some("3.0.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "replace",
            kind: ArgKind::PureToken,
            token: Some("REPLACE"),
            optional: true,
            since: Some("3.0.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "authentication",
            kind: ArgKind::OneOf(&[
                Arg { name: "password", token: Some("AUTH"), since: Some("4.0.7"), optional: true, ..Arg::DEFAULT },
                Arg {
                    name: "username_password",
                    kind: ArgKind::Block(&[
                        Arg { name: "username", ..Arg::DEFAULT },
                        Arg { name: "password", ..Arg::DEFAULT },
                    ]),
                    token: Some("AUTH2"),
                    since: Some("6.0.0"),
                    optional: true,
                    ..Arg::DEFAULT
                },
            ]),
            optional: true,
            ..Arg::DEFAULT
        },
        Arg {
            name: "key",
            kind: ArgKind::Key(1),
            token: Some("KEYS"),
            optional: true,
            multiple: true,
            since: Some("3.0.6"),
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// Redis's error when the target cannot be reached.
const CONNECT_ERROR: &str = "IOERR error or timeout connecting to the client";
/// Longest reply line read from the target (Redis reads into a 1024-byte buffer).
const MAX_LINE: usize = 1023;
/// Bytes written per call, as Redis sends the commands in 64 KB chunks.
const CHUNK: usize = 64 * 1024;

/// A parsed MIGRATE.
struct Request<'a> {
    host: &'a [u8],
    port: &'a [u8],
    db: i64,
    timeout: Duration,
    copy: bool,
    replace: bool,
    /// AUTH's password, or AUTH2's username and password.
    auth: Option<(Option<&'a [u8]>, &'a [u8])>,
    keys: &'a [&'a [u8]],
}

/// Parses the arguments as Redis does: options first (the first bad one answers), then the
/// timeout and database numbers.
fn parse<'a>(argv: &'a [&'a [u8]]) -> Result<Request<'a>, &'static str> {
    let mut request = Request {
        host: argv[1],
        port: argv[2],
        db: 0,
        timeout: Duration::ZERO,
        copy: false,
        replace: false,
        auth: None,
        keys: &argv[3..4],
    };
    let mut j = 6;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        let option = argv[j].to_ascii_lowercase();
        match option.as_slice() {
            b"copy" => request.copy = true,
            b"replace" => request.replace = true,
            b"auth" if more >= 1 => {
                request.auth = Some((None, argv[j + 1]));
                j += 1;
            }
            b"auth2" if more >= 2 => {
                request.auth = Some((Some(argv[j + 1]), argv[j + 2]));
                j += 2;
            }
            b"keys" => {
                if !argv[3].is_empty() {
                    return Err("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
                }
                request.keys = &argv[j + 1..];
                break;
            }
            _ => return Err(SYNTAX),
        }
        j += 1;
    }
    let timeout = parse_i64(argv[5]).ok_or(NOT_INTEGER)?;
    request.db = parse_i64(argv[4]).ok_or(NOT_INTEGER)?;
    let timeout_ms = if timeout <= 0 { 1000 } else { timeout.unsigned_abs() };
    request.timeout = Duration::from_millis(timeout_ms);
    Ok(request)
}

/// A key to send: its name, remaining time to live in ms (0: none) and DUMP payload.
struct Outgoing<'a> {
    key: &'a [u8],
    ttl_ms: i64,
    payload: Vec<u8>,
}

/// The commands sent to the target: AUTH, SELECT when the connection has another database
/// selected, then one RESTORE per key.
fn commands(request: &Request<'_>, select: bool, keys: &[Outgoing<'_>]) -> Vec<u8> {
    let mut out = Reply::new(false);
    let mut command = |args: &[&[u8]]| {
        out.array(args.len());
        args.iter().for_each(|a| out.bulk(a));
    };
    match request.auth {
        Some((Some(user), password)) => command(&[b"AUTH", user, password]),
        Some((None, password)) => command(&[b"AUTH", password]),
        None => {}
    }
    if select {
        command(&[b"SELECT", request.db.to_string().as_bytes()]);
    }
    for k in keys {
        let ttl = k.ttl_ms.to_string();
        let mut args: Vec<&[u8]> = vec![b"RESTORE", k.key, ttl.as_bytes(), &k.payload];
        if request.replace {
            args.push(b"REPLACE");
        }
        command(&args);
    }
    out.as_bytes().to_vec()
}

/// Reads one reply line (without its CR LF), byte by byte so that nothing past it is consumed
/// from the cached connection.
fn read_line(stream: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        if stream.read(&mut byte)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        if byte[0] == b'\n' {
            break;
        }
        if line.len() < MAX_LINE {
            line.push(byte[0]);
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(line)
}

/// Whether an I/O error is the timeout expiring (never retried, as in Redis).
fn timed_out(error: &io::Error) -> bool {
    matches!(error.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

/// What one exchange with the target gave.
enum Exchange {
    /// Writing failed.
    WriteFailed(io::Error),
    /// Reading the AUTH or SELECT reply failed.
    PreambleFailed(io::Error),
    /// Key replies read (an error from AUTH or SELECT makes every key's reply that error), and
    /// the read error that stopped them early, if any.
    Replies(Vec<Result<(), Vec<u8>>>, Option<io::Error>),
}

/// Sends `buf` and reads the replies for `keys` RESTOREs.
fn exchange(
    socket: &mut MigrateSocket,
    buf: &[u8],
    auth: bool,
    select: bool,
    keys: usize,
    timeout: Duration,
) -> Exchange {
    let stream = &mut socket.stream;
    let configured = stream.set_write_timeout(Some(timeout)).and_then(|()| stream.set_read_timeout(Some(timeout)));
    if let Err(e) = configured.and_then(|()| buf.chunks(CHUNK).try_for_each(|chunk| stream.write_all(chunk))) {
        return Exchange::WriteFailed(e);
    }
    let mut preamble_error = None;
    for expected in [auth, select] {
        if expected {
            match read_line(stream) {
                Ok(line) if line.first() == Some(&b'-') => preamble_error = preamble_error.or(Some(line)),
                Ok(_) => {}
                Err(e) => return Exchange::PreambleFailed(e),
            }
        }
    }
    let mut replies = Vec::with_capacity(keys);
    for _ in 0..keys {
        match read_line(stream) {
            Ok(line) => match &preamble_error {
                Some(error) => replies.push(Err(error.clone())),
                None if line.first() == Some(&b'-') => replies.push(Err(line)),
                None => replies.push(Ok(())),
            },
            Err(e) => return Exchange::Replies(replies, Some(e)),
        }
    }
    Exchange::Replies(replies, None)
}

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let request = match parse(argv) {
        Ok(request) => request,
        Err(e) => return ctx.out.error(e),
    };
    let compress = ctx.server.config.snapshot.compression;
    let now = now_ms();
    let mut outgoing = Vec::new();
    for &key in request.keys {
        let Some(entry) = ctx.db().lookup_for(key, now, Access::Read) else { continue };
        let payload = rdb::dump(&entry.value, compress);
        let ttl_ms = ctx.db().expire_at(key).map_or(0, |at| (at - now).max(1));
        outgoing.push(Outgoing { key, ttl_ms, payload });
    }
    if outgoing.is_empty() {
        return ctx.out.simple("NOKEY");
    }
    let mut may_retry = true;
    loop {
        let sockets = &mut ctx.server.migrate_sockets;
        let socket = match sockets.get_or_connect(request.host, request.port, request.timeout, unix_secs()) {
            Ok(socket) => socket,
            Err(_) => return ctx.out.error(CONNECT_ERROR),
        };
        let select = socket.selected_db != Some(request.db);
        let buf = commands(&request, select, &outgoing);
        let auth = request.auth.is_some();
        let (failure, writing) = match exchange(socket, &buf, auth, select, outgoing.len(), request.timeout) {
            Exchange::WriteFailed(e) => (e, true),
            Exchange::PreambleFailed(e) => (e, false),
            Exchange::Replies(replies, failure) => {
                let read_nothing = replies.is_empty();
                match failure {
                    // Nothing was processed: a stale cached connection is worth one more try.
                    Some(e) if read_nothing && may_retry && !timed_out(&e) => (e, false),
                    failure => return finish(ctx, &request, &outgoing, &replies, failure.is_some()),
                }
            }
        };
        ctx.server.migrate_sockets.close(request.host, request.port);
        if may_retry && !timed_out(&failure) {
            may_retry = false;
            continue;
        }
        let direction = if writing { "writing" } else { "reading" };
        return ctx.out.error(&format!("IOERR error or timeout {direction} to target instance"));
    }
}

/// Applies the target's replies: acknowledged keys are deleted (unless COPY) and propagated as
/// one DEL; the reply is the first error from the target, an I/O error, or OK.
fn finish(
    ctx: &mut Ctx<'_>,
    request: &Request<'_>,
    outgoing: &[Outgoing<'_>],
    replies: &[Result<(), Vec<u8>>],
    broken: bool,
) {
    let lazy = ctx.server.config.get_value("lazyfree-lazy-server-del") == Some(b"yes");
    let mut first_error = None;
    let mut deleted: Vec<&[u8]> = Vec::new();
    for (key, reply) in outgoing.iter().map(|o| o.key).zip(replies) {
        match reply {
            Err(line) => first_error = first_error.or(Some(line)),
            Ok(()) if !request.copy => {
                if let Some(value) = ctx.db().remove(key) {
                    if lazy {
                        ctx.server.lazyfree.free_value(value);
                    }
                    ctx.changed(key, NotifyFlags::GENERIC, "del");
                    deleted.push(key);
                }
            }
            Ok(()) => {}
        }
    }
    if broken {
        ctx.server.migrate_sockets.close(request.host, request.port);
    }
    if !deleted.is_empty() {
        let del: Vec<&[u8]> = std::iter::once(&b"DEL"[..]).chain(deleted).collect();
        ctx.propagate_as(&del);
    }
    let sockets = &mut ctx.server.migrate_sockets;
    match first_error {
        Some(line) => {
            // The connection's database is unknown after an error: SELECT again next time.
            if let Some(socket) = sockets.get(request.host, request.port) {
                socket.selected_db = None;
            }
            let text = String::from_utf8_lossy(line.get(1..).unwrap_or_default()).into_owned();
            ctx.out.error(&format!("ERR Target instance replied with error: {text}"));
        }
        None if broken => ctx.out.error("IOERR error or timeout reading to target instance"),
        None => {
            if let Some(socket) = sockets.get(request.host, request.port) {
                socket.selected_db = Some(request.db);
            }
            ctx.out.ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&'static str]) -> Vec<&'static [u8]> {
        words.iter().map(|w| w.as_bytes()).collect()
    }

    #[test]
    fn parses_options_as_redis() {
        let a = argv(&["MIGRATE", "h", "1", "", "9", "0", "COPY", "auth2", "u", "p", "KEYS", "a", "b"]);
        let r = parse(&a).unwrap();
        assert!(r.copy && !r.replace && r.auth == Some((Some(&b"u"[..]), &b"p"[..])));
        assert_eq!((r.keys.len(), r.db, r.timeout), (2, 9, Duration::from_millis(1000)));
        let err = |words: &[&'static str]| parse(&argv(words)).err();
        assert_eq!(err(&["MIGRATE", "h", "1", "k", "9", "5", "AUTH"]), Some(SYNTAX));
        assert_eq!(err(&["MIGRATE", "h", "1", "k", "9", "5", "AUTH2", "u"]), Some(SYNTAX));
        assert_eq!(err(&["MIGRATE", "h", "1", "k", "x", "5"]), Some(NOT_INTEGER));
        assert!(err(&["MIGRATE", "h", "1", "k", "9", "5", "KEYS", "a"]).unwrap().contains("empty string"));
    }

    #[test]
    fn sends_auth_select_and_restores() {
        let a = argv(&["MIGRATE", "h", "1", "k", "3", "100", "REPLACE", "AUTH", "pw"]);
        let r = parse(&a).unwrap();
        let keys = [Outgoing { key: b"k", ttl_ms: 0, payload: b"P".to_vec() }];
        let sent = String::from_utf8(commands(&r, true, &keys)).unwrap();
        assert_eq!(
            sent,
            "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n\
             *5\r\n$7\r\nRESTORE\r\n$1\r\nk\r\n$1\r\n0\r\n$1\r\nP\r\n$7\r\nREPLACE\r\n"
        );
    }

    #[test]
    fn reads_lines_one_at_a_time() {
        let mut input: &[u8] = b"+OK\r\n-ERR x\r\n+tail";
        assert_eq!(read_line(&mut input).unwrap(), b"+OK");
        assert_eq!(read_line(&mut input).unwrap(), b"-ERR x");
        assert_eq!(read_line(&mut input).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    }
}
