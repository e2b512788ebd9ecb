//! LATENCY DOCTOR: Redis's human readable analysis of the recorded events, with its advice (see
//! [`crate::stats::latency::doctor`]).

use crate::commands::CommandSpec;
use crate::state::Ctx;
use crate::stats::latency::{DoctorSettings, anon_huge_pages, doctor, unix_time};

/// LATENCY DOCTOR.
pub const SPEC: CommandSpec = CommandSpec {
    name: "doctor",
    summary: "Return a human readable latency analysis report.",
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let config = &ctx.server.config;
    let settings = DoctorSettings {
        slowlog_slower_than: config.slowlog_log_slower_than,
        threshold_ms: config.latency_monitor_threshold,
        hz: config.hz,
        anon_huge_pages: anon_huge_pages(),
    };
    let report = doctor(&ctx.server.latency.events, settings, unix_time());
    ctx.out.verbatim(report.as_bytes());
}
