//! The guided lessons: titles, steps, what to try.

messages! {}
