//! Redis 7 functions: libraries of Lua functions, loaded with FUNCTION LOAD and called with
//! FCALL, in their own Lua VM (as in Redis, SCRIPT FLUSH leaves them alone).
//!
//! A library's code starts with `#!lua name=<library>`; running it may only call
//! `redis.register_function` (plus `redis.log`), which records each function with its flags
//! and description. Function names are unique across libraries and matched without regard to
//! letter case.

use std::cell::RefCell;
use std::rc::Rc;

use mlua::{Function, Lua, MultiValue, Table, Value};

use super::{Engine, ScriptFlags, ScriptHost};
use crate::protocol::Reply;

/// The function named `name` (any letter case) among `libraries`.
fn find_in<'a>(libraries: &'a [Library], name: &[u8]) -> Option<&'a FunctionInfo> {
    libraries.iter().flat_map(|l| &l.functions).find(|f| f.name.as_bytes().eq_ignore_ascii_case(name))
}

/// The error a library or function name with other characters gets.
const BAD_NAME: &str =
    "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

/// A function registered while its library loads.
pub(super) struct Registered {
    name: String,
    description: Option<Vec<u8>>,
    flags: ScriptFlags,
    func: Function,
}

/// One function of a library.
pub struct FunctionInfo {
    /// Its name.
    pub name: String,
    /// Its description, if it was given one.
    pub description: Option<Vec<u8>>,
    /// Its flags.
    pub flags: ScriptFlags,
    func: Function,
}

/// A loaded library.
pub struct Library {
    /// Its name.
    pub name: String,
    /// Its whole code, shebang included (FUNCTION LIST WITHCODE, DUMP, RDB).
    pub code: Vec<u8>,
    /// Its functions, in the order they were registered.
    pub functions: Vec<FunctionInfo>,
}

/// How FUNCTION RESTORE treats the libraries already loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestorePolicy {
    /// Drop them all first.
    Flush,
    /// Keep them; a library of the same name fails the restore.
    Append,
    /// Keep them; a library of the same name is replaced.
    Replace,
}

/// The functions engine: its VM and the libraries loaded in it.
pub struct Functions {
    engine: Engine,
    libraries: Vec<Library>,
}

impl Functions {
    /// An engine with no library.
    pub fn new() -> Result<Functions, String> {
        Ok(Functions { engine: Engine::new()?, libraries: Vec::new() })
    }

    /// The loaded libraries, in load order.
    pub fn libraries(&self) -> &[Library] {
        &self.libraries
    }

    /// Number of functions in every library.
    pub fn function_count(&self) -> usize {
        self.libraries.iter().map(|l| l.functions.len()).sum()
    }

    /// Bytes the functions' Lua VM uses.
    pub fn vm_memory(&self) -> usize {
        self.engine.vm_memory()
    }

    /// The function named `name` (any letter case).
    pub fn find(&self, name: &[u8]) -> Option<&FunctionInfo> {
        find_in(&self.libraries, name)
    }

    /// FUNCTION LOAD: compiles and registers a library; returns its name, or the error reply.
    pub fn load(&mut self, code: &[u8], replace: bool) -> Result<String, String> {
        let (name, body) = metadata(code).map_err(|e| format!("ERR {e}"))?;
        let existing = self.libraries.iter().position(|l| l.name == name);
        if existing.is_some() && !replace {
            return Err(format!("ERR Library '{name}' already exists"));
        }
        let library = self.compile(&name, code, body).map_err(|e| format!("ERR {e}"))?;
        let others = self.libraries.iter().filter(|l| l.name != name);
        if let Some(clash) = clashing_function(others, &library) {
            return Err(format!("ERR Function {clash} already exists"));
        }
        match existing {
            Some(at) => self.libraries[at] = library,
            None => self.libraries.push(library),
        }
        Ok(name)
    }

    /// FUNCTION DELETE: whether the library existed.
    pub fn delete(&mut self, name: &[u8]) -> bool {
        let before = self.libraries.len();
        self.libraries.retain(|l| l.name.as_bytes() != name);
        self.libraries.len() != before
    }

    /// FUNCTION FLUSH.
    pub fn flush(&mut self) {
        self.libraries.clear();
    }

    /// FUNCTION RESTORE (and loading an RDB file): installs the libraries whose codes are given,
    /// all or nothing; the error reply when one fails to load or clashes.
    pub fn restore(&mut self, codes: &[Vec<u8>], policy: RestorePolicy) -> Result<(), String> {
        let mut incoming = Vec::with_capacity(codes.len());
        for code in codes {
            let (name, body) = metadata(code).map_err(|e| format!("ERR {e}"))?;
            if incoming.iter().any(|l: &Library| l.name == name) {
                return Err(format!("ERR Library {name} already exists"));
            }
            incoming.push(self.compile(&name, code, body).map_err(|e| format!("ERR {e}"))?);
        }
        let kept: Vec<&Library> = match policy {
            RestorePolicy::Flush => Vec::new(),
            RestorePolicy::Append => {
                if let Some(dup) = incoming.iter().find(|l| self.libraries.iter().any(|o| o.name == l.name)) {
                    return Err(format!("ERR Library {} already exists", dup.name));
                }
                self.libraries.iter().collect()
            }
            RestorePolicy::Replace => {
                self.libraries.iter().filter(|o| !incoming.iter().any(|l| l.name == o.name)).collect()
            }
        };
        for library in &incoming {
            let others = kept.iter().copied().chain(incoming.iter().filter(|l| l.name != library.name));
            if let Some(clash) = clashing_function(others, library) {
                return Err(format!("ERR Function {clash} already exists"));
            }
        }
        let kept: Vec<String> = kept.iter().map(|l| l.name.clone()).collect();
        self.libraries.retain(|l| kept.contains(&l.name));
        self.libraries.extend(incoming);
        Ok(())
    }

    /// FCALL: runs function `name` with `keys` and `args`, writing its reply to `out`.
    pub fn call(&mut self, name: &[u8], keys: &[&[u8]], args: &[&[u8]], host: &mut dyn ScriptHost, out: &mut Reply) {
        // The function is borrowed from the libraries while the engine runs it.
        let Some(function) = find_in(&self.libraries, name) else {
            return out.error("ERR Function not found");
        };
        let outcome =
            self.engine.call_protected(host, |e| e.invoke(&function.func, keys, args, super::Pass::Arguments));
        self.engine.reply(outcome, &function.name, out);
    }

    /// Compiles library `name` (body `body` of `code`) and runs it to collect its functions.
    fn compile(&self, name: &str, code: &[u8], body: &[u8]) -> Result<Library, String> {
        let registered = self.engine.load_library(body)?;
        if registered.is_empty() {
            return Err("No functions registered".to_owned());
        }
        let functions = registered
            .into_iter()
            .map(|r| FunctionInfo { name: r.name, description: r.description, flags: r.flags, func: r.func })
            .collect();
        Ok(Library { name: name.to_owned(), code: code.to_vec(), functions })
    }
}

/// The first function of `library` that one of `others` already has.
fn clashing_function<'a>(mut others: impl Iterator<Item = &'a Library>, library: &Library) -> Option<String> {
    let taken: Vec<&str> = others.by_ref().flat_map(|l| l.functions.iter().map(|f| f.name.as_str())).collect();
    library.functions.iter().find(|f| taken.iter().any(|t| t.eq_ignore_ascii_case(&f.name))).map(|f| f.name.clone())
}

/// A library's name and the code Lua runs (from the shebang's line feed on, so line numbers
/// hold), read from its `#!<engine> name=<name>` line (Redis's `functionExtractLibMetaData`).
fn metadata(code: &[u8]) -> Result<(String, &[u8]), String> {
    if !code.starts_with(b"#!") {
        return Err("Missing library metadata".to_owned());
    }
    let Some(end) = code.iter().position(|&b| b == b'\n') else {
        return Err("Invalid library metadata".to_owned());
    };
    let parts = match crate::protocol::split_args(&code[..end]) {
        Some(parts) if !parts.is_empty() => parts,
        _ => return Err("Invalid library metadata".to_owned()),
    };
    let mut name = None;
    for part in &parts[1..] {
        if part.len() >= 5 && part[..5].eq_ignore_ascii_case(b"name=") {
            if name.is_some() {
                return Err("Invalid metadata value, name argument was given multiple times".to_owned());
            }
            name = Some(part[5..].to_vec());
            continue;
        }
        return Err(format!("Invalid metadata value given: {}", String::from_utf8_lossy(part)));
    }
    let Some(name) = name else { return Err("Library name was not given".to_owned()) };
    if !valid_name(&name) {
        return Err(BAD_NAME.to_owned());
    }
    let engine = &parts[0][2..];
    if !engine.eq_ignore_ascii_case(b"lua") {
        return Err(format!("Engine '{}' not found", String::from_utf8_lossy(engine)));
    }
    Ok((String::from_utf8_lossy(&name).into_owned(), &code[end..]))
}

/// Letters, digits and underscores, at least one.
fn valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

impl Engine {
    /// Runs a library's code with only the load API visible, collecting what it registers;
    /// the error text (without `ERR `) when it does not compile or fails.
    fn load_library(&self, body: &[u8]) -> Result<Vec<Registered>, String> {
        let chunk = self
            .lua
            .load(body)
            .set_name("@user_function")
            .set_mode(mlua::ChunkMode::Text)
            .into_function()
            .map_err(|e| format!("Error compiling function: {}", super::compile_message(&e)))?;
        *self.registering.borrow_mut() = Some(Vec::new());
        self.lua.set_app_data(super::busy::LoadStarted(std::time::Instant::now()));
        let ran = self
            .env_meta
            .raw_set("__index", self.load_api.clone())
            .and_then(|()| self.raw_pcall.call::<(bool, Value)>(chunk));
        let timed_out = self
            .lua
            .remove_app_data::<super::busy::LoadStarted>()
            .is_some_and(|s| s.0.elapsed() > super::busy::LOAD_TIMEOUT);
        if timed_out {
            // The hook left its line hook in place to stop the library.
            super::busy::watch(&self.lua).map_err(|e| e.to_string())?;
        }
        let restored = self.env_meta.raw_set("__index", self.globals.clone());
        let registered = self.registering.borrow_mut().take().unwrap_or_default();
        let (ok, err) =
            ran.and_then(|r| restored.map(|()| r)).map_err(|e| format!("Error registering functions: {e}"))?;
        if ok {
            return Ok(registered);
        }
        let msg = match err {
            Value::Table(t) => match t.raw_get::<Value>("err") {
                Ok(Value::String(s)) => s.to_string_lossy(),
                _ => String::new(),
            },
            Value::String(s) => format!("ERR {}", s.to_string_lossy()),
            Value::Error(e) => format!("ERR {}", super::plain_message(&e)),
            other => format!("ERR {other:?}"),
        };
        Err(format!("Error registering functions: {msg}"))
    }
}

/// `redis.register_function`'s server half: validates the arguments and records the function
/// while a library loads; returns the error text (raised by `sandbox.lua`) or nothing.
pub(super) fn register_hook(lua: &Lua, registering: Rc<RefCell<Option<Vec<Registered>>>>) -> mlua::Result<Function> {
    lua.create_function(move |lua, args: MultiValue| {
        let mut slot = registering.borrow_mut();
        let Some(list) = slot.as_mut() else {
            return Ok(Some("redis.register_function can only be called on FUNCTION LOAD command".to_owned()));
        };
        let parsed = match args.len() {
            1 => named_args(lua, &args[0]),
            2 => positional_args(lua, &args[0], &args[1]),
            _ => Err("wrong number of arguments to redis.register_function"),
        };
        let registered = match parsed {
            Ok(r) => r,
            Err(e) => return Ok(Some(e.to_owned())),
        };
        if !valid_name(registered.name.as_bytes()) {
            return Ok(Some(BAD_NAME.to_owned()));
        }
        if list.iter().any(|r| r.name.eq_ignore_ascii_case(&registered.name)) {
            return Ok(Some("Function already exists in the library".to_owned()));
        }
        list.push(registered);
        Ok(None)
    })
}

/// A string or number argument as text (Lua's `lua_isstring`).
fn text_arg(lua: &Lua, v: &Value) -> Option<Vec<u8>> {
    match v {
        Value::String(s) => Some(s.as_bytes().to_vec()),
        Value::Integer(_) | Value::Number(_) => {
            lua.coerce_string(v.clone()).ok().flatten().map(|s| s.as_bytes().to_vec())
        }
        _ => None,
    }
}

/// `redis.register_function(name, callback)`.
fn positional_args(lua: &Lua, name: &Value, callback: &Value) -> Result<Registered, &'static str> {
    let name = text_arg(lua, name).ok_or("first argument to redis.register_function must be a string")?;
    let Value::Function(func) = callback else {
        return Err("second argument to redis.register_function must be a function");
    };
    let name = String::from_utf8_lossy(&name).into_owned();
    Ok(Registered { name, description: None, flags: ScriptFlags::default(), func: func.clone() })
}

/// `redis.register_function{function_name=..., callback=..., flags={...}, description=...}`.
fn named_args(lua: &Lua, table: &Value) -> Result<Registered, &'static str> {
    let Value::Table(t) = table else {
        return Err(
            "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).",
        );
    };
    let (mut name, mut description, mut func, mut flags) = (None, None, None, ScriptFlags::default());
    let mut pairs = Vec::new();
    t.for_each(|k: Value, v: Value| {
        pairs.push((k, v));
        Ok(())
    })
    .map_err(|_| "named argument key given to redis.register_function is not a string")?;
    for (k, v) in pairs {
        let key = text_arg(lua, &k).ok_or("named argument key given to redis.register_function is not a string")?;
        match key.to_ascii_lowercase().as_slice() {
            b"function_name" => {
                name = Some(
                    text_arg(lua, &v)
                        .ok_or("function_name argument given to redis.register_function must be a string")?,
                );
            }
            b"description" => {
                description = Some(
                    text_arg(lua, &v)
                        .ok_or("description argument given to redis.register_function must be a string")?,
                );
            }
            b"callback" => match v {
                Value::Function(f) => func = Some(f),
                _ => return Err("callback argument given to redis.register_function must be a function"),
            },
            b"flags" => {
                let Value::Table(list) = v else {
                    return Err(
                        "flags argument to redis.register_function must be a table representing function flags",
                    );
                };
                flags = read_flags(lua, &list).ok_or("unknown flag given")?;
            }
            _ => return Err("unknown argument given to redis.register_function"),
        }
    }
    let name = name.ok_or("redis.register_function must get a function name argument")?;
    let func = func.ok_or("redis.register_function must get a callback argument")?;
    Ok(Registered { name: String::from_utf8_lossy(&name).into_owned(), description, flags, func })
}

/// The flags listed in `list` (names in any letter case); `None` for an unknown one.
fn read_flags(lua: &Lua, list: &Table) -> Option<ScriptFlags> {
    let mut flags = ScriptFlags::default();
    for i in 1.. {
        let v: Value = list.raw_get(i).ok()?;
        if v.is_nil() {
            break;
        }
        let name = text_arg(lua, &v)?.to_ascii_lowercase();
        flags.insert(ScriptFlags::named(&name)?);
    }
    Some(flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_metadata() {
        assert_eq!(
            metadata(b"#!lua name=lib\nx").map(|(n, b)| (n, b.to_vec())),
            Ok(("lib".to_owned(), b"\nx".to_vec()))
        );
        assert_eq!(metadata(b"return 1"), Err("Missing library metadata".to_owned()));
        assert_eq!(metadata(b"#!lua name=lib"), Err("Invalid library metadata".to_owned()));
        assert_eq!(metadata(b"#!lua\n"), Err("Library name was not given".to_owned()));
        assert_eq!(
            metadata(b"#!lua name=a name=b\n"),
            Err("Invalid metadata value, name argument was given multiple times".to_owned())
        );
        assert_eq!(metadata(b"#!lua foo=bar\n"), Err("Invalid metadata value given: foo=bar".to_owned()));
        assert_eq!(metadata(b"#!lua name=a-b\n"), Err(BAD_NAME.to_owned()));
        assert_eq!(metadata(b"#!js name=a\n"), Err("Engine 'js' not found".to_owned()));
    }

    #[test]
    fn load_call_and_replace() {
        struct Host;
        impl ScriptHost for Host {
            fn call(&mut self, _argv: &[&[u8]], _propagate: bool, out: &mut Reply) -> Result<(), String> {
                out.raw(b"+PONG\r\n");
                Ok(())
            }
        }
        let mut f = Functions::new().unwrap();
        let lib = "#!lua name=lib\nredis.register_function('f', function(keys, args) return {keys[1], args[1], redis.call('ping')} end)";
        assert_eq!(f.load(lib.as_bytes(), false), Ok("lib".to_owned()));
        assert_eq!(f.load(lib.as_bytes(), false), Err("ERR Library 'lib' already exists".to_owned()));
        assert_eq!(f.load(lib.as_bytes(), true), Ok("lib".to_owned()));
        let mut out = Reply::new(false);
        f.call(b"F", &[b"k"], &[b"a"], &mut Host, &mut out);
        assert_eq!(out.as_bytes(), b"*3\r\n$1\r\nk\r\n$1\r\na\r\n+PONG\r\n");
        let other = "#!lua name=other\nredis.register_function('f', function() return 1 end)";
        assert_eq!(f.load(other.as_bytes(), false), Err("ERR Function f already exists".to_owned()));
        assert_eq!(
            f.load(b"#!lua name=x\nlocal s = string.len('x')", false),
            Err("ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'string'".to_owned())
        );
        assert_eq!(f.load(b"#!lua name=x\nlocal a = 1", false), Err("ERR No functions registered".to_owned()));
        assert_eq!(
            f.load(b"#!lua name=x\nredis.register_function()", false),
            Err("ERR Error registering functions: ERR wrong number of arguments to redis.register_function".to_owned())
        );
        let mut out = Reply::new(false);
        let err = "#!lua name=e\nredis.register_function('h', function() return a end)";
        f.load(err.as_bytes(), false).unwrap();
        f.call(b"h", &[], &[], &mut Host, &mut out);
        assert_eq!(
            out.as_bytes(),
            b"-ERR user_function:2: Script attempted to access nonexistent global variable 'a' script: h, on @user_function:2.\r\n"
        );
    }
}
