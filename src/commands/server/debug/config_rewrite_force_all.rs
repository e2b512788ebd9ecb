//! DEBUG CONFIG-REWRITE-FORCE-ALL: CONFIG REWRITE writing every directive, defaults included
//! (tests restart from the file to check that every value survives a round trip).

use super::Sub;
use crate::config::rewrite::{Directives, RewriteError, rewrite};
use crate::state::Ctx;

/// DEBUG CONFIG-REWRITE-FORCE-ALL.
pub const SUB: Sub = Sub {
    name: "config-rewrite-force-all",
    min_args: 2,
    max_args: 2,
    help: &[
        "CONFIG-REWRITE-FORCE-ALL",
        "    Like CONFIG REWRITE but writes all configuration options, including",
        "    keywords not listed in original configuration file or default values.",
    ],
    run,
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    match rewrite(&ctx.server.config, Directives::All) {
        Ok(()) => ctx.out.ok(),
        Err(e) => {
            let cause = match e {
                // Redis opens a null path then, which fails with EFAULT.
                RewriteError::NoConfigFile => "Bad address".to_owned(),
                RewriteError::Io(cause) => cause,
            };
            ctx.out.error(&format!("ERR CONFIG-REWRITE-FORCE-ALL failed: {cause}"));
        }
    }
}
