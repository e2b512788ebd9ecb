//! XGROUP: the container of the consumer group subcommands, one file per subcommand, and what
//! they share: Redis's option parsing and key/group checks (`xgroupCommand`).

pub mod create;
pub mod createconsumer;
pub mod delconsumer;
pub mod destroy;
pub mod help;
pub mod setid;

use super::common::lookup_stream;
use crate::commands::errors::{NOT_INTEGER, Replied, c_str, format_error};
use crate::commands::{Acl, Arg, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;
use crate::types::number::parse_i64;
use crate::types::stream::group::ENTRIES_READ_INVALID;
use crate::types::stream::{Group as StreamGroup, Stream};

/// XGROUP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xgroup",
    arity: -2,
    group: Group::Stream,
    since: "5.0.0",
    summary: "A container for consumer groups commands",
    complexity: "Depends on subcommand.",
    subcommands: &[&create::SPEC, &createconsumer::SPEC, &delconsumer::SPEC, &destroy::SPEC, &help::SPEC, &setid::SPEC],
    ..CommandSpec::DEFAULT
};

/// What the key subcommands share: `XGROUP <sub> key group ...`, a write of the key.
const BASE: CommandSpec = CommandSpec {
    flags: Flags::WRITE,
    acl: Acl::STREAM,
    keys: &[KeySpec {
        flags: KeyFlags::RW.union(KeyFlags::UPDATE),
        begin: BeginSearch::Index(2),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Stream,
    since: "5.0.0",
    complexity: "O(1)",
    ..CommandSpec::DEFAULT
};

/// The documented arguments of CREATECONSUMER and DELCONSUMER.
const CONSUMER_ARGS: &[Arg] =
    &[Arg::key(0), Arg { name: "groupname", ..Arg::DEFAULT }, Arg { name: "consumername", ..Arg::DEFAULT }];

/// Options after the ID of CREATE and SETID.
pub struct Options {
    /// `MKSTREAM` (CREATE only).
    pub mkstream: bool,
    /// `ENTRIESREAD n`, or -1.
    pub entries_read: i64,
}

/// `ERR unknown subcommand or wrong number of arguments for '<sub>'. Try XGROUP HELP.`
pub fn syntax_error(ctx: &mut Ctx<'_>, sub: &[u8]) -> Replied {
    let msg = format_error(&[
        b"ERR unknown subcommand or wrong number of arguments for '",
        &sub[..sub.len().min(128)],
        b"'. Try XGROUP HELP.",
    ]);
    ctx.out.error_bytes(&msg);
    Replied
}

/// Parses the options from argument 5 on, as Redis does for every subcommand.
pub fn parse_options(ctx: &mut Ctx<'_>, argv: &[&[u8]]) -> Result<Options, Replied> {
    let create = argv[1].eq_ignore_ascii_case(b"create");
    let setid = argv[1].eq_ignore_ascii_case(b"setid");
    let mut options = Options { mkstream: false, entries_read: ENTRIES_READ_INVALID };
    let mut i = 5;
    while i < argv.len() {
        if create && argv[i].eq_ignore_ascii_case(b"mkstream") {
            options.mkstream = true;
            i += 1;
        } else if (create || setid) && argv[i].eq_ignore_ascii_case(b"entriesread") && i + 1 < argv.len() {
            let n = parse_i64(argv[i + 1]).ok_or_else(|| {
                ctx.out.error(NOT_INTEGER);
                Replied
            })?;
            if n < 0 && n != ENTRIES_READ_INVALID {
                ctx.out.error("ERR value for ENTRIESREAD must be positive or -1");
                return Err(Replied);
            }
            options.entries_read = n;
            i += 2;
        } else {
            return Err(syntax_error(ctx, argv[1]));
        }
    }
    Ok(options)
}

/// The stream at argv[2], which must exist (with the error Redis gives otherwise).
pub fn existing_stream<'c>(ctx: &'c mut Ctx<'_>, key: &[u8]) -> Result<&'c mut Stream, Replied> {
    let db = &mut ctx.server.dbs[ctx.client.db];
    match lookup_stream(db, ctx.out, key, Access::Write)? {
        Some(stream) => Ok(stream),
        None => {
            ctx.out.error(
                "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
            );
            Err(Replied)
        }
    }
}

/// The group `name` of the stream at `key` (which must exist), replying NOGROUP otherwise.
pub fn existing_group<'c>(ctx: &'c mut Ctx<'_>, key: &[u8], name: &[u8]) -> Result<&'c mut StreamGroup, Replied> {
    existing_stream(ctx, key)?;
    let db = &mut ctx.server.dbs[ctx.client.db];
    let stream = lookup_stream(db, ctx.out, key, Access::Peek)?.ok_or(Replied)?;
    match stream.groups.get_mut(name) {
        Some(group) => Ok(group),
        None => {
            let msg = format_error(&[
                b"NOGROUP No such consumer group '",
                c_str(name),
                b"' for key name '",
                c_str(key),
                b"'",
            ]);
            ctx.out.error_bytes(&msg);
            Err(Replied)
        }
    }
}
