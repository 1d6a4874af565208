//! One parallel map for the deck pipeline (compiling deck texts, reading cached decks): the items are dealt
//! out round-robin, one share per core, and mapped on scoped threads; results keep the items' order. Pure:
//! threads only, no I/O.

/// `f` applied to every item, spread over the available cores; the result has the items' order. Runs on
/// the calling thread when there is one core or fewer than two items. A panic in `f` is passed on.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    // Round-robin rather than contiguous chunks: files of one size tend to sit together (the built-in
    // decks first), so dealing them out keeps the threads' shares even.
    let f = &f;
    let parts: Vec<Vec<R>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    items
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .map(f)
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut parts: Vec<std::vec::IntoIter<R>> = parts.into_iter().map(Vec::into_iter).collect();
    let mut out = Vec::with_capacity(items.len());
    for i in 0..items.len() {
        if let Some(r) = parts[i % threads].next() {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_the_items() {
        let items: Vec<u32> = (0..1001).collect();
        let doubled = par_map(&items, |n| n * 2);
        assert_eq!(doubled, (0..1001).map(|n| n * 2).collect::<Vec<_>>());
        assert_eq!(par_map(&[] as &[u32], |n| *n), Vec::<u32>::new());
        assert_eq!(par_map(&[7], |n| n + 1), vec![8]);
    }
}
