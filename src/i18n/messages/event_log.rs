//! What happened, in words, and the sink's output.

messages! {}
