//! What XCLAIM and XAUTOCLAIM share: taking a pending entry for a consumer (created, or its seen
//! time refreshed, on the first claim), and dropping one whose entry was deleted, each
//! propagated as the XCLAIM Redis writes.

use super::common::{lookup_stream, reply_entry, reply_id};
use super::read::propagate_claim;
use crate::config::NotifyFlags;
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;
use crate::types::stream::{Group, StreamId};

/// A claim in progress on one group of one stream.
pub struct Claimer<'a> {
    /// The stream key.
    pub key: &'a [u8],
    /// The group name.
    pub group: &'a [u8],
    /// The claiming consumer.
    pub consumer: &'a [u8],
    /// Reply IDs only, and leave delivery counts alone.
    pub justid: bool,
    /// Whether the consumer was looked up (or created) yet.
    touched: bool,
}

impl<'a> Claimer<'a> {
    /// A claimer for `consumer` of `group` at `key`.
    pub fn new(key: &'a [u8], group: &'a [u8], consumer: &'a [u8], justid: bool) -> Self {
        Claimer { key, group, consumer, justid, touched: false }
    }

    /// Runs `f` on the group (which the caller checked exists).
    pub fn with_group<R>(&self, ctx: &mut Ctx<'_>, f: impl FnOnce(&mut Group) -> R) -> Option<R> {
        let db = &mut ctx.server.dbs[ctx.client.db];
        let stream = lookup_stream(db, ctx.out, self.key, Access::Peek).ok().flatten()?;
        stream.groups.get_mut(self.group).map(f)
    }

    /// Whether entry `id` is still in the stream.
    pub fn entry_exists(&self, ctx: &mut Ctx<'_>, id: StreamId) -> bool {
        let db = &mut ctx.server.dbs[ctx.client.db];
        lookup_stream(db, ctx.out, self.key, Access::Peek).ok().flatten().is_some_and(|s| s.contains(id))
    }

    /// Drops the pending entry `id`, whose stream entry is gone; returns whether it was pending.
    pub fn drop_deleted(&self, ctx: &mut Ctx<'_>, id: StreamId) -> bool {
        let Some(Some((owner, time, count, last))) = self.with_group(ctx, |g| {
            let nack = g.pel.get(&id)?.clone();
            g.ack(id);
            Some((nack.consumer, nack.delivery_time, nack.delivery_count, g.last_id))
        }) else {
            return false;
        };
        propagate_claim(ctx, self.key, self.group, &owner, id, (time, count), last);
        ctx.add_dirty(1);
        true
    }

    /// Gives pending entry `id` to the consumer, delivered at `time`, with `retry` deliveries
    /// (or one more unless JUSTID); replies it and propagates the claim.
    pub fn take(&mut self, ctx: &mut Ctx<'_>, id: StreamId, time: i64, retry: Option<u64>) {
        if !self.touched {
            self.touched = true;
            let now = now_ms();
            let consumer = self.consumer;
            let created = self.with_group(ctx, |g| match g.consumers.get_mut(consumer) {
                Some(c) => {
                    c.seen_time = now;
                    false
                }
                None => g.create_consumer(consumer, now),
            });
            if created == Some(true) {
                ctx.add_dirty(1);
                ctx.notify(NotifyFlags::STREAM, "xgroup-createconsumer", self.key);
            }
        }
        let (consumer, justid) = (self.consumer, self.justid);
        let Some((count, last)) = self.with_group(ctx, |g| {
            let old = g.pel.get(&id).map_or(0, |n| n.delivery_count);
            let count = retry.unwrap_or(if justid { old } else { old + 1 });
            g.assign(id, consumer, time, Some(count));
            (count, g.last_id)
        }) else {
            return;
        };
        if justid {
            reply_id(ctx.out, id);
        } else {
            let db = &mut ctx.server.dbs[ctx.client.db];
            if let Ok(Some(stream)) = lookup_stream(db, ctx.out, self.key, Access::Peek) {
                stream.range(id, id, false, |id, fields| {
                    reply_entry(ctx.out, id, &fields);
                    false
                });
            }
        }
        propagate_claim(ctx, self.key, self.group, consumer, id, (time, count), last);
        ctx.add_dirty(1);
    }
}
