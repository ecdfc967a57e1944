//! Pages from sites nobody configured: the article text only, cited with the page's own
//! metadata, and furniture learned from the corpus itself. Every corpus here runs with an
//! empty data folder: the generic rules alone.

use std::fs;

use dossier::corpus::{read_document, scan, Document};
use dossier::engine::{Engine, EngineConfig};
use dossier::rules::Rules;
use indicatif::ProgressBar;

struct Corpus {
    corpus: tempfile::TempDir,
    index: tempfile::TempDir,
    data: tempfile::TempDir,
}

impl Corpus {
    fn new() -> Corpus {
        Corpus {
            corpus: tempfile::tempdir().unwrap(),
            index: tempfile::tempdir().unwrap(),
            data: tempfile::tempdir().unwrap(),
        }
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        fs::write(self.corpus.path().join(name), bytes).unwrap();
    }

    fn config(&self) -> EngineConfig {
        EngineConfig {
            data: self.data.path().to_path_buf(),
            ..EngineConfig::new(self.corpus.path(), self.index.path())
        }
    }

    fn open(&self) -> Engine {
        Engine::open(self.config(), &ProgressBar::hidden()).unwrap().0
    }

    /// One document as indexing reads it.
    fn read(&self, name: &str) -> Document {
        let rules = Rules::load(self.data.path()).unwrap();
        let (files, _) = scan(self.corpus.path()).unwrap();
        let file = files.iter().find(|f| f.path.ends_with(name)).unwrap();
        let bytes = fs::read(&file.path).unwrap();
        read_document(file, &bytes, &rules.boilerplate, &mut Vec::new()).unwrap()
    }
}

/// A news page as sites build them: navigation, share buttons, the article, a related-stories
/// box, comments and a footer.
fn news_page(site: &str, slug: &str, headline: &str, paragraphs: &[&str], footer: &str) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        r##"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{headline} | {site}</title>
<link rel="canonical" href="https://www.{slug_host}.example/world/{slug}">
<meta property="og:site_name" content="{site}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{headline}",
"datePublished":"2019-03-03T21:00:00-05:00","author":{{"@type":"Person","name":"Lois Lane"}},
"publisher":{{"@type":"Organization","name":"{site}"}}}}</script>
<script>var cfg = {{"ads": "</style><p>not text</p>", "tracking": [1,2,3]}};</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a> <a href="/opinion">Opinion</a></nav></header>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a> <a href="#">Email</a></div>
<main><article><h1>{headline}</h1><p class="byline">By Lois Lane</p>{body}</article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Storm hits the coast again</a></li>
<li><a href="/b">Bridge closed after floods</a></li><li><a href="/c">Rain to continue all week</a></li></ul></aside>
<section id="comments"><h3>3 Comments</h3><div class="comment"><p>great article!!</p></div></section>
<p class="site-note">{footer}</p></main>
<footer><p>© 2019 {site}. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"##,
        slug_host = site.to_lowercase().replace(' ', "")
    )
}

const RIVERS: &[&str] = &[
    "Heavy rain over the weekend pushed rivers across the northern valleys to their highest levels in a decade, officials said on Monday.",
    "The river at Millbrook rose by more than two metres overnight, and the town's only bridge was closed to traffic.",
    "Forecasters expect the rain to ease by Wednesday, but warned that water downstream would keep rising for several days.",
];

#[test]
fn a_page_from_an_unconfigured_site_is_cited_with_its_own_metadata() {
    let c = Corpus::new();
    c.write(
        "rivers.html",
        news_page(
            "Daily Planet",
            "rivers",
            "Rivers rise in the north",
            RIVERS,
            "Tips: news@planet.example",
        ),
    );
    let doc = c.read("rivers.html");
    assert_eq!(doc.meta.title, "Rivers rise in the north");
    assert_eq!(doc.meta.author.as_deref(), Some("Lois Lane"));
    assert_eq!(doc.meta.source.as_deref(), Some("Daily Planet"));
    assert_eq!(doc.meta.published.map(|d| d.to_string()).as_deref(), Some("2019-03-03"));
    assert_eq!(
        doc.meta.url.as_deref(),
        Some("https://www.dailyplanet.example/world/rivers")
    );
    assert_eq!(&doc.paragraphs[..3], RIVERS, "{:#?}", doc.paragraphs);
    let all = doc.paragraphs.join("\n");
    for junk in [
        "Home",
        "Share on",
        "Related stories",
        "Storm hits",
        "great article",
        "All rights reserved",
        "not text",
        "tracking",
    ] {
        assert!(!all.contains(junk), "{junk:?} indexed: {all}");
    }

    let engine = c.open();
    let answer = engine.answer_line("t", "/source town's only bridge");
    let item = &answer.items[0];
    assert_eq!(item.text, RIVERS[1]);
    assert_eq!(item.citation.title, "Rivers rise in the north");
    assert_eq!(item.citation.author.as_deref(), Some("Lois Lane"));
    assert_eq!(item.citation.published.as_deref(), Some("2019-03-03"));
    assert!(engine.answer_line("t", "/source Share on Facebook").items.is_empty());
}

#[test]
fn a_declared_legacy_encoding_is_read() {
    let c = Corpus::new();
    let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
        <title>长江流域降雨_新闻中心</title></head><body><h1>长江流域降雨</h1>\
        <p>中央气象台预计，长江中下游地区本周将有持续降雨，部分地区有大到暴雨。</p></body></html>";
    c.write("rain.html", encoding_rs::GBK.encode(html).0);
    let doc = c.read("rain.html");
    assert_eq!(doc.meta.title, "长江流域降雨");
    assert_eq!(
        doc.paragraphs,
        vec!["中央气象台预计，长江中下游地区本周将有持续降雨，部分地区有大到暴雨。"]
    );
}

#[test]
fn bylines_and_date_lines_of_text_files_in_both_languages() {
    let c = Corpus::new();
    c.write(
        "en.txt",
        "Council approves the new budget\n\nBy Jane Doe and John Roe\nPublished 3 March 2019\n\n\
         The city council approved the budget on Tuesday after a long debate.\n\nSign up for our daily newsletter\n",
    );
    c.write(
        "zh.txt",
        "长江流域迎来强降雨\n2019-07-01 10:00 来源：新华社\n\n（记者 张三）中央气象台预计，长江中下游地区本周将有持续降雨。\n\n\
         责任编辑：李四\n",
    );
    c.write(
        "tail.txt",
        "股市午间收盘\n\n沪指午间收涨0.5%，成交额较昨日放大。\n\n内容来源：腾讯证券[2018年05月01日23:37]\n",
    );
    let en = c.read("en.txt");
    assert_eq!(en.meta.author.as_deref(), Some("Jane Doe, John Roe"));
    assert_eq!(en.meta.published.map(|d| d.to_string()).as_deref(), Some("2019-03-03"));
    assert_eq!(
        en.paragraphs,
        vec!["The city council approved the budget on Tuesday after a long debate."]
    );
    let zh = c.read("zh.txt");
    assert_eq!(zh.meta.published.map(|d| d.to_string()).as_deref(), Some("2019-07-01"));
    assert_eq!(zh.meta.source.as_deref(), Some("新华社"));
    assert_eq!(zh.meta.author.as_deref(), Some("张三"));
    assert_eq!(
        zh.paragraphs,
        vec!["（记者 张三）中央气象台预计，长江中下游地区本周将有持续降雨。"]
    );
    let tail = c.read("tail.txt");
    assert_eq!(
        tail.meta.published.map(|d| d.to_string()).as_deref(),
        Some("2018-05-01")
    );
    assert_eq!(tail.meta.source.as_deref(), Some("腾讯证券"));
    assert_eq!(tail.paragraphs, vec!["沪指午间收涨0.5%，成交额较昨日放大。"]);
    // `show --dropped` can say why each line went.
    assert!(
        zh.dropped.iter().any(|d| d.text == "责任编辑：李四"),
        "{:?}",
        zh.dropped
    );
}

#[test]
fn a_page_without_an_article_is_read_whole_with_a_warning() {
    let c = Corpus::new();
    c.write(
        "index.html",
        "<html><head><title>Archive</title></head><body><nav>Menu</nav><p>Short note.</p></body></html>",
    );
    let rules = Rules::load(c.data.path()).unwrap();
    let (files, _) = scan(c.corpus.path()).unwrap();
    let mut warnings = Vec::new();
    let doc = read_document(
        &files[0],
        &fs::read(&files[0].path).unwrap(),
        &rules.boilerplate,
        &mut warnings,
    )
    .unwrap();
    assert_eq!(doc.paragraphs, vec!["Short note."]);
    assert!(
        warnings
            .iter()
            .any(|w| w.path.ends_with("index.html") && w.reason.contains("no article")),
        "{warnings:?}"
    );
}

const FOOTER: &str = "Planet Media Group is registered in England, company number 01234567.";

fn site_page(c: &Corpus, n: usize) {
    let own = [
        format!("Story {n} opens with a report on the harbour works, now in month number {n}."),
        format!("Engineers said stage {n} of the project would finish before the winter storms arrived."),
    ];
    let own: Vec<&str> = own.iter().map(String::as_str).collect();
    c.write(
        &format!("s{n}.html"),
        news_page(
            "Harbour Times",
            &format!("story-{n}"),
            &format!("Harbour works, part {n}"),
            &own,
            FOOTER,
        ),
    );
}

fn finds_footer(engine: &Engine) -> usize {
    engine
        .answer_line(
            &format!("c{}", rand_channel()),
            "/source registered in England company number",
        )
        .items
        .len()
}

fn rand_channel() -> u64 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
}

#[test]
fn lines_a_site_repeats_are_learned_and_follow_incremental_updates() {
    let c = Corpus::new();
    for n in 1..=4 {
        site_page(&c, n);
    }
    let engine = c.open();
    assert_eq!(
        finds_footer(&engine),
        0,
        "a footer on all four pages of one site is furniture"
    );
    let own = engine.answer_line("a", "/source harbour works now in month number 3");
    assert_eq!(own.items[0].citation.doc, "s3", "each page keeps its own text");

    // Two pages go: two articles are not enough to call a line furniture, and the unchanged
    // pages are indexed again with it.
    fs::remove_file(c.corpus.path().join("s3.html")).unwrap();
    fs::remove_file(c.corpus.path().join("s4.html")).unwrap();
    let report = engine.sync(false, &ProgressBar::hidden()).unwrap();
    assert_eq!((report.removed, report.refreshed), (2, 2), "{report:?}");
    assert_eq!(finds_footer(&engine), 1, "quoted once, cited in both pages");

    // A third page brings it back.
    site_page(&c, 5);
    let report = engine.sync(false, &ProgressBar::hidden()).unwrap();
    assert_eq!((report.added, report.refreshed), (1, 2), "{report:?}");
    assert_eq!(finds_footer(&engine), 0);

    // A new process over the same index agrees, and a rebuild gives the same answer.
    drop(engine);
    let engine = c.open();
    assert_eq!(finds_footer(&engine), 0);
    engine.sync(true, &ProgressBar::hidden()).unwrap();
    assert_eq!(finds_footer(&engine), 0);
}

/// Files without a source (plain text, no sidecar) are indexed as soon as they are cleaned,
/// before the lines each site repeats are known; pages of a site wait for them. Both kinds in
/// one corpus: the site's furniture is dropped from its pages only, and an edited plain file
/// replaces its records, through incremental syncs and a rebuild.
#[test]
fn plain_files_beside_a_sites_pages_keep_their_text_and_are_never_indexed_twice() {
    let c = Corpus::new();
    for n in 1..=4 {
        site_page(&c, n);
    }
    let plain = |extra: &str| {
        format!("Notes from the harbour meeting\n\n{FOOTER}\n\nThe minutes were read aloud by the clerk. {extra}\n")
    };
    c.write("notes.txt", plain("The quay lighting budget was approved."));
    let engine = c.open();
    let cited = |engine: &Engine| -> Vec<String> {
        engine
            .answer_line(
                &format!("c{}", rand_channel()),
                "/source registered in England company number",
            )
            .items
            .iter()
            .flat_map(|i| std::iter::once(&i.citation).chain(&i.also))
            .map(|c| c.doc.clone())
            .collect()
    };
    let healthy = |engine: &Engine| {
        let (records, distinct) = engine.paragraph_records().unwrap();
        assert_eq!(records, distinct, "a paragraph was indexed twice");
        records
    };
    assert_eq!(
        cited(&engine),
        ["notes"],
        "the site's footer is dropped from its pages, not from a file of no site"
    );
    let first = healthy(&engine);

    // The plain file is edited: its new text replaces the old, nothing is doubled.
    c.write("notes.txt", plain("The budget for dredging the channel was postponed."));
    let report = engine.sync(false, &ProgressBar::hidden()).unwrap();
    assert_eq!((report.updated, report.refreshed), (1, 0), "{report:?}");
    assert_eq!(healthy(&engine), first);
    let found = |engine: &Engine, q: &str| -> bool {
        engine
            .answer_line(&format!("c{}", rand_channel()), q)
            .items
            .iter()
            .any(|i| i.citation.doc == "notes" && i.text.contains(&q["/source ".len()..]))
    };
    assert!(found(
        &engine,
        "/source The budget for dredging the channel was postponed."
    ));
    assert!(!found(&engine, "/source The quay lighting budget was approved."));
    assert_eq!(cited(&engine), ["notes"]);

    // A rebuild agrees.
    engine.sync(true, &ProgressBar::hidden()).unwrap();
    assert_eq!(healthy(&engine), first);
    assert_eq!(cited(&engine), ["notes"]);
    assert!(found(
        &engine,
        "/source The budget for dredging the channel was postponed."
    ));
}

#[test]
fn show_says_what_was_dropped_and_why() {
    let c = Corpus::new();
    c.write(
        "rivers.html",
        news_page(
            "Daily Planet",
            "rivers",
            "Rivers rise in the north",
            RIVERS,
            "Tips: news@planet.example",
        ),
    );
    let path = c.corpus.path().join("rivers.html");
    let missing = c.corpus.path().join("missing.html");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--data")
        .arg(c.data.path())
        .arg("--index")
        .arg(c.index.path())
        .args(["show", "--json", "--dropped"])
        .arg(&path)
        .arg(&missing)
        .output()
        .unwrap();
    // One line per argument, in order; the missing one is an error and the exit code says so.
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["title"], "Rivers rise in the north");
    assert_eq!(lines[0]["paragraphs"][0], RIVERS[0]);
    let dropped = lines[0]["dropped"].as_array().unwrap();
    let reason_of = |text: &str| {
        dropped
            .iter()
            .find(|d| d["text"].as_str().is_some_and(|t| t.contains(text)))
            .map(|d| d["reason"]["kind"].as_str().unwrap().to_string())
    };
    assert_eq!(reason_of("Share on Facebook").as_deref(), Some("outside_article"));
    assert_eq!(reason_of("Storm hits the coast").as_deref(), Some("outside_article"));
    assert!(lines[1]["error"].as_str().unwrap().contains("missing.html"));
}

#[test]
fn english_dates_make_a_timeline_and_bylines_are_not_events() {
    let c = Corpus::new();
    c.write(
        "sanctions.txt",
        "Sanctions, a history\n\nBy Jane Doe\nPublished 3 March 2019\n\n\
         In 1997, President Bill Clinton imposed sanctions on the country. The measures were eased in March 2005.\n\n\
         Last year the company doubled its revenue, and on Monday it announced a new chief executive.\n",
    );
    let engine = c.open();
    let timeline = engine.answer_line("t", "/timeline");
    let dated: Vec<(String, String)> = timeline
        .items
        .iter()
        .map(|i| (i.date.clone().unwrap_or_default(), i.text.clone()))
        .collect();
    let has = |date: &str, words: &str| dated.iter().any(|(d, t)| d == date && t.contains(words));
    assert!(has("1997", "Clinton imposed sanctions"), "{dated:#?}");
    assert!(has("2005-03", "measures were eased"), "{dated:#?}");
    assert!(has("2018", "doubled its revenue"), "{dated:#?}");
    // Monday before Sunday 3 March 2019.
    assert!(has("2019-02-25", "new chief executive"), "{dated:#?}");
    assert!(!dated.iter().any(|(_, t)| t.contains("Published")), "{dated:#?}");
    let topic = engine.answer_line("t", "/timeline 1997");
    assert!(
        topic.items.iter().any(|i| i.text.contains("Clinton")),
        "{:#?}",
        topic.items
    );
}
