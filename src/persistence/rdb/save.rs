//! Writing RDB files as Redis 7.0 does, one key at a time into any sink: the header
//! (`REDIS0010`) and auxiliary fields, function libraries, per database SELECTDB and RESIZEDB,
//! each key with its expiry and access clock (IDLE under LRU policies, FREQ under LFU ones),
//! then EOF and the CRC64 (zero when `rdbchecksum no`).

use std::io::{self, Write};

use super::encode::{value_type, write_value};
use super::format::{
    MAGIC, OP_AUX, OP_EOF, OP_EXPIRETIME_MS, OP_FREQ, OP_FUNCTION2, OP_IDLE, OP_RESIZEDB, OP_SELECTDB, SAVE_VERSION,
};
use super::writer::Writer;
use crate::config::{Config, MaxmemoryPolicy};
use crate::keyspace::{AccessClock, Db, Entry};

/// Which access information each key carries (Redis's `rdbSaveKeyValuePair`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessStamps {
    /// None (policies that neither use LRU nor LFU).
    None,
    /// Idle time in seconds, read with this clock (LRU policies).
    Idle(AccessClock),
    /// The LFU counter after decay, read with this clock (LFU policies).
    Freq(AccessClock),
}

impl AccessStamps {
    /// What `policy` saves, reading keys' clocks with `clock`.
    pub fn for_policy(policy: MaxmemoryPolicy, clock: AccessClock) -> Self {
        match policy {
            MaxmemoryPolicy::AllkeysLru | MaxmemoryPolicy::VolatileLru => AccessStamps::Idle(clock),
            MaxmemoryPolicy::AllkeysLfu | MaxmemoryPolicy::VolatileLfu => AccessStamps::Freq(clock),
            _ => AccessStamps::None,
        }
    }
}

/// How a file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaveOptions {
    /// LZF-compress long strings (`rdbcompression`).
    pub compress: bool,
    /// Compute the CRC64 trailer (`rdbchecksum`; else it is zero).
    pub checksum: bool,
    /// The access information keys carry.
    pub access: AccessStamps,
}

impl SaveOptions {
    /// The options `config` sets, reading keys' access clocks with `clock`.
    pub fn from_config(config: &Config, clock: AccessClock) -> Self {
        SaveOptions {
            compress: config.snapshot.compression,
            checksum: config.snapshot.checksum,
            access: AccessStamps::for_policy(config.maxmemory_policy, clock),
        }
    }
}

/// Replication state a file records for a replica or a restart to resume from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicationAux {
    /// The database the replication stream had selected (`repl-stream-db`).
    pub stream_db: usize,
    /// The replication id (`repl-id`).
    pub replid: String,
    /// The replication offset (`repl-offset`).
    pub offset: i64,
}

/// The auxiliary fields at the head of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aux {
    /// Creation time, Unix seconds (`ctime`).
    pub ctime: i64,
    /// Memory in use when saving (`used-mem`).
    pub used_mem: u64,
    /// Whether the file is the base of an AOF (`aof-base`).
    pub aof_base: bool,
    /// Replication state, when saving for replication.
    pub replication: Option<ReplicationAux>,
}

impl Aux {
    /// Fields for a plain snapshot taken now with `used_mem` bytes in use.
    pub fn snapshot(used_mem: u64) -> Self {
        let ctime = crate::keyspace::wall_clock_ms() / 1000;
        Aux { ctime, used_mem, aof_base: false, replication: None }
    }
}

/// Writes one RDB file, key by key (see the module docs and the calling order in `rdb`'s docs).
pub struct Saver<W: Write> {
    out: Writer<W>,
    access: AccessStamps,
}

impl<W: Write> Saver<W> {
    /// Starts a file in `sink`: writes the header and the auxiliary fields.
    pub fn new(sink: W, options: &SaveOptions, aux: &Aux) -> io::Result<Self> {
        let mut out = Writer::new(sink, options.checksum, options.compress);
        out.raw(MAGIC)?;
        out.raw(format!("{SAVE_VERSION:04}").as_bytes())?;
        let mut saver = Saver { out, access: options.access };
        saver.aux(b"redis-ver", crate::REDIS_VERSION.as_bytes())?;
        saver.aux(b"redis-bits", (usize::BITS).to_string().as_bytes())?;
        saver.aux(b"ctime", aux.ctime.to_string().as_bytes())?;
        saver.aux(b"used-mem", aux.used_mem.to_string().as_bytes())?;
        if let Some(repl) = &aux.replication {
            saver.aux(b"repl-stream-db", repl.stream_db.to_string().as_bytes())?;
            saver.aux(b"repl-id", repl.replid.as_bytes())?;
            saver.aux(b"repl-offset", repl.offset.to_string().as_bytes())?;
        }
        saver.aux(b"aof-base", if aux.aof_base { b"1" } else { b"0" })?;
        Ok(saver)
    }

    /// One auxiliary field.
    fn aux(&mut self, name: &[u8], value: &[u8]) -> io::Result<()> {
        self.out.byte(OP_AUX)?;
        self.out.string(name)?;
        self.out.string(value)
    }

    /// A function library's code (all libraries come before the first database).
    pub fn save_function(&mut self, code: &[u8]) -> io::Result<()> {
        self.out.byte(OP_FUNCTION2)?;
        self.out.string(code)
    }

    /// Starts database `index`, holding `keys` keys of which `volatile` have a TTL.
    pub fn select_db(&mut self, index: usize, keys: usize, volatile: usize) -> io::Result<()> {
        self.out.byte(OP_SELECTDB)?;
        self.out.count(index)?;
        self.out.byte(OP_RESIZEDB)?;
        self.out.count(keys)?;
        self.out.count(volatile)
    }

    /// One key of the selected database: its expiry (Unix ms), its access clock, its value.
    pub fn save_key(&mut self, key: &[u8], entry: &Entry, expire: Option<i64>) -> io::Result<()> {
        write_key(&mut self.out, self.access, key, entry, expire)
    }

    /// Bytes [`encode_key`] produced, in file order (a forkless snapshot serializes keys out of
    /// order and hands them over here, so the checksum still covers the file as written).
    pub fn append(&mut self, encoded: &[u8]) -> io::Result<()> {
        self.out.raw(encoded)
    }

    /// Database `index` whole (nothing when it is empty, as Redis skips empty databases),
    /// calling `after_key` after each key.
    pub fn save_db(&mut self, index: usize, db: &Db, after_key: &mut dyn FnMut()) -> io::Result<()> {
        if db.is_empty() {
            return Ok(());
        }
        self.select_db(index, db.len(), db.volatile_len())?;
        db.iter().try_for_each(|(key, entry)| {
            self.save_key(key.as_bytes(), entry, db.expire_at(key.as_bytes()))?;
            after_key();
            Ok(())
        })
    }

    /// The sink (a caller saving into a buffer takes the bytes written so far from it).
    pub fn sink_mut(&mut self) -> &mut W {
        self.out.sink_mut()
    }

    /// Ends the file: EOF and the checksum. Returns the sink (not flushed).
    pub fn finish(mut self) -> io::Result<W> {
        self.out.byte(OP_EOF)?;
        let checksum = self.out.checksum();
        self.out.raw(&checksum.to_le_bytes())?;
        Ok(self.out.into_sink())
    }
}

/// A key serialized as [`Saver::save_key`] writes it, onto `out`, outside any file; it goes to
/// the file with [`Saver::append`].
pub fn encode_key(options: &SaveOptions, key: &[u8], entry: &Entry, expire: Option<i64>, out: &mut Vec<u8>) {
    let mut writer = Writer::new(out, false, options.compress);
    // Writing into a vector cannot fail.
    let _ = write_key(&mut writer, options.access, key, entry, expire);
}

/// One key: its expiry (Unix ms), its access clock, its type, name and value.
fn write_key<W: Write>(
    out: &mut Writer<W>,
    access: AccessStamps,
    key: &[u8],
    entry: &Entry,
    expire: Option<i64>,
) -> io::Result<()> {
    if let Some(at) = expire {
        out.byte(OP_EXPIRETIME_MS)?;
        out.millis(at)?;
    }
    match access {
        AccessStamps::None => {}
        AccessStamps::Idle(clock) => {
            out.byte(OP_IDLE)?;
            out.len(clock.idle_ms(entry.lru()) / 1000)?;
        }
        AccessStamps::Freq(clock) => {
            out.byte(OP_FREQ)?;
            out.byte(clock.frequency(entry.lru()))?;
        }
    }
    out.byte(value_type(&entry.value) as u8)?;
    out.string(key)?;
    write_value(out, &entry.value)
}

/// A whole snapshot into `sink`: the function libraries, then every non-empty database.
pub fn save<W: Write>(sink: W, dbs: &[Db], functions: &[Vec<u8>], options: &SaveOptions, aux: &Aux) -> io::Result<W> {
    save_paced(sink, dbs, functions, options, aux, &mut || {})
}

/// A whole snapshot as [`save`] writes it, calling `after_key` after each key (a save on the
/// executor's thread sleeps there as `rdb-key-save-delay` asks).
pub fn save_paced<W: Write>(
    sink: W,
    dbs: &[Db],
    functions: &[Vec<u8>],
    options: &SaveOptions,
    aux: &Aux,
    after_key: &mut dyn FnMut(),
) -> io::Result<W> {
    let mut saver = Saver::new(sink, options, aux)?;
    for code in functions {
        saver.save_function(code)?;
    }
    for (index, db) in dbs.iter().enumerate() {
        saver.save_db(index, db, after_key)?;
    }
    saver.finish()
}
