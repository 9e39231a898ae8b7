//! Spreading independent pieces of work over threads, with the results in the order of the
//! work: a report must not depend on which thread finished first.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Items handed to a thread at a time: small enough to balance uneven items, large enough
/// that taking a share costs nothing next to the work.
const SHARE: usize = 8;

/// The number of threads `jobs` asks for: 0 means one per core.
pub fn threads(jobs: usize) -> usize {
    match jobs {
        0 => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        n => n,
    }
}

/// `f(i, item)` for every item, on up to `jobs` threads (one thread: on this one), in the
/// items' order. A panic in `f` is passed on to the caller, as if `f` had run here.
pub fn map_ordered<T: Send, R: Send>(
    items: Vec<T>,
    jobs: usize,
    f: impl Fn(usize, T) -> R + Sync,
) -> Vec<R> {
    if jobs < 2 || items.len() < 2 {
        return items.into_iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let count = items.len();
    let mut shares: Vec<Mutex<Vec<T>>> = Vec::with_capacity(count.div_ceil(SHARE));
    let mut rest = items.into_iter();
    loop {
        let share: Vec<T> = rest.by_ref().take(SHARE).collect();
        if share.is_empty() {
            break;
        }
        shares.push(Mutex::new(share));
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(share) = shares.get(k) else { break };
            // Each share is taken once, by the thread that drew its number. Nothing that can
            // panic runs under the lock, so it cannot be poisoned; if it were, the share is
            // still there to take.
            let share = std::mem::take(
                &mut *share.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
            );
            let first = k * SHARE;
            done.push((k, share.into_iter().enumerate().map(|(j, t)| f(first + j, t)).collect()));
        }
        done
    };
    let mut done: Vec<(usize, Vec<R>)> = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..jobs.min(shares.len())).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            match h.join() {
                Ok(d) => all.extend(d),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    done.sort_unstable_by_key(|(k, _)| *k);
    let mut out = Vec::with_capacity(count);
    out.extend(done.into_iter().flat_map(|(_, r)| r));
    debug_assert_eq!(out.len(), count);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_items() {
        for jobs in [0, 1, 2, 3, 7] {
            for n in [0, 1, 2, 7, 8, 9, 100, 1001] {
                let items: Vec<usize> = (0..n).collect();
                let out = map_ordered(items, threads(jobs), |i, t| {
                    assert_eq!(i, t);
                    // Uneven work, so that threads finish out of order.
                    if t % 13 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(200));
                    }
                    t * 2
                });
                assert_eq!(out, (0..n).map(|t| t * 2).collect::<Vec<_>>(), "jobs {jobs}, n {n}");
            }
        }
    }

    #[test]
    fn a_panic_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            map_ordered((0..100).collect(), 2, |_, t: i32| if t == 57 { panic!("57") } else { t })
        });
        assert!(caught.is_err());
    }
}
