//! The state store survives `kill -9` in the middle of writing: a child process (this test
//! binary, re-run with an environment variable) writes as fast as it can and reports each
//! commit; it is killed at a random moment, and the store must open with every reported
//! commit intact.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::{DateTime, Utc};
use dossier::state::{RedbStore as Store, StateStore, Subscription};

const CHILD: &str = "DOSSIER_STATE_CRASH_CHILD";

fn sub(i: u64) -> Subscription {
    Subscription {
        guild: "g".into(),
        channel: format!("c{i}"),
        weekday: (i % 7) as u8,
        minute_of_day: (i % 1440) as u16,
        timezone: "Asia/Shanghai".into(),
        topic: Some(format!("主題 {i} ").repeat((i % 5) as usize + 1)),
        created_by: "u".into(),
    }
}

fn slot(i: u64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_770_000_000 + i as i64 * 3600, 0).unwrap()
}

/// The child: commit forever, saying so after each commit.
fn write_forever(dir: &str) {
    let store = Store::open(std::path::Path::new(dir)).unwrap();
    // Resume at the first unfinished step, judged by its last commit: an earlier child may
    // have been killed between the commits of one step (its subscription made or its period
    // claimed, its document not yet recorded). The step is then done again whole; each of
    // its writes is idempotent.
    let done: std::collections::HashSet<String> = store.ingested().unwrap().into_iter().map(|(id, _)| id).collect();
    let mut start = 0;
    while done.contains(&format!("doc{start}")) {
        start += 1;
    }
    for i in start.. {
        store.subscribe(&sub(i)).unwrap();
        store.mark_posted(&format!("g/c{i}"), slot(i)).unwrap();
        store.record_ingested(&[format!("doc{i}").as_str()], slot(i)).unwrap();
        println!("committed {i}");
    }
}

#[test]
fn the_store_survives_kill_9_mid_write() {
    if let Ok(dir) = std::env::var(CHILD) {
        write_forever(&dir);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut confirmed: Option<u64> = None;
    for round in 0..3u64 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "the_store_survives_kill_9_mid_write",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Let it commit a varying number of times, then kill it without warning.
        let wanted = 20 + round * 37;
        let mut seen = 0;
        while let Some(Ok(line)) = lines.next() {
            if let Some(n) = line.strip_prefix("committed ") {
                confirmed = Some(n.parse().unwrap());
                seen += 1;
                if seen >= wanted {
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(round * 3));
        child.kill().unwrap();
        child.wait().unwrap();

        let store = Store::open(dir.path()).expect("the store opens after a crash");
        let last = confirmed.expect("the child committed");
        let subs = store.subscriptions().unwrap();
        assert!(
            subs.len() as u64 > last,
            "round {round}: {} subscriptions, commit {last} was confirmed",
            subs.len()
        );
        for i in 0..=last {
            assert_eq!(
                store.subscription("g", &format!("c{i}")).unwrap(),
                Some(sub(i)),
                "subscription {i} intact"
            );
            assert_eq!(
                store.last_posted(&format!("g/c{i}")).unwrap(),
                Some(slot(i)),
                "period {i} intact"
            );
        }
        assert!(store.ingested().unwrap().len() as u64 > last);
    }
}
