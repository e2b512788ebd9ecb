//! Multi-client transcripts compared byte for byte between rkv and redis-server 7.0.15.

use super::{Raw, Server, have};

/// One step of a transcript (see [`step`]).
pub struct Step<'a> {
    conn: usize,
    cmd: &'a [&'a str],
    read_from: &'a [usize],
}

/// Client `conn` sends `cmd`, then one reply or push is read from each client listed in
/// `read_from`, in order. An argument `{id:N}` stands for client N's CLIENT ID, and then
/// integer replies equal to a client's id are shown as `{id:N}`, so servers whose ids differ
/// compare.
pub const fn step<'a>(conn: usize, cmd: &'a [&'a str], read_from: &'a [usize]) -> Step<'a> {
    Step { conn, cmd, read_from }
}

/// Runs `steps` with `clients` connections on rkv and on redis-server; every read must match.
pub fn same_transcript(clients: usize, steps: &[Step<'_>]) {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let mut ours: Vec<Raw> = (0..clients).map(|_| rkv.raw()).collect();
    let mut theirs: Vec<Raw> = (0..clients).map(|_| redis.raw()).collect();
    let ids = |conns: &mut Vec<Raw>| -> Vec<String> {
        conns.iter_mut().map(|c| c.call(&["CLIENT", "ID"]).trim_start_matches(':').trim().to_owned()).collect()
    };
    let (our_ids, their_ids) = (ids(&mut ours), ids(&mut theirs));
    let uses_ids = steps.iter().any(|s| s.cmd.iter().any(|a| a.starts_with("{id:")));
    let masked = |reply: Vec<u8>, ids: &[String]| {
        let mut text = format!("\r\n{}", String::from_utf8_lossy(&reply));
        for (n, id) in ids.iter().enumerate().filter(|_| uses_ids) {
            text = text.replace(&format!("\r\n:{id}\r\n"), &format!("\r\n:{{id:{n}}}\r\n"));
        }
        text.split_off(2)
    };
    for (i, s) in steps.iter().enumerate() {
        for (conns, ids) in [(&mut ours, &our_ids), (&mut theirs, &their_ids)] {
            let args: Vec<String> = s
                .cmd
                .iter()
                .map(|a| match a.strip_prefix("{id:").and_then(|r| r.strip_suffix('}')) {
                    Some(n) => ids[n.parse::<usize>().expect("client index")].clone(),
                    None => (*a).to_owned(),
                })
                .collect();
            let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
            conns[s.conn].cmd(&args);
            if s.cmd[0].eq_ignore_ascii_case("hello") {
                // HELLO's reply differs (client ids, rkv_version); only what follows is compared.
                conns[s.conn].read_reply();
            }
        }
        for &r in s.read_from {
            let a = masked(ours[r].read_reply(), &our_ids);
            let b = masked(theirs[r].read_reply(), &their_ids);
            assert_eq!(a, b, "step {i} {:?}, read from client {r}", s.cmd);
        }
    }
}
