//! DEBUG ERROR <string>: replies with the string as an error line.

use super::Sub;
use crate::state::Ctx;

/// DEBUG ERROR.
pub const SUB: Sub = Sub {
    name: "error",
    min_args: 3,
    max_args: 3,
    help: &[
        "ERROR <string>",
        "    Return a Redis protocol error with <string> as message. Useful for clients",
        "    unit tests to simulate Redis errors.",
    ],
    run,
};

/// Redis writes the message as the whole error line, code included, byte for byte with CR and LF
/// made spaces; it goes out as a plain reply, so neither errorstats nor the command's failed calls
/// count it.
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mut line = [b"-", argv[2]].concat();
    line.iter_mut().filter(|b| **b == b'\r' || **b == b'\n').for_each(|b| *b = b' ');
    line.extend_from_slice(b"\r\n");
    ctx.out.raw(&line);
}
