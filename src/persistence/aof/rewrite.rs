//! A dataset as the commands that rebuild it: the AOF base Redis writes with
//! `aof-use-rdb-preamble no` (`rewriteAppendOnlyFileRio`). A `SELECT` opens each non-empty
//! database, after a `FUNCTION LOAD` per function library; strings are `SET`, lists `RPUSH`, sets `SADD`, sorted sets `ZADD` (scores as
//! `%.17g`), hashes `HMSET`, at most 64 items per command, streams as `rewriteStreamObject` does;
//! a TTL follows as `PEXPIREAT`.

use crate::keyspace::{Entry, Value};
use crate::protocol::format_double;
use crate::types::set::SetValue;
use crate::types::stream::{Stream, StreamId};

/// Items per variadic command (Redis's `AOF_REWRITE_ITEMS_PER_CMD`).
const ITEMS_PER_COMMAND: usize = 64;

/// The first bytes of a rewritten base: a `#TS:` annotation when timestamps are on.
pub fn header(timestamps: bool) -> Vec<u8> {
    if timestamps { format!("#TS:{}\r\n", crate::keyspace::clock::unix_secs()).into_bytes() } else { Vec::new() }
}

/// `SELECT <index>`, which opens a database's section.
pub fn select_db(index: usize, out: &mut Vec<u8>) {
    command(out, &[b"SELECT", index.to_string().as_bytes()]);
}

/// `FUNCTION LOAD <code>`, which restores one function library.
pub fn function_load(code: &[u8], out: &mut Vec<u8>) {
    command(out, &[b"FUNCTION", b"LOAD", code]);
}

/// The commands rebuilding one key onto `out`.
pub fn encode_key(key: &[u8], entry: &Entry, expire: Option<i64>, out: &mut Vec<u8>) {
    match &entry.value {
        Value::String(s) => {
            let mut scratch = [0; 20];
            command(out, &[b"SET", key, s.as_bytes(&mut scratch)]);
        }
        Value::List(list) => {
            let mut items = Vec::with_capacity(ITEMS_PER_COMMAND);
            list.for_each(0..list.len(), false, |item| items.push(item.into_cow().into_owned()));
            let items: Vec<Vec<&[u8]>> = items.iter().map(|i| vec![i.as_slice()]).collect();
            batched(out, b"RPUSH", key, &items);
        }
        Value::Set(set) => {
            let members: Vec<Vec<u8>> = match set {
                SetValue::IntSet(ints) => ints.iter().map(|n| n.to_string().into_bytes()).collect(),
                SetValue::Hashtable(table) => table.iter().map(|(m, ())| m.as_bytes().to_vec()).collect(),
            };
            let items: Vec<Vec<&[u8]>> = members.iter().map(|m| vec![m.as_slice()]).collect();
            batched(out, b"SADD", key, &items);
        }
        Value::ZSet(zset) => {
            let mut pairs = Vec::with_capacity(zset.len());
            zset.for_each(0, zset.len(), false, |score, member| {
                pairs.push((format_double(score).into_bytes(), member.to_vec()));
            });
            let items: Vec<Vec<&[u8]>> = pairs.iter().map(|(s, m)| vec![s.as_slice(), m.as_slice()]).collect();
            batched(out, b"ZADD", key, &items);
        }
        Value::Hash(hash) => {
            let pairs: Vec<_> = hash.iter().collect();
            let items: Vec<Vec<&[u8]>> = pairs.iter().map(|(f, v)| vec![f.as_ref(), v.as_ref()]).collect();
            batched(out, b"HMSET", key, &items);
        }
        Value::Stream(stream) => encode_stream(key, stream, out),
    }
    if let Some(at) = expire {
        command(out, &[b"PEXPIREAT", key, at.to_string().as_bytes()]);
    }
}

/// A stream as Redis's `rewriteStreamObject` writes it: an `XADD` per entry (an empty stream
/// is made by `XADD key MAXLEN 0 0-1 x y`), `XSETID` with the counters, then per group an
/// `XGROUP CREATE` and, per consumer, an `XCLAIM ... FORCE` per pending entry or an
/// `XGROUP CREATECONSUMER` when it has none.
fn encode_stream(key: &[u8], stream: &Stream, out: &mut Vec<u8>) {
    if stream.is_empty() {
        command(out, &[b"XADD", key, b"MAXLEN", b"0", b"0-1", b"x", b"y"]);
    } else {
        stream.range(StreamId::MIN, StreamId::MAX, false, |id, fields| {
            let id = id.to_bytes();
            let mut argv: Vec<&[u8]> = vec![b"XADD", key, &id];
            fields.iter().for_each(|(f, v)| argv.extend_from_slice(&[f.as_ref(), v.as_ref()]));
            command(out, &argv);
            true
        });
    }
    let (last, added, deleted) =
        (stream.last_id.to_bytes(), stream.entries_added.to_string(), stream.max_deleted_id.to_bytes());
    command(out, &[b"XSETID", key, &last, b"ENTRIESADDED", added.as_bytes(), b"MAXDELETEDID", &deleted]);
    for (name, group) in &stream.groups {
        let (last, read) = (group.last_id.to_bytes(), group.entries_read.to_string());
        command(out, &[b"XGROUP", b"CREATE", key, name, &last, b"ENTRIESREAD", read.as_bytes()]);
        for (consumer, state) in &group.consumers {
            if state.pel.is_empty() {
                command(out, &[b"XGROUP", b"CREATECONSUMER", key, name, consumer]);
            }
            for id in &state.pel {
                let Some(nack) = group.pel.get(id) else { continue };
                let (id, time, count) =
                    (id.to_bytes(), nack.delivery_time.to_string(), nack.delivery_count.to_string());
                command(
                    out,
                    &[
                        b"XCLAIM",
                        key,
                        name,
                        consumer,
                        b"0",
                        &id,
                        b"TIME",
                        time.as_bytes(),
                        b"RETRYCOUNT",
                        count.as_bytes(),
                        b"JUSTID",
                        b"FORCE",
                    ],
                );
            }
        }
    }
}

/// `name key item…` commands of at most [`ITEMS_PER_COMMAND`] items (an item is one
/// argument, or a pair for ZADD and HMSET).
fn batched(out: &mut Vec<u8>, name: &[u8], key: &[u8], items: &[Vec<&[u8]>]) {
    for chunk in items.chunks(ITEMS_PER_COMMAND) {
        let mut argv = vec![name, key];
        for item in chunk {
            argv.extend_from_slice(item);
        }
        command(out, &argv);
    }
}

/// One command in RESP multibulk form.
fn command(out: &mut Vec<u8>, argv: &[&[u8]]) {
    out.extend_from_slice(format!("*{}\r\n", argv.len()).as_bytes());
    for arg in argv {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyspace::StringValue;
    use crate::persistence::aof::reader::read_all;

    fn texts(bytes: &[u8]) -> Vec<Vec<String>> {
        let (commands, end) = read_all(bytes);
        assert!(end.is_none());
        commands.iter().map(|c| c.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect()).collect()
    }

    #[test]
    fn strings_and_ttls() {
        let mut out = Vec::new();
        select_db(3, &mut out);
        let value = Value::String(StringValue::Plain(crate::types::small_bytes::SmallBytes::new(b"v")));
        encode_key(b"k", &Entry::new(value, 0), Some(1_700_000_000_000), &mut out);
        assert_eq!(texts(&out), [vec!["SELECT", "3"], vec!["SET", "k", "v"], vec!["PEXPIREAT", "k", "1700000000000"]]);
    }

    #[test]
    fn collections_go_64_items_per_command() {
        let mut out = Vec::new();
        let items: Vec<Vec<u8>> = (0..130).map(|i| i.to_string().into_bytes()).collect();
        let refs: Vec<&[u8]> = items.iter().map(Vec::as_slice).collect();
        let singles: Vec<Vec<&[u8]>> = refs.iter().map(|i| vec![*i]).collect();
        batched(&mut out, b"RPUSH", b"l", &singles);
        let commands = texts(&out);
        assert_eq!(commands.iter().map(Vec::len).collect::<Vec<_>>(), [66, 66, 4]);
        let mut out = Vec::new();
        let pairs: Vec<Vec<&[u8]>> = refs.iter().take(65).map(|i| vec![*i, *i]).collect();
        batched(&mut out, b"ZADD", b"z", &pairs);
        assert_eq!(texts(&out).iter().map(Vec::len).collect::<Vec<_>>(), [130, 4]);
    }
}
