//! CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2): records the client library's name and
//! version for CLIENT LIST. An empty value clears the attribute.

use crate::commands::errors::{c_str, format_error};
use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::Ctx;

use super::super::hello::valid_client_name;

/// CLIENT SETINFO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "setinfo",
    arity: 4,
    since: "7.2.0",
    summary: "Sets information specific to the client or connection.",
    tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
    args: &[Arg {
        name: "attr",
        kind: ArgKind::OneOf(&[
            Arg { name: "libname", token: Some("LIB-NAME"), ..Arg::DEFAULT },
            Arg { name: "libver", token: Some("LIB-VER"), ..Arg::DEFAULT },
        ]),
        ..Arg::DEFAULT
    }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let (attr, value) = (argv[2], argv[3]);
    let target = if attr.eq_ignore_ascii_case(b"lib-name") {
        &mut ctx.client.lib_name
    } else if attr.eq_ignore_ascii_case(b"lib-ver") {
        &mut ctx.client.lib_ver
    } else {
        return ctx.out.error_bytes(&format_error(&[b"ERR Unrecognized option '", c_str(attr), b"'"]));
    };
    // The same charset as client names, so CLIENT LIST stays splittable on spaces.
    if !valid_client_name(value) {
        let text = [b"ERR ", c_str(attr), b" cannot contain spaces, newlines or special characters."];
        return ctx.out.error_bytes(&format_error(&text));
    }
    *target = value.to_vec();
    ctx.out.ok();
}
