//! The page's savepoint tools: the panel's words (worded by the savepoint worker, which sends them to the page),
//! its progress, and the page's own two texts — the button that opens the tools and why they did not load.

use crate::i18n::Lang;

messages! {
    TITLE = "Flink savepoints and checkpoints", "Flink 保存点与检查点";
    DROP = "Drop a real Flink savepoint or retained checkpoint here — its folder, its files (_metadata and the state files) or a .zip — to see what statelab inspect shows.",
        "把真实的 Flink 保存点或保留的检查点拖到这里——它的文件夹、它的文件（_metadata 和状态文件）或 .zip——查看 statelab inspect 显示的内容。";
    CHOOSE_FILES = "Choose files or .zip…", "选择文件或 .zip…";
    CHOOSE_FOLDER = "Choose folder…", "选择文件夹…";
    CANCEL = "Cancel", "取消";
    DUMP = "Download dump (JSON lines)", "下载转储（JSON lines）";
    UID = "Operator uid", "算子 uid";
    SAVEPOINT_ZIP = "Download as Flink savepoint (.zip)", "下载为 Flink 保存点（.zip）";
    JOB_ZIP = "Export job as Flink project (.zip)", "将作业导出为 Flink 项目（.zip）";
    EXPORT_NOTE = "The running job, for real Flink: its state now as the canonical savepoint flink run -s restores, or the job itself as a Maven project.",
        "把运行中的作业交给真实的 Flink：它此刻的状态导出为 flink run -s 可恢复的标准格式保存点，或把作业本身导出为 Maven 项目。";
    COLUMN_OPERATOR = "operator", "算子";
    COLUMN_SUBTASK = "subtask", "子任务";
    COLUMN_KEY_GROUP = "key group", "键组";
    COLUMN_STATE = "state", "状态";
    COLUMN_KEY = "key", "键";
    COLUMN_VALUE = "value", "值";
    MALFORMED = "The page sent the savepoint tools a message they cannot read: reload the page and try again.",
        "页面发给保存点工具的消息无法读取：请重新加载页面后再试。";
    TOO_LARGE = "The archive would exceed the zip format's limits (4 GiB, 65,535 files).",
        "压缩包会超出 zip 格式的上限（4 GiB、65,535 个文件）。";
    OPEN = "Flink savepoints…", "Flink 保存点…";
    OPEN_TITLE = "Open a real Flink savepoint or checkpoint, or export the running job for Flink",
        "打开真实的 Flink 保存点或检查点，或把运行中的作业导出给 Flink";
    FAILED = "The savepoint tools did not load; reload the page to try again.", "保存点工具未能加载；请重新加载页面再试。";
    DUMP_LEAVES_OUT_ONE = "The dump leaves out the subtask whose keyed state does not read (see above).",
        "转储不包含键控状态无法读取的那个子任务（见上文）。";
}

/// How far reading the files has come.
pub fn progress(l: Lang, done_mb: &str, total_mb: &str) -> String {
    tr!(
        l,
        "Reading {done_mb} of {total_mb} MB…",
        "正在读取 {done_mb} / {total_mb} MB…",
        done_mb,
        total_mb
    )
}

/// The files are read; the snapshot is being decoded.
pub fn decoding(l: Lang, total_mb: &str) -> String {
    tr!(
        l,
        "Read {total_mb} MB; decoding the state…",
        "已读取 {total_mb} MB；正在解码状态…",
        total_mb
    )
}

/// Beside the dump: the subtasks whose keyed state did not read (the summary says why) are not in it, as
/// `statelab inspect --dump` writes the others and then fails.
pub fn dump_leaves_out(l: Lang, subtasks: usize) -> String {
    if subtasks == 1 {
        return l.t(&DUMP_LEAVES_OUT_ONE).to_owned();
    }
    tr!(
        l,
        "The dump leaves out the {subtasks} subtasks whose keyed state does not read (see above).",
        "转储不包含 {subtasks} 个键控状态无法读取的子任务（见上文）。",
        subtasks
    )
}
