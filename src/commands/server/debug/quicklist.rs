//! DEBUG QUICKLIST <key> [<0|1>]: writes a list's node layout to the log, and with 1 every
//! entry too (Redis prints them on its standard output); the reply only confirms.

use super::key::inspect_value;
use super::{Sub, atoi};
use crate::keyspace::Value;
use crate::state::Ctx;

/// DEBUG QUICKLIST.
pub const SUB: Sub = Sub {
    name: "quicklist",
    min_args: 3,
    max_args: 4,
    help: &[
        "QUICKLIST <key> [<0|1>]",
        "    Show low level info about the quicklist encoding of <key>.",
        "    The optional argument (0 by default) sets the level of detail",
    ],
    run,
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let key = argv[2];
    let full = argv.get(3).is_some_and(|arg| atoi(arg) != 0);
    let dump = inspect_value(ctx, key, |value| match value {
        Value::List(list) => Ok(list.describe(full)),
        _ => Err("ERR Not a quicklist encoded object."),
    });
    let Some(dump) = dump else { return };
    tracing::info!("DEBUG QUICKLIST {}:\n{dump}", key.escape_ascii());
    ctx.out.simple("Quicklist structure printed on stdout");
}
