//! LATENCY HISTOGRAM [command ...]: per command (or subcommand, `config|get`) that ran, a map
//! of `calls` and `histogram_usec`, the cumulative count of calls at power-of-two microsecond
//! bounds. A container names its subcommands; unknown names are skipped.

use crate::commands::{Arg, CommandId, CommandSpec, CommandTable};
use crate::state::Ctx;
use crate::stats::latency::Latency;

/// LATENCY HISTOGRAM.
pub const SPEC: CommandSpec = CommandSpec {
    name: "histogram",
    arity: -2,
    since: "7.0.0",
    summary: "Return the cumulative distribution of latencies of a subset of commands or all.",
    complexity: "O(N) where N is the number of commands with latency information being retrieved.",
    args: &[Arg { name: "command", optional: true, multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let server = &*ctx.server;
    let (table, latency) = (&server.commands, &server.latency);
    let ids: Vec<CommandId> = if argv.len() == 2 {
        table.entries().map(|(id, _)| id).collect()
    } else {
        argv[2..].iter().flat_map(|name| named(table, name)).collect()
    };
    let ids: Vec<CommandId> = ids.into_iter().filter(|&id| latency.histogram(id).is_some()).collect();
    ctx.out.map(ids.len());
    for id in ids {
        write_histogram(ctx.out, table, latency, id);
    }
}

/// The command `name` names (`get`, `config|get`), followed by its subcommands if it is a
/// container, as Redis's `latencySpecificCommandsFillCDF` lists them.
fn named(table: &CommandTable, name: &[u8]) -> Vec<CommandId> {
    let mut parts = name.splitn(2, |&b| b == b'|');
    let Some(top) = parts.next().and_then(|n| table.find_command(n)) else { return Vec::new() };
    let id = match parts.next() {
        None => top,
        Some(sub) => match table.entry(top).subcommands.get(&sub.to_ascii_lowercase()) {
            Some(&id) => id,
            None => return Vec::new(),
        },
    };
    let mut subs: Vec<CommandId> = table.entry(id).subcommands.values().copied().collect();
    subs.sort_unstable();
    std::iter::once(id).chain(subs).collect()
}

fn write_histogram(out: &mut crate::protocol::Reply, table: &CommandTable, latency: &Latency, id: CommandId) {
    let Some(h) = latency.histogram(id) else { return };
    out.bulk(table.entry(id).fullname.as_bytes());
    out.map(2);
    out.bulk(b"calls");
    out.int(i64::try_from(h.total()).unwrap_or(i64::MAX));
    out.bulk(b"histogram_usec");
    let steps = h.log_steps();
    out.map(steps.len());
    for (nanos, count) in steps {
        out.int(i64::try_from(nanos / 1000).unwrap_or(i64::MAX));
        out.int(i64::try_from(count).unwrap_or(i64::MAX));
    }
}

/// INFO's `# Latencystats`: for every command that ran since the last CONFIG RESETSTAT,
/// `latency_percentiles_usec_<name>:p50=…,p99=…` with the percentiles of
/// `latency-tracking-info-percentiles`, in microseconds with three decimals, as Redis prints them.
pub(in crate::commands::server) fn info_section(ctx: &mut Ctx<'_>, out: &mut super::super::info_sections::Lines) {
    let server = &*ctx.server;
    let setting = server.config.get_value("latency-tracking-info-percentiles").unwrap_or_default();
    let percentiles: Vec<f64> = String::from_utf8_lossy(setting).split(' ').filter_map(|p| p.parse().ok()).collect();
    for (id, entry) in server.commands.entries() {
        let Some(h) = server.latency.histogram(id) else { continue };
        let values: Vec<String> = percentiles
            .iter()
            .map(|&p| format!("p{}={:.3}", percentile_name(p), h.value_at_percentile(p) as f64 / 1000.0))
            .collect();
        out.field(&format!("latency_percentiles_usec_{}", entry.fullname), values.join(","));
    }
}

/// A percentile as Redis names it: `%f` with trailing zeros (and a trailing dot) trimmed.
fn percentile_name(p: f64) -> String {
    let s = format!("{p:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_names() {
        assert_eq!(percentile_name(50.0), "50");
        assert_eq!(percentile_name(99.9), "99.9");
        assert_eq!(percentile_name(0.0), "0");
        assert_eq!(percentile_name(99.99), "99.99");
        assert_eq!(percentile_name(100.0), "100");
    }
}
