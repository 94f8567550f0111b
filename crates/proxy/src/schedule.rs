//! The nightly refresh: every day at the time set on the Fiskaly Setup page (Europe/Berlin,
//! default 03:00; it can be switched off) the console starts the refresh of every TSS itself.
//! Each replica looks at the clock now and then ([`crate::watch`]); the first to claim the day in
//! the database starts it, so it runs once a day however many replicas there are.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use tss_model::{FleetRefresh, RefreshSchedule};

use crate::operations::{OperationError, Operations};
use crate::storage::{Storage, StorageResult};

/// The settings key the schedule is saved under (JSON).
const SETTING: &str = "refresh_schedule";

/// The settings key of when it was last saved (unix seconds): a time already past that day is
/// not caught up on.
const SAVED_AT: &str = "refresh_schedule_saved_at";

/// Who the nightly refresh is recorded as.
pub const SCHEDULER: &str = "nightly refresh";

/// How late a run may still start: a proxy that was down at the time catches up within this.
const CATCH_UP_HOURS: i64 = 6;

/// The schedule's time zone.
fn berlin() -> TimeZone {
    TimeZone::get("Europe/Berlin").expect("the bundled time zone database has Europe/Berlin")
}

/// The saved schedule, or the default (daily at 03:00).
pub async fn saved(storage: &Storage) -> StorageResult<RefreshSchedule> {
    Ok(storage
        .setting(SETTING)
        .await?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

/// Saves `schedule` (its time checked by the caller) at `now` (unix seconds).
pub async fn save(storage: &Storage, schedule: &RefreshSchedule, now: i64) -> StorageResult<()> {
    let json = serde_json::to_string(schedule).expect("a schedule serialises");
    storage.save_setting(SETTING, &json).await?;
    storage.save_setting(SAVED_AT, &now.to_string()).await
}

/// The local day (`2026-12-06`) whose run is due at `now` under `schedule`, saved at
/// `saved_at`, if one is: from the set time until [`CATCH_UP_HOURS`] after it, unless that time
/// had passed when the schedule was saved (a time set for earlier today starts tomorrow).
pub fn due_day(schedule: &RefreshSchedule, saved_at: i64, now: Timestamp) -> Option<String> {
    let (hour, minute) = schedule.hour_minute().filter(|_| schedule.enabled)?;
    let local = now.to_zoned_datetime(berlin());
    for day in [local.date(), local.date().yesterday().ok()?] {
        let time = jiff::civil::time(hour as i8, minute as i8, 0, 0);
        // (A time the spring clock change skips runs an hour later: 02:30 at 03:30.)
        let start = day
            .to_datetime(time)
            .to_zoned_datetime(berlin())
            .ok()?
            .timestamp();
        let end = start.checked_add(CATCH_UP_HOURS.hours()).ok()?;
        if start <= now && now < end && start.as_second() >= saved_at {
            return Some(day.to_string());
        }
    }
    None
}

/// One look at the clock at `now`: starts the refresh of every TSS when its time has come and
/// no replica has started today's yet. Answers the run it started.
pub async fn look(
    operations: &Operations,
    now: Timestamp,
) -> Result<Option<FleetRefresh>, OperationError> {
    let storage = operations.storage();
    let schedule = saved(storage).await?;
    let saved_at = storage
        .setting(SAVED_AT)
        .await?
        .and_then(|at| at.parse().ok())
        .unwrap_or(0);
    let Some(day) = due_day(&schedule, saved_at, now) else {
        return Ok(None);
    };
    if !storage.claim_scheduled_run(&day, now.as_second()).await? {
        return Ok(None);
    }
    tracing::info!(day, "starting the nightly refresh of every TSS");
    match operations.refresh_every_tss(SCHEDULER).await {
        Ok(run) => Ok(Some(run)),
        // Somebody started one by hand just before: it does the same.
        Err(OperationError::AlreadyRunning(_)) => Ok(None),
        Err(error) => {
            // The day is not lost: the next look (here or elsewhere) tries again.
            storage.release_scheduled_run(&day).await?;
            Err(error)
        }
    }
}

/// A unix time as the date it is in Berlin, `DD.MM.YYYY` (for the alerts' texts).
pub fn berlin_date(unix_seconds: i64) -> String {
    Timestamp::from_second(unix_seconds)
        .map(|at| {
            at.to_zoned_datetime(berlin())
                .strftime("%d.%m.%Y")
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_run_is_due_from_its_local_time_for_six_hours_in_winter_and_summer() {
        let nightly = RefreshSchedule::default();
        // 03:00 in Berlin is 02:00 UTC in winter, 01:00 UTC in summer.
        assert_eq!(due_day(&nightly, 0, at("2026-12-06T01:59:59Z")), None);
        assert_eq!(
            due_day(&nightly, 0, at("2026-12-06T02:00:00Z")).as_deref(),
            Some("2026-12-06")
        );
        assert_eq!(
            due_day(&nightly, 0, at("2026-12-06T07:59:00Z")).as_deref(),
            Some("2026-12-06")
        );
        assert_eq!(due_day(&nightly, 0, at("2026-12-06T08:00:00Z")), None);
        assert_eq!(
            due_day(&nightly, 0, at("2026-07-01T01:00:00Z")).as_deref(),
            Some("2026-07-01")
        );
        assert_eq!(due_day(&nightly, 0, at("2026-07-01T00:59:00Z")), None);
    }

    #[test]
    fn a_late_evening_time_is_caught_up_after_midnight_and_off_means_never() {
        let late = RefreshSchedule {
            enabled: true,
            time: "23:30".into(),
        };
        // 23:30 on 6 December in Berlin is 22:30 UTC; at 01:00 local the next day it is that run.
        assert_eq!(
            due_day(&late, 0, at("2026-12-07T00:00:00Z")).as_deref(),
            Some("2026-12-06")
        );
        let off = RefreshSchedule {
            enabled: false,
            ..RefreshSchedule::default()
        };
        assert_eq!(due_day(&off, 0, at("2026-12-06T02:30:00Z")), None);
    }

    #[test]
    fn a_time_already_past_when_it_was_saved_starts_the_next_day() {
        let nightly = RefreshSchedule::default();
        // Saved at 05:00 in Berlin (04:00 UTC) for 03:00: not today, tomorrow.
        let saved = at("2026-12-07T04:00:00Z").as_second();
        assert_eq!(due_day(&nightly, saved, at("2026-12-07T04:30:00Z")), None);
        assert_eq!(
            due_day(&nightly, saved, at("2026-12-08T02:00:00Z")).as_deref(),
            Some("2026-12-08")
        );
    }

    #[test]
    fn the_time_the_spring_clock_change_skips_runs_an_hour_later() {
        let skipped = RefreshSchedule {
            enabled: true,
            time: "02:30".into(),
        };
        // 29 March 2026: 02:00 → 03:00 in Berlin (01:00 UTC); 03:30 local is 01:30 UTC.
        assert_eq!(due_day(&skipped, 0, at("2026-03-29T01:29:00Z")), None);
        assert_eq!(
            due_day(&skipped, 0, at("2026-03-29T01:30:00Z")).as_deref(),
            Some("2026-03-29")
        );
    }
}
