//! Following a key: hashCode, murmur hash, key group, subtask, bucket, with the arithmetic.

messages! {}
