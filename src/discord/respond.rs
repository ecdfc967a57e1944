//! Turning engine responses into Discord messages, and sending them the way Discord expects:
//! slash commands answered within the 3-second window (deferred when the answer is slow),
//! mentions answered as replies, page buttons updating their message.
//!
//! Every message body carries an empty `allowed_mentions`, so quoted text can never ping.
//! User errors are shown plainly (ephemerally where Discord allows it); internal errors are
//! logged with their context and answered with an apology.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serenity::all::{
    ButtonStyle, CommandInteraction, ComponentInteraction, CreateActionRow, CreateAllowedMentions, CreateButton,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, Http, Message,
};

use super::pager::{Asked, Lookup};
use super::render::{self, Locale, Pages};
use super::Data;
use crate::answer::Answer;
use crate::command::{Command, Request};
use crate::engine::Failure;
use crate::engine::Response;
use crate::locale::{self, Front};
use crate::text::convert::Script;

/// An answer slower than this is deferred (the user sees "thinking…") and edited in later.
const DEFER_AFTER: Duration = Duration::from_millis(1500);

fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

/// What to show for a response.
pub enum Shown {
    /// A user error or a notice, as plain text.
    Notice(String),
    /// Something failed inside; the user gets an apology.
    Apology,
    /// The answer's pages, and the id its page buttons carry (when it has several pages).
    Answer { pages: Pages, id: Option<u64> },
}

/// The script a channel reads quotes in.
pub fn script(data: &Data, channel: &str) -> Script {
    data.store
        .as_ref()
        .and_then(|s| s.channel_settings(channel).ok())
        .map(|c| c.script)
        .unwrap_or_default()
}

/// What to show for a response in `channel`; an answer of several pages is kept in the pager
/// for its buttons.
pub fn shown(response: &Response, data: &Data, channel: &str, locale: Locale) -> Shown {
    match &response.error {
        Some(Failure::Internal) => Shown::Apology,
        Some(Failure::User(e)) => Shown::Notice(format!("⚠️ {}", locale::error_text(e, locale, Front::Discord))),
        None => {
            let Some(summary) = response.summary.clone() else {
                return Shown::Apology;
            };
            let answer = Answer {
                summary,
                items: response.items.clone(),
            };
            let pages = render::pages(&answer, locale, script(data, channel));
            let asked = Asked {
                command: response.command.clone(),
                query: response.query.clone(),
            };
            let id = Some(data.pager.keep(channel, Arc::new(answer), asked));
            Shown::Answer { pages, id }
        }
    }
}

/// ◀ ▶ for page `page` of `n` (none for a single page), and 👍 👎 on every answer.
pub fn buttons(id: Option<u64>, page: usize, n: usize) -> Vec<CreateActionRow> {
    let Some(id) = id else { return vec![] };
    let mut row = Vec::new();
    if n > 1 {
        row.push(
            CreateButton::new(render::page_button_id(id, page.saturating_sub(1)))
                .label("◀")
                .style(ButtonStyle::Secondary)
                .disabled(page == 0),
        );
        row.push(
            CreateButton::new(render::page_button_id(id, (page + 1).min(n - 1)))
                .label("▶")
                .style(ButtonStyle::Secondary)
                .disabled(page + 1 >= n),
        );
    }
    for helpful in [true, false] {
        row.push(
            CreateButton::new(render::vote_button_id(id, helpful))
                .label(if helpful { "👍" } else { "👎" })
                .style(ButtonStyle::Secondary),
        );
    }
    vec![CreateActionRow::Buttons(row)]
}

/// Records a 👍 or 👎 with what was asked and cited; acknowledged to the voter alone.
pub async fn vote_button(http: &Http, data: &Data, c: &ComponentInteraction) -> anyhow::Result<()> {
    let Some((id, helpful)) = render::parse_vote_button(&c.data.custom_id) else {
        return Ok(());
    };
    let l = Locale::from_discord(&c.locale);
    let channel = c.channel_id.to_string();
    let emoji = if helpful { "👍" } else { "👎" };
    let text = match (data.pager.get(&channel, id), &data.store) {
        (Lookup::Found(answer, asked), Some(store)) => {
            let vote = crate::state::Vote {
                answer: format!("{id:x}"),
                user: c.user.id.to_string(),
                channel: channel.clone(),
                helpful,
                command: asked.command,
                query: asked.query,
                cited: answer
                    .items
                    .iter()
                    .map(|i| format!("{} ¶{}", i.citation.doc, i.citation.paragraph))
                    .collect(),
                at: chrono::Utc::now(),
            };
            let replaced = store.record_vote(&vote)?;
            let key = if replaced {
                "discord.vote_changed"
            } else {
                "discord.vote_recorded"
            };
            locale::fill(l, key, &[("vote", emoji)])
        }
        (Lookup::Found(..), None) => locale::text(l, "discord.votes_off").to_string(),
        _ => locale::text(l, "discord.expired").to_string(),
    };
    c.create_response(http, CreateInteractionResponse::Message(notice(&text)))
        .await?;
    Ok(())
}

fn message(pages: &Pages, page: usize, id: Option<u64>) -> CreateInteractionResponseMessage {
    let page = page.min(pages.pages.len() - 1);
    CreateInteractionResponseMessage::new()
        .embed(pages.pages[page].to_serenity())
        .components(buttons(id, page, pages.pages.len()))
        .allowed_mentions(no_pings())
}

fn notice(text: &str) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .content(render::plain(text))
        .ephemeral(true)
        .allowed_mentions(no_pings())
}

fn log_internal(command: &str, channel: &str, user: u64, response: &Response) {
    tracing::error!(
        command,
        channel,
        user,
        query = %render::clip(&response.query, 100),
        "internal error answering; the cause is logged above"
    );
}

/// Refuses a user asking too fast: the text to show.
fn slow_down(data: &Data, locale: Locale, wait: Duration) -> String {
    locale::fill(
        locale,
        "discord.slow_down",
        &[
            ("n", &data.limiter.max.to_string()),
            ("s", &data.limiter.window.as_secs().to_string()),
            ("wait", &wait.as_secs_f64().ceil().max(1.0).to_string()),
        ],
    )
}

/// Answers a slash command.
pub async fn slash(http: &Http, data: &Data, interaction: &CommandInteraction, request: Request) -> anyhow::Result<()> {
    let command = request.command.name();
    interact(http, data, interaction, command, move |backend, channel| {
        backend.answer(channel, &request)
    })
    .await
}

/// Answers an application command (a slash or message command) with what `work` computes:
/// off the async threads, deferred when slow, rate limited, errors shown or apologised for.
pub async fn interact(
    http: &Http,
    data: &Data,
    interaction: &CommandInteraction,
    command: &str,
    work: impl FnOnce(&dyn super::Backend, &str) -> Response + Send + 'static,
) -> anyhow::Result<()> {
    let locale = Locale::from_discord(&interaction.locale);
    if let Err(wait) = data.limiter.check(interaction.user.id.get(), Instant::now()) {
        let text = slow_down(data, locale, wait);
        interaction
            .create_response(http, CreateInteractionResponse::Message(notice(&text)))
            .await?;
        return Ok(());
    }
    let channel = interaction.channel_id.to_string();
    let backend = data.backend.clone();
    let ch = channel.clone();
    let mut task = tokio::task::spawn_blocking(move || work(backend.as_ref(), &ch));
    let (response, deferred) = match tokio::time::timeout(DEFER_AFTER, &mut task).await {
        Ok(done) => (done?, false),
        Err(_) => {
            interaction.defer(http).await?;
            (task.await?, true)
        }
    };
    let user = interaction.user.id.get();
    let shown = shown(&response, data, &channel, locale);
    if let Shown::Apology = shown {
        log_internal(command, &channel, user, &response);
    }
    match (shown, deferred) {
        (Shown::Answer { pages, id }, false) => {
            interaction
                .create_response(http, CreateInteractionResponse::Message(message(&pages, 0, id)))
                .await?;
        }
        (Shown::Answer { pages, id }, true) => {
            let edit = EditInteractionResponse::new()
                .embed(pages.pages[0].to_serenity())
                .components(buttons(id, 0, pages.pages.len()))
                .allowed_mentions(no_pings());
            interaction.edit_response(http, edit).await?;
        }
        (other, false) => {
            let text = match other {
                Shown::Notice(t) => t,
                _ => locale::text(locale, "discord.apology").to_string(),
            };
            interaction
                .create_response(http, CreateInteractionResponse::Message(notice(&text)))
                .await?;
        }
        (other, true) => {
            // A deferred response can only be edited (and stays public): the notice replaces it.
            let text = match other {
                Shown::Notice(t) => t,
                _ => locale::text(locale, "discord.apology").to_string(),
            };
            let edit = EditInteractionResponse::new()
                .content(render::plain(&text))
                .allowed_mentions(no_pings());
            interaction.edit_response(http, edit).await?;
        }
    }
    Ok(())
}

/// Turns the page of an answer when ◀ or ▶ is pressed.
pub async fn page_button(http: &Http, data: &Data, c: &ComponentInteraction) -> anyhow::Result<()> {
    let Some((id, page)) = render::parse_page_button(&c.data.custom_id) else {
        return Ok(());
    };
    let locale = Locale::from_discord(&c.locale);
    let channel = c.channel_id.to_string();
    // The pager first; the answer cache for buttons of answers shown before it existed.
    let (answer, asked) = match data.pager.get(&channel, id) {
        Lookup::Found(answer, _) => (Some(answer), None),
        Lookup::TooOld(asked) => (None, Some(asked)),
        Lookup::Unknown => (data.backend.cached_answer(&channel, id).map(|(_, a)| a), None),
    };
    let response = match (answer, asked) {
        (Some(answer), _) => {
            let pages = render::pages(&answer, locale, script(data, &channel));
            CreateInteractionResponse::UpdateMessage(message(&pages, page, Some(id)))
        }
        (None, asked) => CreateInteractionResponse::Message(notice(&expired(locale, asked.as_ref()))),
    };
    c.create_response(http, response).await?;
    Ok(())
}

/// Why a button no longer turns pages: for an answer too old to keep, how to ask again, as
/// the reader types it; otherwise (a restart, pushed out by newer answers) that it expired.
fn expired(l: Locale, asked: Option<&Asked>) -> String {
    let Some(asked) = asked.filter(|a| !a.query.trim().is_empty()) else {
        return locale::text(l, "discord.expired").to_string();
    };
    let query = render::clip(asked.query.trim(), 200).replace('`', "'");
    let again = match Command::from_name(&asked.command) {
        Some(c) => format!("`{} {query}`", locale::command(l, Front::Discord, c)),
        None => format!("`{query}`"),
    };
    locale::fill(l, "discord.expired_rerun", &[("command", &again)])
}

/// Discord's markup in a message: user, role and channel mentions (the bot's own included),
/// `@everyone` and `@here`, custom emoji, timestamps and command mentions. None of it is words
/// to search for.
static MARKUP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|t:-?\d+(?::[tTdDfFR])?|/[\w -]+:\d+)>|@(?:everyone|here)\b")
        .unwrap()
});

/// The words of a message, without Discord's markup (see [`MARKUP`]).
pub fn question_text(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut last = 0;
    for m in MARKUP.find_iter(content) {
        // `@here` inside `team@here.com` is an address, not a ping.
        let glued = m.as_str().starts_with('@')
            && content[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        if !glued {
            out.push_str(&content[last..m.start()]);
            out.push(' ');
            last = m.end();
        }
    }
    out.push_str(&content[last..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a reply's words only ask where the replied-to message comes from ("source?",
/// "出处？"; the cues are in `commands/menu/find_source.toml`).
pub fn is_source_cue(text: &str) -> bool {
    let said = text
        .trim()
        .trim_end_matches(|c: char| c.is_whitespace() || "?？!！.。:：~～".contains(c))
        .to_lowercase();
    !said.is_empty()
        && crate::command::Menu::FindSource
            .text()
            .cues
            .values()
            .flatten()
            .any(|cue| cue.to_lowercase() == said)
}

/// What a reply asking for a source can trace.
enum Traced {
    /// The replied-to message's words.
    Claim(String),
    /// Discord hid them: the bot lacks the Message Content intent.
    Hidden,
    /// The message has no words (an image, an embed).
    Empty,
}

/// A mention or cue replying to another's message with no question of its own, or with a
/// source cue, asks where that message comes from.
fn traced(data: &Data, msg: &Message, text: &str) -> Option<Traced> {
    let replied = msg.referenced_message.as_deref()?;
    if replied.author.bot || !(text.is_empty() || is_source_cue(text)) {
        return None;
    }
    let claim = question_text(&replied.content);
    Some(if !claim.is_empty() {
        Traced::Claim(claim)
    } else if data.message_content || !replied.attachments.is_empty() || !replied.embeds.is_empty() {
        Traced::Empty
    } else {
        Traced::Hidden
    })
}

/// What to ask after a bare mention: a question, or one of the commands (named as the
/// reader's client shows them).
fn mention_hint(l: Locale) -> String {
    let commands: Vec<String> = [Command::Who, Command::Timeline, Command::Source, Command::Help]
        .into_iter()
        .map(|c| format!("`{}`", locale::command(l, Front::Discord, c)))
        .collect();
    locale::fill(l, "discord.mention_hint", &[("commands", &locale::list(l, &commands))])
}

/// Answers a message that mentions the bot, as a reply in the same channel or thread.
pub async fn mention(http: &Http, data: &Arc<Data>, msg: &Message) -> anyhow::Result<()> {
    let text = question_text(&msg.content);
    let traced = traced(data, msg, &text);
    // A bare mention under a message reads in that message's language; words, in theirs.
    let locale = match (&traced, text.is_empty()) {
        (Some(Traced::Claim(claim)), true) => Locale::from_text(claim),
        _ => Locale::from_text(&text),
    };
    let reply = |content: String| {
        CreateMessage::new()
            .content(render::plain(&content))
            .reference_message(msg)
            .allowed_mentions(no_pings())
    };
    if let Err(wait) = data.limiter.check(msg.author.id.get(), Instant::now()) {
        msg.channel_id
            .send_message(http, reply(slow_down(data, locale, wait)))
            .await?;
        return Ok(());
    }
    let hint = match &traced {
        Some(Traced::Hidden) => Some(locale::fill(
            locale,
            "discord.reply_cue_hint",
            &[("command", &locale::menu(locale, crate::command::Menu::FindSource))],
        )),
        Some(Traced::Empty) => Some(locale::text(locale, "discord.reply_cue_empty").to_string()),
        Some(Traced::Claim(_)) => None,
        None if text.is_empty() => Some(mention_hint(locale)),
        None => None,
    };
    if let Some(hint) = hint {
        msg.channel_id.send_message(http, reply(hint)).await?;
        return Ok(());
    }
    let channel = msg.channel_id.to_string();
    let backend = data.backend.clone();
    let ch = channel.clone();
    let response = match traced {
        // The replied-to message's claim, traced as "Find source" traces it.
        Some(Traced::Claim(claim)) => {
            tokio::task::spawn_blocking(move || {
                let query = backend.claim_query(&claim);
                backend.answer(&ch, &Request::new(Command::Ask, query))
            })
            .await?
        }
        _ => tokio::task::spawn_blocking(move || backend.answer_line(&ch, &text)).await?,
    };
    let out = match shown(&response, data, &channel, locale) {
        Shown::Answer { pages, id } => CreateMessage::new()
            .embed(pages.pages[0].to_serenity())
            .components(buttons(id, 0, pages.pages.len()))
            .reference_message(msg)
            .allowed_mentions(no_pings()),
        Shown::Notice(t) => reply(t),
        Shown::Apology => {
            log_internal(&response.command, &channel, msg.author.id.get(), &response);
            reply(locale::text(locale, "discord.apology").to_string())
        }
    };
    msg.channel_id.send_message(http, out).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expired_pager_says_how_to_ask_again_in_the_readers_terms() {
        let asked = Asked {
            command: "who".into(),
            query: "扎克伯格".into(),
        };
        let zh = expired(Locale::ZhTw, Some(&asked));
        assert!(zh.contains("`/誰是 扎克伯格`") && zh.contains("一週"), "{zh}");
        let en = expired(Locale::En, Some(&asked));
        assert!(en.contains("`/who 扎克伯格`"), "{en}");
        assert_eq!(expired(Locale::En, None), locale::text(Locale::En, "discord.expired"));
    }

    #[test]
    fn source_cues_are_short_replies_in_any_of_the_languages() {
        for cue in [
            "source?",
            "Source",
            "出处？",
            "來源",
            "来源。",
            "where is this from?",
            " 出處呢 ",
        ] {
            assert!(is_source_cue(cue), "{cue}");
        }
        for not in [
            "",
            "?",
            "source of the budget?",
            "出处在第几段的文件里说了什么",
            "open source",
        ] {
            assert!(!is_source_cue(not), "{not}");
        }
    }

    #[test]
    fn discord_markup_never_reaches_the_search() {
        assert_eq!(question_text("<@42> 牛油果为什么推迟"), "牛油果为什么推迟");
        assert_eq!(question_text("hey <@!42>   /who 扎克伯格 "), "hey /who 扎克伯格");
        assert_eq!(question_text("<@42>"), "");
        assert_eq!(question_text("@here <@&1234> 谁负责TBD Lab？"), "谁负责TBD Lab？");
        assert_eq!(
            question_text("<#99> <:party:123456> <a:dance:77> since <t:1700000000:R> @everyone Avocado"),
            "since Avocado"
        );
        assert_eq!(question_text("</who:111> Nat Friedman <@43>"), "Nat Friedman");
        // Text that only looks like markup stays: an e-mail address, a comparison.
        assert_eq!(question_text("mail team@here.com if x<5"), "mail team@here.com if x<5");
    }
}
