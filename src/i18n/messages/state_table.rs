//! The StateTable panel: one cell per key group, per subtask.

messages! {}
