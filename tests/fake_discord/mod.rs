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

    /// Sends a gateway dispatch after checking serenity can read it.
    pub fn dispatch(&self, event: &str, data: Value) {
        check_with_serenity(event, &data);
        let seq = self.state.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let frame = json!({ "op": 0, "s": seq, "t": event, "d": data }).to_string();
        let sender = self
            .state
            .gateway
            .lock()
            .unwrap()
            .clone()
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

    /// A message in a channel, optionally mentioning the bot.
    pub fn message(&self, content: &str, channel: u64, mention_bot: bool, author_is_bot: bool) -> String {
        let id = self.new_id();
        let mut author = user(USER_ID, "teammate");
        author["bot"] = json!(author_is_bot);
        let m = json!({
            "id": id.to_string(),
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
        });
        self.dispatch("MESSAGE_CREATE", m);
        id.to_string()
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
        "READY" => {
            serde_json::from_value::<serenity::all::Ready>(data.clone())
                .unwrap_or_else(|e| panic!("serenity cannot read READY: {e}\n{data:#}"));
        }
        _ => {}
    }
}

async fn gateway(ws: WebSocketUpgrade, AxumState(state): AxumState<Arc<State>>) -> Response {
    ws.on_upgrade(move |socket| run_gateway(socket, state))
}

async fn run_gateway(socket: WebSocket, state: Arc<State>) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    let hello = json!({ "op": 10, "d": { "heartbeat_interval": 41250 } }).to_string();
    if sink.send(WsMessage::Text(hello.into())).await.is_err() {
        return;
    }
    let writer = tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            if sink.send(WsMessage::Text(frame.into())).await.is_err() {
                break;
            }
        }
    });
    while let Some(Ok(msg)) = stream.next().await {
        let WsMessage::Text(text) = msg else { continue };
        let Ok(v) = serde_json::from_str::<Value>(text.as_str()) else {
            continue;
        };
        match v["op"].as_u64() {
            Some(1) => {
                let _ = tx.send(json!({ "op": 11 }).to_string());
            }
            Some(2) => {
                if v["d"]["token"].as_str().map(|t| t.trim_start_matches("Bot ")) != Some(state.token.as_str()) {
                    let _ = tx.send(json!({ "op": 9, "d": false }).to_string());
                    continue;
                }
                *state.gateway.lock().unwrap() = Some(tx.clone());
                let ready = json!({
                    "v": 10,
                    "user": user(BOT_ID, "Dossier"),
                    "guilds": [{ "id": GUILD_ID.to_string(), "unavailable": true }],
                    "session_id": "fake-session",
                    "resume_gateway_url": format!("{}/gateway", state.base.replace("http", "ws")),
                    "shard": [0, 1],
                    "application": { "id": APP_ID.to_string(), "flags": 0 },
                    "private_channels": [],
                    "presences": [],
                    "relationships": [],
                });
                check_with_serenity("READY", &ready);
                let seq = state.seq.fetch_add(1, Ordering::SeqCst) + 1;
                let _ = tx.send(json!({ "op": 0, "s": seq, "t": "READY", "d": ready }).to_string());
                state.identified.notify_waiters();
            }
            _ => {}
        }
    }
    writer.abort();
}

fn error(status: StatusCode, code: u32, message: &str) -> Response {
    (status, axum::Json(json!({ "code": code, "message": message }))).into_response()
}

async fn rest(
    AxumState(state): AxumState<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let body: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    };
    let response = handle(&state, &method, &path, &headers, &body);
    let status = response.status().as_u16();
    state.requests.lock().unwrap().push(Recorded {
        method: method.to_string(),
        path,
        body,
        status,
        at: Instant::now(),
    });
    state.changed.notify_waiters();
    response
}

fn handle(state: &State, method: &Method, path: &str, headers: &HeaderMap, body: &Value) -> Response {
    let Some(route) = path.strip_prefix("/api/v10") else {
        return error(StatusCode::NOT_FOUND, 0, "404: Not Found");
    };
    let auth = headers.get("authorization").and_then(|h| h.to_str().ok()).unwrap_or("");
    let is_webhook =
        route.starts_with("/webhooks/") || route.starts_with("/interactions/") || route.starts_with("/attachments/");
    if route != "/gateway" && !is_webhook && auth != format!("Bot {}", state.token) {
        return error(StatusCode::UNAUTHORIZED, 0, "401: Unauthorized");
    }
    if matches!(*method, Method::POST | Method::PUT | Method::PATCH) {
        if let Some(spec) = &state.spec {
            if let Err(why) = spec.check(method.as_str(), route, body) {
                state.problems.lock().unwrap().push(format!("{method} {route}: {why}"));
                return error(StatusCode::BAD_REQUEST, 50035, &format!("Invalid Form Body: {why}"));
            }
        }
    }
    let parts: Vec<&str> = route.trim_start_matches('/').split('/').collect();
    let ws = state.base.replace("http", "ws");
    match (method.as_str(), parts.as_slice()) {
        ("GET", ["gateway"]) => axum::Json(json!({ "url": format!("{ws}/gateway") })).into_response(),
        ("GET", ["gateway", "bot"]) => axum::Json(json!({
            "url": format!("{ws}/gateway"),
            "shards": 1,
            "session_start_limit": { "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1 },
        }))
        .into_response(),
        ("GET", ["oauth2", "applications", "@me"]) => axum::Json(json!({
            "id": APP_ID.to_string(), "name": "Dossier", "icon": null, "description": "", "bot_public": true,
            "bot_require_code_grant": false, "verify_key": "0", "flags": 0, "team": null,
            "owner": user(USER_ID, "owner"), "summary": "",
        }))
        .into_response(),
        ("GET", ["users", "@me"]) => axum::Json(user(BOT_ID, "Dossier")).into_response(),
        ("PUT", ["applications", _, "commands"]) | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            let commands: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, mut c)| {
                    c["id"] = json!((1_300_000_000_000_000_000u64 + i as u64).to_string());
                    c["application_id"] = json!(APP_ID.to_string());
                    c["version"] = json!("1");
                    c["type"] = c.get("type").cloned().unwrap_or(json!(1));
                    c["default_member_permissions"] =
                        c.get("default_member_permissions").cloned().unwrap_or(Value::Null);
                    c
                })
                .collect();
            *state.commands.lock().unwrap() = commands.clone();
            axum::Json(Value::Array(commands)).into_response()
        }
        ("POST", ["interactions", id, token, "callback"]) => interaction_callback(state, id, token, body),
        ("PATCH", ["webhooks", _, token, "messages", _]) | ("POST", ["webhooks", _, token]) => {
            if !state.interactions.lock().unwrap().values().any(|i| i.token == *token) {
                return error(StatusCode::NOT_FOUND, 10015, "Unknown Webhook");
            }
            if let Err(why) = check_message(body) {
                state.problems.lock().unwrap().push(format!("{method} {route}: {why}"));
                return error(StatusCode::BAD_REQUEST, 50035, &why);
            }
            axum::Json(message_object(state, CHANNEL_ID, body)).into_response()
        }
        ("DELETE", ["webhooks", _, _, "messages", _]) => StatusCode::NO_CONTENT.into_response(),
        ("POST", ["channels", channel, "messages"]) => {
            if let Err(why) = check_message(body) {
                state.problems.lock().unwrap().push(format!("{method} {route}: {why}"));
                return error(StatusCode::BAD_REQUEST, 50035, &why);
            }
            // Like Discord: with enforce_nonce, a nonce seen before returns the first message.
            let nonce = body["nonce"]
                .as_str()
                .map(str::to_string)
                .filter(|_| body["enforce_nonce"] == true);
            if let Some(n) = &nonce {
                if let Some(existing) = state.nonces.lock().unwrap().get(n) {
                    return axum::Json(existing.clone()).into_response();
                }
            }
            let channel: u64 = channel.parse().unwrap_or(CHANNEL_ID);
            let m = message_object(state, channel, body);
            state.created.lock().unwrap().push((channel, m.clone()));
            if let Some(n) = nonce {
                state.nonces.lock().unwrap().insert(n, m.clone());
            }
            axum::Json(m).into_response()
        }
        ("GET", ["attachments", name]) => match state.files.lock().unwrap().get(*name) {
            Some(bytes) => bytes.clone().into_response(),
            None => error(StatusCode::NOT_FOUND, 0, "404: Not Found"),
        },
        _ => {
            state
                .problems
                .lock()
                .unwrap()
                .push(format!("unexpected request {method} {route}"));
            error(StatusCode::NOT_FOUND, 0, "404: Not Found")
        }
    }
}

fn interaction_callback(state: &State, id: &str, token: &str, body: &Value) -> Response {
    let mut interactions = state.interactions.lock().unwrap();
    let Some(i) = interactions.get_mut(id).filter(|i| i.token == token) else {
        return error(StatusCode::NOT_FOUND, 10062, "Unknown interaction");
    };
    if i.created.elapsed() > Duration::from_secs(3) {
        return error(StatusCode::NOT_FOUND, 10062, "Unknown interaction");
    }
    if i.responded {
        return error(
            StatusCode::BAD_REQUEST,
            40060,
            "Interaction has already been acknowledged.",
        );
    }
    if let Some(data) = body.get("data").filter(|d| !d.is_null()) {
        if body["type"] != 8 {
            if let Err(why) = check_message(data) {
                drop(interactions);
                state.problems.lock().unwrap().push(format!("callback {id}: {why}"));
                return error(StatusCode::BAD_REQUEST, 50035, &why);
            }
        } else if data["choices"].as_array().is_some_and(|c| c.len() > 25) {
            return error(StatusCode::BAD_REQUEST, 50035, "more than 25 choices");
        }
    }
    i.responded = true;
    StatusCode::NO_CONTENT.into_response()
}

/// Discord's message limits and the mention rule this bot promises.
pub fn check_message(m: &Value) -> Result<(), String> {
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    if chars(&m["content"]) > 2000 {
        return Err("content over 2000 characters".into());
    }
    let embeds = m["embeds"].as_array().cloned().unwrap_or_default();
    if embeds.len() > 10 {
        return Err("more than 10 embeds".into());
    }
    let mut total = 0;
    for e in &embeds {
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        if chars(&e["title"]) > 256
            || chars(&e["description"]) > 4096
            || fields.len() > 25
            || chars(&e["footer"]["text"]) > 2048
        {
            return Err(format!("embed over a limit: {e}"));
        }
        for f in &fields {
            if chars(&f["name"]) > 256 || chars(&f["value"]) > 1024 || chars(&f["name"]) == 0 || chars(&f["value"]) == 0
            {
                return Err(format!("field over a limit or empty: {f}"));
            }
            total += chars(&f["name"]) + chars(&f["value"]);
        }
        total +=
            chars(&e["title"]) + chars(&e["description"]) + chars(&e["footer"]["text"]) + chars(&e["author"]["name"]);
    }
    if total > 6000 {
        return Err(format!("embeds total {total} characters, over 6000"));
    }
    if let Some(parse) = m["allowed_mentions"]["parse"].as_array() {
        if parse.iter().any(|p| p == "everyone" || p == "roles") {
            return Err("allowed_mentions may not allow everyone or roles here".into());
        }
    }
    Ok(())
}

fn message_object(state: &State, channel: u64, body: &Value) -> Value {
    let id = state.next_id.fetch_add(1, Ordering::SeqCst);
    let m = json!({
        "id": id.to_string(),
        "channel_id": channel.to_string(),
        "author": user(BOT_ID, "Dossier"),
        "content": body["content"].as_str().unwrap_or(""),
        "timestamp": "2026-03-15T10:00:01.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body["embeds"].clone().as_array().cloned().unwrap_or_default(),
        "components": body["components"].clone().as_array().cloned().unwrap_or_default(),
        "pinned": false,
        "type": 0,
        "flags": body["flags"].as_u64().unwrap_or(0),
    });
    check_with_serenity("MESSAGE_CREATE", &m);
    m
}
