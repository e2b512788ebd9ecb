//! Loading the AOF (Redis's `loadAppendOnlyFiles`): the manifest's base (an RDB image, or
//! commands) and then each incremental file, every command replayed through [`super::call`]
//! by a client of its own, as Redis replays them with its fake AOF client. A file that ends
//! inside a command is cut back to its last whole command when `aof-load-truncated` allows and
//! it is the last file; an unfinished MULTI at the end is dropped the same way.

use std::io::{BufReader, Read, Seek, SeekFrom};
use std::time::Instant;

use super::client::{Client, ClientTable, NewClient, Transport};
use super::loading::COMMANDS_PER_SERVE;
use super::{CallClock, ServerState, Source, call, multi};
use crate::commands::Lookup;
use crate::persistence::aof::{CommandReader, Manifest, ReadError};
use crate::protocol::Reply;

/// What loading found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AofLoaded {
    /// No AOF: nothing was loaded.
    NotExist,
    /// The files are all empty.
    Empty,
    /// The dataset was loaded (`truncated`: the last file was cut at its last whole command).
    Loaded {
        /// Whether the last file was truncated.
        truncated: bool,
    },
    /// A shutdown was asked for meanwhile: the load was given up.
    Interrupted,
}

/// How one file ended.
enum FileEnd {
    Whole,
    Empty,
    Truncated,
    /// A shutdown was asked for while it loaded.
    Interrupted,
}

/// The id of the client replaying the AOF (Redis's `CLIENT_ID_AOF`).
const AOF_CLIENT_ID: u64 = u64::MAX;

/// Loads the AOF named by the manifest in `appenddirname` (upgrading an old single-file
/// `appendfilename` in `dir` first). The error is the log line Redis exits with.
pub fn load_aof(server: &mut ServerState, clients: &mut ClientTable) -> Result<AofLoaded, String> {
    let mut manifest = server.read_aof_manifest()?.unwrap_or_default();
    upgrade_old_style(server, &mut manifest)?;
    server.aof.manifest = manifest.clone();
    if manifest.is_empty() {
        return Ok(AofLoaded::NotExist);
    }
    let dir = server.aof_dir();
    let mut sizes = Vec::new();
    for file in manifest.load_order() {
        let len = std::fs::metadata(dir.join(&file.name))
            .map_err(|e| format!("Unable to obtain the AOF file {} length. stat: {e}", file.name))?
            .len();
        sizes.push(len);
    }
    let total: u64 = sizes.iter().sum();
    if total == 0 {
        return Ok(AofLoaded::Empty);
    }
    server.start_loading(total);
    let loaded = load_files(server, clients, &manifest, &sizes);
    server.stop_loading();
    let truncated = match loaded? {
        Some(truncated) => truncated,
        None => return Ok(AofLoaded::Interrupted),
    };
    let base = manifest.base.as_ref().map_or(0, |_| sizes[0]);
    server.note_aof_loaded(total, base);
    Ok(AofLoaded::Loaded { truncated })
}

/// Loads the manifest's files (of `sizes` bytes) in order: whether the last one was truncated,
/// or `None` when a shutdown interrupted the load.
fn load_files(
    server: &mut ServerState,
    clients: &mut ClientTable,
    manifest: &Manifest,
    sizes: &[u64],
) -> Result<Option<bool>, String> {
    let mut truncated = false;
    // Nothing expires while the dataset is rebuilt (Redis's `server.loading`).
    let _clock = crate::keyspace::LoadingTime::hold();
    let mut done = 0;
    for (i, (file, size)) in manifest.load_order().zip(sizes).enumerate() {
        let started = Instant::now();
        let last = i + 1 == sizes.len();
        let end = load_file(server, clients, &file.name, done)?;
        done += size;
        match end {
            FileEnd::Interrupted => return Ok(None),
            FileEnd::Truncated if !last => {
                return Err("Fatal error: the truncated file is not the last file".to_owned());
            }
            FileEnd::Truncated => truncated = true,
            FileEnd::Whole | FileEnd::Empty => {}
        }
        let kind = if i == 0 && manifest.base.is_some() { "base" } else { "incr" };
        tracing::info!("DB loaded from {kind} file {}: {:.3} seconds", file.name, started.elapsed().as_secs_f64());
    }
    Ok(Some(truncated))
}

/// Redis's `aofUpgradePrepare`: an `appendfilename` file in `dir` from before Redis 7 becomes
/// the base of a new manifest in the append-only directory.
fn upgrade_old_style(server: &ServerState, manifest: &mut Manifest) -> Result<(), String> {
    let prefix = server.config.aof.filename.clone();
    let old = server.config.dir.join(&prefix);
    let dir = server.aof_dir();
    if !old.is_file() {
        return Ok(());
    }
    let only_old_base = manifest.incr.is_empty()
        && manifest.base.as_ref().is_some_and(|b| b.name == prefix)
        && !dir.join(&prefix).exists();
    if dir.is_dir() && !manifest.is_empty() && !only_old_base {
        return Ok(());
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("Can't open or create append-only dir {}: {e}", server.config.aof.dirname))?;
    *manifest = Manifest::default();
    manifest.base = Some(crate::persistence::aof::AofFile {
        name: prefix.clone(),
        seq: 1,
        kind: crate::persistence::aof::FileType::Base,
    });
    manifest.base_seq = 1;
    manifest.persist(&dir, &prefix).map_err(|e| format!("Can't persist the AOF manifest: {e}"))?;
    std::fs::rename(&old, dir.join(&prefix)).map_err(|e| {
        format!("Error trying to move the old AOF file {prefix} into dir {}: {e}", server.config.aof.dirname)
    })?;
    tracing::info!(
        "Successfully migrated an old-style AOF file ({prefix}) into the AOF directory ({}).",
        server.config.aof.dirname
    );
    Ok(())
}

/// Loads one file, which starts after `before` bytes of the whole AOF: an RDB image if it
/// starts with `REDIS` (followed, in an old-style preamble AOF, by commands), otherwise commands.
fn load_file(server: &mut ServerState, clients: &mut ClientTable, name: &str, before: u64) -> Result<FileEnd, String> {
    let path = server.aof_dir().join(name);
    let mut file = std::fs::File::open(&path)
        .map_err(|e| format!("Fatal error: can't open the append log file {name} for reading: {e}"))?;
    let unreadable = |e: std::io::Error| format!("Unrecoverable error reading the append only file {name}: {e}");
    if file.metadata().map_err(unreadable)?.len() == 0 {
        return Ok(FileEnd::Empty);
    }
    let mut signature = [0u8; 5];
    let is_rdb = file.read_exact(&mut signature).is_ok() && &signature == b"REDIS";
    file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    let mut start = 0;
    if is_rdb {
        let old_style = name == server.config.aof.filename;
        if old_style {
            tracing::info!("Reading RDB preamble from AOF file...");
        } else {
            tracing::info!("Reading RDB base file on AOF loading...");
        }
        // The image's progress counts from where this file starts.
        if let Some(loading) = server.loading.as_mut() {
            loading.loaded_bytes = before;
        }
        let source = BufReader::with_capacity(1 << 16, &mut file);
        let length = match server.load_rdb(clients, source, false, false) {
            Ok((_, length)) => length,
            Err(crate::state::persist::LoadFailure::Interrupted) => return Ok(FileEnd::Interrupted),
            Err(e) => {
                tracing::warn!("{e}");
                return Err(format!("Error reading the RDB base file {name}, AOF loading aborted"));
            }
        };
        start = length;
        file.seek(SeekFrom::Start(start)).map_err(unreadable)?;
        if old_style {
            tracing::info!("Reading the remaining AOF tail...");
        }
    }
    let mut reader = CommandReader::new(BufReader::with_capacity(1 << 16, file), start);
    replay(server, clients, &mut reader, name, &path, before)
}

/// Replays the commands of the file `name` at `path` from `reader` with a client of its own,
/// serving the other clients every [`COMMANDS_PER_SERVE`] commands; the file starts after
/// `before` bytes of the whole AOF.
fn replay<R: std::io::BufRead>(
    server: &mut ServerState,
    clients: &mut ClientTable,
    reader: &mut CommandReader<R>,
    name: &str,
    path: &std::path::Path,
    before: u64,
) -> Result<FileEnd, String> {
    let (events, _) = tokio::sync::mpsc::unbounded_channel();
    let transport = Transport::Unix { path: String::new() };
    let mut client =
        Client::new(AOF_CLIENT_ID, NewClient { transport, fd: -1, events, in_flight: Default::default() }, true);
    let mut out = Reply::new(false);
    let mut clock = CallClock::start();
    let mut valid_up_to = reader.offset();
    let mut valid_before_multi = valid_up_to;
    let mut commands = 0u64;
    let ended = loop {
        if commands % COMMANDS_PER_SERVE == 0 && server.serve_while_loading(clients, before + reader.offset()).is_err()
        {
            return Ok(FileEnd::Interrupted);
        }
        commands += 1;
        let argv = match reader.next_command() {
            Ok(Some(argv)) => argv,
            Ok(None) if client.multi.is_some() => {
                tracing::warn!("Revert incomplete MULTI/EXEC transaction in AOF file {name}");
                valid_up_to = valid_before_multi;
                break ReadError::Truncated;
            }
            Ok(None) => return Ok(FileEnd::Whole),
            Err(e) => break e,
        };
        let args: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
        let Lookup::Found(id) = server.commands.lookup(&args) else {
            return Err(format!(
                "Unknown command '{}' reading the append only file {name}",
                String::from_utf8_lossy(&argv[0])
            ));
        };
        let fullname = server.commands.entry(id).fullname;
        if fullname == "multi" {
            valid_before_multi = valid_up_to;
        }
        if client.multi.is_some() && !multi::runs_inside_multi(fullname) {
            multi::queue(server, &mut client, &mut out, &args, id, server.commands.entry(id).spec.flags);
        } else {
            call(server, &mut client, clients, &mut out, &args, id, &mut clock, Source::Replay);
        }
        out.clear();
        valid_up_to = reader.offset();
        server.key_load_delay();
    };
    match ended {
        ReadError::Truncated => truncated_end(server, name, path, valid_up_to),
        ReadError::Format => Err(format!(
            "Bad file format reading the append only file {name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>"
        )),
        ReadError::Io(e) => Err(format!("Unrecoverable error reading the append only file {name}: {e}")),
    }
}

/// The file ends inside a command: with `aof-load-truncated`, it is cut after its last whole
/// command and loading goes on; otherwise loading fails.
fn truncated_end(
    server: &ServerState,
    name: &str,
    path: &std::path::Path,
    valid_up_to: u64,
) -> Result<FileEnd, String> {
    if server.config.aof.load_truncated {
        tracing::warn!("!!! Warning: short read while loading the AOF file {name}!!!");
        tracing::warn!("!!! Truncating the AOF {name} at offset {valid_up_to} !!!");
        let cut = std::fs::OpenOptions::new().write(true).open(path).and_then(|f| f.set_len(valid_up_to));
        match cut {
            Ok(()) => {
                tracing::warn!("AOF {name} loaded anyway because aof-load-truncated is enabled");
                return Ok(FileEnd::Truncated);
            }
            Err(e) => tracing::warn!("Error truncating the AOF file {name}: {e}"),
        }
    }
    Err(format!(
        "Unexpected end of file reading the append only file {name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server."
    ))
}
