//! DEBUG HTSTATS <dbid>: the shape of a database's key table and expiry table, in the text of
//! Redis's `dictGetStats`; [`render`] is shared with HTSTATS-KEY.

use std::fmt::Write as _;

use super::Sub;
use crate::commands::errors::NOT_INTEGER;
use crate::state::Ctx;
use crate::types::dict::{CHAIN_LENGTHS, TableStats};
use crate::types::number::parse_i64;

/// DEBUG HTSTATS.
pub const SUB: Sub = Sub {
    name: "htstats",
    min_args: 3,
    max_args: 3,
    help: &["HTSTATS <dbid>", "    Return hash table statistics of the specified Redis database."],
    run,
};

/// Redis writes each dict's stats into a buffer of this size, so longer text is cut there.
const STATS_BUFFER: usize = 4096;

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(dbid) = parse_i64(argv[2]) else { return ctx.out.error(NOT_INTEGER) };
    let Some(db) = usize::try_from(dbid).ok().and_then(|id| ctx.server.dbs.get(id)) else {
        return ctx.out.error("ERR Out of range database");
    };
    let [keys, expires] = db.table_stats();
    let text = format!("[Dictionary HT]\n{}[Expires HT]\n{}", render(&keys), render(&expires));
    ctx.out.verbatim(text.as_bytes());
}

/// One dict's stats as Redis's `dictGetStats` writes them: the main table, then the rehash
/// target if there is one (`tables` as `Dict::stats` returns them).
pub fn render(tables: &[TableStats]) -> String {
    let mut out = String::new();
    for (index, table) in tables.iter().enumerate() {
        let role = if index == 0 { "main hash table" } else { "rehashing target" };
        let _ = writeln!(out, "Hash table {index} stats ({role}):");
        if table.used == 0 {
            out.push_str("No stats available for empty dictionaries\n");
            continue;
        }
        // Redis computes the averages and shares in single precision (C `float`).
        let per_slot = |n: usize| n as f32 / table.slots as f32;
        let _ = write!(
            out,
            " table size: {}\n number of elements: {}\n different slots: {}\n max chain length: {}\n \
             avg chain length (counted): {:.2}\n avg chain length (computed): {:.2}\n \
             Chain length distribution:\n",
            table.size,
            table.used,
            table.slots,
            table.longest,
            per_slot(table.chained),
            per_slot(table.used),
        );
        // The last count (the longest chains together) is not listed, as in Redis.
        for (len, &buckets) in table.chains.iter().enumerate().take(CHAIN_LENGTHS - 1) {
            if buckets > 0 {
                let share = buckets as f32 / table.size as f32 * 100.0;
                let _ = writeln!(out, "   {len}: {buckets} ({share:.2}%)");
            }
        }
    }
    out.truncate(STATS_BUFFER - 1);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(size: usize, chains: &[usize]) -> TableStats {
        let mut counts = [0; CHAIN_LENGTHS];
        counts[..chains.len()].copy_from_slice(chains);
        let used = chains.iter().enumerate().map(|(len, n)| len * n).sum();
        let slots = size - chains[0];
        let longest = chains.iter().rposition(|&n| n > 0).unwrap_or(0);
        TableStats { size, used, slots, chained: used, longest, chains: counts }
    }

    #[test]
    fn renders_as_dict_get_stats() {
        // 32 buckets: 20 empty, 8 with one entry, 3 with two, 1 with three (17 entries).
        let text = render(&[table(32, &[20, 8, 3, 1]), table(64, &[64])]);
        let expected = "Hash table 0 stats (main hash table):\n table size: 32\n number of elements: 17\n \
                        different slots: 12\n max chain length: 3\n avg chain length (counted): 1.42\n \
                        avg chain length (computed): 1.42\n Chain length distribution:\n   0: 20 (62.50%)\n   \
                        1: 8 (25.00%)\n   2: 3 (9.38%)\n   3: 1 (3.12%)\n\
                        Hash table 1 stats (rehashing target):\nNo stats available for empty dictionaries\n";
        assert_eq!(text, expected);
    }
}
