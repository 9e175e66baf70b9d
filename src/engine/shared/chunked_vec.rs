//! [`ChunkedVec`]: a vector kept in fixed-size chunks behind [`Rc`], copied chunk by chunk on write — not a Flink
//! concept, StateLab's own storage for time travel. Cloning one copies only the chunk pointers; the clone and the
//! original share every chunk until one of them writes to it, and then only that chunk is copied
//! ([`Rc::make_mut`]). A snapshot of a cluster with a million keys in state is therefore a few hundred kilobytes
//! of pointers, and what it costs afterwards is the chunks the live cluster rewrites.
//!
//! [`ChunkedVec::unshared_bytes`] measures what two vectors (a snapshot and the next one, say) do not share: the
//! honest price of keeping both.

use crate::engine::shared::shared_storage::SharedStorage;
use std::fmt;
use std::ops::{Index, IndexMut};
use std::rc::Rc;

/// A vector of `T` in chunks of `N` elements, shared between clones until written (see the module
/// documentation). Elements past the length inside the last chunk are unspecified copies of pushed values.
pub struct ChunkedVec<T: Clone, const N: usize> {
    chunks: Vec<Rc<[T; N]>>,
    len: usize,
}

impl<T: Clone, const N: usize> Clone for ChunkedVec<T, N> {
    fn clone(&self) -> Self {
        ChunkedVec {
            chunks: self.chunks.clone(),
            len: self.len,
        }
    }
}

impl<T: Clone, const N: usize> Default for ChunkedVec<T, N> {
    fn default() -> Self {
        ChunkedVec::new()
    }
}

impl<T: Clone + fmt::Debug, const N: usize> fmt::Debug for ChunkedVec<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Clone + PartialEq, const N: usize> PartialEq for ChunkedVec<T, N> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Clone, const N: usize> ChunkedVec<T, N> {
    /// Bytes of one chunk.
    pub const CHUNK_BYTES: u64 = std::mem::size_of::<[T; N]>() as u64;

    pub const fn new() -> Self {
        ChunkedVec {
            chunks: Vec::new(),
            len: 0,
        }
    }

    /// `len` copies of `value` (`vec![value; len]`). The chunks start out as one shared chunk: each is copied on
    /// its first write.
    pub fn from_elem(value: T, len: usize) -> Self {
        let mut v = ChunkedVec::new();
        v.resize(len, value);
        v
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    pub fn get(&self, index: usize) -> Option<&T> {
        (index < self.len).then(|| &self.chunks[index / N][index % N])
    }

    /// The element at `index`, for writing: copies its chunk first if a clone still shares it.
    #[inline]
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        if index < self.len {
            Some(&mut unshared(&mut self.chunks[index / N])[index % N])
        } else {
            None
        }
    }

    pub fn last(&self) -> Option<&T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    #[inline]
    pub fn push(&mut self, value: T) {
        let index = self.len;
        if index / N == self.chunks.len() {
            self.push_chunk(value);
        } else {
            unshared(&mut self.chunks[index / N])[index % N] = value;
        }
        self.len += 1;
    }

    /// A new last chunk, starting with `value` (the rest are copies of it, past the length).
    #[inline(never)]
    fn push_chunk(&mut self, value: T) {
        self.chunks
            .push(Rc::new(std::array::from_fn(|_| value.clone())));
    }

    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        let value = self.last()?.clone();
        self.truncate(self.len - 1);
        Some(value)
    }

    /// Removes the element at `index`, moving the last one into its place (`Vec::swap_remove`).
    pub fn swap_remove(&mut self, index: usize) -> T {
        let value = self[index].clone();
        let last = self.pop().expect("index in bounds, so not empty");
        if index < self.len {
            self[index] = last;
        }
        value
    }

    /// Shortens the vector to `len` elements (no effect if it is not longer); chunks wholly past the end are
    /// let go, the last one is kept as it is.
    pub fn truncate(&mut self, len: usize) {
        if len < self.len {
            self.len = len;
            self.chunks.truncate(len.div_ceil(N));
        }
    }

    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// Grows or shrinks to `len`, filling new places with `value` (`Vec::resize`).
    pub fn resize(&mut self, len: usize, value: T) {
        if len <= self.len {
            self.truncate(len);
            return;
        }
        // Fill the rest of the last chunk, then add whole chunks sharing one copy.
        while self.len < len && !self.len.is_multiple_of(N) {
            self.push(value.clone());
        }
        if self.len < len {
            let chunk = Rc::new(std::array::from_fn(|_| value.clone()));
            let chunks = (len - self.len).div_ceil(N);
            self.chunks.extend(std::iter::repeat_n(chunk, chunks));
            self.len = len;
        }
    }

    /// Appends the elements in `range` to `out`, chunk by chunk.
    pub fn extend_into(&self, range: std::ops::Range<usize>, out: &mut Vec<T>) {
        let mut i = range.start;
        while i < range.end {
            let offset = i % N;
            let end = (i - offset + N).min(range.end);
            out.extend_from_slice(&self.chunks[i / N][offset..offset + (end - i)]);
            i = end;
        }
    }

    /// The elements of the chunks `other` does not share at the same place (every chunk when `other` is
    /// `None`), chunk by chunk with the index of each chunk's first element: what
    /// [`SharedStorage::unshared_bytes`] counts, for storage whose elements own more storage of their own.
    pub fn unshared_chunks<'a>(
        &'a self,
        other: Option<&'a Self>,
    ) -> impl Iterator<Item = (usize, &'a [T])> + 'a {
        self.chunks
            .iter()
            .enumerate()
            .filter_map(move |(c, chunk)| {
                let shared = other
                    .and_then(|o| o.chunks.get(c))
                    .is_some_and(|theirs| Rc::ptr_eq(chunk, theirs));
                let start = c * N;
                (!shared).then(|| (start, &chunk[..(self.len - start).min(N)]))
            })
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator + '_ {
        (0..self.len).map(move |i| &self.chunks[i / N][i % N])
    }
}

impl<T: Clone, const N: usize> SharedStorage for ChunkedVec<T, N> {
    /// The chunks of `self` that `other` does not share at the same place, and the chunk pointers.
    #[inline(never)]
    fn unshared_bytes(&self, other: Option<&Self>) -> u64 {
        let shared = other.map_or(0, |other| {
            self.chunks
                .iter()
                .zip(&other.chunks)
                .filter(|(a, b)| Rc::ptr_eq(a, b))
                .count()
        });
        let pointers = self.chunks.len() * std::mem::size_of::<Rc<[T; N]>>();
        (self.chunks.len() - shared) as u64 * Self::CHUNK_BYTES + pointers as u64
    }
}

impl<T: Clone, const N: usize> Index<usize> for ChunkedVec<T, N> {
    type Output = T;

    #[inline]
    fn index(&self, index: usize) -> &T {
        debug_assert!(
            index < self.len,
            "index {index} out of bounds ({})",
            self.len
        );
        &self.chunks[index / N][index % N]
    }
}

impl<T: Clone, const N: usize> IndexMut<usize> for ChunkedVec<T, N> {
    #[inline]
    fn index_mut(&mut self, index: usize) -> &mut T {
        debug_assert!(
            index < self.len,
            "index {index} out of bounds ({})",
            self.len
        );
        &mut unshared(&mut self.chunks[index / N])[index % N]
    }
}

/// The chunk, for writing: copied first if a clone still shares it (`Rc::make_mut`, with the check inlined
/// and the copy out of the way of the engine's hot path).
#[inline]
fn unshared<T: Clone, const N: usize>(chunk: &mut Rc<[T; N]>) -> &mut [T; N] {
    if Rc::get_mut(chunk).is_none() {
        copy_chunk(chunk);
    }
    match Rc::get_mut(chunk) {
        Some(chunk) => chunk,
        None => unreachable!("a fresh copy is not shared"),
    }
}

#[cold]
#[inline(never)]
fn copy_chunk<T: Clone, const N: usize>(chunk: &mut Rc<[T; N]>) {
    *chunk = Rc::new((**chunk).clone());
}

impl<T: Clone, const N: usize> FromIterator<T> for ChunkedVec<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut v = ChunkedVec::new();
        v.extend(iter);
        v
    }
}

impl<T: Clone, const N: usize> Extend<T> for ChunkedVec<T, N> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for value in iter {
            self.push(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type V = ChunkedVec<u32, 4>;

    #[test]
    fn behaves_like_a_vec() {
        let mut v = V::new();
        let mut w = Vec::new();
        for i in 0..23 {
            v.push(i);
            w.push(i);
        }
        v[5] = 50;
        w[5] = 50;
        assert_eq!(v.swap_remove(2), w.swap_remove(2));
        assert_eq!(v.pop(), w.pop());
        v.truncate(9);
        w.truncate(9);
        v.resize(15, 7);
        w.resize(15, 7);
        v.push(99);
        w.push(99);
        assert_eq!(v.iter().copied().collect::<Vec<_>>(), w);
        assert_eq!(v.len(), w.len());
        assert_eq!(v.get(16), None);
        assert_eq!(v.last(), w.last());
        let mut part = vec![0];
        v.extend_into(3..11, &mut part);
        assert_eq!(part[1..], w[3..11]);
        let mut e = V::from_elem(1, 6);
        e[5] = 2;
        assert_eq!(
            e.iter().copied().collect::<Vec<_>>(),
            vec![1, 1, 1, 1, 1, 2]
        );
    }

    #[test]
    fn a_clone_shares_every_chunk_until_one_side_writes() {
        let a: V = (0..16).collect();
        let mut b = a.clone();
        let pointers = a.clone_bytes();
        assert_eq!(pointers, 4 * std::mem::size_of::<usize>() as u64);
        assert_eq!(a.unshared_bytes(Some(&b)), pointers);
        b[5] = 0;
        // Only the chunk holding index 5 was copied; the original is unchanged.
        assert_eq!(a[5], 5);
        assert_eq!(b.unshared_bytes(Some(&a)), V::CHUNK_BYTES + pointers);
        assert_eq!(a.unshared_bytes(Some(&b)), V::CHUNK_BYTES + pointers);
        b.push(16);
        assert_eq!(
            b.unshared_bytes(Some(&a)),
            2 * V::CHUNK_BYTES + b.clone_bytes()
        );
        assert_eq!(a.unshared_bytes(Some(&b)), V::CHUNK_BYTES + pointers);
        assert_eq!(a.unshared_bytes(None), 4 * V::CHUNK_BYTES + pointers);
    }

    #[test]
    fn unshared_chunks_are_the_ones_written_since_the_clone() {
        let a: V = (0..14).collect();
        let mut b = a.clone();
        b[5] = 0;
        b.push(14);
        let chunks = |x: &V, y: Option<&V>| -> Vec<(usize, Vec<u32>)> {
            x.unshared_chunks(y).map(|(i, c)| (i, c.to_vec())).collect()
        };
        assert_eq!(
            chunks(&b, Some(&a)),
            [(4, vec![4, 0, 6, 7]), (12, vec![12, 13, 14])]
        );
        assert_eq!(
            chunks(&a, Some(&b)),
            [(4, vec![4, 5, 6, 7]), (12, vec![12, 13])]
        );
        assert_eq!(chunks(&a, None).len(), 4);
        assert_eq!(chunks(&a, Some(&a)), []);
    }
}
