//! LATENCY: the container of the latency diagnostics subcommands, one file per subcommand. The
//! data is [`crate::stats::latency`]: events recorded by the executor when a command or a cycle
//! takes `latency-monitor-threshold` milliseconds or more, and per-command histograms.

pub mod doctor;
pub mod graph;
pub mod help;
pub mod histogram;
pub mod history;
pub mod latest;
pub mod reset;

use crate::commands::{CommandSpec, Flags, Group};

/// LATENCY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "latency",
    arity: -2,
    group: Group::Server,
    since: "2.8.13",
    summary: "A container for latency diagnostics commands",
    complexity: "Depends on subcommand.",
    subcommands: &[
        &doctor::SPEC,
        &graph::SPEC,
        &help::SPEC,
        &histogram::SPEC,
        &history::SPEC,
        &latest::SPEC,
        &reset::SPEC,
    ],
    ..CommandSpec::DEFAULT
};

/// What the subcommands share; each names only what differs.
const BASE: CommandSpec = CommandSpec {
    arity: 2,
    flags: Flags::ADMIN.union(Flags::NOSCRIPT).union(Flags::LOADING).union(Flags::STALE),
    group: Group::Server,
    since: "2.8.13",
    complexity: "O(1)",
    tips: &["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
    ..CommandSpec::DEFAULT
};

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::commands::Acl;

    /// Checks a container's subcommands against `COMMAND INFO` rows: name, arity, flags, ACL
    /// categories, tips.
    pub(crate) fn check_subcommands(container: &CommandSpec, rows: &[(&str, i32, &str, &str, &str)]) {
        assert_eq!(container.subcommands.len(), rows.len());
        for &(name, arity, flags, acl, tips) in rows {
            let spec = container.subcommands.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no {name}"));
            let flag_names: Vec<&str> =
                Flags::NAMES.iter().filter(|(f, _)| spec.flags.contains(*f)).map(|(_, n)| *n).collect();
            assert_eq!(flag_names.join(" "), flags, "{name} flags");
            let mut acl_names: Vec<String> = Acl::NAMES
                .iter()
                .filter(|(a, _)| spec.acl_categories().contains(*a))
                .map(|(_, n)| format!("@{n}"))
                .collect();
            let mut expected: Vec<&str> = acl.split(' ').collect();
            acl_names.sort();
            expected.sort_unstable();
            assert_eq!(acl_names, expected, "{name} categories");
            assert_eq!(spec.arity, arity, "{name} arity");
            assert_eq!(spec.tips.join(" "), tips, "{name} tips");
            assert_eq!(spec.group, Group::Server, "{name} group");
        }
    }

    const SPECIAL: &str = "nondeterministic_output request_policy:all_nodes response_policy:special";
    const ADMIN: &str = "admin noscript loading stale";
    const ADMIN_ACL: &str = "@admin @slow @dangerous";

    #[test]
    fn specs_match_redis_command_info() {
        assert_eq!((SPEC.arity, SPEC.flags, SPEC.acl_categories()), (-2, Flags::NONE, Acl::SLOW));
        check_subcommands(
            &SPEC,
            &[
                ("doctor", 2, ADMIN, ADMIN_ACL, SPECIAL),
                ("graph", 3, ADMIN, ADMIN_ACL, SPECIAL),
                ("help", 2, "loading stale", "@slow", ""),
                ("histogram", -2, ADMIN, ADMIN_ACL, SPECIAL),
                ("history", 3, ADMIN, ADMIN_ACL, SPECIAL),
                ("latest", 2, ADMIN, ADMIN_ACL, SPECIAL),
                ("reset", -2, ADMIN, ADMIN_ACL, "request_policy:all_nodes response_policy:all_succeeded"),
            ],
        );
    }
}
