//! `/feed add <url> [topic]`, `/feed list`, `/feed remove <url>`: the feeds the corpus follows
//! (kept in the state store, polled by [`crate::feed::Poller`]). Changing them needs the
//! Manage Server permission, as `/digest` does.

use super::digest::{locale, notice, says, NEEDS_MANAGER, NEEDS_SERVER, NO_STATE};
use super::{Context, Error};
use crate::feed::check_feed;
use crate::ingest::{describe, IngestError};
use crate::locale::{self, fill, Front, Locale};
use crate::state::Feed;

#[poise::command(
    slash_command,
    guild_only,
    subcommands("add", "list", "remove"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn feed(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// The server and whether the user may manage it.
fn manager_in(ctx: Context<'_>) -> Option<(String, bool)> {
    let poise::Context::Application(app) = ctx else {
        return None;
    };
    let guild = app.interaction.guild_id?.to_string();
    Some((guild, super::digest::may_manage(app.interaction)))
}

fn about(l: Locale, topic: Option<&str>) -> String {
    topic
        .map(|t| fill(l, "feed.about", &[("topic", t)]))
        .unwrap_or_default()
}

#[poise::command(slash_command, guild_only)]
pub async fn add(ctx: Context<'_>, url: String, topic: Option<String>) -> Result<(), Error> {
    let Some((guild, manager)) = manager_in(ctx) else {
        return notice(ctx, says(ctx, NEEDS_SERVER)).await;
    };
    if !manager {
        return notice(ctx, says(ctx, NEEDS_MANAGER)).await;
    }
    let Some(store) = ctx.data().store.clone() else {
        return notice(ctx, says(ctx, NO_STATE)).await;
    };
    // Fetching the feed to check it can take longer than Discord's three seconds.
    ctx.defer_ephemeral().await?;
    let l = locale(ctx);
    let (url, entries) = match check_feed(&ctx.data().fetcher, &url).await {
        Ok(found) => found,
        Err(e) => {
            let text = describe::refusal(&IngestError::Fetch(e), l);
            return notice(ctx, format!("⚠️ {text}")).await;
        }
    };
    let topic = topic.filter(|t| !t.trim().is_empty());
    let feed = Feed {
        url: url.clone(),
        topic: topic.clone(),
        added_by: ctx.author().id.to_string(),
        guild: Some(guild),
        added_at: chrono::Utc::now(),
    };
    let new = tokio::task::spawn_blocking(move || store.add_feed(&feed)).await??;
    ctx.data().feeds_changed.notify_one();
    let shown = format!("<{url}>");
    let about = about(l, topic.as_deref());
    let text = if new {
        fill(
            l,
            "feed.added",
            &[("url", &shown), ("about", &about), ("entries", &entries.to_string())],
        )
    } else {
        fill(l, "feed.already", &[("url", &shown), ("about", &about)])
    };
    notice(ctx, text).await
}

#[poise::command(slash_command, guild_only)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let Some(store) = ctx.data().store.clone() else {
        return notice(ctx, says(ctx, NO_STATE)).await;
    };
    let l = locale(ctx);
    let feeds = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let mut out = Vec::new();
        for f in store.feeds()? {
            let state = store.feed_state(&f.url)?;
            out.push((f, state));
        }
        Ok(out)
    })
    .await??;
    if feeds.is_empty() {
        let command = format!(
            "`{} add`",
            locale::command(l, Front::Discord, crate::command::Command::Feed)
        );
        return notice(ctx, fill(l, "feed.none", &[("command", &command)])).await;
    }
    let mut lines = vec![locale::text(l, "feed.listed").to_string()];
    for (f, state) in feeds {
        let status = match (&state.last_error, state.last_polled) {
            (Some(error), _) => fill(
                l,
                "feed.failing",
                &[("failures", &state.failures.to_string()), ("error", error)],
            ),
            (None, Some(t)) => fill(l, "feed.polled", &[("time", &format!("<t:{}:R>", t.timestamp()))]),
            (None, None) => locale::text(l, "feed.never_polled").to_string(),
        };
        lines.push(fill(
            l,
            "feed.line",
            &[
                ("url", &format!("<{}>", f.url)),
                ("about", &about(l, f.topic.as_deref())),
                ("status", &status),
            ],
        ));
    }
    notice(ctx, lines.join("\n")).await
}

#[poise::command(slash_command, guild_only)]
pub async fn remove(ctx: Context<'_>, url: String) -> Result<(), Error> {
    let Some((_, manager)) = manager_in(ctx) else {
        return notice(ctx, says(ctx, NEEDS_SERVER)).await;
    };
    if !manager {
        return notice(ctx, says(ctx, NEEDS_MANAGER)).await;
    }
    let Some(store) = ctx.data().store.clone() else {
        return notice(ctx, says(ctx, NO_STATE)).await;
    };
    let key = crate::fetch::target::canonical(&url).unwrap_or_else(|| url.trim().to_string());
    let removed = {
        let key = key.clone();
        tokio::task::spawn_blocking(move || store.remove_feed(&key)).await??
    };
    let l = locale(ctx);
    let key = format!("<{key}>");
    let text = if removed {
        fill(l, "feed.removed", &[("url", &key)])
    } else {
        format!("⚠️ {}", fill(l, "feed.not_followed", &[("url", &key)]))
    };
    notice(ctx, text).await
}
