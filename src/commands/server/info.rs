//! INFO [section ...]: server state as `name:value` lines grouped in `# Section`s, in Redis
//! 7.0's section and field order. Sections are written by [`super::info_sections`].

use super::info_sections::{self, Lines};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// INFO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "info",
    arity: -1,
    flags: Flags::LOADING.union(Flags::STALE),
    acl: Acl::DANGEROUS,
    group: Group::Server,
    summary: "Get information and statistics about the server",
    complexity: "O(1)",
    history: &[("7.0.0", "Added support for taking multiple section arguments.")],
    tips: &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
    args: &[Arg { name: "section", optional: true, multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// Writes one section's fields.
type Writer = fn(&mut Ctx<'_>, &mut Lines);

/// A section: its lowercase name (the selector), its header, whether `INFO` with no argument
/// shows it, and its writer. In Redis's output order.
struct Section {
    name: &'static str,
    title: &'static str,
    default: bool,
    write: Writer,
}

const SECTIONS: &[Section] = &[
    Section { name: "server", title: "Server", default: true, write: info_sections::server },
    Section { name: "clients", title: "Clients", default: true, write: info_sections::clients },
    Section { name: "memory", title: "Memory", default: true, write: info_sections::memory },
    Section { name: "persistence", title: "Persistence", default: true, write: info_sections::persistence },
    Section { name: "stats", title: "Stats", default: true, write: info_sections::stats },
    Section { name: "replication", title: "Replication", default: true, write: info_sections::replication },
    Section { name: "cpu", title: "CPU", default: true, write: info_sections::cpu },
    Section { name: "modules", title: "Modules", default: true, write: info_sections::nothing },
    Section { name: "commandstats", title: "Commandstats", default: false, write: info_sections::commandstats },
    Section { name: "errorstats", title: "Errorstats", default: true, write: info_sections::errorstats },
    Section {
        name: "latencystats",
        title: "Latencystats",
        default: false,
        write: super::latency::histogram::info_section,
    },
    Section { name: "cluster", title: "Cluster", default: true, write: info_sections::cluster },
    Section { name: "keyspace", title: "Keyspace", default: true, write: info_sections::keyspace },
];

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let wanted = selected(&argv[1..]);
    let mut text = Lines::default();
    for (section, _) in SECTIONS.iter().zip(&wanted).filter(|(_, on)| **on) {
        text.header(section.title);
        (section.write)(ctx, &mut text);
    }
    ctx.out.verbatim(text.as_bytes());
}

/// Which sections the arguments select, by index in [`SECTIONS`]. Unknown names select nothing;
/// no argument means `default`; `all` and `everything` are the same here (rkv has no modules).
fn selected(args: &[&[u8]]) -> Vec<bool> {
    let mut wanted = vec![false; SECTIONS.len()];
    let defaults = |wanted: &mut Vec<bool>| SECTIONS.iter().zip(wanted.iter_mut()).for_each(|(s, w)| *w |= s.default);
    if args.is_empty() {
        defaults(&mut wanted);
    }
    for arg in args {
        let arg = arg.to_ascii_lowercase();
        match arg.as_slice() {
            b"default" => defaults(&mut wanted),
            b"all" | b"everything" => wanted.iter_mut().for_each(|w| *w = true),
            name => {
                if let Some(i) = SECTIONS.iter().position(|s| s.name.as_bytes() == name) {
                    wanted[i] = true;
                }
            }
        }
    }
    wanted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(args: &[&str]) -> Vec<&'static str> {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        SECTIONS.iter().zip(selected(&args)).filter(|(_, on)| *on).map(|(s, _)| s.name).collect()
    }

    #[test]
    fn selectors() {
        let default = [
            "server",
            "clients",
            "memory",
            "persistence",
            "stats",
            "replication",
            "cpu",
            "modules",
            "errorstats",
            "cluster",
            "keyspace",
        ];
        assert_eq!(names(&[]), default);
        assert_eq!(names(&["DEFAULT"]), default);
        assert_eq!(names(&["everything"]).len(), SECTIONS.len());
        assert_eq!(names(&["all"]).len(), SECTIONS.len());
        assert_eq!(names(&["keyspace", "Cluster", "keyspace"]), ["cluster", "keyspace"]);
        assert_eq!(names(&["nosuch"]), Vec::<&str>::new());
        assert_eq!(names(&["default", "commandstats"]).len(), default.len() + 1);
    }
}
