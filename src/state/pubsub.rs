//! Pub/Sub: who listens to which channels, patterns and shard channels, and the delivery of
//! messages to them.
//!
//! The [`PubSub`] registry in [`ServerState`] maps each channel (and pattern, and shard channel)
//! to its subscribers in the order they subscribed; each client keeps the reverse view in its
//! [`Subscriptions`]. A message is encoded into each subscriber's output with its protocol
//! (an array in RESP2, a push in RESP3), through [`Recipients`] so that a message to the
//! publishing client itself lands in order with its replies. Keyspace notifications are
//! published through the same path.

use std::collections::{HashMap, HashSet};

use super::Ctx;
use super::client::{Client, ClientId};
use super::effects::{Recipients, push_to_caller};
use crate::protocol::Reply;
use crate::types::glob;

/// The kinds of subscription, which differ in their reply names and counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SUBSCRIBE: `message`.
    Channel,
    /// PSUBSCRIBE: `pmessage`.
    Pattern,
    /// SSUBSCRIBE: `smessage`.
    Shard,
}

impl Kind {
    fn subscribe_name(self) -> &'static [u8] {
        match self {
            Kind::Channel => b"subscribe",
            Kind::Pattern => b"psubscribe",
            Kind::Shard => b"ssubscribe",
        }
    }

    fn unsubscribe_name(self) -> &'static [u8] {
        match self {
            Kind::Channel => b"unsubscribe",
            Kind::Pattern => b"punsubscribe",
            Kind::Shard => b"sunsubscribe",
        }
    }
}

/// What one client is subscribed to.
#[derive(Debug, Default)]
pub struct Subscriptions {
    channels: HashSet<Vec<u8>>,
    /// In subscription order, as Redis keeps patterns in a list.
    patterns: Vec<Vec<u8>>,
    shard: HashSet<Vec<u8>>,
}

impl Subscriptions {
    /// Channels plus patterns (the count SUBSCRIBE and PSUBSCRIBE replies carry).
    pub fn count(&self) -> usize {
        self.channels.len() + self.patterns.len()
    }

    /// Number of channels (CLIENT LIST `sub`).
    pub fn channels(&self) -> usize {
        self.channels.len()
    }

    /// Number of patterns (CLIENT LIST `psub`).
    pub fn patterns(&self) -> usize {
        self.patterns.len()
    }

    /// Number of shard channels (CLIENT LIST `ssub`).
    pub fn shard_channels(&self) -> usize {
        self.shard.len()
    }

    /// Whether the client is subscribed to anything (Redis's `CLIENT_PUBSUB`).
    pub fn is_active(&self) -> bool {
        self.count() + self.shard.len() > 0
    }

    /// The count a (un)subscribe reply of `kind` carries.
    fn count_for(&self, kind: Kind) -> usize {
        match kind {
            Kind::Channel | Kind::Pattern => self.count(),
            Kind::Shard => self.shard.len(),
        }
    }

    /// Whether the client holds `name` as a subscription of `kind`.
    fn contains(&self, kind: Kind, name: &[u8]) -> bool {
        match kind {
            Kind::Channel => self.channels.contains(name),
            Kind::Pattern => self.patterns.iter().any(|p| p == name),
            Kind::Shard => self.shard.contains(name),
        }
    }

    /// Adds a subscription; returns whether it is new.
    fn add(&mut self, kind: Kind, name: &[u8]) -> bool {
        if self.contains(kind, name) {
            return false;
        }
        match kind {
            Kind::Channel => self.channels.insert(name.to_vec()),
            Kind::Pattern => {
                self.patterns.push(name.to_vec());
                true
            }
            Kind::Shard => self.shard.insert(name.to_vec()),
        }
    }

    /// Removes a subscription; returns whether it existed.
    fn remove(&mut self, kind: Kind, name: &[u8]) -> bool {
        match kind {
            Kind::Channel => self.channels.remove(name),
            Kind::Pattern => {
                let before = self.patterns.len();
                self.patterns.retain(|p| p != name);
                before != self.patterns.len()
            }
            Kind::Shard => self.shard.remove(name),
        }
    }

    /// Every subscription of `kind`.
    fn names(&self, kind: Kind) -> Vec<Vec<u8>> {
        match kind {
            Kind::Channel => self.channels.iter().cloned().collect(),
            Kind::Pattern => self.patterns.clone(),
            Kind::Shard => self.shard.iter().cloned().collect(),
        }
    }
}

/// Subscribers of every channel, pattern and shard channel.
#[derive(Debug, Default)]
pub struct PubSub {
    channels: HashMap<Vec<u8>, Vec<ClientId>>,
    patterns: HashMap<Vec<u8>, Vec<ClientId>>,
    shard: HashMap<Vec<u8>, Vec<ClientId>>,
}

impl PubSub {
    fn table(&self, kind: Kind) -> &HashMap<Vec<u8>, Vec<ClientId>> {
        match kind {
            Kind::Channel => &self.channels,
            Kind::Pattern => &self.patterns,
            Kind::Shard => &self.shard,
        }
    }

    fn table_mut(&mut self, kind: Kind) -> &mut HashMap<Vec<u8>, Vec<ClientId>> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard,
        }
    }

    /// Whether nobody subscribes to anything (the common case: publishing is then free).
    pub fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.patterns.is_empty() && self.shard.is_empty()
    }

    /// Channels (or shard channels) with subscribers whose names match `pattern` (all without).
    pub fn active(&self, kind: Kind, pattern: Option<&[u8]>) -> Vec<&[u8]> {
        self.table(kind)
            .keys()
            .filter(|name| pattern.is_none_or(|p| glob::matches(p, name)))
            .map(Vec::as_slice)
            .collect()
    }

    /// Number of subscribers of `name` (PUBSUB NUMSUB, SHARDNUMSUB).
    pub fn subscribers(&self, kind: Kind, name: &[u8]) -> usize {
        self.table(kind).get(name).map_or(0, Vec::len)
    }

    /// Number of patterns with subscribers (PUBSUB NUMPAT).
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Number of channels (or shard channels) with subscribers (INFO `pubsub_channels`,
    /// `pubsubshard_channels`).
    pub fn channel_count(&self, kind: Kind) -> usize {
        self.table(kind).len()
    }

    fn link(&mut self, kind: Kind, name: &[u8], client: ClientId) {
        self.table_mut(kind).entry(name.to_vec()).or_default().push(client);
    }

    fn unlink(&mut self, kind: Kind, name: &[u8], client: ClientId) {
        let table = self.table_mut(kind);
        if let Some(list) = table.get_mut(name) {
            list.retain(|&c| c != client);
            if list.is_empty() {
                table.remove(name);
            }
        }
    }

    /// Delivers `message` to the subscribers of `channel` and of the patterns matching it;
    /// returns how many received it (PUBLISH's reply).
    pub fn publish(&self, to: &mut Recipients<'_>, channel: &[u8], message: &[u8]) -> usize {
        self.publish_kind(to, Kind::Channel, channel, message)
    }

    /// Delivers `message` on a channel of `kind` (Channel or Shard; shard messages ignore
    /// patterns).
    pub fn publish_kind(&self, to: &mut Recipients<'_>, kind: Kind, channel: &[u8], message: &[u8]) -> usize {
        if self.is_empty() {
            return 0;
        }
        let mut receivers = 0;
        let head: &[u8] = if kind == Kind::Shard { b"smessage" } else { b"message" };
        if let Some(list) = self.table(kind).get(channel) {
            for &id in list {
                receivers += usize::from(to.send(id, |out| message_reply(out, head, None, channel, message)));
            }
        }
        if kind == Kind::Channel {
            for (pattern, list) in &self.patterns {
                if !glob::matches(pattern, channel) {
                    continue;
                }
                for &id in list {
                    receivers += usize::from(
                        to.send(id, |out| message_reply(out, b"pmessage", Some(pattern), channel, message)),
                    );
                }
            }
        }
        receivers
    }
}

/// `message`/`smessage` (channel, payload) or `pmessage` (pattern, channel, payload), as an
/// array in RESP2 and a push in RESP3.
fn message_reply(out: &mut Reply, head: &[u8], pattern: Option<&[u8]>, channel: &[u8], message: &[u8]) {
    out.push(if pattern.is_some() { 4 } else { 3 });
    out.bulk(head);
    if let Some(p) = pattern {
        out.bulk(p);
    }
    out.bulk(channel);
    out.bulk(message);
}

/// `[kind-name, name or null, count]`.
fn subscription_reply(out: &mut Reply, head: &[u8], name: Option<&[u8]>, count: usize) {
    out.push(3);
    out.bulk(head);
    match name {
        Some(n) => out.bulk(n),
        None => out.null(),
    }
    out.int(count as i64);
}

impl Ctx<'_> {
    /// SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE: subscribes to each name and confirms each.
    pub fn subscribe(&mut self, kind: Kind, names: &[&[u8]]) {
        for name in names {
            let subs = self.client.subscriptions.get_or_insert_with(Box::default);
            if subs.add(kind, name) {
                self.server.pubsub.link(kind, name, self.client.id);
            }
            let count = subs.count_for(kind);
            push_to_caller(self.client, self.out, |out| {
                subscription_reply(out, kind.subscribe_name(), Some(name), count)
            });
        }
    }

    /// UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE: from each name, or from everything of `kind`
    /// when none is given (confirming with a null name when there was nothing).
    pub fn unsubscribe(&mut self, kind: Kind, names: &[&[u8]]) {
        if names.is_empty() {
            let all = self.client.subscriptions.as_ref().map(|s| s.names(kind)).unwrap_or_default();
            if all.is_empty() {
                let count = self.client.subscriptions.as_ref().map_or(0, |s| s.count_for(kind));
                push_to_caller(self.client, self.out, |out| {
                    subscription_reply(out, kind.unsubscribe_name(), None, count)
                });
            }
            for name in &all {
                self.unsubscribe_one(kind, name);
            }
        } else {
            for name in names {
                self.unsubscribe_one(kind, name);
            }
        }
        if self.client.subscriptions.as_ref().is_some_and(|s| !s.is_active()) {
            self.client.subscriptions = None;
        }
    }

    fn unsubscribe_one(&mut self, kind: Kind, name: &[u8]) {
        let id = self.client.id;
        let mut count = 0;
        if let Some(subs) = self.client.subscriptions.as_mut() {
            if subs.remove(kind, name) {
                self.server.pubsub.unlink(kind, name, id);
            }
            count = subs.count_for(kind);
        }
        push_to_caller(self.client, self.out, |out| {
            subscription_reply(out, kind.unsubscribe_name(), Some(name), count)
        });
    }

    /// PUBLISH and SPUBLISH: delivers and returns the number of receivers.
    pub fn publish(&mut self, kind: Kind, channel: &[u8], message: &[u8]) -> usize {
        let (server, mut to) = self.recipients();
        server.pubsub.publish_kind(&mut to, kind, channel, message)
    }
}

/// Drops every subscription of a departing or RESET client, silently.
pub(crate) fn release(pubsub: &mut PubSub, client: &mut Client) {
    let Some(subs) = client.subscriptions.take() else { return };
    for kind in [Kind::Channel, Kind::Pattern, Kind::Shard] {
        for name in subs.names(kind) {
            pubsub.unlink(kind, &name, client.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriptions_count_channels_and_patterns_apart_from_shards() {
        let mut s = Subscriptions::default();
        assert!(s.add(Kind::Channel, b"a"));
        assert!(!s.add(Kind::Channel, b"a"));
        assert!(s.add(Kind::Pattern, b"p*"));
        assert!(s.add(Kind::Shard, b"s"));
        assert_eq!(s.count_for(Kind::Channel), 2);
        assert_eq!(s.count_for(Kind::Shard), 1);
        assert!(s.remove(Kind::Pattern, b"p*"));
        assert!(!s.remove(Kind::Pattern, b"p*"));
        assert!(s.is_active());
    }

    #[test]
    fn messages_are_arrays_in_resp2_and_pushes_in_resp3() {
        let mut r2 = Reply::new(false);
        message_reply(&mut r2, b"message", None, b"ch", b"hi");
        assert_eq!(r2.as_bytes(), b"*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
        let mut r3 = Reply::new(true);
        message_reply(&mut r3, b"pmessage", Some(b"c*"), b"ch", b"hi");
        assert_eq!(r3.as_bytes(), b">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$2\r\nhi\r\n");
        let mut n = Reply::new(false);
        subscription_reply(&mut n, b"unsubscribe", None, 0);
        assert_eq!(n.as_bytes(), b"*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
    }
}
