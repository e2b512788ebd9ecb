//! PFMERGE: Merge N different HyperLogLogs into a single one.

use super::common::{CORRUPT, lookup_hll};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, StringValue, Value};
use crate::state::Ctx;
use crate::types::hll::{self, Encoding, REGISTERS};

/// PFMERGE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pfmerge",
    arity: -2,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::HYPERLOGLOG,
    keys: &[
        KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::INSERT)),
        KeySpec {
            flags: KeyFlags::RO.union(KeyFlags::ACCESS),
            begin: BeginSearch::Index(2),
            find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
            notes: None,
        },
    ],
    group: Group::Hyperloglog,
    since: "2.8.9",
    summary: "Merge N different HyperLogLogs into a single one.",
    complexity: "O(N) to merge N HyperLogLogs, but with high constant times.",
    args: &[
        Arg { name: "destkey", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        // Optional as the arity says (PFMERGE dest alone is valid); Redis 7.0's docs omit it.
        Arg { name: "sourcekey", kind: ArgKind::Key(1), multiple: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let sparse_max = ctx.server.config.hll_sparse_max_bytes;
    let mut max = [0u8; REGISTERS];
    let mut dense = false;
    let db = &mut ctx.server.dbs[ctx.client.db];
    // The destination counts as a source too.
    for key in &argv[1..] {
        match lookup_hll(db, ctx.out, key, Access::Read) {
            Err(_) => return,
            Ok(None) => {}
            Ok(Some((value, encoding))) => {
                dense |= encoding == Encoding::Dense;
                let mut scratch = [0u8; 20];
                if hll::merge_into(&mut max, value.as_bytes(&mut scratch)).is_err() {
                    return ctx.out.error(CORRUPT);
                }
            }
        }
    }
    let dest = argv[1];
    let merged = match lookup_hll(db, ctx.out, dest, Access::Write) {
        Err(_) => return,
        Ok(Some((value, _))) => value.edit_raw(|bytes| hll::raise_all(bytes, &max, dense, sparse_max)),
        Ok(None) => {
            let mut bytes = hll::new_sparse();
            let merged = hll::raise_all(&mut bytes, &max, dense, sparse_max);
            db.insert(dest, Value::String(StringValue::Raw(Box::new(bytes))), false);
            merged
        }
    };
    if merged.is_err() {
        return ctx.out.error(CORRUPT);
    }
    // Redis reports a merge as a mass PFADD.
    ctx.changed(dest, NotifyFlags::STRING, "pfadd");
    ctx.out.ok();
}
