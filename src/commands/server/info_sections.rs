//! The INFO sections' fields, in Redis 7.0.15's order. Values are real where rkv has the data;
//! features rkv does not have yet (persistence, replicas, scripting…) report the values
//! an idle Redis shows.

use std::fmt::{Display, Write as _};
use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::state::Ctx;
use crate::state::pubsub::Kind;
use crate::stats::system::{self, bytes_to_human};

/// INFO text under construction: `name:value\r\n` lines, sections separated by a blank line.
#[derive(Debug, Default)]
pub struct Lines(String);

impl Lines {
    /// Starts a section (`# Title`), after a blank line unless it is the first.
    pub fn header(&mut self, title: &str) {
        if !self.0.is_empty() {
            self.0.push_str("\r\n");
        }
        let _ = write!(self.0, "# {title}\r\n");
    }

    /// One `name:value` line.
    pub fn field(&mut self, name: &str, value: impl Display) {
        let _ = write!(self.0, "{name}:{value}\r\n");
    }

    /// Several lines whose value is the same constant (idle-state fields).
    fn constant(&mut self, names: &[&str], value: impl Display + Copy) {
        names.iter().for_each(|name| self.field(name, value));
    }

    /// The text.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// A section with no fields (modules, latency histograms).
pub fn nothing(_ctx: &mut Ctx<'_>, _out: &mut Lines) {}

fn unix_now() -> std::time::Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// `# Server`.
pub fn server(ctx: &mut Ctx<'_>, out: &mut Lines) {
    let server = &*ctx.server;
    let now = unix_now();
    let uptime = server.started.elapsed().as_secs();
    out.field("redis_version", crate::REDIS_VERSION);
    out.field("redis_git_sha1", "00000000");
    out.field("redis_git_dirty", 0);
    out.field("redis_build_id", "0");
    out.field("redis_mode", "standalone");
    out.field("os", system::os_name());
    out.field("arch_bits", usize::BITS);
    out.field("monotonic_clock", "POSIX clock_gettime");
    out.field("multiplexing_api", "epoll");
    out.field("atomicvar_api", "c11-builtin");
    // Not built by gcc; Redis prints 0.0.0 in that case.
    out.field("gcc_version", "0.0.0");
    out.field("process_id", std::process::id());
    out.field("process_supervised", crate::supervise::mode_name());
    out.field("run_id", &server.run_id);
    out.field("tcp_port", server.config.port);
    out.field("server_time_usec", now.as_micros());
    out.field("uptime_in_seconds", uptime);
    out.field("uptime_in_days", uptime / 86400);
    out.field("hz", server.config.hz);
    out.field("configured_hz", server.config.hz);
    // Redis's LRU clock: seconds, wrapping at 24 bits.
    out.field("lru_clock", now.as_secs() & ((1 << 24) - 1));
    let exe = std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_default();
    out.field("executable", exe);
    let config_file = server.config.config_file.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    out.field("config_file", config_file);
    out.field("io_threads_active", u8::from(server.config.io_threads > 1));
    out.field("rkv_version", crate::RKV_VERSION);
}

/// `# Clients`.
pub fn clients(ctx: &mut Ctx<'_>, out: &mut Lines) {
    let all = ctx.all_clients();
    let max_input = all.iter().map(|c| c.query_buffer).max().unwrap_or(0);
    let max_output = all.iter().map(|c| c.pending_output()).max().unwrap_or(0);
    out.field("connected_clients", all.len());
    out.field("cluster_connections", 0);
    out.field("maxclients", ctx.server.config.maxclients);
    out.field("client_recent_max_input_buffer", max_input);
    out.field("client_recent_max_output_buffer", max_output);
    // Clients held by CLIENT PAUSE are blocked clients in Redis 7.0 (BLOCKED_POSTPONE).
    out.field("blocked_clients", ctx.server.blocking.blocked_clients() + ctx.server.pause.postponed());
    out.field("tracking_clients", ctx.server.tracking.client_count());
    out.field("clients_in_timeout_table", ctx.server.blocking.clients_with_timeout());
}

/// `a / b` as a ratio, 0 when `b` is 0.
fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// `a - b` as a signed number of bytes.
fn diff(a: u64, b: u64) -> i128 {
    i128::from(a) - i128::from(b)
}

/// `# Memory`.
pub fn memory(ctx: &mut Ctx<'_>, out: &mut Lines) {
    let heap = system::allocator();
    let used = crate::alloc::used_memory();
    let rss = system::rss_bytes();
    let peak = ctx.server.stats.note_memory(used);
    let startup = ctx.server.stats.startup_memory;
    let clients: u64 = ctx.all_clients().iter().map(|c| (c.query_buffer + c.pending_output()) as u64).sum();
    let overhead = startup + clients;
    let dataset = used.saturating_sub(overhead);
    let total_memory = system::total_system_memory();
    out.field("used_memory", used);
    out.field("used_memory_human", bytes_to_human(used));
    out.field("used_memory_rss", rss);
    out.field("used_memory_rss_human", bytes_to_human(rss));
    out.field("used_memory_peak", peak);
    out.field("used_memory_peak_human", bytes_to_human(peak));
    out.field("used_memory_peak_perc", format!("{:.2}%", ratio(used, peak) * 100.0));
    out.field("used_memory_overhead", overhead);
    out.field("used_memory_startup", startup);
    out.field("used_memory_dataset", dataset);
    out.field("used_memory_dataset_perc", format!("{:.2}%", ratio(dataset, used.saturating_sub(startup)) * 100.0));
    out.field("allocator_allocated", heap.allocated);
    out.field("allocator_active", heap.active);
    out.field("allocator_resident", heap.resident);
    out.field("total_system_memory", total_memory);
    out.field("total_system_memory_human", bytes_to_human(total_memory));
    // The Lua VMs exist once a script or function was first used.
    let scripting = &ctx.server.scripting;
    let eval_vm = scripting.engine().map_or(0, |e| e.vm_memory() as u64);
    let scripts_eval = scripting.engine().map_or(0, |e| e.scripts_memory() as u64);
    let cached = scripting.engine().map_or(0, |e| e.len());
    let functions = scripting.loaded_functions();
    let functions_vm = functions.map_or(0, |f| f.vm_memory() as u64);
    let functions_mem: u64 = functions.map_or(0, |f| f.libraries().iter().map(|l| l.code.len() as u64).sum());
    out.field("used_memory_lua", eval_vm);
    out.field("used_memory_vm_eval", eval_vm);
    out.field("used_memory_lua_human", bytes_to_human(eval_vm));
    out.field("used_memory_scripts_eval", scripts_eval);
    out.field("number_of_cached_scripts", cached);
    out.field("number_of_functions", functions.map_or(0, |f| f.function_count()));
    out.field("number_of_libraries", functions.map_or(0, |f| f.libraries().len()));
    out.field("used_memory_vm_functions", functions_vm);
    out.field("used_memory_vm_total", eval_vm + functions_vm);
    out.field("used_memory_vm_total_human", bytes_to_human(eval_vm + functions_vm));
    out.field("used_memory_functions", functions_mem);
    out.field("used_memory_scripts", scripts_eval + functions_mem);
    out.field("used_memory_scripts_human", bytes_to_human(scripts_eval + functions_mem));
    let config = &ctx.server.config;
    out.field("maxmemory", config.maxmemory);
    out.field("maxmemory_human", bytes_to_human(config.maxmemory));
    out.field("maxmemory_policy", String::from_utf8_lossy(config.get_value("maxmemory-policy").unwrap_or_default()));
    out.field("allocator_frag_ratio", format!("{:.2}", ratio(heap.active, heap.allocated)));
    out.field("allocator_frag_bytes", diff(heap.active, heap.allocated));
    out.field("allocator_rss_ratio", format!("{:.2}", ratio(heap.resident, heap.active)));
    out.field("allocator_rss_bytes", diff(heap.resident, heap.active));
    out.field("rss_overhead_ratio", format!("{:.2}", ratio(rss, heap.resident)));
    out.field("rss_overhead_bytes", diff(rss, heap.resident));
    out.field("mem_fragmentation_ratio", format!("{:.2}", ratio(rss, used)));
    out.field("mem_fragmentation_bytes", diff(rss, used));
    out.constant(
        &[
            "mem_not_counted_for_evict",
            "mem_replication_backlog",
            "mem_total_replication_buffers",
            "mem_clients_slaves",
        ],
        0,
    );
    out.field("mem_clients_normal", clients);
    out.constant(&["mem_cluster_links", "mem_aof_buffer"], 0);
    out.field("mem_allocator", system::allocator_name());
    out.constant(&["active_defrag_running"], 0);
    out.field("lazyfree_pending_objects", ctx.server.lazyfree.pending());
    out.field("lazyfreed_objects", ctx.server.lazyfree.freed());
}

/// `# Persistence`: RDB saves and the AOF.
pub fn persistence(ctx: &mut Ctx<'_>, out: &mut Lines) {
    let server = &ctx.server;
    let saves = &server.saves;
    out.field("loading", u8::from(server.is_loading()));
    out.field("async_loading", 0);
    // Copy-on-write's counterpart in a forkless save: what the snapshot wrote ahead because of
    // changes. It only grows during a save, so the peak is the current value, always fresh.
    let written_ahead = server.snapshot_written_ahead();
    out.field("current_cow_peak", written_ahead);
    out.field("current_cow_size", written_ahead);
    out.field("current_cow_size_age", 0);
    out.field("current_fork_perc", format!("{:.2}", server.background_save_percent()));
    let (done, total) = saves.running.as_ref().map_or((0, 0), |s| (s.keys_done(), s.keys_total));
    out.field("current_save_keys_processed", done);
    out.field("current_save_keys_total", total);
    out.field("rdb_changes_since_last_save", server.dirty);
    out.field("rdb_bgsave_in_progress", u8::from(server.rdb_bgsave_in_progress()));
    out.field("rdb_last_save_time", saves.last_save);
    out.field("rdb_last_bgsave_status", if saves.last_bgsave_ok { "ok" } else { "err" });
    out.field("rdb_last_bgsave_time_sec", saves.last_bgsave_secs);
    out.field("rdb_current_bgsave_time_sec", server.current_save_secs());
    out.field("rdb_saves", saves.saves);
    out.field("rdb_last_cow_size", saves.last_written_ahead);
    out.field("rdb_last_load_keys_expired", saves.loaded.1);
    out.field("rdb_last_load_keys_loaded", saves.loaded.0);
    let aof = &server.aof;
    out.field("aof_enabled", u8::from(aof.status != crate::state::aof::AofStatus::Off));
    out.field("aof_rewrite_in_progress", u8::from(aof.rewrite.is_some()));
    out.field("aof_rewrite_scheduled", u8::from(aof.rewrite_scheduled));
    out.field("aof_last_rewrite_time_sec", aof.last_rewrite_secs);
    let rewrite_secs =
        aof.rewrite.as_ref().map_or(-1, |r| i64::try_from(r.started.elapsed().as_secs()).unwrap_or(i64::MAX));
    out.field("aof_current_rewrite_time_sec", rewrite_secs);
    out.field("aof_last_bgrewrite_status", if aof.last_rewrite_ok { "ok" } else { "err" });
    out.field("aof_rewrites", aof.rewrites);
    out.field("aof_rewrites_consecutive_failures", aof.consecutive_failures);
    out.field("aof_last_write_status", if aof.write_failed() { "err" } else { "ok" });
    out.field("aof_last_cow_size", server.aof.last_written_ahead);
    out.constant(&["module_fork_in_progress", "module_fork_last_cow_size"], 0);
    if server.config.aof.enabled {
        out.field("aof_current_size", aof.current_size);
        out.field("aof_base_size", aof.base_size);
        out.field("aof_pending_rewrite", u8::from(aof.rewrite_scheduled));
        // The executor hands its buffer to the writer after every batch.
        out.constant(&["aof_buffer_length", "aof_pending_bio_fsync", "aof_delayed_fsync"], 0);
    }
    if let Some(loading) = &server.loading {
        out.field("loading_start_time", loading.start_time);
        out.field("loading_total_bytes", loading.total_bytes);
        out.field("loading_rdb_used_mem", loading.rdb_used_mem);
        out.field("loading_loaded_bytes", loading.loaded_bytes);
        out.field("loading_loaded_perc", format!("{:.2}", loading.percent()));
        out.field("loading_eta_seconds", loading.eta_secs(crate::keyspace::clock::unix_secs()));
    }
}

/// `# Stats`.
pub fn stats(ctx: &mut Ctx<'_>, out: &mut Lines) {
    let stats = &mut ctx.server.stats;
    stats.sample_metrics(std::time::Instant::now());
    let kbps = |bytes_per_sec: f64| format!("{:.2}", bytes_per_sec / 1024.0);
    out.field("total_connections_received", stats.total_connections_received);
    out.field("total_commands_processed", stats.total_commands_processed);
    out.field("instantaneous_ops_per_sec", stats.ops_per_sec.per_second() as u64);
    out.field("total_net_input_bytes", stats.net_input_bytes);
    out.field("total_net_output_bytes", stats.io.output_bytes.load(Ordering::Relaxed));
    out.constant(&["total_net_repl_input_bytes", "total_net_repl_output_bytes"], 0);
    out.field("instantaneous_input_kbps", kbps(stats.input_per_sec.per_second()));
    out.field("instantaneous_output_kbps", kbps(stats.output_per_sec.per_second()));
    out.constant(&["instantaneous_input_repl_kbps", "instantaneous_output_repl_kbps"], "0.00");
    out.field("rejected_connections", stats.rejected_connections);
    out.constant(&["sync_full", "sync_partial_ok", "sync_partial_err"], 0);
    out.field("expired_keys", ctx.server.dbs.iter().map(|db| db.expired_keys).sum::<u64>());
    out.field("expired_stale_perc", "0.00");
    out.constant(&["expired_time_cap_reached_count", "expire_cycle_cpu_milliseconds"], 0);
    let evictor = &ctx.server.memory.evictor;
    out.field("evicted_keys", evictor.evicted_keys);
    out.field("evicted_clients", 0);
    let (current, total) = evictor.exceeded_ms();
    out.field("total_eviction_exceeded_time", total);
    out.field("current_eviction_exceeded_time", current);
    let (hits, misses) = ctx.server.dbs.iter().fold((0, 0), |(h, m), db| (h + db.hits, m + db.misses));
    out.field("keyspace_hits", hits);
    out.field("keyspace_misses", misses);
    let pubsub = &ctx.server.pubsub;
    out.field("pubsub_channels", pubsub.channel_count(Kind::Channel));
    out.field("pubsub_patterns", pubsub.pattern_count());
    out.field("pubsubshard_channels", pubsub.channel_count(Kind::Shard));
    // A forkless snapshot's start stands for Redis's fork (tests and tools watch the count).
    out.field("latest_fork_usec", ctx.server.saves.latest_start_us);
    out.field("total_forks", ctx.server.saves.started);
    out.field("migrate_cached_sockets", ctx.server.migrate_sockets.len());
    out.constant(
        &[
            "slave_expires_tracked_keys",
            "active_defrag_hits",
            "active_defrag_misses",
            "active_defrag_key_hits",
            "active_defrag_key_misses",
            "total_active_defrag_time",
            "current_active_defrag_time",
        ],
        0,
    );
    let tracking = &ctx.server.tracking;
    out.field("tracking_total_keys", tracking.key_count());
    out.field("tracking_total_items", tracking.item_count());
    out.field("tracking_total_prefixes", tracking.prefix_count());
    out.field("unexpected_error_replies", 0);
    out.field("total_error_replies", stats.total_error_replies);
    out.constant(&["dump_payload_sanitizations", "total_reads_processed", "total_writes_processed"], 0);
    out.field("io_threaded_reads_processed", stats.io.threaded_reads.load(Ordering::Relaxed));
    out.field("io_threaded_writes_processed", stats.io.threaded_writes.load(Ordering::Relaxed));
    out.constant(&["reply_buffer_shrinks", "reply_buffer_expands"], 0);
}

/// `# Replication` (always a primary without replicas for now).
pub fn replication(ctx: &mut Ctx<'_>, out: &mut Lines) {
    out.field("role", "master");
    out.field("connected_slaves", 0);
    if ctx.server.min_replicas_check_on() {
        out.field("min_slaves_good_slaves", ctx.server.good_replicas());
    }
    out.field("master_failover_state", "no-failover");
    out.field("master_replid", &ctx.server.replid);
    out.field("master_replid2", "0".repeat(40));
    out.field("master_repl_offset", 0);
    out.field("second_repl_offset", -1);
    out.field("repl_backlog_active", 0);
    out.field("repl_backlog_size", 1024 * 1024);
    out.constant(&["repl_backlog_first_byte_offset", "repl_backlog_histlen"], 0);
}

/// `# CPU`.
pub fn cpu(_ctx: &mut Ctx<'_>, out: &mut Lines) {
    let (sys, user) = system::cpu_times(libc::RUSAGE_SELF);
    let (sys_children, user_children) = system::cpu_times(libc::RUSAGE_CHILDREN);
    // Commands run on the executor's thread, which is this one.
    let (sys_main, user_main) = system::cpu_times(libc::RUSAGE_THREAD);
    let seconds = |s: f64| format!("{s:.6}");
    out.field("used_cpu_sys", seconds(sys));
    out.field("used_cpu_user", seconds(user));
    out.field("used_cpu_sys_children", seconds(sys_children));
    out.field("used_cpu_user_children", seconds(user_children));
    out.field("used_cpu_sys_main_thread", seconds(sys_main));
    out.field("used_cpu_user_main_thread", seconds(user_main));
}

/// `# Commandstats`: every command or subcommand that was called, failed or was rejected.
pub fn commandstats(ctx: &mut Ctx<'_>, out: &mut Lines) {
    let server = &*ctx.server;
    for (id, entry) in server.commands.entries() {
        let Some(s) = server.stats.commands.get(id) else { continue };
        if s.calls == 0 && s.failed_calls == 0 && s.rejected_calls == 0 {
            continue;
        }
        let per_call = if s.calls == 0 { 0.0 } else { s.usec as f64 / s.calls as f64 };
        out.field(
            &format!("cmdstat_{}", entry.fullname),
            format_args!(
                "calls={},usec={},usec_per_call={per_call:.2},rejected_calls={},failed_calls={}",
                s.calls, s.usec, s.rejected_calls, s.failed_calls
            ),
        );
    }
}

/// `# Errorstats`: error replies by code, in code order.
pub fn errorstats(ctx: &mut Ctx<'_>, out: &mut Lines) {
    for (code, count) in &ctx.server.stats.errors {
        out.field(&format!("errorstat_{code}"), format_args!("count={count}"));
    }
}

/// `# Cluster`.
pub fn cluster(_ctx: &mut Ctx<'_>, out: &mut Lines) {
    out.field("cluster_enabled", 0);
}

/// `# Keyspace`: one line per non-empty database.
pub fn keyspace(ctx: &mut Ctx<'_>, out: &mut Lines) {
    for (i, db) in ctx.server.dbs.iter().enumerate().filter(|(_, db)| !db.is_empty()) {
        let line = format_args!("keys={},expires={},avg_ttl={}", db.len(), db.volatile_len(), db.avg_ttl);
        out.field(&format!("db{i}"), line);
    }
}

#[cfg(test)]
mod tests {
    use super::Lines;

    #[test]
    fn sections_are_separated_by_blank_lines() {
        let mut lines = Lines::default();
        lines.header("Server");
        lines.field("a", 1);
        lines.header("Cluster");
        lines.field("cluster_enabled", 0);
        assert_eq!(lines.as_bytes(), b"# Server\r\na:1\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n");
    }
}
