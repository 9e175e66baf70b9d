//! `statelab export-job`: why a job could not be exported as a Flink program
//! ([`ExportError`]), in both languages.

use super::errors::job_config;
use crate::engine::export::export_error::ExportError;
use crate::i18n::Lang;

/// The error in the language; the English is the error's own `Display`.
pub fn error(e: &ExportError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        ExportError::Config(c) => zh!("作业配置无效：{reason}", reason = job_config(c, l)),
        ExportError::Function { function } => {
            zh!(
                "{function} 作业暂时还不能导出：目前只能导出计数作业",
                function
            )
        }
        ExportError::NoRate => {
            zh_str!("数据源自己不发出任何事件（速率为 0）：请给它一个大于 0 的速率再导出作业")
                .to_owned()
        }
        ExportError::KeyCountBeyondLong(count) => zh!(
            "keyCount {count} 超出 Java long 的范围：最多导出 9223372036854775807 个键",
            count
        ),
        ExportError::EventsBeyondLong(events) => zh!(
            "maxEvents {events} 超出 Java long 的范围：最多导出 9223372036854775807 个事件",
            events
        ),
        ExportError::ReplayKeyLineBreak { index } => zh!(
            "回放的键 #{index} 含有换行符，导出的键列表（每行一个键）无法容纳它",
            index
        ),
    }
}
