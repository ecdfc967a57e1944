//! Adding pages by their links: fetched from a site on 127.0.0.1, saved with a sidecar,
//! indexed and cited; duplicates and refusals leave the corpus as it was. Then the same
//! through `dossier ingest URL…`.

mod common;
mod site;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use dossier::engine::Engine;
use dossier::fetch::{FetchConfig, FetchError, Fetcher};
use dossier::ingest::{ingest_link, IngestError, LinkTarget};
use site::{Page, Site};

const FLOODS: &str = include_str!("site/pages/floods.html");
const HARBOUR: &str = include_str!("site/pages/harbour.html");

fn fetcher() -> Fetcher {
    Fetcher::new(FetchConfig {
        allow_loopback: true,
        host_interval: Duration::ZERO,
        timeout: Duration::from_secs(5),
        ..FetchConfig::default()
    })
    .unwrap()
}

struct Corpus {
    dir: tempfile::TempDir,
    index: tempfile::TempDir,
}

impl Corpus {
    fn new() -> Corpus {
        let dir = tempfile::tempdir().unwrap();
        common::write(
            dir.path(),
            "seed.txt",
            "The council met on Tuesday to discuss the budget for the coming year.",
        );
        Corpus {
            dir,
            index: tempfile::tempdir().unwrap(),
        }
    }

    fn engine(&self) -> Arc<Engine> {
        Arc::new(common::open(self.dir.path(), self.index.path()))
    }

    /// Every file in the corpus folder, hidden ones included, sorted.
    fn files(&self) -> Vec<String> {
        files_in(self.dir.path())
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

async fn add(engine: &Arc<Engine>, link: &str) -> Result<dossier::ingest::Ingested, IngestError> {
    let target: Arc<dyn LinkTarget> = engine.clone();
    ingest_link(target, &fetcher(), link).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_linked_page_becomes_a_cited_document_with_its_source_recorded() {
    let site = Site::start().await;
    site.put("/news/floods?utm_source=chat", Page::html(FLOODS));
    let corpus = Corpus::new();
    let engine = corpus.engine();
    let link = site.url("/news/floods?utm_source=chat");
    let added = add(&engine, &link).await.unwrap();
    assert_eq!(added.title, "Rivers reach decade highs after weekend storms");
    assert_eq!(added.source.as_deref(), Some("Valley Herald"));
    assert_eq!(added.published.map(|d| d.to_string()).as_deref(), Some("2026-11-28"));
    assert_eq!(added.paragraphs, 4);
    assert!(added.path.starts_with(corpus.dir.path()) && added.path.extension().unwrap() == "html");
    assert_eq!(
        std::fs::read_to_string(&added.path).unwrap(),
        FLOODS,
        "the original HTML is kept"
    );

    let sidecar = std::fs::read_to_string(added.path.with_file_name(format!("{}.meta.toml", added.id))).unwrap();
    assert!(sidecar.contains(&format!("fetched_from = \"{link}\"")), "{sidecar}");
    assert!(sidecar.contains("fetched_at = 20"), "{sidecar}");
    assert!(
        sidecar.contains("url = \"https://www.valleyherald.example/news/2026/11/28/rivers-decade-highs\""),
        "{sidecar}"
    );

    let answer = engine.answer_line("t", "/source Millbrook bridge closed to traffic");
    let cited = answer.items.first().expect("the page is searchable");
    assert_eq!(cited.citation.doc, added.id);

    // The corpus folder holds the page and its sidecar, and no temporary file.
    assert_eq!(corpus.files().len(), 3, "{:?}", corpus.files());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_already_in_the_corpus_is_a_duplicate_by_link_canonical_link_or_bytes() {
    let site = Site::start().await;
    // The story's own address is its canonical link; other addresses serve the same story.
    let canonical = site.url("/story");
    let page = FLOODS.replace(
        "https://www.valleyherald.example/news/2026/11/28/rivers-decade-highs",
        &canonical,
    );
    site.put("/story?from=feed", Page::html(&page));
    site.put("/amp/story", Page::html(&page.replace("<title>", "<title>AMP ")));
    site.put("/story", Page::html(&page));
    site.put("/harbour", Page::html(HARBOUR));
    site.put("/harbour-copy", Page::html(HARBOUR));
    let corpus = Corpus::new();
    let engine = corpus.engine();
    let first = add(&engine, &site.url("/story?from=feed")).await.unwrap();
    let before = corpus.files();

    // The canonical link itself: known before fetching, so never requested.
    match add(&engine, &canonical).await {
        Err(IngestError::Duplicate { id, .. }) => assert_eq!(id, first.id),
        other => panic!("{other:?}"),
    }
    assert!(site.hits_of("/story").is_empty(), "a known link was fetched again");
    // Another address of the same story (different bytes, same canonical link).
    assert!(matches!(
        add(&engine, &site.url("/amp/story")).await,
        Err(IngestError::Duplicate { .. })
    ));
    // The same link again.
    assert!(matches!(
        add(&engine, &site.url("/story?from=feed")).await,
        Err(IngestError::Duplicate { .. })
    ));
    assert_eq!(corpus.files(), before);

    // A page without a canonical link, then the same bytes at another address, then the
    // same story in other page furniture (no canonical link either).
    let harbour = add(&engine, &site.url("/harbour")).await.unwrap();
    match add(&engine, &site.url("/harbour-copy")).await {
        Err(IngestError::Duplicate { id, .. }) => assert_eq!(id, harbour.id),
        other => panic!("{other:?}"),
    }
    let syndicated = HARBOUR
        .replace(
            "<footer><p>© 2026 Coastal Times</p></footer>",
            "<footer><p>Syndicated by Wire Service</p></footer>",
        )
        .replace(
            "<main>",
            "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><main>",
        );
    assert_ne!(syndicated, HARBOUR);
    site.put("/wire/harbour", Page::html(&syndicated));
    match add(&engine, &site.url("/wire/harbour")).await {
        Err(IngestError::Duplicate { id, .. }) => assert_eq!(id, harbour.id),
        other => panic!("{other:?}"),
    }
    // The same title over another text is a document of its own.
    let other = HARBOUR.replace("almost three years", "almost four years");
    site.put("/harbour-corrected", Page::html(&other));
    assert!(add(&engine, &site.url("/harbour-corrected")).await.is_ok());
}

/// Whether a refusal is the one expected.
type Expected = fn(&IngestError) -> bool;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_links_write_nothing() {
    let site = Site::start().await;
    site.put(
        "/report.pdf",
        Page::typed("application/pdf", b"%PDF-1.7 binary".to_vec()),
    );
    site.put(
        "/empty",
        Page::html("<html><head><title>x</title></head><body></body></html>"),
    );
    site.put(
        "/robots.txt",
        Page::typed("text/plain", b"User-agent: *\nDisallow: /private/\n".to_vec()),
    );
    site.put("/private/a", Page::html(FLOODS));
    let corpus = Corpus::new();
    let engine = corpus.engine();
    let before = corpus.files();
    let cases: Vec<(String, Expected)> = vec![
        (site.url("/report.pdf"), |e| {
            matches!(e, IngestError::Fetch(FetchError::NotPage { .. }))
        }),
        (site.url("/empty"), |e| {
            matches!(e, IngestError::NoText { .. } | IngestError::NotText { .. })
        }),
        (site.url("/private/a"), |e| {
            matches!(e, IngestError::Fetch(FetchError::Robots { .. }))
        }),
        (site.url("/missing"), |e| {
            matches!(e, IngestError::Fetch(FetchError::Status { status: 404, .. }))
        }),
        ("file:///etc/passwd".into(), |e| {
            matches!(e, IngestError::Fetch(FetchError::BadUrl { .. }))
        }),
    ];
    for (link, expected) in cases {
        match add(&engine, &link).await {
            Err(e) => assert!(expected(&e), "{link}: {e:?}"),
            Ok(added) => panic!("{link} added as {}", added.id),
        }
    }
    assert_eq!(corpus.files(), before);
}

#[test]
fn the_cli_adds_links_and_says_why_it_refuses_one() {
    let site = Site::start_in_background();
    site.put("/news/floods", Page::html(FLOODS));
    site.put("/photo.png", Page::typed("image/png", vec![0x89, b'P', b'N', b'G']));
    let corpus = Corpus::new();
    let state = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--corpus", corpus.dir.path().to_str().unwrap()])
        .args(["--index", corpus.index.path().to_str().unwrap()])
        .args(["--data", common::repo().join("data").to_str().unwrap()])
        .args(["--state", state.path().to_str().unwrap()])
        .args(["--lang", "en", "ingest"])
        .arg(site.url("/news/floods"))
        .arg(site.url("/photo.png"))
        .env("DOSSIER_FETCH_ALLOW_LOOPBACK", "true")
        .env("DOSSIER_FETCH_HOST_INTERVAL_MS", "0")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "one link was refused\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("Rivers reach decade highs")
            && stdout.contains("Valley Herald")
            && stdout.contains("2026-11-28"),
        "{stdout}"
    );
    assert!(
        stderr.contains("not an HTML or text page") && stderr.contains("image/png"),
        "{stderr}"
    );
    assert_eq!(corpus.files().iter().filter(|f| f.ends_with(".html")).count(), 1);

    // Without the test-only setting, the same local link is refused by the address policy.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--corpus", corpus.dir.path().to_str().unwrap()])
        .args(["--index", corpus.index.path().to_str().unwrap()])
        .args(["--data", common::repo().join("data").to_str().unwrap()])
        .args(["--state", state.path().to_str().unwrap()])
        .args(["--lang", "en", "ingest"])
        .arg(site.url("/news/floods?again"))
        .env_remove("DOSSIER_FETCH_ALLOW_LOOPBACK")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("address policy"), "{stderr}");
    assert!(site.hits_of("/news/floods?again").is_empty());
}
