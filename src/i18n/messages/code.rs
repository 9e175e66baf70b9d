//! The Java of EventCounterProcessFunction beside the picture, and the values of the current record.

messages! {}
