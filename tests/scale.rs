//! Past one process, end to end: one `dossier index --watch` and three `dossier serve
//! --read-only-index` processes running one gateway shard each, sharing PostgreSQL, against
//! the fake Discord. A guild's mention is answered once, by the process of its shard; a due
//! digest is posted exactly once though every process schedules it; a file dropped into the
//! corpus becomes searchable in all of them.
//!
//! Needs PostgreSQL (`DOSSIER_TEST_POSTGRES`, by default the local server); skipped with a
//! message without one, except in CI.

mod common;
mod fake_discord;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Timelike, Utc};
use dossier::state::Subscription;
use fake_discord::{FakeDiscord, BOT_ID, CHANNEL_ID, GUILD_ID, USER_ID};
use serde_json::json;

const TOKEN: &str = "scale-test-token";
/// Gateway shards, one per bot process.
const SHARDS: u64 = 3;

/// Kills its processes however the test ends.
struct Processes(Vec<Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn dossier(dir: &Path, env: &[(&str, String)], args: &[&str]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("DOSSIER_SHARDS")
        .env("DOSSIER_LOG", "warn,dossier=info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

/// Waits until the process's log says `line` (its log is then passed through to ours).
fn wait_for_line(child: &mut Child, line: &str, name: &str) {
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let (line, name) = (line.to_string(), name.to_string());
    std::thread::spawn(move || {
        let mut told = false;
        for l in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("[{name}] {l}");
            if !told && l.contains(&line) {
                let _ = tx.send(());
                told = true;
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(120)).expect("the process started");
}

/// An indexer and one bot process per gateway shard (`SHARDS`) on one corpus, index and
/// PostgreSQL schema, against a fake Discord.
struct Cluster {
    fake: FakeDiscord,
    store: std::sync::Arc<dyn dossier::state::StateStore>,
    processes: Processes,
    corpus: std::path::PathBuf,
    schema: String,
    _work: tempfile::TempDir,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for c in &mut self.processes.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
        common::drop_schema(&self.schema);
    }
}

/// A subscription of `channel` whose slot was a minute ago and not yet posted.
fn due_subscription(store: &dyn dossier::state::StateStore, channel: u64) -> (Subscription, chrono::DateTime<Utc>) {
    let slot = (Utc::now() - chrono::Duration::minutes(1))
        .with_second(0)
        .unwrap()
        .with_nanosecond(0)
        .unwrap();
    let sub = Subscription {
        guild: GUILD_ID.to_string(),
        channel: channel.to_string(),
        weekday: chrono::Datelike::weekday(&slot).num_days_from_monday() as u8,
        minute_of_day: (slot.hour() * 60 + slot.minute()) as u16,
        timezone: "UTC".into(),
        topic: None,
        created_by: "u".into(),
    };
    store.subscribe(&sub).unwrap();
    store.mark_posted(&sub.key(), slot - chrono::Duration::days(7)).unwrap();
    (sub, slot)
}

/// Starts the cluster; `before_bots` runs once the fake and the store exist (to subscribe,
/// stall posts) and before the bots start. `None` without PostgreSQL.
async fn start_cluster(
    name: &str,
    extra: &[(&str, &str)],
    before_bots: impl FnOnce(&FakeDiscord, &dyn dossier::state::StateStore),
) -> Option<Cluster> {
    let schema = format!("dossier_scale_{name}_{}", std::process::id());
    let store = common::postgres_store(&schema)?;
    let state = common::postgres_schema_url(&schema);
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for entry in std::fs::read_dir(common::bundled_corpus()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
    }
    let index = work.path().join("index");
    let fake = FakeDiscord::start(TOKEN).await;
    let mut env = vec![
        ("DOSSIER_CORPUS", corpus.display().to_string()),
        ("DOSSIER_INDEX", index.display().to_string()),
        ("DOSSIER_DATA", common::repo().join("data").display().to_string()),
        ("DOSSIER_STATE", state.clone()),
        ("DOSSIER_RESCAN_SECS", "1".to_string()),
        ("DISCORD_TOKEN", TOKEN.to_string()),
        ("DISCORD_API_BASE", fake.base.clone()),
        ("DOSSIER_GUILD_ID", GUILD_ID.to_string()),
        ("DOSSIER_SHARD_TOTAL", SHARDS.to_string()),
    ];
    env.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    {
        let store = store.clone();
        // The synchronous calls of the test's own setup stay off the async threads.
        let fake_ref = &fake;
        tokio::task::block_in_place(|| before_bots(fake_ref, store.as_ref()));
    }
    let mut processes = Processes(Vec::new());
    let mut indexer = dossier(work.path(), &env, &["index", "--watch"]);
    wait_for_line(&mut indexer, "watching the corpus folder", &format!("{name} indexer"));
    processes.0.push(indexer);
    for shard in 0..SHARDS {
        let mut env = env.clone();
        env.push(("DOSSIER_SHARDS", shard.to_string()));
        let mut bot = dossier(work.path(), &env, &["serve", "--read-only-index"]);
        wait_for_line(
            &mut bot,
            "following the indexer's commits",
            &format!("{name} shard {shard}"),
        );
        processes.0.push(bot);
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while fake.identified_shards().len() < SHARDS as usize {
        assert!(
            Instant::now() < deadline,
            "every shard connects: {:?}",
            fake.identified_shards()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Some(Cluster {
        fake,
        store,
        processes,
        corpus,
        schema,
        _work: work,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shards_in_three_processes_share_state_and_one_indexer() {
    let digest_channel = CHANNEL_ID + 50;
    let mut due = None;
    let Some(cluster) = start_cluster("shared", &[], |_, store| {
        due = Some(due_subscription(store, digest_channel))
    })
    .await
    else {
        return;
    };
    let (sub, slot) = due.unwrap();
    let (fake, store) = (&cluster.fake, &cluster.store);
    let mut shards = fake.identified_shards();
    shards.sort_by_key(|s| s[0].as_u64());
    let expected: Vec<_> = (0..SHARDS).map(|s| json!([s, SHARDS])).collect();
    assert_eq!(shards, expected);

    // The digest: every process schedules it, one posts it.
    let deadline = Instant::now() + Duration::from_secs(30);
    while fake.created_messages(digest_channel).is_empty() {
        assert!(Instant::now() < deadline, "the due digest is posted");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let posts = fake
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with(&format!("/channels/{digest_channel}/messages")))
        .count();
    assert_eq!(
        posts,
        fake.created_messages(digest_channel).len(),
        "no message sent twice"
    );
    let last = tokio::task::block_in_place(|| store.last_posted(&sub.key()).unwrap());
    assert_eq!(last, Some(slot));
    // A mention reaches the process of the guild's shard and is answered once.
    let guild_shard = (GUILD_ID >> 22) % SHARDS;
    fake.route_to(Some(guild_shard));
    let since = fake.requests().len();
    fake.message(&format!("<@{BOT_ID}> 牛油果为什么推迟"), CHANNEL_ID, true, false);
    fake.wait_for(since, "the reply to the mention", |r| {
        r.path.ends_with(&format!("/channels/{CHANNEL_ID}/messages"))
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let replies = fake
        .requests()
        .iter()
        .skip(since)
        .filter(|r| r.path.ends_with(&format!("/channels/{CHANNEL_ID}/messages")))
        .count();
    assert_eq!(replies, 1);

    // A file dropped into the shared corpus becomes searchable in every process.
    std::fs::write(
        cluster.corpus.join("dropped.txt"),
        "Harbour news\n\nThe Quillmoor ferry resumed its crossings after the winter storms.\n",
    )
    .unwrap();
    for shard in 0..SHARDS {
        fake.route_to(Some(shard));
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let cb = fake
                .slash_answered(
                    "source",
                    json!([{ "name": "query", "type": 3, "value": "Quillmoor ferry" }]),
                    CHANNEL_ID + 60 + shard,
                    USER_ID,
                    "en-US",
                )
                .await;
            if cb.body.to_string().contains("Quillmoor") && cb.body["data"]["embeds"][0]["fields"].is_array() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "shard {shard} never found the dropped file: {}",
                cb.body
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poster_killed_mid_post_is_replaced_once_its_lease_ends() {
    let channel = CHANNEL_ID + 80;
    let mut due = None;
    // The lease must outlast the claim, the first post and the kill below even on a loaded
    // machine: with 3 s, the other process sometimes claimed the period while the first was
    // still stalled, and the test killed that one, which had sent nothing.
    let Some(mut cluster) = start_cluster("killed", &[("DOSSIER_DIGEST_LEASE_SECS", "10")], |fake, store| {
        // The first message of the digest is created, but its sender never hears back.
        fake.stall_posts_to(channel);
        due = Some(due_subscription(store, channel));
    })
    .await
    else {
        return;
    };
    let (sub, slot) = due.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while cluster.fake.created_messages(channel).is_empty() {
        assert!(Instant::now() < deadline, "a process starts posting");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // kill -9 the process holding the claim (its owner id carries its pid).
    let owner: String = {
        let (schema, key) = (cluster.schema.clone(), sub.key());
        common::with_postgres(move |c| {
            c.query_one(&format!("SELECT owner FROM {schema}.claims WHERE key = $1"), &[&key])
                .unwrap()
                .get(0)
        })
    };
    let pid: u32 = owner.split(':').nth(1).unwrap().parse().unwrap();
    let holder = cluster
        .processes
        .0
        .iter_mut()
        .find(|c| c.id() == pid)
        .expect("a bot holds the claim");
    holder.kill().unwrap();
    holder.wait().unwrap();
    cluster.fake.release_posts();

    // The other process takes the period once the lease ends and posts it; Discord's nonce
    // turns its repeat of the message already created into that message.
    let deadline = Instant::now() + Duration::from_secs(45);
    loop {
        let last = tokio::task::block_in_place(|| cluster.store.last_posted(&sub.key()).unwrap());
        if last == Some(slot) {
            break;
        }
        assert!(Instant::now() < deadline, "the period is posted after the lease");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let created = cluster.fake.created_messages(channel);
    let posts: Vec<_> = cluster
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with(&format!("/channels/{channel}/messages")))
        .collect();
    let nonces: std::collections::BTreeSet<String> = posts
        .iter()
        .map(|r| r.body["nonce"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(created.len(), nonces.len(), "each message of the digest exists once");
    assert!(
        posts.len() > created.len(),
        "the survivor repeated what the killed one had sent"
    );
}
