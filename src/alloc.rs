//! The global allocator: jemalloc, wrapped to keep a running count of the bytes in use, so
//! `used_memory` (INFO, eviction before every command) is one relaxed atomic load, as Redis's
//! `zmalloc_used_memory` is.
//!
//! Each allocation is counted at its jemalloc size class, the bytes jemalloc really sets aside
//! (what `malloc_usable_size` reports and what Redis counts). The class is computed from the
//! layout with a few integer operations instead of asking jemalloc (`nallocx`/`sallocx` cost a
//! function call and, for `sallocx`, a radix-tree lookup per free); a unit test checks the
//! formula against jemalloc's own answer. Allocation and free see the same layout, so the count
//! is exact, not an estimate.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};

use tikv_jemallocator::Jemalloc;

/// Bytes currently allocated through [`Counting`], at their size class.
static USED: AtomicUsize = AtomicUsize::new(0);

/// Up to this jemalloc's classes are 16 bytes apart (its quantum); then four per doubling.
const QUANTUM_SPACED_UP_TO: usize = 128;
/// jemalloc's quantum on 64-bit targets.
const QUANTUM: usize = 16;
/// Past this (its largest small class rounded up) this jemalloc build serves whole pages.
const PAGE_SPACED_FROM: usize = 16 * 1024;
/// jemalloc's page (4 KiB on the targets rkv supports; the unit test checks it).
const PAGE: usize = 4096;

/// jemalloc behind a byte counter; install it with `#[global_allocator]`.
pub struct Counting;

/// The jemalloc size class an allocation of `layout` occupies (its usable size).
pub fn size_class(layout: Layout) -> usize {
    // jemalloc serves over-aligned requests from a class that is a multiple of the alignment.
    let size = if layout.align() > QUANTUM { layout.size().next_multiple_of(layout.align()) } else { layout.size() };
    if size <= 8 {
        return 8;
    }
    if size <= QUANTUM_SPACED_UP_TO {
        return size.next_multiple_of(QUANTUM);
    }
    if size > PAGE_SPACED_FROM {
        return size.next_multiple_of(PAGE);
    }
    // Between 2^k and 2^(k+1) there are four classes, 2^(k-2) apart.
    let k = usize::BITS - 1 - (size - 1).leading_zeros();
    size.next_multiple_of(1 << (k - 2))
}

/// Bytes in use through the counting allocator; jemalloc's `stats.allocated` when another
/// allocator is installed (unit tests, embedders), which only moves once per stats epoch.
pub fn used_memory() -> u64 {
    match USED.load(Ordering::Relaxed) {
        0 => {
            // Stats are cached per epoch: refresh first.
            let _ = tikv_jemalloc_ctl::epoch::advance();
            tikv_jemalloc_ctl::stats::allocated::read().map_or(0, |n| n as u64)
        }
        n => n as u64,
    }
}

// SAFETY: every call is forwarded to jemalloc unchanged; the counter is bookkeeping only.
unsafe impl GlobalAlloc for Counting {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which we pass on.
        let ptr = unsafe { Jemalloc.alloc(layout) };
        if !ptr.is_null() {
            USED.fetch_add(size_class(layout), Ordering::Relaxed);
        }
        ptr
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { Jemalloc.alloc_zeroed(layout) };
        if !ptr.is_null() {
            USED.fetch_add(size_class(layout), Ordering::Relaxed);
        }
        ptr
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with `layout`, as the caller guarantees.
        unsafe { Jemalloc.dealloc(ptr, layout) };
        USED.fetch_sub(size_class(layout), Ordering::Relaxed);
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; `new_size` is valid for `layout.align()` per the contract.
        let new_ptr = unsafe { Jemalloc.realloc(ptr, layout, new_size) };
        if !new_ptr.is_null() {
            // SAFETY: the contract guarantees `new_size` rounded to the alignment does not overflow.
            let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            let (old, new) = (size_class(layout), size_class(new_layout));
            if new >= old {
                USED.fetch_add(new - old, Ordering::Relaxed);
            } else {
                USED.fetch_sub(old - new, Ordering::Relaxed);
            }
        }
        new_ptr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// jemalloc's own size class for a request (what `malloc_usable_size` would report).
    fn jemalloc_class(size: usize, align: usize) -> usize {
        let flags = if align > QUANTUM { align.trailing_zeros() as i32 } else { 0 };
        // SAFETY: nallocx only computes a size; it allocates nothing.
        unsafe { tikv_jemalloc_sys::nallocx(size, flags) }
    }

    #[test]
    fn size_classes_match_jemalloc() {
        let mut sizes: Vec<usize> = (1..=20_000).collect();
        sizes.extend((0..40).flat_map(|shift| {
            let base = 1usize << (shift + 14);
            [base - 1, base, base + 1, base + base / 3]
        }));
        for size in sizes {
            let layout = Layout::from_size_align(size, 8).unwrap();
            assert_eq!(size_class(layout), jemalloc_class(size, 8), "size {size}");
        }
        for align in [32, 64, 4096] {
            for size in [1, 33, 100, 5000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                assert_eq!(size_class(layout), jemalloc_class(size, align), "size {size} align {align}");
            }
        }
    }
}
