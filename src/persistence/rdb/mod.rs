//! Redis's RDB format, both ways: files (SAVE, BGSAVE, startup loading, DEBUG RELOAD) and the
//! payloads of DUMP and RESTORE.
//!
//! **Reading** takes every format Redis 2.6 to 7.2 writes (RDB versions 1 to 11): all value
//! types and legacy encodings (zipmap, ziplist, intset, quicklists of ziplists, listpacks,
//! 7.2's listpack sets), every opcode, the CRC64 trailer. Input is untrusted: every embedded
//! structure is validated in full while being converted into rkv's own structures (in the
//! encodings Redis would choose under the current limits), lengths never size an allocation
//! beyond what the input holds, and any fault is an [`RdbError`] naming the byte offset and what
//! was expected there — never a panic. Module data and pre-GA function libraries are refused
//! with errors naming them.
//!
//! **Writing** produces what Redis 7.0.15 writes (version 10), so redis-server 7.0 and
//! `redis-check-rdb` take rkv's files and payloads.
//!
//! # API
//!
//! Saving a snapshot, key by key into any [`std::io::Write`] sink (a `BufWriter<File>`, or a
//! `Vec<u8>` whose bytes a forkless BGSAVE hands off between batches of keys with
//! [`Saver::sink_mut`]):
//!
//! ```text
//! let options = SaveOptions::from_config(&config, clock);     // rdbcompression, rdbchecksum, policy
//! let mut saver = Saver::new(sink, &options, &Aux::snapshot(used_memory))?;  // header + aux fields
//! for code in libraries { saver.save_function(code)?; }       // before any database
//! for (index, db) in dbs.iter().enumerate() {
//!     saver.save_db(index, db, &mut || {})?;                 // or: select_db(index, len, volatile)
//! }                                                           //     then save_key(key, entry, expire)…
//! let sink = saver.finish()?;                                 // EOF + CRC64; flush and rename after
//! ```
//!
//! [`save`] does all of that in one call. Loading:
//!
//! ```text
//! let options = LoadOptions::from_config(&config, server.skip_checksum_validation);
//! let loaded = load(BufReader::new(file), &options)?;         // Loaded: aux, functions, dbs of LoadedKey
//! ```
//!
//! or record by record with [`Loader::next_record`] to insert keys as they arrive. Either way
//! the caller decides what Redis decides around the loader: dropping keys whose expiry passed
//! (a master does, not when loading an AOF preamble), refusing or replacing duplicate keys
//! (DEBUG RELOAD allows them), logging skipped empty keys, and setting each key's access clock
//! from its hints with [`crate::keyspace::AccessClock::restored`]. Function libraries come back
//! as code for the scripting engine to load.
//!
//! DUMP and RESTORE use [`dump`] and [`restore`]; DEBUG OBJECT's `serializedlength` is
//! [`serialized_len`].

mod build;
mod check;
mod checksum;
mod decode;
mod encode;
mod error;
mod format;
mod intset;
mod listpack;
mod load;
mod payload;
mod reader;
mod save;
mod stream;
#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;
mod writer;
mod ziplist;
mod zipmap;

pub use build::EncodingLimits;
pub use check::{check_file, check_stream};
pub use error::{ErrorKind, RdbError};
pub use load::{LoadOptions, Loaded, LoadedKey, Loader, Record, Trailer, load};
pub use payload::{FunctionsPayloadError, PayloadError, dump, dump_functions, restore, restore_functions};
pub use save::{AccessStamps, Aux, ReplicationAux, SaveOptions, Saver, encode_key, save, save_paced};

use crate::keyspace::Value;

/// Bytes `value` takes serialized, without its type byte (Redis's `rdbSavedObjectLen`, DEBUG
/// OBJECT's `serializedlength`); `compress` is `rdbcompression`, as compression changes it.
pub fn serialized_len(value: &Value, compress: bool) -> usize {
    let mut out = writer::Writer::new(std::io::sink(), false, compress);
    // Writing into a sink cannot fail.
    let _ = encode::write_value(&mut out, value);
    usize::try_from(out.written()).unwrap_or(usize::MAX)
}
