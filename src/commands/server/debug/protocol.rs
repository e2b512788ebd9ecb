//! DEBUG PROTOCOL <type>: one sample reply of each RESP kind, for client library tests.

use super::Sub;
use crate::state::Ctx;
use crate::state::effects::push_to_caller;

/// DEBUG PROTOCOL.
pub const SUB: Sub = Sub {
    name: "protocol",
    min_args: 3,
    max_args: 3,
    help: &[
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
    ],
    run,
};

const UNKNOWN_TYPE: &str = "ERR Wrong protocol type name. Please use one of the following: \
                            string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false";

/// Each kind goes through the reply builder, so a RESP2 client sees the same downgrades as from
/// any command; only attributes and pushes, which RESP2 lacks, are special-cased as in Redis.
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let out = &mut *ctx.out;
    match argv[2].to_ascii_lowercase().as_slice() {
        b"string" => out.bulk(b"Hello World"),
        b"integer" => out.int(12345),
        // Redis's sample value, not an approximation of pi.
        #[allow(clippy::approx_constant)]
        b"double" => out.double(3.141),
        b"bignum" => out.big_number(b"1234567999999999999999999999999999999"),
        b"null" => out.null(),
        b"array" => {
            out.array(3);
            (0..3).for_each(|n| out.int(n));
        }
        b"set" => {
            out.set(3);
            (0..3).for_each(|n| out.int(n));
        }
        b"map" => {
            out.map(3);
            for n in 0..3 {
                out.int(n);
                out.boolean(n == 1);
            }
        }
        b"attrib" => {
            if out.is_resp3() {
                out.attribute(1);
                out.bulk(b"key-popularity");
                out.array(2);
                out.bulk(b"key:123");
                out.int(90);
            }
            // An attribute only annotates the reply that follows it.
            out.bulk(b"Some real reply following the attribute");
        }
        b"push" => {
            if !out.is_resp3() {
                return out.error("ERR RESP2 is not supported by this command");
            }
            // Sent even under CLIENT REPLY OFF, like every push.
            push_to_caller(ctx.client, out, |out| {
                out.push(2);
                out.bulk(b"server-cpu-usage");
                out.int(42);
            });
            // A client that discards pushes still gets a reply to its request.
            out.bulk(b"Some real reply following the push reply");
        }
        b"verbatim" => out.verbatim(b"This is a verbatim\nstring"),
        b"true" => out.boolean(true),
        b"false" => out.boolean(false),
        _ => out.error(UNKNOWN_TYPE),
    }
}
