//! The Discord bot end to end, against a fake Discord on 127.0.0.1 (tests/fake_discord):
//! the real serenity client connects through DISCORD_API_BASE, registers its commands and
//! answers injected interactions and messages.

mod bot;
mod common;
mod fake_discord;

use bot::{embed_text, start, string_option, TestBackend, TOKEN};
use dossier::state::StateStore;

use std::sync::Arc;
use std::time::Duration;

use fake_discord::{FakeDiscord, CHANNEL_ID, THREAD_ID, USER_ID};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_commands_with_localised_words() {
    let bot = start(TestBackend::new(), 5).await;
    let commands = bot.fake.registered_commands();
    assert!(bot.fake.problems().is_empty(), "{:#?}", bot.fake.problems());
    let names: Vec<&str> = commands.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        vec![
            "source",
            "who",
            "timeline",
            "ask",
            "help",
            "digest",
            "ingest",
            "feed",
            "settings",
            "Find source",
            "Who's mentioned"
        ]
    );
    let who = commands.iter().find(|c| c["name"] == "who").unwrap();
    assert_eq!(who["name_localizations"]["zh-TW"], "誰是");
    assert_eq!(who["options"][0]["autocomplete"], true);
    let put = bot.fake.requests().into_iter().find(|r| r.method == "PUT").unwrap();
    assert!(
        put.path
            .contains(&format!("/guilds/{}/commands", fake_discord::GUILD_ID)),
        "guild registration when DOSSIER_GUILD_ID is set"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_answers_with_cited_embeds() {
    let bot = start(TestBackend::new(), 50).await;
    let f = &bot.fake;
    let cases = [
        ("who", vec![string_option("name", "扎克伯格")], "41歲的扎克伯格"),
        ("timeline", vec![string_option("topic", "牛油果")], "2025-12"),
        ("source", vec![string_option("query", "兩層安保")], "兩層安保"),
        (
            "ask",
            vec![string_option("question", "豆包的日活用户有多少")],
            "超過1億",
        ),
        ("help", vec![], "/timeline"),
    ];
    for (name, options, expect) in cases {
        let cb = f
            .slash_answered(name, Value::Array(options), CHANNEL_ID + 100, USER_ID, "en-US")
            .await;
        assert_eq!(cb.status, 204, "/{name}: {:?}", cb.body);
        assert_eq!(cb.body["type"], 4, "/{name} answered directly");
        let text = embed_text(&cb.body);
        assert!(text.contains(expect), "/{name} lacks {expect}: {text}");
        if name != "help" {
            // Citations say where; the document ids (hashes, for `/source doc:`) are in the
            // footer, numbered like the excerpts, never in the citation itself.
            let footer = cb.body["data"]["embeds"][0]["footer"]["text"].as_str().unwrap_or("");
            let fields = cb.body["data"]["embeds"][0]["fields"].to_string();
            assert!(
                text.contains('¶') && footer.contains("1 00"),
                "/{name} has citations: {text}"
            );
            assert!(!fields.contains("`00"), "/{name} shows no id in citations: {fields}");
        }
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_offers_names_and_document_ids() {
    let bot = start(TestBackend::new(), 50).await;
    let f = &bot.fake;
    let since = f.requests().len();
    let id = f.autocomplete("who", "name", "alex");
    let cb = f.callback(since, &id).await;
    assert_eq!(cb.body["type"], 8);
    let choices = cb.body["data"]["choices"].as_array().unwrap();
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert_eq!(choices[0]["value"], "Alexandr Wang");
    let since = f.requests().len();
    let id = f.autocomplete("source", "query", "00");
    let cb = f.callback(since, &id).await;
    let choices = cb.body["data"]["choices"].as_array().unwrap();
    assert_eq!(choices.len(), 4);
    assert!(choices[2]["name"].as_str().unwrap().contains("143億美金"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_answers_page_with_buttons_served_from_the_channel_cache() {
    let backend = TestBackend::new();
    let bot = start(backend.clone(), 50).await;
    let f = &bot.fake;
    let channel = CHANNEL_ID + 200;
    let since = f.requests().len();
    let id = f.slash(
        "who",
        json!([string_option("name", "Alexandr Wang")]),
        channel,
        USER_ID,
        "zh-CN",
    );
    let cb = f.callback(since, &id).await;
    let first = embed_text(&cb.body);
    assert!(first.contains("第 1/") && first.contains(" 页"), "{first}");
    let row = &cb.body["data"]["components"][0]["components"];
    assert_eq!(row[0]["disabled"], true, "◀ is disabled on the first page");
    let next = row[1]["custom_id"].as_str().unwrap().to_string();

    let message = fake_discord::answer_message("1250000000000000000", channel, &cb.body);
    let since = f.requests().len();
    let press = f.button(&next, &message, channel, "zh-CN");
    let cb = f.callback(since, &press).await;
    assert_eq!(cb.body["type"], 7, "the page turns in place");
    let second = embed_text(&cb.body);
    assert!(second.contains("第 2/") && second != first, "{second}");

    // A repeated command in the same channel is served from the cache.
    let since = f.requests().len();
    let again = f.slash(
        "who",
        json!([string_option("name", "Alexandr Wang")]),
        channel,
        USER_ID,
        "zh-CN",
    );
    f.callback(since, &again).await;
    let log = backend.cached.lock().unwrap().clone();
    assert_eq!(
        log,
        vec![
            ("Alexandr Wang".to_string(), false),
            ("Alexandr Wang".to_string(), true)
        ]
    );

    // A button from another channel, or for an answer the cache no longer has, is refused politely.
    let since = f.requests().len();
    let stale = f.button("dossier:page:abcdef:1", &message, channel, "zh-CN");
    let cb = f.callback(since, &stale).await;
    assert_eq!(cb.body["type"], 4);
    assert_eq!(cb.body["data"]["flags"], 64, "ephemeral");
    assert!(cb.body["data"]["content"].as_str().unwrap().contains("过期"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_message_can_be_traced_to_its_source() {
    let bot = start(TestBackend::new(), 50).await;
    let f = &bot.fake;
    let registered = f.registered_commands();
    let find = registered
        .iter()
        .find(|c| c["name"] == "Find source")
        .expect("the message command is registered");
    assert_eq!(find["type"], 3, "a message command");
    assert_eq!(find["name_localizations"]["zh-CN"], "查找出处");
    // A colleague's claim, with chatter around it, traced from the message itself.
    let claim = format!(
        "大家好！{} 听说 Meta 花了143亿美金投资 Scale AI，是真的吗？<@{}> 谢谢！",
        "我们今天开会讨论一下。".repeat(12),
        fake_discord::USER_ID
    );
    let since = f.requests().len();
    let id = f.message_command("Find source", &claim, CHANNEL_ID + 400, "zh-CN");
    let cb = f.callback(since, &id).await;
    let text = embed_text(&cb.body);
    assert!(text.contains("143億美金") || text.contains("143亿美金"), "{text}");
    assert!(text.contains("新智元"), "cited: {text}");
    assert!(!text.contains("开会"), "the filler is not searched: {text}");

    // "Who's mentioned": the known names of a message, each with a cited description.
    let since = f.requests().len();
    let id = f.message_command(
        "Who's mentioned",
        "扎克伯格和 Alexandr Wang 今天又开会了",
        CHANNEL_ID + 400,
        "en-US",
    );
    let cb = f.callback(since, &id).await;
    let text = embed_text(&cb.body);
    assert!(text.contains("扎克伯格") && text.contains("Alexandr Wang"), "{text}");
    assert_eq!(
        cb.body["data"]["embeds"][0]["fields"].as_array().map(Vec::len),
        Some(2),
        "{text}"
    );
    assert!(text.contains('¶'), "cited: {text}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_is_recorded_once_per_user_and_can_be_changed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(dossier::state::RedbStore::open(dir.path()).unwrap());
    let bot = bot::start_with(TestBackend::new(), 50, Some(store.clone())).await;
    let f = &bot.fake;
    let channel = CHANNEL_ID + 500;
    let since = f.requests().len();
    let id = f.slash(
        "who",
        json!([string_option("name", "朱泽园")]),
        channel,
        USER_ID,
        "zh-CN",
    );
    let cb = f.callback(since, &id).await;
    let row = cb.body["data"]["components"][0]["components"]
        .as_array()
        .unwrap()
        .clone();
    let button = |label: &str| {
        row.iter()
            .find(|b| b["label"] == label)
            .and_then(|b| b["custom_id"].as_str())
            .unwrap_or_else(|| panic!("no {label} button in {row:?}"))
            .to_string()
    };
    let (up, down) = (button("👍"), button("👎"));
    let message = fake_discord::answer_message("1250000000000000002", channel, &cb.body);
    for (button, expect) in [(&up, "👍"), (&down, "👎")] {
        let since = f.requests().len();
        let press = f.button(button, &message, channel, "zh-CN");
        let ack = f.callback(since, &press).await;
        assert_eq!(ack.body["data"]["flags"], 64, "acknowledged to the voter alone");
        assert!(
            ack.body["data"]["content"].as_str().unwrap().contains(expect),
            "{}",
            ack.body
        );
    }
    let votes = store.votes().unwrap();
    assert_eq!(votes.len(), 1, "one vote per user and answer: {votes:?}");
    let v = &votes[0];
    assert!(!v.helpful, "the changed vote counts");
    assert_eq!((v.command.as_str(), v.query.as_str()), ("who", "朱泽园"));
    assert!(v.cited.iter().any(|c| c.starts_with("003")), "{:?}", v.cited);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_turn_when_the_answer_cache_keeps_nothing() {
    // The cache off, or emptied by a corpus change: the buttons still turn the pages.
    let bot = start(TestBackend::forgetful(), 50).await;
    let f = &bot.fake;
    let channel = CHANNEL_ID + 300;
    let since = f.requests().len();
    let id = f.slash(
        "who",
        json!([string_option("name", "Alexandr Wang")]),
        channel,
        USER_ID,
        "zh-TW",
    );
    let cb = f.callback(since, &id).await;
    let first = embed_text(&cb.body);
    assert!(first.contains("第 1/") && first.contains(" 頁"), "{first}");
    let row = &cb.body["data"]["components"][0]["components"];
    let next = row[1]["custom_id"]
        .as_str()
        .expect("page buttons without a cache")
        .to_string();
    let message = fake_discord::answer_message("1250000000000000001", channel, &cb.body);
    let since = f.requests().len();
    let press = f.button(&next, &message, channel, "zh-TW");
    let cb = f.callback(since, &press).await;
    assert_eq!(cb.body["type"], 7, "the page turns in place");
    assert!(embed_text(&cb.body).contains("第 2/"), "{}", embed_text(&cb.body));
    // The same button pressed in another channel finds nothing there.
    let since = f.requests().len();
    let elsewhere = f.button(&next, &message, channel + 1, "zh-TW");
    let cb = f.callback(since, &elsewhere).await;
    assert!(cb.body["data"]["content"].as_str().unwrap().contains("過期"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mentions_in_threads_are_answered_as_replies() {
    let bot = start(TestBackend::new(), 50).await;
    let f = &bot.fake;
    let since = f.requests().len();
    let msg = f.message(
        &format!("<@{}> 牛油果为什么推迟", fake_discord::BOT_ID),
        THREAD_ID,
        true,
        false,
    );
    let reply = f
        .wait_for(since, "a reply in the thread", |r| {
            r.path.ends_with(&format!("/channels/{THREAD_ID}/messages"))
        })
        .await;
    assert_eq!(reply.body["message_reference"]["message_id"], msg);
    let value = reply.body["embeds"][0]["fields"].to_string();
    assert!(value.contains("模型不夠好") || value.contains("模型不够好"), "{value}");

    // Discord's markup around the question (other pings, a role, a channel, an emoji) is not
    // searched: the passage is found as without it, and the header stays in the question's
    // language (full-width punctuation is no sign of Traditional Chinese).
    let since = f.requests().len();
    f.message(
        &format!(
            "@here <@&1234> <#{CHANNEL_ID}> <:thinking:99> <@{}> 牛油果为什么推迟？",
            fake_discord::BOT_ID
        ),
        THREAD_ID,
        true,
        false,
    );
    let reply = f
        .wait_for(since, "a reply to the question with markup", |r| {
            r.path.ends_with(&format!("/channels/{THREAD_ID}/messages"))
        })
        .await;
    let embed = reply.body["embeds"][0].to_string();
    assert!(embed.contains("模型不夠好") || embed.contains("模型不够好"), "{embed}");
    for noise in ["here", "1234", "thinking"] {
        assert!(!embed.contains(noise), "{noise} searched: {embed}");
    }

    let since = f.requests().len();
    f.message(&format!("<@{}>", fake_discord::BOT_ID), CHANNEL_ID, true, false);
    let hint = f
        .wait_for(since, "a usage hint", |r| r.path.ends_with("/messages"))
        .await;
    assert!(hint.body["content"].as_str().unwrap().contains("/who"));

    // Its own and other bots' messages, and messages without a mention, are ignored.
    let since = f.requests().len();
    f.message(
        &format!("<@{}> /who 扎克伯格", fake_discord::BOT_ID),
        CHANNEL_ID,
        true,
        true,
    );
    f.message("牛油果为什么推迟", CHANNEL_ID, false, false);
    f.message(
        &format!("<@{}> /source 豆包", fake_discord::BOT_ID),
        CHANNEL_ID,
        true,
        false,
    );
    let answered = f
        .wait_for(since, "the /source mention", |r| r.path.ends_with("/messages"))
        .await;
    assert!(answered.body["embeds"][0]["fields"].to_string().contains("豆包"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let replies = f
        .requests()
        .iter()
        .skip(since)
        .filter(|r| r.path.ends_with("/messages"))
        .count();
    assert_eq!(replies, 1, "only the human's mention is answered");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fast_users_are_asked_to_slow_down() {
    let bot = start(TestBackend::new(), 3).await;
    let f = &bot.fake;
    let mut flags = Vec::new();
    for _ in 0..4 {
        let since = f.requests().len();
        let id = f.slash(
            "source",
            json!([string_option("query", "豆包")]),
            CHANNEL_ID + 300,
            USER_ID + 7,
            "en-US",
        );
        flags.push(f.callback(since, &id).await.body["data"].clone());
    }
    assert!(flags[..3].iter().all(|d| d["embeds"].is_array()));
    assert_eq!(flags[3]["flags"], 64);
    assert!(
        flags[3]["content"]
            .as_str()
            .unwrap()
            .contains("at most 3 questions every 10 seconds"),
        "{}",
        flags[3]
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_shown_plainly_or_apologised_for() {
    let bot = start(TestBackend::new(), 50).await;
    let f = &bot.fake;
    let cb = f
        .slash_answered(
            "timeline",
            json!([string_option("from", "someday")]),
            CHANNEL_ID + 400,
            USER_ID,
            "en-US",
        )
        .await;
    assert_eq!(cb.body["data"]["flags"], 64, "user errors are ephemeral");
    // The option is named as Discord shows it, never as the CLI flag.
    let said = cb.body["data"]["content"].as_str().unwrap();
    assert!(
        said.contains("from: needs a date") && !said.contains("--from"),
        "{said}"
    );
    let cb = f
        .slash_answered(
            "timeline",
            json!([string_option("from", "2026"), string_option("to", "2025")]),
            CHANNEL_ID + 400,
            USER_ID,
            "zh-CN",
        )
        .await;
    let said = cb.body["data"]["content"].as_str().unwrap();
    assert!(
        said.contains("起始:") && said.contains("截止:") && !said.contains("--") && !said.contains("after"),
        "{said}"
    );
    let cb = f
        .slash_answered(
            "ask",
            json!([string_option("question", "boom")]),
            CHANNEL_ID + 400,
            USER_ID,
            "zh-TW",
        )
        .await;
    assert_eq!(cb.body["data"]["flags"], 64);
    let text = cb.body["data"]["content"].as_str().unwrap();
    assert!(
        text.contains("抱歉") && !text.contains("injected failure"),
        "internal details stay in the log: {text}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_answers_are_deferred_then_edited() {
    let backend = TestBackend::slow(Duration::from_millis(2000));
    let bot = start(backend, 50).await;
    let f = &bot.fake;
    let since = f.requests().len();
    let id = f.slash(
        "source",
        json!([string_option("query", "143亿美元")]),
        CHANNEL_ID + 500,
        USER_ID,
        "en-US",
    );
    let cb = f.callback(since, &id).await;
    assert_eq!(cb.body["type"], 5, "deferred within the 3-second window");
    let edit = f
        .wait_for(since, "the edited original", |r| {
            r.method == "PATCH" && r.path.ends_with("/messages/@original")
        })
        .await;
    assert_eq!(edit.status, 200);
    assert!(edit.body["embeds"][0]["fields"].to_string().contains("143"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fake_behaves_like_discord() {
    let fake = FakeDiscord::start(TOKEN).await;
    let client = reqwest_free_post(&fake.base, "/api/v10/interactions/1/x/callback", &json!({"type": 1})).await;
    assert_eq!(client.0, 404, "unknown interactions are refused");
    let too_long = json!({ "content": "x".repeat(2001) });
    assert!(fake_discord::server::check_message(&too_long).is_err());
    let pings = json!({ "content": "hi", "allowed_mentions": { "parse": ["everyone"] } });
    assert!(fake_discord::server::check_message(&pings).is_err());
    let fine = json!({ "content": "hi", "allowed_mentions": { "parse": [] } });
    assert!(fake_discord::server::check_message(&fine).is_ok());
    if fake.validates_schemas() {
        let (status, _) = reqwest_free_post(
            &fake.base,
            "/api/v10/channels/1/messages",
            &json!({ "content": 5, "tts": "yes" }),
        )
        .await;
        assert_eq!(
            status, 400,
            "bodies that do not match Discord's OpenAPI schema are refused"
        );
        assert!(fake.problems().iter().any(|p| p.contains("schema")));
    } else {
        eprintln!("note: Discord's OpenAPI spec is not available here; schema checks were skipped");
    }
}

/// A minimal HTTP POST with tokio only (the tests need no HTTP client crate).
async fn reqwest_free_post(base: &str, path: &str, body: &Value) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let b = body.to_string();
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bot {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{b}",
        b.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    let status = out.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_runs_the_shards_it_is_given() {
    let bot = bot::start_configured(TestBackend::new(), None, |s| {
        s.shards = Some(dossier::discord::Shards {
            first: 1,
            last: 1,
            total: 2,
        })
    })
    .await;
    assert_eq!(bot.fake.identified_shards(), vec![json!([1, 2])]);
    // It answers what its shard receives.
    let cb = bot
        .fake
        .slash_answered(
            "who",
            json!([string_option("name", "扎克伯格")]),
            CHANNEL_ID,
            USER_ID,
            "en-US",
        )
        .await;
    assert!(embed_text(&cb.body).contains("扎克伯格"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_turn_in_another_process_sharing_the_state_store() {
    // The answer is kept in the state store: a new process (a restart, or another shard
    // sharing PostgreSQL) turns its pages and records votes on it.
    let state = tempfile::tempdir().unwrap();
    // One store for both bots, as two processes share one PostgreSQL store (the embedded file
    // opens in one process at a time).
    let store: Arc<dyn StateStore> = Arc::new(dossier::state::RedbStore::open(state.path()).unwrap());
    let channel = CHANNEL_ID + 700;
    let (next, message) = {
        let bot = bot::start_with(TestBackend::forgetful(), 50, Some(store.clone())).await;
        let f = &bot.fake;
        let cb = f
            .slash_answered(
                "who",
                json!([string_option("name", "Alexandr Wang")]),
                channel,
                USER_ID,
                "en-US",
            )
            .await;
        let next = cb.body["data"]["components"][0]["components"][1]["custom_id"]
            .as_str()
            .unwrap()
            .to_string();
        let message = fake_discord::answer_message("1250000000000000002", channel, &cb.body);
        bot.stop().await;
        (next, message)
    };
    let bot = bot::start_with(TestBackend::forgetful(), 50, Some(store.clone())).await;
    let f = &bot.fake;
    let since = f.requests().len();
    let press = f.button(&next, &message, channel, "en-US");
    let cb = f.callback(since, &press).await;
    assert_eq!(cb.body["type"], 7, "{}", cb.body);
    assert!(embed_text(&cb.body).contains("page 2/"), "{}", embed_text(&cb.body));
    let vote = message["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|b| b["custom_id"].as_str().filter(|id| id.ends_with(":up")))
        .unwrap()
        .to_string();
    let since = f.requests().len();
    let press = f.button(&vote, &message, channel, "en-US");
    let cb = f.callback(since, &press).await;
    assert!(
        cb.body["data"]["content"].as_str().unwrap().contains("recorded"),
        "{}",
        cb.body
    );
    assert_eq!(store.votes().unwrap()[0].query, "Alexandr Wang");
    bot.stop().await;
}
