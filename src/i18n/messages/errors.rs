//! Errors the page reports: the engine's typed errors and bad input, in the user's language.

messages! {}
