//! Feeds against a site on 127.0.0.1: RSS and Atom feeds whose entries appear between polls,
//! conditional requests (304), a topic filter, backoff on errors, a document that is not a
//! feed; then `dossier feed …` and the digest of a period that includes feed entries.

mod common;
mod site;

use std::sync::Arc;
use std::time::Duration;

use dossier::feed::{Outcome, PollConfig, Poller};
use dossier::fetch::{FetchConfig, FetchError, Fetcher};
use dossier::state::{Feed, FeedStore, RedbStore, StateStore};
use site::{Page, Site};

const FLOODS: &str = include_str!("site/pages/floods.html");
const HARBOUR: &str = include_str!("site/pages/harbour.html");

/// An article page of its own (no date: the digest dates it by when it was added).
fn article(title: &str, sentence: &str) -> String {
    let paragraphs: String = (1..=3)
        .map(|n| format!("<p>{sentence} This is paragraph {n} of the report on {title}.</p>"))
        .collect();
    format!("<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>")
}

fn rss(site: &Site, items: &[(&str, &str)]) -> Vec<u8> {
    let items: String = items
        .iter()
        .map(|(title, path)| {
            format!(
                "<item><title>{title}</title><link>{}</link><guid>{path}</guid></item>",
                site.url(path)
            )
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local news</title>{items}</channel></rss>")
        .into_bytes()
}

fn atom(items: &[(&str, &str, &str)]) -> Vec<u8> {
    let entries: String = items
        .iter()
        .map(|(title, summary, path)| {
            format!(
                "<entry><title>{title}</title><id>urn:x{path}</id><updated>2026-11-28T09:00:00Z</updated>\
                 <link rel=\"alternate\" href=\"{path}\"/><summary>{summary}</summary></entry>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Wire</title>\
         <id>urn:wire</id><updated>2026-11-28T09:00:00Z</updated>{entries}</feed>"
    )
    .into_bytes()
}

struct Setup {
    poller: Poller,
    store: Arc<RedbStore>,
    _dirs: Vec<tempfile::TempDir>,
}

fn setup() -> Setup {
    let (corpus, index, state) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    common::write(
        corpus.path(),
        "seed.txt",
        "The council met on Tuesday to discuss the budget for the coming year.",
    );
    let engine = Arc::new(common::open(corpus.path(), index.path()));
    let store = Arc::new(RedbStore::open(state.path()).unwrap());
    engine.attach_store(store.clone()).unwrap();
    let fetcher = Fetcher::new(FetchConfig {
        allow_loopback: true,
        host_interval: Duration::ZERO,
        timeout: Duration::from_secs(5),
        ..FetchConfig::default()
    })
    .unwrap();
    Setup {
        poller: Poller {
            store: store.clone(),
            fetcher: Arc::new(fetcher),
            target: engine,
            config: PollConfig {
                interval: Duration::from_secs(600),
                max_entries: 20,
            },
        },
        store,
        _dirs: vec![corpus, index, state],
    }
}

fn follow(store: &dyn StateStore, url: &str, topic: Option<&str>) -> Feed {
    let feed = Feed {
        url: url.into(),
        topic: topic.map(str::to_string),
        added_by: "test".into(),
        guild: None,
        added_at: chrono::Utc::now(),
    };
    store.add_feed(&feed).unwrap();
    feed
}

fn added_titles(outcome: &Outcome) -> Vec<String> {
    match outcome {
        Outcome::Polled { added, .. } => added.iter().map(|d| d.title.clone()).collect(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_rss_feed_brings_new_entries_at_each_poll_and_costs_a_304_when_unchanged() {
    let site = Site::start().await;
    site.put("/news/floods", Page::html(FLOODS));
    site.put("/news/harbour", Page::html(HARBOUR));
    site.put(
        "/news/bridge",
        Page::html(&article(
            "Bridge reopens to traffic",
            "The Millbrook bridge reopened on Sunday.",
        )),
    );
    let feed_page = |items: &[(&str, &str)], etag: &str| Page {
        etag: Some(etag.into()),
        ..Page::typed("application/rss+xml", rss(&site, items))
    };
    site.put(
        "/feed.xml",
        feed_page(&[("Floods", "/news/floods"), ("Harbour", "/news/harbour")], "\"1\""),
    );
    let s = setup();
    let feed = follow(s.store.as_ref(), &site.url("/feed.xml"), None);

    let first = s.poller.poll(&feed).await.unwrap();
    let mut titles = added_titles(&first.outcome);
    titles.sort();
    assert_eq!(
        titles,
        [
            "Harbour expansion approved after long review",
            "Rivers reach decade highs after weekend storms"
        ]
    );

    // A new entry appears between polls.
    site.put(
        "/feed.xml",
        feed_page(
            &[
                ("Bridge", "/news/bridge"),
                ("Floods", "/news/floods"),
                ("Harbour", "/news/harbour"),
            ],
            "\"2\"",
        ),
    );
    let second = s.poller.poll(&feed).await.unwrap();
    assert_eq!(added_titles(&second.outcome), ["Bridge reopens to traffic"]);
    assert_eq!(
        site.hits_of("/news/floods").len(),
        1,
        "an entry seen before is not fetched again"
    );

    let third = s.poller.poll(&feed).await.unwrap();
    assert!(matches!(third.outcome, Outcome::NotModified), "{:?}", third.outcome);
    assert_eq!(site.hits_of("/feed.xml")[2].headers["if-none-match"], "\"2\"");
    let state = s.store.feed_state(&feed.url).unwrap();
    assert_eq!((state.failures, state.etag.as_deref()), (0, Some("\"2\"")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_atom_feed_with_a_topic_takes_only_entries_about_it() {
    let site = Site::start().await;
    site.put("/a/floods", Page::html(FLOODS));
    site.put("/a/harbour", Page::html(HARBOUR));
    site.put(
        "/atom",
        Page::typed(
            "application/atom+xml",
            atom(&[
                ("Rivers at decade highs", "Storms in the valleys", "/a/floods"),
                ("Port news", "The harbour expansion is approved", "/a/harbour"),
            ]),
        ),
    );
    let s = setup();
    let feed = follow(s.store.as_ref(), &site.url("/atom"), Some("Harbour"));
    let report = s.poller.poll(&feed).await.unwrap();
    assert_eq!(
        added_titles(&report.outcome),
        ["Harbour expansion approved after long review"]
    );
    match &report.outcome {
        Outcome::Polled { off_topic, .. } => assert_eq!(*off_topic, 1),
        other => panic!("{other:?}"),
    }
    assert!(
        site.hits_of("/a/floods").is_empty(),
        "an off-topic entry is not fetched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_feed_waits_longer_after_each_failure_and_a_page_is_not_a_feed() {
    let site = Site::start().await;
    site.put("/broken.xml", Page::status(503));
    site.put("/page", Page::html(FLOODS));
    let s = setup();
    let broken = follow(s.store.as_ref(), &site.url("/broken.xml"), None);
    let interval = chrono::Duration::seconds(600);
    for failures in 1..=3u32 {
        let before = chrono::Utc::now();
        let report = s.poller.poll(&broken).await.unwrap();
        assert!(
            matches!(report.outcome, Outcome::Failed(FetchError::Status { status: 503, .. })),
            "{:?}",
            report.outcome
        );
        let state = s.store.feed_state(&broken.url).unwrap();
        assert_eq!(state.failures, failures);
        let wait = state.next_poll.unwrap() - before;
        let expected = interval * 2i32.pow(failures);
        assert!(
            wait >= expected && wait < expected + chrono::Duration::seconds(5),
            "{failures}: {wait}"
        );
    }
    // Not due: a pass over due feeds leaves it alone.
    let polled = s.poller.poll_all(true).await.unwrap();
    assert!(polled.is_empty(), "{polled:?}");
    assert_eq!(site.hits_of("/broken.xml").len(), 3);

    let page = follow(s.store.as_ref(), &site.url("/page"), None);
    match s.poller.poll(&page).await.unwrap().outcome {
        Outcome::Failed(e @ FetchError::NotFeed { .. }) => {
            assert!(e.to_string().contains("not an RSS or Atom feed"), "{e}")
        }
        other => panic!("{other:?}"),
    }
}

fn dossier(dirs: &[&std::path::Path; 3], args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--corpus", dirs[0].to_str().unwrap()])
        .args(["--index", dirs[1].to_str().unwrap()])
        .args(["--state", dirs[2].to_str().unwrap()])
        .args(["--data", common::repo().join("data").to_str().unwrap()])
        .args(["--lang", "en"])
        .args(args)
        .env("DOSSIER_FETCH_ALLOW_LOOPBACK", "true")
        .env("DOSSIER_FETCH_HOST_INTERVAL_MS", "0")
        .output()
        .unwrap()
}

#[test]
fn the_cli_follows_a_feed_polls_it_and_the_digest_covers_what_it_brought() {
    let site = Site::start_in_background();
    site.put("/news/floods", Page::html(FLOODS));
    site.put("/news/harbour", Page::html(HARBOUR));
    site.put(
        "/feed.xml",
        Page::typed("application/rss+xml", rss(&site, &[("Floods", "/news/floods")])),
    );
    let (corpus, index, state) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    common::write(
        corpus.path(),
        "seed.txt",
        "The council met on Tuesday to discuss the budget for the coming year.",
    );
    let dirs = [corpus.path(), index.path(), state.path()];
    let text = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };

    let refused = dossier(&dirs, &["feed", "add", &site.url("/news/floods")]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("not an RSS or Atom feed"), "{}", text(&refused));

    let added = dossier(&dirs, &["feed", "add", &site.url("/feed.xml")]);
    assert!(
        added.status.success() && text(&added).contains("1 entries now"),
        "{}",
        text(&added)
    );
    let listed = dossier(&dirs, &["feed", "list"]);
    assert!(
        text(&listed).contains(&site.url("/feed.xml")) && text(&listed).contains("never polled"),
        "{}",
        text(&listed)
    );

    let polled = dossier(&dirs, &["feed", "poll"]);
    assert!(
        polled.status.success() && text(&polled).contains("1 added"),
        "{}",
        text(&polled)
    );
    // The next entry appears; the next pass takes it alone.
    site.put(
        "/feed.xml",
        Page::typed(
            "application/rss+xml",
            rss(&site, &[("Harbour", "/news/harbour"), ("Floods", "/news/floods")]),
        ),
    );
    let polled = dossier(&dirs, &["feed", "poll"]);
    assert!(
        text(&polled).contains("1 added") && text(&polled).contains("Harbour expansion"),
        "{}",
        text(&polled)
    );

    // The week of 23–29 November 2026 includes both pages' dates.
    let digest = dossier(
        &dirs,
        &["digest", "--since", "2026-11-23", "--until", "2026-11-29", "--json"],
    );
    let json = text(&digest);
    assert!(
        json.contains("Rivers reach decade highs") && json.contains("Harbour expansion approved"),
        "{json}"
    );
    let earlier = dossier(
        &dirs,
        &["digest", "--since", "2026-11-01", "--until", "2026-11-07", "--json"],
    );
    assert!(
        !text(&earlier).contains("Harbour expansion approved"),
        "{}",
        text(&earlier)
    );

    let removed = dossier(&dirs, &["feed", "remove", &site.url("/feed.xml")]);
    assert!(removed.status.success(), "{}", text(&removed));
    assert!(text(&dossier(&dirs, &["feed", "list"])).contains("no feeds followed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_whose_page_fails_for_now_is_tried_again_and_one_refused_for_good_is_not() {
    let site = Site::start().await;
    site.put("/news/harbour", Page::status(503));
    site.put("/news/photo", Page::typed("image/jpeg", vec![0xff, 0xd8, 0xff]));
    site.put(
        "/feed.xml",
        Page::typed(
            "application/rss+xml",
            rss(&site, &[("Harbour", "/news/harbour"), ("Photo", "/news/photo")]),
        ),
    );
    let s = setup();
    let feed = follow(s.store.as_ref(), &site.url("/feed.xml"), None);
    match s.poller.poll(&feed).await.unwrap().outcome {
        Outcome::Polled { added, refused, .. } => assert!(added.is_empty() && refused.len() == 2, "{refused:?}"),
        other => panic!("{other:?}"),
    }
    // The server is back: the harbour page is added; the photo is not asked for again.
    site.put("/news/harbour", Page::html(HARBOUR));
    let second = s.poller.poll(&feed).await.unwrap();
    assert_eq!(
        added_titles(&second.outcome),
        ["Harbour expansion approved after long review"]
    );
    assert_eq!(site.hits_of("/news/photo").len(), 1);
    assert_eq!(site.hits_of("/news/harbour").len(), 2);
}
