//! SETRANGE: Overwrite part of a string at key starting at the specified offset.

use super::common::{check_size, lookup_string};
use crate::commands::errors::NOT_INTEGER;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, StringValue, Value, now_ms};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// SETRANGE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "setrange",
    arity: 4,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::String,
    since: "2.2.0",
    summary: "Overwrite part of a string at key starting at the specified offset",
    complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
    args: &[
        Arg::key(0),
        Arg { name: "offset", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "value", ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let offset = match parse_i64(argv[2]) {
        None => return ctx.out.error(NOT_INTEGER),
        Some(n) if n < 0 => return ctx.out.error("ERR offset is out of range"),
        Some(n) => n as u64,
    };
    let patch = argv[3];
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let len = match lookup_string(db, ctx.out, argv[1], now, Access::Write) {
        Err(_) => return,
        Ok(None) if patch.is_empty() => return ctx.out.int(0),
        Ok(Some(value)) if patch.is_empty() => return ctx.out.int(value.len() as i64),
        Ok(found) => {
            if check_size(&ctx.server.config, ctx.out, offset + patch.len() as u64).is_err() {
                return;
            }
            let write = |bytes: &mut Vec<u8>| {
                let start = offset as usize;
                let end = start + patch.len();
                if bytes.len() < end {
                    bytes.resize(end, 0);
                }
                bytes[start..end].copy_from_slice(patch);
                bytes.len()
            };
            match found {
                Some(value) => value.edit_raw(write),
                None => {
                    let mut bytes = Vec::new();
                    let len = write(&mut bytes);
                    db.insert(argv[1], Value::String(StringValue::Raw(Box::new(bytes))), false);
                    len
                }
            }
        }
    };
    ctx.changed(argv[1], NotifyFlags::STRING, "setrange");
    ctx.out.int(len as i64);
}
