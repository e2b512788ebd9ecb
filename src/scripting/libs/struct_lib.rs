//! `struct`: Roberto Ierusalimschy's binary packing library as Redis embeds it
//! (`struct.pack(fmt, ...)`, `struct.unpack(fmt, data [, pos])`, `struct.size(fmt)`), with the
//! sizes and alignment of x86-64 Linux, where Redis is built.
//!
//! Format: `>` big endian, `<` little endian, `![n]` alignment (default 8), `x` a zero byte,
//! `b`/`B` char, `h`/`H` short, `l`/`L` long, `T` size_t, `i[n]`/`I[n]` an integer of n bytes
//! (default 4, at most 32), `c[n]` n chars (pack: 0 takes the whole string; unpack: 0 takes the
//! previous number as the length), `s` a zero-terminated string, `f` float, `d` double, spaces
//! ignored. Lower-case integer options are signed.

use mlua::{Lua, MultiValue, Table, Value};

use super::{called_name, fail, number_arg};

/// Widest integer option, in bytes.
const MAX_INT_SIZE: usize = 32;
/// The default of `!` (the alignment of a double on x86-64).
const MAX_ALIGN: usize = 8;

/// The state a format string sets as it goes.
#[derive(Clone, Copy)]
struct Header {
    little: bool,
    align: usize,
}

impl Header {
    /// Native order (little endian), no alignment.
    fn new() -> Self {
        Header { little: true, align: 1 }
    }
}

/// A format string being read.
struct Format<'a> {
    fmt: &'a [u8],
    at: usize,
    /// The name the function was called by, for argument errors.
    func: &'a str,
}

impl Format<'_> {
    /// The next option, if any.
    fn next_opt(&mut self) -> Option<u8> {
        let opt = *self.fmt.get(self.at)?;
        self.at += 1;
        Some(opt)
    }

    /// A decimal count following the option, or `default` when none.
    fn number(&mut self, default: usize) -> mlua::Result<usize> {
        if !self.fmt.get(self.at).is_some_and(u8::is_ascii_digit) {
            return Ok(default);
        }
        let mut n: usize = 0;
        while let Some(d) = self.fmt.get(self.at).filter(|d| d.is_ascii_digit()) {
            n = n * 10 + usize::from(d - b'0');
            if n > i32::MAX as usize {
                return fail("integral size overflow");
            }
            self.at += 1;
        }
        Ok(n)
    }

    /// The size of option `opt` (0 for those without data), reading its count.
    fn size(&mut self, opt: u8) -> mlua::Result<usize> {
        Ok(match opt {
            b'b' | b'B' | b'x' => 1,
            b'h' | b'H' => 2,
            b'f' => 4,
            b'l' | b'L' | b'T' | b'd' => 8,
            b'c' => self.number(1)?,
            b'i' | b'I' => {
                let n = self.number(4)?;
                if n > MAX_INT_SIZE {
                    return fail(format!("integral size {n} is larger than limit of {MAX_INT_SIZE}"));
                }
                n
            }
            _ => 0,
        })
    }

    /// Applies a control option (endianness, alignment, space); anything else is an error.
    fn control(&mut self, opt: u8, h: &mut Header) -> mlua::Result<()> {
        match opt {
            b' ' => {}
            b'>' => h.little = false,
            b'<' => h.little = true,
            b'!' => {
                let a = self.number(MAX_ALIGN)?;
                if !a.is_power_of_two() {
                    return fail(format!("alignment {a} is not a power of 2"));
                }
                h.align = a;
            }
            _ => {
                let msg = format!("invalid format option '{}'", char::from(opt));
                return fail(format!("bad argument #1 to '{}' ({msg})", self.func));
            }
        }
        Ok(())
    }
}

/// Padding before an item of `size` bytes at offset `len` (C's `gettoalign`, including its
/// arithmetic for sizes that are not powers of two).
fn padding(len: usize, h: &Header, opt: u8, size: usize) -> usize {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let size = size.min(h.align);
    size.wrapping_sub(len & (size - 1)) & (size - 1)
}

/// `luaL_argerror`'s message.
fn arg_error<T>(arg: usize, func: &str, msg: &str) -> mlua::Result<T> {
    fail(format!("bad argument #{arg} to '{func}' ({msg})"))
}

/// A string argument (numbers convert, as `luaL_checklstring` does).
fn string_arg(lua: &Lua, v: Option<&Value>, arg: usize, func: &str) -> mlua::Result<Vec<u8>> {
    let got = match v {
        Some(Value::String(s)) => return Ok(s.as_bytes().to_vec()),
        Some(v @ (Value::Integer(_) | Value::Number(_))) => {
            if let Some(s) = lua.coerce_string(v.clone())? {
                return Ok(s.as_bytes().to_vec());
            }
            "number"
        }
        None => "no value",
        Some(other) => super::type_name(other),
    };
    arg_error(arg, func, &format!("string expected, got {got}"))
}

/// The low `size` bytes of `value` in the header's order (bytes past 8 are zero).
fn put_integer(out: &mut Vec<u8>, value: u64, size: usize, little: bool) {
    let bytes: Vec<u8> = (0..size).map(|i| if i < 8 { (value >> (8 * i)) as u8 } else { 0 }).collect();
    if little {
        out.extend(bytes);
    } else {
        out.extend(bytes.into_iter().rev());
    }
}

/// An integer of `size` bytes (C's `getinteger`, keeping the last 8 bytes read for wider ones).
fn get_integer(data: &[u8], little: bool, signed: bool, size: usize) -> f64 {
    let mut v: u64 = 0;
    let mut take = |b: u8| v = (v << 8) | u64::from(b);
    if little {
        data.iter().rev().for_each(|&b| take(b));
    } else {
        data.iter().for_each(|&b| take(b));
    }
    if !signed {
        return v as f64;
    }
    // The sign bit of a `size`-byte integer, as x86 shifts (the count taken modulo 64).
    let mask = u64::MAX << ((size * 8).wrapping_sub(1) & 63);
    if v & mask != 0 {
        v |= mask;
    }
    v as i64 as f64
}

/// `struct.pack`.
fn pack(lua: &Lua, args: MultiValue) -> mlua::Result<mlua::String> {
    let name = called_name(lua);
    let fmt = string_arg(lua, args.front(), 1, &name)?;
    // The C function pushes a nil after its arguments: the first one missing reads as nil.
    let mut args: Vec<Value> = args.into_iter().collect();
    args.push(Value::Nil);
    let mut f = Format { fmt: &fmt, at: 0, func: &name };
    let mut h = Header::new();
    let mut arg = 1;
    let mut out = Vec::new();
    while let Some(opt) = f.next_opt() {
        let mut size = f.size(opt)?;
        out.resize(out.len() + padding(out.len(), &h, opt, size), 0);
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let n = number_arg(lua, args.get(arg), arg + 1, &name)?;
                arg += 1;
                let value = if n < 0.0 { n as i64 as u64 } else { n as u64 };
                put_integer(&mut out, value, size, h.little);
            }
            b'x' => out.push(0),
            b'f' | b'd' => {
                let n = number_arg(lua, args.get(arg), arg + 1, &name)?;
                arg += 1;
                let (le, be) = if opt == b'f' {
                    ((n as f32).to_le_bytes().to_vec(), (n as f32).to_be_bytes().to_vec())
                } else {
                    (n.to_le_bytes().to_vec(), n.to_be_bytes().to_vec())
                };
                out.extend(if h.little { le } else { be });
            }
            b'c' | b's' => {
                let s = string_arg(lua, args.get(arg), arg + 1, &name)?;
                arg += 1;
                if size == 0 {
                    size = s.len();
                }
                if s.len() < size {
                    return arg_error(arg + 1, &name, "string too short");
                }
                out.extend_from_slice(&s[..size]);
                if opt == b's' {
                    out.push(0);
                }
            }
            _ => f.control(opt, &mut h)?,
        }
    }
    lua.create_string(&out)
}

/// `struct.unpack`: the values, then the position after them.
fn unpack(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    let name = called_name(lua);
    let fmt = string_arg(lua, args.front(), 1, &name)?;
    let data = string_arg(lua, args.get(1), 2, &name)?;
    let start = match args.get(2) {
        None | Some(Value::Nil) => 1.0,
        v => number_arg(lua, v, 3, &name)?,
    };
    // C reads the offset into a size_t: 0 is refused, a negative one wraps past the data.
    let start = start as i64;
    if start == 0 {
        return arg_error(3, &name, "offset must be 1 or greater");
    }
    let mut pos = start.wrapping_sub(1) as usize;
    let mut f = Format { fmt: &fmt, at: 0, func: &name };
    let mut h = Header::new();
    let mut values: Vec<Value> = Vec::new();
    let fits = |pos: usize, size: usize| size <= data.len() && pos <= data.len() - size;
    while let Some(opt) = f.next_opt() {
        let mut size = f.size(opt)?;
        pos = pos.wrapping_add(padding(pos, &h, opt, size));
        if !fits(pos, size) {
            return arg_error(2, &name, "data string too short");
        }
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let n = get_integer(&data[pos..pos + size], h.little, opt.is_ascii_lowercase(), size);
                values.push(Value::Number(n));
            }
            b'x' => {}
            b'f' => {
                let raw: [u8; 4] = data[pos..pos + 4].try_into().map_err(mlua::Error::external)?;
                let v = if h.little { f32::from_le_bytes(raw) } else { f32::from_be_bytes(raw) };
                values.push(Value::Number(f64::from(v)));
            }
            b'd' => {
                let raw: [u8; 8] = data[pos..pos + 8].try_into().map_err(mlua::Error::external)?;
                values.push(Value::Number(if h.little { f64::from_le_bytes(raw) } else { f64::from_be_bytes(raw) }));
            }
            b'c' => {
                if size == 0 {
                    // The previous value, if it reads as a number (a numeric string too).
                    let previous = values.pop().map(|v| lua.coerce_number(v)).transpose()?.flatten();
                    let Some(n) = previous else { return fail("format 'c0' needs a previous size") };
                    size = n as usize;
                    if !fits(pos, size) {
                        return arg_error(2, &name, "data string too short");
                    }
                }
                values.push(Value::String(lua.create_string(&data[pos..pos + size])?));
            }
            b's' => {
                let Some(len) = data[pos..].iter().position(|&b| b == 0) else {
                    return fail("unfinished string in data");
                };
                values.push(Value::String(lua.create_string(&data[pos..pos + len])?));
                size = len + 1;
            }
            _ => f.control(opt, &mut h)?,
        }
        pos = pos.wrapping_add(size);
    }
    values.push(Value::Integer(pos.wrapping_add(1) as i64));
    Ok(MultiValue::from_iter(values))
}

/// `struct.size`: the bytes a format packs into.
fn size(lua: &Lua, args: MultiValue) -> mlua::Result<i64> {
    let name = called_name(lua);
    let fmt = string_arg(lua, args.front(), 1, &name)?;
    let mut f = Format { fmt: &fmt, at: 0, func: &name };
    let mut h = Header::new();
    let mut pos = 0usize;
    while let Some(opt) = f.next_opt() {
        let size = f.size(opt)?;
        pos += padding(pos, &h, opt, size);
        if opt == b's' {
            return arg_error(1, &name, "option 's' has no fixed size");
        }
        if opt == b'c' && size == 0 {
            return arg_error(1, &name, "option 'c0' has no fixed size");
        }
        if !opt.is_ascii_alphanumeric() {
            f.control(opt, &mut h)?;
        }
        pos += size;
    }
    Ok(pos as i64)
}

/// Adds the `struct` table to `globals`.
pub fn install(lua: &Lua, globals: &Table) -> mlua::Result<()> {
    let t = lua.create_table()?;
    t.raw_set("pack", lua.create_function(pack)?)?;
    t.raw_set("unpack", lua.create_function(unpack)?)?;
    t.raw_set("size", lua.create_function(size)?)?;
    globals.raw_set("struct", t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lua() -> Lua {
        let lua = Lua::new();
        install(&lua, &lua.globals()).unwrap();
        lua
    }

    #[test]
    fn packs_and_unpacks_with_order_and_alignment() {
        let lua = lua();
        let packed: mlua::String = lua.load("return struct.pack('>hI3<i2', -2, 0x010203, 5)").eval().unwrap();
        assert_eq!(packed.as_bytes().as_ref(), b"\xff\xfe\x01\x02\x03\x05\x00");
        let aligned: mlua::String = lua.load("return struct.pack('!4bi', 1, 2)").eval().unwrap();
        assert_eq!(aligned.as_bytes().as_ref(), b"\x01\x00\x00\x00\x02\x00\x00\x00");
        let (a, b, s, next): (f64, f64, String, i64) =
            lua.load("return struct.unpack('>hI3s', '\\255\\254\\1\\2\\3hi\\0')").eval().unwrap();
        assert_eq!((a, b, s.as_str(), next), (-2.0, 66051.0, "hi", 9));
        let (s, next): (String, i64) = lua.load("return struct.unpack('Bc0', '\\3abcd')").eval().unwrap();
        assert_eq!((s.as_str(), next), ("abc", 5));
        let (d, f): (f64, f64) = lua.load("return struct.unpack('<df', struct.pack('<df', 1.5, 0.25))").eval().unwrap();
        assert_eq!((d, f), (1.5, 0.25));
        let n: i64 = lua.load("return struct.size('!8bd')").eval().unwrap();
        assert_eq!(n, 16);
    }

    #[test]
    fn errors_read_as_the_c_library_writes_them() {
        let lua = lua();
        let err = |code: &str| lua.load(code).exec().unwrap_err().to_string();
        assert!(err("struct.pack('y', 1)").contains("bad argument #1 to 'pack' (invalid format option 'y')"));
        assert!(err("struct.pack('i33', 1)").contains("integral size 33 is larger than limit of 32"));
        assert!(err("struct.pack('!3')").contains("alignment 3 is not a power of 2"));
        assert!(err("struct.unpack('i', 'ab')").contains("bad argument #2 to 'unpack' (data string too short)"));
        assert!(err("struct.unpack('s', 'ab')").contains("unfinished string in data"));
        assert!(err("struct.unpack('c0', 'ab')").contains("format 'c0' needs a previous size"));
        assert!(err("struct.size('s')").contains("bad argument #1 to 'size' (option 's' has no fixed size)"));
        assert!(err("struct.pack('i')").contains("bad argument #2 to 'pack' (number expected, got nil)"));
        assert!(err("struct.unpack('b', 'a', 0)").contains("offset must be 1 or greater"));
    }
}
