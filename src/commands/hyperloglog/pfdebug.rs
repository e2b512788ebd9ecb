//! PFDEBUG: Internal commands for debugging HyperLogLog values (GETREG, DECODE, ENCODING,
//! TODENSE).

use super::common::{CORRUPT, lookup_hll};
use crate::commands::errors::{c_str, format_error};
use crate::commands::{
    Acl, Arg, ArgKind, BeginSearch, CommandSpec, DocFlags, FindKeys, Flags, Group, KeyFlags, KeySpec,
};
use crate::keyspace::Access;
use crate::state::Ctx;
use crate::types::hll::{self, Encoding, HEADER, REGISTERS};

/// PFDEBUG.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pfdebug",
    arity: 3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::ADMIN),
    acl: Acl::HYPERLOGLOG,
    keys: &[KeySpec {
        flags: KeyFlags::RW.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(2),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Hyperloglog,
    since: "2.8.9",
    summary: "Internal commands for debugging HyperLogLog values",
    complexity: "N/A",
    doc_flags: DocFlags { deprecated: false, syscmd: true },
    args: &[Arg { name: "subcommand", ..Arg::DEFAULT }, Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// What a subcommand replies, computed while the string is borrowed.
enum Outcome {
    Registers(Vec<u8>),
    Text(String),
    Status(&'static str),
    Converted(bool),
    Error(&'static str),
}

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let (value, encoding) = match lookup_hll(db, ctx.out, argv[2], Access::Write) {
        Err(_) => return,
        Ok(None) => return ctx.out.error("ERR The specified key does not exist"),
        Ok(Some(found)) => found,
    };
    let sparse = encoding == Encoding::Sparse;
    let outcome = match argv[1].to_ascii_lowercase().as_slice() {
        b"getreg" => value.edit_raw(|bytes| match hll::to_dense(bytes) {
            Err(_) => Outcome::Error(CORRUPT),
            Ok(()) => Outcome::Registers((0..REGISTERS).map(|i| hll::dense_get(&bytes[HEADER..], i)).collect()),
        }),
        b"decode" if !sparse => Outcome::Error("ERR HLL encoding is not sparse"),
        b"decode" => Outcome::Text(hll::decode(&value.to_vec())),
        b"encoding" => Outcome::Status(encoding.name()),
        b"todense" => value.edit_raw(|bytes| match hll::to_dense(bytes) {
            Err(_) => Outcome::Error(CORRUPT),
            Ok(()) => Outcome::Converted(sparse),
        }),
        _ => {
            let text = format_error(&[b"ERR Unknown PFDEBUG subcommand '", c_str(argv[1]), b"'"]);
            return ctx.out.error_bytes(&text);
        }
    };
    // Turning dense changes the string: counted so that the command is propagated.
    let converted = sparse && matches!(outcome, Outcome::Registers(_) | Outcome::Converted(_));
    if converted {
        ctx.add_dirty(1);
    }
    match outcome {
        Outcome::Registers(registers) => {
            ctx.out.array(registers.len());
            for r in registers {
                ctx.out.int(i64::from(r));
            }
        }
        Outcome::Text(text) => ctx.out.bulk(text.as_bytes()),
        Outcome::Status(name) => ctx.out.simple(name),
        Outcome::Converted(c) => ctx.out.int(i64::from(c)),
        Outcome::Error(e) => ctx.out.error(e),
    }
}
