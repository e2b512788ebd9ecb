//! CLIENT TRACKINGINFO: the calling client's tracking flags, redirection and prefixes.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// CLIENT TRACKINGINFO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "trackinginfo",
    since: "6.2.0",
    summary: "Return information about server assisted client side caching for the current connection",
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let tracking = ctx.client.tracking.as_deref();
    let mut flags: Vec<&str> = vec![if tracking.is_some() { "on" } else { "off" }];
    if let Some(t) = tracking {
        for (set, name) in [
            (t.bcast, "bcast"),
            (t.optin, "optin"),
            (t.optin && t.caching, "caching-yes"),
            (t.optout, "optout"),
            (t.optout && t.caching, "caching-no"),
            (t.noloop, "noloop"),
            (t.broken_redirect, "broken_redirect"),
        ] {
            if set {
                flags.push(name);
            }
        }
    }
    ctx.out.map(3);
    ctx.out.bulk(b"flags");
    ctx.out.set(flags.len());
    for f in flags {
        ctx.out.bulk(f.as_bytes());
    }
    ctx.out.bulk(b"redirect");
    ctx.out.int(tracking.map_or(-1, |t| t.redirect as i64));
    ctx.out.bulk(b"prefixes");
    let mut prefixes: Vec<&Vec<u8>> = tracking.map(|t| t.prefixes.iter().collect()).unwrap_or_default();
    // Redis keeps them in a radix tree: sorted.
    prefixes.sort();
    ctx.out.array(prefixes.len());
    for p in prefixes {
        ctx.out.bulk(p);
    }
}
