//! The Lua side of scripts running past `busy-reply-threshold` (Redis's `luaMaskCountHook`):
//! a count hook hands control to the host every [`HOOK_PERIOD`] instructions through
//! [`super::ScriptHost::interrupt`], which checks the clock and, once the threshold has passed,
//! serves the other clients. When the host says the script must stop, the hook raises
//! [`Killed`], and from then on raises it again at every line, so that a `pcall` in the script
//! cannot swallow it.
//!
//! While FUNCTION LOAD runs a library no host is lent: the hook stops a library that runs past
//! [`LOAD_TIMEOUT`] instead (Redis's `luaEngineLoadHook`).

use std::time::{Duration, Instant};

use mlua::{Function, HookTriggers, Lua, VmState};

/// Instructions between two calls of the host.
const HOOK_PERIOD: u32 = 100_000;

/// How long a library's code may run while FUNCTION LOAD registers its functions.
pub(super) const LOAD_TIMEOUT: Duration = Duration::from_millis(500);

/// When the library being loaded started running (Lua app data, set during FUNCTION LOAD).
pub(super) struct LoadStarted(pub Instant);

/// The error that stops a library running past [`LOAD_TIMEOUT`].
const LOAD_TIMEOUT_ERROR: &str = "FUNCTION LOAD timeout";

/// Registry slot of the function that reaches the host: `nil` when no script runs, else
/// whether the script must stop.
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
        let interrupt: Function = lua.named_registry_value(INTERRUPT)?;
        // Between runs, and while FUNCTION LOAD runs a library, no host is lent.
        let Some(stop) = interrupt.call::<Option<bool>>(())? else {
            let late = lua.app_data_ref::<LoadStarted>().is_some_and(|s| s.0.elapsed() > LOAD_TIMEOUT);
            if !late {
                return Ok(VmState::Continue);
            }
            let timeout = || mlua::Error::RuntimeError(LOAD_TIMEOUT_ERROR.to_owned());
            lua.set_hook(HookTriggers::EVERY_LINE, move |_, _| Err(timeout()))?;
            return Err(timeout());
        };
        if !stop {
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
