//! `bit`: LuaBitOp's 32-bit operations (`tobit`, `tohex`, `bnot`, `band`, `bor`, `bxor`,
//! `lshift`, `rshift`, `arshift`, `rol`, `ror`, `bswap`). Numbers are normalised to signed 32
//! bits the way LuaBitOp does: rounded to an integer, then taken modulo 2^32.

use mlua::{Lua, MultiValue, Table};

use super::number_arg;

/// LuaBitOp's normalisation: adding 2^52 + 2^51 leaves the rounded integer in the low bits.
fn tobit(n: f64) -> i32 {
    (n + 6_755_399_441_055_744.0).to_bits() as u32 as i32
}

/// Adds the `bit` table to `globals`.
pub fn install(lua: &Lua, globals: &Table) -> mlua::Result<()> {
    let bit = lua.create_table()?;
    let arg = |lua: &Lua, args: &MultiValue, i: usize, name: &str| -> mlua::Result<i32> {
        Ok(tobit(number_arg(lua, args.get(i), i + 1, name)?))
    };
    bit.raw_set(
        "tobit",
        lua.create_function(move |lua, args: MultiValue| Ok(f64::from(arg(lua, &args, 0, "tobit")?)))?,
    )?;
    bit.raw_set(
        "bnot",
        lua.create_function(move |lua, args: MultiValue| Ok(f64::from(!arg(lua, &args, 0, "bnot")?)))?,
    )?;
    for (name, op) in [("band", 0u8), ("bor", 1), ("bxor", 2)] {
        bit.raw_set(
            name,
            lua.create_function(move |lua, args: MultiValue| {
                let mut acc = arg(lua, &args, 0, name)?;
                for i in 1..args.len() {
                    let v = arg(lua, &args, i, name)?;
                    acc = match op {
                        0 => acc & v,
                        1 => acc | v,
                        _ => acc ^ v,
                    };
                }
                Ok(f64::from(acc))
            })?,
        )?;
    }
    for (name, op) in [("lshift", 0u8), ("rshift", 1), ("arshift", 2), ("rol", 3), ("ror", 4)] {
        bit.raw_set(
            name,
            lua.create_function(move |lua, args: MultiValue| {
                let x = arg(lua, &args, 0, name)?;
                let n = (arg(lua, &args, 1, name)? & 31) as u32;
                let r = match op {
                    0 => ((x as u32) << n) as i32,
                    1 => ((x as u32) >> n) as i32,
                    2 => x >> n,
                    3 => (x as u32).rotate_left(n) as i32,
                    _ => (x as u32).rotate_right(n) as i32,
                };
                Ok(f64::from(r))
            })?,
        )?;
    }
    bit.raw_set(
        "bswap",
        lua.create_function(move |lua, args: MultiValue| Ok(f64::from(arg(lua, &args, 0, "bswap")?.swap_bytes())))?,
    )?;
    bit.raw_set(
        "tohex",
        lua.create_function(move |lua, args: MultiValue| {
            let x = arg(lua, &args, 0, "tohex")? as u32;
            let n = if args.len() > 1 { arg(lua, &args, 1, "tohex")? } else { 8 };
            let (upper, width) = if n < 0 { (true, n.unsigned_abs()) } else { (false, n as u32) };
            let width = width.min(8) as usize;
            let masked = if width >= 8 { x } else { x & ((1u32 << (4 * width)) - 1) };
            let text = if upper { format!("{masked:0width$X}") } else { format!("{masked:0width$x}") };
            Ok(text)
        })?,
    )?;
    globals.raw_set("bit", bit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_luabitop() {
        assert_eq!(tobit(1.0), 1);
        assert_eq!(tobit(4_294_967_295.0), -1);
        assert_eq!(tobit(2_147_483_648.0), i32::MIN);
        assert_eq!(tobit(-1.0), -1);
        let lua = Lua::new();
        install(&lua, &lua.globals()).unwrap();
        let r: (f64, f64, f64, String, String) = lua
            .load("return bit.bor(1,2,4,8,16,32,64,128), bit.lshift(1, 31), bit.rol(0x12345678, 8), bit.tohex(255, 4), bit.tohex(-1, -8)")
            .eval()
            .unwrap();
        assert_eq!(r, (255.0, -2_147_483_648.0, 878_082_066.0, "00ff".to_owned(), "FFFFFFFF".to_owned()));
    }
}
