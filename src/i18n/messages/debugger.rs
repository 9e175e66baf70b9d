//! The debugger view: the object tree a Java debugger shows.

messages! {}
