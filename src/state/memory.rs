//! Memory management around commands: keeps the databases' access clocks current, and evicts
//! down to `maxmemory` before each command, refusing commands that may grow memory when that is
//! impossible (Redis's `processCommand` → `performEvictions`).

use super::{Client, ServerState};
use crate::commands::{CommandSpec, Flags};
use crate::keyspace::clock::unix_secs;
use crate::keyspace::evict::{Evictor, Limits, Outcome};
use crate::keyspace::{AccessClock, Db};

/// The reply to a command refused because memory is over the limit.
pub const OOM_ERROR: &str = "OOM command not allowed when used memory > 'maxmemory'.";

/// Eviction state and the clock the databases were last given.
#[derive(Debug)]
pub struct MemoryState {
    /// Eviction pool and counters.
    pub evictor: Evictor,
    /// The clock every database holds now.
    applied: Option<AccessClock>,
    /// Unix seconds as of the last cron tick (lookups never read the system clock).
    now_secs: u64,
    /// Whether memory stayed over `maxmemory` when the running command started (Redis's
    /// `pre_command_oom_state`, which scripts check before their first write).
    pub oom_at_command_start: bool,
}

impl Default for MemoryState {
    fn default() -> Self {
        MemoryState { evictor: Evictor::default(), applied: None, now_secs: unix_secs(), oom_at_command_start: false }
    }
}

/// A command was refused: memory is over `maxmemory` and nothing more can be evicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfMemory;

/// Before `spec` runs for `client`: hands the databases the access clock (no touching for a
/// CLIENT NO-TOUCH client, except by TOUCH itself), then evicts if over the limit.
pub(crate) fn before_command(
    server: &mut ServerState,
    client: &Client,
    spec: &CommandSpec,
    flags: Flags,
) -> Result<(), OutOfMemory> {
    let touch = !client.no_touch || spec.name == "touch";
    sync_clock(server, touch);
    // Nothing is evicted while writes are paused or the dataset loads, and nothing is refused
    // for it (Redis's performEvictions returns EVICT_OK then).
    if server.config.maxmemory == 0 || server.pause.writes_paused() || server.is_loading() {
        server.memory.oom_at_command_start = false;
        return Ok(());
    }
    let failed = matches!(evict(server), Outcome::Fail);
    server.memory.oom_at_command_start = failed;
    if failed && refused_on_oom(client, spec, flags) { Err(OutOfMemory) } else { Ok(()) }
}

/// Redis's rule: commands that may grow memory are refused, and so is anything queued inside
/// MULTI (queueing itself uses memory) except EXEC, DISCARD, QUIT and RESET; EXEC is refused when
/// its transaction holds a command that may grow memory.
fn refused_on_oom(client: &Client, spec: &CommandSpec, flags: Flags) -> bool {
    if flags.contains(Flags::DENYOOM) {
        return true;
    }
    let Some(transaction) = &client.multi else { return false };
    match spec.name {
        "exec" => transaction.queues(Flags::DENYOOM),
        "discard" | "quit" | "reset" => false,
        _ => true,
    }
}

/// Periodic work: advance the clock, evict when over the limit and keep evicting for up to
/// `budget` if the last round ran out of time (Redis keeps going from a timer), record the
/// memory peak. Nothing is evicted while writes are `paused`.
pub(crate) fn cron(server: &mut ServerState, budget: std::time::Duration, paused: bool) {
    server.memory.now_secs = unix_secs();
    sync_clock(server, true);
    let started = std::time::Instant::now();
    // Memory over the limit with no command arriving (CONFIG SET maxmemory lowered it) is
    // evicted here, as Redis's eviction timer does; then an unfinished round keeps going.
    if !paused && server.config.maxmemory > 0 && crate::alloc::used_memory() > server.config.maxmemory {
        evict(server);
    }
    while !paused
        && server.config.maxmemory > 0
        && server.memory.evictor.last == Outcome::Running
        && started.elapsed() < budget
    {
        evict(server);
    }
    server.stats.note_memory(crate::alloc::used_memory());
}

/// Gives every database the clock for the current policy, time and touch mode, if it changed.
fn sync_clock(server: &mut ServerState, touch: bool) {
    let c = &server.config;
    let clock = AccessClock::new(c.maxmemory_policy, c.lfu_log_factor, c.lfu_decay_time, server.memory.now_secs, touch);
    if server.memory.applied != Some(clock) {
        server.dbs.iter_mut().for_each(|db| db.set_clock(clock));
        server.memory.applied = Some(clock);
    }
}

/// One round of eviction with the configured limits.
fn evict(server: &mut ServerState) -> Outcome {
    let c = &server.config;
    let limits = Limits {
        maxmemory: c.maxmemory,
        policy: c.maxmemory_policy,
        samples: c.maxmemory_samples as usize,
        tenacity: c.maxmemory_eviction_tenacity,
    };
    let used = |_: &[Db]| crate::alloc::used_memory();
    // Evicted keys wait in the evictor for `effects::report_evicted`.
    server.memory.evictor.perform(&mut server.dbs, &limits, &mut server.rng, used)
}
