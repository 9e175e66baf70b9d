//! The job's user functions — `org.apache.flink.streaming.api.functions`: the `KeyedProcessFunction` that
//! counts events per key and the sink that collects its output.

pub mod event_counter_process_function;
pub mod list_sink;
