//! BITFIELD: Perform arbitrary bitfield integer operations on strings.

use super::common::{BAD_OFFSET, parse_offset, with_bits_for_write, with_bytes};
use crate::commands::errors::{NOT_INTEGER, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::{Config, NotifyFlags};
use crate::state::Ctx;
use crate::types::bits::{FieldType, Overflow, add_checked, get_typed, set_field};
use crate::types::number::parse_i64;

/// `encoding offset`, the arguments of GET (shared with BITFIELD_RO).
pub const ENCODING_OFFSET: &[Arg] =
    &[Arg { name: "encoding", ..Arg::DEFAULT }, Arg { name: "offset", kind: ArgKind::Integer, ..Arg::DEFAULT }];

/// BITFIELD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "bitfield",
    arity: -2,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::BITMAP,
    keys: &[KeySpec {
        notes: Some("This command allows both access and modification of the key"),
        ..KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE).union(KeyFlags::ACCESS).union(KeyFlags::VARIABLE_FLAGS))
    }],
    group: Group::Bitmap,
    since: "3.2.0",
    summary: "Perform arbitrary bitfield integer operations on strings",
    complexity: "O(1) for each subcommand specified",
    args: &[
        Arg::key(0),
        Arg {
            name: "operation",
            kind: ArgKind::OneOf(&[
                Arg {
                    name: "encoding_offset",
                    kind: ArgKind::Block(ENCODING_OFFSET),
                    token: Some("GET"),
                    ..Arg::DEFAULT
                },
                Arg { name: "write", kind: ArgKind::Block(WRITE), ..Arg::DEFAULT },
            ]),
            optional: true,
            multiple: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// The documented write operation: `[OVERFLOW WRAP|SAT|FAIL] SET|INCRBY encoding offset value`.
const WRITE: &[Arg] = &[
    Arg {
        name: "wrap_sat_fail",
        kind: ArgKind::OneOf(&[
            Arg { name: "wrap", kind: ArgKind::PureToken, token: Some("WRAP"), ..Arg::DEFAULT },
            Arg { name: "sat", kind: ArgKind::PureToken, token: Some("SAT"), ..Arg::DEFAULT },
            Arg { name: "fail", kind: ArgKind::PureToken, token: Some("FAIL"), ..Arg::DEFAULT },
        ]),
        token: Some("OVERFLOW"),
        optional: true,
        ..Arg::DEFAULT
    },
    Arg {
        name: "write_operation",
        kind: ArgKind::OneOf(&[
            Arg {
                name: "encoding_offset_value",
                kind: ArgKind::Block(&[
                    Arg { name: "encoding", ..Arg::DEFAULT },
                    Arg { name: "offset", kind: ArgKind::Integer, ..Arg::DEFAULT },
                    Arg { name: "value", kind: ArgKind::Integer, ..Arg::DEFAULT },
                ]),
                token: Some("SET"),
                ..Arg::DEFAULT
            },
            Arg {
                name: "encoding_offset_increment",
                kind: ArgKind::Block(&[
                    Arg { name: "encoding", ..Arg::DEFAULT },
                    Arg { name: "offset", kind: ArgKind::Integer, ..Arg::DEFAULT },
                    Arg { name: "increment", kind: ArgKind::Integer, ..Arg::DEFAULT },
                ]),
                token: Some("INCRBY"),
                ..Arg::DEFAULT
            },
        ]),
        ..Arg::DEFAULT
    },
];

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    bitfield(ctx, argv, false);
}

/// What one subcommand does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Get,
    Set(i64),
    IncrBy(i64),
}

/// One parsed subcommand.
#[derive(Debug, Clone, Copy)]
struct Op {
    kind: Kind,
    ty: FieldType,
    offset: u64,
    overflow: Overflow,
}

const BAD_TYPE: &str =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

/// Parses the subcommands after the key as Redis does: the first bad one is the error.
fn parse(config: &Config, args: &[&[u8]]) -> Result<Vec<Op>, &'static str> {
    let mut ops = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut at = 0;
    while at < args.len() {
        let remaining = args.len() - at - 1;
        let name = args[at].to_ascii_lowercase();
        let needs = match name.as_slice() {
            b"get" if remaining >= 2 => 2,
            b"set" | b"incrby" if remaining >= 3 => 3,
            b"overflow" if remaining >= 1 => {
                overflow = match args[at + 1].to_ascii_lowercase().as_slice() {
                    b"wrap" => Overflow::Wrap,
                    b"sat" => Overflow::Sat,
                    b"fail" => Overflow::Fail,
                    _ => return Err("ERR Invalid OVERFLOW type specified"),
                };
                at += 2;
                continue;
            }
            _ => return Err(SYNTAX),
        };
        let ty = FieldType::parse(args[at + 1]).ok_or(BAD_TYPE)?;
        let offset = parse_offset(config, args[at + 2], Some(ty.bits)).ok_or(BAD_OFFSET)?;
        let kind = match name.as_slice() {
            b"get" => Kind::Get,
            b"set" => Kind::Set(parse_i64(args[at + 3]).ok_or(NOT_INTEGER)?),
            _ => Kind::IncrBy(parse_i64(args[at + 3]).ok_or(NOT_INTEGER)?),
        };
        ops.push(Op { kind, ty, offset, overflow });
        at += 1 + needs;
    }
    Ok(ops)
}

/// BITFIELD and BITFIELD_RO (`readonly_command`, which refuses SET and INCRBY).
pub fn bitfield(ctx: &mut Ctx<'_>, argv: &[&[u8]], readonly_command: bool) {
    let ops = match parse(&ctx.server.config, &argv[2..]) {
        Ok(ops) => ops,
        Err(e) => return ctx.out.error(e),
    };
    let highest = ops.iter().filter(|op| op.kind != Kind::Get).map(|op| op.offset + u64::from(op.ty.bits) - 1).max();
    let Some(highest) = highest else {
        let Ok(values) = with_bytes(ctx, argv[1], |bytes| {
            ops.iter().map(|op| Some(get_typed(bytes.unwrap_or_default(), op.offset, op.ty))).collect::<Vec<_>>()
        }) else {
            return;
        };
        return reply(ctx, &values);
    };
    if readonly_command {
        return ctx.out.error("ERR BITFIELD_RO only supports the GET subcommand");
    }
    let Ok((values, changes)) = with_bits_for_write(ctx, argv[1], highest, |bytes, grown| apply(bytes, grown, &ops))
    else {
        return;
    };
    if changes > 0 {
        ctx.changed(argv[1], NotifyFlags::STRING, "setbit");
        ctx.add_dirty(changes - 1);
    }
    reply(ctx, &values);
}

/// Runs `ops` over `bytes` (grown to hold every write): each op's reply (`None` for a FAIL
/// overflow) and how many writes changed something (all of them when the string was grown).
fn apply(bytes: &mut [u8], grown: bool, ops: &[Op]) -> (Vec<Option<i64>>, u64) {
    let mut changes = 0;
    let values = ops
        .iter()
        .map(|op| {
            let old = get_typed(bytes, op.offset, op.ty);
            let (new, reply) = match op.kind {
                Kind::Get => return Some(old),
                Kind::Set(value) => (add_checked(value, 0, op.ty, op.overflow)?, old),
                Kind::IncrBy(incr) => {
                    let new = add_checked(old, incr, op.ty, op.overflow)?;
                    (new, new)
                }
            };
            set_field(bytes, op.offset, op.ty.bits, new as u64);
            if grown || new != old {
                changes += 1;
            }
            Some(reply)
        })
        .collect();
    (values, changes)
}

fn reply(ctx: &mut Ctx<'_>, values: &[Option<i64>]) {
    ctx.out.array(values.len());
    for value in values {
        match value {
            Some(n) => ctx.out.int(*n),
            None => ctx.out.null(),
        }
    }
}
