//! `/digest` and the poster the scheduler uses to put digests in channels.
//!
//! A digest is rendered like any answer (one embed per page, every line cited) and sent as
//! one or more messages that each stay within Discord's 6000-character, 10-embed limit.
//! Every message carries a nonce derived from the subscription and period, with
//! `enforce_nonce`, so Discord itself refuses a duplicate if the bot restarts mid-post.

use std::sync::Arc;

use anyhow::Result;
use chrono::{Duration, Utc};
use poise::serenity_prelude as serenity;

use super::render::{self, Embed, Locale, EMBED_TOTAL_MAX};
use super::{respond, Context, Data, Error};
use crate::digest::schedule::{self, Poster};
use crate::digest::Digest;
use crate::locale::{fill, Front};
use crate::state::{StateStore, Subscription};
use crate::text::convert::Script;

/// Discord messages for a digest: embeds packed into messages within the limits (the
/// message's description only on the first page), or one line for a quiet week.
pub fn digest_messages(digest: &Digest, locale: Locale, script: Script) -> Vec<(Option<String>, Vec<Embed>)> {
    let answer = digest.to_answer();
    if digest.is_quiet() {
        let line = crate::locale::heading(&answer.summary, locale, Front::Discord).title;
        return vec![(Some(render::plain(&line)), vec![])];
    }
    let mut pages = render::pages(&answer, locale, script).pages;
    for p in pages.iter_mut().skip(1) {
        p.description = None;
    }
    let mut messages: Vec<(Option<String>, Vec<Embed>)> = Vec::new();
    let mut current: Vec<Embed> = Vec::new();
    for page in pages {
        let size: usize = current.iter().map(Embed::size).sum();
        if !current.is_empty() && (current.len() >= 10 || size + page.size() > EMBED_TOTAL_MAX) {
            messages.push((None, std::mem::take(&mut current)));
        }
        current.push(page);
    }
    messages.push((None, current));
    messages
}

/// Posts digests through Discord's HTTP API.
pub struct DiscordPoster {
    pub http: Arc<serenity::Http>,
    /// Where channel and server settings are read (language and script of the post).
    pub store: Option<Arc<dyn StateStore>>,
}

impl DiscordPoster {
    /// The language and script a subscription's channel reads digests in: its own language
    /// setting, else the server's preferred locale, else English.
    fn reading(&self, sub: &Subscription) -> (Locale, Script) {
        let Some(store) = &self.store else {
            return (Locale::En, Script::Original);
        };
        let channel = store.channel_settings(&sub.channel).unwrap_or_default();
        let server = store.guild_settings(&sub.guild).unwrap_or_default();
        (channel.language.or(server.locale).unwrap_or_default(), channel.script)
    }
}

impl Poster for DiscordPoster {
    async fn post(&self, sub: &Subscription, digest: &Digest, nonce: &str) -> Result<()> {
        let channel = serenity::ChannelId::new(sub.channel.parse()?);
        let (locale, script) = self.reading(sub);
        for (i, (content, embeds)) in digest_messages(digest, locale, script).into_iter().enumerate() {
            let nonce = if i == 0 {
                nonce.to_string()
            } else {
                format!("{nonce}-{i}")
            };
            let mut message = serenity::CreateMessage::new()
                .embeds(embeds.iter().map(Embed::to_serenity).collect())
                .nonce(serenity::Nonce::String(nonce))
                .enforce_nonce(true)
                .allowed_mentions(serenity::CreateAllowedMentions::new());
            if let Some(c) = content {
                message = message.content(c);
            }
            channel.send_message(&self.http, message).await?;
        }
        Ok(())
    }
}

/// The guild and channel of a command, and whether its user may manage the server.
fn place(ctx: Context<'_>) -> Option<(String, String, bool)> {
    let poise::Context::Application(app) = ctx else {
        return None;
    };
    let i = app.interaction;
    let guild = i.guild_id?.to_string();
    Some((guild, i.channel_id.to_string(), may_manage(i)))
}

/// Whether the user of a command may manage the server (Discord's resolved permissions).
pub(super) fn may_manage(i: &serenity::CommandInteraction) -> bool {
    i.member
        .as_ref()
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild())
}

pub(super) fn locale(ctx: Context<'_>) -> Locale {
    match ctx {
        poise::Context::Application(a) => Locale::from_discord(&a.interaction.locale),
        poise::Context::Prefix(_) => Locale::En,
    }
}

/// The catalogue's words for `key` in the user's language.
pub(super) fn says(ctx: Context<'_>, key: &str) -> String {
    crate::locale::text(locale(ctx), key).to_string()
}

/// Keeps the server's preferred locale (Discord sends it with every interaction in a server)
/// so scheduled digests can speak it.
pub(super) fn remember_server_locale(ctx: Context<'_>, store: &dyn StateStore, guild: &str) -> Result<()> {
    let poise::Context::Application(app) = ctx else {
        return Ok(());
    };
    let Some(locale) = app.interaction.guild_locale.as_deref().map(Locale::from_discord) else {
        return Ok(());
    };
    let mut settings = store.guild_settings(guild)?;
    if settings.locale != Some(locale) {
        settings.locale = Some(locale);
        store.set_guild_settings(guild, &settings)?;
    }
    Ok(())
}

/// A plain, ephemeral reply.
pub(super) async fn notice(ctx: Context<'_>, text: impl Into<String>) -> Result<(), Error> {
    let reply = poise::CreateReply::default()
        .content(render::plain(&text.into()))
        .ephemeral(true)
        .allowed_mentions(serenity::CreateAllowedMentions::new());
    ctx.send(reply).await?;
    Ok(())
}

async fn public(ctx: Context<'_>, text: impl Into<String>) -> Result<(), Error> {
    let reply = poise::CreateReply::default()
        .content(render::plain(&text.into()))
        .allowed_mentions(serenity::CreateAllowedMentions::new());
    ctx.send(reply).await?;
    Ok(())
}

pub(super) const NEEDS_MANAGER: &str = "settings.needs_manager";
pub(super) const NEEDS_SERVER: &str = "settings.needs_server";
pub(super) const NO_STATE: &str = "settings.no_state";

#[derive(Debug, poise::ChoiceParameter)]
pub enum WeekdayChoice {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

pub(super) async fn autocomplete_timezone(_ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let p = partial.trim().to_lowercase();
    let choices = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|n| p.is_empty() || n.to_lowercase().contains(&p))
        .take(25)
        .map(|n| serenity::AutocompleteChoice::new(n, n))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

async fn autocomplete_topic(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let choices = ctx
        .data()
        .backend
        .name_choices(partial)
        .into_iter()
        .map(|(label, value)| serenity::AutocompleteChoice::new(render::clip(&label, 100), render::clip(&value, 100)))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

#[poise::command(
    slash_command,
    guild_only,
    subcommands("subscribe", "unsubscribe", "list", "preview"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn digest(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

#[poise::command(slash_command, guild_only)]
pub async fn subscribe(
    ctx: Context<'_>,
    weekday: Option<WeekdayChoice>,
    time: Option<String>,
    #[autocomplete = "autocomplete_timezone"] timezone: Option<String>,
    #[autocomplete = "autocomplete_topic"] topic: Option<String>,
) -> Result<(), Error> {
    let Some((guild, channel, manager)) = place(ctx) else {
        return notice(ctx, says(ctx, NEEDS_SERVER)).await;
    };
    if !manager {
        return notice(ctx, says(ctx, NEEDS_MANAGER)).await;
    }
    let data: &Data = ctx.data();
    let Some(store) = &data.store else {
        return notice(ctx, says(ctx, NO_STATE)).await;
    };
    let minute_of_day = match schedule::parse_time(time.as_deref().unwrap_or("09:00")) {
        Ok(m) => m,
        Err(_) => {
            let value = time.as_deref().unwrap_or_default();
            return notice(
                ctx,
                format!("⚠️ {}", fill(locale(ctx), "settings.bad_time", &[("value", value)])),
            )
            .await;
        }
    };
    let timezone = match timezone.or(store.guild_settings(&guild)?.timezone) {
        Some(tz) => match schedule::parse_timezone(&tz) {
            Ok(tz) => tz.name().to_string(),
            Err(_) => {
                let text = fill(locale(ctx), "settings.bad_timezone", &[("value", &tz)]);
                return notice(ctx, format!("⚠️ {text}")).await;
            }
        },
        None => "UTC".to_string(),
    };
    let sub = Subscription {
        guild,
        channel,
        weekday: weekday.map_or(0, |w| w as u8),
        minute_of_day,
        timezone,
        topic: topic.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
        created_by: ctx.author().id.to_string(),
    };
    let now = Utc::now();
    remember_server_locale(ctx, store.as_ref(), &sub.guild)?;
    store.subscribe(&sub)?;
    // The slot that already passed is not this subscription's to post.
    store.mark_posted(&sub.key(), schedule::latest_slot(&sub, now)?)?;
    data.schedule_changed.notify_one();
    let next = schedule::next_slot(&sub, now)?;
    let tz = schedule::parse_timezone(&sub.timezone).unwrap_or(chrono_tz::Tz::UTC);
    let l = locale(ctx);
    let about = sub
        .topic
        .as_deref()
        .map(|t| fill(l, "digest.about", &[("topic", t)]))
        .unwrap_or_default();
    let text = fill(
        l,
        "settings.subscribed",
        &[
            ("about", &about),
            (
                "weekday",
                crate::locale::text(l, &format!("weekday.{}", sub.weekday.min(6))),
            ),
            (
                "time",
                &format!("{:02}:{:02}", sub.minute_of_day / 60, sub.minute_of_day % 60),
            ),
            ("timezone", &sub.timezone),
            ("next", &next.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()),
        ],
    );
    public(ctx, text).await
}

#[poise::command(slash_command, guild_only)]
pub async fn unsubscribe(ctx: Context<'_>) -> Result<(), Error> {
    let Some((guild, channel, manager)) = place(ctx) else {
        return notice(ctx, says(ctx, NEEDS_SERVER)).await;
    };
    if !manager {
        return notice(ctx, says(ctx, NEEDS_MANAGER)).await;
    }
    let Some(store) = &ctx.data().store else {
        return notice(ctx, says(ctx, NO_STATE)).await;
    };
    if store.unsubscribe(&guild, &channel)? {
        ctx.data().schedule_changed.notify_one();
        public(ctx, says(ctx, "settings.unsubscribed")).await
    } else {
        notice(ctx, says(ctx, "settings.not_subscribed")).await
    }
}

#[poise::command(slash_command, guild_only)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let Some((guild, _, _)) = place(ctx) else {
        return notice(ctx, says(ctx, NEEDS_SERVER)).await;
    };
    let Some(store) = &ctx.data().store else {
        return notice(ctx, says(ctx, NO_STATE)).await;
    };
    let subs: Vec<Subscription> = store
        .subscriptions()?
        .into_iter()
        .filter(|s| s.guild == guild)
        .collect();
    if subs.is_empty() {
        let l = locale(ctx);
        let digest = crate::command::Command::Digest;
        let subscribe = digest
            .text()
            .subcommands
            .iter()
            .find(|s| s.name == "subscribe")
            .map_or("subscribe", |s| {
                s.localizations
                    .get(l.code())
                    .and_then(|x| x.name.as_deref())
                    .unwrap_or(&s.name)
            });
        let command = format!("`{} {subscribe}`", crate::locale::command(l, Front::Discord, digest));
        return notice(
            ctx,
            fill(locale(ctx), "settings.no_subscriptions", &[("command", &command)]),
        )
        .await;
    }
    let l = locale(ctx);
    let mut lines = vec![says(ctx, "settings.subscriptions")];
    lines.extend(subs.iter().map(|s| {
        let about = s
            .topic
            .as_deref()
            .map(|t| fill(l, "settings.subscription_about", &[("topic", t)]))
            .unwrap_or_default();
        fill(
            l,
            "settings.subscription",
            &[
                ("channel", &format!("<#{}>", s.channel)),
                (
                    "weekday",
                    crate::locale::text(l, &format!("weekday.{}", s.weekday.min(6))),
                ),
                (
                    "time",
                    &format!("{:02}:{:02}", s.minute_of_day / 60, s.minute_of_day % 60),
                ),
                ("timezone", &s.timezone),
                ("about", &about),
            ],
        )
    }));
    notice(ctx, lines.join("\n")).await
}

#[poise::command(slash_command, guild_only)]
pub async fn preview(
    ctx: Context<'_>,
    #[autocomplete = "autocomplete_topic"] topic: Option<String>,
) -> Result<(), Error> {
    let Some((guild, channel, _)) = place(ctx) else {
        return notice(ctx, says(ctx, NEEDS_SERVER)).await;
    };
    ctx.defer_ephemeral().await?;
    let data: &Data = ctx.data();
    let tz = data
        .store
        .as_ref()
        .and_then(|s| s.guild_settings(&guild).ok())
        .and_then(|g| g.timezone)
        .and_then(|t| schedule::parse_timezone(&t).ok())
        .unwrap_or(chrono_tz::Tz::UTC);
    let until = Utc::now().with_timezone(&tz).date_naive();
    let since = until - Duration::days(6);
    let backend = data.backend.clone();
    let digest = tokio::task::spawn_blocking(move || backend.digest(since, until, topic.as_deref())).await??;
    let script = respond::script(data, &channel);
    for (content, embeds) in digest_messages(&digest, locale(ctx), script) {
        let mut reply = poise::CreateReply::default()
            .ephemeral(true)
            .allowed_mentions(serenity::CreateAllowedMentions::new());
        if let Some(c) = content {
            reply = reply.content(c);
        }
        for e in embeds {
            reply = reply.embed(e.to_serenity());
        }
        ctx.send(reply).await?;
    }
    Ok(())
}
