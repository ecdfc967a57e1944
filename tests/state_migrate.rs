//! `dossier state migrate`: a bot's embedded state moved into another store (another folder,
//! and PostgreSQL when a server answers), whole, with what it says on the way.

mod common;

use std::process::Command;

use chrono::{DateTime, Utc};
use dossier::state::{RedbStore, StateStore, Subscription};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn migrate(from: &str, to: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["state", "migrate", "--from", from, "--to", to])
        .env("DOSSIER_LOG", "error")
        .output()
        .unwrap()
}

#[test]
fn a_folder_is_moved_into_another_store() {
    let from = tempfile::tempdir().unwrap();
    {
        let s = RedbStore::open(from.path()).unwrap();
        s.subscribe(&Subscription {
            guild: "g".into(),
            channel: "c".into(),
            weekday: 2,
            minute_of_day: 600,
            timezone: "Europe/London".into(),
            topic: None,
            created_by: "u".into(),
        })
        .unwrap();
        s.mark_posted("g/c", utc("2026-03-18T10:00:00Z")).unwrap();
        s.record_ingested(&["a", "b", "c"], utc("2026-03-01T00:00:00Z"))
            .unwrap();
    }
    let to = tempfile::tempdir().unwrap();
    let from_spec = from.path().to_str().unwrap();
    let out = migrate(from_spec, to.path().to_str().unwrap());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said} {}", String::from_utf8_lossy(&out.stderr));
    assert!(
        said.contains("1 subscriptions") && said.contains("3 ingestion times"),
        "{said}"
    );
    let copied = RedbStore::open(to.path()).unwrap();
    assert_eq!(copied.subscriptions().unwrap().len(), 1);
    assert_eq!(copied.last_posted("g/c").unwrap(), Some(utc("2026-03-18T10:00:00Z")));

    // Into PostgreSQL, in a schema of its own; the password never shows.
    let schema = format!("dossier_migrate_{}", std::process::id());
    let target = common::postgres_schema_url(&schema);
    let out = migrate(from_spec, &target);
    if out.status.success() {
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.contains("PostgreSQL at") && said.contains("1 subscriptions"),
            "{said}"
        );
        let pg = dossier::state::open(&target).unwrap();
        assert_eq!(pg.ingested().unwrap().len(), 3);
        common::drop_schema(&schema);
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            std::env::var_os("CI").is_none(),
            "PostgreSQL must be reachable in CI: {err}"
        );
        eprintln!("skipping the PostgreSQL half: {err}");
    }

    // A folder with no store is refused with its name, and nothing is created.
    let empty = tempfile::tempdir().unwrap();
    let out = migrate(empty.path().to_str().unwrap(), to.path().to_str().unwrap());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no state store"));
    assert!(std::fs::read_dir(empty.path()).unwrap().next().is_none());
}

#[test]
fn a_bad_or_unreachable_database_is_named_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    RedbStore::open(dir.path()).unwrap();
    let out = migrate(
        dir.path().to_str().unwrap(),
        "postgres://dossier:hunter2secret@127.0.0.1:1/nowhere?connect_timeout=2",
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot connect to PostgreSQL") && err.contains("127.0.0.1:1"),
        "{err}"
    );
    assert!(!err.contains("hunter2secret"), "{err}");
}
