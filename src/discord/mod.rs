//! The Discord front end: slash commands (poise on serenity), mentions in channels and
//! threads, and page buttons, all answered by the same engine the CLI uses.
//!
//! Nothing below this module knows Discord exists. This module only translates: interactions
//! and messages into [`Request`](crate::command::Request)s, responses into embeds
//! (`render`), and sends them within Discord's rules (`respond`).

pub mod backend;
pub mod commands;
pub mod digest;
mod feed;
pub mod ingest;
mod link;
pub mod pager;
pub mod ratelimit;
pub mod redact;
pub mod render;
pub mod respond;
pub mod settings;

use std::future::Future;
use std::sync::Arc;

use poise::serenity_prelude as serenity;

pub use backend::Backend;
use ratelimit::RateLimiter;

use crate::digest::schedule::{Clock, Scheduler};
use crate::state::StateStore;
pub use settings::{Settings, SettingsError, Shards};

/// Shared by every handler.
pub struct Data {
    pub backend: Arc<dyn Backend>,
    pub limiter: RateLimiter,
    /// Subscriptions and settings (absent when the bot runs without state, e.g. in some tests).
    pub store: Option<Arc<dyn StateStore>>,
    /// Largest attachment `/ingest` accepts.
    pub ingest_max_bytes: usize,
    /// Fetches the links `/ingest url:` and mentions give, and feeds.
    pub fetcher: Arc<crate::fetch::Fetcher>,
    /// Wakes the feed poller when feeds are added (a new feed is polled at once).
    pub feeds_changed: Arc<tokio::sync::Notify>,
    /// Wakes the digest scheduler when subscriptions change.
    pub schedule_changed: Arc<tokio::sync::Notify>,
    /// The answers behind page buttons.
    pub pager: pager::Pager,
    /// The bot has the Message Content intent: it reads messages that do not mention it.
    pub message_content: bool,
}

pub type Error = anyhow::Error;
pub type Context<'a> = poise::Context<'a, Arc<Data>, Error>;

/// Why the bot stopped, when it did not stop because it was asked to.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("Discord rejected DISCORD_TOKEN ({0}); check the bot token in the Developer Portal")]
    BadToken(String),
    #[error("cannot reach Discord at {0}: {1}")]
    Unreachable(String, String),
    #[error("the Discord connection failed: {0}")]
    Other(String),
}

/// How often the feed poller looks for feeds that are due.
const FEED_TICK: std::time::Duration = std::time::Duration::from_secs(60);

/// Tries of the first request before the bot gives up on an unreachable API.
const STARTUP_ATTEMPTS: u32 = 3;

fn intents(message_content: bool) -> serenity::GatewayIntents {
    // Discord delivers the content of messages that mention the bot without the privileged
    // MESSAGE_CONTENT intent; it is asked for only when the operator enabled it (it must also
    // be switched on in the Developer Portal, or Discord refuses the connection).
    let base = serenity::GatewayIntents::GUILDS
        | serenity::GatewayIntents::GUILD_MESSAGES
        | serenity::GatewayIntents::DIRECT_MESSAGES;
    if message_content {
        base | serenity::GatewayIntents::MESSAGE_CONTENT
    } else {
        base
    }
}

/// Connects to Discord and answers until `shutdown` resolves.
pub async fn serve(
    settings: Settings,
    backend: Arc<dyn Backend>,
    store: Option<Arc<dyn StateStore>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let fetcher = crate::fetch::Fetcher::new(settings.fetch.clone())
        .map_err(|e| ServeError::Other(format!("cannot build the link fetcher: {e:#}")))?;
    let data = Arc::new(Data {
        fetcher: Arc::new(fetcher),
        feeds_changed: Arc::new(tokio::sync::Notify::new()),
        backend,
        limiter: RateLimiter::new(settings.rate_max, settings.rate_window),
        store: store.clone(),
        ingest_max_bytes: settings.ingest_max_bytes,
        schedule_changed: Arc::new(tokio::sync::Notify::new()),
        pager: pager::Pager::default().with_store(store.clone()),
        message_content: settings.message_content,
    });
    let feed_poll = settings.feed_poll.clone();
    // One process polls feeds: the one running shard 0 (every process when unsharded is one).
    let polls_feeds = settings.shards.as_ref().is_none_or(|s| s.first == 0);
    let (stopping, stop_signal) = tokio::sync::watch::channel(false);
    // Set once the gateway said READY: serenity's websocket handshake has no deadline of its
    // own, and a gateway that accepts connections and never answers must not hang the bot.
    let (ready_tx, mut ready_rx) = tokio::sync::watch::channel(false);
    let guild = settings.guild_id;
    let setup_data = data.clone();
    let framework = poise::Framework::<Arc<Data>, Error>::builder()
        .options(poise::FrameworkOptions {
            commands: commands::commands(),
            event_handler: |framework, event| {
                Box::pin(on_event(
                    framework.serenity_context,
                    event,
                    framework.user_data.clone(),
                    framework.bot_id().get(),
                ))
            },
            on_error: |error| Box::pin(on_error(error)),
            allowed_mentions: Some(serenity::CreateAllowedMentions::new()),
            ..Default::default()
        })
        // Owners are not used; asking Discord for them is one request less at start-up.
        .initialize_owners(false)
        .setup(move |ctx, ready, framework| {
            let _ = ready_tx.send(true);
            Box::pin(async move {
                // READY normally carries the application id; ask for it when it did not.
                if ctx.http.application_id().is_none() {
                    let app = ctx.http.get_current_application_info().await?;
                    ctx.http.set_application_id(app.id);
                }
                let commands = &framework.options().commands;
                let body = commands::registration_body(commands);
                match guild {
                    Some(g) => ctx.http.create_guild_commands(serenity::GuildId::new(g), &body).await?,
                    None => ctx.http.create_global_commands(&body).await?,
                };
                if let Some(store) = setup_data.store.clone() {
                    let poster = digest::DiscordPoster {
                        http: ctx.http.clone(),
                        store: Some(store.clone()),
                    };
                    let source: Arc<dyn crate::digest::DigestSource> = setup_data.backend.clone();
                    let scheduler = Scheduler::new(source, store.clone(), poster, Clock::system())
                        .waking_on(setup_data.schedule_changed.clone());
                    let mut stop = stop_signal.clone();
                    tokio::spawn(scheduler.run(async move {
                        let _ = stop.wait_for(|s| *s).await;
                    }));
                    let poller = polls_feeds.then(|| crate::feed::Poller {
                        store: store.clone(),
                        fetcher: setup_data.fetcher.clone(),
                        target: setup_data.backend.clone(),
                        config: feed_poll.clone(),
                    });
                    if let Some(poller) = poller {
                        let mut stop = stop_signal.clone();
                        tokio::spawn(poller.run(FEED_TICK, setup_data.feeds_changed.clone(), async move {
                            let _ = stop.wait_for(|s| *s).await;
                        }));
                    }
                }
                tracing::info!(
                    "connected as {} ({} commands registered {})",
                    ready.user.name,
                    commands.len(),
                    guild.map_or("globally".to_string(), |g| format!("in server {g}"))
                );
                Ok(setup_data)
            })
        })
        .build();

    // Every request has a deadline: an API that accepts connections and never answers is an
    // error, not a hang.
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(settings.http_timeout.min(std::time::Duration::from_secs(10)))
        .timeout(settings.http_timeout)
        .build()
        .map_err(|e| ServeError::Other(format!("cannot set up the HTTP client: {e}")))?;
    let mut http = serenity::HttpBuilder::new(settings.token.expose()).client(client);
    let target = match &settings.api_base {
        Some(base) => {
            // serenity ignores the proxy while its rate limiter is on.
            http = http.proxy(base.as_str()).ratelimiter_disabled(true);
            tracing::warn!("DISCORD_API_BASE is set: talking to {base} instead of Discord, with the rate limiter off");
            base.clone()
        }
        None => "https://discord.com".to_string(),
    };
    let http = http
        .default_allowed_mentions(serenity::CreateAllowedMentions::new())
        .build();
    let mut client = serenity::ClientBuilder::new_with_http(http, intents(settings.message_content))
        .framework(framework)
        .await
        .map_err(|e| ServeError::Other(e.to_string()))?;
    // serenity only learns about a bad token or an unreachable API from the gateway, where it
    // retries forever; one authenticated request first turns both into a clear error.
    // Retried with backoff while the API is unreachable or slow; a rejected token is final.
    let mut attempt = 0;
    loop {
        match client.http.get_bot_gateway().await {
            Ok(_) => break,
            Err(e) => {
                let err = explain(e, &target);
                attempt += 1;
                if !matches!(err, ServeError::Unreachable(..)) || attempt >= STARTUP_ATTEMPTS {
                    return Err(err);
                }
                let wait = std::time::Duration::from_secs(1 << attempt);
                tracing::warn!("{err}; trying again in {wait:?} ({attempt}/{STARTUP_ATTEMPTS})");
                tokio::time::sleep(wait).await;
            }
        }
    }
    let shards = client.shard_manager.clone();
    let handshake = settings.http_timeout * 2;
    let never_ready = async move {
        if tokio::time::timeout(handshake, ready_rx.wait_for(|r| *r))
            .await
            .is_err()
        {
            return;
        }
        std::future::pending::<()>().await;
    };
    tokio::select! {
        result = async {
            match settings.shards {
                Some(s) => client.start_shard_range(s.first..s.last + 1, s.total).await,
                // As many shards as Discord recommends for the bot's servers (one for a few
                // hundred), all in this process.
                None => client.start_autosharded().await,
            }
        } => result.map_err(|e| explain(e, &target)),
        () = never_ready => {
            let _ = stopping.send(true);
            let _ = tokio::time::timeout(std::time::Duration::from_secs(2), shards.shutdown_all()).await;
            Err(ServeError::Unreachable(
                target.clone(),
                format!("the gateway did not complete its handshake within {} s", handshake.as_secs()),
            ))
        }
        () = shutdown => {
            tracing::info!("shutting down");
            let _ = stopping.send(true);
            if tokio::time::timeout(std::time::Duration::from_secs(5), shards.shutdown_all()).await.is_err() {
                tracing::warn!("the gateway did not close within 5 s; exiting anyway");
            }
            Ok(())
        }
    }
}

fn explain(error: serenity::Error, target: &str) -> ServeError {
    use serenity::{Error as E, GatewayError, HttpError};
    match &error {
        E::Http(HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 401 => {
            ServeError::BadToken(format!("HTTP {}", r.status_code))
        }
        E::Gateway(GatewayError::InvalidAuthentication) => ServeError::BadToken("gateway authentication failed".into()),
        E::Http(HttpError::Request(e)) => ServeError::Unreachable(target.to_string(), e.to_string()),
        _ => ServeError::Other(error.to_string()),
    }
}

async fn on_event(
    ctx: &serenity::Context,
    event: &serenity::FullEvent,
    data: Arc<Data>,
    bot: u64,
) -> Result<(), Error> {
    match event {
        serenity::FullEvent::Message { new_message } => {
            let tag = (format!("<@{bot}>"), format!("<@!{bot}>"));
            let mentioned = new_message.mentions.iter().any(|u| u.id.get() == bot)
                || new_message.content.contains(&tag.0)
                || new_message.content.contains(&tag.1);
            // With the Message Content intent, a reply saying only "source?" is a request too.
            let cue = data.message_content
                && new_message.referenced_message.is_some()
                && respond::is_source_cue(&respond::question_text(&new_message.content));
            if new_message.author.bot || !(mentioned || cue) {
                return Ok(());
            }
            let text = respond::question_text(&new_message.content);
            let wants_ingest = (!new_message.attachments.is_empty() || !link::links_in(&text).is_empty())
                && text
                    .split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("ingest") || w == "导入" || w == "匯入");
            let result = if wants_ingest {
                ingest::mention(&ctx.http, &ctx.cache, &data, new_message).await
            } else {
                respond::mention(&ctx.http, &data, new_message).await
            };
            if let Err(err) = result {
                tracing::error!(
                    channel = %new_message.channel_id,
                    user = %new_message.author.id,
                    "cannot answer a mention: {err:#}"
                );
            }
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(c),
        } => {
            if c.data.custom_id.starts_with("dossier:vote:") {
                if let Err(err) = respond::vote_button(&ctx.http, &data, c).await {
                    tracing::error!(channel = %c.channel_id, user = %c.user.id, "cannot record a vote: {err:#}");
                }
            } else if let Err(err) = respond::page_button(&ctx.http, &data, c).await {
                tracing::error!(channel = %c.channel_id, user = %c.user.id, "cannot turn the page: {err:#}");
            }
        }
        _ => {}
    }
    Ok(())
}

async fn on_error(error: poise::FrameworkError<'_, Arc<Data>, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!(
                command = %ctx.command().name,
                channel = %ctx.channel_id(),
                user = %ctx.author().id,
                "internal error: {error:#}"
            );
            let locale = match ctx {
                poise::Context::Application(a) => render::Locale::from_discord(&a.interaction.locale),
                poise::Context::Prefix(_) => render::Locale::En,
            };
            let reply = poise::CreateReply::default()
                .content(crate::locale::text(locale, "discord.apology"))
                .ephemeral(true)
                .allowed_mentions(serenity::CreateAllowedMentions::new());
            if let Err(e) = ctx.send(reply).await {
                tracing::error!("cannot send the apology: {e:#}");
            }
        }
        poise::FrameworkError::CommandStructureMismatch { ctx, description, .. } => {
            // Discord sent options this code did not register (stale registration): say so.
            tracing::error!(command = %ctx.command().name, "the registered command does not match the code: {description}");
            let locale = render::Locale::from_discord(&ctx.interaction.locale);
            let response = serenity::CreateInteractionResponse::Message(
                serenity::CreateInteractionResponseMessage::new()
                    .content(crate::locale::text(locale, "discord.apology"))
                    .ephemeral(true)
                    .allowed_mentions(serenity::CreateAllowedMentions::new()),
            );
            if let Err(e) = ctx.interaction.create_response(ctx.serenity_context(), response).await {
                tracing::error!("cannot send the apology: {e:#}");
            }
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::error!("while handling an error: {e:#}");
            }
        }
    }
}
