//! The job's user functions — `org.apache.flink.streaming.api.functions`: the `KeyedProcessFunction` of each
//! job preset (the counter and one per state primitive) and the sink that collects their output.

pub mod average_process_function;
pub mod category_count_in_value_process_function;
pub mod category_count_process_function;
pub mod event_counter_process_function;
pub mod event_log_in_value_process_function;
pub mod event_log_process_function;
pub mod idle_key_counter_process_function;
pub mod job_function;
pub mod key_stats_process_function;
pub mod keyed_process_function;
pub mod list_sink;
pub mod process_context;
pub mod running_sum_process_function;
pub mod session_process_function;
