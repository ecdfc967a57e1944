//! Cleaning the real corpus: no page furniture, no spam, no pinyin residue; paragraphs and
//! metadata of each seed document.

mod common;

use dossier::corpus::{read_document, scan, Document};
use dossier::rules::Rules;

fn documents() -> Vec<Document> {
    let rules = Rules::load(&common::repo().join("data")).unwrap();
    let (files, skipped) = scan(&common::bundled_corpus()).unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(&f.path).unwrap();
            read_document(f, &bytes, &rules.boilerplate, &mut Vec::new()).unwrap()
        })
        .collect()
}

fn doc(docs: &[Document], prefix: &str) -> Document {
    docs.iter().find(|d| d.id.starts_with(prefix)).unwrap().clone()
}

/// Strings that only occur in page furniture, spam or the unrelated-headline lists.
const FURNITURE: &[&str] = &[
    "女足",
    "哈登",
    "国产av",
    "成人免费",
    "五月天成人",
    "爱泼斯坦",
    "成都男子",
    "特别声明",
    "notice:",
    "京公网安备",
    "热点推荐",
    "相关推荐",
    "分享至",
    "网易首页",
    "申请入驻",
    "incentive-icons",
    "推荐订阅",
    "无障碍浏览",
    "往期回顾",
    "1960年",
    "2032奥运会",
    "tougao@huxiu.com",
    "editor@cyzone.cn",
    "本文为专栏作者授权",
    "本内容由作者授权发布",
    "个人原创",
    "头图来自",
    "经授权转载",
    "原文链接",
    "参考资料",
];

#[test]
fn no_furniture_or_spam_survives() {
    for d in documents() {
        for (i, p) in std::iter::once(&d.meta.title).chain(&d.paragraphs).enumerate() {
            let n = common::norm(p);
            for junk in FURNITURE {
                assert!(!n.contains(&common::norm(junk)), "{} ¶{i} keeps {junk:?}: {p}", d.id);
            }
            assert!(!p.contains('|'), "{} ¶{i} looks like keyword spam: {p}", d.id);
            assert!(
                !["反馈", "联系我们", "0"].contains(&n.as_str()),
                "{} ¶{i} is a footer line",
                d.id
            );
            assert!(p.trim() == p && !p.is_empty());
        }
    }
}

#[test]
fn no_pinyin_annotations_remain() {
    let residue = regex::Regex::new(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]").unwrap();
    let docs = documents();
    for d in &docs {
        for p in &d.paragraphs {
            assert!(!residue.is_match(p), "{}: {p}", d.id);
        }
    }
    let text: String = docs.iter().flat_map(|d| d.paragraphs.clone()).collect();
    // The annotated words read as words again, and real parentheses stay.
    for kept in [
        "一款AI Agent產品",
        "安德魯·博斯沃思(Andrew Bosworth)",
        "Alexandr Wang(汪滔)",
        "趙晟佳(Shengjia Zhao)",
        "OpenAI首席研究官Mark Chen",
        "FAIR 的上級是",
    ] {
        assert!(text.contains(kept), "missing {kept}");
    }
}

#[test]
fn seed_documents_have_their_metadata() {
    let docs = documents();
    assert_eq!(docs.len(), 4);

    let d = doc(&docs, "000");
    assert_eq!(d.meta.title, "大裁員20%,新模型難產:Meta AI這團亂麻仍然沒理順");
    let source = d.meta.source.clone().unwrap();
    assert!(source.contains("虎嗅") && source.contains("字母AI"), "{source}");
    assert_eq!(d.meta.author.as_deref(), Some("小金牙"));
    assert_eq!(
        d.meta.url.as_deref(),
        Some("https://www.huxiu.com/article/4842057.html?f=wyxwapp")
    );
    assert_eq!(d.meta.published.unwrap().to_string(), "2026-03-15");

    let d = doc(&docs, "001");
    assert_eq!(d.meta.title, "Meta的AI之路,为何节节败退?");
    let source = d.meta.source.clone().unwrap();
    assert!(source.contains("网易号") && source.contains("脑极体"), "{source}");
    assert_eq!(d.meta.published.unwrap().to_string(), "2026-02-03");
    assert_eq!(d.meta.url, None);

    let d = doc(&docs, "002");
    assert!(d.meta.title.starts_with("143億美金買來一場空"));
    let source = d.meta.source.clone().unwrap();
    assert!(source.contains("新智元") && source.contains("創業邦"), "{source}");
    assert_eq!(d.meta.published, None, "the page shows no date of its own");
    assert_eq!(d.meta.references.len(), 3);
    assert!(d
        .meta
        .references
        .iter()
        .all(|r| r.starts_with("https://") && r.matches("https://").count() == 1));

    let d = doc(&docs, "003");
    assert!(d.meta.title.starts_with("LeCun 向 Alexandr Wang 匯報"));
    assert_eq!(d.meta.source.as_deref(), Some("機器之心"));
    assert_eq!(d.meta.author.as_deref(), Some("澤南、杜偉"));
}

#[test]
fn paragraphs_are_the_article_body_in_order() {
    let docs = documents();
    let first_last = [
        ("000", "Meta正在經歷一個微妙的時刻。", "如果“牛油果”無法成為新的基座"),
        ("001", "一周前,硅谷爆出消息", "Meta的AI黄昏或许将正式到来。"),
        ("002", "斥資1000億元,直接打水漂?", "Llama 5究竟能否讓Meta在AI大戰中翻身"),
        ("003", "招募了一眾 AI 大牛以后", "你看好嗎?歡迎留言討論。"),
    ];
    for (id, first, last) in first_last {
        let d = doc(&docs, id);
        assert!(
            d.paragraphs[0].starts_with(first),
            "{id} starts with {:?}",
            d.paragraphs[0]
        );
        assert!(
            d.paragraphs.last().unwrap().contains(last),
            "{id} ends with {:?}",
            d.paragraphs.last()
        );
        assert!(d.paragraphs.len() >= 25, "{id} has {} paragraphs", d.paragraphs.len());
        // Bylines are metadata, not body.
        assert!(!d
            .paragraphs
            .iter()
            .any(|p| p.contains("本文來自") || p.contains("编辑:") || p.contains("編輯:")));
    }
    // Stable numbering: the same file gives the same paragraphs.
    assert_eq!(documents()[2].paragraphs, docs[2].paragraphs);
}
