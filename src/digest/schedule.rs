//! When digests are due, and posting each period exactly once.
//!
//! A subscription's slot is a weekday and a time in its own time zone; slots are computed in
//! that zone, so they stay at 09:00 local across daylight-saving changes (a time that does
//! not exist that day moves forward by the gap, an ambiguous one takes the first occurrence).
//! At each slot the digest of the seven days before it is posted, then the period is recorded
//! in the state store. After downtime, a slot missed by less than 24 hours is posted once;
//! older ones are logged as missed. A restart never posts twice: the store says what was
//! posted, and every post carries a nonce derived from the subscription and period, which
//! Discord enforces as a second guard if the bot stopped between posting and recording.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use tokio::sync::Notify;

use super::{Digest, DigestSource};
use crate::state::{Claim, StateStore, Subscription};

/// A missed slot older than this is not posted late.
pub const CATCH_UP: Duration = Duration::hours(24);
/// The scheduler looks again at least this often (new subscriptions also wake it).
const RECHECK: StdDuration = StdDuration::from_secs(300);

pub fn parse_weekday(s: &str) -> Result<u8, String> {
    let t = crate::text::fold(s.trim());
    let days = [
        ["monday", "mon", "周一", "星期一", "1"],
        ["tuesday", "tue", "周二", "星期二", "2"],
        ["wednesday", "wed", "周三", "星期三", "3"],
        ["thursday", "thu", "周四", "星期四", "4"],
        ["friday", "fri", "周五", "星期五", "5"],
        ["saturday", "sat", "周六", "星期六", "6"],
        ["sunday", "sun", "周日", "星期日", "7"],
    ];
    days.iter()
        .position(|names| names.contains(&t.as_str()) || (t == "星期天" || t == "周天") && names[0] == "sunday")
        .map(|i| i as u8)
        .ok_or_else(|| format!("“{s}” is not a weekday; use monday … sunday"))
}

/// `09:00`, `9:30` or `18` → minutes after midnight.
pub fn parse_time(s: &str) -> Result<u16, String> {
    let t = s.trim();
    let (h, m) = t.split_once(':').unwrap_or((t, "0"));
    match (h.parse::<u16>(), m.parse::<u16>()) {
        (Ok(h), Ok(m)) if h < 24 && m < 60 => Ok(h * 60 + m),
        _ => Err(format!("“{s}” is not a time of day; use HH:MM, e.g. 09:00")),
    }
}

pub fn parse_timezone(s: &str) -> Result<Tz, String> {
    s.trim()
        .parse::<Tz>()
        .map_err(|_| format!("“{s}” is not an IANA time zone; use a name such as Asia/Shanghai, Europe/London or UTC"))
}

/// The instant of `minute` past midnight on `date` in `tz`.
pub fn local_instant(date: NaiveDate, minute: u16, tz: Tz) -> DateTime<Utc> {
    let time = NaiveTime::from_num_seconds_from_midnight_opt(u32::from(minute) * 60, 0).unwrap_or_default();
    let naive = date.and_time(time);
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        // In a spring-forward gap: read with the offset from before the gap, which lands
        // the time as far past the gap's end as it was past its start (01:30 → 02:30).
        LocalResult::None => {
            let before = tz.from_local_datetime(&(naive - Duration::hours(3))).earliest();
            let offset = before.map_or(0, |b| b.offset().fix().local_minus_utc());
            Utc.from_utc_datetime(&(naive - Duration::seconds(i64::from(offset))))
        }
    }
}

fn weekday(d: u8) -> Weekday {
    Weekday::try_from(d.min(6)).unwrap_or(Weekday::Mon)
}

/// The latest slot at or before `at`.
pub fn latest_slot(sub: &Subscription, at: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let tz = parse_timezone(&sub.timezone).map_err(anyhow::Error::msg)?;
    let today = at.with_timezone(&tz).date_naive();
    for back in 0..=8 {
        let date = today - Duration::days(back);
        if date.weekday() == weekday(sub.weekday) {
            let slot = local_instant(date, sub.minute_of_day, tz);
            if slot <= at {
                return Ok(slot);
            }
        }
    }
    anyhow::bail!("no slot found for {}", sub.key())
}

/// The first slot after `after`.
pub fn next_slot(sub: &Subscription, after: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let tz = parse_timezone(&sub.timezone).map_err(anyhow::Error::msg)?;
    let today = after.with_timezone(&tz).date_naive();
    for ahead in 0..=8 {
        let date = today + Duration::days(ahead);
        if date.weekday() == weekday(sub.weekday) {
            let slot = local_instant(date, sub.minute_of_day, tz);
            if slot > after {
                return Ok(slot);
            }
        }
    }
    anyhow::bail!("no slot found for {}", sub.key())
}

/// The seven local days a slot reports on: the week before the slot's day.
pub fn period_of(sub: &Subscription, slot: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
    let tz = parse_timezone(&sub.timezone).unwrap_or(Tz::UTC);
    let day = slot.with_timezone(&tz).date_naive();
    (day - Duration::days(7), day - Duration::days(1))
}

/// Discord's nonce for the post of a period (25 characters at most).
pub fn nonce(sub: &Subscription, slot: DateTime<Utc>) -> String {
    use std::hash::{Hash, Hasher};
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new_with_keys(7, 11);
    (sub.key(), slot.timestamp()).hash(&mut h);
    format!("dg{:016x}", h.finish())
}

/// What to do for a subscription now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Nothing,
    Post(DateTime<Utc>),
    /// The slot passed too long ago (the bot was down): log it, do not post late.
    Missed(DateTime<Utc>),
}

pub fn due(sub: &Subscription, last_posted: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<Due> {
    let slot = latest_slot(sub, now)?;
    if last_posted.is_some_and(|l| l >= slot) {
        return Ok(Due::Nothing);
    }
    Ok(if now - slot < CATCH_UP {
        Due::Post(slot)
    } else {
        Due::Missed(slot)
    })
}

/// Sends a digest somewhere (Discord, or a test's recorder).
pub trait Poster: Send + Sync + 'static {
    fn post(&self, sub: &Subscription, digest: &Digest, nonce: &str) -> impl Future<Output = Result<()>> + Send;
}

/// Wall-clock time that follows tokio's clock, so tests can run weeks in a paused runtime.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    wall: DateTime<Utc>,
    at: tokio::time::Instant,
}

impl Clock {
    pub fn system() -> Clock {
        Clock {
            wall: Utc::now(),
            at: tokio::time::Instant::now(),
        }
    }

    /// A clock that reads `wall` now.
    pub fn starting_at(wall: DateTime<Utc>) -> Clock {
        Clock {
            wall,
            at: tokio::time::Instant::now(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let elapsed = tokio::time::Instant::now().duration_since(self.at);
        self.wall + Duration::from_std(elapsed).unwrap_or_default()
    }

    fn instant_of(&self, t: DateTime<Utc>) -> tokio::time::Instant {
        let ahead = (t - self.now()).to_std().unwrap_or_default();
        tokio::time::Instant::now() + ahead
    }
}

/// What one look at a subscription did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Posted {
        key: String,
        slot: DateTime<Utc>,
        quiet: bool,
    },
    Missed {
        key: String,
        slot: DateTime<Utc>,
    },
    /// Another process holds the period's claim (it is posting it) until `until`.
    Held {
        key: String,
        slot: DateTime<Utc>,
        owner: String,
        until: DateTime<Utc>,
    },
    /// Posting failed; the subscription is tried again after `retry_at` (the others go on).
    Failed {
        key: String,
        slot: DateTime<Utc>,
        retry_at: DateTime<Utc>,
    },
}

/// How long a claim on a period lasts: longer than any post takes, short enough that a
/// process killed mid-post is replaced soon (Discord's nonce still refuses what it had sent).
pub const LEASE: std::time::Duration = std::time::Duration::from_secs(120);
/// [`LEASE`], or `DOSSIER_DIGEST_LEASE_SECS` (tests of a killed poster use a short lease).
fn lease_from_env() -> std::time::Duration {
    std::env::var("DOSSIER_DIGEST_LEASE_SECS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&s: &u64| s > 0)
        .map_or(LEASE, std::time::Duration::from_secs)
}

/// The first retry after a failed post, doubled after each further failure up to
/// [`MAX_BACKOFF`].
const FIRST_BACKOFF: std::time::Duration = std::time::Duration::from_secs(60);
const MAX_BACKOFF: std::time::Duration = std::time::Duration::from_secs(3600);

/// A subscription whose last posts failed: how many times, and when to try again.
#[derive(Debug, Clone, Copy)]
struct Failing {
    failures: u32,
    retry_at: DateTime<Utc>,
}

fn backoff(failures: u32) -> Duration {
    let base = FIRST_BACKOFF
        .as_secs()
        .saturating_mul(1 << failures.saturating_sub(1).min(16));
    Duration::seconds(base.min(MAX_BACKOFF.as_secs()) as i64)
}

/// A name for this process's claims: host, process and a random part (two schedulers in
/// one process are two owners).
fn owner_id() -> String {
    use std::hash::{BuildHasher, RandomState};
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "host".into());
    format!(
        "{host}:{}:{:08x}",
        std::process::id(),
        RandomState::new().hash_one(0u8) as u32
    )
}

pub struct Scheduler<P: Poster> {
    engine: Arc<dyn DigestSource>,
    store: Arc<dyn StateStore>,
    poster: P,
    clock: Clock,
    /// Who this scheduler claims periods as.
    owner: String,
    lease: Duration,
    failing: std::sync::Mutex<std::collections::HashMap<String, Failing>>,
    /// When the earliest lease another process held at the last look ends: if it died
    /// mid-post, this one takes the period then.
    held_until: std::sync::Mutex<Option<DateTime<Utc>>>,
    /// Notified when subscriptions change.
    pub wake: Arc<Notify>,
}

impl<P: Poster> Scheduler<P> {
    pub fn new(engine: Arc<dyn DigestSource>, store: Arc<dyn StateStore>, poster: P, clock: Clock) -> Scheduler<P> {
        Scheduler {
            engine,
            store,
            poster,
            clock,
            owner: owner_id(),
            lease: Duration::from_std(lease_from_env()).unwrap_or_default(),
            failing: Default::default(),
            held_until: Default::default(),
            wake: Arc::new(Notify::new()),
        }
    }

    /// Claims periods as `owner` with leases of `lease` (tests: two schedulers, a short lease).
    pub fn claiming_as(mut self, owner: &str, lease: std::time::Duration) -> Scheduler<P> {
        self.owner = owner.to_string();
        self.lease = Duration::from_std(lease).unwrap_or_default();
        self
    }

    /// Wakes on `notify` (e.g. when subscriptions change) as well as at slots.
    pub fn waking_on(mut self, notify: Arc<Notify>) -> Scheduler<P> {
        self.wake = notify;
        self
    }

    /// Posts what is due now; records each period posted or missed. One subscription's
    /// failure is logged and retried later with backoff; it never stops the others.
    pub async fn tick(&self) -> Result<Vec<Outcome>> {
        let now = self.clock.now();
        let mut outcomes = Vec::new();
        let mut held_until: Option<DateTime<Utc>> = None;
        for sub in self.store.subscriptions()? {
            let key = sub.key();
            let waiting = self
                .failing
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&key)
                .copied();
            if waiting.is_some_and(|f| f.retry_at > now) {
                continue;
            }
            match self.look_at(&sub, now).await {
                Ok(outcome) => {
                    self.failing.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
                    if let Some(Outcome::Held { until, .. }) = &outcome {
                        held_until = Some(held_until.map_or(*until, |h| h.min(*until)));
                    }
                    outcomes.extend(outcome);
                }
                Err((slot, err)) => {
                    let failures = waiting.map_or(1, |f| f.failures + 1);
                    let retry_at = now + backoff(failures);
                    tracing::error!(channel = %sub.channel, failures, %retry_at, "cannot post the weekly digest: {err:#}");
                    self.failing
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(key.clone(), Failing { failures, retry_at });
                    outcomes.push(Outcome::Failed { key, slot, retry_at });
                }
            }
        }
        *self.held_until.lock().unwrap_or_else(|e| e.into_inner()) = held_until;
        Ok(outcomes)
    }

    /// What is due for one subscription, done: the period is claimed before it is posted and
    /// completed after, so of several schedulers sharing a store exactly one posts it.
    async fn look_at(
        &self,
        sub: &Subscription,
        now: DateTime<Utc>,
    ) -> std::result::Result<Option<Outcome>, (DateTime<Utc>, anyhow::Error)> {
        let key = sub.key();
        let last = self.store.last_posted(&key).map_err(|e| (now, e))?;
        match due(sub, last, now).map_err(|e| (now, e))? {
            Due::Nothing => Ok(None),
            Due::Missed(slot) => {
                tracing::warn!(channel = %sub.channel, %slot, "missed the digest of this slot while the bot was down; not posting it late");
                self.store.mark_posted(&key, slot).map_err(|e| (slot, e))?;
                Ok(Some(Outcome::Missed { key, slot }))
            }
            Due::Post(slot) => {
                let claim = self
                    .store
                    .claim_period(&key, slot, &self.owner, self.lease, now)
                    .map_err(|e| (slot, e))?;
                match claim {
                    Claim::Done => return Ok(None),
                    Claim::Held { owner, until } => {
                        return Ok(Some(Outcome::Held {
                            key,
                            slot,
                            owner,
                            until,
                        }))
                    }
                    Claim::Claimed => {}
                }
                let (since, until) = period_of(sub, slot);
                let engine = self.engine.clone();
                let topic = sub.topic.clone();
                let digest = tokio::task::spawn_blocking(move || engine.digest(since, until, topic.as_deref()))
                    .await
                    .context("digest task")
                    .and_then(|r| r)
                    .map_err(|e| (slot, e))?;
                let posted = self
                    .poster
                    .post(sub, &digest, &nonce(sub, slot))
                    .await
                    .with_context(|| format!("cannot post the digest to channel {}", sub.channel));
                if let Err(err) = posted {
                    // Whoever tries next (this process after its backoff, or another) may
                    // take the period at once; Discord's nonce refuses what was already sent.
                    if let Err(e) = self.store.release_period(&key, slot, &self.owner) {
                        tracing::warn!(channel = %sub.channel, "cannot release the digest claim: {e:#}");
                    }
                    return Err((slot, err));
                }
                self.store
                    .complete_period(&key, slot, &self.owner)
                    .map_err(|e| (slot, e))?;
                tracing::info!(channel = %sub.channel, %slot, "posted the weekly digest");
                Ok(Some(Outcome::Posted {
                    key,
                    slot,
                    quiet: digest.is_quiet(),
                }))
            }
        }
    }

    /// The next instant something may be due.
    fn next_wake(&self) -> DateTime<Utc> {
        let now = self.clock.now();
        let cap = now + Duration::from_std(RECHECK).unwrap_or_default();
        let retries = self
            .failing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .map(|f| f.retry_at)
            .chain(*self.held_until.lock().unwrap_or_else(|e| e.into_inner()))
            .min();
        self.store
            .subscriptions()
            .unwrap_or_default()
            .iter()
            .filter_map(|s| next_slot(s, now).ok())
            .chain(retries)
            .min()
            .map_or(cap, |t| t.min(cap).max(now))
    }

    /// Runs until `shutdown` resolves. Errors are logged and retried at the next wake.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            if let Err(err) = self.tick().await {
                tracing::error!("digest scheduler: {err:#}");
            }
            let wake_at = self.clock.instant_of(self.next_wake());
            tokio::select! {
                () = tokio::time::sleep_until(wake_at) => {}
                () = self.wake.notified() => {}
                () = &mut shutdown => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(weekday: u8, time: &str, tz: &str) -> Subscription {
        Subscription {
            guild: "g".into(),
            channel: "c".into(),
            weekday,
            minute_of_day: parse_time(time).unwrap(),
            timezone: tz.into(),
            topic: None,
            created_by: "u".into(),
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn parses_what_users_type() {
        assert_eq!(parse_weekday("Monday"), Ok(0));
        assert_eq!(parse_weekday("星期日"), Ok(6));
        assert_eq!(parse_weekday("週五"), Ok(4));
        assert!(parse_weekday("someday").unwrap_err().contains("monday"));
        assert_eq!(parse_time("09:00"), Ok(540));
        assert_eq!(parse_time("18"), Ok(1080));
        assert!(parse_time("25:00").is_err() && parse_time("9:75").is_err());
        assert!(parse_timezone("Asia/Shanghai").is_ok());
        assert!(parse_timezone("Mars/Olympus").unwrap_err().contains("IANA"));
    }

    #[test]
    fn slots_keep_local_time_across_daylight_saving() {
        let s = sub(0, "09:00", "Europe/London");
        // The clocks go forward on Sunday 2026-03-29: 09:00 is 09:00Z before, 08:00Z after.
        assert_eq!(
            next_slot(&s, utc("2026-03-20T00:00:00Z")).unwrap(),
            utc("2026-03-23T09:00:00Z")
        );
        assert_eq!(
            next_slot(&s, utc("2026-03-23T09:00:00Z")).unwrap(),
            utc("2026-03-30T08:00:00Z")
        );
        // And back on 2026-10-25.
        assert_eq!(
            next_slot(&s, utc("2026-10-20T00:00:00Z")).unwrap(),
            utc("2026-10-26T09:00:00Z")
        );
        // A time inside the spring-forward gap moves forward by the gap.
        let gap = sub(6, "01:30", "Europe/London");
        assert_eq!(
            next_slot(&gap, utc("2026-03-28T00:00:00Z")).unwrap(),
            utc("2026-03-29T01:30:00Z")
        );
        // An ambiguous time (fall back in New York) takes its first occurrence.
        let ambiguous = sub(6, "01:30", "America/New_York");
        assert_eq!(
            next_slot(&ambiguous, utc("2026-10-31T00:00:00Z")).unwrap(),
            utc("2026-11-01T05:30:00Z")
        );
        assert_eq!(
            latest_slot(&s, utc("2026-03-30T08:00:00Z")).unwrap(),
            utc("2026-03-30T08:00:00Z")
        );
        assert_eq!(
            period_of(&s, utc("2026-03-30T08:00:00Z")),
            (
                NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(),
                NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
            )
        );
    }

    #[test]
    fn due_posts_once_and_catches_up_only_within_a_day() {
        let s = sub(0, "09:00", "Asia/Shanghai");
        let slot = utc("2026-03-16T01:00:00Z");
        assert_eq!(
            due(&s, None, utc("2026-03-16T00:59:00Z")).unwrap(),
            Due::Missed(utc("2026-03-09T01:00:00Z"))
        );
        assert_eq!(
            due(&s, Some(utc("2026-03-09T01:00:00Z")), utc("2026-03-16T00:59:00Z")).unwrap(),
            Due::Nothing
        );
        assert_eq!(
            due(&s, Some(utc("2026-03-09T01:00:00Z")), utc("2026-03-16T04:00:00Z")).unwrap(),
            Due::Post(slot)
        );
        assert_eq!(due(&s, Some(slot), utc("2026-03-16T04:00:00Z")).unwrap(), Due::Nothing);
        assert_eq!(
            due(&s, Some(utc("2026-03-02T01:00:00Z")), utc("2026-03-17T02:00:00Z")).unwrap(),
            Due::Missed(slot)
        );
        assert_ne!(nonce(&s, slot), nonce(&s, slot + Duration::days(7)));
        assert!(nonce(&s, slot).len() <= 25);
    }
}
