//! `dossier serve` as a user runs it: the real binary against the fake Discord, answering a
//! command and a mention, stopping cleanly on SIGTERM, and failing with one clear line when
//! the token is missing or rejected. The token never appears in its output.

mod common;
mod fake_discord;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fake_discord::{FakeDiscord, BOT_ID, CHANNEL_ID, USER_ID};
use serde_json::json;

const TOKEN: &str = "serve-test-token.Zm9vYmFy";

/// `dossier serve` with its index and state in folders of `dir`.
fn dossier(base: &str, token: &str, dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    let (index, state) = (dir.join("index"), dir.join("state"));
    cmd.args([
        "--corpus",
        common::bundled_corpus().to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ])
    .args(["--state", state.to_str().unwrap(), "serve"])
    .env("DISCORD_TOKEN", token)
    .env("DISCORD_API_BASE", base)
    .env("DOSSIER_GUILD_ID", fake_discord::GUILD_ID.to_string())
    .env("DOSSIER_LOG", "debug")
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    cmd
}

/// Kills the bot if a test fails before stopping it (so no stray process holds the port).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("dossier serve did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Reads the child's stderr in the background (so a full pipe never blocks it).
fn collect(child: &mut Child) -> std::sync::Arc<std::sync::Mutex<String>> {
    use std::io::BufRead;
    let out = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = out.clone();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
    out
}

fn stderr_of(child: &mut Child) -> String {
    use std::io::Read;
    let mut s = String::new();
    child.stderr.take().unwrap().read_to_string(&mut s).unwrap();
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_a_command_and_a_mention_then_stops_on_sigterm() {
    let fake = FakeDiscord::start(TOKEN).await;
    let index = tempfile::tempdir().unwrap();
    let mut guard = Killed(dossier(&fake.base, TOKEN, index.path()).spawn().unwrap());
    let child = &mut guard.0;
    // Read the log from the start: a full pipe would block the bot.
    let log = collect(child);
    tokio::time::timeout(Duration::from_secs(60), fake.wait_ready())
        .await
        .expect("registered commands");

    let since = fake.requests().len();
    let id = fake.slash(
        "source",
        json!([{ "name": "query", "type": 3, "value": "143亿美元" }]),
        CHANNEL_ID,
        USER_ID,
        "en-US",
    );
    let cb = match tokio::time::timeout(Duration::from_secs(15), fake.callback(since, &id)).await {
        Ok(cb) => cb,
        Err(_) => panic!("no callback; the bot said:\n{}", log.lock().unwrap()),
    };
    assert_eq!(cb.status, 204);
    assert!(cb.body["data"]["embeds"][0]["fields"][0]["value"]
        .as_str()
        .unwrap()
        .contains("143"));

    let since = fake.requests().len();
    fake.message(&format!("<@{BOT_ID}> Who leads TBD Lab"), CHANNEL_ID, true, false);
    let reply = fake
        .wait_for(since, "the mention's reply", |r| r.path.ends_with("/messages"))
        .await;
    assert!(reply.body["embeds"][0].to_string().contains("Alexandr Wang"));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = wait_exit(child, Duration::from_secs(15));
    assert!(exit.success(), "a clean exit on SIGTERM: {exit:?}");
    std::thread::sleep(Duration::from_millis(200));
    let log = log.lock().unwrap().clone();
    assert!(
        !log.contains(TOKEN) && !log.contains("Zm9vYmFy"),
        "the token leaked into the log"
    );
    let leaks: Vec<&str> = log.lines().filter(|l| l.contains("itoken-")).collect();
    assert!(leaks.is_empty(), "interaction tokens leaked into the log: {leaks:#?}");
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_or_missing_token_is_one_clear_line() {
    let fake = FakeDiscord::start(TOKEN).await;
    let index = tempfile::tempdir().unwrap();
    let mut child = dossier(&fake.base, "wrong-token-123", index.path()).spawn().unwrap();
    let exit = wait_exit(&mut child, Duration::from_secs(60));
    assert_eq!(exit.code(), Some(2));
    let log = stderr_of(&mut child);
    let errors: Vec<&str> = log.lines().filter(|l| l.starts_with("dossier: ")).collect();
    assert_eq!(errors.len(), 1, "{log}");
    assert!(errors[0].contains("rejected DISCORD_TOKEN"), "{log}");
    assert!(!log.contains("wrong-token-123") && !log.contains("panicked"), "{log}");

    let mut child = dossier(&fake.base, "", index.path()).spawn().unwrap();
    let exit = wait_exit(&mut child, Duration::from_secs(60));
    assert_eq!(exit.code(), Some(2));
    let log = stderr_of(&mut child);
    assert_eq!(log.lines().filter(|l| l.starts_with("dossier: ")).count(), 1, "{log}");
    assert!(log.contains("DISCORD_TOKEN is not set"), "{log}");
}

/// Writes a JSON HTTP response and closes.
fn reply_json(stream: &mut std::net::TcpStream, status: &str, body: &str) {
    use std::io::Write;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// Waits for the bot to stop with exit code 2; its whole log and its last error line.
fn fails_with_one_line(child: &mut Child, limit: Duration) -> (String, String) {
    let exit = wait_exit(child, limit);
    assert_eq!(exit.code(), Some(2));
    let log = stderr_of(child);
    let last = log
        .lines()
        .rfind(|l| l.starts_with("dossier: "))
        .expect("one error line")
        .to_string();
    (log, last)
}

/// A server on 127.0.0.1 that reads each request and hands it to `respond` (which may never
/// answer); returns its base URL.
fn raw_server(respond: fn(std::net::TcpStream, String)) -> String {
    use std::io::Read;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(16).flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 8192];
                let n = stream.read(&mut buf).unwrap_or(0);
                respond(stream, String::from_utf8_lossy(&buf[..n]).into_owned());
            });
        }
    });
    base
}

#[test]
fn an_error_that_echoes_the_token_never_prints_it() {
    let base = raw_server(|mut stream, request| {
        // A hostile or buggy endpoint quoting the Authorization header back.
        let auth = request
            .lines()
            .find_map(|l| {
                l.strip_prefix("authorization: ")
                    .or_else(|| l.strip_prefix("Authorization: "))
            })
            .unwrap_or("none")
            .to_string();
        let body = format!("{{\"message\": \"failed: bad token {auth}\", \"code\": 50001}}");
        reply_json(&mut stream, "403 Forbidden", &body);
    });
    let index = tempfile::tempdir().unwrap();
    let token = "echoed-secret.abc.def";
    let mut child = dossier(&base, token, index.path()).spawn().unwrap();
    let (log, last) = fails_with_one_line(&mut child, Duration::from_secs(60));
    assert!(!log.contains("echoed-secret"), "the token was printed: {log}");
    assert!(
        last.contains("[redacted]"),
        "the echo reached the error line, redacted: {last}"
    );
}

#[test]
fn an_api_that_never_answers_is_a_clear_error_not_a_hang() {
    let base = raw_server(|stream, _| {
        // Accept, read, and say nothing for longer than any test runs.
        std::thread::sleep(Duration::from_secs(600));
        drop(stream);
    });
    let index = tempfile::tempdir().unwrap();
    let mut child = dossier(&base, TOKEN, index.path())
        .env("DOSSIER_HTTP_TIMEOUT_SECS", "1")
        .spawn()
        .unwrap();
    let (log, last) = fails_with_one_line(&mut child, Duration::from_secs(90));
    assert!(last.contains("cannot reach Discord"), "{log}");
    assert!(log.contains("trying again"), "retried with backoff: {log}");
}

#[test]
fn a_gateway_that_never_answers_is_a_clear_error_not_a_hang() {
    use std::io::Read;
    // The gateway: accepts the connection and never completes the websocket handshake.
    let gateway = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let gateway_url = format!("ws://{}", gateway.local_addr().unwrap());
    std::thread::spawn(move || {
        let held: Vec<_> = gateway.incoming().take(8).flatten().collect();
        std::thread::sleep(Duration::from_secs(600));
        drop(held);
    });
    // The REST API: answers the gateway lookup, and 404 to anything else.
    let api = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", api.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in api.incoming().take(32).flatten() {
            let mut buf = [0u8; 8192];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let (status, body) = if request.contains("/gateway/bot") {
                let body = json!({
                    "url": gateway_url, "shards": 1,
                    "session_start_limit": { "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1 },
                });
                ("200 OK", body.to_string())
            } else {
                ("404 Not Found", json!({"message": "Unknown", "code": 0}).to_string())
            };
            reply_json(&mut stream, status, &body);
        }
    });
    let index = tempfile::tempdir().unwrap();
    let mut child = dossier(&base, TOKEN, index.path())
        .env("DOSSIER_HTTP_TIMEOUT_SECS", "2")
        .spawn()
        .unwrap();
    let (log, last) = fails_with_one_line(&mut child, Duration::from_secs(90));
    assert!(last.contains("handshake"), "{log}");
}
