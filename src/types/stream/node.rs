//! One stream node: a listpack in Redis's own layout (t_stream.c), so RDB and DUMP write it as is.
//!
//! ```text
//! master entry: count deleted num-fields field_1 .. field_N 0
//! each entry:   flags ms-diff seq-diff [num-fields field_1 value_1 ..] | [value_1 ..] lp-count
//! ```
//! `count` and `deleted` are the live and deleted-flagged entries. An entry whose fields are the
//! master's (`SAMEFIELDS`) stores only its values. IDs are differences from the node's master ID
//! (the ID of the first entry added to it, the key it is stored under); `lp-count` is the number of
//! listpack elements before it in the entry, so the node can be walked backwards in Redis.
//!
//! Deleting only rewrites integers (an entry's flags, the node's counters), as a list of
//! [`Edit`]s, so a node packed among others can take them in place when their sizes allow.

use std::borrow::Cow;

use super::id::StreamId;
use crate::types::listpack::{self, Entry, Listpack, ListpackRef, Pos};

/// Entry flag: deleted (kept as a tombstone until the node goes).
pub const FLAG_DELETED: i64 = 1;
/// Entry flag: the entry's fields are the master entry's.
pub const FLAG_SAMEFIELDS: i64 = 2;

/// A listpack element as an integer (0 for a string, which a valid node never has there).
pub fn int_of(entry: Entry<'_>) -> i64 {
    match entry {
        Entry::Int(n) => n,
        Entry::Bytes(b) => crate::types::number::parse_i64(b).unwrap_or(0),
    }
}

fn push_int(lp: &mut Listpack, n: i64) {
    let mut buf = [0u8; 20];
    lp.push_back(crate::types::number::format_i64(n, &mut buf));
}

/// An integer element of a node to rewrite: its position and its new value.
pub type Edit = (Pos, i64);

/// A field/value pair of an entry, borrowed from the node unless it is an integer.
pub type Field<'a> = (Cow<'a, [u8]>, Cow<'a, [u8]>);

/// Where one entry sits in its node.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    /// Position of its flags element.
    pub flags_pos: Pos,
    /// Its flags.
    pub flags: i64,
    /// Its ID.
    pub id: StreamId,
    /// Position of its first field (or value, with `SAMEFIELDS`).
    body: Pos,
    /// Number of fields.
    fields: usize,
}

impl Slot {
    /// Whether the entry is deleted.
    pub fn deleted(&self) -> bool {
        self.flags & FLAG_DELETED != 0
    }
}

/// A read-only view of a node: its counters, master fields and entries.
pub struct NodeView<'a> {
    lp: ListpackRef<'a>,
    /// Live entries.
    pub count: i64,
    /// Entries flagged deleted.
    pub deleted: i64,
    deleted_pos: Option<Pos>,
    master_fields: Vec<Pos>,
    first: Option<Pos>,
    master: StreamId,
}

impl<'a> NodeView<'a> {
    /// Reads the master entry of `lp`, stored under `master`.
    pub fn new(lp: ListpackRef<'a>, master: StreamId) -> Self {
        let mut view =
            NodeView { lp, count: 0, deleted: 0, deleted_pos: None, master_fields: Vec::new(), first: None, master };
        let Some(p) = lp.first() else { return view };
        view.count = int_of(lp.at(p));
        let mut next = lp.next(p);
        if let Some(p) = next {
            view.deleted = int_of(lp.at(p));
            view.deleted_pos = Some(p);
            next = lp.next(p);
        }
        let fields = next.map_or(0, |p| int_of(lp.at(p)));
        let mut cursor = next.and_then(|p| lp.next(p));
        for _ in 0..fields {
            let Some(p) = cursor else { break };
            view.master_fields.push(p);
            cursor = lp.next(p);
        }
        // Skip the master terminator.
        view.first = cursor.and_then(|p| lp.next(p));
        view
    }

    /// The node's entries in order, deleted ones included.
    pub fn slots(&self) -> Vec<Slot> {
        let mut out = Vec::with_capacity((self.count + self.deleted).clamp(0, 1024) as usize);
        let mut cursor = self.first;
        while let Some(flags_pos) = cursor {
            let Some(slot) = self.slot_at(flags_pos) else { break };
            out.push(slot);
            cursor = self.skip_entry(&slot);
        }
        out
    }

    fn slot_at(&self, flags_pos: Pos) -> Option<Slot> {
        let lp = self.lp;
        let flags = int_of(lp.at(flags_pos));
        let ms_pos = lp.next(flags_pos)?;
        let seq_pos = lp.next(ms_pos)?;
        let id = StreamId::new(
            self.master.ms.wrapping_add(int_of(lp.at(ms_pos)) as u64),
            self.master.seq.wrapping_add(int_of(lp.at(seq_pos)) as u64),
        );
        let after = lp.next(seq_pos)?;
        let (body, fields) = if flags & FLAG_SAMEFIELDS != 0 {
            (after, self.master_fields.len())
        } else {
            (lp.next(after)?, usize::try_from(int_of(lp.at(after))).unwrap_or(0))
        };
        Some(Slot { flags_pos, flags, id, body, fields })
    }

    /// Position of the entry after `slot`.
    fn skip_entry(&self, slot: &Slot) -> Option<Pos> {
        let per_field = if slot.flags & FLAG_SAMEFIELDS != 0 { 1 } else { 2 };
        let mut p = Some(slot.body);
        // The elements of the fields, then lp-count.
        for _ in 0..slot.fields * per_field {
            p = p.and_then(|p| self.lp.next(p));
        }
        p.and_then(|p| self.lp.next(p))
    }

    /// The field/value pairs of `slot`.
    pub fn fields(&self, slot: &Slot) -> Vec<Field<'a>> {
        let lp = self.lp;
        let mut out = Vec::with_capacity(slot.fields);
        let mut p = Some(slot.body);
        for i in 0..slot.fields {
            let Some(at) = p else { break };
            if slot.flags & FLAG_SAMEFIELDS != 0 {
                let field = self.master_fields.get(i).map_or(Cow::Borrowed(&[][..]), |&f| lp.at(f).into_cow());
                out.push((field, lp.at(at).into_cow()));
                p = lp.next(at);
            } else {
                let Some(value) = lp.next(at) else { break };
                out.push((lp.at(at).into_cow(), lp.at(value).into_cow()));
                p = lp.next(value);
            }
        }
        out
    }

    /// The edits that flag `slots` (live entries of this node, in order) deleted and update the
    /// counters, in position order.
    pub fn deletion(&self, slots: &[Slot]) -> Vec<Edit> {
        let n = slots.len() as i64;
        let counters = [self.lp.first().map(|p| (p, self.count - n)), self.deleted_pos.map(|p| (p, self.deleted + n))];
        counters.into_iter().flatten().chain(slots.iter().map(|s| (s.flags_pos, s.flags | FLAG_DELETED))).collect()
    }

    /// Whether `fields` (flat field/value pairs) has exactly the master's field names.
    fn same_fields(&self, fields: &[&[u8]]) -> bool {
        fields.len() == self.master_fields.len() * 2
            && self.master_fields.iter().zip(fields.iter().step_by(2)).all(|(&p, f)| self.lp.at(p).eq_bytes(f))
    }
}

/// A new node holding one entry `id` with `fields` (flat field/value pairs); `id` is its master.
pub fn new_node(id: StreamId, fields: &[&[u8]]) -> Listpack {
    let mut lp = Listpack::new();
    push_int(&mut lp, 1);
    push_int(&mut lp, 0);
    push_int(&mut lp, (fields.len() / 2) as i64);
    for field in fields.iter().step_by(2) {
        lp.push_back(field);
    }
    push_int(&mut lp, 0);
    push_entry(&mut lp, FLAG_SAMEFIELDS, id, id, fields);
    lp
}

/// Appends entry `id` to the node `lp` stored under `master`.
pub fn append(lp: &mut Listpack, master: StreamId, id: StreamId, fields: &[&[u8]]) {
    let view = NodeView::new(lp.view(), master);
    let flags = if view.same_fields(fields) { FLAG_SAMEFIELDS } else { 0 };
    let count = lp.first().map(|p| (p, view.count + 1));
    apply(lp, count.as_slice());
    push_entry(lp, flags, master, id, fields);
}

fn push_entry(lp: &mut Listpack, flags: i64, master: StreamId, id: StreamId, fields: &[&[u8]]) {
    let pairs = (fields.len() / 2) as i64;
    push_int(lp, flags);
    push_int(lp, id.ms.wrapping_sub(master.ms) as i64);
    push_int(lp, id.seq.wrapping_sub(master.seq) as i64);
    let same = flags & FLAG_SAMEFIELDS != 0;
    if !same {
        push_int(lp, pairs);
    }
    for pair in fields.chunks_exact(2) {
        if !same {
            lp.push_back(pair[0]);
        }
        lp.push_back(pair[1]);
    }
    push_int(lp, if same { pairs + 3 } else { 2 * pairs + 4 });
}

/// Applies `edits` (in position order) to `lp`.
pub fn apply(lp: &mut Listpack, edits: &[Edit]) {
    let mut buf = [0u8; 20];
    // From the back, so a size change leaves the positions still to rewrite where they were.
    for &(pos, n) in edits.iter().rev() {
        lp.replace(pos, crate::types::number::format_i64(n, &mut buf));
    }
}

/// Applies as many of `edits` (in position order) to the encoded node `buf` as fit in place,
/// from the last one back, stopping at the first that would change the node's size; returns how
/// many are left (the first ones), for [`apply`] on the node as a [`Listpack`].
pub fn apply_in_place(buf: &mut [u8], edits: &[Edit]) -> usize {
    let mut scratch = [0u8; 20];
    let mut left = edits.len();
    while let Some(&(pos, n)) = left.checked_sub(1).and_then(|i| edits.get(i)) {
        if !listpack::replace_in_place(buf, pos, crate::types::number::format_i64(n, &mut scratch)) {
            break;
        }
        left -= 1;
    }
    left
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_entries_as_redis() {
        let master = StreamId::new(10, 0);
        let mut lp = new_node(master, &[b"a", b"1", b"b", b"x"]);
        append(&mut lp, master, StreamId::new(12, 3), &[b"a", b"2", b"b", b"y"]);
        append(&mut lp, master, StreamId::new(12, 4), &[b"c", b"3"]);
        let elements: Vec<Vec<u8>> = lp.iter().map(|e| e.to_vec()).collect();
        let expected: Vec<&[u8]> = vec![
            b"3", b"0", b"2", b"a", b"b", b"0", // master
            b"2", b"0", b"0", b"1", b"x", b"5", // same fields
            b"2", b"2", b"3", b"2", b"y", b"5", // same fields
            b"0", b"2", b"4", b"1", b"c", b"3", b"6", // own fields
        ];
        assert_eq!(elements, expected);
        let view = NodeView::new(lp.view(), master);
        let slots = view.slots();
        assert_eq!(
            slots.iter().map(|s| s.id).collect::<Vec<_>>(),
            [master, StreamId::new(12, 3), StreamId::new(12, 4)]
        );
        let fields = view.fields(&slots[2]);
        assert_eq!(fields, vec![(Cow::Borrowed(&b"c"[..]), Cow::Owned(b"3".to_vec()))]);
        assert_eq!(view.fields(&slots[1])[1], (Cow::Borrowed(&b"b"[..]), Cow::Borrowed(&b"y"[..])));
        let edits = view.deletion(&slots[1..2]);
        assert_eq!(edits.len(), 3);
        let mut packed = lp.encoded().to_vec();
        assert_eq!(apply_in_place(&mut packed, &edits), 0);
        apply(&mut lp, &edits);
        assert_eq!(packed, lp.encoded());
        let view = NodeView::new(lp.view(), master);
        assert_eq!((view.count, view.deleted), (2, 1));
        assert!(view.slots()[1].deleted());
    }

    #[test]
    fn edits_that_resize_are_left_to_apply() {
        let master = StreamId::new(1, 0);
        let mut lp = new_node(master, &[b"f", b"v"]);
        let edits = [(Pos::default(), 300), (lp.next(Pos::default()).unwrap_or_default(), 5)];
        let mut packed = lp.encoded().to_vec();
        // The deleted count keeps its byte; the live count needs two.
        assert_eq!(apply_in_place(&mut packed, &edits), 1);
        let mut rest = Listpack::from_encoded(packed, lp.len());
        apply(&mut rest, &edits[..1]);
        apply(&mut lp, &edits);
        assert_eq!(rest, lp);
        let view = NodeView::new(lp.view(), master);
        assert_eq!((view.count, view.deleted), (300, 5));
    }
}
