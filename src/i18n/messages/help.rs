//! The help overlay: keyboard shortcuts and what the page shows.

messages! {}
