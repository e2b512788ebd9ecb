//! The lookup shared by the DEBUG subcommands that inspect one key's value (Redis's
//! `objectCommandLookupOrReply` with "no such key"): the access clock is not touched.

use crate::keyspace::{Access, Value, now_ms};
use crate::state::Ctx;

/// What a missing key gets.
const NO_SUCH_KEY: &str = "ERR no such key";

/// What `inspect` makes of the value at `key` in the client's database. A missing key, or an
/// `Err` from `inspect` (an error text), is replied to here and gives `None`.
pub fn inspect_value<T>(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    inspect: impl FnOnce(&Value) -> Result<T, &'static str>,
) -> Option<T> {
    let now = now_ms();
    let found = ctx.server.dbs[ctx.client.db].lookup_for(key, now, Access::Peek).map(|entry| inspect(&entry.value));
    match found {
        None => ctx.out.error(NO_SUCH_KEY),
        Some(Err(error)) => ctx.out.error(error),
        Some(Ok(result)) => return Some(result),
    }
    None
}
