//! Independent per-object work spread over the machine's cores (judging PrometheusRules,
//! parsing documents): the results come back in input order, so output never depends on
//! scheduling.

use std::cell::Cell;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most threads one call starts; past this the work is too small per thread to gain.
pub const MAX_THREADS: usize = 8;

/// Each thread gets at least this many items (fewer items, fewer threads): starting a thread
/// costs about as much as a few documents' work.
pub const MIN_ITEMS_PER_THREAD: usize = 4;

/// A thread's stack, as large as a main thread's: the PromQL parser and the YAML loader
/// recurse up to their named depth limits.
const STACK_BYTES: usize = 8 * 1024 * 1024;

thread_local! {
    /// Set while a thread works for [`map`]: a nested call runs where it is, so the number of
    /// threads never multiplies.
    static IN_MAP: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work` with [`IN_MAP`] set, restoring it afterwards.
fn as_worker<R>(work: impl FnOnce() -> R) -> R {
    let outer = IN_MAP.with(|flag| flag.replace(true));
    let result = work();
    IN_MAP.with(|flag| flag.set(outer));
    result
}

/// `f` applied to every item, in order, on up to [`MAX_THREADS`] threads.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let threads = cores
        .min(MAX_THREADS)
        .min(items.len() / MIN_ITEMS_PER_THREAD)
        .max(1);
    if threads == 1 || IN_MAP.with(Cell::get) {
        return items.iter().map(&f).collect();
    }
    // Items are taken one at a time from a shared counter: their costs differ widely (one
    // PrometheusRule holds 200 rules, the next 3), so fixed halves would leave a core idle.
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, f(item)));
        }
    };
    let work = &work;
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, move || as_worker(work))
                    // No thread to be had: the calling thread does its share.
                    .ok()
            })
            .collect();
        let mut done = as_worker(work);
        for handle in handles {
            match handle.join() {
                Ok(part) => done.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_input_order_at_every_size() {
        for len in [0, 1, 3, 8, 9, 1_000, 10_007] {
            let items: Vec<usize> = (0..len).collect();
            let doubled = map(&items, |i| i * 2);
            assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn nested_calls_run_in_place() {
        let outer: Vec<usize> = (0..64).collect();
        let threads = map(&outer, |_| {
            let inner: Vec<usize> = (0..64).collect();
            let here = std::thread::current().id();
            map(&inner, |_| std::thread::current().id() == here)
                .into_iter()
                .all(|same| same)
        });
        assert!(threads.into_iter().all(|same| same));
    }
}
