//! `/ingest url:` and a mention "ingest <link>" through the fake Discord, with the pages served
//! by a site on 127.0.0.1.

mod bot;
mod common;
mod fake_discord;
mod site;

use bot::{start_configured, start_fetching, TestBackend};
use fake_discord::{CHANNEL_ID, USER_ID};
use serde_json::{json, Value};
use site::{Page, Site};

const FLOODS: &str = include_str!("site/pages/floods.html");
const HARBOUR: &str = include_str!("site/pages/harbour.html");

fn url_option(link: &str) -> Value {
    json!([{ "name": "url", "type": 3, "value": link }])
}

async fn reply_to_slash(f: &fake_discord::FakeDiscord, options: Value) -> (Value, String) {
    let since = f.requests().len();
    let id = f.slash("ingest", options, CHANNEL_ID, USER_ID, "en-US");
    let cb = f.callback(since, &id).await;
    if cb.body["type"] != 5 {
        let text = cb.body["data"]["content"].as_str().unwrap_or_default().to_string();
        return (cb.body, text);
    }
    let reply = f
        .wait_for(since, "the ingest report", |r| {
            r.method == "POST" && r.path.contains("/webhooks/")
        })
        .await;
    let text = reply.body["content"].as_str().unwrap_or_default().to_string();
    (cb.body, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_given_to_ingest_becomes_a_cited_document() {
    let site = Site::start().await;
    site.put("/news/floods", Page::html(FLOODS));
    let engine = common::private_engine();
    let bot = start_fetching(engine, None).await;
    let f = &bot.fake;
    let (cb, text) = reply_to_slash(f, url_option(&site.url("/news/floods"))).await;
    assert_eq!(cb["type"], 5, "fetching defers the answer");
    assert!(
        text.contains("Rivers reach decade highs after weekend storms")
            && text.contains("Valley Herald")
            && text.contains("2026-11-28")
            && text.contains("4 paragraphs"),
        "{text}"
    );
    let r = engine.answer_line("anywhere", "/source Millbrook bridge closed");
    assert!(
        r.items[0].citation.doc.starts_with("127-0-0-1"),
        "{:?}",
        r.items[0].citation
    );

    // The same link again is a duplicate.
    let (_, text) = reply_to_slash(f, url_option(&site.url("/news/floods"))).await;
    assert!(text.contains("already in the corpus"), "{text}");
    bot.stop().await;
}

/// Without the server in the bot's cache (roles, owner) a mention's author cannot be shown
/// to manage it: the mention is refused, and nothing is fetched for someone who may not add
/// documents.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_with_links_from_someone_who_cannot_manage_the_server_fetches_nothing() {
    let site = Site::start().await;
    site.put("/harbour", Page::html(HARBOUR));
    let engine = common::private_engine();
    let bot = start_fetching(engine, None).await;
    let f = &bot.fake;
    let since = f.requests().len();
    f.message(&format!("ingest <{}>", site.url("/harbour")), CHANNEL_ID, true, false);
    let reply = f
        .wait_for(since, "the refusal", |r| {
            r.method == "POST" && r.path.contains("/messages")
        })
        .await;
    let text = reply.body["content"].as_str().unwrap_or_default();
    assert!(text.contains("Manage Server") && text.contains("/ingest"), "{text}");
    assert!(
        site.hits().is_empty(),
        "a link was fetched for a user who may not add documents"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_with_links_from_the_server_s_owner_ingests_them() {
    let site = Site::start().await;
    site.put("/harbour", Page::html(HARBOUR));
    site.put("/report.pdf", Page::typed("application/pdf", b"%PDF".to_vec()));
    let engine = common::private_engine();
    let bot = start_fetching(engine, None).await;
    let f = &bot.fake;
    // On one gateway connection serenity caches each event before it reads the next, so the
    // server is known when the message arrives.
    f.guild_create(USER_ID);
    let since = f.requests().len();
    f.message(
        &format!("ingest {} <{}>", site.url("/harbour"), site.url("/report.pdf")),
        CHANNEL_ID,
        true,
        false,
    );
    let reply = f
        .wait_for(since, "the ingest report", |r| {
            r.method == "POST" && r.path.contains("/messages")
        })
        .await;
    let text = reply.body["content"].as_str().unwrap_or_default();
    assert!(
        text.contains("Harbour expansion approved") && text.contains("Coastal Times"),
        "{text}"
    );
    assert!(
        text.contains("not an HTML or text page") && text.contains("application/pdf"),
        "{text}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_addresses_and_empty_requests_are_refused_with_their_reason() {
    let site = Site::start().await;
    site.put("/news/floods", Page::html(FLOODS));
    let engine = common::private_engine();
    // Production settings: loopback is an internal address like any other.
    let bot = start_configured(TestBackend::over(engine), None, |s| s.rate_max = 50).await;
    let f = &bot.fake;
    let (_, text) = reply_to_slash(f, url_option(&site.url("/news/floods"))).await;
    assert!(text.contains("address policy") && text.contains("loopback"), "{text}");
    assert!(site.hits().is_empty(), "the internal address was reached");

    let (cb, text) = reply_to_slash(f, json!([])).await;
    assert_eq!(cb["data"]["flags"], 64, "{cb}");
    assert!(text.contains("Attach a file, or give a link"), "{text}");
    let (_, text) = reply_to_slash(f, url_option("news.example/story")).await;
    assert!(text.contains("is not a link"), "{text}");
    bot.stop().await;
}
