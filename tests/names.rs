//! Names found with no names file, end to end: a mixed English and Chinese corpus written here
//! the way news writes people (titles, surnames alone, `Mr X`, declared translations, names
//! jieba cuts apart), with the traps that fooled discovery before (sentence starts, products,
//! places, two people sharing a surname).

use std::fs;
use std::sync::OnceLock;

use common::write;
use dossier::engine::{Engine, Response};

mod common;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<(Engine, tempfile::TempDir)> = OnceLock::new();
    &ENGINE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let corpus = dir.path().join("corpus");
            fs::create_dir(&corpus).unwrap();
            write(
                &corpus,
                "zimbabwe.txt",
                "Mugabe resigns after 37 years\n\n\
                 Zimbabwe President Robert Mugabe resigned on Tuesday, the speaker of parliament said.\n\n\
                 But Mr Mugabe had refused to step down for a week. One Harare-based analyst called it historic.\n\n\
                 Mr Mugabe, 93, led the country since independence in 1980.\n",
            );
            write(
                &corpus,
                "disney.txt",
                "Disney+ glitches blamed on heavy demand\n\n\
                 Walt Disney Co. executive Kevin Mayer said demand was overwhelming.\n\n\
                 \u{201c}We had some issues,\u{201d} Mayer, Disney\u{2019}s chairman of direct-to-consumer, said on Tuesday.\n\n\
                 The Nintendo Switch and the Apple AirPods were also on sale, and a regular Switch costs $299.\n",
            );
            write(
                &corpus,
                "wework.txt",
                "WeWork gets a lifeline\n\n\
                 Japanese investor SoftBank Group Corp agreed to take control of WeWork.\n\n\
                 SoftBank will pay up to $8 billion, and SoftBank executive Marcelo Claure becomes chairman.\n",
            );
            write(
                &corpus,
                "meta.txt",
                "Meta 重组\n\n\
                 Meta 高级副总裁 Ruben Mayer 离职。Mayer 曾两度供职于 Scale AI。\n\n\
                 分析师尼尔·坎普林（Neil Campling）表示，重组仍将继续。尼尔·坎普林称，成本太高。\n",
            );
            write(
                &corpus,
                "huawei.txt",
                "孟晚舟获保释\n\n\
                 加拿大当局拘押华为公司cfo孟晚舟一事引发关注。\n\n\
                 法院对孟晚舟女士举行保释听证，孟晚舟称自己是清白的。\n\n\
                 法国总统马克龙表示关注此事。马克龙当天还会见了记者。\n",
            );
            write(
                &corpus,
                "obama.txt",
                "Obama speaks in Chicago\n\n\
                 Former President Barack Obama spoke in Chicago on Monday.\n\n\
                 Mr Obama said the foundation would open next year.\n",
            );
            (common::open(&corpus, &dir.path().join("index")), dir)
        })
        .0
}

fn ask(line: &str) -> Response {
    engine().answer_line("test", line)
}

fn headline(r: &Response) -> String {
    common::message(r)
        .as_deref()
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn texts(r: &Response) -> Vec<String> {
    r.items.iter().map(|i| i.text.clone()).collect()
}

#[test]
fn every_written_form_of_a_person_reaches_them() {
    let full = headline(&ask("/who Robert Mugabe"));
    assert!(full.starts_with("Robert Mugabe (person)"), "{full}");
    assert_eq!(headline(&ask("/who Mugabe")), full, "the surname alone, also after Mr");
    let r = ask("/who Robert Mugabe");
    assert!(
        texts(&r).iter().any(|t| t.starts_with("Mr Mugabe, 93")),
        "Mr Mugabe's paragraphs are his: {:?}",
        texts(&r)
    );
    assert!(
        common::message(&r)
            .as_deref()
            .unwrap()
            .contains("Titled: Zimbabwe President"),
        "the title before the name is kept: {:?}",
        common::message(&r)
    );
    // A transliteration and its original declared in full-width parentheses.
    assert_eq!(headline(&ask("/who Neil Campling")), headline(&ask("/who 尼尔·坎普林")));
    // Names jieba cuts apart (孟晚|舟, 马克|龙), found after a role word and before speech.
    for name in ["孟晚舟", "马克龙"] {
        let r = ask(&format!("/who {name}"));
        assert!(
            headline(&r).starts_with(&format!("{name} (person)")),
            "{name}: {:?}",
            common::message(&r)
        );
    }
}

#[test]
fn a_shared_surname_is_each_persons_in_their_own_documents() {
    let r = ask("/who Kevin Mayer");
    let found = texts(&r);
    assert!(
        found.iter().any(|t| t.contains("Mayer, Disney\u{2019}s chairman")),
        "Mayer in the Disney story is Kevin: {found:?}"
    );
    assert!(
        !found.iter().any(|t| t.contains("Scale AI")),
        "Mayer in the Meta story is Ruben: {found:?}"
    );
    let m = common::message(&r).unwrap_or_default();
    assert!(
        !m.contains("Ruben Mayer ("),
        "no co-mention through the shared surname: {m}"
    );
}

#[test]
fn the_list_reads_like_one_a_person_would_write() {
    let registry = engine().registry();
    let names: Vec<(&str, bool)> = registry
        .entities()
        .iter()
        .filter(|e| e.mentions > 0)
        .map(|e| (e.name.as_str(), e.kind == dossier::text::EntityKind::Person))
        .collect();
    for (name, _) in &names {
        for junk in ["But ", "Mr ", "One ", "Former ", "President "] {
            assert!(!name.starts_with(junk), "{name} in {names:?}");
        }
        assert!(!name.ends_with("女士") && !name.ends_with("一"), "{name}");
    }
    for thing in ["Nintendo Switch", "Apple AirPods", "SoftBank Group Corp"] {
        assert!(!names.contains(&(thing, true)), "{thing} is no person: {names:?}");
    }
    assert!(!names.iter().any(|(n, _)| n.contains("Harare")), "a place: {names:?}");
}

#[test]
fn short_forms_and_suggestions_come_from_the_corpus() {
    // The short form of a listed name is searched as a name of its own.
    let r = ask("/who SoftBank");
    assert!(
        texts(&r).iter().any(|t| t.contains("$8 billion")),
        "{:?}",
        common::message(&r)
    );
    // A misspelling gets the closest real name first, never a name no document uses.
    let r = ask("/who Barak Obama");
    assert!(r.items.is_empty());
    let m = common::message(&r).unwrap();
    assert!(m.contains("Closest names: Barack Obama"), "{m}");
}
