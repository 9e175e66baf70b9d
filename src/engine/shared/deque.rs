//! [`Deque`]: the engine's queues (in-flight records, checkpoint history, retained checkpoints, exceptions,
//! restarts, the sink's recent records) — a `VecDeque` whose clone, as a time-travel snapshot takes it, copies
//! its two halves into one buffer. `VecDeque::clone` extends an empty queue element by element through its
//! iterator, a dozen functions per element type in the page; this is one `Vec` copy (a `memcpy` for `Copy`
//! elements). Not a Flink concept; the clone holds the same elements in the same order.

use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};

/// A `VecDeque` with a smaller clone (see the module documentation); everything else is the `VecDeque`'s.
#[derive(Debug)]
pub struct Deque<T>(VecDeque<T>);

impl<T> Default for Deque<T> {
    fn default() -> Self {
        Deque(VecDeque::new())
    }
}

impl<T: Clone> Clone for Deque<T> {
    fn clone(&self) -> Self {
        let (front, back) = self.0.as_slices();
        let mut all = Vec::with_capacity(self.0.len());
        all.extend_from_slice(front);
        all.extend_from_slice(back);
        Deque(VecDeque::from(all))
    }
}

impl<T> Deref for Deque<T> {
    type Target = VecDeque<T>;

    fn deref(&self) -> &VecDeque<T> {
        &self.0
    }
}

impl<T> DerefMut for Deque<T> {
    fn deref_mut(&mut self) -> &mut VecDeque<T> {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_holds_the_same_elements_in_order_when_the_queue_wraps() {
        let mut q = Deque::default();
        for i in 0..6 {
            q.push_back(i.to_string());
        }
        q.pop_front();
        q.pop_front();
        q.push_back("6".to_owned());
        q.push_front("1".to_owned());
        let c = q.clone();
        assert_eq!(*c, *q);
        assert!(c.iter().eq(q.iter()));
    }
}
