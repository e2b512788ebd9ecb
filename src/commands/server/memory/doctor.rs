//! MEMORY DOCTOR: a report in Redis's voice on the memory problems it can see: a high peak
//! compared to current use, fragmentation inside the allocator, and RSS well above the heap.

use super::Figures;
use crate::commands::CommandSpec;
use crate::state::Ctx;

/// MEMORY DOCTOR.
pub const SPEC: CommandSpec =
    CommandSpec { name: "doctor", summary: "Outputs memory problems report", handler: run, ..super::REPORT };

/// Below this the instance is considered empty and nothing is judged.
const TOO_SMALL: u64 = 5 * 1024 * 1024;
/// Fragmentation worth mentioning: this ratio and at least [`FRAG_BYTES`] wasted.
const FRAG_RATIO: f64 = 1.4;
const FRAG_BYTES: u64 = 10 * 1024 * 1024;

const EMPTY: &str = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
const HEALTHY: &str =
    "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
const PEAK: &str = " * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n";

/// The issues found in `f`, each a paragraph.
fn issues(f: &Figures) -> Vec<String> {
    let mut found = Vec::new();
    if f.peak / 2 > f.total {
        found.push(PEAK.to_owned());
    }
    let allocator_frag = Figures::ratio(f.heap.active, f.heap.allocated);
    if allocator_frag > FRAG_RATIO && f.heap.active.saturating_sub(f.heap.allocated) > FRAG_BYTES {
        found.push(format!(" * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1 ({allocator_frag:.2}). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.\n\n"));
    }
    let rss_overhead = Figures::ratio(f.rss, f.total);
    if rss_overhead > FRAG_RATIO && f.rss.saturating_sub(f.total) > FRAG_BYTES {
        found.push(format!(" * High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than 1.1 ({rss_overhead:.2}). Some of the process memory is not accounted for by the allocator (stacks, buffers of the I/O runtime, libraries); if the difference is large, please report it.\n\n"));
    }
    found
}

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let f = Figures::measure(ctx);
    let report = if f.total < TOO_SMALL {
        EMPTY.to_owned()
    } else {
        match issues(&f) {
            found if found.is_empty() => HEALTHY.to_owned(),
            found => format!(
                "Sam, I detected a few issues in this Redis instance memory implants:\n\n{}I'm here to keep you safe, Sam. I want to help you.\n",
                found.concat()
            ),
        }
    };
    ctx.out.verbatim(report.as_bytes());
}
