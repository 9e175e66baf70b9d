//! Checkpoints beyond the tab: browser storage, files, links — the Stored checkpoints panel, its notices and
//! progress, and what goes wrong.

use crate::engine::checkpoint::decimal::Fixed;
use crate::i18n::Lang;

messages! {
    LABEL = "stored checkpoints", "存储的检查点";
    TITLE = "Stored checkpoints", "存储的检查点";
    OPENING = "opening IndexedDB…", "正在打开 IndexedDB…";
    WORKER_FAILED = "the checkpoint library did not start in this browser: checkpoints are not stored, and files and links do not open", "检查点库未能在此浏览器中启动：检查点不会被存储，文件和链接也无法打开";
    PERSISTENT = "persistent", "持久化";
    BEST_EFFORT = "best-effort (the browser may clear it under storage pressure)", "尽力而为（存储空间紧张时浏览器可能会清除它）";
    ASKING = "asking for persistent storage…", "正在申请持久化存储…";
    FULL = " · FULL: storing paused until something is deleted", " · 已满：删除一些检查点之前暂停存储";
    IMPORT_FILE = "Import file…", "导入文件…";
    IMPORT_FILE_TITLE = "import checkpoint files (.slcp); you can also drop them on the page", "导入检查点文件（.slcp）；也可以把文件拖放到页面上";
    LINK_PLACEHOLDER = "paste a StateLab link (…#checkpoint=…)", "粘贴 StateLab 链接（…#checkpoint=…）";
    LINK_LABEL = "StateLab link to import", "要导入的 StateLab 链接";
    IMPORT_LINK = "Import link", "导入链接";
    OR_DROP = "or drop .slcp files anywhere on the page", "或者把 .slcp 文件拖放到页面任意位置";
    SHARE_LINK = "share link", "分享链接";
    NOTHING_STORED = "Nothing stored yet. Completed checkpoints of the running job are stored here as they complete (the newest `retained` of each job), and survive reloads.",
        "还没有存储任何检查点。运行中作业的检查点一完成就会存到这里（每个作业保留最新的几个，个数与“保留的检查点数”相同），刷新页面后依然存在。";
    CANNOT_STORE = "Checkpoints cannot be stored in this browser; export and import still work while the page is open.",
        "此浏览器无法存储检查点；页面打开期间仍然可以导出和导入。";
    COL_ID = "ID", "ID";
    COL_FROM = "From", "来源";
    COL_STORED = "Stored", "存储时间";
    COL_KEYS = "Keys", "键";
    COL_LAYOUT = "p / maxP", "p / maxP";
    COL_SIZE = "Size", "大小";
    COL_POSITION = "Position", "位置";
    COL_ACTIONS = "Restore at · Export · Link · Delete", "恢复并行度 · 导出 · 链接 · 删除";
    DETAILS_TITLE = "job configuration and key groups", "作业配置与键组";
    POSITION_TITLE = "events the sources had emitted", "源已发出的事件数";
    RESTORE_AT = "restore at parallelism", "以此并行度恢复";
    RESTORE = "Restore", "恢复";
    RESTORE_TITLE = "start a new job from this checkpoint", "从这个检查点启动新作业";
    EXPORT = "Export", "导出";
    EXPORT_TITLE = "download as a file", "下载为文件";
    LINK = "Link", "链接";
    LINK_TITLE = "copy a link that carries it", "复制携带它的链接";
    DELETE = "Delete", "删除";
    DELETE_LABEL = "delete", "删除";
    DROP_TITLE = "Drop StateLab checkpoints here", "把 StateLab 检查点拖放到这里";
    DROP_NOTE = ".slcp files: each is checked, then stored beside what you have", ".slcp 文件：每个都会先完整检查，再与已有的检查点并列存储";
    UNIFORM = "uniform", "均匀";
    SEQUENTIAL = "sequential", "依次";
    ON_DEMAND = "on demand", "手动触发";
    FROM_LINK = "the link", "该链接";
    ORIGIN_LINK = "link", "链接";
    STORAGE_NOT_AVAILABLE = "the browser's storage is not available", "浏览器存储不可用";
    NO_LONGER_STORED = "That checkpoint is no longer stored (another tab may have removed it).", "这个检查点已不在存储中（可能被另一个标签页删除了）。";
    WRITE_ABORTED = "the write was aborted", "写入被中止";
    DELETE_ABORTED = "deleting was aborted; nothing was removed", "删除被中止，没有删除任何内容";
    NO_DOCUMENT = "no document", "没有文档对象";
    NO_WINDOW = "no window", "没有窗口对象";
    NO_ANCHOR = "cannot create a link", "无法创建下载链接";
    CLIPBOARD_DENIED = "the browser did not allow copying to the clipboard", "浏览器不允许复制到剪贴板";
    NEWER_VERSION = "a newer StateLab in another tab upgraded the stored checkpoints; reload this page to use them",
        "另一个标签页中较新版本的 StateLab 升级了存储的检查点；请刷新本页面后再使用";
    BLOCKED = "waiting: a tab with an older StateLab holds the stored checkpoints open. Close or reload that tab.",
        "等待中：一个运行旧版 StateLab 的标签页占用着存储的检查点。请关闭或刷新那个标签页。";
    CLOSED = "closed: another tab asked to upgrade or delete the stored checkpoints, so this tab let go of them. Nothing is stored until you reopen them.",
        "已关闭：另一个标签页要求升级或删除存储的检查点，本标签页因此释放了它们。重新打开之前不会存储任何检查点。";
    REOPEN = "Reopen", "重新打开";
    ORIGIN_JOB = "job", "作业";
    THIS_RUN = "this run", "本次运行";
    IMPORTED = "Imported", "导入的";
    YOUR_JOB = "your job", "你的作业";
    START_JOB = "the job the page opens with", "页面打开时的作业";
    LINK_DIALOG_TITLE = "Open the checkpoint in this link?", "打开此链接中的检查点？";
    LINK_DIALOG_NOTE = "It was checked whole: it opens, and every key group decodes. Nothing changes until you choose.",
        "已完整检查：它能打开，每个键组都能解码。在你做出选择之前，什么都不会改变。";
    LINK_REFUSED_TITLE = "This link cannot be opened", "无法打开此链接";
    LINK_REFUSED_NOTE = "The running job and the stored checkpoints are as they were.", "运行中的作业和存储的检查点都保持原样。";
    LINK_JOB = "Job", "作业";
    LINK_LAYOUT = "Parallelism", "并行度";
    LINK_KEYS = "Keys", "键";
    LINK_CHECKPOINT = "Checkpoint", "检查点";
    LINK_SIZE = "Size", "大小";
    RESTORE_NOW = "Restore it now", "立即恢复";
    RESTORE_NOW_NOTE = "replaces the running job; it is stored too", "替换运行中的作业，同时也会存储它";
    KEEP_ONLY = "Keep it in stored checkpoints only", "只保存到存储的检查点";
    CANCEL = "Cancel", "取消";
    CLOSE = "Close", "关闭";
}

/// `not available: …`.
pub fn unavailable_status(l: Lang, why: &str) -> String {
    tr!(l, "not available: {why}", "不可用：{why}", why)
}

pub fn indexed_db(l: Lang, persistence: &str) -> String {
    tr!(
        l,
        "IndexedDB, {persistence}",
        "IndexedDB，{persistence}",
        persistence,
    )
}

pub fn used_of(l: Lang, used: &str, quota: &str) -> String {
    tr!(
        l,
        " · {used} used of {quota}",
        " · 已用 {used}，共 {quota}",
        used,
        quota,
    )
}

pub fn storing(l: Lang, id: u64) -> String {
    tr!(
        l,
        " · storing checkpoint {id}…",
        " · 正在存储检查点 {id}…",
        id,
    )
}

pub fn totals(l: Lang, count: usize, size: &str) -> String {
    tr!(
        l,
        "{count} stored, {size} in all.",
        "共存储 {count} 个，总计 {size}。",
        count,
        size,
    )
}

/// `Removed 3 damaged stored checkpoints …`.
pub fn cleaned(l: Lang, count: usize) -> String {
    match l {
        Lang::En => format!(
            "Removed {count} damaged stored checkpoint{} (a blob without its description, a description without its \
             blob, or a record that could not be read). Everything else is as it was.",
            if count == 1 { "" } else { "s" }
        ),
        Lang::Zh => zh!("删除了 {count} 个损坏的存储检查点（缺少描述的数据块、缺少数据块的描述，或无法读取的记录）。其余内容保持不变。", count),
    }
}

/// The layout a link's checkpoint was taken at: `2 (max parallelism 128)`.
pub fn link_layout(l: Lang, parallelism: u32, max_parallelism: u32) -> String {
    tr!(
        l,
        "{parallelism} (max parallelism {max_parallelism})",
        "{parallelism}（最大并行度 {max_parallelism}）",
        parallelism,
        max_parallelism,
    )
}

/// Where a stored checkpoint came from, as the list says it: `job 1a2b3c4d`.
pub fn origin_job(l: Lang, short_id: &str) -> String {
    tr!(l, "job {short_id}", "作业 {short_id}", short_id)
}

pub fn origin_file(l: Lang, name: &str) -> String {
    tr!(l, "file {name}", "文件 {name}", name)
}

pub fn checkpointed_size(l: Lang, size: &str) -> String {
    tr!(
        l,
        "checkpointed data size (Flink's format): {size}",
        "检查点数据大小（Flink 的格式）：{size}",
        size,
    )
}

pub fn bars_label(l: Lang, parallelism: u32) -> String {
    match l {
        Lang::En => {
            format!("entries per key group, coloured by subtask at parallelism {parallelism}")
        }
        Lang::Zh => zh!(
            "每个键组的条目数，按并行度 {parallelism} 下的子任务着色",
            parallelism
        ),
    }
}

/// A bar of the key-group picture: `key group 3: 12 entries → subtask 0` (or a range of key groups).
pub fn bar_title(l: Lang, first: usize, last: usize, entries: &str, owner: u32) -> String {
    match (l, first == last) {
        (Lang::En, true) => format!("key group {first}: {entries} entries → subtask {owner}"),
        (Lang::En, false) => {
            format!("key groups {first}–{last}: {entries} entries → subtask {owner}")
        }
        (Lang::Zh, true) => zh!(
            "键组 {first}：{entries} 个条目 → 子任务 {owner}",
            first,
            entries,
            owner
        ),
        (Lang::Zh, false) => zh!(
            "键组 {first}–{last}：{entries} 个条目 → 子任务 {owner}",
            first,
            last,
            entries,
            owner
        ),
    }
}

pub fn bars_legend(l: Lang, key_groups: u32, parallelism: u32) -> String {
    tr!(
    l,
    "{key_groups} key groups; entries per key group, coloured by the subtask that restores them at p={parallelism}",
    "{key_groups} 个键组；每个键组的条目数，按 p={parallelism} 时恢复它们的子任务着色",
    key_groups,
    parallelism,
)
}

pub fn hot_key(l: Lang, key: u64, percent: f64) -> String {
    match l {
        Lang::En => format!("hot key #{key} ({} %)", Fixed(percent, 0)),
        Lang::Zh => zh!(
            "热点键 #{key}（{percent} %）",
            key,
            percent = Fixed(percent, 0)
        ),
    }
}

pub fn replaying(l: Lang, events: &str) -> String {
    tr!(
        l,
        "replaying {events} events",
        "重放 {events} 个事件",
        events,
    )
}

/// `1,000 String keys, Zipf s=1`.
pub fn generated_keys(l: Lang, count: &str, key_type: &str, distribution: &str) -> String {
    tr!(
        l,
        "{count} {key_type} keys, {distribution}",
        "{count} 个 {key_type} 键，{distribution}",
        count,
        key_type,
        distribution,
    )
}

pub fn every_ms(l: Lang, ms: u64) -> String {
    tr!(l, "every {ms} ms", "每 {ms} ms", ms)
}

/// One line about a stored checkpoint's job configuration.
#[allow(clippy::too_many_arguments)]
pub fn job_summary(
    l: Lang,
    keys: &str,
    rate: &str,
    sources: u32,
    interval: &str,
    mode: &str,
    retained: u32,
    seed: u64,
) -> String {
    match l {
        Lang::En => format!(
            "{keys} · {rate}/s from {sources} source subtask{} · checkpoints {interval} {mode} · retained {retained} · seed {seed}",
            if sources == 1 { "" } else { "s" }
        ),
        Lang::Zh => zh!("{keys} · {rate}/s，来自 {sources} 个源子任务 · 检查点：{interval} {mode} · 保留 {retained} 个 · 随机种子 {seed}", keys, rate, sources, interval, mode, retained, seed),
    }
}

// What the browser's storage, files and links can do wrong.

pub fn quota_full(l: Lang, used: Option<(&str, &str)>) -> String {
    match (l, used) {
        (Lang::En, None) => "the browser's storage for this page is full".to_owned(),
        (Lang::En, Some((u, q))) => {
            format!("the browser's storage for this page is full ({u} of {q} used)")
        }
        (Lang::Zh, None) => zh_str!("浏览器给本页面的存储空间已满").to_owned(),
        (Lang::Zh, Some((u, q))) => zh!("浏览器给本页面的存储空间已满（已用 {u}，共 {q}）", u, q),
    }
}

pub fn storage_unavailable(l: Lang, why: &str) -> String {
    tr!(
        l,
        "this browser does not let the page store checkpoints ({why})",
        "此浏览器不允许本页面存储检查点（{why}）",
        why,
    )
}

pub fn storage_failed(l: Lang, why: &str) -> String {
    tr!(
        l,
        "the browser's storage failed ({why})",
        "浏览器存储出错（{why}）",
        why,
    )
}

/// [`WRITE_ABORTED`], with the name of the browser's exception.
pub fn write_aborted_by(l: Lang, name: &str) -> String {
    tr!(
        l,
        "the write was aborted: {name}",
        "写入被中止：{name}",
        name,
    )
}

pub fn not_found(l: Lang, key: &str) -> String {
    tr!(
        l,
        "no stored checkpoint {key}",
        "没有存储的检查点 {key}",
        key,
    )
}

pub fn unreadable(l: Lang, why: &str) -> String {
    tr!(
        l,
        "the browser could not read the file ({why})",
        "浏览器无法读取该文件（{why}）",
        why,
    )
}

pub fn not_stored(l: Lang, id: u64, why: &str, full: bool) -> String {
    match (l, full) {
        (Lang::En, true) => format!(
            "Checkpoint {id} was not stored: {why}. Nothing already stored was lost. Delete stored \
             checkpoints you no longer need (export them to files first if you want to keep them); storing \
             resumes after a deletion."
        ),
        (Lang::En, false) => format!("Checkpoint {id} was not stored: {why}."),
        (Lang::Zh, true) => zh!("检查点 {id} 没有存储：{why}。已存储的内容都没有丢失。请删除不再需要的检查点（如果想保留，可以先导出成文件）；\
             删除之后会恢复存储。", id, why),
        (Lang::Zh, false) => zh!("检查点 {id} 没有存储：{why}。", id, why),
    }
}

/// Where an import came from: `'file.slcp'`, `the link`, `job 1a2b3c4d`.
pub fn from_file(name: &str) -> String {
    format!("'{name}'")
}

pub fn import_failed(l: Lang, from: &str, why: &str) -> String {
    tr!(
        l,
        "Could not import the checkpoint from {from}: {why}",
        "无法从{from}导入检查点：{why}",
        from,
        why,
    )
}

pub fn read_failed(l: Lang, name: &str, why: &str) -> String {
    tr!(
        l,
        "Could not import '{name}': {why}",
        "无法导入 '{name}'：{why}",
        name,
        why,
    )
}

pub fn restore_failed(l: Lang, id: u64, why: &str) -> String {
    tr!(
        l,
        "Could not restore checkpoint {id}: {why}",
        "无法恢复检查点 {id}：{why}",
        id,
        why,
    )
}

pub fn export_failed(l: Lang, id: u64, why: &str) -> String {
    tr!(
        l,
        "Could not export checkpoint {id}: {why}",
        "无法导出检查点 {id}：{why}",
        id,
        why,
    )
}

pub fn link_failed(l: Lang, id: u64, keys: &str, why: &str) -> String {
    tr!(
        l,
        "No link for checkpoint {id} ({keys} keys): {why}",
        "无法为检查点 {id}（{keys} 个键）生成链接：{why}",
        id,
        keys,
        why,
    )
}

pub fn delete_failed(l: Lang, why: &str) -> String {
    tr!(l, "Could not delete: {why}", "无法删除：{why}", why)
}

// Notices: what the last command did.

pub fn already_stored(l: Lang, id: u64, from: &str, origin: &str) -> String {
    tr!(
        l,
        "Checkpoint {id} from {from} is already stored ({origin}).",
        "来自{from}的检查点 {id} 已经存储过了（{origin}）。",
        from,
        id,
        origin,
    )
}

pub fn imported(l: Lang, id: u64, from: &str, keys: &str, parallelism: u32) -> String {
    tr!(
    l,
    "Imported checkpoint {id} from {from}: {keys} keys, taken at parallelism {parallelism}. Restore it to see its state.",
    "已从{from}导入检查点 {id}：{keys} 个键，生成时的并行度为 {parallelism}。恢复它即可查看其中的状态。",
    from,
    id,
    keys,
    parallelism,
)
}

pub fn started(l: Lang, id: u64, origin: &str, parallelism: u32, keys: &str) -> String {
    tr!(
    l,
    "Started a new job from checkpoint {id} ({origin}) at parallelism {parallelism}: {keys} keys restored.",
    "已从检查点 {id}（{origin}）以并行度 {parallelism} 启动新作业：恢复了 {keys} 个键。",
    id,
    origin,
    parallelism,
    keys,
)
}

pub fn exported(l: Lang, id: u64, file: &str) -> String {
    tr!(
        l,
        "Exported checkpoint {id} as {file}.",
        "已将检查点 {id} 导出为 {file}。",
        id,
        file,
    )
}

pub fn link_copied(l: Lang, id: u64) -> String {
    tr!(
        l,
        "Copied a link to checkpoint {id}: whoever opens it sees this state.",
        "已复制检查点 {id} 的链接：任何人打开它都能看到这份状态。",
        id,
    )
}

pub fn link_not_copied(l: Lang, why: &str) -> String {
    tr!(
        l,
        "{why}; copy the link below by hand.",
        "{why}；请手动复制下面的链接。",
        why,
    )
}

// Work under way.

pub fn checking(l: Lang, from: &str, size: &str) -> String {
    tr!(
        l,
        "Checking the checkpoint from {from} ({size})…",
        "正在检查来自{from}的检查点（{size}）…",
        from,
        size,
    )
}

pub fn storing_checkpoint(l: Lang, id: u64) -> String {
    tr!(l, "Storing checkpoint {id}…", "正在存储检查点 {id}…", id)
}

pub fn restoring(l: Lang, id: u64, keys: &str) -> String {
    tr!(
        l,
        "Restoring checkpoint {id} ({keys} keys)…",
        "正在恢复检查点 {id}（{keys} 个键）…",
        id,
        keys,
    )
}

/// A run's short label in the list of stored checkpoints.
pub fn run_label(l: Lang, number: u32) -> String {
    tr!(l, "Run {number}", "运行 {number}", number)
}

/// A run of a scenario preset or of a lesson's job, by its title.
pub fn run_of(l: Lang, lesson: bool, title: &str) -> String {
    match (l, lesson) {
        (Lang::En, false) => format!("scenario “{title}”"),
        (Lang::En, true) => format!("lesson “{title}”"),
        (Lang::Zh, false) => zh!("场景“{title}”", title),
        (Lang::Zh, true) => zh!("课程“{title}”", title),
    }
}

/// `4,000 events/s over 500,000 keys`.
pub fn run_source(l: Lang, rate: &str, keys: &str) -> String {
    tr!(
        l,
        "{rate} events/s over {keys} keys",
        "每秒 {rate} 个事件，{keys} 个键",
        rate,
        keys,
    )
}

/// When a run started (`started`), or, for checkpoints of earlier versions that did not say, when its first
/// checkpoint still stored was stored.
pub fn run_started(l: Lang, when: &str, started: bool) -> String {
    match (l, started) {
        (Lang::En, true) => format!("started {when}"),
        (Lang::En, false) => format!("first stored {when}"),
        (Lang::Zh, true) => zh!("{when} 开始", when),
        (Lang::Zh, false) => zh!("{when} 首次存储", when),
    }
}

/// `today 14:02`, `yesterday 09:30`, `3 Nov 18:11`, `3 Nov 2025 18:11`.
pub fn when(l: Lang, w: &crate::player::checkpoint_runs::When) -> String {
    use crate::player::checkpoint_runs::Day;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let time = format!("{:02}:{:02}", w.hour, w.minute);
    match (l, w.day) {
        (Lang::En, Day::Today) => format!("today {time}"),
        (Lang::En, Day::Yesterday) => format!("yesterday {time}"),
        (Lang::Zh, Day::Today) => zh!("今天 {time}", time),
        (Lang::Zh, Day::Yesterday) => zh!("昨天 {time}", time),
        (
            _,
            Day::Date {
                year,
                month,
                day,
                this_year,
            },
        ) => {
            let year = (!this_year).then_some(year);
            match (l, year) {
                (Lang::En, None) => format!(
                    "{day} {} {time}",
                    MONTHS[(month as usize).saturating_sub(1) % 12]
                ),
                (Lang::En, Some(y)) => format!(
                    "{day} {} {y} {time}",
                    MONTHS[(month as usize).saturating_sub(1) % 12]
                ),
                (Lang::Zh, None) => zh!("{month}月{day}日 {time}", month, day, time),
                (Lang::Zh, Some(y)) => zh!("{y}年{month}月{day}日 {time}", y, month, day, time),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::messages::is_cjk;

    #[test]
    fn storage_messages_read_as_before_in_english_and_in_chinese_otherwise() {
        let both = |make: &dyn Fn(Lang) -> String, english: &str| {
            assert_eq!(make(Lang::En), english);
            let zh = make(Lang::Zh);
            assert!(zh.chars().any(is_cjk), "{zh}");
        };
        both(
            &|l| not_stored(l, 4, &quota_full(l, Some(("9 MiB", "10 MiB"))), true),
            "Checkpoint 4 was not stored: the browser's storage for this page is full (9 MiB of 10 MiB used). Nothing \
             already stored was lost. Delete stored checkpoints you no longer need (export them to files first if you \
             want to keep them); storing resumes after a deletion.",
        );
        both(
            &|l| import_failed(l, &from_file("a.slcp"), "bad"),
            "Could not import the checkpoint from 'a.slcp': bad",
        );
        both(
            &|l| started(l, 3, &origin_job(l, "1a2b3c4d"), 2, "1,000"),
            "Started a new job from checkpoint 3 (job 1a2b3c4d) at parallelism 2: 1,000 keys restored.",
        );
        both(
            &|l| job_summary(l, &generated_keys(l, "1,000", "String", "Zipf s=1"), "1,000", 2, l.t(&ON_DEMAND), "EXACTLY_ONCE", 1, 42),
            "1,000 String keys, Zipf s=1 · 1,000/s from 2 source subtasks · checkpoints on demand EXACTLY_ONCE · retained 1 · seed 42",
        );
        both(
            &|l| cleaned(l, 3),
            "Removed 3 damaged stored checkpoints (a blob without its description, a description without its blob, \
             or a record that could not be read). Everything else is as it was.",
        );
        both(
            &|l| storage_failed(l, &write_aborted_by(l, "AbortError")),
            "the browser's storage failed (the write was aborted: AbortError)",
        );
    }
}
