//! The replies of COMMAND INFO and COMMAND DOCS, built from the command specs in Redis's exact
//! shapes (field order, sets vs arrays, optional fields omitted when empty).

use crate::commands::{
    Arg, ArgKind, BeginSearch, CommandId, CommandSpec, CommandTable, FindKeys, Flags, KeyFlags, KeySpec,
};
use crate::protocol::Reply;

/// Top-level commands reachable by name, in registration order (Redis's order is its hash
/// table's; ours is stable).
pub fn top_level_ids(table: &CommandTable) -> Vec<CommandId> {
    let mut ids: Vec<CommandId> = table.top_level().map(|(_, id)| id).collect();
    ids.sort_unstable();
    ids
}

/// The subcommands of `id`, in the order its spec lists them.
pub fn subcommand_ids(table: &CommandTable, id: CommandId) -> Vec<CommandId> {
    let entry = table.entry(id);
    entry.spec.subcommands.iter().filter_map(|sub| entry.subcommands.get(sub.name.as_bytes()).copied()).collect()
}

/// Looks up `name` or `container|sub` exactly, as COMMAND INFO and COMMAND DOCS do.
pub fn lookup_fullname(table: &CommandTable, name: &[u8]) -> Option<CommandId> {
    let mut parts = name.split(|&b| b == b'|');
    let id = table.find_command(parts.next()?)?;
    let sub = parts.next();
    if parts.next().is_some() {
        return None;
    }
    match sub {
        None => Some(id),
        Some(sub) => table.entry(id).subcommands.get(&sub.to_ascii_lowercase()).copied(),
    }
}

/// One COMMAND INFO entry, or a null for an unknown command.
pub fn command_info(out: &mut Reply, table: &CommandTable, id: Option<CommandId>) {
    let Some(id) = id else { return out.null() };
    let entry = table.entry(id);
    let spec = entry.spec;
    let (first, last, step) = spec.legacy_key_range();
    out.array(10);
    out.bulk(entry.fullname.as_bytes());
    out.int(i64::from(spec.arity));
    flag_set(out, spec.info_flags().0, Flags::NAMES.iter().map(|(f, name)| (f.0, *name)));
    out.int(i64::from(first));
    out.int(i64::from(last));
    out.int(i64::from(step));
    let acl = spec.acl_categories();
    let categories: Vec<String> =
        crate::commands::Acl::NAMES.iter().filter(|(c, _)| acl.contains(*c)).map(|(_, n)| format!("@{n}")).collect();
    out.set(categories.len());
    categories.iter().for_each(|c| out.simple(c));
    out.set(spec.tips.len());
    spec.tips.iter().for_each(|tip| out.bulk(tip.as_bytes()));
    out.set(spec.keys.len());
    spec.keys.iter().for_each(|ks| key_spec(out, ks));
    let subs = subcommand_ids(table, id);
    if subs.is_empty() {
        out.set(0);
    } else {
        out.array(subs.len());
        subs.iter().for_each(|&sub| command_info(out, table, Some(sub)));
    }
}

/// One COMMAND DOCS value (the map that follows the command's name).
pub fn command_docs(out: &mut Reply, table: &CommandTable, id: CommandId) {
    let spec = table.entry(id).spec;
    let subs = subcommand_ids(table, id);
    let optional = [
        !spec.summary.is_empty(),
        !spec.since.is_empty(),
        !spec.complexity.is_empty(),
        spec.doc_flags.deprecated || spec.doc_flags.syscmd,
        spec.deprecated_since.is_some(),
        spec.replaced_by.is_some(),
        !spec.history.is_empty(),
        !spec.args.is_empty(),
        !subs.is_empty(),
    ];
    out.map(1 + optional.iter().filter(|present| **present).count());
    bulk_field(out, "summary", spec.summary);
    bulk_field(out, "since", spec.since);
    out.bulk(b"group");
    out.bulk(spec.group.name().as_bytes());
    bulk_field(out, "complexity", spec.complexity);
    doc_flags(out, spec);
    optional_field(out, "deprecated_since", spec.deprecated_since);
    optional_field(out, "replaced_by", spec.replaced_by);
    if !spec.history.is_empty() {
        out.bulk(b"history");
        out.set(spec.history.len());
        for (version, change) in spec.history {
            out.array(2);
            out.bulk(version.as_bytes());
            out.bulk(change.as_bytes());
        }
    }
    if !spec.args.is_empty() {
        out.bulk(b"arguments");
        arg_list(out, spec.args);
    }
    if !subs.is_empty() {
        out.bulk(b"subcommands");
        out.map(subs.len());
        for sub in subs {
            out.bulk(table.entry(sub).fullname.as_bytes());
            command_docs(out, table, sub);
        }
    }
}

/// A set of flag names (simple strings) for the bits of `bits` that `names` lists, in its order.
pub fn flag_set<'a>(out: &mut Reply, bits: u32, names: impl Iterator<Item = (u32, &'a str)> + Clone) {
    let present = |(flag, _): &(u32, &str)| bits & flag == *flag;
    out.set(names.clone().filter(present).count());
    names.filter(present).for_each(|(_, name)| out.simple(name));
}

/// The set of key-spec flag names (also used by COMMAND GETKEYSANDFLAGS).
pub fn key_flags(out: &mut Reply, flags: KeyFlags) {
    flag_set(out, u32::from(flags.0), KeyFlags::NAMES.iter().map(|(f, name)| (u32::from(f.0), *name)));
}

fn doc_flags(out: &mut Reply, spec: &CommandSpec) {
    let flags = spec.doc_flags;
    if !(flags.deprecated || flags.syscmd) {
        return;
    }
    out.bulk(b"doc_flags");
    let bits = u32::from(flags.deprecated) | (u32::from(flags.syscmd) << 1);
    flag_set(out, bits, [(1, "deprecated"), (2, "syscmd")].into_iter());
}

fn bulk_field(out: &mut Reply, name: &str, value: &str) {
    if !value.is_empty() {
        out.bulk(name.as_bytes());
        out.bulk(value.as_bytes());
    }
}

fn optional_field(out: &mut Reply, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        out.bulk(name.as_bytes());
        out.bulk(value.as_bytes());
    }
}

fn key_spec(out: &mut Reply, ks: &KeySpec) {
    out.map(if ks.notes.is_some() { 4 } else { 3 });
    optional_field(out, "notes", ks.notes);
    out.bulk(b"flags");
    key_flags(out, ks.flags);
    out.bulk(b"begin_search");
    match ks.begin {
        BeginSearch::Index(pos) => typed_spec(out, "index", &[("index", Value::Int(pos))]),
        BeginSearch::Keyword { keyword, start_from } => {
            typed_spec(out, "keyword", &[("keyword", Value::Text(keyword)), ("startfrom", Value::Int(start_from))])
        }
        BeginSearch::Unknown => typed_spec(out, "unknown", &[]),
    }
    out.bulk(b"find_keys");
    match ks.find {
        FindKeys::Range { last_key, step, limit } => typed_spec(
            out,
            "range",
            &[("lastkey", Value::Int(last_key)), ("keystep", Value::Int(step)), ("limit", Value::Int(limit))],
        ),
        FindKeys::Keynum { keynum_idx, first_key, step } => typed_spec(
            out,
            "keynum",
            &[
                ("keynumidx", Value::Int(keynum_idx)),
                ("firstkey", Value::Int(first_key)),
                ("keystep", Value::Int(step)),
            ],
        ),
        FindKeys::Unknown => typed_spec(out, "unknown", &[]),
    }
}

/// A key-spec field value.
enum Value {
    Int(i32),
    Text(&'static str),
}

/// `{type: kind, spec: {fields}}`, the shape of begin_search and find_keys.
fn typed_spec(out: &mut Reply, kind: &str, fields: &[(&str, Value)]) {
    out.map(2);
    out.bulk(b"type");
    out.bulk(kind.as_bytes());
    out.bulk(b"spec");
    out.map(fields.len());
    for (name, value) in fields {
        out.bulk(name.as_bytes());
        match value {
            Value::Int(n) => out.int(i64::from(*n)),
            Value::Text(s) => out.bulk(s.as_bytes()),
        }
    }
}

fn arg_list(out: &mut Reply, args: &[Arg]) {
    out.array(args.len());
    for arg in args {
        let flags = u32::from(arg.optional) | u32::from(arg.multiple) << 1 | u32::from(arg.multiple_token) << 2;
        let has_flags = flags != 0;
        let key_index = match arg.kind {
            ArgKind::Key(index) | ArgKind::KeyPattern(index) => Some(index),
            _ => None,
        };
        let nested = match arg.kind {
            ArgKind::OneOf(nested) | ArgKind::Block(nested) => Some(nested),
            _ => None,
        };
        let present = [
            key_index.is_some(),
            arg.token.is_some(),
            arg.summary.is_some(),
            arg.since.is_some(),
            arg.deprecated_since.is_some(),
            has_flags,
            nested.is_some(),
        ];
        out.map(2 + present.iter().filter(|p| **p).count());
        out.bulk(b"name");
        out.bulk(arg.name.as_bytes());
        out.bulk(b"type");
        out.bulk(arg.kind.name().as_bytes());
        if let Some(index) = key_index {
            out.bulk(b"key_spec_index");
            out.int(index as i64);
        }
        optional_field(out, "token", arg.token);
        optional_field(out, "summary", arg.summary);
        optional_field(out, "since", arg.since);
        optional_field(out, "deprecated_since", arg.deprecated_since);
        if has_flags {
            out.bulk(b"flags");
            flag_set(out, flags, [(1, "optional"), (2, "multiple"), (4, "multiple_token")].into_iter());
        }
        if let Some(nested) = nested {
            out.bulk(b"arguments");
            arg_list(out, nested);
        }
    }
}
