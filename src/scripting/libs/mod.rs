//! The libraries Redis embeds in its Lua (cjson, bit, cmsgpack, struct), written in Rust with
//! the behaviour Redis's scripts rely on. Each `install` adds one global table; the sandbox
//! then makes it read-only.

pub mod bit;
pub mod cjson;
pub mod cmsgpack;

use mlua::{Lua, Value};

/// A Lua error raised with a plain message (what C's `luaL_error` from a library raises).
pub(crate) fn fail<T>(msg: impl Into<String>) -> mlua::Result<T> {
    Err(mlua::Error::RuntimeError(msg.into()))
}

/// Lua's type name of `v`, as error messages print it.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Nil => "nil",
        Value::Boolean(_) => "boolean",
        Value::Integer(_) | Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Table(_) => "table",
        Value::Function(_) => "function",
        Value::Thread(_) => "thread",
        Value::LightUserData(_) | Value::UserData(_) => "userdata",
        _ => "userdata",
    }
}

/// A number argument (numeric strings convert, as `luaL_checknumber` does); `None` when it
/// was not given.
pub(crate) fn number_arg(lua: &Lua, v: Option<&Value>, arg: usize, func: &str) -> mlua::Result<f64> {
    let got = match v {
        None => "no value",
        Some(Value::Integer(i)) => return Ok(*i as f64),
        Some(Value::Number(n)) => return Ok(*n),
        Some(v @ Value::String(_)) => match lua.coerce_number(v.clone())? {
            Some(n) => return Ok(n),
            None => "string",
        },
        Some(other) => type_name(other),
    };
    fail(format!("bad argument #{arg} to '{func}' (number expected, got {got})"))
}
