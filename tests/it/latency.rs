//! LATENCY and INFO latencystats against redis-server 7.0.15: the same slow commands give the
//! same events, graphs and doctor reports (numbers that depend on timing aside), and the
//! per-command histograms show the same commands in the same shape.

use std::collections::BTreeSet;

use crate::support::{Raw, Server, have, same_replies};

/// The raw reply with every run of digits replaced by `#` (timestamps and measured latencies).
fn digits_masked(reply: &str) -> String {
    let mut out = String::new();
    for c in reply.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Starts rkv and, when installed, redis-server, both allowing DEBUG.
fn servers() -> Vec<Server> {
    let args = ["--enable-debug-command", "yes"];
    let mut servers = vec![Server::start(&args)];
    if have("redis-server") {
        servers.push(Server::start_redis(&args));
    } else {
        eprintln!("redis-server is not installed: rkv alone is checked");
    }
    servers
}

#[test]
fn slow_commands_are_latency_events_like_in_redis() {
    let mut transcripts = Vec::new();
    for server in servers() {
        let mut c = server.raw();
        let mut t = vec![
            c.call(&["LATENCY", "DOCTOR"]),
            c.call(&["CONFIG", "SET", "latency-monitor-threshold", "100"]),
            c.call(&["LATENCY", "DOCTOR"]),
            c.call(&["LATENCY", "LATEST"]),
            c.call(&["DEBUG", "SLEEP", "0.15"]),
            c.call(&["PING"]),
        ];
        let latest = c.call(&["LATENCY", "LATEST"]);
        assert!(latest.starts_with("*1\r\n*4\r\n$7\r\ncommand\r\n"), "{latest}");
        t.push(digits_masked(&latest));
        t.push(digits_masked(&c.call(&["LATENCY", "HISTORY", "command"])));
        t.push(c.call(&["LATENCY", "HISTORY", "fast-command"]));
        let graph = c.call(&["LATENCY", "GRAPH", "command"]);
        assert!(graph.contains("command - high 15"), "{graph}");
        t.push(digits_masked(&graph));
        let doctor = c.call(&["LATENCY", "DOCTOR"]);
        assert!(doctor.contains("\n1. command: 1 latency spikes (average 15"), "{doctor}");
        t.push(digits_masked(&doctor));
        t.push(c.call(&["LATENCY", "GRAPH", "nosuch"]));
        t.push(c.call(&["LATENCY", "RESET", "nosuch", "COMMAND"]));
        t.push(c.call(&["LATENCY", "LATEST"]));
        t.push(c.call(&["LATENCY", "RESET"]));
        transcripts.push(t);
    }
    if let [rkv, redis] = &transcripts[..] {
        assert_eq!(rkv, redis);
    }
    let rkv = &transcripts[0];
    assert!(rkv[0].contains("Latency monitoring is disabled"));
    assert!(rkv[2].contains("no latency spike was observed"));
    assert_eq!(rkv[12], ":1\r\n");
}

/// The `latency_percentiles_usec_*` lines of INFO latencystats.
fn percentile_lines(c: &mut Raw) -> Vec<String> {
    let info = c.call(&["INFO", "latencystats"]);
    assert!(info.contains("# Latencystats\r\n"), "{info}");
    info.lines().filter(|l| l.starts_with("latency_percentiles_usec_")).map(str::to_owned).collect()
}

#[test]
fn commands_have_latency_histograms_like_in_redis() {
    let mut seen = Vec::new();
    for server in servers() {
        let mut c = server.raw();
        c.call(&["CONFIG", "RESETSTAT"]);
        for _ in 0..3 {
            c.call(&["SET", "k", "v"]);
        }
        c.call(&["GET", "k"]);
        c.call(&["CONFIG", "GET", "maxmemory"]);
        let lines = percentile_lines(&mut c);
        for line in &lines {
            let (_, values) = line.split_once(':').expect("name:values");
            let names: Vec<&str> = values.split(',').map(|v| v.split_once('=').expect("p=v").0).collect();
            assert_eq!(names, ["p50", "p99", "p99.9"], "{line}");
            for v in values.split(',') {
                let number = v.split_once('=').expect("p=v").1;
                assert!(
                    number.parse::<f64>().is_ok() && number.split_once('.').is_some_and(|(_, d)| d.len() == 3),
                    "{line}"
                );
            }
        }
        let names: BTreeSet<String> =
            lines.iter().map(|l| l.split(':').next().unwrap_or_default().to_owned()).collect();
        let histogram = c.call(&["LATENCY", "HISTOGRAM", "set", "config", "nosuch"]);
        // `config` names its subcommands that ran: config|resetstat and config|get.
        assert!(
            histogram.starts_with("*6\r\n$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:3\r\n$14\r\nhistogram_usec\r\n"),
            "{histogram}"
        );
        let all = c.call(&["LATENCY", "HISTOGRAM"]);
        c.call(&["CONFIG", "SET", "latency-tracking-info-percentiles", "0 100"]);
        let custom = percentile_lines(&mut c);
        assert!(custom.iter().all(|l| l.contains(":p0=") && l.contains(",p100=")), "{custom:?}");
        c.call(&["CONFIG", "SET", "latency-tracking", "no"]);
        c.call(&["CONFIG", "RESETSTAT"]);
        c.call(&["SET", "k", "v"]);
        assert_eq!(percentile_lines(&mut c), Vec::<String>::new());
        assert_eq!(c.call(&["LATENCY", "HISTOGRAM"]), "*0\r\n");
        seen.push((names, all.matches("histogram_usec").count(), c.call(&["LATENCY", "HISTOGRAM", "set"])));
    }
    let rkv = &seen[0];
    let want: BTreeSet<String> = ["set", "get", "config|get", "config|resetstat"]
        .iter()
        .map(|n| format!("latency_percentiles_usec_{n}"))
        .collect();
    assert_eq!(rkv.0, want);
    if let [rkv, redis] = &seen[..] {
        assert_eq!(rkv, redis);
    }
}

#[test]
fn replies_and_errors_match_redis() {
    same_replies(&[
        &["LATENCY"],
        &["LATENCY", "HELP"],
        &["LATENCY", "FOO"],
        &["LATENCY", "HISTORY"],
        &["LATENCY", "HISTORY", "command"],
        &["LATENCY", "GRAPH", "command"],
        &["LATENCY", "LATEST"],
        &["LATENCY", "LATEST", "x"],
        &["LATENCY", "RESET"],
        &["LATENCY", "RESET", "a", "b"],
        &["LATENCY", "DOCTOR"],
        &["LATENCY", "HISTOGRAM", "nosuch"],
        &["LATENCY", "HISTOGRAM", "config|nosuch", "a|b|c"],
    ]);
}
