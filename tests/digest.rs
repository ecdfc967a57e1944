//! Weekly digests: content on the bundled corpus for fixed dates, the scheduler on tokio's
//! paused clock (one post per period, catch-up after downtime, no double post after a
//! restart), and posting to a fake Discord, whose nonce check stops a duplicate.

mod common;
mod fake_discord;

use dossier::locale::{Front, Locale};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, NaiveDate, Utc};
use dossier::digest::schedule::{self, Clock, Outcome, Poster, Scheduler};
use dossier::digest::{Digest, DigestSource};
use dossier::engine::Engine;
use dossier::state::{RedbStore as Store, StateStore, Subscription};

fn engine() -> Arc<Engine> {
    static ENGINE: OnceLock<(Arc<Engine>, tempfile::TempDir)> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            (Arc::new(common::open(&common::bundled_corpus(), dir.path())), dir)
        })
        .0
        .clone()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn digest_of_a_week_on_the_bundled_corpus() {
    let d = engine().digest(day("2026-03-08"), day("2026-03-15"), None).unwrap();
    assert!(!d.is_quiet());
    let docs: Vec<&str> = d.documents.iter().map(|c| c.doc.as_str()).collect();
    assert_eq!(docs, vec!["000_a75d65da8a741bbc"], "the one page published that week");
    assert!(d.documents[0].url.as_deref().unwrap().contains("huxiu.com"));
    for e in &d.events {
        let date = e.date.as_deref().unwrap();
        assert!(
            date.len() >= 7 && ("2026-03".."2026-03-16").contains(&date),
            "{date} is not in the week"
        );
    }
    assert!(
        d.events.iter().any(|e| e.text.contains("本周")),
        "本周 resolved against 2026-03-15"
    );
    let people: Vec<&str> = d.people.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        people.contains(&"马克·扎克伯格") && people.contains(&"Alexandr Wang"),
        "{people:?}"
    );
    assert!(!d.summary.is_empty());
    for s in &d.summary {
        // Summary lines are verbatim sentences of the cited paragraph.
        let r = engine().answer_line("digest-test", &format!("/source {}", s.citation.doc));
        assert!(r.error.is_none());
        assert!(s.citation.paragraph >= 1 && s.text.chars().count() >= 12);
    }
    let answer = d.to_answer();
    let heading = dossier::locale::heading(&answer.summary, Locale::En, Front::Cli);
    assert!(
        heading.title.starts_with("Digest 2026-03-08 – 2026-03-15"),
        "{}",
        heading.title
    );
}

#[test]
fn a_topic_narrows_everything_and_a_quiet_week_is_one_line() {
    let d = engine()
        .digest(day("2026-03-08"), day("2026-03-15"), Some("牛油果"))
        .unwrap();
    let all = engine().digest(day("2026-03-08"), day("2026-03-15"), None).unwrap();
    assert!(d.events.len() < all.events.len());
    assert!(
        d.summary
            .iter()
            .all(|s| dossier::text::fold(&s.text).contains("牛油果")),
        "{:?}",
        d.summary
    );
    let quiet = engine().digest(day("2020-01-01"), day("2020-01-07"), None).unwrap();
    assert!(quiet.is_quiet());
    assert!(quiet.to_answer().items.is_empty());
    let line = dossier::locale::heading(&quiet.to_answer().summary, Locale::En, Front::Discord);
    assert!(
        line.title.starts_with("Quiet week") && line.lines.is_empty(),
        "{line:?}"
    );
}

/// A post: subscription key, period, nonce.
type Post = (String, NaiveDate, NaiveDate, String);

/// Records posts instead of sending them.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Post>>>, Option<tokio::sync::mpsc::UnboundedSender<()>>);

impl Poster for Recorder {
    async fn post(&self, sub: &Subscription, digest: &Digest, nonce: &str) -> anyhow::Result<()> {
        self.0
            .lock()
            .unwrap()
            .push((sub.key(), digest.since, digest.until, nonce.to_string()));
        if let Some(tx) = &self.1 {
            let _ = tx.send(());
        }
        Ok(())
    }
}

fn subscription(channel: &str, tz: &str) -> Subscription {
    Subscription {
        guild: "g".into(),
        channel: channel.into(),
        weekday: 0,
        minute_of_day: 9 * 60,
        timezone: tz.into(),
        topic: None,
        created_by: "u".into(),
    }
}

#[tokio::test(start_paused = true)]
async fn posts_once_per_period_on_a_paused_clock() {
    let state = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(state.path()).unwrap());
    let start = utc("2026-03-15T12:00:00Z");
    let sub = subscription("c1", "Asia/Shanghai");
    store.subscribe(&sub).unwrap();
    store
        .mark_posted(&sub.key(), schedule::latest_slot(&sub, start).unwrap())
        .unwrap();

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let recorder = Recorder(Default::default(), Some(tx));
    let clock = Clock::starting_at(start);
    let source: Arc<dyn DigestSource> = engine();
    let scheduler = Scheduler::new(source, store.clone(), recorder.clone(), clock);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(scheduler.run(async move {
        let _ = stopped.await;
    }));
    for _ in 0..3 {
        rx.recv().await.unwrap();
    }
    assert_eq!(
        clock.now(),
        utc("2026-03-30T01:00:00Z"),
        "the third post is at the third Monday 09:00 Shanghai"
    );
    // Nothing more until the next Monday.
    tokio::time::sleep(std::time::Duration::from_secs(6 * 86_400)).await;
    assert!(rx.try_recv().is_err());
    let _ = stop.send(());
    task.await.unwrap();

    let posts = recorder.0.lock().unwrap().clone();
    let periods: Vec<(NaiveDate, NaiveDate)> = posts.iter().map(|p| (p.1, p.2)).collect();
    assert_eq!(
        periods,
        vec![
            (day("2026-03-09"), day("2026-03-15")),
            (day("2026-03-16"), day("2026-03-22")),
            (day("2026-03-23"), day("2026-03-29")),
        ]
    );
    let nonces: std::collections::BTreeSet<&String> = posts.iter().map(|p| &p.3).collect();
    assert_eq!(nonces.len(), 3);
}

#[tokio::test(start_paused = true)]
async fn catch_up_after_downtime_and_no_double_post_after_restart() {
    let state = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(state.path()).unwrap());
    let sub = subscription("c2", "Europe/London");
    store.subscribe(&sub).unwrap();
    // The bot last posted two weeks before the slot of 2026-03-30 (after the DST change).
    store.mark_posted(&sub.key(), utc("2026-03-16T09:00:00Z")).unwrap();
    let source: Arc<dyn DigestSource> = engine();

    // Down until three hours after Monday 09:00 BST (= 08:00Z): the missed slot is posted once.
    let recorder = Recorder::default();
    let s = Scheduler::new(
        source.clone(),
        store.clone(),
        recorder.clone(),
        Clock::starting_at(utc("2026-03-30T11:00:00Z")),
    );
    let out = s.tick().await.unwrap();
    assert_eq!(
        out,
        vec![Outcome::Posted {
            key: sub.key(),
            slot: utc("2026-03-30T08:00:00Z"),
            quiet: true
        }]
    );
    assert!(s.tick().await.unwrap().is_empty(), "posted once");

    // A restart (new scheduler, same store) does not post it again.
    let again = Scheduler::new(
        source.clone(),
        store.clone(),
        recorder.clone(),
        Clock::starting_at(utc("2026-03-30T11:05:00Z")),
    );
    assert!(again.tick().await.unwrap().is_empty());
    assert_eq!(recorder.0.lock().unwrap().len(), 1);

    // Down for more than a day past the next slot: logged as missed, not posted late.
    let late = Scheduler::new(
        source,
        store.clone(),
        recorder.clone(),
        Clock::starting_at(utc("2026-04-07T12:00:00Z")),
    );
    assert_eq!(
        late.tick().await.unwrap(),
        vec![Outcome::Missed {
            key: sub.key(),
            slot: utc("2026-04-06T08:00:00Z")
        }]
    );
    assert_eq!(recorder.0.lock().unwrap().len(), 1);
    assert_eq!(
        store.last_posted(&sub.key()).unwrap(),
        Some(utc("2026-04-06T08:00:00Z"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posting_to_discord_uses_a_nonce_that_stops_duplicates() {
    let fake = fake_discord::FakeDiscord::start("digest-token").await;
    let http = Arc::new(
        serenity::all::HttpBuilder::new("digest-token")
            .proxy(fake.base.as_str())
            .ratelimiter_disabled(true)
            .build(),
    );
    let channel = fake_discord::CHANNEL_ID + 900;
    let mut sub = subscription(&channel.to_string(), "Asia/Shanghai");
    sub.guild = fake_discord::GUILD_ID.to_string();
    let source: Arc<dyn DigestSource> = engine();
    let now = utc("2026-03-16T02:00:00Z");

    // First run: posts, then the bot is "killed" before it records the period (a store that
    // never saw the post stands for that).
    for _ in 0..2 {
        let state = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(state.path()).unwrap());
        store.subscribe(&sub).unwrap();
        store.mark_posted(&sub.key(), utc("2026-03-09T01:00:00Z")).unwrap();
        let poster = dossier::discord::digest::DiscordPoster {
            http: http.clone(),
            store: Some(store.clone()),
        };
        let s = Scheduler::new(source.clone(), store, poster, Clock::starting_at(now));
        let out = s.tick().await.unwrap();
        assert!(matches!(out[0], Outcome::Posted { quiet: false, .. }), "{out:?}");
    }
    let created = fake.created_messages(channel);
    assert!(!created.is_empty());
    let posts = fake
        .requests()
        .iter()
        .filter(|r| r.path.ends_with(&format!("/channels/{channel}/messages")))
        .count();
    assert_eq!(
        posts,
        2 * created.len(),
        "the second run re-sent every message with the same nonce"
    );
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
    let first = fake
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/messages"))
        .unwrap();
    assert_eq!(first.body["enforce_nonce"], true);
    assert!(first.body["embeds"][0]["title"]
        .as_str()
        .unwrap()
        .starts_with("Digest 2026-03-09 – 2026-03-15"));
    assert_eq!(first.body["allowed_mentions"]["parse"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digest_posts_in_the_channels_language() {
    let fake = fake_discord::FakeDiscord::start("digest-token").await;
    let http = Arc::new(
        serenity::all::HttpBuilder::new("digest-token")
            .proxy(fake.base.as_str())
            .ratelimiter_disabled(true)
            .build(),
    );
    let source: Arc<dyn DigestSource> = engine();
    let now = utc("2026-03-16T02:00:00Z");
    // A channel set to Simplified Chinese headers with Traditional quotes; a channel with no
    // setting in a server whose preferred locale is zh-TW; a channel in an English server.
    let cases = [
        (901, Some(Locale::ZhCn), Some(Locale::En), "摘要 2026-03-09"),
        (902, None, Some(Locale::ZhTw), "摘要 2026-03-09"),
        (903, None, None, "Digest 2026-03-09"),
    ];
    for (offset, language, server, title) in cases {
        let channel = fake_discord::CHANNEL_ID + offset;
        let mut sub = subscription(&channel.to_string(), "Asia/Shanghai");
        sub.guild = format!("{}", fake_discord::GUILD_ID + offset);
        let state = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(state.path()).unwrap());
        store.subscribe(&sub).unwrap();
        store.mark_posted(&sub.key(), utc("2026-03-09T01:00:00Z")).unwrap();
        store
            .set_channel_settings(
                &sub.channel,
                &dossier::state::ChannelSettings {
                    script: dossier::text::convert::Script::Traditional,
                    language,
                },
            )
            .unwrap();
        let mut guild = store.guild_settings(&sub.guild).unwrap();
        guild.locale = server;
        store.set_guild_settings(&sub.guild, &guild).unwrap();
        let poster = dossier::discord::digest::DiscordPoster {
            http: http.clone(),
            store: Some(store.clone()),
        };
        let s = Scheduler::new(source.clone(), store, poster, Clock::starting_at(now));
        let out = s.tick().await.unwrap();
        assert!(matches!(out[0], Outcome::Posted { quiet: false, .. }), "{out:?}");
        let created = fake.created_messages(channel);
        let first = &created[0];
        let embed = &first["embeds"][0];
        let shown = embed["title"].as_str().unwrap();
        assert!(shown.starts_with(title), "{shown}");
        if language.or(server).is_some_and(|l| l != Locale::En) {
            let header = format!("{shown}\n{}", embed["description"].as_str().unwrap_or(""));
            // The header's own words are Chinese: what Latin text remains is document data
            // (titles, outlets, links, names, ids).
            for english in ["Digest", "New documents", "People mentioned", "Dated events", "more"] {
                assert!(!header.contains(english), "{english} in {header}");
            }
        }
        // Quotes follow the channel's script whatever the language.
        let quotes: String = created
            .iter()
            .flat_map(|m| m["embeds"].as_array().cloned().unwrap_or_default())
            .flat_map(|e| e["fields"].as_array().cloned().unwrap_or_default())
            .map(|f| f["value"].as_str().unwrap_or("").to_string())
            .collect();
        let simplified_only = ["这", "么", "们", "发"];
        assert!(
            !simplified_only.iter().any(|c| quotes.contains(c)),
            "quotes not in Traditional script: {quotes}"
        );
    }
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// Posts, except to the channels it is told to fail for.
#[derive(Clone, Default)]
struct Flaky {
    posted: Arc<Mutex<Vec<String>>>,
    failing: Arc<Mutex<Vec<String>>>,
}

impl Poster for Flaky {
    async fn post(&self, sub: &Subscription, _digest: &Digest, _nonce: &str) -> anyhow::Result<()> {
        if self.failing.lock().unwrap().contains(&sub.channel) {
            anyhow::bail!("Discord answered 403 for channel {}", sub.channel);
        }
        self.posted.lock().unwrap().push(sub.channel.clone());
        Ok(())
    }
}

/// The stores a scheduler test runs on: the embedded one, and PostgreSQL when it answers
/// (`DOSSIER_TEST_POSTGRES`; required in CI), with its schema.
fn shared_stores(name: &str) -> Vec<(Arc<dyn StateStore>, Option<String>, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let mut out: Vec<(Arc<dyn StateStore>, Option<String>, tempfile::TempDir)> =
        vec![(Arc::new(Store::open(dir.path()).unwrap()), None, dir)];
    let schema = format!("dossier_sched_{name}_{}", std::process::id());
    if let Some(pg) = common::postgres_store(&schema) {
        out.push((pg, Some(schema), tempfile::tempdir().unwrap()));
    }
    out
}

fn drop_schema(schema: &Option<String>) {
    if let Some(schema) = schema {
        common::drop_schema(schema);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_schedulers_sharing_a_store_post_a_period_once() {
    for (store, schema, _dir) in shared_stores("twice") {
        let sub = subscription("c-shared", "UTC");
        store.subscribe(&sub).unwrap();
        store.mark_posted(&sub.key(), utc("2026-03-09T09:00:00Z")).unwrap();
        let source: Arc<dyn DigestSource> = engine();
        let poster = Flaky::default();
        let at = Clock::starting_at(utc("2026-03-16T09:00:30Z"));
        let a = Scheduler::new(source.clone(), store.clone(), poster.clone(), at)
            .claiming_as("a", std::time::Duration::from_secs(120));
        let b = Scheduler::new(source.clone(), store.clone(), poster.clone(), at)
            .claiming_as("b", std::time::Duration::from_secs(120));
        let (x, y) = tokio::join!(a.tick(), b.tick());
        let outcomes: Vec<Outcome> = x.unwrap().into_iter().chain(y.unwrap()).collect();
        let posted = outcomes.iter().filter(|o| matches!(o, Outcome::Posted { .. })).count();
        assert_eq!(posted, 1, "{}: {outcomes:?}", store.describe());
        assert_eq!(poster.posted.lock().unwrap().len(), 1);
        drop_schema(&schema);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_left_by_a_killed_process_is_posted_once_after_its_lease() {
    for (store, schema, _dir) in shared_stores("killed") {
        let sub = subscription("c-killed", "UTC");
        store.subscribe(&sub).unwrap();
        store.mark_posted(&sub.key(), utc("2026-03-09T09:00:00Z")).unwrap();
        let slot = utc("2026-03-16T09:00:00Z");
        // A process claimed the period, then died before completing it.
        let lease = chrono::Duration::seconds(120);
        let claimed = store.claim_period(&sub.key(), slot, "killed", lease, slot).unwrap();
        assert_eq!(claimed, dossier::state::Claim::Claimed);
        let source: Arc<dyn DigestSource> = engine();
        let poster = Flaky::default();
        let during = Scheduler::new(
            source.clone(),
            store.clone(),
            poster.clone(),
            Clock::starting_at(slot + chrono::Duration::seconds(60)),
        );
        let out = during.tick().await.unwrap();
        assert!(
            matches!(&out[..], [Outcome::Held { owner, .. }] if owner == "killed"),
            "{out:?}"
        );
        assert!(poster.posted.lock().unwrap().is_empty(), "never while the lease holds");
        let after = Scheduler::new(
            source.clone(),
            store.clone(),
            poster.clone(),
            Clock::starting_at(slot + chrono::Duration::seconds(121)),
        );
        let out = after.tick().await.unwrap();
        assert!(matches!(&out[..], [Outcome::Posted { .. }]), "{out:?}");
        assert!(after.tick().await.unwrap().is_empty(), "and only once");
        assert_eq!(poster.posted.lock().unwrap().len(), 1);
        drop_schema(&schema);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_failing_channel_never_stops_the_others() {
    let state = tempfile::tempdir().unwrap();
    let store: Arc<dyn StateStore> = Arc::new(Store::open(state.path()).unwrap());
    for channel in ["c-a", "c-broken", "c-z"] {
        let sub = subscription(channel, "UTC");
        store.subscribe(&sub).unwrap();
        store.mark_posted(&sub.key(), utc("2026-03-09T09:00:00Z")).unwrap();
    }
    let poster = Flaky::default();
    poster.failing.lock().unwrap().push("c-broken".into());
    let source: Arc<dyn DigestSource> = engine();
    let now = utc("2026-03-16T09:00:30Z");
    let s = Scheduler::new(source.clone(), store.clone(), poster.clone(), Clock::starting_at(now));
    let out = s.tick().await.unwrap();
    let mut posted = poster.posted.lock().unwrap().clone();
    posted.sort();
    assert_eq!(posted, vec!["c-a", "c-z"], "{out:?}");
    let retry_at = out
        .iter()
        .find_map(|o| match o {
            Outcome::Failed { key, retry_at, .. } if key == "g/c-broken" => Some(*retry_at),
            _ => None,
        })
        .expect("the failure is reported");
    assert!(
        retry_at > now && retry_at <= now + chrono::Duration::minutes(2),
        "{retry_at}"
    );
    // Until its retry time the failing channel is left alone; then it is tried again.
    assert!(s.tick().await.unwrap().is_empty());
    poster.failing.lock().unwrap().clear();
    let later = Scheduler::new(
        source,
        store,
        poster.clone(),
        Clock::starting_at(retry_at + chrono::Duration::seconds(1)),
    );
    let out = later.tick().await.unwrap();
    assert!(
        matches!(&out[..], [Outcome::Posted { key, .. }] if key == "g/c-broken"),
        "{out:?}"
    );
}
