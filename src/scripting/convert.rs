//! Conversions between Lua values and Redis replies, exactly as Redis 7.0's `script_lua.c`: a
//! script's return value becomes the caller's reply, and errors become `{err = ...}` tables.
//! (A command's reply becomes the Lua value `redis.call` returns in [`super::call`].)

use mlua::{Lua, Table, Value};

use crate::protocol::Reply;

/// Lua stack slots (`LUAI_MAXCSTACK`): Redis stops converting a reply nested deeper than its
/// C stack allows and writes an error in its place.
const MAX_STACK: usize = 8000;
/// Slots in use when the returned value is converted (the error handler and the value).
pub(super) const BASE_STACK: usize = 2;

/// The text of an error table (`{err = ...}`) made from an error as Redis holds it
/// (`luaPushErrorBuff`): `-CODE message` keeps its code, a text without `-` gets `ERR`; line
/// breaks are trimmed from both ends of the message.
pub(super) fn error_text(raw: &[u8]) -> Vec<u8> {
    let (code, msg): (&[u8], &[u8]) = match raw.strip_prefix(b"-") {
        Some(rest) => match rest.iter().position(|&b| b == b' ') {
            Some(sp) => (&rest[..sp], &rest[sp + 1..]),
            None => (b"ERR", rest),
        },
        None => (b"ERR", raw),
    };
    let start = msg.iter().position(|&b| b != b'\r' && b != b'\n').unwrap_or(msg.len());
    let end = msg.iter().rposition(|&b| b != b'\r' && b != b'\n').map_or(start, |e| e + 1);
    let text = [code, b" ", &msg[start..end]].concat();
    // Lua receives it as a C string.
    let nul = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    text[..nul].to_vec()
}

/// A Lua error table `{err = text}`, marked as already counted in the error statistics when it
/// comes from a command's reply.
pub(super) fn error_table(lua: &Lua, text: &[u8], counted: bool) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("err", lua.create_string(text)?)?;
    if counted {
        t.raw_set("ignore_error_stats_update", true)?;
    }
    Ok(t)
}

/// What remains to write of the tables being converted.
enum Pending {
    /// Items `next..=len` of an array (kept in the Lua table of arrays at `slot`), each at
    /// stack depth `top`.
    Array { slot: usize, next: usize, len: usize, top: usize },
    /// Values already read (map pairs, set members), each with its depth, in reverse order.
    Values(Vec<(Value, usize)>),
}

/// Writes the Lua value `v` as the caller's reply (Redis's `luaReplyToRedisReply`). `resp3` is
/// the script's protocol (`redis.setresp`), which decides how booleans are sent; `top` counts
/// the Lua stack slots Redis would be using (see [`MAX_STACK`]). Nested tables are walked with
/// an explicit stack, so a deep or cyclic table cannot overflow the executor's, and array items
/// are read one at a time (mlua keeps every value Rust holds in a slot of a Lua stack).
pub(super) fn lua_to_reply(lua: &Lua, v: &Value, out: &mut Reply, resp3: bool, top: usize) -> mlua::Result<()> {
    let mut walk = Walk { lua, arrays: None, pending: Vec::new(), held: 0, resp3 };
    walk.value(v.clone(), top, out)?;
    while let Some(frame) = walk.pending.last_mut() {
        let next = match frame {
            Pending::Array { slot, next, len, top } if *next <= *len => {
                // An array frame exists only once `arrays` holds its table.
                let item: Value = match &walk.arrays {
                    Some(arrays) => arrays.raw_get::<Table>(*slot)?.raw_get(*next)?,
                    None => Value::Nil,
                };
                *next += 1;
                Some((item, *top))
            }
            Pending::Values(values) => values.pop(),
            Pending::Array { .. } => None,
        };
        match next {
            Some((item, top)) => {
                if matches!(walk.pending.last(), Some(Pending::Values(_))) {
                    walk.held -= 1;
                }
                walk.value(item, top, out)?;
            }
            None => {
                if let Some(Pending::Array { slot, .. }) = walk.pending.pop() {
                    walk.arrays()?.raw_set(slot, Value::Nil)?;
                }
            }
        }
    }
    Ok(())
}

/// Values read but not written yet that one conversion may hold (mlua keeps each in a slot of
/// a Lua stack of about 8000); a reply needing more writes Redis's stack limit error instead.
const MAX_HELD: usize = 4000;

/// A conversion in progress.
struct Walk<'a> {
    lua: &'a Lua,
    /// The arrays being written, by frame slot (held by Lua, not as Rust references); made on
    /// the first array, so a scalar reply allocates nothing in Lua.
    arrays: Option<Table>,
    pending: Vec<Pending>,
    /// Values held in `Pending::Values` frames.
    held: usize,
    resp3: bool,
}

impl Walk<'_> {
    /// The table of arrays being written.
    fn arrays(&mut self) -> mlua::Result<&Table> {
        let arrays = match self.arrays.take() {
            Some(arrays) => arrays,
            None => self.lua.create_table()?,
        };
        Ok(self.arrays.insert(arrays))
    }

    /// Writes one value, or the header of a table's aggregate (pushing what remains of it).
    fn value(&mut self, v: Value, top: usize, out: &mut Reply) -> mlua::Result<()> {
        if top + 4 > MAX_STACK {
            out.error("ERR reached lua stack limit");
            return Ok(());
        }
        match v {
            Value::String(s) => out.bulk(&s.as_bytes()),
            Value::Boolean(b) if self.resp3 => out.boolean(b),
            Value::Boolean(true) => out.int(1),
            Value::Boolean(false) => out.null(),
            Value::Integer(i) => out.int(i),
            Value::Number(n) => out.int(n as i64),
            Value::Table(t) => match table_to_reply(t.clone(), out, top, MAX_HELD - self.held)? {
                Some(Pending::Array { slot: _, next, len, top }) => {
                    let slot = self.pending.len() + 1;
                    self.arrays()?.raw_set(slot, t)?;
                    self.pending.push(Pending::Array { slot, next, len, top });
                }
                Some(Pending::Values(values)) => {
                    self.held += values.len();
                    self.pending.push(Pending::Values(values));
                }
                None => {}
            },
            _ => out.null(),
        }
        Ok(())
    }
}

/// Writes a table's reply, or the header of its aggregate; returns what remains to write.
fn table_to_reply(t: Table, out: &mut Reply, top: usize, room: usize) -> mlua::Result<Option<Pending>> {
    if let Value::String(err) = t.raw_get::<Value>("err")? {
        let counted = matches!(t.raw_get::<Value>("ignore_error_stats_update")?, Value::Boolean(true));
        let text = err.as_bytes();
        if counted {
            out.error_not_counted(&text);
        } else {
            out.error_bytes(&text);
        }
        return Ok(None);
    }
    if let Value::String(ok) = t.raw_get::<Value>("ok")? {
        out.simple(&String::from_utf8_lossy(&ok.as_bytes()));
        return Ok(None);
    }
    match t.raw_get::<Value>("double")? {
        Value::Number(d) => {
            out.double(d);
            return Ok(None);
        }
        Value::Integer(i) => {
            out.double(i as f64);
            return Ok(None);
        }
        _ => {}
    }
    if let Value::String(n) = t.raw_get::<Value>("big_number")? {
        let digits: Vec<u8> = n.as_bytes().iter().map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }).collect();
        out.big_number(&digits);
        return Ok(None);
    }
    if let Value::Table(v) = t.raw_get::<Value>("verbatim_string")?
        && let (Value::String(format), Value::String(text)) = (v.raw_get("format")?, v.raw_get("string")?)
    {
        out.verbatim_with_format(&format.as_bytes(), &text.as_bytes());
        return Ok(None);
    }
    let mut values = Vec::new();
    let nested = |field: &str| -> mlua::Result<Option<Table>> {
        match t.raw_get::<Value>(field)? {
            Value::Table(inner) if 2 * count_pairs(&inner)? > room => Err(mlua::Error::RuntimeError(String::new())),
            Value::Table(inner) => Ok(Some(inner)),
            _ => Ok(None),
        }
    };
    let (map, set) = match (nested("map"), nested("set")) {
        (Ok(map), Ok(set)) => (map, set),
        _ => {
            out.error("ERR reached lua stack limit");
            return Ok(None);
        }
    };
    if let Some(map) = map {
        map.for_each(|k: Value, v: Value| {
            values.push((k, top + 3));
            values.push((v, top + 3));
            Ok(())
        })?;
        out.map(values.len() / 2);
        values.reverse();
        return Ok(Some(Pending::Values(values)));
    }
    if let Some(set) = set {
        set.for_each(|k: Value, _: Value| {
            values.push((k, top + 3));
            Ok(())
        })?;
        out.set(values.len());
        values.reverse();
        return Ok(Some(Pending::Values(values)));
    }
    let mut len = 0;
    while !t.raw_get::<Value>(len + 1)?.is_nil() {
        len += 1;
    }
    out.array(len);
    Ok(Some(Pending::Array { slot: 0, next: 1, len, top: top + 1 }))
}

/// Number of entries of `t`.
fn count_pairs(t: &Table) -> mlua::Result<usize> {
    let mut n = 0;
    t.for_each(|_: Value, _: Value| {
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_texts_keep_or_add_a_code() {
        assert_eq!(error_text(b"-WRONGTYPE Operation\r\n"), b"WRONGTYPE Operation");
        assert_eq!(error_text(b"-NOCODE"), b"ERR NOCODE");
        assert_eq!(error_text(b"plain text"), b"ERR plain text");
        assert_eq!(error_text(b"-My Error"), b"My Error");
    }

    #[test]
    fn lua_values_become_replies() {
        let lua = Lua::new();
        let v: Value = lua.load("return {1, 2.9, 'a', {ok='fine'}, true, false, nil, 4}").eval().unwrap();
        let mut out = Reply::new(false);
        lua_to_reply(&lua, &v, &mut out, false, BASE_STACK).unwrap();
        assert_eq!(out.as_bytes(), b"*6\r\n:1\r\n:2\r\n$1\r\na\r\n+fine\r\n:1\r\n$-1\r\n");
        let cyclic: Value = lua.load("local t = {} t[1] = t return t").eval().unwrap();
        let mut out = Reply::new(false);
        lua_to_reply(&lua, &cyclic, &mut out, false, BASE_STACK).unwrap();
        assert_eq!(out.as_bytes().windows(4).filter(|w| w == b"*1\r\n").count(), 7995);
        assert!(out.as_bytes().ends_with(b"-ERR reached lua stack limit\r\n"));
        // More strings than mlua has slots for values held by Rust at once.
        let big: Value = lua.load("local t = {} for i = 1, 20000 do t[i] = 'x' .. i end return t").eval().unwrap();
        let mut out = Reply::new(false);
        lua_to_reply(&lua, &big, &mut out, false, BASE_STACK).unwrap();
        assert!(out.as_bytes().starts_with(b"*20000\r\n$2\r\nx1\r\n"));
    }
}
