//! Running scripts against the server: the state scripting keeps (the Lua engine and the client
//! scripts run their commands as), EVAL's checks before a script starts (Redis's
//! `scriptPrepareForRun`), and the [`ScriptHost`] through which `redis.call` reaches the one
//! command path ([`super::call`]) with Redis's checks (`scriptCall`).
//!
//! Effects: the commands a script runs are propagated as themselves (wrapped in MULTI/EXEC when
//! there are several, since the script is the outermost command), never the EVAL.

use super::busy::{RunName, Running};
use super::call::{CallClock, Source, call};
use super::client::{Client, ClientTable, NewClient, Transport};
use super::{Ctx, ServerState};
use crate::commands::{CommandSpec, Flags, Group, Lookup};
use crate::protocol::Reply;
use crate::scripting::{Engine, Functions, ScriptFlags, ScriptHost, parse_shebang, script_key};

/// A script's keys, then its arguments.
type KeysAndArgs<'a> = (&'a [&'a [u8]], &'a [&'a [u8]]);

/// The reply to a script name that is not cached.
const NOSCRIPT: &str = "NOSCRIPT No matching script. Please use EVAL.";

/// What scripting keeps between scripts.
#[derive(Default)]
pub struct Scripting {
    /// The Lua VM and its script cache, created on first use (dropped by SCRIPT FLUSH).
    engine: Option<Engine>,
    /// The client scripts run their commands as (taken out while a script runs).
    client: Option<Client>,
    /// The functions engine and its libraries, created on first use.
    functions: Option<Functions>,
    /// The script or function running now (other clients see it while it is busy).
    running: Option<Running>,
    /// DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may run `noscript` commands.
    pub disable_deny_script: bool,
}

impl Scripting {
    /// The script or function running now.
    pub fn running(&self) -> Option<&Running> {
        self.running.as_ref()
    }

    /// The running script once past `busy-reply-threshold` (other clients get `-BUSY`).
    pub fn busy(&self) -> Option<&Running> {
        self.running.as_ref().filter(|r| r.timed_out)
    }

    /// SCRIPT KILL (`by_eval`) or FUNCTION KILL; `Err` holds the error reply.
    pub fn kill(&mut self, by_eval: bool) -> Result<(), &'static str> {
        self.running.as_mut().map_or(Err(super::busy::NOTBUSY), |r| r.kill(by_eval))
    }

    /// The engine, if a script was ever loaded since the last flush.
    pub fn engine(&self) -> Option<&Engine> {
        self.engine.as_ref()
    }

    /// SCRIPT FLUSH: forgets every script and starts a fresh VM on next use.
    pub fn flush(&mut self) {
        self.engine = None;
    }

    /// The functions engine, created if needed; `Err` holds the error reply.
    pub fn functions(&mut self) -> Result<&mut Functions, String> {
        if self.functions.is_none() {
            self.functions = Some(Functions::new()?);
        }
        self.functions.as_mut().ok_or_else(String::new)
    }

    /// The functions engine if it was ever used (INFO, FUNCTION LIST and DUMP of none).
    pub fn loaded_functions(&self) -> Option<&Functions> {
        self.functions.as_ref()
    }

    /// Every library's code, in load order (what RDB files hold).
    pub fn library_codes(&self) -> Vec<Vec<u8>> {
        self.functions.as_ref().map(|f| f.libraries().iter().map(|l| l.code.clone()).collect()).unwrap_or_default()
    }

    /// The engine, created if needed; `Err` holds the error reply.
    fn take_engine(&mut self) -> Result<Engine, String> {
        match self.engine.take() {
            Some(engine) => Ok(engine),
            None => Engine::new(),
        }
    }
}

impl ServerState {
    /// The flags `spec` runs with for `argv` (Redis's `getCommandFlags`): a script command whose
    /// script declared flags (an EVAL shebang, a cached script's, a function's) takes from them
    /// whether it writes, may grow memory or replicate, and may run on a stale replica. Every
    /// other command, a script without a shebang, and a script or function not found keep the
    /// spec's flags.
    pub(crate) fn command_flags(&self, spec: &CommandSpec, argv: &[&[u8]]) -> Flags {
        let (Group::Scripting, Some(name)) = (spec.group, argv.get(1)) else { return spec.flags };
        let declared = match spec.name {
            // A cached script's flags are its body's shebang's.
            "eval" | "eval_ro" => parse_shebang(name).ok().map(|(flags, _)| flags),
            "evalsha" | "evalsha_ro" => self.scripting.engine().and_then(|e| e.script(name)).map(|s| s.flags),
            "fcall" | "fcall_ro" => self.scripting.loaded_functions().and_then(|f| f.find(name)).map(|f| f.flags),
            _ => None,
        };
        match declared {
            Some(declared) if !declared.contains(ScriptFlags::EVAL_COMPAT) => declared_flags(spec.flags, declared),
            _ => spec.flags,
        }
    }
}

/// Redis's `scriptFlagsToCmdFlags`: what a script declared replaces the command's own write,
/// deny-oom, stale and may-replicate flags (`no-writes` implies `allow-oom`).
fn declared_flags(command: Flags, declared: ScriptFlags) -> Flags {
    let mut flags = command.without(Flags::STALE | Flags::DENYOOM | Flags::WRITE | Flags::MAY_REPLICATE);
    if !declared.contains(ScriptFlags::NO_WRITES) {
        flags = flags | Flags::WRITE;
        if !declared.contains(ScriptFlags::ALLOW_OOM) {
            flags = flags | Flags::DENYOOM;
        }
    }
    if declared.contains(ScriptFlags::ALLOW_STALE) {
        flags = flags | Flags::STALE;
    }
    flags
}

/// How EVAL names its script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptRef {
    /// EVAL / EVAL_RO: the body.
    Body,
    /// EVALSHA / EVALSHA_RO: its SHA-1.
    Sha,
}

impl Ctx<'_> {
    /// SCRIPT LOAD: compiles `body` into the cache and replies its SHA.
    pub fn load_script(&mut self, body: &[u8]) {
        let loaded = self.server.scripting.take_engine().map(|mut engine| {
            let sha = engine.load(body);
            self.server.scripting.engine = Some(engine);
            sha
        });
        match loaded.and_then(|key| key) {
            Ok(key) => self.out.bulk(&key),
            Err(e) => self.out.error(&e),
        }
    }

    /// SCRIPT EXISTS: whether each SHA names a cached script (any letter case).
    pub fn scripts_exist(&mut self, shas: &[&[u8]]) {
        self.out.array(shas.len());
        for sha in shas {
            let exists = self.server.scripting.engine().is_some_and(|e| e.script(sha).is_some());
            self.out.int(i64::from(exists));
        }
    }

    /// EVAL, EVALSHA and their read-only forms: `script numkeys key... arg...`.
    pub fn eval_script(&mut self, argv: &[&[u8]], by: ScriptRef, read_only: bool) {
        self.monitor_script(argv);
        let Some((keys, args)) = self.script_keys(argv, crate::commands::errors::NOT_INTEGER) else { return };
        let sha_key = match by {
            ScriptRef::Sha => match script_key(argv[1]) {
                Some(key) => Some(key),
                None => return self.out.error(NOSCRIPT),
            },
            ScriptRef::Body => None,
        };
        let mut engine = match self.server.scripting.take_engine() {
            Ok(engine) => engine,
            Err(e) => return self.out.error(&e),
        };
        let key = match sha_key {
            Some(key) => Ok(key),
            None => engine.load(argv[1]),
        };
        let flags = match &key {
            Ok(key) => engine.script(key).map(|s| s.flags).ok_or_else(|| NOSCRIPT.to_owned()),
            Err(e) => Err(e.clone()),
        };
        let refusal = flags.as_ref().map_err(Clone::clone).and_then(|flags| self.may_start(*flags, read_only));
        match (key, flags, refusal) {
            (Ok(key), Ok(flags), Ok(())) => {
                self.server.scripting.running = Some(Running::new(RunName::Script(key), (0, 0)));
                self.run_script(argv, flags, read_only, |host, out| engine.eval(&key, keys, args, host, out));
            }
            (_, _, Err(e)) => self.out.error(&e),
            _ => {}
        }
        self.server.scripting.engine = Some(engine);
        // What the script ran is propagated, never the script itself.
        self.prevent_propagation();
    }

    /// Redis's `scriptPrepareForRun`: a script with declared flags that may write is refused by
    /// the read-only forms, on disk errors and when over `maxmemory`.
    fn may_start(&self, flags: ScriptFlags, read_only: bool) -> Result<(), String> {
        if flags.contains(ScriptFlags::EVAL_COMPAT) {
            return Ok(());
        }
        if !flags.contains(ScriptFlags::NO_WRITES) {
            if self.server.writes_refused_for_disk_errors() {
                return Err("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.".to_owned());
            }
            if let Some(why) = self.server.aof.write_error() {
                return Err(format!(
                    "MISCONF Redis is configured to persist data to AOF, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts. AOF error: {why}"
                ));
            }
            if read_only {
                return Err("ERR Can not execute a script with write flag using *_ro command.".to_owned());
            }
            if !self.server.enough_good_replicas() {
                return Err(super::replication::NOREPLICAS_ERROR.to_owned());
            }
        }
        if self.server.memory.oom_at_command_start
            && self.server.config.maxmemory > 0
            && !flags.contains(ScriptFlags::ALLOW_OOM)
            && !flags.contains(ScriptFlags::NO_WRITES)
        {
            return Err(
                "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'".to_owned()
            );
        }
        Ok(())
    }

    /// FCALL and FCALL_RO: `function numkeys key... arg...`.
    pub fn fcall(&mut self, argv: &[&[u8]], read_only: bool) {
        self.monitor_script(argv);
        let mut functions = match self.server.scripting.functions() {
            Ok(_) => self.server.scripting.functions.take(),
            Err(e) => return self.out.error(&e),
        };
        let Some(engine) = functions.as_mut() else { return };
        let Some((flags, name)) = engine.find(argv[1]).map(|f| (f.flags, f.name.clone())) else {
            self.server.scripting.functions = functions;
            return self.out.error("ERR Function not found");
        };
        if let Some((keys, args)) = self.script_keys(argv, "ERR Bad number of keys provided") {
            match self.may_start(flags, read_only) {
                Ok(()) => {
                    let counts = (engine.libraries().len(), engine.function_count());
                    self.server.scripting.running = Some(Running::new(RunName::Function(name), counts));
                    self.run_script(argv, flags, read_only, |host, out| engine.call(argv[1], keys, args, host, out));
                }
                Err(e) => self.out.error(&e),
            }
        }
        self.server.scripting.functions = functions;
        self.prevent_propagation();
    }

    /// MONITOR shows a script before the commands it runs (EVAL and FCALL are skip_monitor).
    fn monitor_script(&mut self, argv: &[&[u8]]) {
        if !self.server.monitors.is_empty() {
            let now = crate::keyspace::wall_clock_micros();
            let line = super::monitor::format_line(self.client, self.client.db, argv, now);
            let (server, mut to) = self.recipients();
            server.monitors.feed(&mut to, &line);
        }
    }

    /// The keys and arguments after `numkeys` (argument 2); replies the error and returns
    /// `None` when `numkeys` is not an integer (`not_integer`), negative or too large.
    fn script_keys<'a>(&mut self, argv: &'a [&'a [u8]], not_integer: &str) -> Option<KeysAndArgs<'a>> {
        let Some(numkeys) = crate::types::number::parse_i64(argv[2]) else {
            self.out.error(not_integer);
            return None;
        };
        if numkeys > argv.len() as i64 - 3 {
            self.out.error("ERR Number of keys can't be greater than number of args");
            return None;
        }
        let Ok(numkeys) = usize::try_from(numkeys) else {
            self.out.error("ERR Number of keys can't be negative");
            return None;
        };
        Some(argv[3..].split_at(numkeys))
    }

    /// Runs a script (`run` hands the host to the engine) as the scripts' client, in the
    /// caller's database, for the command `argv`.
    /// The run ends the [`Running`] record the caller started.
    fn run_script(
        &mut self,
        argv: &[&[u8]],
        flags: ScriptFlags,
        read_only: bool,
        run: impl FnOnce(&mut dyn ScriptHost, &mut Reply),
    ) {
        let mut client = self.server.scripting.client.take().unwrap_or_else(script_client);
        client.db = self.client.db;
        let compat = flags.contains(ScriptFlags::EVAL_COMPAT);
        let mut host = Host {
            server: self.server,
            client: &mut client,
            clients: self.clients,
            read_only: read_only || (!compat && flags.contains(ScriptFlags::NO_WRITES)),
            allow_oom: !compat && flags.contains(ScriptFlags::ALLOW_OOM),
            command: argv,
        };
        let reply_start = self.out.len();
        run(&mut host, self.out);
        if self.server.shutdown.is_some() {
            // SHUTDOWN NOSAVE stopped the script: Redis exits without answering it.
            self.out.truncate(reply_start);
        }
        self.server.scripting.client = Some(client);
        self.server.scripting.running = None;
    }
}

/// The client scripts run commands as: no connection, never blocks.
fn script_client() -> Client {
    let (events, _) = tokio::sync::mpsc::unbounded_channel();
    Client::new(0, NewClient { transport: Transport::Script, fd: -1, events, in_flight: Default::default() }, true)
}

/// `redis.call` reaching the server (Redis's `scriptCall`).
struct Host<'a> {
    server: &'a mut ServerState,
    client: &'a mut Client,
    clients: &'a mut ClientTable,
    /// EVAL_RO, or a `no-writes` script: write commands are refused.
    read_only: bool,
    /// An `allow-oom` script: nothing is refused for memory.
    allow_oom: bool,
    /// The command running the script (kept in [`Running`] once it is busy).
    command: &'a [&'a [u8]],
}

impl Host<'_> {
    /// The script already ran a write command: it can no longer be refused halfway, nor killed.
    fn wrote(&self) -> bool {
        self.server.scripting.running.as_ref().is_some_and(|r| r.wrote)
    }

    /// The checks before a script's command runs; the error text when it is refused.
    fn refusal(&mut self, argv: &[&[u8]]) -> Result<crate::commands::CommandId, String> {
        let Lookup::Found(id) = self.server.commands.lookup(argv) else {
            return Err("Unknown Redis command called from script".to_owned());
        };
        let spec = self.server.commands.entry(id).spec;
        if !spec.arity_ok(argv.len()) {
            return Err("Wrong number of args calling Redis command from script".to_owned());
        }
        if spec.flags.contains(Flags::NOSCRIPT) && !self.server.scripting.disable_deny_script {
            return Err("This Redis command is not allowed from script".to_owned());
        }
        if self.read_only && spec.flags.intersects(Flags::WRITE.union(Flags::MAY_REPLICATE)) {
            return Err("Write commands are not allowed from read-only scripts.".to_owned());
        }
        if spec.flags.contains(Flags::WRITE) && !self.wrote() {
            if self.server.writes_refused_for_disk_errors() {
                return Err(format!("-{}", super::persist::MISCONF_ERROR));
            }
            if let Some(why) = self.server.aof.write_error() {
                return Err(format!("-MISCONF Errors writing to the AOF file: {why}"));
            }
            if !self.server.enough_good_replicas() {
                return Err(format!("-{}", super::replication::NOREPLICAS_ERROR));
            }
        }
        if !self.allow_oom
            && !self.wrote()
            && self.server.config.maxmemory > 0
            && self.server.memory.oom_at_command_start
            && spec.flags.contains(Flags::DENYOOM)
        {
            return Err(format!("-{}", super::OOM_ERROR));
        }
        if spec.flags.contains(Flags::WRITE)
            && let Some(running) = self.server.scripting.running.as_mut()
        {
            running.wrote = true;
        }
        Ok(id)
    }
}

impl ScriptHost for Host<'_> {
    fn call(&mut self, argv: &[&[u8]], propagate: bool, out: &mut Reply) -> Result<(), String> {
        let id = match self.refusal(argv) {
            Ok(id) => id,
            Err(e) => {
                let id = match self.server.commands.lookup(argv) {
                    Lookup::Found(id) => Some(id),
                    _ => None,
                };
                self.server.stats.record_rejected(id);
                let code = e.strip_prefix('-').and_then(|e| e.split(' ').next()).unwrap_or("ERR");
                self.server.stats.record_errors(vec![code.to_owned()]);
                return Err(e);
            }
        };
        self.client.set_protocol(if out.is_resp3() { 3 } else { 2 });
        let queued = self.server.effects.queued();
        call(self.server, self.client, self.clients, out, argv, id, &mut CallClock::start(), Source::Client);
        if !propagate {
            self.server.effects.unqueue_after(queued);
        }
        let errors = out.take_errors();
        if !errors.is_empty() {
            self.server.stats.record_errors(errors);
        }
        Ok(())
    }

    fn interrupt(&mut self) -> bool {
        let Some(running) = self.server.scripting.running.as_mut() else { return false };
        if !running.timed_out {
            let elapsed = running.started.elapsed().as_millis();
            if elapsed < u128::from(self.server.config.busy_reply_threshold) {
                return false;
            }
            running.timed_out = true;
            running.note_command(self.command);
            tracing::warn!(
                "Slow script detected: still in execution after {elapsed} milliseconds. You can try killing the script using the {} command. Script name is: {}.",
                if running.is_eval { "SCRIPT KILL" } else { "FUNCTION KILL" },
                running.name()
            );
        }
        super::blocked::serve_clients(self.server, self.clients);
        self.server.shutdown.is_some() || self.server.scripting.running.as_ref().is_some_and(|r| r.killed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_flags_replace_the_commands_write_oom_and_stale_flags() {
        let eval = Flags::NOSCRIPT | Flags::MAY_REPLICATE | Flags::STALE;
        let declared = |names: &[&str]| {
            let mut flags = ScriptFlags::default();
            names.iter().for_each(|n| flags.insert(ScriptFlags::named(n.as_bytes()).expect("flag")));
            declared_flags(eval, flags)
        };
        assert_eq!(declared(&[]), Flags::NOSCRIPT | Flags::WRITE | Flags::DENYOOM);
        assert_eq!(declared(&["allow-oom"]), Flags::NOSCRIPT | Flags::WRITE);
        // `no-writes` implies `allow-oom`.
        assert_eq!(declared(&["no-writes"]), Flags::NOSCRIPT);
        assert_eq!(declared(&["no-writes", "allow-stale"]), Flags::NOSCRIPT | Flags::STALE);
    }
}
