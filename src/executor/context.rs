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

    /// Replies the standard syntax error.
    pub fn syntax_error(&mut self) {
        self.out.error("ERR syntax error");
    }
}
