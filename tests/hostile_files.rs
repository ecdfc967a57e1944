//! Files that try to stall or break indexing: one enormous line, files over the size limit,
//! names that are not text, control characters. Each ends in a warning naming the file, and
//! the rest of the corpus is indexed.

use std::fs;
use std::time::{Duration, Instant};

use dossier::engine::{Engine, EngineConfig};
use indicatif::ProgressBar;

fn config(corpus: &std::path::Path, index: &std::path::Path) -> EngineConfig {
    EngineConfig {
        // No data folder: the built-in rules alone.
        data: std::path::PathBuf::from("/nonexistent-dossier-data"),
        ..EngineConfig::new(corpus, index)
    }
}

#[test]
fn one_enormous_line_is_indexed_in_linear_time() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    // 6 MB on one line: no line breaks, and no sentence ends in the Chinese part.
    let line =
        "龙虾实验室发布新模型并公布训练细节".repeat(100_000) + &"the lobster lab released a model and ".repeat(25_000);
    fs::write(corpus.path().join("one-line.txt"), format!("标题\n\n{line}")).unwrap();
    fs::write(
        corpus.path().join("page.html"),
        format!(
            "<html><body><p>{line}</p><script>{}</script></body></html>",
            "<p>".repeat(50_000)
        ),
    )
    .unwrap();
    let started = Instant::now();
    let (engine, report) = Engine::open(config(corpus.path(), index.path()), &ProgressBar::hidden()).unwrap();
    let took = started.elapsed();
    assert_eq!(report.added, 2, "{:?}", report.skipped);
    // A quadratic step takes minutes on this input; linear work takes seconds even in a
    // debug build. The bound is generous on purpose: this is not a benchmark.
    assert!(took < Duration::from_secs(120), "indexing one 6 MB line took {took:?}");
    let answer = engine.answer_line("c", "/source 公布训练细节");
    assert!(!answer.items.is_empty());
    assert!(
        answer.items[0].text.chars().count() < 2_000,
        "quotes are paragraphs, not the whole line"
    );
}

#[test]
fn a_file_over_the_size_limit_is_skipped_by_name_and_the_rest_indexed() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    fs::write(corpus.path().join("small.txt"), "标题\n\n龙虾实验室发布了新模型。\n").unwrap();
    fs::write(
        corpus.path().join("big.txt"),
        "标题\n\n".to_string() + &"龙虾实验室。".repeat(2_000),
    )
    .unwrap();
    let config = EngineConfig {
        max_file_bytes: 10_000,
        ..config(corpus.path(), index.path())
    };
    let (engine, report) = Engine::open(config, &ProgressBar::hidden()).unwrap();
    assert_eq!(report.added, 1);
    let skip = report
        .skipped
        .iter()
        .find(|s| s.path.ends_with("big.txt"))
        .expect("big.txt is reported");
    assert!(skip.reason.contains("size limit"), "{}", skip.reason);
    assert_eq!(engine.answer_line("c", "/source 龙虾实验室").items.len(), 1);
    drop(engine);

    // A higher limit takes the file in on the next run, though the file did not change; a
    // lower one takes it out again.
    let raised = EngineConfig {
        max_file_bytes: 1_000_000,
        ..crate::config(corpus.path(), index.path())
    };
    let (_, report) = Engine::open(raised, &ProgressBar::hidden()).unwrap();
    assert_eq!(report.added, 1, "{report:?}");
    let lowered = EngineConfig {
        max_file_bytes: 10_000,
        ..crate::config(corpus.path(), index.path())
    };
    let (_, report) = Engine::open(lowered, &ProgressBar::hidden()).unwrap();
    assert_eq!(report.removed, 1, "{report:?}");
}

#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_is_skipped_with_its_bytes_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    fs::write(corpus.path().join("good.txt"), "标题\n\n龙虾实验室发布了新模型。\n").unwrap();
    let bad = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(corpus.path().join(bad), "标题\n\n另一篇文章。\n").unwrap();
    let (engine, report) = Engine::open(config(corpus.path(), index.path()), &ProgressBar::hidden()).unwrap();
    assert_eq!(report.added, 1);
    let skip = report
        .skipped
        .iter()
        .find(|s| s.reason.contains("not valid UTF-8"))
        .expect("reported");
    assert!(
        skip.path.to_string_lossy().contains(r"caf\xE9.txt"),
        "{}",
        skip.path.display()
    );
    assert_eq!(engine.answer_line("c", "/source 龙虾实验室").items.len(), 1);
    // And the next run is still fine (the file list and the skipped list are saved as text).
    drop(engine);
    let (_, report) = Engine::open(config(corpus.path(), index.path()), &ProgressBar::hidden()).unwrap();
    assert!(!report.changed());
}

#[test]
fn control_characters_never_reach_quoted_text() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    // Past the first 8 KiB, where a NUL no longer marks the file as binary.
    let filler = "前面的段落。\n\n".repeat(600);
    let text = format!("标题\n\n{filler}龙虾\u{0}实验室\u{1b}[31m发布了\u{7}新模型。\n");
    fs::write(corpus.path().join("ctl.txt"), text).unwrap();
    let (engine, _) = Engine::open(config(corpus.path(), index.path()), &ProgressBar::hidden()).unwrap();
    let answer = engine.answer_line("c", "/source 新模型");
    assert_eq!(answer.items[0].text, "龙虾实验室[31m发布了新模型。");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_corpus_are_not_followed_unless_asked() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "标题\n\n机器上的私密文件内容。\n").unwrap();
    let corpus = tempfile::tempdir().unwrap();
    fs::write(corpus.path().join("own.txt"), "标题\n\n龙虾实验室发布了新模型。\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), corpus.path().join("linked.txt")).unwrap();
    std::os::unix::fs::symlink(corpus.path().join("own.txt"), corpus.path().join("alias.txt")).unwrap();

    let index = tempfile::tempdir().unwrap();
    let (engine, report) = Engine::open(config(corpus.path(), index.path()), &ProgressBar::hidden()).unwrap();
    let skip = report
        .skipped
        .iter()
        .find(|s| s.path.ends_with("linked.txt"))
        .expect("reported");
    assert!(skip.reason.contains("outside the corpus folder"), "{}", skip.reason);
    assert!(engine.answer_line("c", "/source 私密文件").items.is_empty());
    // A link that stays inside the corpus is read.
    assert_eq!(report.added, 2, "{:?}", report.skipped);

    let index = tempfile::tempdir().unwrap();
    let followed = EngineConfig {
        follow_external_links: true,
        ..config(corpus.path(), index.path())
    };
    let (engine, _) = Engine::open(followed, &ProgressBar::hidden()).unwrap();
    assert_eq!(engine.answer_line("c", "/source 私密文件").items.len(), 1);
}

#[test]
fn an_ask_that_waits_for_a_first_build_does_not_build_again() {
    use std::process::{Command, Stdio};
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    for i in 0..400 {
        let body = format!(
            "第{i}篇。\n\n{}",
            "龙虾实验室发布了新模型，团队表示训练仍在继续。\n\n".repeat(20)
        );
        fs::write(corpus.path().join(format!("d{i:03}.txt")), body).unwrap();
    }
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--corpus")
            .arg(corpus.path())
            .arg("--index")
            .arg(index.path())
            .args(["--data", "/nonexistent-dossier-data"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut build = run(&["index"]);
    // Wait until the build holds the writer lock, then ask.
    let lock = index.path().join(".tantivy-writer.lock");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !lock.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let ask = run(&["ask", "/source 龙虾实验室"]);
    assert!(build.wait().unwrap().success());
    let out = ask.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let header: serde_json::Value =
        serde_json::from_slice(&fs::read(index.path().join("dossier-manifest.json")).unwrap()).unwrap();
    assert_eq!(header["generation"], 1, "the ask built the index a second time");
}

#[test]
fn a_page_nested_beyond_reason_is_skipped_at_once() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    fs::write(corpus.path().join("good.txt"), "标题\n\n龙虾实验室发布了新模型。\n").unwrap();
    let deep = format!(
        "<html><body>{}text{}</body></html>",
        "<div>".repeat(200_000),
        "</div>".repeat(200_000)
    );
    fs::write(corpus.path().join("deep.html"), deep).unwrap();
    let started = Instant::now();
    let (_, report) = Engine::open(config(corpus.path(), index.path()), &ProgressBar::hidden()).unwrap();
    // Parsing it would take many minutes (the tree builder is quadratic in the depth).
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(report.added, 1);
    let skip = report
        .skipped
        .iter()
        .find(|s| s.path.ends_with("deep.html"))
        .expect("reported");
    assert!(skip.reason.contains("nested"), "{}", skip.reason);
}
