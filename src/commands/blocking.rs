//! What the blocking commands of every type share (BLPOP and friends, BZPOPMIN and friends).

use super::errors::Replied;
use crate::executor::BlockTimeout;
use crate::protocol::Reply;

/// Parses a blocking command's timeout in seconds, replying Redis's error when it is invalid.
pub fn parse_timeout(out: &mut Reply, arg: &[u8]) -> Result<BlockTimeout, Replied> {
    BlockTimeout::parse(arg).map_err(|msg| {
        out.error(msg);
        Replied
    })
}
