//! The settings drawer: the job, the source, checkpoints, restarts, memory.

messages! {}
