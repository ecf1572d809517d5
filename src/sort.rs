//! Sorting through one instance of the standard library's sort.
//!
//! Each `slice::sort_by` call with another element type or comparator is a new copy of the
//! standard library's driftsort (2-6 KB of wasm each): about ten call sites cost 70 KB of
//! the module (twiggy, 2026-11-29). These helpers sort a list of positions with a comparator
//! behind `dyn`, so the sort itself is compiled once, then move the elements into that order.
//! Same result as `sort_by` (stable, O(n log n)), for the short lists the core sorts.

use core::cmp::Ordering;

/// Sorts `v` stably by `cmp`, like `slice::sort_by`.
pub fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_positions(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    // Each position occurs once in `order`, so every element is moved back exactly once.
    v.extend(
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// Sorts `v` stably, like `slice::sort`.
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
}

/// Sorts `v` stably by a key, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The one instance of the standard library's sort.
#[inline(never)]
fn sort_positions(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_order_as_the_standard_library() {
        // A deterministic pseudo-random list with many equal keys: stability shows.
        let mut x = 0x2545_f491_u32;
        let mut v: Vec<(u8, u32)> = (0..500)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                ((x % 7) as u8, i)
            })
            .collect();
        let mut expected = v.clone();
        expected.sort_by_key(|e| e.0);
        sort_by_key(&mut v, |e| e.0);
        assert_eq!(v, expected);
        let mut w = vec![3, 1, 2];
        sort(&mut w);
        assert_eq!(w, [1, 2, 3]);
        let mut one = vec![1];
        sort(&mut one);
        assert_eq!(one, [1]);
    }
}
