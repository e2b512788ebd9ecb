//! `redis.call` and `redis.pcall` on the Lua C API, as Redis's `luaRedisGenericCommand`: the
//! arguments are read where they lie on the Lua stack, the command runs through the host, and
//! the reply is pushed back as Lua values (Redis's `redisProtocolToLuaType`).
//!
//! They are C functions rather than mlua callbacks because this is a script's hot path: an mlua
//! callback takes a reference per argument and per reply value, and cannot take the thousands of
//! arguments a script may pass. A C function is also what Lua 5.1 needs for `return
//! redis.call(...)` to keep the script's frame, so the error handler finds the script's line.
//!
//! Unwinding: [`call`] raises the error table with `lua_error` only after every Rust value of
//! the call has been dropped. The pushes themselves can raise only Lua's out-of-memory error
//! (new tables have no metatables and nil keys are skipped), which this VM treats as mlua does
//! without a memory limit: as not happening (the allocator aborts first).

use std::ffi::{CStr, c_int, c_void};

use mlua::ffi::{self, lua_State};
use mlua::{Function, Lua};

use super::convert::error_text;
use super::{RunState, with_host};
use crate::protocol::{Reply, format_double};

/// The largest reply whose buffer `redis.call` keeps for the next call.
const KEPT_REPLY_BYTES: usize = 16 * 1024;

/// Creates `redis.call` (`raise` true: an error reply is raised) or `redis.pcall` (returned), reading
/// the run state at `run`, which must outlive the VM.
pub(super) fn create(lua: &Lua, run: *const RunState, raise: bool) -> mlua::Result<Function> {
    let function: ffi::lua_CFunction = if raise { call } else { pcall };
    // SAFETY: pushes a light userdata and a C closure over it, inside mlua's protected call.
    unsafe {
        lua.exec_raw((), |state| {
            ffi::lua_pushlightuserdata(state, run.cast_mut().cast::<c_void>());
            ffi::lua_pushcclosure(state, function, 1);
        })
    }
}

/// `redis.call`.
///
/// # Safety
/// Called by Lua only, as a C closure made by [`create`].
unsafe extern "C-unwind" fn call(state: *mut lua_State) -> c_int {
    // SAFETY: see the function's contract; `run_command` leaves the result on top.
    unsafe {
        if run_command(state) {
            ffi::lua_error(state);
        }
    }
    1
}

/// `redis.pcall`: as [`call`], with the error table returned.
///
/// # Safety
/// Called by Lua only, as a C closure made by [`create`].
unsafe extern "C-unwind" fn pcall(state: *mut lua_State) -> c_int {
    // SAFETY: see the function's contract.
    unsafe { run_command(state) };
    1
}

/// Runs the command whose arguments are on the stack and pushes its reply; returns whether the
/// reply is an error.
///
/// # Safety
/// `state` is in a C closure made by [`create`], whose upvalue points to a live [`RunState`].
unsafe fn run_command(state: *mut lua_State) -> bool {
    // SAFETY: the upvalue is the pointer `create` stored; the arguments are the stack's slots.
    unsafe {
        let run = &*(ffi::lua_touserdata(state, ffi::lua_upvalueindex(1)) as *const RunState);
        let argc = ffi::lua_gettop(state);
        if argc == 0 {
            push_error(state, b"Please specify at least one argument for this redis lib call", false);
            return true;
        }
        let Some(numbers) = number_texts(state, argc) else {
            push_error(state, b"Lua redis lib command arguments must be strings or integers", false);
            return true;
        };
        let argv = arguments(state, argc, &numbers);
        // The buffer is out of the cell while in use: commands never run scripts, so there is
        // no nested call to find it missing (one would just allocate another).
        let mut reply = run.reply.take().unwrap_or_else(|| Reply::new(false));
        reply.clear();
        reply.set_resp3(run.resp3.get());
        let outcome = with_host(run, |host| host.call(&argv, run.repl.get() != 0, &mut reply));
        let failed = match outcome {
            None => {
                push_table_with(state, c"err", b"ERR redis.call/pcall can only be called inside a script invocation");
                true
            }
            Some(Err(text)) => {
                push_error(state, text.as_bytes(), true);
                true
            }
            Some(Ok(())) => {
                let bytes = reply.as_bytes();
                Parser { buf: bytes, pos: 0 }.push(state, true);
                bytes.first() == Some(&b'-')
            }
        };
        // A big reply's buffer is not kept: it would hold its memory until the next call.
        if reply.len() <= KEPT_REPLY_BYTES {
            run.reply.set(Some(reply));
        }
        failed
    }
}

/// The text of each number among the arguments in slots `1..=argc`, formatted as Redis does
/// (`%.17g`: Lua's own formatting loses precision); `None` when an argument is neither a
/// string nor a number.
///
/// # Safety
/// Slots `1..=argc` exist.
unsafe fn number_texts(state: *mut lua_State, argc: c_int) -> Option<Vec<String>> {
    let mut numbers = Vec::new();
    for i in 1..=argc {
        // SAFETY: slot `i` exists.
        match unsafe { ffi::lua_type(state, i) } {
            ffi::LUA_TSTRING => {}
            // SAFETY: as above.
            ffi::LUA_TNUMBER => numbers.push(format_double(unsafe { ffi::lua_tonumber(state, i) })),
            _ => return None,
        }
    }
    Some(numbers)
}

/// The arguments in slots `1..=argc`, all strings or numbers, the numbers taken in order from
/// `numbers` ([`number_texts`]).
///
/// # Safety
/// The strings borrowed stay valid while they are on the stack, i.e. for the whole call.
unsafe fn arguments(state: *mut lua_State, argc: c_int, numbers: &[String]) -> Vec<&[u8]> {
    let mut numbers = numbers.iter();
    let mut argv = Vec::with_capacity(argc as usize);
    for i in 1..=argc {
        // SAFETY: slot `i` exists; `lua_tolstring` is only used on strings, so it never
        // converts a number in place.
        unsafe {
            if ffi::lua_type(state, i) == ffi::LUA_TSTRING {
                let mut len = 0;
                let ptr = ffi::lua_tolstring(state, i, &mut len);
                argv.push(std::slice::from_raw_parts(ptr.cast::<u8>(), len));
            } else {
                argv.push(numbers.next().map_or(&b""[..], |n| n.as_bytes()));
            }
        }
    }
    argv
}

/// Pushes the error table `{err = text}` for an error as Redis holds it (see [`error_text`]),
/// marked as already counted when the command itself failed.
unsafe fn push_error(state: *mut lua_State, raw: &[u8], counted: bool) {
    // SAFETY: a C function has LUA_MINSTACK free slots; this uses two.
    unsafe {
        push_table_with(state, c"err", &error_text(raw));
        if counted {
            ffi::lua_pushboolean(state, 1);
            ffi::lua_setfield(state, -2, c"ignore_error_stats_update".as_ptr());
        }
    }
}

/// Pushes a new table holding the string `value` at `key`.
unsafe fn push_table_with(state: *mut lua_State, key: &CStr, value: &[u8]) {
    // SAFETY: two slots, within LUA_MINSTACK or checked by the caller.
    unsafe {
        ffi::lua_createtable(state, 0, 1);
        push_bytes(state, value);
        ffi::lua_setfield(state, -2, key.as_ptr());
    }
}

/// Pushes `bytes` as a Lua string.
unsafe fn push_bytes(state: *mut lua_State, bytes: &[u8]) {
    // SAFETY: one slot; Lua copies the bytes.
    unsafe { ffi::lua_pushlstring(state, bytes.as_ptr().cast(), bytes.len()) };
}

/// A reading position in a reply the server itself encoded.
struct Parser<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    /// The rest of the current line, after its type byte; moves past its CRLF.
    fn line(&mut self) -> &'a [u8] {
        let rest = &self.buf[self.pos.min(self.buf.len())..];
        let end = rest.windows(2).position(|w| w == b"\r\n").unwrap_or(rest.len());
        self.pos += end + 2;
        &rest[..end]
    }

    fn number(&mut self) -> i64 {
        std::str::from_utf8(self.line()).ok().and_then(|s| s.parse().ok()).unwrap_or(0)
    }

    /// `len` payload bytes and their CRLF.
    fn payload(&mut self, len: usize) -> &'a [u8] {
        let start = self.pos.min(self.buf.len());
        let end = (start + len).min(self.buf.len());
        self.pos = end + 2;
        &self.buf[start..end]
    }

    /// Reads the next reply and, when `live`, pushes it as one Lua value (Redis's
    /// `redisProtocolToLuaType`): statuses become `{ok=...}`, errors `{err=...}`, null bulk
    /// strings and arrays `false`, RESP3 nulls `nil`, doubles `{double=...}`, maps
    /// `{map={...}}`, sets `{set={member=true}}`, big numbers `{big_number=...}`, verbatim
    /// strings `{verbatim_string={format=...,string=...}}`. Attributes are read and dropped.
    /// A value nested past the room Lua's stack has is read and dropped too (`live` false).
    ///
    /// # Safety
    /// When `live`, the stack has room for one value (LUA_MINSTACK in the C function, and each
    /// aggregate checks room for its items).
    unsafe fn push(&mut self, state: *mut lua_State, live: bool) {
        let Some(&kind) = self.buf.get(self.pos) else {
            // SAFETY: room for one value, per the contract.
            return push_if(live, || unsafe { ffi::lua_pushnil(state) });
        };
        self.pos += 1;
        // SAFETY: every branch pushes exactly one value when `live`, using at most four slots
        // of which aggregates check the room for their items.
        unsafe {
            match kind {
                b'+' => {
                    let text = self.line();
                    push_if(live, || push_table_with(state, c"ok", text));
                }
                b'-' => {
                    let raw = [b"-", self.line()].concat();
                    push_if(live, || push_error(state, &raw, true));
                }
                b':' => {
                    let n = self.number();
                    push_if(live, || ffi::lua_pushnumber(state, n as f64));
                }
                b'$' => match usize::try_from(self.number()) {
                    Ok(len) => {
                        let bytes = self.payload(len);
                        push_if(live, || push_bytes(state, bytes));
                    }
                    Err(_) => push_if(live, || ffi::lua_pushboolean(state, 0)),
                },
                b'=' => {
                    let len = usize::try_from(self.number()).unwrap_or(0);
                    let data = self.payload(len);
                    let (format, text) = data.split_at(data.len().min(4));
                    push_if(live, || {
                        ffi::lua_createtable(state, 0, 1);
                        ffi::lua_createtable(state, 0, 2);
                        push_bytes(state, text);
                        ffi::lua_setfield(state, -2, c"string".as_ptr());
                        push_bytes(state, &format[..format.len().min(3)]);
                        ffi::lua_setfield(state, -2, c"format".as_ptr());
                        ffi::lua_setfield(state, -2, c"verbatim_string".as_ptr());
                    });
                }
                b'*' | b'>' => match usize::try_from(self.number()) {
                    Ok(n) => {
                        let live = room(state, live);
                        push_if(live, || ffi::lua_createtable(state, c_int::try_from(n).unwrap_or(0), 0));
                        for i in 1..=n {
                            self.push(state, live);
                            push_if(live, || match c_int::try_from(i) {
                                Ok(i) => ffi::lua_rawseti_(state, -2, i),
                                Err(_) => ffi::lua_settop(state, -2),
                            });
                        }
                    }
                    Err(_) => push_if(live, || ffi::lua_pushboolean(state, 0)),
                },
                b'%' | b'~' => {
                    let n = usize::try_from(self.number()).unwrap_or(0);
                    let live = room(state, live);
                    push_if(live, || {
                        ffi::lua_createtable(state, 0, 1);
                        ffi::lua_createtable(state, 0, c_int::try_from(n).unwrap_or(0));
                    });
                    for _ in 0..n {
                        self.push(state, live);
                        if kind == b'%' {
                            self.push(state, live);
                        } else {
                            push_if(live, || ffi::lua_pushboolean(state, 1));
                        }
                        push_if(live, || {
                            // A nil key cannot be stored (Lua would raise); Redis skips it too.
                            if ffi::lua_type(state, -2) == ffi::LUA_TNIL {
                                ffi::lua_settop(state, -3);
                            } else {
                                ffi::lua_rawset(state, -3);
                            }
                        });
                    }
                    let key = if kind == b'%' { c"map" } else { c"set" };
                    push_if(live, || ffi::lua_setfield(state, -2, key.as_ptr()));
                }
                b'|' => {
                    let n = usize::try_from(self.number()).unwrap_or(0);
                    for _ in 0..2 * n {
                        self.push(state, false);
                    }
                    self.push(state, live);
                }
                b'_' => {
                    self.line();
                    push_if(live, || ffi::lua_pushnil(state));
                }
                b'#' => {
                    let yes = self.line() == b"t";
                    push_if(live, || ffi::lua_pushboolean(state, c_int::from(yes)));
                }
                b',' => {
                    let text = self.line();
                    let d = std::str::from_utf8(text).ok().and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
                    push_if(live, || {
                        ffi::lua_createtable(state, 0, 1);
                        ffi::lua_pushnumber(state, d);
                        ffi::lua_setfield(state, -2, c"double".as_ptr());
                    });
                }
                b'(' => {
                    let text = self.line();
                    push_if(live, || push_table_with(state, c"big_number", text));
                }
                _ => push_if(live, || ffi::lua_pushnil(state)),
            }
        }
    }
}

/// Whether an aggregate being pushed (`live`) has room on the stack for itself, an item, a key
/// and a value; without it, `nil` takes its place and its items are read and dropped.
///
/// # Safety
/// When `live`, the stack has room for one value.
unsafe fn room(state: *mut lua_State, live: bool) -> bool {
    // SAFETY: `lua_checkstack` only grows the stack; `nil` uses the slot the caller has.
    unsafe {
        if live && ffi::lua_checkstack(state, 5) == 0 {
            ffi::lua_pushnil(state);
            return false;
        }
    }
    live
}

/// Runs `push` when `live` (the parser reads a dropped value without touching the stack).
fn push_if(live: bool, push: impl FnOnce()) {
    if live {
        push();
    }
}

#[cfg(test)]
mod tests {
    use mlua::{Table, Value};

    use super::*;

    /// The Lua value the reply `bytes` becomes.
    fn parse(lua: &Lua, bytes: &[u8]) -> Value {
        // SAFETY: a protected call with a fresh stack pushes one value.
        unsafe { lua.exec_raw((), |state| Parser { buf: bytes, pos: 0 }.push(state, true)) }.expect("pushed")
    }

    #[test]
    fn replies_become_lua_values() {
        let lua = Lua::new();
        let Value::Table(t) = parse(&lua, b"*4\r\n:1\r\n$-1\r\n$3\r\nabc\r\n+OK\r\n") else { panic!("not a table") };
        assert_eq!(t.raw_get::<f64>(1).unwrap(), 1.0);
        assert!(!t.raw_get::<bool>(2).unwrap());
        assert_eq!(t.raw_get::<String>(3).unwrap(), "abc");
        let ok: Table = t.raw_get(4).unwrap();
        assert_eq!(ok.raw_get::<String>("ok").unwrap(), "OK");
        let Value::Table(e) = parse(&lua, b"-ERR bad\r\n") else { panic!("not a table") };
        assert_eq!(e.raw_get::<String>("err").unwrap(), "ERR bad");
        assert!(e.raw_get::<bool>("ignore_error_stats_update").unwrap());
        let Value::Table(m) = parse(&lua, b"%1\r\n$1\r\nk\r\n,1.5\r\n") else { panic!("not a table") };
        let inner: Table = m.raw_get("map").unwrap();
        let d: Table = inner.raw_get("k").unwrap();
        assert_eq!(d.raw_get::<f64>("double").unwrap(), 1.5);
    }

    #[test]
    fn sets_attributes_and_nulls_follow_redis() {
        let lua = Lua::new();
        let Value::Table(s) = parse(&lua, b"~3\r\n$1\r\na\r\n_\r\n:7\r\n") else { panic!("not a table") };
        let members: Table = s.raw_get("set").unwrap();
        assert!(members.raw_get::<bool>("a").unwrap() && members.raw_get::<bool>(7).unwrap());
        assert_eq!(members.pairs::<Value, Value>().count(), 2, "the nil member is skipped");
        let attributed = parse(&lua, b"|1\r\n+key\r\n*1\r\n:1\r\n#t\r\n");
        assert_eq!(attributed, Value::Boolean(true));
        assert_eq!(parse(&lua, b"*-1\r\n"), Value::Boolean(false));
        assert_eq!(parse(&lua, b"_\r\n"), Value::Nil);
        let Value::Table(v) = parse(&lua, b"=7\r\ntxt:abc\r\n") else { panic!("not a table") };
        let inner: Table = v.raw_get("verbatim_string").unwrap();
        assert_eq!(
            (inner.raw_get::<String>("format").unwrap(), inner.raw_get::<String>("string").unwrap()),
            ("txt".into(), "abc".into())
        );
    }
}
