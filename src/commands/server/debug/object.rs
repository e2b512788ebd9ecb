//! DEBUG OBJECT key: Redis's one-line description of a value, as its test suite parses it.

use super::Sub;
use crate::commands::generic::object::refcount;
use crate::keyspace::Value;
use crate::persistence::rdb;
use crate::state::Ctx;

/// DEBUG OBJECT.
pub const SUB: Sub = Sub {
    name: "object",
    min_args: 3,
    max_args: 3,
    help: &["OBJECT <key>", "    Show low level info about `key` and associated value."],
    run,
};

/// Like Redis, the key is found as stored: neither expired nor touched.
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &ctx.server.dbs[ctx.client.db];
    let Some((_, entry)) = db.peek(argv[2]) else { return ctx.out.error("ERR no such key") };
    let idle_secs = db.clock().idle_ms(entry.lru()) / 1000;
    let serialized = rdb::serialized_len(&entry.value, ctx.server.config.snapshot.compression);
    let line = format!(
        "Value at:{:p} refcount:{} encoding:{} serializedlength:{serialized} lru:{} lru_seconds_idle:{idle_secs}{}",
        &entry.value,
        refcount::of(ctx, argv[2], &entry.value),
        entry.value.encoding(),
        entry.lru(),
        quicklist_fields(&entry.value),
    );
    ctx.out.simple(&line);
}

/// The fields Redis adds for lists (quicklists).
fn quicklist_fields(value: &Value) -> String {
    let Value::List(list) = value else { return String::new() };
    let nodes = list.node_count();
    format!(
        " ql_nodes:{nodes} ql_avg_node:{:.2} ql_listpack_max:{} ql_compressed:{} ql_uncompressed_size:{}",
        list.len() as f64 / nodes as f64,
        list.fill(),
        u8::from(list.compresses()),
        list.uncompressed_bytes(),
    )
}
