//! The fake's server side: the gateway websocket and the REST routes, answering like
//! Discord (validation against the spec, limits, the 3-second callback window).

use super::*;

pub(super) async fn gateway(ws: WebSocketUpgrade, AxumState(state): AxumState<Arc<State>>) -> Response {
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
                state
                    .intents
                    .store(v["d"]["intents"].as_u64().unwrap_or(0), Ordering::SeqCst);
                state.shards.lock().unwrap().push(v["d"]["shard"].clone());
                let shard = [
                    v["d"]["shard"][0].as_u64().unwrap_or(0),
                    v["d"]["shard"][1].as_u64().unwrap_or(1),
                ];
                state.by_shard.lock().unwrap().insert(shard[0], tx.clone());
                let ready = json!({
                    "v": 10,
                    "user": user(BOT_ID, "Dossier"),
                    "guilds": [{ "id": GUILD_ID.to_string(), "unavailable": true }],
                    "session_id": "fake-session",
                    "resume_gateway_url": format!("{}/gateway", state.base.replace("http", "ws")),
                    "shard": shard,
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

pub(super) async fn rest(
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
    let stalled = *state.stalled.lock().unwrap();
    if stalled.is_some_and(|c| method == Method::POST && uri.path().ends_with(&format!("/channels/{c}/messages"))) {
        let released = state.unstall.notified();
        if state.stalled.lock().unwrap().is_some() {
            let _ = tokio::time::timeout(Duration::from_secs(60), released).await;
        }
    }
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
