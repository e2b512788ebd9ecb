//! MEMORY: the container of the memory-diagnostics subcommands, one file per subcommand.

pub mod doctor;
pub mod help;
pub mod malloc_stats;
pub mod purge;
pub mod stats;
pub mod usage;

use crate::commands::{CommandSpec, Group};

/// MEMORY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "memory",
    arity: -2,
    group: Group::Server,
    since: "4.0.0",
    summary: "A container for memory diagnostics commands",
    complexity: "Depends on subcommand.",
    subcommands: &[&doctor::SPEC, &help::SPEC, &malloc_stats::SPEC, &purge::SPEC, &stats::SPEC, &usage::SPEC],
    ..CommandSpec::DEFAULT
};

/// What the report subcommands (STATS, DOCTOR, MALLOC-STATS) share.
const REPORT: CommandSpec = CommandSpec {
    arity: 2,
    group: Group::Server,
    since: "4.0.0",
    complexity: "O(1)",
    tips: &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
    ..CommandSpec::DEFAULT
};

/// The numbers MEMORY STATS reports and MEMORY DOCTOR judges.
struct Figures {
    peak: u64,
    total: u64,
    startup: u64,
    clients: u64,
    /// `(index, main table overhead, expiry table overhead)` of each non-empty database.
    dbs: Vec<(usize, u64, u64)>,
    keys: u64,
    heap: crate::stats::system::Allocator,
    rss: u64,
}

impl Figures {
    /// Measures now (also recording the memory peak, as INFO does).
    fn measure(ctx: &mut Ctx<'_>) -> Self {
        let total = crate::alloc::used_memory();
        let clients = ctx.all_clients().iter().map(|c| (c.query_buffer + c.pending_output()) as u64).sum();
        let server = &mut *ctx.server;
        let peak = server.stats.note_memory(total);
        let dbs = server.dbs.iter().enumerate().filter(|(_, db)| !db.is_empty());
        let dbs = dbs
            .map(|(i, db)| {
                let (main, expires) = crate::keyspace::usage::table_overhead(db);
                (i, main as u64, expires as u64)
            })
            .collect();
        Figures {
            peak,
            total,
            startup: server.stats.startup_memory,
            clients,
            dbs,
            keys: server.dbs.iter().map(|db| db.len() as u64).sum(),
            heap: crate::stats::system::allocator(),
            rss: crate::stats::system::rss_bytes(),
        }
    }

    /// Memory that is not the dataset: startup, clients, tables.
    fn overhead(&self) -> u64 {
        self.startup + self.clients + self.dbs.iter().map(|(_, main, expires)| main + expires).sum::<u64>()
    }

    /// `a / b` as Redis computes these ratios (in single precision), 0 when `b` is 0.
    fn ratio(a: u64, b: u64) -> f64 {
        if b == 0 { 0.0 } else { f64::from((a as f64 / b as f64) as f32) }
    }
}

use crate::state::Ctx;
