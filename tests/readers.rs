//! One indexer, many readers: processes that answer from an index another process writes
//! (`serve --read-only-index` beside `dossier index --watch`) follow its commits, never write
//! it, and hand files to it.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{repo, write};
use dossier::engine::{Engine, EngineConfig};
use indicatif::ProgressBar;

fn config(corpus: &std::path::Path, index: &std::path::Path, read_only: bool) -> EngineConfig {
    EngineConfig {
        data: repo().join("data"),
        read_only_index: read_only,
        ..EngineConfig::new(corpus, index)
    }
}

fn found(engine: &Engine, channel: &str, words: &str) -> bool {
    let r = engine.answer_line(channel, &format!("/source {words}"));
    r.items.iter().any(|i| i.text.contains(words))
}

const FIRST: &str = "The harbour authority approved the Kestrel Quay extension on Monday, its chair said.";
const LATER: &str = "Engineers found cracks in the Marrowby viaduct, and trains were halted for a week.";
const HANDED: &str = "The Ostlund library reopened after a two-year restoration of its reading room.";

#[test]
fn readers_follow_the_indexers_commits_and_hand_it_new_files() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(corpus.path(), "first.txt", &format!("Kestrel Quay\n\n{FIRST}\n"));
    let writer = Arc::new(
        Engine::open(config(corpus.path(), index.path(), false), &ProgressBar::hidden())
            .unwrap()
            .0,
    );
    let reader = Engine::open_as_indexed(config(corpus.path(), index.path(), true))
        .unwrap()
        .expect("a current index is read as it is");
    assert!(found(&reader, "r", "Kestrel Quay extension"));
    // The reader holds no lock and writes nothing in the index folder.
    let files = |dir: &std::path::Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = files(index.path());

    // The indexer picks up a new file; the reader answers from it once it looks, and its
    // cached "nothing found" is not served again.
    assert!(!found(&reader, "r", "Marrowby viaduct"));
    write(corpus.path(), "later.txt", &format!("Marrowby viaduct\n\n{LATER}\n"));
    writer.sync(false, &ProgressBar::hidden()).unwrap();
    assert!(reader.refresh_from_disk().unwrap());
    assert!(!reader.refresh_from_disk().unwrap(), "once per commit");
    assert!(found(&reader, "r", "Marrowby viaduct"));
    assert_eq!(reader.documents(), 2);

    // A file ingested through a reader is saved for the indexer and answered once indexed.
    let watcher = dossier::watch::watch(writer.clone(), Duration::from_secs(1)).unwrap();
    let added = reader
        .ingest(
            "handed.txt",
            format!("Ostlund library\n\n{HANDED}\n").as_bytes(),
            1 << 20,
        )
        .unwrap();
    assert_eq!(added.id, "handed");
    assert!(found(&reader, "r2", "two-year restoration"));
    drop(watcher);
    assert!(corpus.path().join("handed.txt").exists());
    let after = files(index.path());
    assert!(
        !after.iter().any(|f| f.contains("lock") && !before.contains(f)),
        "the reader took no lock: {after:?}"
    );
}

#[test]
fn a_reader_without_an_index_says_what_to_start() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(corpus.path(), "a.txt", "Title\n\nSome words to index here.\n");
    let err = Engine::open_as_indexed(config(corpus.path(), index.path(), true))
        .err()
        .expect("refused");
    assert!(format!("{err:#}").contains("index --watch"), "{err:#}");
    assert!(
        std::fs::read_dir(index.path()).unwrap().next().is_none(),
        "nothing was created"
    );
}
