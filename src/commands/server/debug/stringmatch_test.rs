//! DEBUG STRINGMATCH-TEST: fuzzes the glob matcher with random patterns and strings; surviving
//! is passing.

use super::Sub;
use crate::state::Ctx;
use crate::types::glob;

/// DEBUG STRINGMATCH-TEST.
pub const SUB: Sub = Sub {
    name: "stringmatch-test",
    min_args: 2,
    max_args: 2,
    help: &["STRINGMATCH-TEST", "    Run a fuzz tester against the stringmatchlen() function."],
    run,
};

/// Pairs tried. Redis tries ten million, which blocks it for about six seconds; 200 000 keep
/// the whole server's pause around a tenth of a second (a few seconds in an unoptimized test
/// build would trip clients' timeouts) while still covering the short inputs well.
const ROUNDS: usize = 200_000;

/// Patterns and strings are shorter than this, as in Redis's fuzzer.
const MAX_LEN: usize = 32;

/// Random 7-bit bytes (so `*`, `?`, `[`, `]`, `^`, `-` and `\` are frequent) of random lengths,
/// matched case-sensitively as Redis's fuzzer does.
fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let rng = &mut ctx.server.rng;
    let (mut pattern, mut string) = (Vec::with_capacity(MAX_LEN), Vec::with_capacity(MAX_LEN));
    let mut fill = |buf: &mut Vec<u8>| {
        buf.clear();
        let len = rng.usize(..MAX_LEN);
        buf.extend((0..len).map(|_| rng.u8(..128)));
    };
    for _ in 0..ROUNDS {
        fill(&mut string);
        fill(&mut pattern);
        // The result does not matter, only that matching returns; keep it from being optimized out.
        std::hint::black_box(glob::matches(&pattern, &string));
    }
    ctx.out.simple("Apparently Redis did not crash: test passed");
}
