//! DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves the RDB file, empties the databases and loads
//! the file back (each step optional), to check that a dataset survives persistence. Other
//! clients are served while it loads, as at startup.

use super::Sub;
use crate::state::Ctx;
use crate::state::persist::LoadFailure;

/// DEBUG RELOAD.
pub const SUB: Sub = Sub {
    name: "reload",
    min_args: 2,
    max_args: usize::MAX,
    help: &[
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
        "    * MERGE: conflicting keys will be loaded from RDB.",
        "    * NOFLUSH: the existing database will not be removed before load, but",
        "      conflicting keys will generate an exception and kill the server.",
        "    * NOSAVE: the database will be loaded from an existing RDB file.",
        "    Examples:",
        "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
        "      the database.",
        "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
        "      existing RDB file.",
        "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
        "      file to the database.",
    ],
    run,
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let (mut merge, mut flush, mut save) = (false, true, true);
    for option in &argv[2..] {
        match option.to_ascii_lowercase().as_slice() {
            b"merge" => merge = true,
            b"noflush" => flush = false,
            b"nosave" => save = false,
            _ => return ctx.out.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."),
        }
    }
    // Redis answers a bare `-ERR` when the save fails (the log says why).
    if save && ctx.server.save_now().is_err() {
        return ctx.out.error("ERR");
    }
    if flush {
        let mut garbage = Vec::new();
        for index in 0..ctx.server.dbs.len() {
            ctx.server.signal_flushed_db(index);
            garbage.push(ctx.server.dbs[index].take_all());
        }
        ctx.server.lazyfree.free_dbs(garbage);
        // Function libraries are part of the dataset the file holds.
        if let Ok(functions) = ctx.server.scripting.functions() {
            functions.flush();
        }
    }
    // Where Redis would crash on a conflicting key (NOFLUSH without MERGE), rkv answers the error.
    match ctx.server.load_snapshot(ctx.clients, merge) {
        Ok(_) => {}
        // SHUTDOWN ran meanwhile: Redis exits without answering.
        Err(LoadFailure::Interrupted) => {
            ctx.client.close_after_reply = true;
            return;
        }
        Err(e) => {
            tracing::warn!("DEBUG RELOAD could not load the RDB file: {e}");
            return ctx.out.error("ERR Error trying to load the RDB dump");
        }
    }
    tracing::warn!("DB reloaded by DEBUG RELOAD");
    ctx.out.ok();
}
