//! LCS: Find longest common substring.

use crate::commands::errors::{NOT_INTEGER, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::protocol::{Aggregate, Reply};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// LCS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lcs",
    arity: -3,
    flags: Flags::READONLY,
    acl: Acl::STRING,
    keys: &[KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 1, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::String,
    since: "7.0.0",
    summary: "Find longest common substring",
    complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
    args: &[
        Arg { name: "key1", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "key2", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "len", kind: ArgKind::PureToken, token: Some("LEN"), optional: true, ..Arg::DEFAULT },
        Arg { name: "idx", kind: ArgKind::PureToken, token: Some("IDX"), optional: true, ..Arg::DEFAULT },
        Arg { name: "len", kind: ArgKind::Integer, token: Some("MINMATCHLEN"), optional: true, ..Arg::DEFAULT },
        Arg {
            name: "withmatchlen",
            kind: ArgKind::PureToken,
            token: Some("WITHMATCHLEN"),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// Options after the two keys.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Options {
    len: bool,
    idx: bool,
    with_match_len: bool,
    min_match_len: u64,
}

fn parse(args: &[&[u8]]) -> Result<Options, &'static str> {
    let mut o = Options::default();
    let mut i = 0;
    while i < args.len() {
        match args[i].to_ascii_uppercase().as_slice() {
            b"IDX" => o.idx = true,
            b"LEN" => o.len = true,
            b"WITHMATCHLEN" => o.with_match_len = true,
            b"MINMATCHLEN" if i + 1 < args.len() => {
                let n = parse_i64(args[i + 1]).ok_or(NOT_INTEGER)?;
                o.min_match_len = n.max(0) as u64;
                i += 1;
            }
            _ => return Err(SYNTAX),
        }
        i += 1;
    }
    if o.idx && o.len {
        return Err("ERR If you want both the length and indexes, please just use IDX.");
    }
    Ok(o)
}

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let mut load = |key: &[u8]| match db.lookup_for(key, now, Access::Read) {
        None => Some(Vec::new()),
        Some(entry) => entry.value.as_string().map(|s| s.to_vec()),
    };
    let (Some(a), Some(b)) = (load(argv[1]), load(argv[2])) else {
        return ctx.out.error("ERR The specified keys must contain string values");
    };
    let options = match parse(&argv[3..]) {
        Ok(o) => o,
        Err(e) => return ctx.out.error(e),
    };
    let cells = (a.len() as u64 + 1) * (b.len() as u64 + 1);
    let table_bytes = cells.saturating_mul(4);
    if table_bytes > u64::try_from(ctx.server.config.proto_max_bulk_len).unwrap_or(u64::MAX) {
        return ctx.out.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    }
    lcs(&a, &b, options, ctx.out);
}

/// The dynamic-programming table: `table[i][j]` is the LCS length of `a[..i]` and `b[..j]`.
struct Table {
    cells: Vec<u32>,
    width: usize,
}

impl Table {
    fn build(a: &[u8], b: &[u8]) -> Table {
        let width = b.len() + 1;
        let mut cells = vec![0u32; (a.len() + 1) * width];
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                cells[i * width + j] = if a[i - 1] == b[j - 1] {
                    cells[(i - 1) * width + j - 1] + 1
                } else {
                    cells[(i - 1) * width + j].max(cells[i * width + j - 1])
                };
            }
        }
        Table { cells, width }
    }

    fn at(&self, i: usize, j: usize) -> u32 {
        self.cells[i * self.width + j]
    }
}

/// Walks the table back from the end as Redis does, building the LCS string and emitting
/// match ranges (last match first).
fn lcs(a: &[u8], b: &[u8], o: Options, out: &mut Reply) {
    let table = Table::build(a, b);
    let total = table.at(a.len(), b.len());
    if o.len && !o.idx {
        return out.int(i64::from(total));
    }
    let mut result = vec![0u8; total as usize];
    let mut idx = total as usize;
    let matches = o.idx.then(|| {
        out.map(2);
        out.bulk(b"matches");
        out.begin_deferred(Aggregate::Array)
    });
    let mut emitted = 0;
    // `a_start == a.len()` means no range is open.
    let (mut a_start, mut a_end, mut b_start, mut b_end) = (a.len(), 0, 0, 0);
    let (mut i, mut j) = (a.len(), b.len());
    while i > 0 && j > 0 {
        let mut emit = false;
        if a[i - 1] == b[j - 1] {
            result[idx - 1] = a[i - 1];
            if a_start == a.len() {
                (a_start, a_end, b_start, b_end) = (i - 1, i - 1, j - 1, j - 1);
            } else if a_start == i && b_start == j {
                a_start -= 1;
                b_start -= 1;
            } else {
                emit = true;
            }
            if a_start == 0 || b_start == 0 {
                emit = true;
            }
            idx -= 1;
            i -= 1;
            j -= 1;
        } else {
            if table.at(i - 1, j) > table.at(i, j - 1) {
                i -= 1;
            } else {
                j -= 1;
            }
            if a_start != a.len() {
                emit = true;
            }
        }
        if emit {
            let match_len = (a_end - a_start + 1) as u64;
            if matches.is_some() && (o.min_match_len == 0 || match_len >= o.min_match_len) {
                out.array(2 + usize::from(o.with_match_len));
                out.array(2);
                out.int(a_start as i64);
                out.int(a_end as i64);
                out.array(2);
                out.int(b_start as i64);
                out.int(b_end as i64);
                if o.with_match_len {
                    out.int(match_len as i64);
                }
                emitted += 1;
            }
            a_start = a.len();
        }
    }
    match matches {
        Some(deferred) => {
            out.end_deferred(deferred, emitted);
            out.bulk(b"len");
            out.int(i64::from(total));
        }
        None => out.bulk(&result),
    }
}
