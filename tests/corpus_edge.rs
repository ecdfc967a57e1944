//! Awkward corpus folders: empty, binary, GB18030 and Big5 files, sidecars, a missing folder,
//! and a corpus that changes under a running engine.

mod common;

use std::fs;
use std::path::Path;

use dossier::engine::{Engine, EngineConfig};
use indicatif::ProgressBar;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).unwrap();
}

fn gb18030(s: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(s).0.into_owned()
}

#[test]
fn bad_files_are_skipped_with_reasons_and_good_ones_indexed() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let c = corpus.path();
    write(c, "empty.txt", b"");
    write(c, "blank.txt", b"  \n\n ");
    write(c, "image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    write(c, "random.md", &[0u8, 159, 146, 150, 1, 2, 3, 0, 0, 255, 254, 7]);
    write(
        c,
        "page.html",
        "<html><head><title>網頁標題</title></head><body><p>保存下來的網頁也能被讀取。</p></body></html>".as_bytes(),
    );
    write(c, "scan.pdf", b"%PDF-1.4 not text");
    write(
        c,
        "gbk.txt",
        &gb18030("编码测试页面\n\n这是一篇用国标编码保存的文章,讲的是龙蝦实验室的故事。\n"),
    );
    write(
        c,
        "big5.txt",
        &encoding_rs::BIG5
            .encode("繁體頁面\n\n這是一篇用大五碼保存的文章,講的是龍蝦計畫的進展。\n")
            .0,
    );
    fs::create_dir(c.join("nested")).unwrap();
    write(
        &c.join("nested"),
        "deep.md",
        "# 深層文件\n\n嵌套目錄裡的**文章**也會被讀到。\n".as_bytes(),
    );

    let config = EngineConfig {
        data: common::repo().join("data"),
        ..EngineConfig::new(c, index.path())
    };
    let (engine, report) = Engine::open(config, &ProgressBar::hidden()).unwrap();
    let reasons: Vec<String> = report.skipped.iter().map(|s| s.to_string()).collect();
    let reason_of = |name: &str| {
        reasons
            .iter()
            .find(|r| r.contains(name))
            .unwrap_or_else(|| panic!("{name} not reported: {reasons:?}"))
            .clone()
    };
    assert!(reason_of("empty.txt").contains("empty"));
    assert!(reason_of("blank.txt").contains("empty"));
    assert!(reason_of("image.txt").contains("binary"));
    assert!(reason_of("random.md").contains("binary"));
    assert!(reason_of("scan.pdf").contains("unsupported file type"));
    assert_eq!(report.added, 4, "{reasons:?}");
    // Skipped files are part of what was checked: the next run finds nothing changed and
    // still says which files it skips, once each.
    let again = engine.sync(false, &ProgressBar::hidden()).unwrap();
    assert!(!again.changed() && again.generation == report.generation, "{again:?}");
    assert_eq!(again.skipped.len(), report.skipped.len(), "{:?}", again.skipped);

    let r = engine.answer_line("t", "/source 國標編碼");
    assert_eq!(r.items[0].citation.doc, "gbk");
    assert!(r.items[0].text.contains("国标编码"), "decoded GB18030 keeps its script");
    let r = engine.answer_line("t", "/source 大五码");
    assert_eq!(r.items[0].citation.doc, "big5");
    let r = engine.answer_line("t", "/source 保存下来的网页");
    assert_eq!(r.items[0].citation.doc, "page");
    assert_eq!(r.items[0].citation.title, "網頁標題");
    let r = engine.answer_line("t", "/source 嵌套目录");
    assert_eq!(r.items[0].citation.doc, "deep");
    assert_eq!(r.items[0].citation.title, "深層文件");
    assert!(
        !r.items[0].text.contains("**"),
        "markdown emphasis markers are not quoted"
    );
}

#[test]
fn a_missing_corpus_folder_is_a_clear_error() {
    let index = tempfile::tempdir().unwrap();
    let missing = index.path().join("no-such-folder");
    let config = EngineConfig {
        data: common::repo().join("data"),
        ..EngineConfig::new(&missing, index.path().join("ix"))
    };
    let err = Engine::open(config, &ProgressBar::hidden()).err().expect("fails");
    let text = format!("{err:#}");
    assert!(text.contains("no-such-folder"), "{text}");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args([
            "--corpus",
            missing.to_str().unwrap(),
            "--index",
            index.path().join("ix2").to_str().unwrap(),
        ])
        .args(["ask", "/source 豆包"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("dossier: ") && stderr.contains("no-such-folder") && stderr.lines().count() == 1,
        "{stderr}"
    );
}

#[test]
fn a_foreign_index_folder_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "precious.txt", b"do not delete");
    let config = EngineConfig {
        data: common::repo().join("data"),
        ..EngineConfig::new(common::bundled_corpus(), dir.path())
    };
    let err = Engine::open(config, &ProgressBar::hidden()).err().expect("refuses");
    assert!(format!("{err:#}").contains("not a Dossier index"));
    assert!(dir.path().join("precious.txt").exists());
}

#[test]
fn sidecars_override_metadata() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let c = corpus.path();
    fs::write(c.join("memo.txt"), "内部备忘录\n\n牛油果模型将推迟到五月发布。\n").unwrap();
    fs::write(
        c.join("memo.meta.toml"),
        "title = \"Avocado memo\"\nsource = \"Internal\"\nurl = \"https://example.com/memo\"\npublished = 2026-03-01\n",
    )
    .unwrap();
    fs::write(c.join("bad.txt"), "标题\n\n另一篇文章的正文。\n").unwrap();
    fs::write(c.join("bad.meta.toml"), "title = [unclosed").unwrap();
    let config = EngineConfig {
        data: common::repo().join("data"),
        ..EngineConfig::new(c, index.path())
    };
    let (engine, report) = Engine::open(config, &ProgressBar::hidden()).unwrap();
    assert!(report
        .skipped
        .iter()
        .any(|s| s.path.ends_with("bad.meta.toml") && s.reason.contains("sidecar")));
    let r = engine.answer_line("t", "/source 推迟到五月");
    let c = &r.items[0].citation;
    assert_eq!(
        (
            c.title.as_str(),
            c.source.as_deref(),
            c.url.as_deref(),
            c.published.as_deref()
        ),
        (
            "Avocado memo",
            Some("Internal"),
            Some("https://example.com/memo"),
            Some("2026-03-01")
        )
    );
    let r = engine.answer_line("t", "/source 另一篇文章");
    assert_eq!(
        r.items[0].citation.title, "标题",
        "a broken sidecar does not lose the document"
    );
}

#[test]
fn corpus_changes_are_indexed_incrementally_and_invalidate_the_cache() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let c = corpus.path();
    fs::write(c.join("a.txt"), "甲文\n\n龙虾实验室今天发布了新模型。\n").unwrap();
    fs::write(c.join("b.txt"), "乙文\n\n芒果模型仍在训练中。\n").unwrap();
    let config = EngineConfig {
        data: common::repo().join("data"),
        ..EngineConfig::new(c, index.path())
    };
    let (engine, report) = Engine::open(config.clone(), &ProgressBar::hidden()).unwrap();
    assert_eq!((report.added, report.rebuilt), (2, true));

    let before = engine.answer_line("chan", "/source 龙虾实验室");
    assert_eq!(before.items.len(), 1);
    assert!(engine.answer_line("chan", "/source 龙虾实验室").cached);

    // Change one file, add one, delete one.
    fs::write(c.join("a.txt"), "甲文\n\n龙虾实验室推迟了新模型。\n").unwrap();
    fs::write(c.join("c.txt"), "丙文\n\n龙虾实验室还收购了一家公司。\n").unwrap();
    fs::remove_file(c.join("b.txt")).unwrap();
    let report = engine.sync(false, &ProgressBar::hidden()).unwrap();
    assert_eq!(
        (
            report.added,
            report.updated,
            report.removed,
            report.unchanged,
            report.rebuilt
        ),
        (1, 1, 1, 0, false)
    );

    let after = engine.answer_line("chan", "/source 龙虾实验室");
    assert!(!after.cached, "the corpus changed, so the cache must not answer");
    // A retitled document is cited under its new title (cards in memory are per generation).
    fs::write(c.join("a.meta.toml"), "title = \"甲文新标题\"\n").unwrap();
    let report = engine.sync(false, &ProgressBar::hidden()).unwrap();
    assert_eq!(report.updated, 1, "{report:?}");
    let retitled = engine.answer_line("chan", "/source 推迟了新模型");
    assert_eq!(retitled.items[0].citation.title, "甲文新标题");
    fs::remove_file(c.join("a.meta.toml")).unwrap();
    engine.sync(false, &ProgressBar::hidden()).unwrap();
    let after = engine.answer_line("chan", "/source 龙虾实验室");
    assert_eq!(
        after
            .items
            .iter()
            .find(|i| i.citation.doc == "a")
            .map(|i| i.citation.title.as_str()),
        Some("甲文")
    );
    let texts: Vec<&str> = after.items.iter().map(|i| i.text.as_str()).collect();
    assert!(
        texts.contains(&"龙虾实验室推迟了新模型。") && texts.contains(&"龙虾实验室还收购了一家公司。"),
        "{texts:?}"
    );
    assert!(
        engine.answer_line("chan", "/source 芒果模型").items.is_empty(),
        "deleted documents are gone"
    );

    // Nothing changed: no work, same generation, cache kept.
    let report = engine.sync(false, &ProgressBar::hidden()).unwrap();
    assert!(!report.changed());
    assert!(engine.answer_line("chan", "/source 龙虾实验室").cached);

    // A new process sees the same index without rebuilding it.
    drop(engine);
    let (_engine, report) = Engine::open(config, &ProgressBar::hidden()).unwrap();
    assert_eq!((report.unchanged, report.rebuilt), (2, false));
}

/// A corpus of one small document, its own index folder, and the engine settings for both.
fn lobster_corpus() -> (tempfile::TempDir, tempfile::TempDir, EngineConfig) {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    fs::write(corpus.path().join("a.txt"), "甲文\n\n龙虾实验室今天发布了新模型。\n").unwrap();
    let config = EngineConfig {
        data: common::repo().join("data"),
        ..EngineConfig::new(corpus.path(), index.path())
    };
    (corpus, index, config)
}

#[test]
fn an_index_on_disk_answers_at_once_and_catches_up_on_sync() {
    let (corpus, _index, config) = lobster_corpus();
    let c = corpus.path();
    let fresh = tempfile::tempdir().unwrap();
    let nothing_built = EngineConfig {
        data: common::repo().join("data"),
        ..EngineConfig::new(c, fresh.path())
    };
    assert!(
        Engine::open_as_indexed(nothing_built).unwrap().is_none(),
        "no index yet: it must be built first"
    );
    drop(Engine::open(config.clone(), &ProgressBar::hidden()).unwrap());

    // A file added while nothing runs: the index on disk does not know it yet.
    fs::write(c.join("b.txt"), "乙文\n\n龙虾实验室还收购了一家公司。\n").unwrap();
    let engine = Engine::open_as_indexed(config.clone())
        .unwrap()
        .expect("a current index");
    assert_eq!(engine.documents(), 1);
    assert_eq!(engine.answer_line("chan", "/source 龙虾实验室").items.len(), 1);
    let report = engine.sync(false, &ProgressBar::hidden()).unwrap();
    assert_eq!((report.added, report.unchanged, report.rebuilt), (1, 1, false));
    let after = engine.answer_line("chan", "/source 龙虾实验室");
    assert!(!after.cached, "answers from before the catch-up are not served");
    assert_eq!(after.items.len(), 2);

    // Other rules make the index outdated: it is not used as it is. Both the data folder's
    // rules and the corpus's own curated names count.
    let other_rules = tempfile::tempdir().unwrap();
    for f in ["boilerplate.toml", "query.toml", "knowledge.toml"] {
        fs::copy(common::repo().join("data").join(f), other_rules.path().join(f)).unwrap();
    }
    let mut query = fs::read_to_string(other_rules.path().join("query.toml")).unwrap();
    query = query.replacen("stop_words = [", "stop_words = [\"龙虾\", ", 1);
    fs::write(other_rules.path().join("query.toml"), query).unwrap();
    let changed = EngineConfig {
        data: other_rules.path().to_path_buf(),
        ..config.clone()
    };
    drop(engine);
    assert!(Engine::open_as_indexed(changed).unwrap().is_none());
    fs::write(
        c.join("entities.toml"),
        "[[entity]]\nkind = \"person\"\nname = \"龙虾先生\"\n",
    )
    .unwrap();
    assert!(Engine::open_as_indexed(config).unwrap().is_none());
}

#[test]
fn a_lost_file_list_rebuilds_instead_of_indexing_twice() {
    let (corpus, index, config) = lobster_corpus();
    let c = corpus.path();
    drop(Engine::open(config.clone(), &ProgressBar::hidden()).unwrap());
    fs::remove_file(index.path().join(dossier::index::manifest::FILES_FILE)).unwrap();
    fs::write(c.join("b.txt"), "乙文\n\n芒果模型仍在训练中。\n").unwrap();
    let (engine, report) = Engine::open(config, &ProgressBar::hidden()).unwrap();
    assert!(report.rebuilt, "{report:?}");
    assert_eq!(
        engine.answer_line("chan", "/source 龙虾实验室").items.len(),
        1,
        "indexed once"
    );
}

#[test]
fn syndicated_copies_are_quoted_once_and_cited_together() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let c = corpus.path();
    let story = "龍蝦實驗室的新模型推遲到五月發布，原因是訓練效果不如預期。";
    write(c, "a.txt", format!("原文標題\n\n{story}\n").as_bytes());
    write(c, "b.txt", format!("轉載標題\n\n{story}\n").as_bytes());
    write(c, "c.txt", "另一篇\n\n龍蝦實驗室今年招聘了很多研究員。\n".as_bytes());
    let engine = common::open(c, index.path());
    let r = engine.answer_line("t", "/source 新模型推遲到五月");
    assert_eq!(r.items.len(), 1, "{:?}", r.items);
    let item = &r.items[0];
    let mut cited: Vec<&str> = std::iter::once(&item.citation)
        .chain(&item.also)
        .map(|c| c.doc.as_str())
        .collect();
    cited.sort();
    assert_eq!(cited, ["a", "b"], "both copies are cited, once");
    let message = common::message(&r).unwrap_or_default();
    assert!(message.contains("from 2 documents"), "{message}");
}

#[test]
fn an_article_on_one_line_is_cut_into_paragraphs_at_sentence_ends() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let c = corpus.path();
    // A scraped article whose line breaks were lost: 60 sentences on one line.
    let sentences: Vec<String> = (0..60)
        .map(|i| format!("第{i}段寫的是龍蝦實驗室在第{i}個季度的進展，內容各不相同。"))
        .collect();
    let line = sentences.concat();
    write(c, "long.txt", format!("長文\n\n{line}\n").as_bytes());
    let engine = common::open(c, index.path());
    let r = engine.answer_line("t", "/source 第42個季度");
    let item = r.items.first().expect("found");
    assert!(item.text.contains("第42個季度"), "{}", item.text);
    assert!(
        item.text.chars().count() <= 1000,
        "a readable quote, not the whole article"
    );
    assert!(
        item.text.ends_with('。') && line.contains(&item.text),
        "verbatim, cut after a sentence"
    );
    assert!(item.citation.paragraph > 1, "{:?}", item.citation);
}

#[test]
fn a_long_timeline_shows_the_oldest_lines_and_says_how_many_reports_remain() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let c = corpus.path();
    // 75 events on distinct dates (newest first in the file), plus one reported twice.
    let mut body: Vec<String> = (0..75)
        .rev()
        .map(|i| format!("{}年3月1日，龙虾实验室发布了第{i}版模型。", 1950 + i))
        .collect();
    body.push("1949年10月1日，龙虾实验室在北京成立。".into());
    write(c, "a.txt", format!("龙虾大事记\n\n{}\n", body.join("\n\n")).as_bytes());
    write(c, "b.txt", "转载\n\n1949年10月1日，龙虾实验室在北京成立。\n".as_bytes());
    let engine = common::open(c, index.path());
    let r = engine.answer_line("t", "/timeline 龙虾实验室");
    let message = common::message(&r).clone().unwrap_or_default();
    assert!(message.starts_with("At least 60 dated events"), "{message}");
    assert!(message.contains("(in 77 dated reports)"), "{message}");
    assert_eq!(r.items.len(), 60);
    let dates: Vec<&str> = r.items.iter().map(|i| i.date.as_deref().unwrap_or("")).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "oldest first");
    assert_eq!(dates[0], "1949-10-01");
    // The founding reported by both documents is one line citing both.
    let founding = r.items.iter().find(|i| i.text.contains("成立")).expect("founding line");
    assert_eq!(founding.also.len(), 1, "{:?}", founding.also);
}
