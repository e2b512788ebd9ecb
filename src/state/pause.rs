//! CLIENT PAUSE: for a while, commands of every client (ALL) or only those that may write or
//! replicate (WRITE) are held, in arrival order, and run when the pause ends (timeout or CLIENT
//! UNPAUSE), as Redis 7.0's `blockClient(c, BLOCKED_POSTPONE)`. While writes are paused the
//! dataset does not change by itself either: expired keys read as missing without being
//! deleted, and active expiry and eviction wait.

use std::time::Instant;

use super::ServerState;
use super::client::{Client, ClientId, ClientTable};
use crate::commands::{CommandId, Flags};

/// What a pause holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PauseKind {
    /// Commands that may write or replicate (writes, PUBLISH, EXEC of such commands).
    Write,
    /// Every command.
    All,
}

/// The pause in force and the clients it holds.
#[derive(Debug, Default)]
pub struct Pause {
    active: Option<(PauseKind, Instant)>,
    /// Held clients, first held first.
    postponed: Vec<ClientId>,
}

impl Pause {
    /// Pauses until `end` (a longer or stronger pause in force is kept, as Redis takes the
    /// maximum of both).
    pub fn start(&mut self, kind: PauseKind, end: Instant) {
        self.active = Some(match self.active {
            Some((k, e)) => (k.max(kind), e.max(end)),
            None => (kind, end),
        });
    }

    /// When the pause in force ends.
    pub fn deadline(&self) -> Option<Instant> {
        self.active.map(|(_, end)| end)
    }

    /// Whether writes are paused now (for expiry and eviction).
    pub fn writes_paused(&self) -> bool {
        self.active.is_some()
    }

    /// Number of held clients (counted in INFO `blocked_clients`).
    pub fn postponed(&self) -> usize {
        self.postponed.len()
    }

    /// Whether a command with `flags` (EXEC: `queued_write` tells whether its transaction
    /// holds a command that may write) must wait.
    fn holds(&self, flags: Flags, queued_write: bool) -> bool {
        match self.active {
            Some((PauseKind::All, _)) => true,
            Some((PauseKind::Write, _)) => flags.intersects(Flags::WRITE.union(Flags::MAY_REPLICATE)) || queued_write,
            None => false,
        }
    }
}

impl ServerState {
    /// Whether `command` of `client`, dispatched with `flags` (a script's declared ones
    /// included), must wait for the pause to end; if so the client is held with `argv` first in
    /// line.
    pub(crate) fn postpone_if_paused(
        &mut self,
        client: &mut Client,
        command: CommandId,
        flags: Flags,
        argv: &[&[u8]],
    ) -> bool {
        if self.pause.active.is_none() {
            return false;
        }
        let queued_write = self.commands.entry(command).spec.name == "exec"
            && client.multi.as_ref().is_some_and(|tx| tx.queues(Flags::WRITE.union(Flags::MAY_REPLICATE)));
        if !self.pause.holds(flags, queued_write) {
            return false;
        }
        client.postponed = true;
        client.deferred.push_front(argv.iter().map(|a| a.to_vec()).collect());
        self.pause.postponed.push(client.id);
        true
    }

    /// Ends the pause if its time has come; returns whether one is still in force.
    pub(crate) fn check_pause(&mut self, clients: &mut ClientTable) -> bool {
        if self.pause.active.is_some_and(|(_, end)| end <= Instant::now()) {
            self.unpause(clients);
        }
        self.pause.active.is_some()
    }

    /// CLIENT UNPAUSE or the end of the pause: held clients run their commands, in the order
    /// they were held.
    pub(crate) fn unpause(&mut self, clients: &mut ClientTable) {
        self.pause.active = None;
        for id in std::mem::take(&mut self.pause.postponed) {
            if let Some(client) = clients.get_mut(id) {
                client.postponed = false;
                client.wake();
            }
        }
        self.set_writes_paused(false);
    }

    /// Tells the databases whether expired keys may be deleted.
    pub(crate) fn set_writes_paused(&mut self, paused: bool) {
        for db in &mut self.dbs {
            db.set_writes_paused(paused);
        }
    }

    /// Forgets a departing client.
    pub(crate) fn release_postponed(&mut self, id: ClientId) {
        self.pause.postponed.retain(|&c| c != id);
    }
}

impl super::Ctx<'_> {
    /// CLIENT PAUSE: holds `kind` commands until `end`.
    pub fn pause_clients(&mut self, kind: PauseKind, end: Instant) {
        self.server.pause.start(kind, end);
        self.server.set_writes_paused(true);
    }

    /// CLIENT UNPAUSE.
    pub fn unpause_clients(&mut self) {
        self.server.unpause(self.clients);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_stronger_and_longer_pause_wins() {
        let mut p = Pause::default();
        let now = Instant::now();
        p.start(PauseKind::All, now + Duration::from_millis(10));
        p.start(PauseKind::Write, now + Duration::from_millis(50));
        assert_eq!(p.active, Some((PauseKind::All, now + Duration::from_millis(50))));
        assert!(p.holds(Flags::READONLY, false));
        let mut w = Pause::default();
        w.start(PauseKind::Write, now);
        assert!(!w.holds(Flags::READONLY, false));
        assert!(w.holds(Flags::WRITE, false));
        assert!(w.holds(Flags::MAY_REPLICATE, false));
        assert!(w.holds(Flags::NONE, true));
    }
}
