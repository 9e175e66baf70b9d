//! Runs in the page's checkpoint library. Browser storage keeps the checkpoints of many runs — this page's,
//! earlier pages', other tabs' — each under a random job id, which tells nobody which run was which. This is
//! what tells them apart: what job a run was ([`RunJob`]: a scenario preset, a lesson's job, the job the page
//! opens with, or one of the user's own), when it started ([`When`], for "today 14:02"), and a short label per
//! run (Run 1, Run 2, … in the order they started, [`group`]). Native, so that `cargo test`
//! covers it; the page only draws it. Not a Flink concept.

use crate::engine::checkpoint::metadata_v2;
use crate::engine::cluster::job_config::JobConfig;
use crate::teaching::presets;
use crate::teaching::{lessons, start};

/// What job a run was, as the checkpoint library names it. Stored with each of the run's checkpoints as a
/// short id ([`RunJob::id`]); records of earlier versions have none, and one this version does not know reads
/// as none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunJob {
    /// The job the page opens with.
    Start,
    /// A scenario preset, by id.
    Scenario(&'static str),
    /// A lesson's own job, by the lesson's id.
    Lesson(&'static str),
    /// Anything else: a job the user configured, or one started from a checkpoint.
    Own,
}

impl RunJob {
    /// The run a job was started with `config` is: the preset, lesson job or start job it equals.
    pub fn of(config: &JobConfig) -> RunJob {
        // Compared as a checkpoint blob stores them: the page has that code already (a blob's metadata holds its
        // job), a derived equality of every part of a job would add kilobytes to it.
        let this = metadata_v2::job_bytes(config);
        let is = |other: JobConfig| metadata_v2::job_bytes(&other) == this;
        if let Some(preset) = presets::scenarios().find(|s| is(s.config())) {
            return RunJob::Scenario(preset.id);
        }
        if let Some(lesson) = lessons::LESSONS
            .iter()
            .find(|lesson| lesson.job().is_some_and(|preset| is(preset.config())))
        {
            return RunJob::Lesson(lesson.id);
        }
        if is(start::default_job()) {
            return RunJob::Start;
        }
        RunJob::Own
    }

    /// As stored: `start`, `scenario/<id>`, `lesson/<id>`, `own`.
    pub fn id(self) -> String {
        match self {
            RunJob::Start => "start".to_owned(),
            RunJob::Scenario(id) => format!("scenario/{id}"),
            RunJob::Lesson(id) => format!("lesson/{id}"),
            RunJob::Own => "own".to_owned(),
        }
    }

    /// Reads [`RunJob::id`] back; `None` for an id this version does not know (of a preset or lesson it
    /// does not have).
    pub fn from_id(id: &str) -> Option<RunJob> {
        match id {
            "start" => Some(RunJob::Start),
            "own" => Some(RunJob::Own),
            _ => {
                if let Some(preset) = id
                    .strip_prefix("scenario/")
                    .and_then(presets::find_scenario)
                {
                    return Some(RunJob::Scenario(preset.id));
                }
                let lesson = id.strip_prefix("lesson/").and_then(lessons::find)?;
                Some(RunJob::Lesson(lesson.id))
            }
        }
    }
}

/// The stored checkpoints of one run, or all the imported ones (`number` `None`).
#[derive(Clone, Debug, PartialEq)]
pub struct RunGroup {
    /// Run 1, Run 2, …: in the order the runs started.
    pub number: Option<u32>,
    /// Indices into the list, in its order.
    pub rows: Vec<usize>,
    /// When the run's first checkpoint that is still stored was stored (ms since the epoch).
    pub first_stored_ms: f64,
    /// When the run started, if its checkpoints say (those of earlier versions do not).
    pub started_ms: Option<f64>,
}

/// One stored checkpoint as [`group`] sees it: the job id that took it (`None`: imported), when it was stored
/// and when its run started (if the record says).
pub type Listed<'a> = (Option<&'a str>, f64, Option<f64>);

/// Groups a list of stored checkpoints by run, in the order the list shows them, the imported ones last, and
/// numbers the runs in the order they started: by their start, or, for records of earlier versions that do
/// not have it, by their first checkpoint still stored (ties by job id). A run keeps its number as its older
/// checkpoints are subsumed and the list's order changes.
pub fn group<'a>(entries: impl IntoIterator<Item = Listed<'a>>) -> Vec<RunGroup> {
    let mut groups: Vec<(Option<&str>, RunGroup)> = Vec::new();
    for (index, (job, stored_ms, started_ms)) in entries.into_iter().enumerate() {
        match groups.iter_mut().find(|(j, _)| *j == job) {
            Some((_, group)) => {
                group.rows.push(index);
                group.first_stored_ms = group.first_stored_ms.min(stored_ms);
                group.started_ms = group.started_ms.or(started_ms);
            }
            None => groups.push((
                job,
                RunGroup {
                    number: None,
                    rows: vec![index],
                    first_stored_ms: stored_ms,
                    started_ms,
                },
            )),
        }
    }
    // Numbered by counting the runs that started before (no sort: it would cost the page kilobytes).
    let numbers: Vec<Option<u32>> = groups
        .iter()
        .map(|(job, g)| {
            job.map(|_| {
                let earlier = groups
                    .iter()
                    .filter(|(other, h)| other.is_some() && started_before((*other, h), (*job, g)));
                earlier.count() as u32 + 1
            })
        })
        .collect();
    let (runs, imports): (Vec<_>, Vec<_>) = groups
        .into_iter()
        .zip(numbers)
        .map(|((job, group), number)| (job, RunGroup { number, ..group }))
        .partition(|(job, _)| job.is_some());
    runs.into_iter()
        .chain(imports)
        .map(|(_, group)| group)
        .collect()
}

/// Whether run `a` started before run `b`: by their start, else their first checkpoint still stored; ties by
/// job id.
fn started_before(a: (Option<&str>, &RunGroup), b: (Option<&str>, &RunGroup)) -> bool {
    let start = |g: &RunGroup| g.started_ms.unwrap_or(g.first_stored_ms);
    start(a.1)
        .total_cmp(&start(b.1))
        .then(a.0.cmp(&b.0))
        .is_lt()
}

/// A day relative to today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Day {
    Today,
    Yesterday,
    Date {
        year: i64,
        month: u32,
        day: u32,
        this_year: bool,
    },
}

/// A moment as a person reads it on a list: "today 14:02", "yesterday 09:30", "3 Nov 18:11".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct When {
    pub day: Day,
    pub hour: u32,
    pub minute: u32,
}

const DAY_MS: i64 = 86_400_000;

/// `(year, month, day)` of a day counted from 1970-01-01 (the proleptic Gregorian calendar).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// `at_ms` relative to `now_ms`, both local wall-clock time as ms since 1970-01-01 00:00 (the page shifts
/// UTC by the time zone's offset at each moment). Anything not a finite number reads as 1970.
pub fn when(at_ms: f64, now_ms: f64) -> When {
    let ms = |v: f64| if v.is_finite() { v as i64 } else { 0 };
    let (at, now) = (ms(at_ms), ms(now_ms));
    let (days, today) = (at.div_euclid(DAY_MS), now.div_euclid(DAY_MS));
    let minutes = at.rem_euclid(DAY_MS) / 60_000;
    let (year, month, day) = civil(days);
    When {
        day: match today - days {
            0 => Day::Today,
            1 => Day::Yesterday,
            _ => Day::Date {
                year,
                month,
                day,
                this_year: civil(today).0 == year,
            },
        },
        hour: (minutes / 60) as u32,
        minute: (minutes % 60) as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_named_after_the_preset_lesson_or_start_job_it_equals() {
        let oom = presets::find_scenario("oom").unwrap().config();
        assert_eq!(RunJob::of(&oom), RunJob::Scenario("oom"));
        assert_eq!(RunJob::of(&start::default_job()), RunJob::Start);
        let heap = lessons::find("heap").unwrap().job().unwrap().config();
        assert_eq!(RunJob::of(&heap), RunJob::Lesson("heap"));
        let mut changed = start::default_job();
        changed.parallelism += 1;
        assert_eq!(RunJob::of(&changed), RunJob::Own);
    }

    #[test]
    fn stored_run_ids_read_back_and_unknown_ones_read_as_nothing() {
        for job in [
            RunJob::Start,
            RunJob::Scenario("hot-key"),
            RunJob::Lesson("heap"),
            RunJob::Own,
        ] {
            assert_eq!(RunJob::from_id(&job.id()), Some(job));
        }
        for stored in ["", "scenario/none", "lesson/", "scenario/", "x", "Start"] {
            assert_eq!(RunJob::from_id(stored), None, "{stored}");
        }
    }

    #[test]
    fn runs_are_grouped_in_list_order_numbered_by_start_imports_last() {
        // Newest first, as the list shows them: job b's run started after job a's; a's first checkpoints are
        // gone (subsumed), so its oldest one still stored is newer than b's.
        let list = [
            (Some("a"), 50.0, Some(1.0)),
            (None, 45.0, None),
            (Some("b"), 40.0, Some(5.0)),
            (Some("a"), 30.0, Some(1.0)),
            (Some("b"), 10.0, Some(5.0)),
        ];
        let groups = group(list);
        assert_eq!(
            groups,
            vec![
                RunGroup {
                    number: Some(1),
                    rows: vec![0, 3],
                    first_stored_ms: 30.0,
                    started_ms: Some(1.0)
                },
                RunGroup {
                    number: Some(2),
                    rows: vec![2, 4],
                    first_stored_ms: 10.0,
                    started_ms: Some(5.0)
                },
                RunGroup {
                    number: None,
                    rows: vec![1],
                    first_stored_ms: 45.0,
                    started_ms: None
                },
            ]
        );
        // The same checkpoints in another order get the same numbers.
        let mut reversed = list;
        reversed.reverse();
        let numbers: Vec<_> = group(reversed).iter().map(|g| g.number).collect();
        assert_eq!(numbers, [Some(2), Some(1), None]);
        assert!(group([]).is_empty());
    }

    #[test]
    fn runs_of_earlier_versions_are_numbered_by_their_first_stored_checkpoint() {
        // c's records do not say when it started: its first stored checkpoint (20) places it between a and b.
        let groups = group([
            (Some("b"), 40.0, Some(30.0)),
            (Some("c"), 25.0, None),
            (Some("c"), 20.0, None),
            (Some("a"), 12.0, Some(10.0)),
        ]);
        let numbers: Vec<_> = groups.iter().map(|g| g.number).collect();
        assert_eq!(numbers, [Some(3), Some(2), Some(1)]);
    }

    #[test]
    fn runs_started_at_the_same_moment_are_numbered_by_job_id() {
        let groups = group([(Some("z"), 5.0, Some(1.0)), (Some("a"), 5.0, Some(1.0))]);
        let numbers: Vec<_> = groups.iter().map(|g| g.number).collect();
        assert_eq!(numbers, [Some(2), Some(1)]);
    }

    #[test]
    fn moments_read_as_today_yesterday_or_a_date() {
        // 2026-12-01 14:02 and 2026-11-30 23:59, local time.
        let now = 1_796_133_720_000.0 + 3_600_000.0;
        let at = 1_796_133_720_000.0;
        assert_eq!(
            when(at, now),
            When {
                day: Day::Today,
                hour: 14,
                minute: 2
            }
        );
        let late = at - 14.0 * 3_600_000.0 - 3.0 * 60_000.0;
        assert_eq!(
            when(late, now),
            When {
                day: Day::Yesterday,
                hour: 23,
                minute: 59
            }
        );
        assert_eq!(
            when(at - 28.0 * 86_400_000.0, now).day,
            Day::Date {
                year: 2026,
                month: 11,
                day: 3,
                this_year: true
            }
        );
        assert_eq!(
            when(0.0, now),
            When {
                day: Day::Date {
                    year: 1970,
                    month: 1,
                    day: 1,
                    this_year: false
                },
                hour: 0,
                minute: 0
            }
        );
        // 2024-02-29 exists; stored garbage does not panic.
        assert_eq!(
            when(1_709_164_800_000.0, now).day,
            Day::Date {
                year: 2024,
                month: 2,
                day: 29,
                this_year: false
            }
        );
        assert_eq!(when(f64::NAN, now).hour, 0);
        assert_eq!(when(-1.0, f64::INFINITY).minute, 59);
    }
}
