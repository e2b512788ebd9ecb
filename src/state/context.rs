//! The context a command handler runs in.

use super::ServerState;
use super::client::{Client, ClientTable};
use crate::protocol::Reply;

/// Everything a handler may touch: the server state, the calling client, the other clients, and
/// the calling client's reply buffer.
///
/// The calling client is taken out of the client table while its batch runs, so a handler that
/// lists or kills clients must look at both [`Ctx::client`] and [`Ctx::clients`]
/// ([`Ctx::all_clients`] does).
pub struct Ctx<'a> {
    /// Server-wide state (databases, configuration, statistics, command table).
    pub server: &'a mut ServerState,
    /// The calling client.
    pub client: &'a mut Client,
    /// Every other client.
    pub clients: &'a mut ClientTable,
    /// Where replies go.
    pub out: &'a mut Reply,
}

impl Ctx<'_> {
    /// Every client, the caller included, ordered by id.
    pub fn all_clients(&self) -> Vec<&Client> {
        let mut all: Vec<&Client> = self.clients.iter().chain(std::iter::once(&*self.client)).collect();
        all.sort_by_key(|c| c.id);
        all
    }

    /// The calling client's selected database.
    pub fn db(&mut self) -> &mut crate::keyspace::Db {
        &mut self.server.dbs[self.client.db]
    }

    /// Switches the client's protocol (HELLO, RESET): its replies, from this one on, and its
    /// pushed output follow it.
    pub fn set_protocol(&mut self, resp: u8) {
        self.client.set_protocol(resp);
        self.out.set_resp3(resp == 3);
    }

    /// RESET: leaves MULTI, drops watches, subscriptions and MONITOR mode, and brings the
    /// connection back to a fresh client's state.
    pub fn reset_client(&mut self) {
        self.discard_transaction();
        super::pubsub::release(&mut self.server.pubsub, self.client);
        self.disable_tracking();
        self.server.monitors.remove(self.client.id);
        self.client.monitoring = false;
        let authenticated = self.server.config.requirepass.is_none();
        self.client.reset_connection_state(authenticated);
        self.out.set_resp3(false);
    }

    /// MONITOR: the client sees every command from now on.
    pub fn start_monitoring(&mut self) {
        self.client.monitoring = true;
        self.server.monitors.add(self.client.id);
    }

    /// Replies the standard syntax error.
    pub fn syntax_error(&mut self) {
        self.out.error("ERR syntax error");
    }
}
