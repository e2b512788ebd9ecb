//! `cmsgpack`: MessagePack with lua-cmsgpack 0.4's behaviour as Redis ships it: `pack` (several
//! values concatenated), `unpack`, `unpack_one`, `unpack_limit`.
//!
//! Whole numbers pack as the smallest integer type, others as a float when one holds them
//! exactly, else a double; tables keyed exactly 1..n pack as arrays, others as maps; tables
//! nested 16 deep pack as nil (so cycles end).

use mlua::{Lua, MultiValue, Table, Value};

use super::fail;

/// Deepest table level packed (lua-cmsgpack's LUACMSGPACK_MAX_NESTING).
const MAX_NESTING: usize = 16;
/// Most values one unpack returns.
const MAX_RESULTS: usize = 7000;

/// Adds the `cmsgpack` table to `globals`.
pub fn install(lua: &Lua, globals: &Table) -> mlua::Result<()> {
    let t = lua.create_table()?;
    t.raw_set(
        "pack",
        lua.create_function(|_, args: MultiValue| {
            if args.is_empty() {
                return fail("bad argument #0 to 'pack' (MessagePack pack needs input.)");
            }
            let mut out = Vec::new();
            for v in &args {
                pack(v, 0, &mut out)?;
            }
            Ok(mlua::BString::from(out))
        })?,
    )?;
    t.raw_set("unpack", lua.create_function(|lua, s: mlua::String| unpack(lua, &s.as_bytes(), 0, 0, false))?)?;
    t.raw_set(
        "unpack_one",
        lua.create_function(|lua, (s, offset): (mlua::String, Option<i64>)| {
            unpack(lua, &s.as_bytes(), 1, offset.unwrap_or(0), true)
        })?,
    )?;
    t.raw_set(
        "unpack_limit",
        lua.create_function(|lua, (s, limit, offset): (mlua::String, i64, Option<i64>)| {
            unpack(lua, &s.as_bytes(), limit, offset.unwrap_or(0), true)
        })?,
    )?;
    t.raw_set("_NAME", "cmsgpack")?;
    t.raw_set("_VERSION", "lua-cmsgpack 0.4.0")?;
    t.raw_set("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo")?;
    t.raw_set("_DESCRIPTION", "MessagePack C implementation for Lua")?;
    globals.raw_set("cmsgpack", t)
}

fn pack(v: &Value, level: usize, out: &mut Vec<u8>) -> mlua::Result<()> {
    match v {
        Value::String(s) => {
            let s = s.as_bytes();
            let len = s.len();
            if len < 32 {
                out.push(0xa0 | len as u8);
            } else if len <= 0xff {
                out.extend_from_slice(&[0xd9, len as u8]);
            } else if len <= 0xffff {
                out.push(0xda);
                out.extend_from_slice(&(len as u16).to_be_bytes());
            } else {
                out.push(0xdb);
                out.extend_from_slice(&(len as u32).to_be_bytes());
            }
            out.extend_from_slice(&s);
        }
        Value::Boolean(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
        Value::Integer(i) => pack_int(*i, out),
        Value::Number(n) => {
            // An exact int64 packs as one (C's `(int64_t)n == n`).
            let i = *n as i64;
            if n.is_finite() && i as f64 == *n && *n < 9.223_372_036_854_776e18 {
                pack_int(i, out);
            } else if f64::from(*n as f32) == *n {
                out.push(0xca);
                out.extend_from_slice(&(*n as f32).to_be_bytes());
            } else {
                out.push(0xcb);
                out.extend_from_slice(&n.to_be_bytes());
            }
        }
        Value::Table(t) if level < MAX_NESTING => pack_table(t, level, out)?,
        _ => out.push(0xc0),
    }
    Ok(())
}

fn pack_int(n: i64, out: &mut Vec<u8>) {
    match n {
        0..=127 => out.push(n as u8),
        128..=0xff => out.extend_from_slice(&[0xcc, n as u8]),
        0x100..=0xffff => {
            out.push(0xcd);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(0xce);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        0x1_0000_0000.. => {
            out.push(0xcf);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
        -32..=-1 => out.push(n as i8 as u8),
        -128..=-33 => out.extend_from_slice(&[0xd0, n as i8 as u8]),
        -32768..=-129 => {
            out.push(0xd1);
            out.extend_from_slice(&(n as i16).to_be_bytes());
        }
        -2_147_483_648..=-32769 => {
            out.push(0xd2);
            out.extend_from_slice(&(n as i32).to_be_bytes());
        }
        _ => {
            out.push(0xd3);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
}

/// A header of `n` items: fix form up to 15, then 16 or 32 bits (`fix` is 0x90 or 0x80).
fn pack_len(n: usize, fix: u8, out: &mut Vec<u8>) {
    if n <= 15 {
        out.push(fix | n as u8);
    } else if n <= 0xffff {
        out.push(if fix == 0x90 { 0xdc } else { 0xde });
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(if fix == 0x90 { 0xdd } else { 0xdf });
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

fn pack_table(t: &Table, level: usize, out: &mut Vec<u8>) -> mlua::Result<()> {
    // lua-cmsgpack's table_is_an_array: every key a positive int, the largest equal to the count.
    let (mut count, mut max, mut array) = (0i64, 0i64, true);
    t.for_each(|k: Value, _: Value| {
        let index = match k {
            Value::Integer(i) if i > 0 && i <= i64::from(i32::MAX) => Some(i),
            Value::Number(n) if n > 0.0 && n <= f64::from(i32::MAX) && n.fract() == 0.0 => Some(n as i64),
            _ => None,
        };
        match index {
            Some(i) => max = max.max(i),
            None => array = false,
        }
        count += 1;
        Ok(())
    })?;
    let count = usize::try_from(count).unwrap_or(0);
    if array && max as usize == count {
        pack_len(count, 0x90, out);
        for i in 1..=count {
            let v: Value = t.get(i)?;
            pack(&v, level + 1, out)?;
        }
    } else {
        pack_len(count, 0x80, out);
        t.for_each(|k: Value, v: Value| {
            pack(&k, level + 1, out)?;
            pack(&v, level + 1, out)
        })?;
    }
    Ok(())
}

/// Why decoding stopped.
enum Stop {
    Missing,
    Bad,
}

/// A reading position in packed bytes.
struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], Stop> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or(Stop::Missing)?;
        let bytes = &self.buf[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    fn be(&mut self, n: usize) -> Result<u64, Stop> {
        Ok(self.take(n)?.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    fn value(&mut self, lua: &Lua) -> Result<mlua::Result<Value>, Stop> {
        let kind = self.take(1)?[0];
        let v = match kind {
            0x00..=0x7f => Value::Number(f64::from(kind)),
            0xe0..=0xff => Value::Number(f64::from(kind as i8)),
            0xcc => Value::Number(self.be(1)? as f64),
            0xcd => Value::Number(self.be(2)? as f64),
            0xce => Value::Number(self.be(4)? as f64),
            0xcf => Value::Number(self.be(8)? as f64),
            0xd0 => Value::Number(f64::from(self.be(1)? as u8 as i8)),
            0xd1 => Value::Number(f64::from(self.be(2)? as u16 as i16)),
            0xd2 => Value::Number(f64::from(self.be(4)? as u32 as i32)),
            0xd3 => Value::Number(self.be(8)? as i64 as f64),
            0xc0 => Value::Nil,
            0xc2 => Value::Boolean(false),
            0xc3 => Value::Boolean(true),
            0xca => Value::Number(f64::from(f32::from_bits(self.be(4)? as u32))),
            0xcb => Value::Number(f64::from_bits(self.be(8)?)),
            0xa0..=0xbf | 0xd9 | 0xda | 0xdb => {
                let len = match kind {
                    0xd9 => self.be(1)?,
                    0xda => self.be(2)?,
                    0xdb => self.be(4)?,
                    _ => u64::from(kind & 0x1f),
                };
                let bytes = self.take(usize::try_from(len).map_err(|_| Stop::Missing)?)?;
                return Ok(lua.create_string(bytes).map(Value::String));
            }
            0x90..=0x9f | 0xdc | 0xdd | 0x80..=0x8f | 0xde | 0xdf => {
                let map = matches!(kind, 0x80..=0x8f | 0xde | 0xdf);
                let len = match kind {
                    0xdc | 0xde => self.be(2)?,
                    0xdd | 0xdf => self.be(4)?,
                    _ => u64::from(kind & 0x0f),
                };
                return self.aggregate(lua, len, map);
            }
            _ => return Err(Stop::Bad),
        };
        Ok(Ok(v))
    }

    fn aggregate(&mut self, lua: &Lua, len: u64, map: bool) -> Result<mlua::Result<Value>, Stop> {
        let t = match lua.create_table() {
            Ok(t) => t,
            Err(e) => return Ok(Err(e)),
        };
        for i in 1..=len {
            let (k, v) = if map {
                let k = self.value(lua)?;
                (k, self.value(lua)?)
            } else {
                (Ok(Value::Number(i as f64)), self.value(lua)?)
            };
            let stored =
                k.and_then(|k| v.map(|v| (k, v))).and_then(|(k, v)| if k.is_nil() { Ok(()) } else { t.raw_set(k, v) });
            if let Err(e) = stored {
                return Ok(Err(e));
            }
        }
        Ok(Ok(Value::Table(t)))
    }
}

/// lua-cmsgpack's `mp_unpack_full`: up to `limit` values (all of them when both `limit` and
/// `offset` are 0) from `offset`; with `with_offset`, the next offset first (-1 at the end).
fn unpack(lua: &Lua, s: &[u8], limit: i64, offset: i64, with_offset: bool) -> mlua::Result<MultiValue> {
    if offset < 0 || limit < 0 {
        return fail(format!("Invalid request to unpack with offset of {offset} and limit of {}.", s.len()));
    }
    let Ok(start) = usize::try_from(offset) else { return fail("Start offset greater than input length.") };
    if start > s.len() {
        return fail(format!("Start offset {offset} greater than input length {}.", s.len()));
    }
    let all = limit == 0 && offset == 0;
    let mut cursor = Cursor { buf: s, pos: start };
    let mut values = Vec::new();
    while cursor.pos < s.len() && (all || (values.len() as i64) < limit) {
        // Lua's stack holds the results: past its size C's unpack fails (and mlua would panic).
        if values.len() >= MAX_RESULTS {
            return fail("stack overflow");
        }
        match cursor.value(lua) {
            Ok(v) => values.push(v?),
            Err(Stop::Missing) => return fail("Missing bytes in input."),
            Err(Stop::Bad) => return fail("Bad data format in input."),
        }
    }
    if !all || with_offset {
        let next = if cursor.pos >= s.len() { -1.0 } else { cursor.pos as f64 };
        values.insert(0, Value::Number(next));
    }
    Ok(MultiValue::from_iter(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(lua: &Lua, code: &str) -> String {
        let s: mlua::String = lua.load(code).eval().unwrap();
        s.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn packs_like_lua_cmsgpack() {
        let lua = Lua::new();
        install(&lua, &lua.globals()).unwrap();
        assert_eq!(hex(&lua, "return cmsgpack.pack(0.1)"), "cb3fb999999999999a");
        assert_eq!(hex(&lua, "return cmsgpack.pack(-1099511627776)"), "d3ffffff0000000000");
        assert_eq!(hex(&lua, "return cmsgpack.pack({1, 2}, 'ab', true, nil)"), "920102a26162c3c0");
        let cyclic = "local a = {x=nil,y=5} local b = {x=a} a['x'] = b return cmsgpack.pack(a)";
        assert!(hex(&lua, cyclic).ends_with("81a178c0"));
        let round: String =
            lua.load("local t = cmsgpack.unpack(cmsgpack.pack({a={1,2,3}, b='x'})) return t.b .. #t.a").eval().unwrap();
        assert_eq!(round, "x3");
        let (off, v): (f64, String) =
            lua.load("return cmsgpack.unpack_one(cmsgpack.pack('a', 'b'), 0)").eval().unwrap();
        assert_eq!((off, v.as_str()), (2.0, "a"));
    }
}
