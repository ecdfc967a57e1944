//! `/feed add|list|remove` through the fake Discord: a feed served on 127.0.0.1 is followed,
//! polled at once by the bot's poller, and its entry on the topic becomes a document.

mod bot;
mod common;
mod fake_discord;
mod site;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bot::start_fetching;
use dossier::state::{RedbStore, StateStore};
use fake_discord::{FakeDiscord, CHANNEL_ID, MEMBER_ID, USER_ID};
use serde_json::{json, Value};
use site::{Page, Site};

const FLOODS: &str = include_str!("site/pages/floods.html");
const HARBOUR: &str = include_str!("site/pages/harbour.html");

fn opt(name: &str, value: &str) -> Value {
    json!({ "name": name, "type": 3, "value": value })
}

/// Runs `/feed sub options…` as `user` and returns what the user was told.
async fn feed(f: &FakeDiscord, sub: &str, options: Value, user: u64) -> String {
    let since = f.requests().len();
    let id = f.subcommand("feed", sub, options, CHANNEL_ID, user);
    let cb = f.callback(since, &id).await;
    if cb.body["type"] == 5 {
        let reply = f
            .wait_for(since, "the /feed answer", |r| {
                r.method == "POST" && r.path.contains("/webhooks/")
            })
            .await;
        return reply.body["content"].as_str().unwrap_or_default().to_string();
    }
    cb.body["data"]["content"].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_added_in_discord_is_polled_and_its_entries_on_topic_are_added() {
    let site = Site::start().await;
    site.put("/news/floods", Page::html(FLOODS));
    site.put("/news/harbour", Page::html(HARBOUR));
    let rss = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Coast</title>\
         <item><title>Harbour expansion approved</title><link>{}</link></item>\
         <item><title>Rivers at decade highs</title><link>{}</link></item></channel></rss>",
        site.url("/news/harbour"),
        site.url("/news/floods")
    );
    site.put("/rss.xml", Page::typed("application/rss+xml", rss.into_bytes()));
    let engine = common::private_engine();
    let state = tempfile::tempdir().unwrap();
    let store: Arc<dyn StateStore> = Arc::new(RedbStore::open(state.path()).unwrap());
    let bot = start_fetching(engine, Some(store.clone())).await;
    let f = &bot.fake;

    let text = feed(f, "add", json!([opt("url", &site.url("/rss.xml"))]), MEMBER_ID).await;
    assert!(text.contains("Manage Server"), "{text}");
    let text = feed(f, "add", json!([opt("url", &site.url("/news/floods"))]), USER_ID).await;
    assert!(text.contains("not an RSS or Atom feed"), "{text}");
    assert!(store.feeds().unwrap().is_empty(), "a refused feed is not kept");

    let text = feed(
        f,
        "add",
        json!([opt("url", &site.url("/rss.xml")), opt("topic", "harbour")]),
        USER_ID,
    )
    .await;
    assert!(
        text.contains("Following") && text.contains("2 entries") && text.contains("harbour"),
        "{text}"
    );

    // The poller wakes for the new feed; the entry on the topic becomes searchable.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = engine.answer_line("anywhere", "/source deep-water berths rail link");
        if r.items.first().is_some_and(|i| i.citation.doc.contains("harbour")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the feed entry was not added: {:?}",
            site.hits()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(site
        .hits_of("/news/floods")
        .iter()
        .all(|h| h.headers.get("if-none-match").is_none()));
    assert_eq!(
        site.hits_of("/news/floods").len(),
        1,
        "only the check of the refused feed fetched it"
    );

    let text = feed(f, "list", json!([]), MEMBER_ID).await;
    assert!(
        text.contains(&site.url("/rss.xml")) && text.contains("harbour"),
        "{text}"
    );
    let text = feed(f, "remove", json!([opt("url", &site.url("/rss.xml"))]), USER_ID).await;
    assert!(text.contains("No longer following"), "{text}");
    assert!(store.feeds().unwrap().is_empty());
    bot.stop().await;
}
