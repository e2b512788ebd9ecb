//! SLOWLOG: the container of the slow log subcommands, one file per subcommand. The log itself
//! is [`crate::stats::slowlog`]; commands are added to it by the executor after they run.

pub mod get;
pub mod help;
pub mod len;
pub mod reset;

use crate::commands::{CommandSpec, Flags, Group};

/// SLOWLOG.
pub const SPEC: CommandSpec = CommandSpec {
    name: "slowlog",
    arity: -2,
    group: Group::Server,
    since: "2.2.12",
    summary: "A container for slow log commands",
    complexity: "Depends on subcommand.",
    subcommands: &[&get::SPEC, &help::SPEC, &len::SPEC, &reset::SPEC],
    ..CommandSpec::DEFAULT
};

/// What the subcommands share; each names only what differs.
const BASE: CommandSpec = CommandSpec {
    arity: 2,
    flags: Flags::ADMIN.union(Flags::LOADING).union(Flags::STALE),
    group: Group::Server,
    since: "2.2.12",
    complexity: "O(1)",
    ..CommandSpec::DEFAULT
};

/// The error for a subcommand called with arguments it does not take.
fn syntax_error(sub: &str) -> String {
    format!("ERR unknown subcommand or wrong number of arguments for '{sub}'. Try SLOWLOG HELP.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::Acl;

    /// `COMMAND INFO slowlog` of redis-server 7.0.15: name, arity, flags, ACL categories, tips.
    const REDIS_INFO: &[(&str, i32, &str, &str, &str)] = &[
        (
            "get",
            -2,
            "admin loading stale",
            "@admin @slow @dangerous",
            "request_policy:all_nodes nondeterministic_output",
        ),
        ("help", 2, "loading stale", "@slow", ""),
        (
            "len",
            2,
            "admin loading stale",
            "@admin @slow @dangerous",
            "request_policy:all_nodes response_policy:agg_sum nondeterministic_output",
        ),
        (
            "reset",
            2,
            "admin loading stale",
            "@admin @slow @dangerous",
            "request_policy:all_nodes response_policy:all_succeeded",
        ),
    ];

    #[test]
    fn specs_match_redis_command_info() {
        assert_eq!((SPEC.arity, SPEC.flags, SPEC.acl_categories()), (-2, Flags::NONE, Acl::SLOW));
        crate::commands::spec::check_subcommands(&SPEC, Group::Server, REDIS_INFO);
    }

    #[test]
    fn syntax_error_text() {
        assert_eq!(
            syntax_error("get"),
            "ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP."
        );
    }
}
