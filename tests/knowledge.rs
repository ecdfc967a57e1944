//! /who and /timeline on the real corpus, and knowledge built from corpora made to test
//! merging, dating and de-duplication.

mod common;

use std::fs;

use common::{ask, doc_ids, norm};

#[test]
fn who_merges_aliases_across_scripts_and_languages() {
    // Every alias, in either script and any case, reaches the same profile.
    let profile = |q: &str| {
        let r = ask(&format!("/who {q}"));
        assert!(r.error.is_none(), "{q}: {:?}", r.error);
        common::message(&r)
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let wang = profile("Alexandr Wang");
    assert!(wang.starts_with("Alexandr Wang"), "{wang}");
    for alias in ["汪滔", "alexandr wang", "ALEXANDR WANG", "Wang"] {
        assert_eq!(profile(alias), wang, "{alias}");
    }
    let zhao = profile("赵晟佳");
    assert_eq!(profile("趙晟佳"), zhao, "both scripts");
    assert_eq!(
        profile("Shengjia Zhao"),
        zhao,
        "English and Chinese names declared together"
    );
    let mayer = profile("Ruben Mayer");
    assert_eq!(profile("RubenMayer"), mayer, "joined Latin names");
    assert_eq!(profile("Mayer"), mayer, "a surname used alone");
    let bosworth = profile("Andrew Bosworth");
    assert_eq!(profile("安德鲁"), bosworth, "the part of a · name the text uses alone");
    assert_eq!(profile("安德魯·博斯沃思"), bosworth);
    let pang = profile("庞若鸣");
    assert_eq!(profile("龐若鳴"), pang);
    assert_eq!(profile("庞若明"), pang, "variant spellings from the curated file");
    assert_eq!(profile("楊立昆"), profile("LeCun"));
    assert_eq!(profile("小扎"), profile("Zuckerberg"));
}

#[test]
fn who_puts_describing_passages_first_and_cites_every_document() {
    let r = ask("/who 扎克伯格");
    assert!(r.items.iter().any(|i| norm(&i.text).contains("41岁")));
    let docs: std::collections::BTreeSet<&str> = doc_ids(&r).into_iter().collect();
    assert_eq!(docs.len(), 4, "every document naming him is cited");
    let r = ask("/who Scale AI 前首席执行官");
    assert!(r.items.is_empty(), "a phrase is not a name");
    let r = ask("/who Nat Friedman");
    assert!(norm(&r.items[0].text).contains("前githubceonatfriedman"));
    let r = ask("/who 朱泽园");
    assert!(r.items[0].citation.doc.starts_with("003") && norm(&r.items[0].text).contains("研究科学家朱泽园"));
    // Highlights mark the name as the document writes it.
    let first = &r.items[0];
    let chars: Vec<char> = first.text.chars().collect();
    let marked: String = chars[first.highlights[0][0]..first.highlights[0][1]].iter().collect();
    assert_eq!(marked, "朱澤園");
    let m = common::message(&ask("/who Alexandr Wang")).unwrap();
    assert!(
        m.contains("Often mentioned with:") && m.contains("安德鲁·博斯沃思"),
        "{m}"
    );
}

#[test]
fn unknown_names_get_suggestions_not_someone_elses_profile() {
    for q in ["Elon Musk", "扎克", "Alexander Wangg", "模型", "Sam Altman"] {
        let r = ask(&format!("/who {q}"));
        assert!(r.items.is_empty(), "{q} got {:?}", r.items.first().map(|i| &i.text));
        assert!(r.error.is_none());
        assert!(
            common::message(&r).as_deref().unwrap().starts_with("No one called"),
            "{q}"
        );
    }
    assert!(common::message(&ask("/who 扎克")).unwrap().contains("马克·扎克伯格"));
    assert!(common::message(&ask("/who Alexander Wangg"))
        .unwrap()
        .contains("Closest names: Alexandr Wang"));
}

#[test]
fn timeline_orders_resolved_dates_with_citations() {
    let r = ask("/timeline 牛油果");
    let dated: Vec<(String, String)> = r
        .items
        .iter()
        .map(|i| (i.date.clone().unwrap(), norm(&i.text)))
        .collect();
    assert!(
        dated.iter().any(|(d, t)| d == "2026-01" && t.contains("后训练")),
        "{dated:?}"
    );
    assert!(dated.iter().any(|(d, t)| d == "2026-05" && t.contains("推迟到5月")));
    assert!(dated.iter().any(|(d, t)| d == "2025-12" && t.contains("预训练")));
    assert!(
        !dated.iter().any(|(d, t)| d.starts_with("2025") && t.contains("后训练")),
        "a clause per date"
    );
    let dates: Vec<&String> = dated.iter().map(|(d, _)| d).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    let approx = r.items.iter().find(|i| i.date.as_deref() == Some("2025-12")).unwrap();
    assert_eq!(approx.note.as_deref(), Some("≈ 2025-12, \"去年年底\""));
}

#[test]
fn timeline_never_guesses_dates_in_undated_documents() {
    // 002 and 003 show no publication date: their relative dates stay out.
    let r = ask("/timeline");
    for i in &r.items {
        if i.citation.doc.starts_with("002") || i.citation.doc.starts_with("003") {
            let t = norm(&i.text);
            assert!(
                !t.contains("7月裁掉") && !t.contains("昨日") && !t.contains("本周"),
                "guessed {:?}: {}",
                i.date,
                i.text
            );
        }
    }
    // Junk headlines (1960年, 2032奥运会) were never indexed.
    assert!(!r.items.iter().any(|i| i
        .date
        .as_deref()
        .is_some_and(|d| d.starts_with("1960") || d.starts_with("2032"))));
    assert!(r
        .items
        .iter()
        .any(|i| i.date.as_deref() == Some("2013") && i.citation.doc.starts_with("003")));
    let dates: Vec<&str> = r.items.iter().map(|i| i.date.as_deref().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
}

#[test]
fn timeline_ranges_and_bad_dates() {
    let r = ask("/timeline --from 2025-07 --to 2025-12");
    assert!(!r.items.is_empty());
    for i in &r.items {
        let d = i.date.as_deref().unwrap();
        assert!(
            d == "2025" || ("2025-07".."2025-13").contains(&d),
            "{d} outside the range"
        );
    }
    for bad in [
        "/timeline --from soon",
        "/timeline --to 2025-13",
        "/timeline --from 2026 --to 2025",
    ] {
        let r = ask(bad);
        assert_eq!(r.error.as_ref().map(|e| e.kind()), Some("usage"), "{bad}");
    }
    let r = ask("/timeline 女足");
    assert!(r.items.is_empty() && common::message(&r).unwrap().contains("No dated events"));
}

#[test]
fn timeline_of_a_year_or_month_lists_the_events_dated_in_it() {
    for (topic, period) in [("2025", "2025"), ("2025年7月", "2025-07"), ("2025-07", "2025-07")] {
        let r = ask(&format!("/timeline {topic}"));
        assert!(!r.items.is_empty(), "{topic}");
        for i in &r.items {
            let d = i.date.as_deref().unwrap();
            // A year-only event overlaps each month of its year.
            assert!(d.starts_with(period) || d == "2025", "{topic}: {d}");
        }
        assert!(
            common::message(&r).unwrap().contains(&format!(" in {period}")),
            "{topic}"
        );
    }
}

#[test]
fn one_event_reported_by_several_documents_is_one_line() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let c = corpus.path();
    fs::write(c.join("a.txt"), "甲报\n\n2025年7月,Scale AI裁掉了200名数据标注员工。\n").unwrap();
    fs::write(c.join("b.txt"), "乙報\n\n2025年7月,Scale AI裁掉了200名數據標註員工。\n").unwrap();
    fs::write(c.join("c.txt"), "丙报\n\n2025年7月,Meta发布了新的眼镜。\n").unwrap();
    fs::write(c.join("d.txt"), "丁报\n\n去年年底,芒果模型训练完成。\n").unwrap();
    fs::write(c.join("d.meta.toml"), "published = 2026-03-15\n").unwrap();
    let engine = common::open(c, index.path());
    let r = engine.answer_line("t", "/timeline");
    let lines: Vec<(Option<String>, String, usize)> = r
        .items
        .iter()
        .map(|i| (i.date.clone(), i.citation.doc.clone(), i.also.len()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (Some("2025-07".into()), "a".into(), 1),
            (Some("2025-07".into()), "c".into(), 0),
            (Some("2025-12".into()), "d".into(), 0),
        ]
    );
    assert_eq!(r.items[0].also[0].doc, "b");
    // The sidecar's publication date resolved 去年年底.
    assert_eq!(r.items[2].note.as_deref(), Some("≈ 2025-12, \"去年年底\""));
}

#[test]
fn entities_listing_and_lookup() {
    let registry = common::engine().registry();
    let names: Vec<&str> = registry
        .lookup("扎", 25)
        .into_iter()
        .map(|i| registry.get(i).name.as_str())
        .collect();
    assert_eq!(names.first(), Some(&"马克·扎克伯格"));
    let wang = registry.lookup("alex", 25);
    assert_eq!(registry.get(wang[0]).name, "Alexandr Wang");
    assert!(registry.lookup("", 25).len() == 25);
    let junk = ["高薪", "西瓜皮", "安保", "许诺", "龙虾"];
    assert!(
        !registry.entities().iter().any(|e| junk.contains(&e.name.as_str())),
        "jieba's noisy person tags are not names"
    );
    let wang = &registry.entities()[registry.find("汪滔").unwrap()];
    assert!(wang.mentions >= 20, "{}", wang.mentions);
}

#[test]
fn a_long_message_is_traced_by_its_distinctive_sentences() {
    let engine = common::engine();
    let message = format!(
        "大家好！{} 听说 Meta 花了143亿美金投资 Scale AI，是真的吗？ 谢谢大家！",
        "我们今天下午开会讨论一下这个事情。".repeat(8)
    );
    let q = engine.claim_query(&message);
    assert!(q.contains("143亿美金") && q.contains("Scale AI"), "{q}");
    assert!(!q.contains("开会讨论") && !q.contains("大家好"), "filler searched: {q}");
    assert!(q.chars().count() <= dossier::answer::source::CLAIM_MAX);
    // A short message is searched whole, links left out.
    assert_eq!(engine.claim_query("Avocado 推迟 https://example.com/x"), "Avocado 推迟");
}

/// A document indexed by a later sync takes paragraph numbers that no earlier document
/// holds: the timeline of a topic named in its headline (which keeps the events of that
/// document's paragraphs by number) takes in none of an earlier document's events.
#[test]
fn documents_indexed_later_never_share_paragraph_numbers_with_earlier_ones() {
    let (corpus, index) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let earlier = "Harbour works\n\nThe harbour works began on 3 March 2024.\n\n\
                   The new pier opened on 9 May 2024.\n\nDredging ended on 1 July 2024.\n";
    common::write(corpus.path(), "harbour.txt", earlier);
    let engine = common::open(corpus.path(), index.path());
    let first = engine.answer_line("t1", "/timeline harbour works");
    assert!(first.items.len() >= 2, "{:?}", first.items);

    let later = "Orchard festival\n\nIt was held on 12 June 2024.\n\nIt closed on 14 June 2024.\n";
    common::write(corpus.path(), "orchard.txt", later);
    let report = engine.sync(false, &indicatif::ProgressBar::hidden()).unwrap();
    assert_eq!(report.added, 1, "an incremental sync, not a rebuild");
    let r = engine.answer_line("t2", "/timeline orchard festival");
    let dates: Vec<&str> = r.items.iter().filter_map(|i| i.date.as_deref()).collect();
    assert!(dates.contains(&"2024-06-12"), "{:?}", r.items);
    assert!(
        r.items.iter().all(|i| i.citation.doc == "orchard"),
        "events of another document: {:?}",
        r.items
    );
}

/// The spelling an entity is shown under does not depend on the order its documents reached
/// the index. Here the Traditional documents are indexed first and the Simplified ones by a
/// later sync; a fresh build of the same folder must show the same name.
#[test]
fn the_name_shown_for_an_entity_does_not_depend_on_the_order_documents_were_indexed() {
    let corpus = tempfile::tempdir().unwrap();
    let write = |id: &str, headline: &str, body: &str| {
        common::write(corpus.path(), &format!("{id}.txt"), &format!("{headline}\n\n{body}\n"))
    };
    let traditional = "法國總統馬克龍表示關注此事。馬克龍當天還會見了記者。";
    let simplified = "法国总统马克龙表示关注此事。马克龙当天还会见了记者。";
    write("z1", "峰會開幕", traditional);
    write("z2", "貿易談判", traditional);
    let first = tempfile::tempdir().unwrap();
    let engine = common::open(corpus.path(), first.path());
    write("a1", "峰会闭幕", simplified);
    write("a2", "贸易谈判结束", simplified);
    let report = engine.sync(false, &indicatif::ProgressBar::hidden()).unwrap();
    assert_eq!(report.added, 2, "an incremental sync, not a rebuild");
    let shown = |engine: &dossier::engine::Engine| {
        let registry = engine.registry();
        let i = registry.find("马克龙").expect("the name is found in both scripts");
        registry.get(i).name.clone()
    };
    let after_syncs = shown(&engine);
    assert!(["马克龙", "馬克龍"].contains(&after_syncs.as_str()), "{after_syncs}");
    let fresh = tempfile::tempdir().unwrap();
    assert_eq!(shown(&common::open(corpus.path(), fresh.path())), after_syncs);
}
