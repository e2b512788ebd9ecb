//! Values from their RDB serialization: every type Redis 2.6 to 7.2 writes, one element at a
//! time or as an embedded listpack, ziplist, intset or zipmap, each validated in full and
//! converted into rkv's own structures (see `build` for the encodings chosen); streams are read by
//! [`super::stream`]. Module values are refused with errors naming them.

use std::io::Read;

use super::build::{self, EncodingLimits, Refused};
use super::error::{ErrorKind, RdbError};
use super::format::{CONTAINER_PACKED, CONTAINER_PLAIN, ValueType};
use super::reader::{Reader, Result};
use super::{intset, listpack, ziplist, zipmap};
use crate::keyspace::Value;
use crate::types::listpack::Entry;
use crate::types::quicklist::{End, Quicklist};
use crate::types::zset::score::{c_str, strtod};

/// Longest text of a listpack or ziplist score Redis reads (`zzlStrtod`'s buffer).
const SCORE_TEXT_MAX: usize = 127;

/// Reads the value of RDB type `type_byte` (the byte just read, before the reader's position).
pub fn read_value<R: Read>(r: &mut Reader<R>, type_byte: u8, limits: &EncodingLimits) -> Result<Value> {
    let at = r.pos();
    let Some(ty) = ValueType::from_byte(type_byte) else {
        return Err(RdbError::new(at.saturating_sub(1), ErrorKind::UnknownType(type_byte)));
    };
    use ValueType::*;
    let built = match ty {
        String => return Ok(build::string(&r.string()?)),
        List => {
            let mut list = Quicklist::new(limits.list);
            for _ in 0..r.len()? {
                list.push(End::Back, &r.string()?);
            }
            build::list(list)
        }
        Set => {
            let mut members = Vec::new();
            for _ in 0..r.len()? {
                members.push(r.string()?);
            }
            build::set(members, limits.set_max_intset)
        }
        ZSet | ZSet2 => read_zset(r, ty == ZSet2, limits)?,
        Hash => {
            let mut pairs = Vec::new();
            for _ in 0..r.len()? {
                pairs.push((r.string()?, r.string()?));
            }
            let lengths = pairs.iter().flat_map(|(f, v)| [f.len(), v.len()]);
            let large = !build::fits_listpack(pairs.len(), lengths, limits.hash.max_entries, limits.hash.max_value);
            build::hash(pairs, large)
        }
        ListQuicklist | ListQuicklist2 => read_quicklist(r, ty == ListQuicklist2, limits)?,
        HashZipmap | ListZiplist | SetIntset | ZSetZiplist | HashZiplist | HashListpack | ZSetListpack
        | SetListpack => {
            let blob_at = r.pos();
            let blob = r.string()?;
            from_blob(ty, &blob, blob_at, limits)?
        }
        ModulePreGa | Module2 => return Err(RdbError::new(at.saturating_sub(1), ErrorKind::ModuleData)),
        StreamListpacks | StreamListpacks2 | StreamListpacks3 => return super::stream::read_stream(r, ty),
    };
    built.map_err(|refused| match refused {
        Refused::Empty => RdbError::new(at, ErrorKind::EmptyValue),
        Refused::Duplicate => RdbError::corrupt(at, duplicate_message(ty)),
    })
}

/// How Redis names the structure of a value type in its integrity errors ("Hash ziplist
/// integrity check failed"); logs and Redis's tests look for these words.
fn structure_name(ty: ValueType) -> &'static str {
    use ValueType::*;
    match ty {
        HashZipmap => "Zipmap",
        ListZiplist => "List ziplist",
        SetIntset => "Intset",
        ZSetZiplist => "Zset ziplist",
        HashZiplist => "Hash ziplist",
        HashListpack => "Hash listpack",
        ZSetListpack => "Zset listpack",
        SetListpack => "Set listpack",
        ListQuicklist => "Ziplist",
        _ => "Listpack",
    }
}

/// The error for a member or field found twice in a value of type `ty`, in Redis's words.
fn duplicate_message(ty: ValueType) -> String {
    match ty {
        ValueType::Set => "Duplicate set members detected".into(),
        ValueType::ZSet | ValueType::ZSet2 => "Duplicate zset fields detected".into(),
        ValueType::Hash => "Duplicate hash fields detected".into(),
        blob => format!("{} integrity check failed: duplicate members or fields", structure_name(blob)),
    }
}

/// Redis's words for a NaN score.
const NAN_SCORE: &str = "Zset with NAN score detected";

/// A sorted set stored one element at a time, scores in binary (`binary`) or as text.
fn read_zset<R: Read>(
    r: &mut Reader<R>,
    binary: bool,
    limits: &EncodingLimits,
) -> Result<std::result::Result<Value, Refused>> {
    let mut pairs = Vec::new();
    for _ in 0..r.len()? {
        let member = r.string()?;
        let at = r.pos();
        let score = if binary { r.binary_double()? } else { r.text_double()? };
        if score.is_nan() {
            return Err(r.corrupt(at, NAN_SCORE));
        }
        pairs.push((score, member));
    }
    let lengths = pairs.iter().map(|(_, m)| m.len());
    let large = !build::fits_listpack(pairs.len(), lengths, limits.zset.max_entries, limits.zset.max_value);
    Ok(build::zset(pairs, large))
}

/// A list stored as a quicklist: of ziplists (type 14), or of listpack and plain nodes (18).
fn read_quicklist<R: Read>(
    r: &mut Reader<R>,
    v2: bool,
    limits: &EncodingLimits,
) -> Result<std::result::Result<Value, Refused>> {
    let mut list = Quicklist::new(limits.list);
    for _ in 0..r.len()? {
        let container_at = r.pos();
        let container = if v2 { r.len()? } else { CONTAINER_PACKED };
        if container != CONTAINER_PLAIN && container != CONTAINER_PACKED {
            return Err(r.corrupt(container_at, "Quicklist integrity check failed: expected a node container, 1 or 2"));
        }
        let at = r.pos();
        let data = r.string()?;
        if data.is_empty() {
            return Err(r.corrupt(at, "a quicklist node with data"));
        }
        if container == CONTAINER_PLAIN {
            list.push(End::Back, &data);
            continue;
        }
        let ty = if v2 { ValueType::ListQuicklist2 } else { ValueType::ListQuicklist };
        let entries = if v2 { listpack::entries(&data) } else { ziplist::entries(&data) };
        let entries = entries.map_err(|e| e.within(structure_name(ty), at))?;
        push_entries(&mut list, &entries);
    }
    Ok(build::list(list))
}

/// Appends `entries` to `list`.
fn push_entries(list: &mut Quicklist, entries: &[Entry<'_>]) {
    let mut scratch = [0u8; 20];
    for entry in entries {
        list.push(End::Back, entry.as_bytes(&mut scratch));
    }
}

/// A value stored as one embedded structure, held by the string `blob` read at `at`.
fn from_blob(
    ty: ValueType,
    blob: &[u8],
    at: u64,
    limits: &EncodingLimits,
) -> Result<std::result::Result<Value, Refused>> {
    use ValueType::*;
    let name = structure_name(ty);
    let listpack = || listpack::entries(blob).map_err(|e| e.within(name, at));
    let ziplist = || ziplist::entries(blob).map_err(|e| e.within(name, at));
    Ok(match ty {
        HashZipmap => {
            let pairs = zipmap::pairs(blob).map_err(|e| e.within(name, at))?;
            let lengths = pairs.iter().flat_map(|(f, v)| [f.len(), v.len()]);
            let large = !build::fits_listpack(pairs.len(), lengths, limits.hash.max_entries, limits.hash.max_value);
            build::hash(pairs.into_iter().map(|(f, v)| (f.to_vec(), v.to_vec())).collect(), large)
        }
        ListZiplist => {
            let mut list = Quicklist::new(limits.list);
            push_entries(&mut list, &ziplist()?);
            build::list(list)
        }
        SetIntset => {
            let members = intset::parse(blob).map_err(|e| e.within(name, at))?;
            build::int_set(members, limits.set_max_intset)
        }
        SetListpack => build::set(listpack()?.iter().map(Entry::to_vec).collect(), limits.set_max_intset),
        ZSetZiplist => zset_from_entries(&ziplist()?, name, at, limits)?,
        ZSetListpack => zset_from_entries(&listpack()?, name, at, limits)?,
        HashZiplist => hash_from_entries(&ziplist()?, name, at, limits)?,
        HashListpack => hash_from_entries(&listpack()?, name, at, limits)?,
        other => return Err(RdbError::new(at, ErrorKind::UnknownType(other as u8))),
    })
}

/// Splits the entries of the structure `name` into pairs, refusing an odd count.
fn pairs<'a, 'e>(entries: &'a [Entry<'e>], name: &str, at: u64) -> Result<std::slice::ChunksExact<'a, Entry<'e>>> {
    if entries.len() % 2 != 0 {
        return Err(RdbError::corrupt(
            at,
            format!("{name} integrity check failed: expected an even number of entries"),
        ));
    }
    Ok(entries.chunks_exact(2))
}

/// A hash from alternating field and value entries: a listpack unless there are too many.
fn hash_from_entries(
    entries: &[Entry<'_>],
    name: &str,
    at: u64,
    limits: &EncodingLimits,
) -> Result<std::result::Result<Value, Refused>> {
    let pairs: Vec<_> = pairs(entries, name, at)?.map(|p| (p[0].to_vec(), p[1].to_vec())).collect();
    let large = pairs.len() > limits.hash.max_entries;
    Ok(build::hash(pairs, large))
}

/// A sorted set from alternating member and score entries: a listpack unless there are too many.
fn zset_from_entries(
    entries: &[Entry<'_>],
    name: &str,
    at: u64,
    limits: &EncodingLimits,
) -> Result<std::result::Result<Value, Refused>> {
    let mut items = Vec::with_capacity(entries.len() / 2);
    for pair in pairs(entries, name, at)? {
        let score = match pair[1] {
            Entry::Int(n) => n as f64,
            // Redis reads at most 127 bytes of the text, as C's strtod (garbage reads as 0).
            Entry::Bytes(text) => strtod(c_str(&text[..text.len().min(SCORE_TEXT_MAX)])).0,
        };
        if score.is_nan() {
            return Err(RdbError::corrupt(at, NAN_SCORE));
        }
        items.push((score, pair[0].to_vec()));
    }
    let large = items.len() > limits.zset.max_entries;
    Ok(build::zset(items, large))
}
