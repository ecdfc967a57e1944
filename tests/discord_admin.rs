//! Server-side commands against the fake Discord: `/digest` (subscriptions kept in the state
//! store, Manage Server required), `/settings` (a channel reading quotes in Traditional), and
//! `/ingest` (attachments added to the corpus, every refusal shown).

mod bot;
mod common;
mod fake_discord;

use std::sync::Arc;

use bot::{start_with, TestBackend};
use dossier::state::{RedbStore as Store, StateStore};
use fake_discord::{CHANNEL_ID, MEMBER_ID, USER_ID};
use serde_json::{json, Value};

fn opt(name: &str, value: &str) -> Value {
    json!({ "name": name, "type": 3, "value": value })
}

fn content(body: &Value) -> String {
    body["data"]["content"]
        .as_str()
        .or(body["content"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// An engine over a private copy of the bundled corpus (ingest writes to it).
fn private_engine() -> &'static dossier::engine::Engine {
    let corpus = tempfile::tempdir().unwrap().keep();
    for f in std::fs::read_dir(common::bundled_corpus()).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, corpus.join(f.file_name().unwrap())).unwrap();
    }
    let index = tempfile::tempdir().unwrap().keep();
    Box::leak(Box::new(common::open(&corpus, &index)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_subscriptions_need_manage_server_and_persist() {
    let state = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(state.path()).unwrap());
    let bot = start_with(TestBackend::new(), 50, Some(store.clone())).await;
    let f = &bot.fake;
    let channel = CHANNEL_ID + 700;

    let since = f.requests().len();
    let id = f.subcommand(
        "digest",
        "subscribe",
        json!([opt("timezone", "Mars/Olympus")]),
        channel,
        USER_ID,
    );
    let cb = f.callback(since, &id).await;
    assert_eq!(cb.body["data"]["flags"], 64);
    assert!(content(&cb.body).contains("IANA"), "{}", cb.body);

    let since = f.requests().len();
    let id = f.subcommand("digest", "subscribe", json!([opt("time", "08:30")]), channel, MEMBER_ID);
    let cb = f.callback(since, &id).await;
    assert!(content(&cb.body).contains("Manage Server"));
    assert!(store.subscriptions().unwrap().is_empty(), "refusals write nothing");

    let since = f.requests().len();
    let options = json!([
        // Choices are registered as integers (Monday = 0), so Discord sends the number.
        { "name": "weekday", "type": 4, "value": 4 },
        opt("time", "18:00"),
        opt("timezone", "Asia/Shanghai"),
        opt("topic", "牛油果"),
    ]);
    let id = f.subcommand("digest", "subscribe", options, channel, USER_ID);
    let cb = f.callback(since, &id).await;
    assert_ne!(
        cb.body["data"]["flags"], 64,
        "the confirmation is for the whole channel"
    );
    let text = content(&cb.body);
    assert!(
        text.contains("every Friday at 18:00 (Asia/Shanghai)") && text.contains("牛油果"),
        "{text}"
    );
    let subs = store.subscriptions().unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(
        (subs[0].weekday, subs[0].minute_of_day, subs[0].topic.as_deref()),
        (4, 18 * 60, Some("牛油果"))
    );
    assert!(
        store.last_posted(&subs[0].key()).unwrap().is_some(),
        "the slot already passed is not posted"
    );

    let since = f.requests().len();
    let id = f.subcommand("digest", "list", json!([]), channel, USER_ID);
    let cb = f.callback(since, &id).await;
    assert!(content(&cb.body).contains(&format!("<#{channel}>: Friday 18:00")));

    let since = f.requests().len();
    let id = f.subcommand("digest", "preview", json!([]), channel, USER_ID);
    let cb = f.callback(since, &id).await;
    assert_eq!(cb.body["type"], 5, "a preview is computed after deferring");
    let followup = f
        .wait_for(since, "the preview", |r| {
            r.method == "POST" && r.path.contains("/webhooks/")
        })
        .await;
    assert_eq!(followup.body["flags"], 64);
    assert!(
        followup.body["content"].as_str().unwrap_or("").contains("Quiet week") || followup.body["embeds"].is_array()
    );

    let since = f.requests().len();
    let id = f.subcommand("digest", "unsubscribe", json!([]), channel, USER_ID);
    f.callback(since, &id).await;
    assert!(store.subscriptions().unwrap().is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_can_read_quotes_in_traditional() {
    let state = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(state.path()).unwrap());
    let bot = start_with(TestBackend::new(), 50, Some(store.clone())).await;
    let f = &bot.fake;
    let channel = CHANNEL_ID + 800;
    let cb = f
        .slash_answered(
            "settings",
            json!([{ "name": "script", "type": 4, "value": 2 }]),
            channel,
            USER_ID,
            "en-US",
        )
        .await;
    assert!(content(&cb.body).contains("Traditional Chinese"), "{}", cb.body);

    // The language of scheduled digests, set by a zh-CN admin and confirmed in zh-CN; the
    // script setting is kept.
    let cb = f
        .slash_answered(
            "settings",
            json!([{ "name": "language", "type": 4, "value": 3 }]),
            channel,
            USER_ID,
            "zh-CN",
        )
        .await;
    let said = content(&cb.body);
    assert!(said.contains("已保存") && said.contains("繁体中文"), "{said}");
    let kept = store.channel_settings(&channel.to_string()).unwrap();
    assert_eq!(
        (kept.script, kept.language),
        (
            dossier::text::convert::Script::Traditional,
            Some(dossier::locale::Locale::ZhTw)
        )
    );
    // The server's preferred locale came with the interaction and is kept for digests.
    let server = store.guild_settings(&fake_discord::GUILD_ID.to_string()).unwrap();
    assert_eq!(server.locale, Some(dossier::locale::Locale::En));

    let cb = f
        .slash_answered("source", json!([opt("query", "节节败退")]), channel, USER_ID, "en-US")
        .await;
    let quote = cb.body["data"]["embeds"][0]["fields"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(quote.contains("節節敗退") || quote.contains("節節落敗"), "{quote}");
    // Other channels keep the documents' own script.
    let cb = f
        .slash_answered(
            "source",
            json!([opt("query", "节节败退")]),
            channel + 1,
            USER_ID,
            "en-US",
        )
        .await;
    assert!(cb.body["data"]["embeds"][0]["fields"][0]["value"]
        .as_str()
        .unwrap()
        .contains("节节"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_adds_attachments_and_refuses_clearly() {
    let engine = private_engine();
    let bot = start_with(TestBackend::over(engine), 50, None).await;
    let f = &bot.fake;
    let page = "<html><head><title>河豚實驗室的新聞</title></head><body><p>河豚實驗室今天發布了模型,Alexandr Wang 出席。</p></body></html>";
    let good = f.attachment("pufferfish.html", page.as_bytes());
    let evil = f.attachment("../../etc/evil.txt", "標題\n\n內容。".as_bytes());
    let binary = f.attachment("photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0");
    let files = [good.clone(), evil.clone(), binary.clone()];
    let options = json!([
        { "name": "file", "type": 11, "value": good["id"] },
        { "name": "file2", "type": 11, "value": evil["id"] },
        { "name": "file3", "type": 11, "value": binary["id"] },
    ]);
    let since = f.requests().len();
    let id = f.slash_with_attachments("ingest", options.clone(), &files, USER_ID);
    let cb = f.callback(since, &id).await;
    assert_eq!(cb.body["type"], 5, "ingest defers: downloads and indexing can be slow");
    let reply = f
        .wait_for(since, "the ingest report", |r| {
            r.method == "POST" && r.path.contains("/webhooks/")
        })
        .await;
    let text = reply.body["content"].as_str().unwrap().to_string();
    assert!(
        text.contains("✅ pufferfish.html → `pufferfish`") && text.contains("河豚實驗室的新聞"),
        "{text}"
    );
    assert!(text.contains("Alexandr Wang"), "names found are listed: {text}");
    assert!(text.contains("not allowed: it contains a path"), "{text}");
    assert!(text.contains("binary"), "{text}");
    let r = engine.answer_line("anywhere", "/source 河豚实验室");
    assert_eq!(r.items[0].citation.doc, "pufferfish", "answered at once");

    let since = f.requests().len();
    let id = f.slash_with_attachments(
        "ingest",
        json!([{ "name": "file", "type": 11, "value": good["id"] }]),
        &[good],
        MEMBER_ID,
    );
    let cb = f.callback(since, &id).await;
    assert!(content(&cb.body).contains("Manage Server"));
    bot.stop().await;
}
