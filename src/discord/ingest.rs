//! `/ingest` (and a mention with the word ingest) to add documents from attachments, and
//! `/settings` for a channel's script and the server's time zone.

use poise::serenity_prelude as serenity;

use super::digest::{notice, NEEDS_MANAGER, NEEDS_SERVER, NO_STATE};
use super::render;
use super::{Context, Data, Error};
use crate::digest::schedule;
use crate::ingest::IngestError;
use crate::state::{ChannelSettings, GuildSettings};
use crate::text::convert::Script;

/// One line per attachment: what was added, or why not.
async fn ingest_all(data: &Data, files: Vec<serenity::Attachment>) -> Vec<String> {
    let mut lines = Vec::new();
    for file in files {
        let name = file.filename.clone();
        if file.size as usize > data.ingest_max_bytes {
            let e = IngestError::TooLarge {
                name: name.clone(),
                size: file.size as usize,
                limit: data.ingest_max_bytes,
            };
            lines.push(format!("⚠️ {e}"));
            continue;
        }
        let bytes = match file.download().await {
            Ok(b) => b,
            Err(err) => {
                tracing::error!(file = %name, "cannot download an attachment: {err:#}");
                lines.push(format!(
                    "⚠️ {name}: the attachment could not be downloaded from Discord; try again."
                ));
                continue;
            }
        };
        let backend = data.backend.clone();
        let max = data.ingest_max_bytes;
        let outcome = tokio::task::spawn_blocking(move || backend.ingest(&name, &bytes, max)).await;
        lines.push(match outcome {
            Ok(Ok(added)) => {
                let names = if added.entities.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; names: {}",
                        added.entities.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
                    )
                };
                let source = added.source.as_deref().map(|s| format!(" — {s}")).unwrap_or_default();
                format!(
                    "✅ {} → `{}`: “{}”{source}, {} paragraphs{names}",
                    file.filename, added.id, added.title, added.paragraphs
                )
            }
            Ok(Err(IngestError::Internal(err))) => {
                tracing::error!(file = %file.filename, "ingest failed: {err:#}");
                format!(
                    "⚠️ {}: something went wrong while adding it; the details are in the bot's log.",
                    file.filename
                )
            }
            Ok(Err(refused)) => format!("⚠️ {refused}"),
            Err(err) => {
                tracing::error!(file = %file.filename, "ingest task failed: {err:#}");
                format!("⚠️ {}: something went wrong while adding it.", file.filename)
            }
        });
    }
    lines
}

#[poise::command(slash_command, guild_only, default_member_permissions = "MANAGE_GUILD")]
pub async fn ingest(
    ctx: Context<'_>,
    file: serenity::Attachment,
    file2: Option<serenity::Attachment>,
    file3: Option<serenity::Attachment>,
) -> Result<(), Error> {
    let poise::Context::Application(app) = ctx else {
        return Ok(());
    };
    let manager = app
        .interaction
        .member
        .as_ref()
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild());
    if !manager {
        return notice(ctx, NEEDS_MANAGER).await;
    }
    // Downloading and indexing can take longer than Discord's three seconds.
    ctx.defer().await?;
    let files: Vec<serenity::Attachment> = std::iter::once(file).chain(file2).chain(file3).collect();
    let lines = ingest_all(ctx.data(), files).await;
    let reply = poise::CreateReply::default()
        .content(render::plain(&lines.join("\n")))
        .allowed_mentions(serenity::CreateAllowedMentions::new());
    ctx.send(reply).await?;
    Ok(())
}

/// A mention that says "ingest" with files attached.
pub async fn mention(
    http: &serenity::Http,
    cache: &serenity::Cache,
    data: &Data,
    msg: &serenity::Message,
) -> anyhow::Result<()> {
    let reply = |text: String| {
        serenity::CreateMessage::new()
            .content(render::plain(&text))
            .reference_message(msg)
            .allowed_mentions(serenity::CreateAllowedMentions::new())
    };
    let manager = msg.guild_id.is_some()
        && msg
            .guild(cache)
            .and_then(|g| {
                let member = msg.member.as_ref()?;
                let roles: Vec<serenity::RoleId> = member.roles.clone();
                let is_owner = g.owner_id == msg.author.id;
                let perms = roles
                    .iter()
                    .chain(std::iter::once(&serenity::RoleId::new(g.id.get())))
                    .filter_map(|r| g.roles.get(r))
                    .fold(serenity::Permissions::empty(), |p, r| p | r.permissions);
                Some(is_owner || perms.manage_guild() || perms.administrator())
            })
            .unwrap_or(false);
    if !manager {
        msg.channel_id
            .send_message(
                http,
                reply(format!(
                    "{NEEDS_MANAGER} (If you have it, use /ingest: permissions cannot be checked for a mention here.)"
                )),
            )
            .await?;
        return Ok(());
    }
    let lines = ingest_all(data, msg.attachments.clone()).await;
    msg.channel_id.send_message(http, reply(lines.join("\n"))).await?;
    Ok(())
}

#[derive(Debug, poise::ChoiceParameter)]
pub enum ScriptChoice {
    Original,
    Simplified,
    Traditional,
}

#[poise::command(slash_command, guild_only, default_member_permissions = "MANAGE_GUILD")]
pub async fn settings(
    ctx: Context<'_>,
    script: Option<ScriptChoice>,
    #[autocomplete = "super::digest::autocomplete_timezone"] timezone: Option<String>,
) -> Result<(), Error> {
    let poise::Context::Application(app) = ctx else {
        return Ok(());
    };
    let i = app.interaction;
    let Some(guild) = i.guild_id.map(|g| g.to_string()) else {
        return notice(ctx, NEEDS_SERVER).await;
    };
    let channel = i.channel_id.to_string();
    let Some(store) = &ctx.data().store else {
        return notice(ctx, NO_STATE).await;
    };
    let changing = script.is_some() || timezone.is_some();
    let manager = i
        .member
        .as_ref()
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild());
    if changing && !manager {
        return notice(ctx, NEEDS_MANAGER).await;
    }
    if let Some(tz) = &timezone {
        match schedule::parse_timezone(tz) {
            Ok(tz) => store.set_guild_settings(
                &guild,
                &GuildSettings {
                    timezone: Some(tz.name().to_string()),
                },
            )?,
            Err(e) => return notice(ctx, format!("⚠️ {e}")).await,
        }
    }
    if let Some(choice) = script {
        let script = match choice {
            ScriptChoice::Original => Script::Original,
            ScriptChoice::Simplified => Script::Simplified,
            ScriptChoice::Traditional => Script::Traditional,
        };
        store.set_channel_settings(&channel, &ChannelSettings { script })?;
    }
    let script = store.channel_settings(&channel)?.script;
    let tz = store
        .guild_settings(&guild)?
        .timezone
        .unwrap_or_else(|| "UTC (not set)".into());
    let text = format!("Quotes in this channel: {}. Server time zone: {tz}.", script.name());
    notice(ctx, if changing { format!("Saved. {text}") } else { text }).await
}
