//! The bot in the reader's language, against the fake Discord: Chinese users read no English
//! header, and a reply asking for a source traces the replied-to message (with the Message
//! Content intent, or a hint without it).

mod bot;
mod common;
mod fake_discord;

use bot::{start, string_option, TestBackend};
use fake_discord::{CHANNEL_ID, USER_ID};
use serde_json::json;

/// The fixed words of the English catalogue's headings (the text between placeholders, at
/// least two words long): none may reach a Chinese reader.
fn english_heading_phrases() -> Vec<String> {
    use dossier::locale::{keys, text, Locale};
    let placeholder = regex::Regex::new(r"\{[a-z_]+\}").unwrap();
    keys(Locale::En)
        .into_iter()
        .filter(|k| {
            [
                "answer.",
                "profile.",
                "timeline.",
                "count.",
                "help.",
                "citation.",
                "discord.page",
            ]
            .iter()
            .any(|p| k.starts_with(p))
        })
        .flat_map(|k| {
            placeholder
                .split(text(Locale::En, k))
                .map(|piece| piece.trim_matches(|c: char| !c.is_ascii_alphabetic()).to_string())
                .filter(|piece| piece.split_whitespace().count() >= 2)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chinese_users_see_no_english_header() {
    let bot = start(TestBackend::new(), 50).await;
    let f = &bot.fake;
    let english = english_heading_phrases();
    assert!(english.len() > 20, "{english:?}");
    let cases = [
        ("who", vec![string_option("name", "扎克伯格")]),
        ("timeline", vec![string_option("topic", "牛油果")]),
        ("timeline", vec![]),
        ("source", vec![string_option("query", "兩層安保")]),
        ("source", vec![string_option("query", "火星殖民地预算")]),
        ("ask", vec![string_option("question", "牛油果为什么推迟")]),
        ("help", vec![]),
        ("help", vec![string_option("command", "who")]),
        ("who", vec![string_option("name", "不存在的人")]),
    ];
    for locale in ["zh-CN", "zh-TW"] {
        for (i, (name, options)) in cases.iter().enumerate() {
            let cb = f
                .slash_answered(name, json!(options), CHANNEL_ID + 600 + i as u64, USER_ID, locale)
                .await;
            let embed = &cb.body["data"]["embeds"][0];
            assert!(embed.is_object(), "/{name} {locale}: {}", cb.body);
            let header = format!(
                "{}\n{}\n{}",
                embed["title"].as_str().unwrap_or(""),
                embed["description"].as_str().unwrap_or(""),
                embed["footer"]["text"].as_str().unwrap_or("")
            );
            for phrase in &english {
                assert!(
                    !header.contains(phrase.as_str()),
                    "/{name} {locale} shows “{phrase}”:\n{header}"
                );
            }
            // Each reader gets their own script's interface words.
            let other = if locale == "zh-CN" {
                ["則", "們", "時", "個"]
            } else {
                ["则", "们", "时", "个"]
            };
            let interface: String = header.replace(|c: char| !dossier::text::fold::is_cjk(c), "");
            assert!(
                !other.iter().any(|c| header.contains(c)) || interface.is_empty(),
                "/{name} {locale} mixes scripts:\n{header}"
            );
        }
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_asking_for_the_source_cites_the_replied_message() {
    // Without the Message Content intent Discord hides the replied-to text: the bot says how
    // to get the answer instead of guessing.
    let bot = start(TestBackend::new(), 50).await;
    let f = &bot.fake;
    let since = f.requests().len();
    f.reply(
        &format!("<@{}>", fake_discord::BOT_ID),
        "听说 Meta 给新团队员工配了两层安保和特殊权限工牌",
        CHANNEL_ID,
        true,
    );
    let hint = f
        .wait_for(since, "a hint about the message command", |r| {
            r.path.ends_with("/messages")
        })
        .await;
    let said = hint.body["content"].as_str().unwrap();
    assert!(
        said.contains("Message Content") && said.contains("Find source"),
        "{said}"
    );
    bot.stop().await;

    // With it, a bare mention or a cue under the message traces it.
    let bot = bot::start_configured(TestBackend::new(), None, |s| s.message_content = true).await;
    let f = &bot.fake;
    for (cue, mention) in [
        (format!("<@{}>", fake_discord::BOT_ID), true),
        ("出处？".to_string(), false),
    ] {
        let since = f.requests().len();
        let msg = f.reply(
            &cue,
            "听说 Meta 给新团队员工配了两层安保和特殊权限工牌",
            CHANNEL_ID,
            mention,
        );
        let answer = f
            .wait_for(since, "the cited source of the replied-to claim", |r| {
                r.path.ends_with("/messages")
            })
            .await;
        assert_eq!(answer.body["message_reference"]["message_id"], msg);
        let fields = answer.body["embeds"][0]["fields"].to_string().replace("**", "");
        assert!(
            fields.contains("兩層安保") || fields.contains("两层安保"),
            "{cue}: {fields}"
        );
        let title = answer.body["embeds"][0]["title"].as_str().unwrap();
        assert!(
            !title.contains("passage"),
            "a Chinese claim gets a Chinese header: {title}"
        );
    }
    // A reply that asks its own question is answered as a question, not traced.
    let since = f.requests().len();
    f.reply(
        &format!("<@{}> 豆包是什么", fake_discord::BOT_ID),
        "今天天气不错",
        CHANNEL_ID,
        true,
    );
    let answer = f
        .wait_for(since, "the answer to the reply's own question", |r| {
            r.path.ends_with("/messages")
        })
        .await;
    assert!(answer.body["embeds"][0]["fields"].to_string().contains("豆包"));
    bot.stop().await;
}
