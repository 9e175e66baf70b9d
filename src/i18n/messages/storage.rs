//! Checkpoints kept in the browser, files and links: the stored list, import, export, sharing.

messages! {}
