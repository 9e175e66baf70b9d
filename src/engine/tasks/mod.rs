//! Tasks — `org.apache.flink.streaming.runtime.tasks` (`StreamTask`), the stream elements it reads
//! (`streaming.runtime.streamrecord`) and the input channels that carry them (`runtime.io.network`).

pub mod input_channel;
pub mod stream_element;
pub mod stream_task;
pub mod subtask_index;
