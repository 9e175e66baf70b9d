//! The animated job graph: sources, keyBy, the EventCounterProcessFunction subtasks, the sink.

messages! {}
