//! Client-side caching (CLIENT TRACKING): which clients may cache which keys, and the
//! invalidation messages they get when those keys change (Redis's tracking.c).
//!
//! In the default mode, the keys a tracking client reads (its read-only commands' keys) are
//! remembered in a table; the first change to such a key sends every client that read it an
//! invalidation and forgets the key. In BCAST mode clients register key prefixes instead, and
//! every change to a matching key is collected and sent, grouped per prefix, after the batch of
//! commands that made it (Redis sends them before sleeping). Invalidations go to the client
//! itself as RESP3 pushes, or to the client it redirects to (for a RESP2 subscriber, as messages
//! on `__redis__:invalidate`). FLUSHDB and FLUSHALL invalidate everything with a null.

use std::collections::{BTreeMap, HashMap};

use super::Ctx;
use super::client::{Client, ClientId};
use super::effects::Recipients;
use crate::protocol::Reply;

/// One client's tracking settings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ClientTracking {
    /// Client that receives the invalidations (0 = the client itself).
    pub redirect: ClientId,
    /// BCAST mode: prefixes instead of read keys.
    pub bcast: bool,
    /// OPTIN: only reads right after CLIENT CACHING YES are tracked.
    pub optin: bool,
    /// OPTOUT: reads right after CLIENT CACHING NO are not tracked.
    pub optout: bool,
    /// NOLOOP: no invalidations for the client's own writes.
    pub noloop: bool,
    /// CLIENT CACHING was given for the next command.
    pub caching: bool,
    /// The redirection target disconnected.
    pub broken_redirect: bool,
    /// BCAST prefixes, in the order registered.
    pub prefixes: Vec<Vec<u8>>,
}

/// Keys changed under one BCAST prefix since the last broadcast, and its clients.
#[derive(Debug, Default)]
struct Prefix {
    clients: Vec<ClientId>,
    /// Changed keys in key order, with the client whose command changed it last (for NOLOOP).
    keys: BTreeMap<Vec<u8>, Option<ClientId>>,
}

/// The server-side tracking state.
#[derive(Debug, Default)]
pub struct Tracking {
    /// Read key → clients that may cache it.
    table: HashMap<Vec<u8>, Vec<ClientId>>,
    /// Client ids stored across the table (INFO `tracking_total_items`).
    items: usize,
    /// BCAST prefixes in key order.
    prefixes: BTreeMap<Vec<u8>, Prefix>,
    /// Clients with tracking on (INFO `tracking_clients`).
    clients: usize,
    /// Pending invalidations for the running command's own client, sent after its reply
    /// (`None` for a flush).
    own_pending: Vec<Option<Vec<u8>>>,
}

impl Tracking {
    /// Whether any client tracks (the common case is none: every hook is then one branch).
    pub fn is_active(&self) -> bool {
        self.clients > 0
    }

    /// INFO `tracking_clients`.
    pub fn client_count(&self) -> usize {
        self.clients
    }

    /// INFO `tracking_total_keys`.
    pub fn key_count(&self) -> usize {
        self.table.len()
    }

    /// INFO `tracking_total_items`.
    pub fn item_count(&self) -> usize {
        self.items
    }

    /// INFO `tracking_total_prefixes`.
    pub fn prefix_count(&self) -> usize {
        self.prefixes.len()
    }

    /// Remembers that `client` may cache `keys`.
    fn remember(&mut self, client: ClientId, keys: &[&[u8]]) {
        for key in keys {
            let ids = self.table.entry(key.to_vec()).or_default();
            if !ids.contains(&client) {
                ids.push(client);
                self.items += 1;
            }
        }
    }

    /// Forgets a client's BCAST registrations (tracking off, disconnection).
    fn drop_prefixes(&mut self, client: ClientId, prefixes: &[Vec<u8>]) {
        for p in prefixes {
            if let Some(state) = self.prefixes.get_mut(p) {
                state.clients.retain(|&c| c != client);
                if state.clients.is_empty() {
                    self.prefixes.remove(p);
                }
            }
        }
    }

    /// `key` changed, by `writer` (the running command's client, if any): every client that
    /// may cache it is told, BCAST prefixes collect it.
    pub(crate) fn invalidate(&mut self, to: &mut Recipients<'_>, writer: Option<ClientId>, key: &[u8]) {
        for (prefix, state) in self.prefixes.iter_mut() {
            if key.starts_with(prefix) {
                state.keys.insert(key.to_vec(), writer);
            }
        }
        let Some(ids) = self.table.remove(key) else { return };
        self.items -= ids.len();
        for id in ids {
            let Some(settings) = tracking_of(to, id) else { continue };
            if settings.bcast || (settings.noloop && writer == Some(id)) {
                continue;
            }
            if writer == Some(id) {
                // After the command's reply, not inside it.
                self.own_pending.push(Some(key.to_vec()));
            } else {
                send(to, id, Keys::One(key));
            }
        }
    }

    /// FLUSHDB/FLUSHALL: every tracking client is told to drop everything; the table empties.
    pub(crate) fn invalidate_all(&mut self, to: &mut Recipients<'_>, writer: Option<ClientId>) {
        self.table.clear();
        self.items = 0;
        if !self.is_active() {
            return;
        }
        let mut targets: Vec<ClientId> = to.clients.iter().filter(|c| c.tracking.is_some()).map(|c| c.id).collect();
        if let Some((client, _)) = to.caller.as_ref().filter(|(c, _)| c.tracking.is_some()) {
            targets.push(client.id);
        }
        for id in targets {
            if writer == Some(id) {
                self.own_pending.push(None);
            } else {
                send(to, id, Keys::All);
            }
        }
    }

    /// Sends the running command's own invalidations, after its reply.
    pub(crate) fn flush_own(&mut self, to: &mut Recipients<'_>) {
        let Some(id) = to.caller.as_ref().map(|(c, _)| c.id) else { return };
        for key in std::mem::take(&mut self.own_pending) {
            match key {
                Some(key) => send(to, id, Keys::One(&key)),
                None => send(to, id, Keys::All),
            }
        }
    }

    /// Sends what each BCAST prefix collected (Redis does it before the event loop sleeps).
    pub(crate) fn broadcast(&mut self, to: &mut Recipients<'_>) {
        for state in self.prefixes.values_mut() {
            if state.keys.is_empty() {
                continue;
            }
            let keys = std::mem::take(&mut state.keys);
            for &id in &state.clients {
                let noloop = tracking_of(to, id).is_some_and(|t| t.noloop);
                let chosen: Vec<&[u8]> =
                    keys.iter().filter(|(_, w)| !noloop || **w != Some(id)).map(|(k, _)| k.as_slice()).collect();
                if !chosen.is_empty() {
                    send(to, id, Keys::Many(&chosen));
                }
            }
        }
    }

    /// Whether some BCAST prefix collected keys since the last broadcast.
    pub(crate) fn has_broadcasts(&self) -> bool {
        self.prefixes.values().any(|p| !p.keys.is_empty())
    }

    /// `tracking-table-max-keys`: invalidates keys until the table is back under the limit.
    pub(crate) fn enforce_limit(&mut self, to: &mut Recipients<'_>, max_keys: usize) {
        if max_keys == 0 {
            return;
        }
        while self.table.len() > max_keys {
            let Some(key) = self.table.keys().next().cloned() else { break };
            self.invalidate(to, None, &key);
        }
    }
}

/// What an invalidation names.
enum Keys<'a> {
    One(&'a [u8]),
    Many(&'a [&'a [u8]]),
    /// Everything (a flush): a null.
    All,
}

/// The tracking settings of client `id`, wherever it is.
fn tracking_of<'a>(to: &'a Recipients<'_>, id: ClientId) -> Option<&'a ClientTracking> {
    match to.caller.as_ref().filter(|(c, _)| c.id == id) {
        Some((client, _)) => client.tracking.as_deref(),
        None => to.clients.get(id).and_then(|c| c.tracking.as_deref()),
    }
}

/// Sends an invalidation to client `id` or to the client it redirects to (Redis's
/// `sendTrackingMessage`).
fn send(to: &mut Recipients<'_>, id: ClientId, keys: Keys<'_>) {
    let Some(settings) = tracking_of(to, id) else { return };
    let redirect = settings.redirect;
    if redirect != 0 {
        let target = redirect_target(to, redirect);
        let Some((resp3, subscribed)) = target else {
            // The redirection target is gone: RESP3 clients are told, once per invalidation.
            mark_broken(to, id);
            return;
        };
        if resp3 {
            to.send(redirect, |out| invalidation_push(out, &keys));
        } else if subscribed {
            to.send(redirect, |out| {
                out.push(3);
                out.bulk(b"message");
                out.bulk(b"__redis__:invalidate");
                invalidated_keys(out, &keys);
            });
        }
        return;
    }
    let resp3 = match to.caller.as_ref().filter(|(c, _)| c.id == id) {
        Some((client, _)) => client.resp == 3,
        None => to.clients.get(id).is_some_and(|c| c.resp == 3),
    };
    // A RESP2 client without redirection cannot receive pushes.
    if resp3 {
        to.send(id, |out| invalidation_push(out, &keys));
    }
}

/// The protocol and subscription state of a redirection target, if it exists.
fn redirect_target(to: &Recipients<'_>, id: ClientId) -> Option<(bool, bool)> {
    let client: &Client = match to.caller.as_ref().filter(|(c, _)| c.id == id) {
        Some((client, _)) => client,
        None => to.clients.get(id)?,
    };
    Some((client.resp == 3, client.in_pubsub()))
}

/// Marks client `id`'s redirection broken and tells it if it speaks RESP3.
fn mark_broken(to: &mut Recipients<'_>, id: ClientId) {
    let client: &mut Client = match to.caller.as_mut().filter(|(c, _)| c.id == id) {
        Some((client, _)) => client,
        None => match to.clients.get_mut(id) {
            Some(c) => c,
            None => return,
        },
    };
    let resp3 = client.resp == 3;
    let Some(settings) = client.tracking.as_deref_mut() else { return };
    settings.broken_redirect = true;
    let redirect = settings.redirect;
    if resp3 {
        to.send(id, |out| {
            out.push(2);
            out.bulk(b"tracking-redir-broken");
            out.int(redirect as i64);
        });
    }
}

/// `>2 invalidate <keys>`.
fn invalidation_push(out: &mut Reply, keys: &Keys<'_>) {
    out.push(2);
    out.bulk(b"invalidate");
    invalidated_keys(out, keys);
}

fn invalidated_keys(out: &mut Reply, keys: &Keys<'_>) {
    match keys {
        Keys::One(key) => {
            out.array(1);
            out.bulk(key);
        }
        Keys::Many(keys) => {
            out.array(keys.len());
            for key in keys.iter() {
                out.bulk(key);
            }
        }
        Keys::All => out.null(),
    }
}

/// Why CLIENT TRACKING ON was refused.
pub fn check_prefixes(existing: &[Vec<u8>], new: &[&[u8]]) -> Result<(), String> {
    let overlaps = |a: &[u8], b: &[u8]| {
        let n = a.len().min(b.len());
        a[..n] == b[..n]
    };
    for (i, p) in new.iter().enumerate() {
        if let Some(old) = existing.iter().find(|old| overlaps(old, p)) {
            return Err(format!(
                "ERR Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client must not overlap.",
                String::from_utf8_lossy(p),
                String::from_utf8_lossy(old)
            ));
        }
        if let Some(other) = new[i + 1..].iter().find(|other| overlaps(p, other)) {
            return Err(format!(
                "ERR Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single client must not overlap.",
                String::from_utf8_lossy(p),
                String::from_utf8_lossy(other)
            ));
        }
    }
    Ok(())
}

impl Ctx<'_> {
    /// CLIENT TRACKING ON with checked options: turns tracking on (or updates it), registering
    /// BCAST prefixes (the empty prefix when none is given).
    pub fn enable_tracking(&mut self, mut settings: ClientTracking, prefixes: &[&[u8]]) {
        let id = self.client.id;
        let tracking = &mut self.server.tracking;
        let old_prefixes = match self.client.tracking.take() {
            Some(old) => old.prefixes,
            None => {
                tracking.clients += 1;
                Vec::new()
            }
        };
        settings.prefixes = old_prefixes;
        if settings.bcast {
            let wanted: Vec<&[u8]> = if prefixes.is_empty() { vec![&b""[..]] } else { prefixes.to_vec() };
            for p in wanted {
                let state = tracking.prefixes.entry(p.to_vec()).or_default();
                if !state.clients.contains(&id) {
                    state.clients.push(id);
                }
                if !settings.prefixes.iter().any(|old| old == p) {
                    settings.prefixes.push(p.to_vec());
                }
            }
        }
        self.client.tracking = Some(Box::new(settings));
    }

    /// CLIENT TRACKING OFF (and RESET, disconnection).
    pub fn disable_tracking(&mut self) {
        disable(&mut self.server.tracking, self.client);
    }
}

/// Turns `client`'s tracking off.
pub(crate) fn disable(tracking: &mut Tracking, client: &mut Client) {
    if let Some(settings) = client.tracking.take() {
        tracking.drop_prefixes(client.id, &settings.prefixes);
        tracking.clients -= 1;
    }
}

/// After a read-only command of a tracking client (not in BCAST mode): remembers its keys,
/// unless OPTIN without CACHING YES or OPTOUT with CACHING NO says not to.
pub(crate) fn remember_read(tracking: &mut Tracking, client: &Client, keys: &[&[u8]]) {
    let Some(settings) = client.tracking.as_deref() else { return };
    if settings.bcast || (settings.optin && !settings.caching) || (settings.optout && settings.caching) {
        return;
    }
    tracking.remember(client.id, keys);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_must_not_overlap() {
        assert!(check_prefixes(&[], &[b"a", b"b"]).is_ok());
        let err = check_prefixes(&[b"user:".to_vec()], &[b"user"]).unwrap_err();
        assert!(err.starts_with("ERR Prefix 'user' overlaps with an existing prefix 'user:'"), "{err}");
        let err = check_prefixes(&[], &[b"ab", b"a"]).unwrap_err();
        assert!(err.contains("overlaps with another provided prefix 'a'"), "{err}");
    }

    #[test]
    fn invalidation_shapes() {
        let mut push = Reply::new(true);
        invalidation_push(&mut push, &Keys::One(b"k"));
        assert_eq!(push.as_bytes(), b">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n");
        let mut flush = Reply::new(true);
        invalidation_push(&mut flush, &Keys::All);
        assert_eq!(flush.as_bytes(), b">2\r\n$10\r\ninvalidate\r\n_\r\n");
    }
}
