//! CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX prefix ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]:
//! server-assisted client-side caching (see `executor::tracking`).

use crate::commands::errors::SYNTAX;
use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::Ctx;
use crate::state::tracking::{ClientTracking, check_prefixes};
use crate::types::number::parse_i64;

/// CLIENT TRACKING.
pub const SPEC: CommandSpec = CommandSpec {
    name: "tracking",
    arity: -3,
    since: "6.0.0",
    summary: "Enable or disable server assisted client side caching support",
    complexity: "O(1). Some options may introduce additional complexity.",
    args: &[
        Arg {
            name: "status",
            kind: ArgKind::OneOf(&[
                Arg { name: "on", kind: ArgKind::PureToken, token: Some("ON"), ..Arg::DEFAULT },
                Arg { name: "off", kind: ArgKind::PureToken, token: Some("OFF"), ..Arg::DEFAULT },
            ]),
            ..Arg::DEFAULT
        },
        Arg { name: "client-id", kind: ArgKind::Integer, token: Some("REDIRECT"), optional: true, ..Arg::DEFAULT },
        Arg {
            name: "prefix",
            token: Some("PREFIX"),
            optional: true,
            multiple: true,
            multiple_token: true,
            ..Arg::DEFAULT
        },
        Arg { name: "bcast", kind: ArgKind::PureToken, token: Some("BCAST"), optional: true, ..Arg::DEFAULT },
        Arg { name: "optin", kind: ArgKind::PureToken, token: Some("OPTIN"), optional: true, ..Arg::DEFAULT },
        Arg { name: "optout", kind: ArgKind::PureToken, token: Some("OPTOUT"), optional: true, ..Arg::DEFAULT },
        Arg { name: "noloop", kind: ArgKind::PureToken, token: Some("NOLOOP"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mut wanted = ClientTracking::default();
    let mut prefixes: Vec<&[u8]> = Vec::new();
    let mut i = 3;
    while i < argv.len() {
        let more = i + 1 < argv.len();
        let opt = argv[i].to_ascii_lowercase();
        match opt.as_slice() {
            b"redirect" if more => {
                i += 1;
                if wanted.redirect != 0 {
                    return ctx.out.error("ERR A client can only redirect to a single other client");
                }
                let Some(id) = parse_i64(argv[i]) else {
                    return ctx.out.error("ERR value is not an integer or out of range");
                };
                let exists = u64::try_from(id).is_ok_and(|id| id == ctx.client.id || ctx.clients.get(id).is_some());
                if !exists {
                    return ctx.out.error("ERR The client ID you want redirect to does not exist");
                }
                wanted.redirect = id as u64;
            }
            b"bcast" => wanted.bcast = true,
            b"optin" => wanted.optin = true,
            b"optout" => wanted.optout = true,
            b"noloop" => wanted.noloop = true,
            b"prefix" if more => {
                i += 1;
                prefixes.push(argv[i]);
            }
            _ => return ctx.out.error(SYNTAX),
        }
        i += 1;
    }
    if argv[2].eq_ignore_ascii_case(b"off") {
        ctx.disable_tracking();
        return ctx.out.ok();
    }
    if !argv[2].eq_ignore_ascii_case(b"on") {
        return ctx.out.error(SYNTAX);
    }
    if let Err(e) = check_on(ctx, &wanted, &prefixes) {
        return ctx.out.error(&e);
    }
    ctx.enable_tracking(wanted, &prefixes);
    ctx.out.ok();
}

/// Redis's checks before CLIENT TRACKING ON, in its order.
fn check_on(ctx: &Ctx<'_>, wanted: &ClientTracking, prefixes: &[&[u8]]) -> Result<(), String> {
    if !wanted.bcast && !prefixes.is_empty() {
        return Err("ERR PREFIX option requires BCAST mode to be enabled".into());
    }
    let current = ctx.client.tracking.as_deref();
    if current.is_some_and(|c| c.bcast != wanted.bcast) {
        return Err("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.".into());
    }
    if wanted.bcast && (wanted.optin || wanted.optout) {
        return Err("ERR OPTIN and OPTOUT are not compatible with BCAST".into());
    }
    if wanted.optin && wanted.optout {
        return Err("ERR You can't specify both OPTIN mode and OPTOUT mode".into());
    }
    if current.is_some_and(|c| (wanted.optin && c.optout) || (wanted.optout && c.optin)) {
        return Err("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.".into());
    }
    if wanted.bcast {
        check_prefixes(current.map_or(&[][..], |c| &c.prefixes), prefixes)?;
    }
    Ok(())
}
