//! RESP2/RESP3 wire protocol: request decoding (multibulk and inline) and reply encoding.
//!
//! This module knows nothing about tokio, the keyspace or commands, so it can be fuzzed and
//! benchmarked on its own. Requests are decoded into argument *ranges* over the connection's read
//! buffer (no copy, no allocation per argument); replies are written straight into an output
//! buffer, downgraded from RESP3 kinds to RESP2 when the client speaks RESP2.

mod decode;
mod inline;
mod reply;

pub use decode::{Args, Batch, DecodeLimits, ProtocolError, RequestDecoder};
pub use inline::{quote_repr, split_args};
pub use reply::{Aggregate, Deferred, Reply, d2string, format_double, format_g};
