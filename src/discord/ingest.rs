//! `/ingest` (and a mention with the word ingest) to add documents from attachments, and
//! `/settings` for a channel's script and the server's time zone.

use poise::serenity_prelude as serenity;

use super::digest::{locale, may_manage, notice, remember_server_locale, says, NEEDS_MANAGER, NEEDS_SERVER, NO_STATE};
use super::render;
use super::{Context, Data, Error};
use crate::digest::schedule;
use crate::ingest::{describe, IngestError};
use crate::locale::{self, fill, Front, Locale};
use crate::text::convert::Script;

/// One line per attachment: what was added, or why not.
async fn ingest_all(data: &Data, files: Vec<serenity::Attachment>, l: Locale) -> Vec<String> {
    let mut lines = Vec::new();
    for file in files {
        let name = file.filename.clone();
        if file.size as usize > data.ingest_max_bytes {
            let e = IngestError::TooLarge {
                name: name.clone(),
                size: file.size as usize,
                limit: data.ingest_max_bytes,
            };
            lines.push(format!("⚠️ {}", describe::refusal(&e, l)));
            continue;
        }
        let bytes = match file.download().await {
            Ok(b) => b,
            Err(err) => {
                tracing::error!(file = %name, "cannot download an attachment: {err:#}");
                lines.push(format!("⚠️ {}", fill(l, "ingest.download_failed", &[("file", &name)])));
                continue;
            }
        };
        let backend = data.backend.clone();
        let max = data.ingest_max_bytes;
        let outcome = tokio::task::spawn_blocking(move || backend.ingest(&name, &bytes, max)).await;
        lines.push(match outcome {
            Ok(Ok(added)) => describe::added(l, &file.filename, &added),
            Ok(Err(IngestError::Internal(err))) => {
                tracing::error!(file = %file.filename, "ingest failed: {err:#}");
                format!("⚠️ {}", fill(l, "ingest.failed", &[("file", &file.filename)]))
            }
            Ok(Err(refused)) => format!("⚠️ {}", describe::refusal(&refused, l)),
            Err(err) => {
                tracing::error!(file = %file.filename, "ingest task failed: {err:#}");
                format!("⚠️ {}", fill(l, "ingest.failed", &[("file", &file.filename)]))
            }
        });
    }
    lines
}

#[poise::command(slash_command, guild_only, default_member_permissions = "MANAGE_GUILD")]
pub async fn ingest(
    ctx: Context<'_>,
    file: Option<serenity::Attachment>,
    file2: Option<serenity::Attachment>,
    file3: Option<serenity::Attachment>,
    url: Option<String>,
) -> Result<(), Error> {
    let poise::Context::Application(app) = ctx else {
        return Ok(());
    };
    if !may_manage(app.interaction) {
        return notice(ctx, says(ctx, NEEDS_MANAGER)).await;
    }
    let files: Vec<serenity::Attachment> = file.into_iter().chain(file2).chain(file3).collect();
    let links = url.as_deref().map(super::link::links_in).unwrap_or_default();
    if files.is_empty() && links.is_empty() {
        let text = match &url {
            Some(u) => fill(locale(ctx), "ingest.not_a_link", &[("value", u)]),
            None => locale::text(locale(ctx), "ingest.nothing").to_string(),
        };
        return notice(ctx, format!("⚠️ {text}")).await;
    }
    // Fetching, downloading and indexing can take longer than Discord's three seconds.
    ctx.defer().await?;
    let l = locale(ctx);
    let mut lines = ingest_all(ctx.data(), files, l).await;
    lines.extend(super::link::ingest_links(ctx.data(), &links, l).await);
    let reply = poise::CreateReply::default()
        .content(render::plain(&lines.join("\n")))
        .allowed_mentions(serenity::CreateAllowedMentions::new());
    ctx.send(reply).await?;
    Ok(())
}

/// A mention that says "ingest" with files attached or links.
pub async fn mention(
    http: &serenity::Http,
    cache: &serenity::Cache,
    data: &Data,
    msg: &serenity::Message,
) -> anyhow::Result<()> {
    let l = Locale::from_text(&msg.content);
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
                    "{} `{}`",
                    locale::text(l, NEEDS_MANAGER),
                    locale::command(l, Front::Discord, crate::command::Command::Ingest)
                )),
            )
            .await?;
        return Ok(());
    }
    let mut lines = ingest_all(data, msg.attachments.clone(), l).await;
    let links = super::link::links_in(&super::respond::question_text(&msg.content));
    lines.extend(super::link::ingest_links(data, &links, l).await);
    msg.channel_id.send_message(http, reply(lines.join("\n"))).await?;
    Ok(())
}

#[derive(Debug, poise::ChoiceParameter)]
pub enum ScriptChoice {
    #[name_localized("zh-CN", "原文")]
    #[name_localized("zh-TW", "原文")]
    Original,
    #[name_localized("zh-CN", "简体")]
    #[name_localized("zh-TW", "簡體")]
    Simplified,
    #[name_localized("zh-CN", "繁体")]
    #[name_localized("zh-TW", "繁體")]
    Traditional,
}

/// The language of a channel's scheduled digests; each choice is named in its own language.
#[derive(Debug, poise::ChoiceParameter)]
pub enum LanguageChoice {
    #[name = "server default"]
    #[name_localized("zh-CN", "跟随服务器")]
    #[name_localized("zh-TW", "跟隨伺服器")]
    Server,
    #[name = "English"]
    English,
    #[name = "简体中文"]
    Simplified,
    #[name = "繁體中文"]
    Traditional,
}

#[poise::command(slash_command, guild_only, default_member_permissions = "MANAGE_GUILD")]
pub async fn settings(
    ctx: Context<'_>,
    script: Option<ScriptChoice>,
    language: Option<LanguageChoice>,
    #[autocomplete = "super::digest::autocomplete_timezone"] timezone: Option<String>,
) -> Result<(), Error> {
    let poise::Context::Application(app) = ctx else {
        return Ok(());
    };
    let i = app.interaction;
    let l = locale(ctx);
    let Some(guild) = i.guild_id.map(|g| g.to_string()) else {
        return notice(ctx, says(ctx, NEEDS_SERVER)).await;
    };
    let channel = i.channel_id.to_string();
    let Some(store) = &ctx.data().store else {
        return notice(ctx, says(ctx, NO_STATE)).await;
    };
    remember_server_locale(ctx, store.as_ref(), &guild)?;
    let changing = script.is_some() || language.is_some() || timezone.is_some();
    if changing && !may_manage(i) {
        return notice(ctx, says(ctx, NEEDS_MANAGER)).await;
    }
    if let Some(tz) = &timezone {
        match schedule::parse_timezone(tz) {
            Ok(tz) => {
                let mut server = store.guild_settings(&guild)?;
                server.timezone = Some(tz.name().to_string());
                store.set_guild_settings(&guild, &server)?;
            }
            Err(_) => {
                let text = fill(l, "settings.bad_timezone", &[("value", tz)]);
                return notice(ctx, format!("⚠️ {text}")).await;
            }
        }
    }
    let mut settings = store.channel_settings(&channel)?;
    let channel_changed = script.is_some() || language.is_some();
    if let Some(choice) = script {
        settings.script = match choice {
            ScriptChoice::Original => Script::Original,
            ScriptChoice::Simplified => Script::Simplified,
            ScriptChoice::Traditional => Script::Traditional,
        };
    }
    if let Some(choice) = language {
        settings.language = match choice {
            LanguageChoice::Server => None,
            LanguageChoice::English => Some(Locale::En),
            LanguageChoice::Simplified => Some(Locale::ZhCn),
            LanguageChoice::Traditional => Some(Locale::ZhTw),
        };
    }
    if channel_changed {
        store.set_channel_settings(&channel, &settings)?;
    }
    let server = store.guild_settings(&guild)?;
    let language_name = |x: Locale| locale::text(l, &format!("language.{}", x.code())).to_string();
    let language = match settings.language {
        Some(x) => language_name(x),
        None => fill(
            l,
            "settings.language_server",
            &[("language", &language_name(server.locale.unwrap_or_default()))],
        ),
    };
    let text = fill(
        l,
        "settings.shown",
        &[
            (
                "script",
                locale::text(l, &format!("settings.script_{}", settings.script.name())),
            ),
            ("language", &language),
            (
                "timezone",
                server
                    .timezone
                    .as_deref()
                    .unwrap_or(locale::text(l, "settings.timezone_unset")),
            ),
        ],
    );
    let text = if changing {
        format!("{} {text}", locale::text(l, "settings.saved"))
    } else {
        text
    };
    notice(ctx, text).await
}
