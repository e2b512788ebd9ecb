//! DEBUG LISTPACK <key>: writes the entries of a `listpack`-encoded hash or sorted set to the log
//! (Redis prints them on its standard output); the reply only confirms.

use std::fmt::Write as _;

use super::Sub;
use super::key::inspect_value;
use crate::keyspace::Value;
use crate::state::Ctx;

/// DEBUG LISTPACK.
pub const SUB: Sub = Sub {
    name: "listpack",
    min_args: 3,
    max_args: 3,
    help: &["LISTPACK <key>", "    Show low level info about the listpack encoding of <key>."],
    run,
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let key = argv[2];
    let Some(dump) = inspect_value(ctx, key, dump) else { return };
    tracing::info!("DEBUG LISTPACK {}:\n{dump}", key.escape_ascii());
    ctx.out.simple("Listpack structure printed on stdout");
}

/// The listpack's entries, one pair per line, or Redis's error for other encodings.
fn dump(value: &Value) -> Result<String, &'static str> {
    let mut out = String::new();
    match value {
        Value::Hash(hash) if hash.encoding() == "listpack" => {
            let _ = writeln!(out, "hash, {} fields (field, value):", hash.len());
            for (field, value) in hash.iter() {
                let _ = writeln!(out, "  \"{}\" \"{}\"", field.escape_ascii(), value.escape_ascii());
            }
        }
        Value::ZSet(zset) if zset.encoding() == "listpack" => {
            let _ = writeln!(out, "sorted set, {} members (member, score):", zset.len());
            zset.for_each(0, zset.len(), false, |score, member| {
                let _ = writeln!(out, "  \"{}\" {score}", member.escape_ascii());
            });
        }
        _ => return Err("ERR Not a listpack encoded object."),
    }
    Ok(out)
}
