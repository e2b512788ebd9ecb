//! BITOP: Perform bitwise operations between strings.

use crate::commands::errors::SYNTAX;
use crate::commands::string::common::lookup_string;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, StringValue, Value, now_ms};
use crate::state::Ctx;
use crate::types::bits::{BitOp, bitop};

/// BITOP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "bitop",
    arity: -4,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::BITMAP,
    keys: &[
        KeySpec {
            flags: KeyFlags::OW.union(KeyFlags::UPDATE),
            begin: BeginSearch::Index(2),
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        },
        KeySpec {
            flags: KeyFlags::RO.union(KeyFlags::ACCESS),
            begin: BeginSearch::Index(3),
            find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
            notes: None,
        },
    ],
    group: Group::Bitmap,
    since: "2.6.0",
    summary: "Perform bitwise operations between strings",
    complexity: "O(N)",
    args: &[
        Arg { name: "operation", ..Arg::DEFAULT },
        Arg { name: "destkey", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "key", kind: ArgKind::Key(1), multiple: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let op = match argv[1].to_ascii_lowercase().as_slice() {
        b"and" => BitOp::And,
        b"or" => BitOp::Or,
        b"xor" => BitOp::Xor,
        b"not" => BitOp::Not,
        _ => return ctx.out.error(SYNTAX),
    };
    if op == BitOp::Not && argv.len() != 4 {
        return ctx.out.error("ERR BITOP NOT must be called with a single source key.");
    }
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let mut sources = Vec::with_capacity(argv.len() - 3);
    for key in &argv[3..] {
        match lookup_string(db, ctx.out, key, now, Access::Read) {
            Err(_) => return,
            Ok(value) => sources.push(value.map(|v| v.to_vec()).unwrap_or_default()),
        }
    }
    let slices: Vec<&[u8]> = sources.iter().map(Vec::as_slice).collect();
    let result = bitop(op, &slices);
    let len = result.len();
    let dest = argv[2];
    if len > 0 {
        db.insert(dest, Value::String(StringValue::Raw(Box::new(result))), false);
        ctx.changed(dest, NotifyFlags::STRING, "set");
    } else if db.remove(dest).is_some() {
        ctx.changed(dest, NotifyFlags::GENERIC, "del");
    }
    ctx.out.int(len as i64);
}
