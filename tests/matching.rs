//! Mixed-script matching on the real corpus: either script finds the other, joined Latin
//! names, width and case, junk that must find nothing, and highlights that point at the
//! original text.

mod common;

use common::{ask, doc_ids, norm};
use dossier::text::fold;

#[test]
fn simplified_queries_find_traditional_text() {
    let r = ask("/source 两层安保");
    assert_eq!(doc_ids(&r).first(), Some(&"002_a55689cea94975b7"));
    // The quote stays in the document's own script.
    assert!(r.items[0].text.contains("兩層安保"), "{}", r.items[0].text);
    let r = ask("/source 扎克伯格专门在自己的办公室旁边");
    assert!(doc_ids(&r).first().unwrap().starts_with("000"));
}

#[test]
fn traditional_queries_find_simplified_text() {
    let r = ask("/source 節節敗退");
    assert!(doc_ids(&r).first().unwrap().starts_with("001"), "{r:?}");
    assert!(r.items[0].text.contains("节节") || r.items[0].citation.paragraph == 0);
    let r = ask("/source 龐若明");
    assert!(doc_ids(&r).iter().any(|d| d.starts_with("001")));
}

#[test]
fn joined_latin_names_match_spaced_names() {
    for q in ["/source Ruben Mayer", "/source RubenMayer", "/source ruben mayer"] {
        let r = ask(q);
        let top = r.items.first().unwrap_or_else(|| panic!("{q} found nothing"));
        assert!(top.text.contains("RubenMayer"), "{q}: {}", top.text);
    }
    let r = ask("/source Jason Droege");
    assert!(r.items[0].text.contains("JasonDroege"));
}

#[test]
fn width_and_case_are_folded() {
    let r = ask("/source ＴＢＤ Ｌａｂ");
    assert!(!r.items.is_empty());
    assert!(r.items.iter().all(|i| norm(&i.text).contains("tbd")));
    let a = ask("/source SCALE ai 数据质量");
    let b = ask("/source scale AI 數據質量");
    assert_eq!(doc_ids(&a), doc_ids(&b));
    assert!(!a.items.is_empty());
}

#[test]
fn junk_from_page_furniture_is_not_indexed() {
    for q in [
        "女足",
        "哈登",
        "国产av",
        "成人免费在线视频",
        "爱泼斯坦",
        "京公网安备",
        "特别声明",
        "incentive-icons",
        "成都男子驾车撞人",
    ] {
        let r = ask(&format!("/source {q}"));
        assert!(r.items.is_empty(), "{q} found {:?}", r.items.first().map(|i| &i.text));
        assert!(r.error.is_none());
        assert!(
            common::message(&r).as_deref().unwrap().contains("Nothing"),
            "{q}: {:?}",
            common::message(&r)
        );
    }
}

#[test]
fn questions_answer_with_content_not_question_words() {
    let r = ask("Meta收购Scale AI花了多少钱");
    assert!(
        r.items.iter().take(3).any(|i| norm(&i.text).contains("143亿美元")),
        "{r:#?}"
    );
    // A question made only of question words finds nothing rather than everything.
    let r = ask("为什么是什么?");
    assert!(r.items.is_empty());
    let r = ask("Who leads PAR");
    assert!(
        r.items.iter().take(3).any(|i| i.text.contains("Nat Friedman")),
        "{r:#?}"
    );
    let r = ask("When did Andrew Bosworth join Meta");
    assert!(r.items.iter().take(3).any(|i| i.text.contains("2006")), "{r:#?}");
}

#[test]
fn every_paragraph_can_be_found_and_highlighted() {
    use dossier::corpus::{read_document, scan};
    let rules = dossier::rules::Rules::load(&common::repo().join("data")).unwrap();
    let (files, _) = scan(&common::bundled_corpus()).unwrap();
    let docs: Vec<_> = files
        .iter()
        .map(|f| read_document(f, &std::fs::read(&f.path).unwrap(), &rules.boilerplate, &mut Vec::new()).unwrap())
        .collect();
    // How many paragraphs in the corpus contain this probe: a probe that is just a
    // common name ("Alexandr Wang") cannot be expected to rank one paragraph first.
    let spread = |probe: &str| {
        let probe = fold(probe);
        docs.iter()
            .flat_map(|d| &d.paragraphs)
            .filter(|p| fold(p).contains(&probe))
            .count()
    };
    let mut checked = 0;
    for d in &docs {
        for (i, p) in d.paragraphs.iter().enumerate() {
            // A verbatim stretch of the paragraph must find it, highlighted.
            let chars: Vec<char> = p.chars().collect();
            // Start and end on word edges: a probe must not cut a Latin word in two.
            let latin = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
            let mut start = chars.len() / 3;
            while start > 0 && latin(start) && latin(start - 1) {
                start -= 1;
            }
            let mut end = (start + 12).min(chars.len());
            while end < chars.len() && latin(end) && latin(end - 1) {
                end += 1;
            }
            let mut probe: String = chars[start..end].iter().collect();
            while spread(&probe) > 3 && end < chars.len() {
                end = (end + 6).min(chars.len());
                while end < chars.len() && latin(end) && latin(end - 1) {
                    end += 1;
                }
                probe = chars[start..end].iter().collect();
            }
            if probe.chars().filter(|c| c.is_alphanumeric()).count() < 6 {
                continue;
            }
            let r = ask(&format!("/source {probe}"));
            let item = r
                .items
                .iter()
                // A repeated paragraph (a subtitle repeated as a heading) is quoted once.
                .find(|it| it.citation.doc == d.id && (it.citation.paragraph == i as u64 + 1 || &it.text == p))
                .unwrap_or_else(|| panic!("{} ¶{} not found by {probe:?}: {:?}", d.id, i + 1, doc_ids(&r)));
            // A paragraph that introduces a list is quoted with it: verbatim paragraphs, one per
            // line, the first being this one.
            if item.citation.last_paragraph.is_some() {
                assert!(
                    item.text.starts_with(p.trim_end()),
                    "quotes are verbatim: {}",
                    item.text
                );
                assert!(
                    p.trim_end().ends_with([':', '：']),
                    "only an introduction carries more: {p}"
                );
            } else {
                assert_eq!(&item.text, p, "quotes are verbatim");
            }
            let text: Vec<char> = item.text.chars().collect();
            let marked: Vec<String> = item
                .highlights
                .iter()
                .map(|[s, e]| {
                    assert!(s < e && *e <= text.len(), "bad highlight {s}..{e}");
                    text[*s..*e].iter().collect()
                })
                .collect();
            let probe_f = fold(&probe);
            let overlaps = |m: &String| {
                let m = fold(m);
                probe_f.contains(&m)
                    || probe_f
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| w.chars().count() >= 2 && m.contains(w))
            };
            assert!(marked.iter().any(overlaps), "no highlight of {probe:?} in {marked:?}");
            checked += 1;
        }
    }
    assert!(checked > 150, "only {checked} paragraphs checked");
}
