//! MEMORY STATS: Redis's memory breakdown, with rkv's real numbers where it has them (no
//! replication, AOF, scripting or cluster yet: those are 0).

use super::Figures;
use crate::commands::CommandSpec;
use crate::state::Ctx;

/// MEMORY STATS.
pub const SPEC: CommandSpec =
    CommandSpec { name: "stats", summary: "Show memory usage details", handler: run, ..super::REPORT };

/// Fields before the per-database maps (10) and after them (17).
const FIXED_FIELDS: usize = 27;

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let f = Figures::measure(ctx);
    let out = &mut *ctx.out;
    let overhead = f.overhead();
    let net = f.total.saturating_sub(f.startup);
    let dataset = f.total.saturating_sub(overhead);
    let signed = |a: u64, b: u64| i64::try_from(i128::from(a) - i128::from(b)).unwrap_or(0);
    let int = |out: &mut crate::protocol::Reply, name: &str, v: i64| {
        out.bulk(name.as_bytes());
        out.int(v);
    };
    let double = |out: &mut crate::protocol::Reply, name: &str, v: f64| {
        out.bulk(name.as_bytes());
        out.double(v);
    };
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    out.map(FIXED_FIELDS + f.dbs.len());
    int(out, "peak.allocated", n(f.peak));
    int(out, "total.allocated", n(f.total));
    int(out, "startup.allocated", n(f.startup));
    for name in ["replication.backlog", "clients.slaves"] {
        int(out, name, 0);
    }
    int(out, "clients.normal", n(f.clients));
    for name in ["cluster.links", "aof.buffer", "lua.caches", "functions.caches"] {
        int(out, name, 0);
    }
    for &(index, main, expires) in &f.dbs {
        out.bulk(format!("db.{index}").as_bytes());
        out.map(3);
        int(out, "overhead.hashtable.main", n(main));
        int(out, "overhead.hashtable.expires", n(expires));
        int(out, "overhead.hashtable.slot-to-keys", 0);
    }
    int(out, "overhead.total", n(overhead));
    int(out, "keys.count", n(f.keys));
    int(out, "keys.bytes-per-key", n(net.checked_div(f.keys).unwrap_or(0)));
    int(out, "dataset.bytes", n(dataset));
    double(out, "dataset.percentage", Figures::ratio(dataset * 100, net));
    double(out, "peak.percentage", Figures::ratio(f.total * 100, f.peak));
    int(out, "allocator.allocated", n(f.heap.allocated));
    int(out, "allocator.active", n(f.heap.active));
    int(out, "allocator.resident", n(f.heap.resident));
    double(out, "allocator-fragmentation.ratio", Figures::ratio(f.heap.active, f.heap.allocated));
    int(out, "allocator-fragmentation.bytes", signed(f.heap.active, f.heap.allocated));
    double(out, "allocator-rss.ratio", Figures::ratio(f.heap.resident, f.heap.active));
    int(out, "allocator-rss.bytes", signed(f.heap.resident, f.heap.active));
    double(out, "rss-overhead.ratio", Figures::ratio(f.rss, f.heap.resident));
    int(out, "rss-overhead.bytes", signed(f.rss, f.heap.resident));
    double(out, "fragmentation", Figures::ratio(f.rss, f.total));
    int(out, "fragmentation.bytes", signed(f.rss, f.total));
}
