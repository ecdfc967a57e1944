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
use crate::state::Subscription;
use crate::text::convert::Script;

/// Discord messages for a digest: embeds packed into messages within the limits (the
/// message's description only on the first page), or one line for a quiet week.
pub fn digest_messages(digest: &Digest, locale: Locale, script: Script) -> Vec<(Option<String>, Vec<Embed>)> {
    if digest.is_quiet() {
        return vec![(Some(render::plain(&digest.quiet_line())), vec![])];
    }
    let mut pages = render::pages(&digest.to_answer(), locale, script).pages;
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
}

impl Poster for DiscordPoster {
    async fn post(&self, sub: &Subscription, digest: &Digest, nonce: &str) -> Result<()> {
        let channel = serenity::ChannelId::new(sub.channel.parse()?);
        for (i, (content, embeds)) in digest_messages(digest, Locale::En, Script::Original)
            .into_iter()
            .enumerate()
        {
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
    let manager = i
        .member
        .as_ref()
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild());
    Some((guild, i.channel_id.to_string(), manager))
}

fn locale(ctx: Context<'_>) -> Locale {
    match ctx {
        poise::Context::Application(a) => Locale::from_discord(&a.interaction.locale),
        poise::Context::Prefix(_) => Locale::En,
    }
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

pub(super) const NEEDS_MANAGER: &str = "Changing this needs the Manage Server permission.";
pub(super) const NEEDS_SERVER: &str = "This works in a server channel, not in direct messages.";
pub(super) const NO_STATE: &str = "Digests and settings need the bot's state store, which is not available.";

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
        return notice(ctx, NEEDS_SERVER).await;
    };
    if !manager {
        return notice(ctx, NEEDS_MANAGER).await;
    }
    let data: &Data = ctx.data();
    let Some(store) = &data.store else {
        return notice(ctx, NO_STATE).await;
    };
    let minute_of_day = match schedule::parse_time(time.as_deref().unwrap_or("09:00")) {
        Ok(m) => m,
        Err(e) => return notice(ctx, format!("⚠️ {e}")).await,
    };
    let timezone = match timezone.or(store.guild_settings(&guild)?.timezone) {
        Some(tz) => match schedule::parse_timezone(&tz) {
            Ok(tz) => tz.name().to_string(),
            Err(e) => return notice(ctx, format!("⚠️ {e}")).await,
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
    store.subscribe(&sub)?;
    // The slot that already passed is not this subscription's to post.
    store.claim_period(&sub.key(), schedule::latest_slot(&sub, now)?)?;
    data.schedule_changed.notify_one();
    let next = schedule::next_slot(&sub, now)?;
    let tz = schedule::parse_timezone(&sub.timezone).unwrap_or(chrono_tz::Tz::UTC);
    let about = sub
        .topic
        .as_deref()
        .map(|t| format!(" about “{t}”"))
        .unwrap_or_default();
    public(
        ctx,
        format!(
            "This channel gets a weekly digest{about} every {} at {:02}:{:02} ({}). Next: {}.",
            schedule::weekday_name(sub.weekday),
            sub.minute_of_day / 60,
            sub.minute_of_day % 60,
            sub.timezone,
            next.with_timezone(&tz).format("%Y-%m-%d %H:%M")
        ),
    )
    .await
}

#[poise::command(slash_command, guild_only)]
pub async fn unsubscribe(ctx: Context<'_>) -> Result<(), Error> {
    let Some((guild, channel, manager)) = place(ctx) else {
        return notice(ctx, NEEDS_SERVER).await;
    };
    if !manager {
        return notice(ctx, NEEDS_MANAGER).await;
    }
    let Some(store) = &ctx.data().store else {
        return notice(ctx, NO_STATE).await;
    };
    if store.unsubscribe(&guild, &channel)? {
        ctx.data().schedule_changed.notify_one();
        public(ctx, "This channel no longer gets the weekly digest.").await
    } else {
        notice(ctx, "This channel has no weekly digest.").await
    }
}

#[poise::command(slash_command, guild_only)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let Some((guild, _, _)) = place(ctx) else {
        return notice(ctx, NEEDS_SERVER).await;
    };
    let Some(store) = &ctx.data().store else {
        return notice(ctx, NO_STATE).await;
    };
    let subs: Vec<Subscription> = store
        .subscriptions()?
        .into_iter()
        .filter(|s| s.guild == guild)
        .collect();
    if subs.is_empty() {
        return notice(
            ctx,
            "No channel of this server gets the weekly digest. Start one with /digest subscribe.",
        )
        .await;
    }
    let lines: Vec<String> = subs
        .iter()
        .map(|s| {
            let about = s.topic.as_deref().map(|t| format!(", about “{t}”")).unwrap_or_default();
            format!(
                "• <#{}>: {} {:02}:{:02} ({}){about}",
                s.channel,
                schedule::weekday_name(s.weekday),
                s.minute_of_day / 60,
                s.minute_of_day % 60,
                s.timezone
            )
        })
        .collect();
    notice(ctx, format!("Weekly digests:\n{}", lines.join("\n"))).await
}

#[poise::command(slash_command, guild_only)]
pub async fn preview(
    ctx: Context<'_>,
    #[autocomplete = "autocomplete_topic"] topic: Option<String>,
) -> Result<(), Error> {
    let Some((guild, channel, _)) = place(ctx) else {
        return notice(ctx, NEEDS_SERVER).await;
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
