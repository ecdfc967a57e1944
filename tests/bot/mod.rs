//! The bot under test, in process: the shared engine behind a backend that can be slowed
//! down or made to fail, connected to a fake Discord.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dossier::answer::Answer;
use dossier::command::{Command, Request};
use dossier::discord::{Backend, Settings};
use dossier::engine::{Engine, Failure, Response};
use dossier::state::StateStore;
use serde_json::{json, Value};

use super::common;
use super::fake_discord::{self, FakeDiscord};

pub const TOKEN: &str = "fake-bot-token.abcdef";

/// The shared engine, recording whether each answer came from the cache, optionally slow or
/// failing on purpose.
pub struct TestBackend {
    pub engine: &'static Engine,
    pub cached: Mutex<Vec<(String, bool)>>,
    pub delay: Duration,
    /// Behaves as an engine whose answer cache keeps nothing (`--cache-entries 0`, or every
    /// answer dropped by a corpus change): no cache ids, no cached answers.
    pub forgetful: bool,
}

impl TestBackend {
    pub fn new() -> Arc<TestBackend> {
        TestBackend::over(common::engine())
    }

    pub fn over(engine: &'static Engine) -> Arc<TestBackend> {
        Arc::new(TestBackend::plain(engine))
    }

    /// See [`TestBackend::forgetful`].
    pub fn forgetful() -> Arc<TestBackend> {
        Arc::new(TestBackend {
            forgetful: true,
            ..TestBackend::plain(common::engine())
        })
    }

    /// Answers after `delay`.
    pub fn slow(delay: Duration) -> Arc<TestBackend> {
        Arc::new(TestBackend {
            delay,
            ..TestBackend::plain(common::engine())
        })
    }

    fn plain(engine: &'static Engine) -> TestBackend {
        TestBackend {
            engine,
            cached: Mutex::new(vec![]),
            delay: Duration::ZERO,
            forgetful: false,
        }
    }
}

impl Backend for TestBackend {
    fn answer(&self, channel: &str, request: &Request) -> Response {
        std::thread::sleep(self.delay);
        if request.query == "boom" {
            let mut r = self.engine.answer(channel, &Request::new(Command::Help, ""));
            r.error = Some(Failure::Internal);
            return r;
        }
        let mut r = self.engine.answer(channel, request);
        self.cached.lock().unwrap().push((request.query.clone(), r.cached));
        if self.forgetful {
            r.cache_id = None;
        }
        r
    }

    fn answer_line(&self, channel: &str, line: &str) -> Response {
        self.engine.answer_line(channel, line)
    }

    fn cached_answer(&self, channel: &str, id: u64) -> Option<(Command, Arc<Answer>)> {
        self.engine.cached_answer(channel, id).filter(|_| !self.forgetful)
    }

    fn claim_query(&self, text: &str) -> String {
        self.engine.claim_query(text)
    }

    fn mentioned(&self, channel: &str, text: &str) -> Response {
        self.engine.mentioned(channel, text)
    }

    fn name_choices(&self, partial: &str) -> Vec<(String, String)> {
        Backend::name_choices(self.engine, partial)
    }

    fn document_choices(&self, partial: &str) -> Vec<(String, String)> {
        Backend::document_choices(self.engine, partial)
    }

    fn ingest(
        &self,
        name: &str,
        bytes: &[u8],
        max: usize,
    ) -> Result<dossier::ingest::Ingested, dossier::ingest::IngestError> {
        self.engine.ingest(name, bytes, max)
    }
}

impl dossier::ingest::LinkTarget for TestBackend {
    fn document_at(&self, link: &str) -> Result<Option<String>, dossier::ingest::IngestError> {
        self.engine.document_at(link)
    }

    fn ingest_fetched(
        &self,
        link: &str,
        page: &dossier::fetch::Fetched,
        max: usize,
    ) -> Result<dossier::ingest::Ingested, dossier::ingest::IngestError> {
        self.engine.ingest_fetched(link, page, max)
    }
}

impl dossier::digest::DigestSource for TestBackend {
    fn digest(
        &self,
        since: chrono::NaiveDate,
        until: chrono::NaiveDate,
        topic: Option<&str>,
    ) -> anyhow::Result<dossier::digest::Digest> {
        self.engine.digest(since, until, topic)
    }
}

pub struct Running {
    pub fake: FakeDiscord,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    bot: tokio::task::JoinHandle<Result<(), dossier::discord::ServeError>>,
}

pub async fn start(backend: Arc<TestBackend>, rate_max: usize) -> Running {
    start_with(backend, rate_max, None).await
}

pub async fn start_with(backend: Arc<TestBackend>, rate_max: usize, store: Option<Arc<dyn StateStore>>) -> Running {
    start_configured(backend, store, |s| s.rate_max = rate_max).await
}

/// The bot over `engine`, fetching links from the test's own site on 127.0.0.1 (the test-only
/// loopback setting) without pausing between requests.
pub async fn start_fetching(engine: &'static Engine, store: Option<Arc<dyn StateStore>>) -> Running {
    start_configured(TestBackend::over(engine), store, |s| {
        s.rate_max = 50;
        s.fetch.allow_loopback = true;
        s.fetch.host_interval = Duration::ZERO;
    })
    .await
}

/// Starts the bot with settings changed by `configure` (after the test defaults).
pub async fn start_configured(
    backend: Arc<TestBackend>,
    store: Option<Arc<dyn StateStore>>,
    configure: impl FnOnce(&mut Settings),
) -> Running {
    let fake = FakeDiscord::start(TOKEN).await;
    let mut settings = Settings::new(TOKEN);
    settings.api_base = Some(fake.base.clone());
    settings.guild_id = Some(fake_discord::GUILD_ID);
    configure(&mut settings);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = tokio::spawn(dossier::discord::serve(settings, backend, store, async move {
        let _ = stopped.await;
    }));
    tokio::time::timeout(Duration::from_secs(30), fake.wait_ready())
        .await
        .expect("the bot registered its commands");
    Running {
        fake,
        stop: Some(stop),
        bot,
    }
}

impl Running {
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let result = tokio::time::timeout(Duration::from_secs(10), self.bot)
            .await
            .expect("the bot stops promptly");
        result.unwrap().expect("a clean stop");
        let problems = self.fake.problems();
        assert!(problems.is_empty(), "the fake refused requests: {problems:#?}");
        for r in self.fake.requests() {
            // Every message body the bot sent allows no mentions at all.
            let message = if r.path.contains("/callback") {
                r.body["data"].clone()
            } else {
                r.body.clone()
            };
            let is_message = r.path.contains("/messages") && r.method != "DELETE"
                || r.path.contains("/callback") && r.body["type"] != 8 && r.body["type"] != 5
                || r.path.ends_with(&format!("/{TOKEN}"));
            if is_message && !message.is_null() {
                let am = &message["allowed_mentions"];
                assert!(
                    am.is_object(),
                    "{} {} has no allowed_mentions: {message}",
                    r.method,
                    r.path
                );
                assert!(am["parse"].as_array().is_none_or(|p| p.is_empty()), "{am}");
                assert!(
                    am["users"].as_array().is_none_or(|p| p.is_empty())
                        && am["roles"].as_array().is_none_or(|p| p.is_empty())
                );
                assert_ne!(am["replied_user"], json!(true));
            }
        }
    }
}

/// A string option of a slash command.
pub fn string_option(name: &str, value: &str) -> Value {
    json!({ "name": name, "type": 3, "value": value })
}

/// What the reader sees of an answer's first embed (Markdown markers and escapes removed).
pub fn embed_text(body: &Value) -> String {
    let e = &body["data"]["embeds"][0];
    let mut s = format!(
        "{}\n{}\n",
        e["title"].as_str().unwrap_or(""),
        e["description"].as_str().unwrap_or("")
    );
    for f in e["fields"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "{}\n{}\n",
            f["name"].as_str().unwrap(),
            f["value"].as_str().unwrap()
        ));
    }
    s.push_str(e["footer"]["text"].as_str().unwrap_or(""));
    // What the reader sees: Markdown markers and escapes removed.
    s.replace("**", "").replace('\\', "")
}
