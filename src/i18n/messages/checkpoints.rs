//! The checkpoint panel: trigger, interval, history table, restore.

messages! {}
