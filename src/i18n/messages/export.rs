//! `statelab export-job`: why a job could not be exported as a Flink program
//! ([`ExportError`]), in both languages.

use super::errors::job_config;
use crate::engine::export::export_error::ExportError;
use crate::i18n::Lang;

/// The error in the language; its `Display` is the English (`english_display!`).
pub fn error(e: &ExportError, l: Lang) -> String {
    match e {
        ExportError::Config(c) => tr!(
            l,
            "the job configuration is not valid: {reason}",
            "作业配置无效：{reason}",
            reason = job_config(c, l)
        ),
        ExportError::Function { function } => {
            tr!(
                l,
                "the {function} job is not exported yet: only the counter job is",
                "{function} 作业暂时还不能导出：目前只能导出计数作业",
                function
            )
        }
        ExportError::NoRate => {
            tr!(
                l,
                "the source emits nothing by itself (rate 0): give it a rate above 0 to export the job",
                "数据源自己不发出任何事件（速率为 0）：请给它一个大于 0 的速率再导出作业"
            )
        }
        ExportError::KeyCountBeyondLong(count) => tr!(
            l,
            "keyCount {count} does not fit a Java long: export at most 9223372036854775807 keys",
            "keyCount {count} 超出 Java long 的范围：最多导出 9223372036854775807 个键",
            count
        ),
        ExportError::EventsBeyondLong(events) => tr!(
            l,
            "maxEvents {events} does not fit a Java long: export at most 9223372036854775807 events",
            "maxEvents {events} 超出 Java long 的范围：最多导出 9223372036854775807 个事件",
            events
        ),
        ExportError::ReplayKeyLineBreak { index } => tr!(
            l,
            "replayed key #{index} holds a line break, which the exported key list (one key per line) cannot hold",
            "回放的键 #{index} 含有换行符，导出的键列表（每行一个键）无法容纳它",
            index
        ),
    }
}
