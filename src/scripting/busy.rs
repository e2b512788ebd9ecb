//! The Lua side of scripts running past `busy-reply-threshold` (Redis's `luaMaskCountHook`):
//! a count hook hands control to the host every [`HOOK_PERIOD`] instructions through
//! [`super::ScriptHost::interrupt`], which checks the clock and, once the threshold has passed,
//! serves the other clients. When the host says the script must stop, the hook raises
//! [`Killed`], and from then on raises it again at every line, so that a `pcall` in the script
//! cannot swallow it.

use mlua::{Function, HookTriggers, Lua, VmState};

/// Instructions between two calls of the host.
const HOOK_PERIOD: u32 = 100_000;

/// Registry slot of the function that reaches the host while a script runs.
pub(super) const INTERRUPT: &str = "rkv.interrupt";

/// The error a killed script is stopped with.
#[derive(Debug)]
pub(super) struct Killed;

impl std::fmt::Display for Killed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Script killed by user with SCRIPT KILL...")
    }
}

impl std::error::Error for Killed {}

/// Installs the count hook (again, after a killed run left the line hook in place).
pub(super) fn watch(lua: &Lua) -> mlua::Result<()> {
    lua.set_hook(HookTriggers::new().every_nth_instruction(HOOK_PERIOD), |lua, _| {
        // Between runs, and while FUNCTION LOAD runs a library, no host is lent.
        let Ok(Some(interrupt)) = lua.named_registry_value::<Option<Function>>(INTERRUPT) else {
            return Ok(VmState::Continue);
        };
        if !interrupt.call::<bool>(())? {
            return Ok(VmState::Continue);
        }
        lua.set_hook(HookTriggers::EVERY_LINE, |_, _| Err(mlua::Error::external(Killed)))?;
        Err(mlua::Error::external(Killed))
    })
}

/// Whether `e` is the hook stopping a killed script.
pub(super) fn is_killed(e: &mlua::Error) -> bool {
    match e {
        mlua::Error::CallbackError { cause, .. } => is_killed(cause),
        mlua::Error::ExternalError(inner) => inner.downcast_ref::<Killed>().is_some(),
        _ => false,
    }
}
