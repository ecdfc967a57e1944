//! The same behaviour from every backend: each test runs against the embedded store and
//! against PostgreSQL (`DOSSIER_TEST_POSTGRES`, by default the local server at
//! `postgres://postgres@127.0.0.1:5432/test`, each test in a schema of its own). Without a
//! server the PostgreSQL half is skipped with a message, except in CI (`CI` set), where it
//! must run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::*;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A PostgreSQL store in a fresh schema, dropped when the guard is.
pub struct PgSchema {
    pub store: Arc<PgStore>,
    url: String,
    schema: String,
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let dropped = ::postgres::Client::connect(&self.url, ::postgres::NoTls)
            .and_then(|mut c| c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema)));
        if let Err(err) = dropped {
            eprintln!("cannot drop the test schema {}: {err}", self.schema);
        }
    }
}

pub fn postgres(name: &str) -> Option<PgSchema> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let url = std::env::var("DOSSIER_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_URL.to_string());
    let schema = format!(
        "dossier_t{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        name.chars()
            .filter(char::is_ascii_alphanumeric)
            .take(20)
            .collect::<String>()
    );
    let sep = if url.contains('?') { '&' } else { '?' };
    match PgStore::connect(&format!("{url}{sep}schema={schema}")) {
        Ok(store) => Some(PgSchema {
            store: Arc::new(store),
            url,
            schema,
        }),
        Err(err) if std::env::var_os("CI").is_some() => {
            panic!("PostgreSQL must be reachable in CI ({url}): {err:#}")
        }
        Err(err) => {
            eprintln!("skipping the PostgreSQL half of {name}: {err:#}");
            None
        }
    }
}

/// Runs `check` on an embedded store and, when a server answers, on PostgreSQL.
fn both(name: &str, check: impl Fn(&dyn StateStore)) {
    let dir = tempfile::tempdir().unwrap();
    check(&RedbStore::open(dir.path()).unwrap());
    if let Some(pg) = postgres(name) {
        check(pg.store.as_ref());
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn sub(channel: &str) -> Subscription {
    Subscription {
        guild: "g".into(),
        channel: channel.into(),
        weekday: 0,
        minute_of_day: 9 * 60,
        timezone: "Asia/Shanghai".into(),
        topic: Some("预算".into()),
        created_by: "u".into(),
    }
}

#[test]
fn subscriptions_settings_ingestion_and_votes() {
    both("basics", |s| {
        s.subscribe(&sub("c1")).unwrap();
        s.subscribe(&sub("c2")).unwrap();
        s.subscribe(&sub("c2")).unwrap();
        assert_eq!(s.subscriptions().unwrap().len(), 2, "{}", s.describe());
        assert_eq!(s.subscription("g", "c1").unwrap(), Some(sub("c1")));
        let slot = utc("2026-03-16T01:00:00Z");
        assert!(s.mark_posted("g/c1", slot).unwrap());
        assert!(!s.mark_posted("g/c1", slot).unwrap(), "a period is posted once");
        assert!(
            !s.mark_posted("g/c1", slot - Duration::days(7)).unwrap(),
            "never backwards"
        );
        assert_eq!(s.last_posted("g/c1").unwrap(), Some(slot));
        assert!(s.unsubscribe("g", "c1").unwrap());
        assert!(!s.unsubscribe("g", "c1").unwrap());
        assert_eq!(s.last_posted("g/c1").unwrap(), None);

        let chosen = ChannelSettings {
            script: Script::Traditional,
            language: Some(crate::locale::Locale::ZhTw),
        };
        s.set_channel_settings("c1", &chosen).unwrap();
        assert_eq!(s.channel_settings("c1").unwrap(), chosen);
        assert_eq!(s.channel_settings("other").unwrap(), ChannelSettings::default());
        let server = GuildSettings {
            timezone: Some("Asia/Taipei".into()),
            locale: Some(crate::locale::Locale::ZhTw),
        };
        s.set_guild_settings("g", &server).unwrap();
        assert_eq!(s.guild_settings("g").unwrap(), server);
        assert_eq!(s.all_channel_settings().unwrap(), vec![("c1".to_string(), chosen)]);
        assert_eq!(s.all_guild_settings().unwrap().len(), 1);

        assert_eq!(s.record_ingested(&["a", "b"], slot).unwrap(), 2);
        assert_eq!(s.record_ingested(&["a", "c"], slot + Duration::days(1)).unwrap(), 1);
        let mut times = s.ingested().unwrap();
        times.sort();
        assert_eq!(times[0], ("a".to_string(), slot), "the first time is kept");
        s.forget_ingested("a").unwrap();
        assert_eq!(s.ingested().unwrap().len(), 2);

        let mut vote = Vote {
            answer: "1f".into(),
            user: "u1".into(),
            channel: "c1".into(),
            helpful: true,
            command: "ask".into(),
            query: "谁负责".into(),
            cited: vec!["doc ¶3".into()],
            at: slot,
        };
        assert!(!s.record_vote(&vote).unwrap());
        vote.helpful = false;
        vote.at = slot + Duration::minutes(1);
        assert!(s.record_vote(&vote).unwrap(), "a second vote replaces the first");
        let votes = s.votes().unwrap();
        assert_eq!(votes.len(), 1);
        assert!(!votes[0].helpful);
    });
}

#[test]
fn pages_are_kept_found_and_forgotten() {
    both("pages", |s| {
        let at = utc("2026-03-16T01:00:00Z");
        let page = |id: &str, at: DateTime<Utc>| KeptPage {
            id: id.into(),
            channel: "c1".into(),
            command: "who".into(),
            query: "扎克伯格".into(),
            answer: "{\"summary\":{}}".into(),
            at,
        };
        s.keep_page(&page("a1", at)).unwrap();
        s.keep_page(&page("b2", at + Duration::days(10))).unwrap();
        assert_eq!(s.kept_page("a1").unwrap(), Some(page("a1", at)));
        assert_eq!(s.kept_page("zz").unwrap(), None);
        assert_eq!(s.forget_pages_before(at + Duration::days(1)).unwrap(), 1);
        assert_eq!(s.kept_page("a1").unwrap(), None);
        assert!(s.kept_page("b2").unwrap().is_some());
    });
}

#[test]
fn a_period_goes_to_one_owner_until_its_lease_ends() {
    both("claims", |s| {
        let (key, slot, now) = ("g/c", utc("2026-03-16T01:00:00Z"), utc("2026-03-16T01:00:05Z"));
        let lease = Duration::minutes(2);
        assert_eq!(s.claim_period(key, slot, "a", lease, now).unwrap(), Claim::Claimed);
        let held = s
            .claim_period(key, slot, "b", lease, now + Duration::seconds(30))
            .unwrap();
        assert!(
            matches!(held, Claim::Held { ref owner, .. } if owner == "a"),
            "{held:?}"
        );
        // The holder may retry; another owner takes over only once the lease has ended.
        assert_eq!(s.claim_period(key, slot, "a", lease, now).unwrap(), Claim::Claimed);
        let later = now + Duration::minutes(3);
        assert_eq!(s.claim_period(key, slot, "b", lease, later).unwrap(), Claim::Claimed);
        s.complete_period(key, slot, "b").unwrap();
        assert_eq!(s.last_posted(key).unwrap(), Some(slot));
        for owner in ["a", "b", "c"] {
            assert_eq!(
                s.claim_period(key, slot, owner, lease, later + Duration::hours(1))
                    .unwrap(),
                Claim::Done
            );
        }
        // A released claim (its post failed) is free at once; a done one stays done.
        let next = slot + Duration::days(14);
        assert_eq!(s.claim_period(key, next, "a", lease, later).unwrap(), Claim::Claimed);
        s.release_period(key, next, "b").unwrap();
        assert!(
            matches!(
                s.claim_period(key, next, "b", lease, later).unwrap(),
                Claim::Held { .. }
            ),
            "only the holder releases"
        );
        s.release_period(key, next, "a").unwrap();
        assert_eq!(s.claim_period(key, next, "b", lease, later).unwrap(), Claim::Claimed);
        s.release_period(key, slot, "b").unwrap();
        assert_eq!(s.claim_period(key, slot, "c", lease, later).unwrap(), Claim::Done);
        // A period before the last posted one is done too; the next one is free.
        assert_eq!(
            s.claim_period(key, slot - Duration::days(7), "a", lease, later)
                .unwrap(),
            Claim::Done
        );
        assert_eq!(
            s.claim_period(key, slot + Duration::days(7), "c", lease, later)
                .unwrap(),
            Claim::Claimed
        );
    });
}

#[test]
fn racing_claimers_get_a_period_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let embedded: Arc<dyn StateStore> = Arc::new(RedbStore::open(dir.path()).unwrap());
    let pg = postgres("race");
    let mut stores = vec![embedded];
    if let Some(pg) = &pg {
        stores.push(pg.store.clone());
    }
    for store in stores {
        let now = utc("2026-03-16T01:00:00Z");
        for week in 0..20 {
            let slot = now + Duration::days(7 * week);
            let winners: Vec<bool> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..8)
                    .map(|i| {
                        let store = store.clone();
                        scope.spawn(move || {
                            matches!(
                                store.claim_period("g/race", slot, &format!("p{i}"), Duration::minutes(2), slot),
                                Ok(Claim::Claimed)
                            )
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            assert_eq!(
                winners.iter().filter(|w| **w).count(),
                1,
                "{} week {week}",
                store.describe()
            );
        }
    }
}

#[test]
fn a_store_is_copied_whole_to_another_backend() {
    let dir = tempfile::tempdir().unwrap();
    let from = RedbStore::open(dir.path()).unwrap();
    from.subscribe(&sub("c1")).unwrap();
    from.mark_posted("g/c1", utc("2026-03-16T01:00:00Z")).unwrap();
    from.set_channel_settings(
        "c9",
        &ChannelSettings {
            script: Script::Simplified,
            language: None,
        },
    )
    .unwrap();
    from.record_ingested(&["a", "b"], utc("2026-03-01T00:00:00Z")).unwrap();
    let target_dir = tempfile::tempdir().unwrap();
    let pg = postgres("copy");
    let targets: Vec<Arc<dyn StateStore>> = match &pg {
        Some(pg) => vec![Arc::new(RedbStore::open(target_dir.path()).unwrap()), pg.store.clone()],
        None => vec![Arc::new(RedbStore::open(target_dir.path()).unwrap())],
    };
    for to in targets {
        let copied = copy(&from, to.as_ref()).unwrap();
        assert!(
            copied.contains(&("subscriptions", 1)) && copied.contains(&("ingestion times", 2)),
            "{copied:?}"
        );
        assert_eq!(to.subscriptions().unwrap(), vec![sub("c1")]);
        assert_eq!(to.last_posted("g/c1").unwrap(), Some(utc("2026-03-16T01:00:00Z")));
        assert_eq!(to.channel_settings("c9").unwrap().script, Script::Simplified);
        assert_eq!(to.ingested().unwrap().len(), 2);
    }
}

fn feed(url: &str, topic: Option<&str>) -> Feed {
    Feed {
        url: url.into(),
        topic: topic.map(str::to_string),
        added_by: "u".into(),
        guild: Some("g".into()),
        added_at: utc("2026-11-30T10:00:00Z"),
    }
}

#[test]
fn feeds_their_state_and_seen_entries() {
    both("feeds", |s| {
        assert!(s.feeds().unwrap().is_empty());
        assert!(s.add_feed(&feed("https://a.example/rss", None)).unwrap());
        assert!(s.add_feed(&feed("https://b.example/atom", Some("harbour"))).unwrap());
        // Adding again replaces the topic and says it was there.
        assert!(!s.add_feed(&feed("https://a.example/rss", Some("floods"))).unwrap());
        let feeds = s.feeds().unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0], feed("https://a.example/rss", Some("floods")));

        assert_eq!(s.feed_state("https://a.example/rss").unwrap(), FeedState::default());
        let state = FeedState {
            etag: Some("\"v1\"".into()),
            failures: 2,
            next_poll: Some(utc("2026-11-30T11:00:00Z")),
            ..FeedState::default()
        };
        s.set_feed_state("https://a.example/rss", &state).unwrap();
        assert_eq!(s.feed_state("https://a.example/rss").unwrap(), state);

        let at = utc("2026-11-30T10:05:00Z");
        assert!(!s.feed_entry_seen("https://a.example/rss", "e1").unwrap());
        assert!(s.mark_feed_entry("https://a.example/rss", "e1", at).unwrap());
        assert!(
            !s.mark_feed_entry("https://a.example/rss", "e1", at).unwrap(),
            "once only"
        );
        assert!(s.feed_entry_seen("https://a.example/rss", "e1").unwrap());
        // Entries are per feed (and a feed whose address extends another's is another feed).
        assert!(!s.feed_entry_seen("https://b.example/atom", "e1").unwrap());
        assert!(s.mark_feed_entry("https://a.example/rss2", "e1", at).unwrap());

        assert!(s.remove_feed("https://a.example/rss").unwrap());
        assert!(!s.remove_feed("https://a.example/rss").unwrap());
        assert!(
            !s.feed_entry_seen("https://a.example/rss", "e1").unwrap(),
            "entries go with the feed"
        );
        assert!(s.feed_entry_seen("https://a.example/rss2", "e1").unwrap());
        assert_eq!(s.feed_state("https://a.example/rss").unwrap(), FeedState::default());
        assert_eq!(
            s.feeds().unwrap(),
            vec![feed("https://b.example/atom", Some("harbour"))]
        );
    });
}
