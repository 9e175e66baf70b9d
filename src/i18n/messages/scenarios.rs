//! Scenario presets and their share links.

messages! {}
