//! Reading RDB files of versions 1 to 11 (Redis up to 7.2), record by record: auxiliary fields,
//! function libraries (kept as code, not run), sizing hints and keys with their expiry and
//! access hints, then the CRC64 trailer, checked unless it is zero or checking is off.

use std::io::Read;

use super::build::EncodingLimits;
use super::decode::read_value;
use super::error::{ErrorKind, RdbError};
use super::format::{
    FIRST_CHECKSUMMED_VERSION, MAGIC, MAX_LOAD_VERSION, OP_AUX, OP_EOF, OP_EXPIRETIME, OP_EXPIRETIME_MS, OP_FREQ,
    OP_FUNCTION_PRE_GA, OP_FUNCTION2, OP_IDLE, OP_MODULE_AUX, OP_RESIZEDB, OP_SELECTDB, ValueType,
};
use super::reader::{Reader, Result};
use crate::config::Config;
use crate::keyspace::Value;

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// The server's number of databases: a file selecting one beyond is refused.
    pub databases: usize,
    /// Check the CRC64 trailer (`rdbchecksum yes` and no DEBUG SET-SKIP-CHECKSUM-VALIDATION).
    pub verify_checksum: bool,
    /// The limits that decide loaded values' encodings.
    pub limits: EncodingLimits,
}

impl LoadOptions {
    /// The options `config` sets; `skip_checksum_validation` is DEBUG SET-SKIP-CHECKSUM-VALIDATION.
    pub fn from_config(config: &Config, skip_checksum_validation: bool) -> Self {
        LoadOptions {
            databases: config.databases,
            verify_checksum: config.snapshot.checksum && !skip_checksum_validation,
            limits: EncodingLimits::from_config(config),
        }
    }
}

/// A key read from a file, with what the opcodes before it said.
#[derive(Debug)]
pub struct LoadedKey {
    /// Its database.
    pub db: usize,
    /// The key.
    pub key: Vec<u8>,
    /// The value.
    pub value: Value,
    /// Expiry in Unix milliseconds (possibly past: the caller decides what to do with it).
    pub expire: Option<i64>,
    /// Idle time in seconds (files saved under an LRU policy).
    pub idle_secs: Option<u64>,
    /// LFU counter (files saved under an LFU policy).
    pub freq: Option<u8>,
}

/// One record of a file.
#[derive(Debug)]
pub enum Record {
    /// An auxiliary field.
    Aux {
        /// Its name (`redis-ver`, `ctime`, `repl-id`…).
        name: Vec<u8>,
        /// Its value.
        value: Vec<u8>,
    },
    /// A function library's code (the scripting engine loads it).
    Function(Vec<u8>),
    /// The keys that follow belong to this database.
    SelectDb(usize),
    /// The key and expiry counts of database `db`: a sizing hint from the file, so untrusted
    /// (cap it before reserving anything by it).
    ResizeDb {
        /// The database.
        db: usize,
        /// Keys it holds.
        keys: u64,
        /// Keys with a TTL.
        volatile: u64,
    },
    /// A key.
    Key(LoadedKey),
    /// A key whose collection is empty: Redis skips these (older versions could save them).
    EmptyKey {
        /// Its database.
        db: usize,
        /// The key.
        key: Vec<u8>,
    },
}

/// Options given by the opcodes before a key.
#[derive(Debug, Default)]
struct KeyAttributes {
    expire: Option<i64>,
    idle_secs: Option<u64>,
    freq: Option<u8>,
}

/// Reads a file record by record (see the module docs).
pub struct Loader<R> {
    reader: Reader<R>,
    options: LoadOptions,
    version: u32,
    db: usize,
    done: bool,
    /// What the trailer said, once read: `None` before it (and for versions without one).
    trailer: Option<Trailer>,
}

/// What a file's CRC64 trailer said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trailer {
    /// The checksum matched the data.
    Verified,
    /// The file was saved with `rdbchecksum no` (a zero trailer), or checking is off.
    NotChecked,
}

impl<R: Read> Loader<R> {
    /// Reads the header of the file in `source`.
    pub fn new(source: R, options: LoadOptions) -> Result<Self> {
        let mut reader = Reader::new(source, options.verify_checksum);
        let header: [u8; 9] = reader.array("the 'REDIS' signature and a 4-digit version")?;
        if &header[..5] != MAGIC {
            return Err(RdbError::new(0, ErrorKind::BadSignature));
        }
        let version = leading_number(&header[5..]);
        if !(1..=MAX_LOAD_VERSION).contains(&version) {
            return Err(RdbError::new(5, ErrorKind::UnsupportedVersion(version)));
        }
        Ok(Loader { reader, options, version, db: 0, done: false, trailer: None })
    }

    /// The file's format version.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// What the CRC64 trailer said, once the end was read (`None` for versions without one).
    pub fn trailer(&self) -> Option<Trailer> {
        self.trailer
    }

    /// Bytes read so far (loading progress).
    pub fn position(&self) -> u64 {
        self.reader.pos()
    }

    /// The next record; `None` once the end and the checksum were read.
    pub fn next_record(&mut self) -> Result<Option<Record>> {
        if self.done {
            return Ok(None);
        }
        let mut attributes = KeyAttributes::default();
        loop {
            let at = self.reader.pos();
            let r = &mut self.reader;
            match r.u8("an opcode or a value type")? {
                OP_EXPIRETIME => attributes.expire = Some(r.seconds_as_millis()?),
                OP_EXPIRETIME_MS => attributes.expire = Some(r.millis()?),
                OP_FREQ => attributes.freq = Some(r.u8("an LFU counter")?),
                OP_IDLE => attributes.idle_secs = Some(r.len()?),
                OP_SELECTDB => {
                    let db = r.len()?;
                    self.db = usize::try_from(db).ok().filter(|&d| d < self.options.databases).ok_or_else(|| {
                        RdbError::new(at, ErrorKind::DbOutOfRange { db, databases: self.options.databases })
                    })?;
                    return Ok(Some(Record::SelectDb(self.db)));
                }
                OP_RESIZEDB => return Ok(Some(Record::ResizeDb { db: self.db, keys: r.len()?, volatile: r.len()? })),
                OP_AUX => return Ok(Some(Record::Aux { name: r.string()?, value: r.string()? })),
                OP_FUNCTION2 => return Ok(Some(Record::Function(r.string()?))),
                OP_FUNCTION_PRE_GA => return Err(RdbError::new(at, ErrorKind::PreGaFunction)),
                OP_MODULE_AUX => return Err(RdbError::new(at, ErrorKind::ModuleData)),
                OP_EOF => {
                    self.finish()?;
                    return Ok(None);
                }
                type_byte => return self.key(at, type_byte, attributes).map(Some),
            }
        }
    }

    /// The key of type `type_byte` (read at `at`), with the attributes the opcodes gave it.
    fn key(&mut self, at: u64, type_byte: u8, attributes: KeyAttributes) -> Result<Record> {
        if ValueType::from_byte(type_byte).is_none() {
            return Err(RdbError::new(at, ErrorKind::UnknownType(type_byte)));
        }
        let key = self.reader.string()?;
        match read_value(&mut self.reader, type_byte, &self.options.limits) {
            Ok(value) => {
                let KeyAttributes { expire, idle_secs, freq } = attributes;
                Ok(Record::Key(LoadedKey { db: self.db, key, value, expire, idle_secs, freq }))
            }
            Err(RdbError { kind: ErrorKind::EmptyValue, .. }) => Ok(Record::EmptyKey { db: self.db, key }),
            Err(e) => Err(e),
        }
    }

    /// After EOF: reads the checksum (files of version 5 on) and checks it.
    fn finish(&mut self) -> Result<()> {
        self.done = true;
        if self.version < FIRST_CHECKSUMMED_VERSION {
            return Ok(());
        }
        let computed = self.reader.checksum();
        let at = self.reader.pos();
        let stored = u64::from_le_bytes(self.reader.array("the CRC64 checksum")?);
        if !self.options.verify_checksum || stored == 0 {
            self.trailer = Some(Trailer::NotChecked);
            return Ok(());
        }
        if stored != computed {
            return Err(RdbError::new(at, ErrorKind::Checksum { stored, computed }));
        }
        self.trailer = Some(Trailer::Verified);
        Ok(())
    }
}

/// C's `atoi` over the version digits: leading digits, anything else reads as 0.
fn leading_number(digits: &[u8]) -> u32 {
    digits.iter().take_while(|b| b.is_ascii_digit()).fold(0, |n, b| n * 10 + u32::from(b - b'0'))
}

/// A whole file, read into memory.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The file's format version.
    pub version: u32,
    /// Auxiliary fields, in file order.
    pub aux: Vec<(Vec<u8>, Vec<u8>)>,
    /// Function libraries' code, in file order.
    pub functions: Vec<Vec<u8>>,
    /// Keys per database (as many databases as [`LoadOptions::databases`]), in file order.
    pub dbs: Vec<Vec<LoadedKey>>,
    /// Keys skipped because their collection was empty.
    pub empty_keys_skipped: u64,
}

/// Reads the whole file in `source` (see [`Loader`] to apply keys as they come instead).
pub fn load<R: Read>(source: R, options: &LoadOptions) -> Result<Loaded> {
    let mut loader = Loader::new(source, *options)?;
    let mut loaded = Loaded { version: loader.version(), ..Loaded::default() };
    loaded.dbs.resize_with(options.databases, Vec::new);
    while let Some(record) = loader.next_record()? {
        match record {
            Record::Aux { name, value } => loaded.aux.push((name, value)),
            Record::Function(code) => loaded.functions.push(code),
            Record::ResizeDb { .. } | Record::SelectDb(_) => {}
            Record::Key(key) => {
                if let Some(db) = loaded.dbs.get_mut(key.db) {
                    db.push(key);
                }
            }
            Record::EmptyKey { .. } => loaded.empty_keys_skipped += 1,
        }
    }
    Ok(loaded)
}
