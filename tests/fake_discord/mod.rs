//! A fake Discord on 127.0.0.1 for end-to-end tests: REST under `/api/v10` and a gateway
//! websocket, enough for serenity and poise to connect, register commands, receive
//! interactions and messages, and answer them.
//!
//! It behaves like Discord where the bot could get it wrong: bodies are validated against
//! Discord's OpenAPI spec (`../shared/discord/openapi.json`, read in place), messages over
//! Discord's limits and `allowed_mentions` that allow `everyone`/`roles` get 400, and an
//! interaction callback later than 3 s gets 404 (code 10062). Every injected event is first
//! deserialised with serenity's own model types, because serenity silently drops events it
//! cannot read.
#![allow(dead_code)]

mod openapi;
pub mod server;

use server::{gateway, rest};

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::{mpsc, Notify};

pub const APP_ID: u64 = 1_100_000_000_000_000_001;
pub const BOT_ID: u64 = 1_100_000_000_000_000_002;
pub const GUILD_ID: u64 = 1_100_000_000_000_000_003;
pub const CHANNEL_ID: u64 = 1_100_000_000_000_000_004;
pub const THREAD_ID: u64 = 1_100_000_000_000_000_005;
pub const USER_ID: u64 = 1_100_000_000_000_000_006;
/// The privileged gateway intent that shows a bot the text of every message.
pub const MESSAGE_CONTENT: u64 = 1 << 15;

/// One REST request the bot made.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub status: u16,
    pub at: Instant,
}

struct Interaction {
    token: String,
    created: Instant,
    responded: bool,
}

struct State {
    base: String,
    token: String,
    requests: Mutex<Vec<Recorded>>,
    /// Why requests were refused (schema or limits), for test failure messages.
    problems: Mutex<Vec<String>>,
    changed: Notify,
    gateway: Mutex<Option<mpsc::UnboundedSender<String>>>,
    seq: AtomicU64,
    next_id: AtomicU64,
    interactions: Mutex<HashMap<String, Interaction>>,
    commands: Mutex<Vec<Value>>,
    spec: Option<openapi::Spec>,
    identified: Notify,
    /// The gateway intents the bot identified with.
    intents: AtomicU64,
    /// The `[shard, total]` of each IDENTIFY.
    shards: Mutex<Vec<Value>>,
    /// Each shard's connection (several bot processes may each run some shards).
    by_shard: Mutex<HashMap<u64, mpsc::UnboundedSender<String>>>,
    /// The shard events are sent to (`None`: the last connection).
    route: Mutex<Option<u64>>,
    /// Messages posted to this channel are created at once but answered only when released
    /// (a post whose sender dies before the answer).
    stalled: Mutex<Option<u64>>,
    unstall: Notify,
    /// Messages created in channels, and the nonces Discord remembers.
    created: Mutex<Vec<(u64, Value)>>,
    nonces: Mutex<HashMap<String, Value>>,
    /// Attachment files served at /api/v10/attachments/<name> (the "CDN").
    files: Mutex<HashMap<String, Vec<u8>>>,
}

pub struct FakeDiscord {
    pub base: String,
    state: Arc<State>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeDiscord {
    /// Starts a fake accepting `token` on a free port.
    pub async fn start(token: &str) -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let state = Arc::new(State {
            base: base.clone(),
            token: token.to_string(),
            requests: Mutex::new(Vec::new()),
            problems: Mutex::new(Vec::new()),
            changed: Notify::new(),
            gateway: Mutex::new(None),
            seq: AtomicU64::new(0),
            next_id: AtomicU64::new(1_200_000_000_000_000_000),
            interactions: Mutex::new(HashMap::new()),
            commands: Mutex::new(Vec::new()),
            spec: openapi::Spec::load(),
            identified: Notify::new(),
            intents: AtomicU64::new(0),
            shards: Mutex::new(Vec::new()),
            by_shard: Mutex::new(HashMap::new()),
            route: Mutex::new(None),
            stalled: Mutex::new(None),
            unstall: Notify::new(),
            created: Mutex::new(Vec::new()),
            nonces: Mutex::new(HashMap::new()),
            files: Mutex::new(HashMap::new()),
        });
        let app = Router::new()
            .route("/gateway", any(gateway))
            .fallback(rest)
            .with_state(state.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeDiscord { base, state, server }
    }

    /// The `[shard, total]` pairs the bot identified with, in order.
    pub fn identified_shards(&self) -> Vec<Value> {
        self.state.shards.lock().unwrap().clone()
    }

    /// Whether request bodies are checked against Discord's OpenAPI spec in this run.
    pub fn validates_schemas(&self) -> bool {
        self.state.spec.is_some()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }

    pub fn problems(&self) -> Vec<String> {
        self.state.problems.lock().unwrap().clone()
    }

    pub fn registered_commands(&self) -> Vec<Value> {
        self.state.commands.lock().unwrap().clone()
    }

    /// Waits for a request matching `pred` made after `since` requests were recorded.
    pub async fn wait_for(&self, since: usize, what: &str, pred: impl Fn(&Recorded) -> bool) -> Recorded {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let notified = self.state.changed.notified();
            if let Some(r) = self.requests().into_iter().skip(since).find(|r| pred(r)) {
                return r;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "timed out waiting for {what}; requests: {:#?}; problems: {:?}",
                self.summary(),
                self.problems()
            );
            let _ = tokio::time::timeout(left, notified).await;
        }
    }

    fn summary(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| format!("{} {} -> {}", r.method, r.path, r.status))
            .collect()
    }

    /// Waits until the bot has identified on the gateway and registered its commands.
    pub async fn wait_ready(&self) {
        self.wait_for(0, "command registration", |r| {
            r.method == "PUT" && r.path.ends_with("/commands") && r.status == 200
        })
        .await;
    }

    fn new_id(&self) -> u64 {
        self.state.next_id.fetch_add(1, Ordering::SeqCst)
    }

    /// Holds the answers to messages posted to `channel` (the messages are created) until
    /// [`Self::release_posts`].
    pub fn stall_posts_to(&self, channel: u64) {
        *self.state.stalled.lock().unwrap() = Some(channel);
    }

    pub fn release_posts(&self) {
        *self.state.stalled.lock().unwrap() = None;
        self.state.unstall.notify_waiters();
    }

    /// Sends what follows to the connection of `shard` (as Discord sends a guild's events to
    /// the shard `(guild_id >> 22) % total`), or with `None` to the last connection.
    pub fn route_to(&self, shard: Option<u64>) {
        *self.state.route.lock().unwrap() = shard;
    }

    /// Sends a gateway dispatch after checking serenity can read it.
    pub fn dispatch(&self, event: &str, data: Value) {
        check_with_serenity(event, &data);
        let seq = self.state.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let frame = json!({ "op": 0, "s": seq, "t": event, "d": data }).to_string();
        let routed = self.state.route.lock().unwrap().map(|s| {
            self.state
                .by_shard
                .lock()
                .unwrap()
                .get(&s)
                .cloned()
                .expect("that shard is connected")
        });
        let sender = routed
            .or_else(|| self.state.gateway.lock().unwrap().clone())
            .expect("the bot is connected to the gateway");
        sender.send(frame).expect("gateway open");
    }

    fn interaction_base(&self, kind: u8, channel: u64, user: u64, locale: &str) -> (String, Value) {
        let id = self.new_id().to_string();
        let token = format!("itoken-{id}-{}", "x".repeat(20));
        self.state.interactions.lock().unwrap().insert(
            id.clone(),
            Interaction {
                token: token.clone(),
                created: Instant::now(),
                responded: false,
            },
        );
        let v = json!({
            "id": id,
            "application_id": APP_ID.to_string(),
            "type": kind,
            "token": token,
            "version": 1,
            "guild_id": GUILD_ID.to_string(),
            "channel_id": channel.to_string(),
            "channel": { "id": channel.to_string(), "type": if channel == THREAD_ID { 11 } else { 0 } },
            "member": member(user),
            "locale": locale,
            "guild_locale": "en-US",
            "app_permissions": "2248473465835073",
            "entitlements": [],
            "authorizing_integration_owners": { "0": GUILD_ID.to_string() },
            "context": 0,
            "attachment_size_limit": 8_388_608,
        });
        (id, v)
    }

    fn command_id(&self, name: &str) -> String {
        self.registered_commands()
            .iter()
            .find(|c| c["name"] == name)
            .and_then(|c| c["id"].as_str().map(str::to_string))
            .unwrap_or_else(|| panic!("/{name} was not registered"))
    }

    /// A slash command invocation; returns the interaction id.
    pub fn slash(&self, name: &str, options: Value, channel: u64, user: u64, locale: &str) -> String {
        let (id, mut v) = self.interaction_base(2, channel, user, locale);
        v["data"] = json!({ "id": self.command_id(name), "name": name, "type": 1, "options": options });
        self.dispatch("INTERACTION_CREATE", v);
        id
    }

    /// A message command (right-click → Apps → `name`) on a message with `content`, written by
    /// another user in `channel`; returns the interaction id.
    pub fn message_command(&self, name: &str, content: &str, channel: u64, locale: &str) -> String {
        let (id, mut v) = self.interaction_base(2, channel, USER_ID, locale);
        let target = self.new_id().to_string();
        let message = message_object(
            &target,
            channel,
            user(USER_ID + 1, "colleague"),
            content,
            json!([]),
            json!([]),
        );
        v["data"] = json!({
            "id": self.command_id(name), "name": name, "type": 3, "target_id": target,
            "resolved": { "messages": { target.clone(): message } },
        });
        self.dispatch("INTERACTION_CREATE", v);
        id
    }

    /// An autocomplete request for the focused option `option` typed as `partial`.
    pub fn autocomplete(&self, name: &str, option: &str, partial: &str) -> String {
        let (id, mut v) = self.interaction_base(4, CHANNEL_ID, USER_ID, "en-US");
        v["data"] = json!({
            "id": self.command_id(name), "name": name, "type": 1,
            "options": [{ "name": option, "type": 3, "value": partial, "focused": true }],
        });
        self.dispatch("INTERACTION_CREATE", v);
        id
    }

    /// A button press on a message the bot sent.
    pub fn button(&self, custom_id: &str, message: &Value, channel: u64, locale: &str) -> String {
        let (id, mut v) = self.interaction_base(3, channel, USER_ID, locale);
        v["message"] = message.clone();
        v["data"] = json!({ "custom_id": custom_id, "component_type": 2 });
        self.dispatch("INTERACTION_CREATE", v);
        id
    }

    /// Messages the bot created in `channel` (deduplicated posts are not new messages).
    pub fn created_messages(&self, channel: u64) -> Vec<Value> {
        self.state
            .created
            .lock()
            .unwrap()
            .iter()
            .filter(|(c, _)| *c == channel)
            .map(|(_, m)| m.clone())
            .collect()
    }

    /// Serves `bytes` as an attachment; returns the attachment object for an interaction.
    pub fn attachment(&self, name: &str, bytes: &[u8]) -> Value {
        let id = self.new_id().to_string();
        let key = format!("{id}-{}", name.replace(['/', '\\'], "_"));
        self.state.files.lock().unwrap().insert(key.clone(), bytes.to_vec());
        let url = format!("{}/api/v10/attachments/{key}", self.base);
        json!({ "id": id, "filename": name, "size": bytes.len(), "url": url, "proxy_url": url })
    }

    /// A slash command with a subcommand: `/name sub options…`.
    pub fn subcommand(&self, name: &str, sub: &str, options: Value, channel: u64, user: u64) -> String {
        self.slash(
            name,
            json!([{ "name": sub, "type": 1, "options": options }]),
            channel,
            user,
            "en-US",
        )
    }

    /// A slash command whose options refer to attachments.
    pub fn slash_with_attachments(&self, name: &str, options: Value, attachments: &[Value], user: u64) -> String {
        let (id, mut v) = self.interaction_base(2, CHANNEL_ID, user, "en-US");
        let resolved: serde_json::Map<String, Value> = attachments
            .iter()
            .map(|a| (a["id"].as_str().unwrap().to_string(), a.clone()))
            .collect();
        v["data"] = json!({
            "id": self.command_id(name), "name": name, "type": 1, "options": options,
            "resolved": { "attachments": resolved },
        });
        self.dispatch("INTERACTION_CREATE", v);
        id
    }

    /// The server, as Discord sends it once the bot connects (the fake sends it only when a
    /// test asks): owned by `owner`, its @everyone role allowed to view and send only, so only
    /// the owner may manage it.
    pub fn guild_create(&self, owner: u64) {
        let everyone = json!({
            "id": GUILD_ID.to_string(), "name": "@everyone", "color": 0,
            "colors": { "primary_color": 0, "secondary_color": null, "tertiary_color": null },
            "hoist": false, "managed": false, "mentionable": false, "permissions": "3072",
            "position": 0, "icon": null, "unicode_emoji": null, "flags": 0,
        });
        let guild = json!({
            "id": GUILD_ID.to_string(), "name": "Newsroom", "icon": null, "icon_hash": null,
            "splash": null, "discovery_splash": null, "owner_id": owner.to_string(),
            "afk_channel_id": null, "afk_timeout": 300, "verification_level": 0,
            "default_message_notifications": 0, "explicit_content_filter": 0,
            "roles": [everyone], "emojis": [], "features": [], "mfa_level": 0,
            "application_id": null, "system_channel_id": null, "system_channel_flags": 0,
            "rules_channel_id": null, "vanity_url_code": null, "description": null, "banner": null,
            "premium_tier": 0, "preferred_locale": "en-US", "public_updates_channel_id": null,
            "nsfw_level": 0, "stickers": [], "premium_progress_bar_enabled": false,
            "joined_at": "2025-01-01T00:00:00.000000+00:00", "large": false, "member_count": 2,
            "voice_states": [], "members": [], "channels": [], "threads": [], "presences": [],
            "stage_instances": [], "guild_scheduled_events": [],
        });
        self.dispatch("GUILD_CREATE", guild);
    }

    /// A message in a channel, optionally mentioning the bot.
    pub fn message(&self, content: &str, channel: u64, mention_bot: bool, author_is_bot: bool) -> String {
        let id = self.new_id().to_string();
        let m = channel_message(&id, content, channel, mention_bot, author_is_bot);
        self.dispatch("MESSAGE_CREATE", m);
        id
    }

    /// A message replying to another user's message `replied` (in the same channel). As
    /// Discord does, the content of both is hidden from a bot without the Message Content
    /// intent unless the message mentions it.
    pub fn reply(&self, content: &str, replied: &str, channel: u64, mention_bot: bool) -> String {
        let content_intent = self.state.intents.load(Ordering::SeqCst) & MESSAGE_CONTENT != 0;
        let replied_id = self.new_id().to_string();
        let original = message_object(
            &replied_id,
            channel,
            user(USER_ID + 1, "colleague"),
            if content_intent { replied } else { "" },
            json!([]),
            json!([]),
        );
        let id = self.new_id().to_string();
        let shown = if content_intent || mention_bot { content } else { "" };
        let mut m = channel_message(&id, shown, channel, mention_bot, false);
        m["type"] = json!(19);
        m["message_reference"] = json!({ "type": 0, "message_id": replied_id, "channel_id": channel.to_string(), "guild_id": GUILD_ID.to_string() });
        m["referenced_message"] = original;
        self.dispatch("MESSAGE_CREATE", m);
        id
    }

    /// The callback the bot sent for interaction `id`.
    /// Sends a slash command and waits for the bot's callback to it.
    pub async fn slash_answered(&self, name: &str, options: Value, channel: u64, user: u64, locale: &str) -> Recorded {
        let since = self.requests().len();
        let id = self.slash(name, options, channel, user, locale);
        self.callback(since, &id).await
    }

    pub async fn callback(&self, since: usize, id: &str) -> Recorded {
        let prefix = format!("/api/v10/interactions/{id}/");
        self.wait_for(since, &format!("the callback of interaction {id}"), |r| {
            r.path.starts_with(&prefix)
        })
        .await
    }
}

/// A MESSAGE_CREATE of a teammate (or a bot) in a server channel.
fn channel_message(id: &str, content: &str, channel: u64, mention_bot: bool, author_is_bot: bool) -> Value {
    let mut author = user(USER_ID, "teammate");
    author["bot"] = json!(author_is_bot);
    json!({
        "id": id,
        "channel_id": channel.to_string(),
        "guild_id": GUILD_ID.to_string(),
        "author": author,
        "member": { "roles": [], "joined_at": "2025-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0 },
        "content": content,
        "timestamp": "2026-03-15T10:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": if mention_bot { json!([user(BOT_ID, "Dossier")]) } else { json!([]) },
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
    })
}

/// A message object as Discord sends it inside an interaction.
pub fn message_object(id: &str, channel: u64, author: Value, content: &str, embeds: Value, components: Value) -> Value {
    json!({
        "id": id, "channel_id": channel.to_string(), "author": author, "content": content,
        "timestamp": "2026-03-15T10:00:01.000000+00:00", "edited_timestamp": null, "tts": false,
        "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [],
        "embeds": embeds, "components": components, "pinned": false, "type": 0,
    })
}

/// The message the bot posted as the answer `body` of an interaction, for pressing its buttons.
pub fn answer_message(id: &str, channel: u64, body: &Value) -> Value {
    let data = &body["data"];
    message_object(
        id,
        channel,
        user(BOT_ID, "Dossier"),
        "",
        data["embeds"].clone(),
        data["components"].clone(),
    )
}

pub fn user(id: u64, name: &str) -> Value {
    json!({ "id": id.to_string(), "username": name, "discriminator": "0", "global_name": name, "avatar": null, "bot": id == BOT_ID })
}

/// A user who may not manage the server (everyone else in these tests may).
pub const MEMBER_ID: u64 = 1_100_000_000_000_000_007;

fn member(id: u64) -> Value {
    // VIEW_CHANNEL | SEND_MESSAGES, plus MANAGE_GUILD for everyone but MEMBER_ID.
    let permissions = if id == MEMBER_ID { "3072" } else { "3104" };
    json!({
        "user": user(id, &format!("user{}", id % 1000)),
        "roles": [],
        "joined_at": "2025-01-01T00:00:00.000000+00:00",
        "deaf": false,
        "mute": false,
        "flags": 0,
        "permissions": permissions,
    })
}

/// serenity drops events it cannot deserialise without a word; a test must not pass because
/// an event silently vanished.
fn check_with_serenity(event: &str, data: &Value) {
    match event {
        "INTERACTION_CREATE" => {
            serde_json::from_value::<serenity::all::Interaction>(data.clone())
                .unwrap_or_else(|e| panic!("serenity cannot read this interaction: {e}\n{data:#}"));
        }
        "MESSAGE_CREATE" => {
            serde_json::from_value::<serenity::all::Message>(data.clone())
                .unwrap_or_else(|e| panic!("serenity cannot read this message: {e}\n{data:#}"));
        }
        "GUILD_CREATE" => {
            serde_json::from_value::<serenity::all::Guild>(data.clone())
                .unwrap_or_else(|e| panic!("serenity cannot read this guild: {e}\n{data:#}"));
        }
        "READY" => {
            serde_json::from_value::<serenity::all::Ready>(data.clone())
                .unwrap_or_else(|e| panic!("serenity cannot read READY: {e}\n{data:#}"));
        }
        _ => {}
    }
}
