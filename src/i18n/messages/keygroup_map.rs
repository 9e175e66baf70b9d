//! One key group's CopyOnWriteStateMap: buckets, chains, entries, resize and rehash.

messages! {}
