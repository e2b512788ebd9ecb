//! [`call`]: the one path every command handler runs through, whatever the source, and the
//! clock that times commands.

use std::time::Duration;

use super::client::{Client, ClientTable};
use super::effects::Recipients;
use super::{Ctx, ServerState};
use crate::commands::{CommandId, Flags};
use crate::protocol::Reply;

/// Where a command run comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A client's request (also the commands EXEC runs).
    Client,
    /// A blocked client's command run again because a key it waits on became ready: shown to
    /// MONITOR only when first sent, and accounted only once served.
    BlockedRerun,
    /// A command read back from the AOF while loading: not accounted, not shown to MONITOR.
    Replay,
}

/// The one path every command handler runs through, whatever the source (a client's request,
/// EXEC's queued commands, a blocked client being served): fixes the command's time, runs the
/// handler, reports the keys its lookups expired, accounts the call (command stats), shows it to
/// MONITOR, and queues what it propagates; when the outermost command returns, its operations go
/// to the propagation stream (Redis's `call()` and `afterCommand()`).
#[allow(clippy::too_many_arguments)]
pub fn call(
    server: &mut ServerState,
    client: &mut Client,
    clients: &mut ClientTable,
    out: &mut Reply,
    argv: &[&[u8]],
    id: CommandId,
    clock: &mut CallClock,
    source: Source,
) {
    let _time = crate::keyspace::CommandTime::fix();
    let entry = server.commands.entry(id);
    let (spec, fullname) = (entry.spec, entry.fullname);
    let (handler, flags) = (spec.handler, spec.flags);
    let dirty_before = server.dirty;
    let outer = server.effects.enter();
    handler(&mut Ctx { server, client, clients, out }, argv);
    let own = server.effects.leave(outer);
    let failed = out.has_errors();
    let took = clock.lap();

    let limits = server.config.client_output_limits;
    super::effects::report_expired(server, &mut Recipients { clients, caller: Some((client, out)), limits });

    // A command that blocked is accounted when it is served or times out, as in Redis; a
    // replayed one never (Redis runs those without call()).
    let accounted = match source {
        Source::Client => client.blocked.is_none(),
        Source::BlockedRerun => !server.blocking.still_waiting(),
        Source::Replay => false,
    };
    if accounted {
        server.stats.record_call(id, took, failed);
    }
    match source {
        Source::Client => server.record_command_latency(id, argv, took, client, super::latency::Run::Called),
        Source::BlockedRerun if accounted => {
            server.record_command_latency(id, argv, took, client, super::latency::Run::Served);
        }
        Source::BlockedRerun | Source::Replay => {}
    }
    if source == Source::Client
        && !server.monitors.is_empty()
        && !flags.intersects(Flags::SKIP_MONITOR.union(Flags::ADMIN))
    {
        let line = super::monitor::format_line(client, client.db, argv, crate::keyspace::wall_clock_micros());
        server.monitors.feed(&mut Recipients { clients, caller: Some((client, out)), limits }, &line);
    }
    // EXEC is never propagated itself: its commands' operations are, wrapped in MULTI/EXEC.
    if server.propagation.is_enabled() && fullname != "exec" {
        let db = client.db;
        // A command that reset `dirty` (SAVE, DEBUG RELOAD, DEBUG LOADAOF) changed nothing to
        // propagate, as Redis clamps a negative difference to 0.
        if let Some(form) = own.own_form(argv, server.dirty > dirty_before) {
            server.propagate(db, form);
        }
    }
    if source == Source::Client
        && client.tracking.is_some()
        && flags.contains(Flags::READONLY)
        && !flags.contains(Flags::PUBSUB)
    {
        let keys: Vec<&[u8]> = crate::commands::keys::command_keys(spec, argv).iter().map(|k| argv[k.pos]).collect();
        super::tracking::remember_read(&mut server.tracking, client, &keys);
    }
    if server.effects.depth == 0 {
        server.flush_propagation(!flags.contains(Flags::TOUCHES_ARBITRARY_KEYS));
        // Invalidations of the client's own cache follow its reply.
        if server.tracking.is_active() {
            server.tracking.flush_own(&mut Recipients { clients, caller: Some((client, out)), limits });
        }
    }
}

/// Times the commands of a batch with one clock read per command instead of two: a command's
/// time runs from the previous reading (the batch start, or the end of the command before it) to
/// the end of its handler, so it also counts the few tens of nanoseconds of lookup and checks
/// before the handler.
///
/// The clock is quanta's TSC-based one (calibrated against the OS clock, falling back to it where
/// the TSC is not invariant): `clock_gettime` costs about 50 ns on virtual machines, as much as a
/// GET, and was the largest single cost of pipelined PINGs.
///
/// Durations are differences of whole microseconds since the process's first reading, like
/// Redis's `ustime()` differences: a sub-microsecond command counts 0 or 1, right on average,
/// where truncating each duration would always count 0.
#[derive(Debug)]
pub struct CallClock {
    /// Microseconds since the clock's origin, at the last reading.
    last_us: u64,
}

impl CallClock {
    /// Starts timing now (once per batch).
    pub fn start() -> Self {
        CallClock { last_us: micros_now() }
    }

    /// Reads the clock; returns the time since the previous reading.
    pub fn lap(&mut self) -> Duration {
        let now_us = micros_now();
        let took = now_us.saturating_sub(self.last_us);
        self.last_us = now_us;
        Duration::from_micros(took)
    }
}

/// Microseconds since the first call, from quanta's global (TSC-backed) clock.
fn micros_now() -> u64 {
    static ORIGIN: std::sync::OnceLock<quanta::Instant> = std::sync::OnceLock::new();
    let origin = *ORIGIN.get_or_init(quanta::Instant::now);
    u64::try_from(quanta::Instant::now().saturating_duration_since(origin).as_micros()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_clock_laps_add_up_to_the_elapsed_microseconds() {
        let start = micros_now();
        let mut clock = CallClock::start();
        let total = (0..1000).map(|_| clock.lap()).sum::<Duration>().as_micros() as u64;
        let elapsed = micros_now() - start;
        // Laps cover the time from the clock's start to the last lap: within the elapsed time,
        // missing only what ran outside them.
        assert!(total <= elapsed && elapsed - total < 1000, "{total}us of laps in {elapsed}us");
        // And the clock follows real time.
        let before = micros_now();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let slept = micros_now() - before;
        assert!((19_000..200_000).contains(&slept), "{slept}us for a 20 ms sleep");
    }
}
