//! DEBUG <subcommand>: testing aids, gated by `enable-debug-command`.
//!
//! Unlike OBJECT or CLIENT, Redis's DEBUG is one command (arity -2) that parses its subcommand
//! itself, so COMMAND shows no subcommands. Here each subcommand is a [`Sub`] in its own file,
//! registered with one line in [`SUBCOMMANDS`], in the order of Redis's `DEBUG HELP`; the table
//! gives dispatch, argument counts and the help text, so HELP lists exactly what exists.

mod aof_flush_sleep;
mod change_repl_id;
mod config_rewrite_force_all;
mod digest;
mod digest_value;
mod error;
mod htstats;
mod htstats_key;
mod key;
mod listpack;
mod loadaof;
mod log;
mod object;
mod pause_cron;
mod populate;
mod protocol;
mod quicklist;
mod quicklist_packed_threshold;
mod reload;
mod set_active_expire;
mod set_disable_deny_scripts;
mod set_skip_checksum_validation;
mod sleep;
mod stringmatch_test;

use crate::commands::errors::{c_str, format_error};
use crate::commands::{Acl, CommandSpec, DocFlags, Flags, Group};
use crate::state::Ctx;

/// DEBUG.
pub const SPEC: CommandSpec = CommandSpec {
    name: "debug",
    arity: -2,
    flags: Flags::ADMIN.union(Flags::NOSCRIPT).union(Flags::LOADING).union(Flags::STALE).union(Flags::PROTECTED),
    acl: Acl::NONE,
    group: Group::Server,
    summary: "A container for debugging commands",
    complexity: "Depends on subcommand.",
    doc_flags: DocFlags { deprecated: false, syscmd: true },
    handler: run,
    ..CommandSpec::DEFAULT
};

/// One DEBUG subcommand.
pub struct Sub {
    /// Lowercase name.
    pub name: &'static str,
    /// Fewest arguments, counting DEBUG and the subcommand name.
    pub min_args: usize,
    /// Most arguments (`usize::MAX`: no limit).
    pub max_args: usize,
    /// Its lines of `DEBUG HELP`.
    pub help: &'static [&'static str],
    /// The handler, given the whole argv.
    pub run: fn(&mut Ctx<'_>, &[&[u8]]),
}

/// Every subcommand, in the order of Redis's `DEBUG HELP`.
const SUBCOMMANDS: &[&Sub] = &[
    &aof_flush_sleep::SUB,
    &change_repl_id::SUB,
    &config_rewrite_force_all::SUB,
    &digest::SUB,
    &digest_value::SUB,
    &error::SUB,
    &log::SUB,
    &htstats::SUB,
    &htstats_key::SUB,
    &loadaof::SUB,
    &object::SUB,
    &populate::SUB,
    &protocol::SUB,
    &reload::SUB,
    &set_active_expire::SUB,
    &set_disable_deny_scripts::SUB,
    &quicklist_packed_threshold::SUB,
    &set_skip_checksum_validation::SUB,
    &sleep::SUB,
    &stringmatch_test::SUB,
    &listpack::SUB,
    &quicklist::SUB,
    &pause_cron::SUB,
];

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let name = argv[1].to_ascii_lowercase();
    if name == b"help" && argv.len() == 2 {
        return help(ctx);
    }
    let found = SUBCOMMANDS.iter().find(|sub| sub.name.as_bytes() == name);
    match found {
        Some(sub) if (sub.min_args..=sub.max_args).contains(&argv.len()) => (sub.run)(ctx, argv),
        _ => {
            // `%.128s` of the subcommand as sent.
            let name = c_str(&argv[1][..argv[1].len().min(128)]);
            let text = [b"ERR unknown subcommand or wrong number of arguments for '", name, b"'. Try DEBUG HELP."];
            ctx.out.error_bytes(&format_error(&text));
        }
    }
}

/// `DEBUG HELP`: the header, each subcommand's lines, and HELP's own (Redis's `addReplyHelp`).
fn help(ctx: &mut Ctx<'_>) {
    const HEADER: &str = "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:";
    const OWN: [&str; 2] = ["HELP", "    Print this help."];
    let lines: Vec<&str> =
        std::iter::once(HEADER).chain(SUBCOMMANDS.iter().flat_map(|sub| sub.help.iter().copied())).chain(OWN).collect();
    ctx.out.help(&lines);
}

/// C's `atoi` (several DEBUG subcommands parse their numbers that way).
pub use crate::types::number::atoi;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subcommand_names_are_unique_and_lowercase() {
        let mut names: Vec<&str> = SUBCOMMANDS.iter().map(|sub| sub.name).collect();
        assert!(names.iter().all(|n| *n == n.to_ascii_lowercase()));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SUBCOMMANDS.len());
    }
}
