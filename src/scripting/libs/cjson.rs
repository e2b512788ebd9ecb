//! `cjson`: JSON encoding and decoding with lua-cjson 2.1's behaviour as Redis ships it:
//! `encode`, `decode`, `null`, and the settings functions (`encode_max_depth`,
//! `decode_max_depth`, `encode_invalid_numbers`, `decode_invalid_numbers`,
//! `encode_number_precision`, `encode_sparse_array`, `encode_keep_buffer`).
//!
//! Tables whose keys are all positive integers encode as arrays (nil holes as `null`), unless
//! excessively sparse; other tables as objects, in Lua's iteration order. Numbers encode with
//! `%.14g`. Error texts are lua-cjson's.

use std::cell::Cell;
use std::rc::Rc;

use mlua::{LightUserData, Lua, MultiValue, Table, Value};

use super::{fail, type_name};

/// Nesting Lua's C stack allows whatever the setting (lua-cjson's `lua_checkstack` fails).
const STACK_DEPTH: i64 = 2600;

/// lua-cjson's settings (one set per Lua VM).
#[derive(Debug)]
struct Config {
    encode_max_depth: Cell<i64>,
    decode_max_depth: Cell<i64>,
    precision: Cell<i32>,
    /// 0: refuse NaN and Inf; 1: write them; 2: write `null`.
    encode_invalid: Cell<u8>,
    decode_invalid: Cell<bool>,
    sparse_convert: Cell<bool>,
    sparse_ratio: Cell<i64>,
    sparse_safe: Cell<i64>,
    keep_buffer: Cell<bool>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            encode_max_depth: Cell::new(1000),
            decode_max_depth: Cell::new(1000),
            precision: Cell::new(14),
            encode_invalid: Cell::new(0),
            decode_invalid: Cell::new(true),
            sparse_convert: Cell::new(false),
            sparse_ratio: Cell::new(2),
            sparse_safe: Cell::new(10),
            keep_buffer: Cell::new(true),
        }
    }
}

/// `cjson.null`: a light userdata holding NULL.
fn null() -> Value {
    Value::LightUserData(LightUserData(std::ptr::null_mut()))
}

/// Adds the `cjson` table to `globals`.
pub fn install(lua: &Lua, globals: &Table) -> mlua::Result<()> {
    let cfg = Rc::new(Config::default());
    let t = lua.create_table()?;
    let c = cfg.clone();
    t.raw_set(
        "encode",
        lua.create_function(move |lua, args: MultiValue| {
            if args.len() != 1 {
                return fail("bad argument #1 to 'encode' (expected 1 argument)");
            }
            let mut out = Vec::new();
            encode(lua, &c, &args[0], 0, &mut out)?;
            lua.create_string(&out)
        })?,
    )?;
    let c = cfg.clone();
    t.raw_set(
        "decode",
        lua.create_function(move |lua, args: MultiValue| {
            let Some(Value::String(s)) = args.front() else {
                return fail("bad argument #1 to 'decode' (string expected)");
            };
            let text = s.as_bytes();
            Decoder { lua, cfg: &c, text: &text, pos: 0, depth: 0 }.document()
        })?,
    )?;
    t.raw_set("null", null())?;
    t.raw_set("_NAME", "cjson")?;
    t.raw_set("_VERSION", "2.1.0")?;
    let c = cfg.clone();
    t.raw_set("encode_max_depth", depth_setting(lua, c, |c| &c.encode_max_depth, "encode_max_depth")?)?;
    let c = cfg.clone();
    t.raw_set("decode_max_depth", depth_setting(lua, c, |c| &c.decode_max_depth, "decode_max_depth")?)?;
    let c = cfg.clone();
    t.raw_set(
        "encode_number_precision",
        lua.create_function(move |_, n: Option<i32>| {
            if let Some(n) = n {
                if !(1..=14).contains(&n) {
                    return fail("bad argument #1 to 'encode_number_precision' (expected integer between 1 and 14)");
                }
                c.precision.set(n);
            }
            Ok(c.precision.get())
        })?,
    )?;
    let c = cfg.clone();
    t.raw_set(
        "encode_invalid_numbers",
        lua.create_function(move |_, v: Value| {
            match v {
                Value::Nil => {}
                Value::Boolean(b) => c.encode_invalid.set(u8::from(b)),
                Value::String(s) if s.as_bytes().as_ref() == b"null" => c.encode_invalid.set(2),
                Value::String(s) if s.as_bytes().as_ref() == b"on" => c.encode_invalid.set(1),
                Value::String(s) if s.as_bytes().as_ref() == b"off" => c.encode_invalid.set(0),
                _ => return fail("bad argument #1 to 'encode_invalid_numbers' (invalid option)"),
            }
            Ok(match c.encode_invalid.get() {
                0 => Value::Boolean(false),
                1 => Value::Boolean(true),
                _ => Value::Nil,
            })
        })?,
    )?;
    let c = cfg.clone();
    t.raw_set(
        "decode_invalid_numbers",
        lua.create_function(move |_, v: Option<bool>| {
            if let Some(b) = v {
                c.decode_invalid.set(b);
            }
            Ok(c.decode_invalid.get())
        })?,
    )?;
    let c = cfg.clone();
    t.raw_set(
        "encode_keep_buffer",
        lua.create_function(move |_, v: Option<bool>| {
            if let Some(b) = v {
                c.keep_buffer.set(b);
            }
            Ok(c.keep_buffer.get())
        })?,
    )?;
    let c = cfg;
    t.raw_set(
        "encode_sparse_array",
        lua.create_function(move |_, (convert, ratio, safe): (Option<bool>, Option<i64>, Option<i64>)| {
            if let Some(b) = convert {
                c.sparse_convert.set(b);
            }
            if let Some(r) = ratio {
                c.sparse_ratio.set(r);
            }
            if let Some(s) = safe {
                c.sparse_safe.set(s);
            }
            Ok((c.sparse_convert.get(), c.sparse_ratio.get(), c.sparse_safe.get()))
        })?,
    )?;
    globals.raw_set("cjson", t)
}

/// A setting function taking a depth of at least 1 and returning the current value.
fn depth_setting(
    lua: &Lua,
    cfg: Rc<Config>,
    field: fn(&Config) -> &Cell<i64>,
    name: &'static str,
) -> mlua::Result<mlua::Function> {
    lua.create_function(move |_, n: Option<f64>| {
        if let Some(n) = n {
            if n < 1.0 || n > f64::from(i32::MAX) {
                return fail(format!("bad argument #1 to '{name}' (expected integer between 1 and {})", i32::MAX));
            }
            field(&cfg).set(n as i64);
        }
        Ok(field(&cfg).get())
    })
}

fn encode(lua: &Lua, cfg: &Config, v: &Value, depth: i64, out: &mut Vec<u8>) -> mlua::Result<()> {
    match v {
        Value::Nil => out.extend_from_slice(b"null"),
        Value::LightUserData(p) if p.0.is_null() => out.extend_from_slice(b"null"),
        Value::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Integer(i) => number(cfg, *i as f64, out)?,
        Value::Number(n) => number(cfg, *n, out)?,
        Value::String(s) => string(&s.as_bytes(), out),
        Value::Table(t) => {
            let depth = depth + 1;
            if depth > cfg.encode_max_depth.get() || depth > STACK_DEPTH {
                return fail(format!("Cannot serialise, excessive nesting ({depth})"));
            }
            match array_length(cfg, t)? {
                Some(len) if len > 0 => {
                    out.push(b'[');
                    for i in 1..=len {
                        if i > 1 {
                            out.push(b',');
                        }
                        let item: Value = t.raw_get(i)?;
                        encode(lua, cfg, &item, depth, out)?;
                    }
                    out.push(b']');
                }
                _ => object(lua, cfg, t, depth, out)?,
            }
        }
        other => return fail(format!("Cannot serialise {}: type not supported", type_name(other))),
    }
    Ok(())
}

fn number(cfg: &Config, n: f64, out: &mut Vec<u8>) -> mlua::Result<()> {
    if !n.is_finite() {
        match cfg.encode_invalid.get() {
            0 => return fail("Cannot serialise number: must not be NaN or Inf"),
            2 => {
                out.extend_from_slice(b"null");
                return Ok(());
            }
            _ if n.is_nan() => {
                out.extend_from_slice(b"nan");
                return Ok(());
            }
            _ => {}
        }
    }
    out.extend_from_slice(crate::protocol::format_g(n, cfg.precision.get()).as_bytes());
    Ok(())
}

fn string(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in s {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' => out.extend_from_slice(b"\\/"),
            8 => out.extend_from_slice(b"\\b"),
            9 => out.extend_from_slice(b"\\t"),
            10 => out.extend_from_slice(b"\\n"),
            12 => out.extend_from_slice(b"\\f"),
            13 => out.extend_from_slice(b"\\r"),
            0..=0x1f | 0x7f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// The array length of `t` if every key is a positive integer (lua-cjson's
/// `lua_array_length`); an excessively sparse array is an error unless converting.
fn array_length(cfg: &Config, t: &Table) -> mlua::Result<Option<usize>> {
    let (mut max, mut items, mut array) = (0f64, 0f64, true);
    t.for_each(|k: Value, _: Value| {
        let n = match k {
            Value::Integer(i) => i as f64,
            Value::Number(n) => n,
            _ => f64::NAN,
        };
        if n.is_nan() || n < 1.0 || n.floor() != n {
            array = false;
        } else {
            max = max.max(n);
            items += 1.0;
        }
        Ok(())
    })?;
    if !array {
        return Ok(None);
    }
    let ratio = cfg.sparse_ratio.get() as f64;
    if ratio > 0.0 && max > items * ratio && max > cfg.sparse_safe.get() as f64 {
        if !cfg.sparse_convert.get() {
            return fail("Cannot serialise table: excessively sparse array");
        }
        return Ok(None);
    }
    Ok(Some(max as usize))
}

fn object(lua: &Lua, cfg: &Config, t: &Table, depth: i64, out: &mut Vec<u8>) -> mlua::Result<()> {
    out.push(b'{');
    let mut first = true;
    t.for_each(|k: Value, v: Value| {
        if !first {
            out.push(b',');
        }
        first = false;
        match &k {
            Value::String(s) => string(&s.as_bytes(), out),
            Value::Integer(_) | Value::Number(_) => {
                let n = match k {
                    Value::Integer(i) => i as f64,
                    Value::Number(n) => n,
                    _ => 0.0,
                };
                out.push(b'"');
                number(cfg, n, out)?;
                out.push(b'"');
            }
            other => {
                return fail(format!("Cannot serialise {}: table key must be a number or string", type_name(other)));
            }
        }
        out.push(b':');
        encode(lua, cfg, &v, depth, out)
    })?;
    out.push(b'}');
    Ok(())
}

/// A JSON text being decoded into Lua values.
struct Decoder<'a> {
    lua: &'a Lua,
    cfg: &'a Config,
    text: &'a [u8],
    pos: usize,
    depth: i64,
}

/// A token's name as lua-cjson prints it in errors.
fn token_name(b: Option<u8>) -> &'static str {
    match b {
        None => "T_END",
        Some(b'{') => "T_OBJ_BEGIN",
        Some(b'}') => "T_OBJ_END",
        Some(b'[') => "T_ARR_BEGIN",
        Some(b']') => "T_ARR_END",
        Some(b'"') => "T_STRING",
        Some(b'-' | b'0'..=b'9') => "T_NUMBER",
        Some(b't' | b'f') => "T_BOOLEAN",
        Some(b'n') => "T_NULL",
        Some(b':') => "T_COLON",
        Some(b',') => "T_COMMA",
        _ => "invalid token",
    }
}

impl Decoder<'_> {
    fn skip_space(&mut self) {
        while self.text.get(self.pos).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expected<T>(&self, what: &str) -> mlua::Result<T> {
        let found = token_name(self.text.get(self.pos).copied());
        fail(format!("Expected {what} but found {found} at character {}", self.pos + 1))
    }

    fn document(&mut self) -> mlua::Result<Value> {
        let v = self.value()?;
        self.skip_space();
        if self.pos < self.text.len() {
            return self.expected("the end");
        }
        Ok(v)
    }

    fn descend(&mut self) -> mlua::Result<()> {
        self.depth += 1;
        if self.depth > self.cfg.decode_max_depth.get() || self.depth > STACK_DEPTH {
            return fail(format!(
                "Found too many nested data structures ({}) at character {}",
                self.depth,
                self.pos + 1
            ));
        }
        Ok(())
    }

    fn value(&mut self) -> mlua::Result<Value> {
        self.skip_space();
        let Some(&b) = self.text.get(self.pos) else { return self.expected("value") };
        match b {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => Ok(Value::String(self.lua.create_string(self.string()?)?)),
            b'-' | b'0'..=b'9' | b'i' | b'I' | b'N' => self.number(),
            b'n' if self.text[self.pos..].starts_with(b"nan") => self.number(),
            _ => {
                for (word, v) in
                    [(&b"true"[..], Value::Boolean(true)), (b"false", Value::Boolean(false)), (b"null", null())]
                {
                    if self.text[self.pos..].starts_with(word) {
                        self.pos += word.len();
                        return Ok(v);
                    }
                }
                self.expected("value")
            }
        }
    }

    fn number(&mut self) -> mlua::Result<Value> {
        let start = self.pos;
        while self.text.get(self.pos).is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.')) {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.text[start..self.pos]).unwrap_or("");
        let lower = text.to_ascii_lowercase();
        let special = matches!(lower.trim_start_matches('-'), "nan" | "inf" | "infinity");
        match text.parse::<f64>() {
            Ok(n) if !special || self.cfg.decode_invalid.get() => Ok(Value::Number(n)),
            _ => {
                self.pos = start;
                fail(format!("Expected value but found invalid number at character {}", start + 1))
            }
        }
    }

    fn string(&mut self) -> mlua::Result<Vec<u8>> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(&b) = self.text.get(self.pos) else {
                return fail(format!("Expected value but found unexpected end of string at character {}", start + 1));
            };
            self.pos += 1;
            match b {
                b'"' => return Ok(out),
                b'\\' => {
                    let Some(&e) = self.text.get(self.pos) else { continue };
                    self.pos += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => self.unicode(&mut out, start)?,
                        _ => {
                            return fail(format!(
                                "Expected value but found invalid escape code at character {}",
                                start + 1
                            ));
                        }
                    }
                }
                _ => out.push(b),
            }
        }
    }

    /// A `\uXXXX` escape (a surrogate pair takes two), appended as UTF-8.
    fn unicode(&mut self, out: &mut Vec<u8>, start: usize) -> mlua::Result<()> {
        let bad = || fail(format!("Expected value but found invalid unicode escape code at character {}", start + 1));
        let hex = |d: &Self, at: usize| -> Option<u32> {
            std::str::from_utf8(d.text.get(at..at + 4)?).ok().and_then(|h| u32::from_str_radix(h, 16).ok())
        };
        let Some(mut cp) = hex(self, self.pos) else { return bad() };
        self.pos += 4;
        if (0xD800..0xDC00).contains(&cp) {
            if self.text.get(self.pos..self.pos + 2) != Some(b"\\u") {
                return bad();
            }
            let Some(low) = hex(self, self.pos + 2).filter(|l| (0xDC00..0xE000).contains(l)) else { return bad() };
            self.pos += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (0xDC00..0xE000).contains(&cp) {
            return bad();
        }
        let Some(c) = char::from_u32(cp) else { return bad() };
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    fn object(&mut self) -> mlua::Result<Value> {
        self.descend()?;
        self.pos += 1;
        let t = self.lua.create_table()?;
        self.skip_space();
        if self.text.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Table(t));
        }
        loop {
            self.skip_space();
            if self.text.get(self.pos) != Some(&b'"') {
                return self.expected("object key string");
            }
            let key = self.string()?;
            self.skip_space();
            if self.text.get(self.pos) != Some(&b':') {
                return self.expected("colon");
            }
            self.pos += 1;
            let v = self.value()?;
            t.raw_set(self.lua.create_string(&key)?, v)?;
            self.skip_space();
            match self.text.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::Table(t));
                }
                _ => return self.expected("comma or object end"),
            }
        }
    }

    fn array(&mut self) -> mlua::Result<Value> {
        self.descend()?;
        self.pos += 1;
        let t = self.lua.create_table()?;
        self.skip_space();
        if self.text.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Table(t));
        }
        let mut i = 1;
        loop {
            let v = self.value()?;
            t.raw_set(i, v)?;
            i += 1;
            self.skip_space();
            match self.text.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::Table(t));
                }
                _ => return self.expected("comma or array end"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(lua: &Lua, code: &str) -> String {
        lua.load(code).eval::<String>().unwrap()
    }

    #[test]
    fn encodes_and_decodes_like_lua_cjson() {
        let lua = Lua::new();
        install(&lua, &lua.globals()).unwrap();
        assert_eq!(eval(&lua, "return cjson.encode({1, 2.5, 'a/b', true, cjson.null})"), "[1,2.5,\"a\\/b\",true,null]");
        assert_eq!(eval(&lua, "return cjson.encode({})"), "{}");
        assert_eq!(eval(&lua, "return cjson.encode({[1]='a', [3]='c'})"), "[\"a\",null,\"c\"]");
        assert_eq!(eval(&lua, "return cjson.encode(0.1)"), "0.1");
        assert_eq!(
            eval(&lua, "return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')"),
            "0 -5000 -1 0.0003 1023.2 0"
        );
        assert_eq!(eval(&lua, "local t = cjson.decode('{\"a\": {\"b\": [1, \"\\\\u00e9\"]}}') return t.a.b[2]"), "é");
        assert_eq!(eval(&lua, "return tostring(cjson.decode('null') == cjson.null)"), "true");
        let err = lua.load("return cjson.decode('[1,')").exec().unwrap_err().to_string();
        assert!(err.contains("Expected value but found T_END at character 4"), "{err}");
        let err = lua.load("cjson.encode({[1]=1, [100]=2})").exec().unwrap_err().to_string();
        assert!(err.contains("Cannot serialise table: excessively sparse array"), "{err}");
        let err = lua.load("cjson.decode_max_depth(1) cjson.decode('[[1]]')").exec().unwrap_err().to_string();
        assert!(err.contains("Found too many nested data structures (2) at character 2"), "{err}");
    }
}
