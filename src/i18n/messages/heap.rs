//! The TaskManager memory layout and the JVM heap used by state.

messages! {}
