//! Time travel: the run's timeline, stepping back, forking.

messages! {}
