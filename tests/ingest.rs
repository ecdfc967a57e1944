//! Adding documents while running: every refusal of an ingest, a successful one that is
//! answered at once (and clears the channel caches), and ingestion times kept in the store.

mod common;

use std::sync::Arc;

use dossier::ingest::IngestError;
use dossier::state::{RedbStore as Store, StateStore};

fn fresh() -> (tempfile::TempDir, tempfile::TempDir, dossier::engine::Engine) {
    let corpus = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(common::bundled_corpus()).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, corpus.path().join(f.file_name().unwrap())).unwrap();
    }
    let index = tempfile::tempdir().unwrap();
    let engine = common::open(corpus.path(), index.path());
    (corpus, index, engine)
}

const LIMIT: usize = 64 * 1024;

/// A file to ingest and the refusal it must get.
type Case = (&'static str, Vec<u8>, fn(&IngestError) -> bool);

#[test]
fn every_refusal_writes_nothing() {
    let (corpus, _index, engine) = fresh();
    let before: Vec<_> = std::fs::read_dir(corpus.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let article = "新文章\n\n海豚研究所发布了新模型。\n".as_bytes();
    let existing = std::fs::read(common::bundled_corpus().join("002_a55689cea94975b7.txt")).unwrap();
    let cases: Vec<Case> = vec![
        ("big.txt", vec![b'a'; LIMIT + 1], |e| {
            matches!(e, IngestError::TooLarge { .. })
        }),
        ("../escape.txt", article.to_vec(), |e| {
            matches!(e, IngestError::BadName(..))
        }),
        ("..\\escape.txt", article.to_vec(), |e| {
            matches!(e, IngestError::BadName(..))
        }),
        ("sub/dir.txt", article.to_vec(), |e| {
            matches!(e, IngestError::BadName(..))
        }),
        ("/etc/passwd.txt", article.to_vec(), |e| {
            matches!(e, IngestError::BadName(..))
        }),
        (".hidden.txt", article.to_vec(), |e| {
            matches!(e, IngestError::BadName(..))
        }),
        ("slides.pdf", article.to_vec(), |e| {
            matches!(e, IngestError::Unsupported { .. })
        }),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), |e| {
            matches!(e, IngestError::NotText { .. })
        }),
        ("empty.txt", Vec::new(), |e| matches!(e, IngestError::NotText { .. })),
        ("junk.txt", "0\n分享至\n".as_bytes().to_vec(), |e| {
            matches!(e, IngestError::NoText { .. })
        }),
        ("copy.txt", existing, |e| matches!(e, IngestError::Duplicate { .. })),
        ("003_3a07d6d80502bd0a.md", article.to_vec(), |e| {
            matches!(e, IngestError::NameTaken { .. })
        }),
    ];
    for (name, bytes, expected) in cases {
        let err = engine.ingest(name, &bytes, LIMIT).expect_err(name);
        assert!(expected(&err), "{name}: {err}");
        assert!(!err.to_string().is_empty());
    }
    let after: Vec<_> = std::fs::read_dir(corpus.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before.len(), after.len(), "nothing was written: {after:?}");
    assert!(!corpus.path().parent().unwrap().join("escape.txt").exists());
}

#[test]
fn an_ingested_document_is_answered_at_once_and_timed() {
    let (corpus, _index, engine) = fresh();
    let state = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(state.path()).unwrap());
    engine.attach_store(store.clone()).unwrap();
    assert_eq!(
        store.ingested().unwrap().len(),
        4,
        "the corpus already indexed is recorded"
    );

    let before = engine.answer_line("chan", "/source 海豚研究所");
    assert!(before.items.is_empty());
    assert!(engine.answer_line("chan", "/source 海豚研究所").cached);

    let page = "<html><head><title>海豚研究所的新模型</title></head><body><p>據報道,海豚研究所在本週發布了新模型,Alexandr Wang 表示很滿意。</p></body></html>";
    let added = engine.ingest("lobster news.html", page.as_bytes(), LIMIT).unwrap();
    assert_eq!(added.id, "lobster_news");
    assert_eq!(added.title, "海豚研究所的新模型");
    assert_eq!(added.paragraphs, 1);
    assert!(
        added.entities.contains(&"Alexandr Wang".to_string()),
        "{:?}",
        added.entities
    );
    assert!(corpus.path().join("lobster_news.html").exists());
    assert!(
        !std::fs::read_dir(corpus.path())
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().starts_with('.')),
        "no temporary file left"
    );

    let after = engine.answer_line("chan", "/source 海豚研究所");
    assert!(!after.cached, "the cache from before the change is not served");
    assert_eq!(after.items[0].citation.doc, "lobster_news");
    assert!(store.ingested().unwrap().iter().any(|(id, _)| id == "lobster_news"));
    let again = engine.ingest("again.html", page.as_bytes(), LIMIT).unwrap_err();
    assert!(matches!(again, IngestError::Duplicate { .. }), "{again}");
}

#[test]
fn files_added_while_running_are_picked_up_and_clear_the_cache() {
    let (corpus, _index, engine) = fresh();
    let engine = Arc::new(engine);
    let _watch = dossier::watch::watch(engine.clone(), std::time::Duration::from_secs(2)).unwrap();
    assert!(engine.answer_line("chan", "/source 企鹅研究所").items.is_empty());
    assert!(engine.answer_line("chan", "/source 企鹅研究所").cached);

    std::fs::write(
        corpus.path().join("penguin.txt"),
        "企鹅新闻\n\n企鹅研究所今天宣布了新的模型。\n",
    )
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let found = loop {
        let r = engine.answer_line("chan", "/source 企鹅研究所");
        if !r.items.is_empty() {
            break r;
        }
        assert!(std::time::Instant::now() < deadline, "the new file was not picked up");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(!found.cached);
    assert_eq!(found.items[0].citation.doc, "penguin");

    // A deletion is picked up too.
    std::fs::remove_file(corpus.path().join("penguin.txt")).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !engine.answer_line("chan", "/source 企鹅研究所").items.is_empty() {
        assert!(std::time::Instant::now() < deadline, "the deletion was not picked up");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
