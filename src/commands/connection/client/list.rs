//! CLIENT LIST [TYPE type | ID id...]: one line per connected client, in connection order.

use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::{Client, Ctx};
use crate::types::number::parse_i64;

use super::line::Describer;
use super::{ClientType, is_live, unknown_type_error};

/// CLIENT LIST.
pub const SPEC: CommandSpec = CommandSpec {
    name: "list",
    arity: -2,
    flags: super::ADMIN_FLAGS,
    since: "2.4.0",
    summary: "Get the list of client connections",
    complexity: "O(N) where N is the number of client connections",
    history: &[
        ("2.8.12", "Added unique client `id` field."),
        ("5.0.0", "Added optional `TYPE` filter."),
        ("6.0.0", "Added `user` field."),
        ("6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter."),
        ("7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."),
        ("7.0.3", "Added `ssub` field."),
    ],
    tips: &["nondeterministic_output"],
    args: &[
        Arg {
            name: "normal_master_replica_pubsub",
            kind: ArgKind::OneOf(&[
                Arg { name: "normal", kind: ArgKind::PureToken, token: Some("NORMAL"), ..Arg::DEFAULT },
                Arg { name: "master", kind: ArgKind::PureToken, token: Some("MASTER"), ..Arg::DEFAULT },
                Arg { name: "replica", kind: ArgKind::PureToken, token: Some("REPLICA"), ..Arg::DEFAULT },
                Arg { name: "pubsub", kind: ArgKind::PureToken, token: Some("PUBSUB"), ..Arg::DEFAULT },
            ]),
            token: Some("TYPE"),
            optional: true,
            since: Some("5.0.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "id",
            kind: ArgKind::Block(&[Arg { name: "client-id", kind: ArgKind::Integer, multiple: true, ..Arg::DEFAULT }]),
            token: Some("ID"),
            optional: true,
            since: Some("6.2.0"),
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let text = match argv {
        [_, _] => lines(ctx, argv, |_| true),
        [_, _, option, name] if option.eq_ignore_ascii_case(b"type") => match ClientType::parse(name) {
            Some(wanted) => lines(ctx, argv, |c| ClientType::of(c) == wanted),
            None => return ctx.out.error_bytes(&unknown_type_error(name)),
        },
        [_, _, option, ids @ ..] if option.eq_ignore_ascii_case(b"id") && !ids.is_empty() => {
            match by_ids(ctx, argv, ids) {
                Some(text) => text,
                None => return ctx.out.error("ERR Invalid client ID"),
            }
        }
        _ => return ctx.syntax_error(),
    };
    ctx.out.verbatim(text.as_bytes());
}

/// The lines of every live client `keep` accepts, by id.
fn lines(ctx: &Ctx<'_>, argv: &[&[u8]], keep: impl Fn(&Client) -> bool) -> String {
    let describer = Describer::new(ctx, argv);
    let mut text = String::new();
    for client in ctx.all_clients().into_iter().filter(|c| is_live(c) && keep(c)) {
        describer.append(&mut text, client);
    }
    text
}

/// The lines of the clients with the given ids, in argument order (repeats included, unknown ids
/// skipped), or `None` if an id is not an integer.
fn by_ids(ctx: &Ctx<'_>, argv: &[&[u8]], ids: &[&[u8]]) -> Option<String> {
    let describer = Describer::new(ctx, argv);
    let mut text = String::new();
    for id in ids {
        // A negative id names no client.
        let Ok(id) = u64::try_from(parse_i64(id)?) else { continue };
        let client = if id == ctx.client.id { Some(&*ctx.client) } else { ctx.clients.get(id) };
        if let Some(client) = client.filter(|c| is_live(c)) {
            describer.append(&mut text, client);
        }
    }
    Some(text)
}
