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

    const SPECIAL: &str = "nondeterministic_output request_policy:all_nodes response_policy:special";
    const ADMIN: &str = "admin noscript loading stale";
    const ADMIN_ACL: &str = "@admin @slow @dangerous";

    #[test]
    fn specs_match_redis_command_info() {
        assert_eq!((SPEC.arity, SPEC.flags, SPEC.acl_categories()), (-2, Flags::NONE, Acl::SLOW));
        crate::commands::spec::check_subcommands(
            &SPEC,
            Group::Server,
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
