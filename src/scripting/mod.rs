//! Lua scripting: the Lua 5.1 VM that EVAL scripts (and, later, function libraries) run in, on
//! the executor thread, with Redis 7.0's sandbox, `redis` library and conversions.
//!
//! This module knows Lua, not the server: a script reaches the dataset only through a
//! [`ScriptHost`], which the server implements by running each `redis.call` through its one
//! command path (`crate::state::call`). The VM lives in an [`Engine`], created on first use and
//! replaced whole by SCRIPT FLUSH.
//!
//! Layout: `sandbox.lua` (read-only globals and libraries, the Lua half of the `redis` library),
//! [`convert`] (replies to Lua values and back), [`flags`] (shebang flags), [`rand`] (Redis's
//! `math.random` sequence).

mod busy;
mod call;
mod convert;
mod flags;
mod functions;
mod libs;
mod rand;

use std::cell::{Cell, RefCell};
use std::ffi::c_int;
use std::ptr::NonNull;
use std::rc::Rc;

use mlua::{Function, Lua, LuaOptions, MultiValue, StdLib, Table, Value};

pub use flags::{ScriptFlags, parse_shebang};
use functions::Registered;
pub use functions::{FunctionInfo, Functions, Library, RestorePolicy};

use crate::protocol::Reply;
use crate::types::hash::FxHashMap;

/// A cached script's key: its SHA-1 in lowercase hex (ASCII).
pub type ScriptKey = [u8; 40];

/// The cache key of the script `sha` names (SHA-1s match in any letter case); `None` when it
/// cannot name one.
pub fn script_key(sha: &[u8]) -> Option<ScriptKey> {
    let mut key: ScriptKey = sha.try_into().ok()?;
    key.make_ascii_lowercase();
    Some(key)
}

/// How a script reaches the server: each `redis.call`/`redis.pcall` runs here.
pub trait ScriptHost {
    /// Runs `argv` as the script's client, writing its reply to `out` (empty, and RESP3 when
    /// the script asked for it); the script's writes are propagated only when `propagate`
    /// (`redis.set_repl`). `Err` holds the text of the error that refused the command before
    /// it ran (unknown command, wrong arity, not allowed from scripts…).
    fn call(&mut self, argv: &[&[u8]], propagate: bool, out: &mut Reply) -> Result<(), String>;

    /// Called every hundred thousand instructions while the script runs (Redis's
    /// `scriptInterrupt`): past `busy-reply-threshold` the host serves other clients meanwhile.
    /// Returns whether the script must stop (SCRIPT KILL, FUNCTION KILL, SHUTDOWN NOSAVE).
    fn interrupt(&mut self) -> bool {
        false
    }
}

/// The globals scripts may see (Redis's allow lists); anything else the base library defines
/// (print, dofile, loadfile, module, require…) is dropped.
const ALLOWED_GLOBALS: &[&str] = &[
    "string",
    "math",
    "table",
    "coroutine",
    "_G",
    "_VERSION",
    "xpcall",
    "tostring",
    "getfenv",
    "setmetatable",
    "next",
    "assert",
    "tonumber",
    "rawequal",
    "collectgarbage",
    "getmetatable",
    "rawset",
    "pcall",
    "type",
    "select",
    "unpack",
    "gcinfo",
    "pairs",
    "rawget",
    "loadstring",
    "ipairs",
    "setfenv",
    "load",
    "error",
    "newproxy",
];

/// Script runs between two incremental garbage collection steps (Redis's LUA_GC_CYCLE_PERIOD).
const GC_PERIOD: u32 = 50;

/// How [`Engine::invoke`] hands a run its keys and arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// As the globals KEYS and ARGV (EVAL).
    Globals,
    /// As the function's two arguments (FCALL).
    Arguments,
}

/// What a run of a script may change through the `redis` library, shared with its functions.
#[derive(Default)]
struct RunState {
    /// The host lent to `redis.call` while a script runs (see [`Engine::call_protected`]).
    host: Cell<Option<NonNull<dyn ScriptHost>>>,
    /// The host asked for the running script to stop.
    killed: Cell<bool>,
    /// `redis.setresp(3)` was called.
    resp3: Cell<bool>,
    /// `redis.set_repl` flags (REPL_ALL = 3 by default).
    repl: Cell<u8>,
    /// `math.random`'s sequence.
    rand: Cell<rand::Lrand48>,
    /// The buffer `redis.call` receives replies in, kept between calls.
    reply: Cell<Option<Reply>>,
}

/// A script in the cache.
pub struct Script {
    /// The body as sent (EVAL replicates it, SCRIPT LOAD returns its SHA).
    pub body: Vec<u8>,
    /// Its shebang flags.
    pub flags: ScriptFlags,
    /// The compiled chunk.
    func: Function,
}

/// The Lua VM and the scripts compiled in it.
pub struct Engine {
    lua: Lua,
    /// The table holding every global (scripts see it through a read-only proxy).
    globals: Table,
    /// Private table through which the server lends its functions to `sandbox.lua`.
    hooks: Table,
    /// The error handler scripts run under (adds the failing line).
    handler: Function,
    /// The metatable of the globals scripts see (its `__index` is the globals, or the load API
    /// while a function library loads).
    env_meta: Table,
    /// What a library sees while FUNCTION LOAD runs it.
    load_api: Table,
    /// Lua's own `pcall`.
    raw_pcall: Function,
    /// The functions `redis.register_function` registered, while a library loads.
    registering: Rc<RefCell<Option<Vec<Registered>>>>,
    run: Rc<RunState>,
    scripts: FxHashMap<ScriptKey, Script>,
    /// Bytes of script bodies and names (INFO `used_memory_scripts_eval`).
    scripts_memory: usize,
    runs: u32,
}

/// Where a running script failed or what it returned, written to the caller by [`Engine::eval`].
fn lua_error(e: &mlua::Error) -> String {
    format!("ERR Error running script: {e}")
}

impl Engine {
    /// A fresh VM with the sandbox installed.
    pub fn new() -> Result<Engine, String> {
        Self::build().map_err(|e| format!("ERR Error creating the Lua VM: {e}"))
    }

    fn build() -> mlua::Result<Engine> {
        let lua = Lua::new_with(StdLib::TABLE | StdLib::STRING | StdLib::MATH, LuaOptions::default())?;
        let globals = lua.globals();
        let mut unwanted = Vec::new();
        globals.for_each(|k: Value, _: Value| {
            if !matches!(&k, Value::String(s) if ALLOWED_GLOBALS.iter().any(|a| s.as_bytes() == a.as_bytes())) {
                unwanted.push(k);
            }
            Ok(())
        })?;
        for k in unwanted {
            globals.raw_set(k, Value::Nil)?;
        }
        libs::cjson::install(&lua, &globals)?;
        libs::bit::install(&lua, &globals)?;
        libs::cmsgpack::install(&lua, &globals)?;
        libs::struct_lib::install(&lua, &globals)?;
        let run = Rc::new(RunState::default());
        run.repl.set(3);
        let hooks = lua.create_table()?;
        install_hooks(&lua, &hooks, &run)?;
        let state = run.clone();
        // The busy hook's way to the host: `nil` when no script runs (FUNCTION LOAD).
        let interrupt = lua.create_function(move |_, ()| {
            Ok(with_host(&state, |host| {
                let stop = host.interrupt();
                state.killed.set(state.killed.get() || stop);
                stop
            }))
        })?;
        lua.set_named_registry_value(busy::INTERRUPT, interrupt)?;
        let redis = lua.create_table()?;
        redis.raw_set("REDIS_VERSION", crate::REDIS_VERSION)?;
        redis.raw_set("REDIS_VERSION_NUM", version_num(crate::REDIS_VERSION))?;
        for (name, level) in [("LOG_DEBUG", 0), ("LOG_VERBOSE", 1), ("LOG_NOTICE", 2), ("LOG_WARNING", 3)] {
            redis.raw_set(name, level)?;
        }
        for (name, flags) in
            [("REPL_NONE", 0), ("REPL_AOF", 1), ("REPL_SLAVE", 2), ("REPL_REPLICA", 2), ("REPL_ALL", 3)]
        {
            redis.raw_set(name, flags)?;
        }
        redis.raw_set("error_reply", lua.create_function(error_reply)?)?;
        redis.raw_set("status_reply", lua.create_function(status_reply)?)?;
        let tostring: Function = globals.raw_get("tostring")?;
        let proxy = lua.create_table()?;
        // The run state outlives the VM: `Engine` drops its `lua` before its `run`.
        redis.raw_set("call", call::create(&lua, Rc::as_ptr(&run), true)?)?;
        redis.raw_set("pcall", call::create(&lua, Rc::as_ptr(&run), false)?)?;
        let registering: Rc<RefCell<Option<Vec<Registered>>>> = Rc::default();
        hooks.raw_set("register", functions::register_hook(&lua, registering.clone())?)?;
        let (env_meta, load_api, raw_pcall): (Table, Table, Function) = lua
            .load(include_str!("sandbox.lua"))
            .set_name("=sandbox")
            .call((globals.clone(), proxy.clone(), redis, hooks.clone()))?;
        lua.set_globals(proxy)?;
        let handler = lua.create_function(move |lua, err: Value| error_handler(lua, &tostring, err))?;
        busy::watch(&lua)?;
        Ok(Engine {
            lua,
            globals,
            hooks,
            handler,
            env_meta,
            load_api,
            raw_pcall,
            registering,
            run,
            scripts: FxHashMap::default(),
            scripts_memory: 0,
            runs: 0,
        })
    }

    /// The cached script named `sha` (hex, any letter case).
    pub fn script(&self, sha: &[u8]) -> Option<&Script> {
        self.scripts.get(&script_key(sha)?)
    }

    /// Number of cached scripts.
    pub fn len(&self) -> usize {
        self.scripts.len()
    }

    /// Whether no script is cached.
    pub fn is_empty(&self) -> bool {
        self.scripts.is_empty()
    }

    /// Bytes the Lua VM uses (INFO `used_memory_lua`).
    pub fn vm_memory(&self) -> usize {
        self.lua.used_memory()
    }

    /// Bytes of cached scripts (INFO `used_memory_scripts_eval`).
    pub fn scripts_memory(&self) -> usize {
        self.scripts_memory
    }

    /// Compiles `body` into the cache unless it is there (Redis's `luaCreateFunction`); returns
    /// its SHA, or the error reply (shebang or compile error).
    pub fn load(&mut self, body: &[u8]) -> Result<ScriptKey, String> {
        let sha = crate::types::sha1::to_hex(&crate::types::sha1::sha1(body));
        let key = script_key(sha.as_bytes()).unwrap_or([b'0'; 40]);
        if self.scripts.contains_key(&key) {
            return Ok(key);
        }
        let (flags, shebang_len) = parse_shebang(body).map_err(|e| format!("ERR {e}"))?;
        let func = self
            .lua
            .load(&body[shebang_len..])
            .set_name("@user_script")
            .set_mode(mlua::ChunkMode::Text)
            .into_function()
            .map_err(|e| format!("ERR Error compiling script (new function): {}", compile_message(&e)))?;
        self.scripts_memory += body.len() + sha.len();
        self.scripts.insert(key, Script { body: body.to_vec(), flags, func });
        Ok(key)
    }

    /// Runs cached script `key` with `keys` and `args` as its KEYS and ARGV, writing what it
    /// returns (or how it failed) to `out`.
    pub fn eval(
        &mut self,
        key: &ScriptKey,
        keys: &[&[u8]],
        args: &[&[u8]],
        host: &mut dyn ScriptHost,
        out: &mut Reply,
    ) {
        let Some(func) = self.scripts.get(key).map(|s| s.func.clone()) else {
            return out.error("NOSCRIPT No matching script. Please use EVAL.");
        };
        let outcome = self.call_protected(host, |engine| engine.invoke(&func, keys, args, Pass::Globals));
        self.reply(outcome, std::str::from_utf8(key).unwrap_or_default(), out);
    }

    /// Calls `func` under the error handler, with `keys` and `args` as two Lua arrays of
    /// strings (Redis's `luaCreateArray`) passed as `pass` says, and `hooks.running` set
    /// meanwhile; returns whether it succeeded and what it returned (or the handler's error
    /// table). All of it is one protected call on the Lua C API: through mlua each string
    /// would be a reference of its own, and each step a protected call of its own, which
    /// together cost a fifth of a short script's time.
    fn invoke(&self, func: &Function, keys: &[&[u8]], args: &[&[u8]], pass: Pass) -> mlua::Result<(bool, Value)> {
        use mlua::ffi;
        // Slots of the C function's arguments.
        const HANDLER: c_int = 1;
        const GLOBALS: c_int = 2;
        const HOOKS: c_int = 3;
        // SAFETY: runs inside mlua's protected call as a C function with the four arguments
        // above and LUA_MINSTACK free slots, of which this uses at most four; no Rust value
        // with a destructor is alive across a call that may raise. It leaves exactly its two
        // results on the stack.
        unsafe {
            self.lua.exec_raw((&self.handler, &self.globals, &self.hooks, func), |state| {
                let set_running = |running: bool| {
                    ffi::lua_pushlstring(state, c"running".as_ptr(), 7);
                    if running {
                        ffi::lua_pushboolean(state, 1)
                    } else {
                        ffi::lua_pushnil(state)
                    }
                    ffi::lua_rawset(state, HOOKS);
                };
                set_running(true);
                for (items, global) in [(keys, c"KEYS"), (args, c"ARGV")] {
                    if pass == Pass::Globals {
                        ffi::lua_pushstring(state, global.as_ptr());
                    }
                    ffi::lua_createtable(state, c_int::try_from(items.len()).unwrap_or(0), 0);
                    for (item, i) in items.iter().zip(1..c_int::MAX) {
                        ffi::lua_pushlstring(state, item.as_ptr().cast(), item.len());
                        ffi::lua_rawseti_(state, -2, i);
                    }
                    if pass == Pass::Globals {
                        ffi::lua_rawset(state, GLOBALS);
                    }
                }
                let nargs = if pass == Pass::Arguments { 2 } else { 0 };
                let ok = ffi::lua_pcall(state, nargs, 1, HANDLER) == 0;
                set_running(false);
                // [handler, globals, hooks, result] becomes [ok, result].
                ffi::lua_pushboolean(state, c_int::from(ok));
                ffi::lua_replace(state, HANDLER);
                ffi::lua_replace(state, GLOBALS);
                ffi::lua_settop(state, 2);
            })
        }
    }

    /// Runs `body` (an [`Engine::invoke`] of the script) with `host` lent to `redis.call`, and
    /// the run state reset: RESP2, replication on.
    fn call_protected(
        &mut self,
        host: &mut dyn ScriptHost,
        body: impl FnOnce(&Engine) -> mlua::Result<(bool, Value)>,
    ) -> mlua::Result<(bool, Value)> {
        self.run.resp3.set(false);
        self.run.repl.set(3);
        self.run.killed.set(false);
        let outcome = {
            let _lent = Lent::new(&self.run, host);
            body(self)
        };
        if self.run.killed.get() {
            busy::watch(&self.lua)?;
        }
        self.runs += 1;
        if self.runs >= GC_PERIOD {
            self.runs = 0;
            // A failed step only delays collection.
            let _ = self.lua.gc_step_kbytes(GC_PERIOD as i32);
        }
        outcome
    }

    /// Writes the outcome of [`Engine::invoke`] as the caller's reply.
    fn reply(&self, outcome: mlua::Result<(bool, Value)>, name: &str, out: &mut Reply) {
        let result = outcome.and_then(|(ok, value)| {
            if ok {
                convert::lua_to_reply(&self.lua, &value, out, self.run.resp3.get(), convert::BASE_STACK)
            } else {
                script_error(&value, name, out)
            }
        });
        if let Err(e) = result {
            out.error(&lua_error(&e));
        }
    }
}

/// The error reply of a failed script: its error text, then where it failed (Redis's
/// `luaCallFunction`): `-<err> script: <name>, on <source>:<line>.`.
fn script_error(value: &Value, name: &str, out: &mut Reply) -> mlua::Result<()> {
    let Value::Table(t) = value else {
        out.error(&format!("ERR Error running script {name}, execution failure"));
        return Ok(());
    };
    let err = match t.raw_get::<Value>("err")? {
        Value::String(s) => s.as_bytes().to_vec(),
        _ => b"ERR unknown error".to_vec(),
    };
    let mut text = err;
    let source: Value = t.raw_get("source")?;
    let line: Value = t.raw_get("line")?;
    if let (Value::String(source), Some(line)) = (source, number_text(&line)) {
        text.extend_from_slice(format!(" script: {name}, on ").as_bytes());
        text.extend_from_slice(&source.as_bytes());
        text.extend_from_slice(format!(":{line}.").as_bytes());
    }
    if matches!(t.raw_get::<Value>("ignore_error_stats_update")?, Value::Boolean(true)) {
        out.error_not_counted(&text);
    } else {
        out.error_bytes(&text);
    }
    Ok(())
}

fn number_text(v: &Value) -> Option<String> {
    match v {
        Value::Integer(i) => Some(i.to_string()),
        Value::Number(n) => Some(crate::protocol::format_double(*n)),
        Value::String(s) => Some(String::from_utf8_lossy(&s.as_bytes()).into_owned()),
        _ => None,
    }
}

/// The message of a compile error, as Lua wrote it (`user_script:1: ...`).
fn compile_message(e: &mlua::Error) -> String {
    match e {
        mlua::Error::SyntaxError { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// The message of an error a Rust function raised, without mlua's callback wrapping.
fn plain_message(e: &mlua::Error) -> String {
    match e {
        mlua::Error::CallbackError { cause, .. } => plain_message(cause),
        mlua::Error::RuntimeError(msg) => msg.clone(),
        other => other.to_string(),
    }
}

/// The error handler scripts run under (Redis's `__redis__err__handler`): turns the error into
/// a table `{err = ...}` and records the script's source and line where it was raised.
fn error_handler(lua: &Lua, tostring: &Function, err: Value) -> mlua::Result<Table> {
    let mut at = None;
    for level in 1.. {
        let Some(frame) = lua.inspect_stack(level, |d| (d.source().source.map(|s| s.into_owned()), d.current_line()))
        else {
            break;
        };
        if let (Some(source), Some(line)) = frame
            && source.starts_with("@user_")
        {
            at = Some((source, line));
            break;
        }
    }
    let t = match err {
        Value::Table(t) => t,
        // A library written in Rust failed: its message gets the caller's position, as C's
        // luaL_error gives it.
        Value::Error(e) if busy::is_killed(&e) => {
            convert::error_table(lua, format!("ERR {}", busy::Killed).as_bytes(), false)?
        }
        Value::Error(e) => {
            let place = at.as_ref().map(|(s, l)| format!("{}:{l}: ", &s[1..])).unwrap_or_default();
            convert::error_table(lua, format!("ERR {place}{}", plain_message(&e)).as_bytes(), false)?
        }
        other => {
            let text: mlua::String = tostring.call(other)?;
            convert::error_table(lua, &[b"ERR ", &text.as_bytes()[..]].concat(), false)?
        }
    };
    if let Some((source, line)) = at {
        t.raw_set("source", source)?;
        t.raw_set("line", line)?;
    }
    Ok(t)
}

/// Lends a host to `redis.call` and the busy hook for as long as it lives.
///
/// The callbacks are created once with the VM rather than per run (a scope per run cost about a
/// tenth of a short script's time), so the host reaches them through [`RunState::host`] as a
/// pointer whose lifetime is erased. That is sound because the pointer lives only as long as
/// this guard, which borrows the host mutably; and a callback takes the pointer out of the
/// cell while it uses it, so there is never a second reference.
struct Lent<'a> {
    run: &'a RunState,
}

impl<'a> Lent<'a> {
    fn new(run: &'a RunState, host: &'a mut dyn ScriptHost) -> Self {
        let host: NonNull<dyn ScriptHost + 'a> = NonNull::from(host);
        // SAFETY: only the trait object's lifetime bound changes; see the type's docs for why
        // the pointer is never used past 'a.
        let host: NonNull<dyn ScriptHost> = unsafe { std::mem::transmute(host) };
        run.host.set(Some(host));
        Lent { run }
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        self.run.host.set(None);
    }
}

/// Runs `f` with the host lent by [`Lent`], or returns `None` when no script is running (or the
/// host is already in use).
fn with_host<R>(run: &RunState, f: impl FnOnce(&mut dyn ScriptHost) -> R) -> Option<R> {
    let mut host = run.host.take()?;
    // SAFETY: the pointer is valid while it is in the cell (see `Lent`), and taking it out makes
    // this the only reference until it is put back.
    let result = f(unsafe { host.as_mut() });
    run.host.set(Some(host));
    Some(result)
}

/// `redis.error_reply(text)`: `{err = text}` with a code (`ERR` when it has none).
fn error_reply(lua: &Lua, args: MultiValue) -> mlua::Result<Table> {
    match single_string(&args) {
        Some(text) => {
            let raw = if text.starts_with(b"-") { text } else { [b"-", &text[..]].concat() };
            convert::error_table(lua, &convert::error_text(&raw), false)
        }
        None => convert::error_table(lua, b"ERR wrong number or type of arguments", false),
    }
}

/// `redis.status_reply(text)`: `{ok = text}`.
fn status_reply(lua: &Lua, args: MultiValue) -> mlua::Result<Table> {
    match single_string(&args) {
        Some(text) => {
            let t = lua.create_table()?;
            t.raw_set("ok", lua.create_string(text)?)?;
            Ok(t)
        }
        None => convert::error_table(lua, b"ERR wrong number or type of arguments", false),
    }
}

fn single_string(args: &MultiValue) -> Option<Vec<u8>> {
    match args.iter().collect::<Vec<_>>().as_slice() {
        [Value::String(s)] => Some(s.as_bytes().to_vec()),
        _ => None,
    }
}

/// The Rust functions `sandbox.lua` wraps: RESP and replication switches, logging, SHA-1 and
/// the random sequence.
fn install_hooks(lua: &Lua, hooks: &Table, run: &Rc<RunState>) -> mlua::Result<()> {
    let state = run.clone();
    hooks.raw_set(
        "setresp",
        lua.create_function(move |_, resp: u8| {
            state.resp3.set(resp == 3);
            Ok(())
        })?,
    )?;
    let state = run.clone();
    hooks.raw_set(
        "set_repl",
        lua.create_function(move |_, flags: u8| {
            state.repl.set(flags);
            Ok(())
        })?,
    )?;
    let state = run.clone();
    hooks.raw_set(
        "rand",
        lua.create_function(move |_, ()| {
            let mut r = state.rand.get();
            let v = r.next_f64();
            state.rand.set(r);
            Ok(v)
        })?,
    )?;
    let state = run.clone();
    hooks.raw_set(
        "seed",
        lua.create_function(move |_, seed: f64| {
            let mut r = state.rand.get();
            r.seed(seed as i32);
            state.rand.set(r);
            Ok(())
        })?,
    )?;
    hooks.raw_set(
        "sha1hex",
        lua.create_function(|lua, v: Value| {
            let bytes = match lua.coerce_string(v)? {
                Some(s) => s.as_bytes().to_vec(),
                None => Vec::new(),
            };
            Ok(crate::types::sha1::to_hex(&crate::types::sha1::sha1(&bytes)))
        })?,
    )?;
    hooks.raw_set("log", lua.create_function(log)?)?;
    hooks.raw_set(
        "error_text",
        lua.create_function(|lua, e: Value| match e {
            Value::Error(e) => Ok(Value::String(lua.create_string(plain_message(&e))?)),
            other => Ok(other),
        })?,
    )?;
    Ok(())
}

/// `redis.log(level, ...)`: the string and number arguments joined by spaces, at Redis's level.
fn log(lua: &Lua, args: MultiValue) -> mlua::Result<()> {
    let mut args = args.into_iter();
    let level = match args.next() {
        Some(Value::Integer(i)) => i,
        Some(Value::Number(n)) => n as i64,
        _ => 0,
    };
    let mut text = Vec::new();
    for arg in args {
        if let Value::String(_) | Value::Number(_) | Value::Integer(_) = arg
            && let Some(s) = lua.coerce_string(arg)?
        {
            if !text.is_empty() {
                text.push(b' ');
            }
            text.extend_from_slice(&s.as_bytes());
        }
    }
    let text = String::from_utf8_lossy(&text);
    match level {
        0 => tracing::trace!("{text}"),
        1 => tracing::debug!("{text}"),
        2 => tracing::info!("{text}"),
        _ => tracing::warn!("{text}"),
    }
    Ok(())
}

/// `REDIS_VERSION_NUM`: `0x00MMmmpp`.
fn version_num(version: &str) -> u32 {
    version.split('.').take(3).fold(0, |acc, part| (acc << 8) | part.parse::<u32>().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A host answering every command with a fixed reply.
    struct Echo(Vec<u8>);

    impl ScriptHost for Echo {
        fn call(&mut self, argv: &[&[u8]], _propagate: bool, out: &mut Reply) -> Result<(), String> {
            if argv[0] == b"nope" {
                return Err("Unknown Redis command called from script".to_owned());
            }
            out.raw(&self.0);
            Ok(())
        }
    }

    fn eval(engine: &mut Engine, body: &str) -> Vec<u8> {
        let mut out = Reply::new(false);
        match engine.load(body.as_bytes()) {
            Ok(key) => engine.eval(&key, &[b"k"], &[b"a"], &mut Echo(b"+OK\r\n".to_vec()), &mut out),
            Err(e) => out.error(&e),
        }
        out.as_bytes().to_vec()
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn scripts_see_keys_args_and_calls() {
        let mut e = Engine::new().unwrap();
        assert_eq!(
            text(eval(&mut e, "return {KEYS[1], ARGV[1], redis.call('set','k','v')}")),
            "*3\r\n$1\r\nk\r\n$1\r\na\r\n+OK\r\n"
        );
        assert_eq!(version_num("7.0.15"), 0x07000f);
        assert_eq!(text(eval(&mut e, "return redis.REDIS_VERSION_NUM")), ":458767\r\n");
    }

    #[test]
    fn errors_name_the_script_and_line() {
        let mut e = Engine::new().unwrap();
        let sha = "bbfcd1ececc90deec823f7fb730e4bfb2a4ba625";
        assert_eq!(
            text(eval(&mut e, "return a")),
            format!(
                "-ERR user_script:1: Script attempted to access nonexistent global variable 'a' script: {sha}, on @user_script:1.\r\n"
            )
        );
        assert!(
            text(eval(&mut e, "a=1")).starts_with("-ERR user_script:1: Attempt to modify a readonly table script: ")
        );
        assert!(text(eval(&mut e, "\n\nredis.call('nope')")).ends_with("on @user_script:3.\r\n"));
        // A tail call keeps the script's line (redis.call is a C function, as in Redis).
        assert!(text(eval(&mut e, "\nreturn redis.call('nope')")).ends_with("on @user_script:2.\r\n"));
        assert_eq!(
            text(eval(&mut e, "return redis.pcall('nope')")),
            "-ERR Unknown Redis command called from script\r\n"
        );
        assert_eq!(
            text(eval(&mut e, "return x(")),
            "-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'\r\n"
        );
        for trick in [
            "redis.call = 1",
            "setmetatable(_G, {})",
            "local g = getmetatable(_G) g.__index = {}",
            "_G = {}",
            "cjson = 1",
            "string.x = 1",
        ] {
            assert!(text(eval(&mut e, trick)).contains("Attempt to modify a readonly table"), "{trick}");
        }
        for missing in ["loadfile", "dofile", "print", "os", "io", "debug"] {
            assert!(
                text(eval(&mut e, &format!("return {missing}"))).contains("nonexistent global variable"),
                "{missing}"
            );
        }
    }

    #[test]
    fn random_is_redis_sequence() {
        let mut e = Engine::new().unwrap();
        assert_eq!(text(eval(&mut e, "return tostring(math.random())")), "$16\r\n0.39646477363839\r\n");
    }

    /// A host that asks the script to stop on its `stop_at`th interruption.
    struct Stopper {
        calls: u32,
        stop_at: u32,
    }

    impl ScriptHost for Stopper {
        fn call(&mut self, _argv: &[&[u8]], _propagate: bool, out: &mut Reply) -> Result<(), String> {
            out.raw(b"+PONG\r\n");
            Ok(())
        }

        fn interrupt(&mut self) -> bool {
            self.calls += 1;
            self.calls >= self.stop_at
        }
    }

    #[test]
    fn a_stopped_script_ends_even_under_pcall_and_the_next_runs() {
        let mut e = Engine::new().unwrap();
        let body = "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end";
        let sha = e.load(body.as_bytes()).unwrap();
        let mut host = Stopper { calls: 0, stop_at: 3 };
        let mut out = Reply::new(false);
        e.eval(&sha, &[], &[], &mut host, &mut out);
        assert_eq!(host.calls, 3);
        assert_eq!(
            text(out.as_bytes().to_vec()),
            format!(
                "-ERR Script killed by user with SCRIPT KILL... script: {}, on @user_script:1.\r\n",
                String::from_utf8_lossy(&sha)
            )
        );
        // The next script runs under the count hook again, not the killed one's line hook.
        let sha = e.load(b"local n = 0 for i = 1, 300000 do n = n + 1 end return n").unwrap();
        let mut host = Stopper { calls: 0, stop_at: u32::MAX };
        let mut out = Reply::new(false);
        e.eval(&sha, &[], &[], &mut host, &mut out);
        assert_eq!(text(out.as_bytes().to_vec()), ":300000\r\n");
        assert!(host.calls >= 2);
    }
}
