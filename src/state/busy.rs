//! A script running past `busy-reply-threshold` (Redis's `scriptInterrupt`): the [`Running`]
//! record other clients' commands consult (SCRIPT KILL, FUNCTION KILL, FUNCTION STATS, SHUTDOWN,
//! and the `-BUSY` refusal in dispatch). Other clients are served meanwhile by `blocked`.

use std::time::Instant;

use crate::scripting::ScriptKey;

/// The script or function running now.
#[derive(Debug)]
pub struct Running {
    /// EVAL (else FCALL).
    pub is_eval: bool,
    /// The script's SHA-1 or the function's name.
    name: RunName,
    /// The command that runs it (FUNCTION STATS): copied only once it is busy, when other
    /// clients can see it ([`Running::note_command`]).
    pub argv: Vec<Vec<u8>>,
    /// When it started.
    pub started: Instant,
    /// Libraries and functions loaded (FUNCTION STATS; the engine is out while it runs).
    pub counts: (usize, usize),
    /// It ran a write command: it can no longer be killed.
    pub wrote: bool,
    /// It passed `busy-reply-threshold`: other clients are refused with `-BUSY`.
    pub timed_out: bool,
    /// SCRIPT KILL or FUNCTION KILL asked it to stop.
    pub killed: bool,
}

/// What a run is named by: a script's cache key (no allocation per EVAL) or a function's name.
#[derive(Debug)]
pub enum RunName {
    /// An EVAL script.
    Script(ScriptKey),
    /// A function (FCALL).
    Function(String),
}

impl Running {
    /// A run of `name` starting now.
    pub fn new(name: RunName, counts: (usize, usize)) -> Self {
        Running {
            is_eval: matches!(name, RunName::Script(_)),
            name,
            argv: Vec::new(),
            started: Instant::now(),
            counts,
            wrote: false,
            timed_out: false,
            killed: false,
        }
    }

    /// The script's SHA-1 or the function's name.
    pub fn name(&self) -> &str {
        match &self.name {
            // A key is ASCII hex.
            RunName::Script(key) => std::str::from_utf8(key).unwrap_or_default(),
            RunName::Function(name) => name,
        }
    }

    /// Keeps a copy of `argv`, the command running it, for FUNCTION STATS.
    pub fn note_command(&mut self, argv: &[&[u8]]) {
        self.argv = argv.iter().map(|a| a.to_vec()).collect();
    }

    /// The `-BUSY` error (without the dash) for this kind of script.
    pub fn busy_error(&self) -> &'static str {
        busy_error(self.is_eval)
    }

    /// SCRIPT KILL (`by_eval`) or FUNCTION KILL (Redis's `scriptKill`): `Err` holds the refusal.
    pub fn kill(&mut self, by_eval: bool) -> Result<(), &'static str> {
        if self.wrote {
            return Err(UNKILLABLE);
        }
        if by_eval != self.is_eval {
            return Err(self.busy_error());
        }
        self.killed = true;
        Ok(())
    }
}

/// The `-BUSY` error of a running EVAL (`is_eval`) or function.
pub fn busy_error(is_eval: bool) -> &'static str {
    if is_eval {
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
    } else {
        "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
    }
}

/// The refusal of SCRIPT KILL and FUNCTION KILL with no script running.
pub const NOTBUSY: &str = "NOTBUSY No scripts in execution right now.";

const UNKILLABLE: &str = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kill_refusals_follow_redis_order() {
        let mut run = Running::new(RunName::Script([b'a'; 40]), (0, 0));
        assert_eq!(run.kill(false), Err(busy_error(true)));
        run.wrote = true;
        // A script that wrote is unkillable, whichever command asks.
        assert_eq!(run.kill(false), Err(UNKILLABLE));
        assert_eq!(run.kill(true), Err(UNKILLABLE));
        let mut run = Running::new(RunName::Function("f".to_owned()), (1, 1));
        assert_eq!(run.kill(true), Err(busy_error(false)));
        assert_eq!(run.kill(false), Ok(()));
        assert!(run.killed);
    }
}
