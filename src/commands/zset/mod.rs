//! Sorted-set commands (the blocking BZPOPMIN, BZPOPMAX and BZMPOP build on [`common::pop_first`]).

pub mod algebra;
pub mod bzmpop;
pub mod bzpopmax;
pub mod bzpopmin;
pub mod common;
pub mod lex;
pub mod range;
pub mod zadd;
pub mod zcard;
pub mod zcount;
pub mod zdiff;
pub mod zdiffstore;
pub mod zincrby;
pub mod zinter;
pub mod zintercard;
pub mod zinterstore;
pub mod zlexcount;
pub mod zmpop;
pub mod zmscore;
pub mod zpopmax;
pub mod zpopmin;
pub mod zrandmember;
pub mod zrange;
pub mod zrangebylex;
pub mod zrangebyscore;
pub mod zrangestore;
pub mod zrank;
pub mod zrem;
pub mod zremrangebylex;
pub mod zremrangebyrank;
pub mod zremrangebyscore;
pub mod zrevrange;
pub mod zrevrangebylex;
pub mod zrevrangebyscore;
pub mod zrevrank;
pub mod zscan;
pub mod zscore;
pub mod zunion;
pub mod zunionstore;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] = &[
    &bzmpop::SPEC,
    &bzpopmax::SPEC,
    &bzpopmin::SPEC,
    &zadd::SPEC,
    &zincrby::SPEC,
    &zrem::SPEC,
    &zcard::SPEC,
    &zcount::SPEC,
    &zlexcount::SPEC,
    &zscore::SPEC,
    &zmscore::SPEC,
    &zrank::SPEC,
    &zrevrank::SPEC,
    &zrange::SPEC,
    &zrangestore::SPEC,
    &zrangebyscore::SPEC,
    &zrevrangebyscore::SPEC,
    &zrangebylex::SPEC,
    &zrevrangebylex::SPEC,
    &zrevrange::SPEC,
    &zremrangebyrank::SPEC,
    &zremrangebyscore::SPEC,
    &zremrangebylex::SPEC,
    &zpopmin::SPEC,
    &zpopmax::SPEC,
    &zmpop::SPEC,
    &zrandmember::SPEC,
    &zunion::SPEC,
    &zinter::SPEC,
    &zdiff::SPEC,
    &zunionstore::SPEC,
    &zinterstore::SPEC,
    &zdiffstore::SPEC,
    &zintercard::SPEC,
    &zscan::SPEC,
];
