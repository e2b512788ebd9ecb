//! DEBUG LOADAOF: writes out the AOF, empties the databases and loads the AOF back (serving
//! other clients meanwhile, as at startup).

use super::Sub;
use crate::state::Ctx;
use crate::state::aof_load::AofLoaded;

/// DEBUG LOADAOF.
pub const SUB: Sub = Sub {
    name: "loadaof",
    min_args: 2,
    max_args: 2,
    help: &["LOADAOF", "    Flush the AOF buffers on disk and reload the AOF in memory."],
    run,
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.server.sync_aof();
    let mut garbage = Vec::new();
    for index in 0..ctx.server.dbs.len() {
        ctx.server.signal_flushed_db(index);
        garbage.push(ctx.server.dbs[index].take_all());
    }
    ctx.server.lazyfree.free_dbs(garbage);
    // What is replayed is already in the AOF: nothing of it is propagated again.
    let propagating = ctx.server.propagation.is_enabled();
    ctx.server.propagation.disable();
    let loaded = crate::state::aof_load::load_aof(ctx.server, ctx.clients);
    if propagating {
        ctx.server.propagation.enable();
    }
    ctx.server.delete_aof_history();
    match loaded {
        Ok(AofLoaded::Loaded { truncated: false } | AofLoaded::Empty) => {}
        // SHUTDOWN ran meanwhile: Redis exits without answering.
        Ok(AofLoaded::Interrupted) => {
            ctx.client.close_after_reply = true;
            return;
        }
        // Redis exits when the AOF does not load back whole.
        Ok(_) => fatal("the AOF does not exist or was truncated"),
        Err(e) => fatal(&e),
    }
    ctx.server.dirty = 0;
    tracing::warn!("Append Only File loaded by DEBUG LOADAOF");
    ctx.out.ok();
}

fn fatal(why: &str) -> ! {
    tracing::warn!("DEBUG LOADAOF failed: {why}");
    std::process::exit(1);
}
