//! Dated events: the sentence that carries a date, with the date normalised.
//!
//! An event's text is the sentence holding the date, verbatim; when a sentence holds several
//! dates, each event is the clause around its own date, so `去年年底…预训练。今年1月…后训练`
//! never dates 后训练 to 2025. Dates are read per paragraph so a bare `5月` can take the
//! year named just before it. A page's own date line or byline (`Published 3 March 2019`,
//! `2019-01-01 10:00 来源：新华社`) is metadata, not an event, even when cleaning left it in
//! the body.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::dates::{find_dates, DateContext, PartialDate};
use crate::corpus::Document;
use crate::text::Folded;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Paragraph number (1-based) the event comes from.
    pub para: u64,
    /// The sentence or clause, verbatim.
    pub text: String,
    pub date: PartialDate,
    pub approximate: bool,
    pub note: Option<String>,
}

/// Ends of sentences in Chinese news text (ASCII `?`/`!` appear in converted pages; `.` does
/// not end sentences there, it sits in numbers and names).
pub const SENTENCE_ENDS: &[char] = &['。', '！', '？', '!', '?', '；', ';', '\n'];
/// Clause breaks (not `、`: `2022年、2023年…大重组` is one phrase).
const CLAUSE_ENDS: &[char] = &['，', ',', '：', ':'];
/// A clause with fewer characters than this besides its date (`今年1月,`) says too little
/// alone and takes the next clause along.
const MIN_CLAUSE_WORDS: usize = 6;

/// Byte ranges of the pieces of `text` ending with one of `ends` (the end kept).
pub fn split_keep(text: &str, ends: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if ends.contains(&c) {
            let end = i + c.len_utf8();
            // Runs of end marks (?! ……) stay with their sentence.
            if text[end..].starts_with(ends) {
                continue;
            }
            out.push((start, end));
            start = end;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out.into_iter()
        .filter(|(s, e)| !text[*s..*e].trim().is_empty())
        .collect()
}

/// The events of one document, in text order.
/// Sentences of a paragraph: at Chinese and other sentence ends, and at a full stop that
/// ends an English sentence (`… in 1997. The next year …`), not one of an abbreviation
/// (`Mr. Smith`, `U.S. officials`, `3.5`).
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (start, end) in split_keep(text, SENTENCE_ENDS) {
        let mut from = start;
        let part = &text[start..end];
        for (i, _) in part.match_indices(". ") {
            let at = start + i + 1;
            let next = text[at..].trim_start().chars().next();
            let word = text[from..start + i]
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("");
            let abbreviation = word.contains('.')
                || (word.chars().count() <= 3 && word.chars().next().is_some_and(char::is_uppercase))
                || word.chars().count() == 1;
            if next.is_some_and(|c| c.is_uppercase() || c == '"' || c == '“') && !abbreviation {
                out.push((from, at));
                from = at;
            }
        }
        out.push((from, end));
    }
    out.into_iter()
        .filter(|(s, e)| !text[*s..*e].trim().is_empty())
        .collect()
}

pub fn events_of(doc: &Document) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    for (i, paragraph) in doc.paragraphs.iter().enumerate() {
        let mut ctx = DateContext::new(doc.meta.published);
        for (s_start, s_end) in sentences(paragraph) {
            let sentence = &paragraph[s_start..s_end];
            let folded = Folded::new(sentence);
            let mentions = find_dates(&folded.text, &mut ctx);
            let clauses = if mentions.len() > 1 {
                split_keep(sentence, CLAUSE_ENDS)
            } else {
                Vec::new()
            };
            let spans: Vec<(usize, usize)> = mentions
                .iter()
                .map(|m| folded.original_range(sentence, m.start, m.end))
                .collect();
            if is_dateline(sentence, &spans) {
                continue;
            }
            let words = |a: usize, b: usize| sentence[a..b].chars().filter(|c| c.is_alphanumeric()).count();
            for (m, &(ms, me)) in mentions.iter().zip(&spans) {
                let text = match clauses.iter().position(|(cs, ce)| (*cs..*ce).contains(&ms)) {
                    Some(first) => {
                        let (cs, mut ce) = clauses[first];
                        for &(ns, ne) in &clauses[first + 1..] {
                            let another_date = spans.iter().any(|(s, _)| (ns..ne).contains(s));
                            if words(cs, ce) - words(ms, me.min(ce)) >= MIN_CLAUSE_WORDS || another_date {
                                break;
                            }
                            ce = ne;
                        }
                        &sentence[cs..ce]
                    }
                    None => sentence,
                };
                let event = Event {
                    para: i as u64 + 1,
                    // A clause keeps its words, not the comma that joined it to the next.
                    text: text.trim().trim_end_matches(CLAUSE_ENDS).trim_end().to_string(),
                    date: m.date,
                    approximate: m.approximate,
                    note: m.note.clone(),
                };
                if !events.iter().any(|e| e.text == event.text && e.date == event.date) {
                    events.push(event);
                }
            }
        }
    }
    events
}

/// Labels of a date line or byline (`Published`, `Updated:`, `By`, `来源：`, `作者`).
static DATELINE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:first published|last updated|published|posted|updated|by)\b|(?:来源|來源|作者|责任编辑|責任編輯|编辑|編輯|记者|記者|发布时间|發佈時間|更新时间|更新時間|时间|時間|日期|稿源|出处|出處)(?:\s*[:：]|\s+)|发布于|發佈於|\bsource\s*:",
    )
    .unwrap()
});
/// Times of day and zones that sit beside a date line's date (`10:00`, `7:03 a.m. ET`).
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\b(?:at|et|gmt|utc|bst|est|edt|pst|pdt|cst|cet)\b|北京时间|北京時間")
        .unwrap()
});
/// CJK characters at most in the name a labelled date line gives (`新华社`, `证券时报网 李在山`).
const DATELINE_NAME_CJK: usize = 16;
/// Latin words at most in that name (`Jane Doe and John Roe, Reuters`).
const DATELINE_NAME_WORDS: usize = 8;

/// Whether a sentence is only a date line or byline: its dates (`spans`, byte ranges in
/// `sentence`), times of day, labels, and at most a name after a label. A sentence that says
/// anything more (`By March 2019, the company had 300 employees`) is an event.
fn is_dateline(sentence: &str, spans: &[(usize, usize)]) -> bool {
    if spans.is_empty() || sentence.chars().count() > 160 {
        return false;
    }
    let mut rest = String::new();
    let mut at = 0;
    for &(s, e) in spans {
        if s >= at && e <= sentence.len() {
            rest.push_str(sentence.get(at..s).unwrap_or(""));
            rest.push(' ');
            at = e;
        }
    }
    rest.push_str(sentence.get(at..).unwrap_or(""));
    let rest = CLOCK.replace_all(&rest, " ");
    let labelled = DATELINE_LABEL.is_match(&rest);
    let rest = DATELINE_LABEL.replace_all(&rest, " ");
    let cjk = rest.chars().filter(|&c| crate::text::fold::is_cjk(c)).count();
    let latin: Vec<&str> = rest
        .split(|c: char| !c.is_alphanumeric() || crate::text::fold::is_cjk(c))
        .filter(|w| !w.is_empty())
        .collect();
    // What a date's own prepositions leave behind (`on` of `on Monday`) is nothing either.
    const DATE_WORDS: &[&str] = &[
        "on", "in", "at", "by", "of", "the", "since", "from", "as", "until", "and", "to",
    ];
    if cjk == 0
        && latin
            .iter()
            .all(|w| DATE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    // A name is capitalised words (`Jane Doe`, `and`, `of` may join them) or a short CJK run.
    let name_word = |w: &&str| w.chars().next().is_some_and(char::is_uppercase) || matches!(*w, "and" | "of" | "&");
    labelled && cjk <= DATELINE_NAME_CJK && latin.len() <= DATELINE_NAME_WORDS && latin.iter().all(name_word)
}

#[cfg(test)]
mod sentence_tests {
    use super::sentences;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|(s, e)| text[s..e].trim()).collect()
    }

    #[test]
    fn english_sentences_end_at_full_stops_but_not_abbreviations() {
        assert_eq!(
            split("In 1997, Mr. Clinton imposed sanctions. The U.S. Senate agreed in 1998. Prices rose 3.5 percent."),
            vec![
                "In 1997, Mr. Clinton imposed sanctions.",
                "The U.S. Senate agreed in 1998.",
                "Prices rose 3.5 percent."
            ]
        );
        assert_eq!(split("去年3月发布。今年推迟。"), vec!["去年3月发布。", "今年推迟。"]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::DocMeta;
    use chrono::NaiveDate;

    fn doc(published: Option<NaiveDate>, paragraphs: &[&str]) -> Document {
        Document {
            id: "t".into(),
            path: "t.txt".into(),
            meta: DocMeta {
                title: "t".into(),
                published,
                ..Default::default()
            },
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            dropped: Vec::new(),
        }
    }

    /// (normalised date, text) of each event, in order.
    fn dated_texts(d: &Document) -> Vec<(String, String)> {
        events_of(d).into_iter().map(|e| (e.date.to_string(), e.text)).collect()
    }

    #[test]
    fn one_event_per_dated_sentence_and_clauses_when_several() {
        let d = doc(
            NaiveDate::from_ymd_opt(2026, 3, 15),
            &["去年年底,TBD Lab完成了牛油果開發的第一階段。今年1月,團隊進入下一階段——“后訓練”(post-training)。沒有日期的句子。",
              "Meta目前的新系列模型,應該在這個月就發布的,但是現在要推遲到5月。"],
        );
        let ev = dated_texts(&d);
        assert_eq!(
            ev,
            vec![
                ("2025-12".into(), "去年年底,TBD Lab完成了牛油果開發的第一階段。".into()),
                (
                    "2026-01".into(),
                    "今年1月,團隊進入下一階段——“后訓練”(post-training)。".into()
                ),
                ("2026-03".into(), "應該在這個月就發布的".into()),
                ("2026-05".into(), "但是現在要推遲到5月。".into()),
            ]
        );
        assert_eq!(events_of(&d)[0].note.as_deref(), Some("≈ 2025-12, \"去年年底\""));
        assert!(events_of(&d)[0].approximate);
    }

    #[test]
    fn short_clauses_take_the_next_one_along() {
        let d = doc(
            NaiveDate::from_ymd_opt(2026, 3, 15),
            &[
                "今年1月,公司還預計,2026年的相關支出最高將達到1350億美元。",
                "那這將是2022年、2023年Meta大重組后最大規模的一次裁員,彼時Meta裁員1.1萬人。",
            ],
        );
        let ev = dated_texts(&d);
        assert_eq!(
            ev,
            vec![
                ("2026-01".into(), "今年1月,公司還預計".into()),
                ("2026".into(), "2026年的相關支出最高將達到1350億美元。".into()),
                (
                    "2022".into(),
                    "那這將是2022年、2023年Meta大重組后最大規模的一次裁員".into()
                ),
                (
                    "2023".into(),
                    "那這將是2022年、2023年Meta大重組后最大規模的一次裁員".into()
                ),
            ]
        );
    }

    #[test]
    fn undated_documents_keep_only_absolute_dates() {
        let d = doc(
            None,
            &[
                "去年年底发生了一件事。2013年Yann LeCun 成立了 FAIR。",
                "幾周後,Scale AI在7月裁掉了200名員工。",
            ],
        );
        let ev: Vec<String> = events_of(&d).into_iter().map(|e| e.date.to_string()).collect();
        assert_eq!(ev, vec!["2013"]);
    }

    #[test]
    fn date_lines_and_bylines_are_not_events() {
        let d = doc(
            NaiveDate::from_ymd_opt(2019, 3, 3),
            &[
                "Published 3 March 2019",
                "Updated: Nov. 19, 2019 7:03 a.m. ET",
                "By Jane Doe, March 3, 2019",
                "By JANE DOE and John Roe, Reuters | March 3, 2019",
                "2019-01-01 10:00 来源：新华社",
                "2019-09-26 11:29 來源：證券時報網 作者：李在山",
                "2019年3月3日",
                "Published 3 March 2019. The board met on Friday.",
            ],
        );
        assert_eq!(
            dated_texts(&d),
            vec![("2019-03-01".into(), "The board met on Friday.".into())]
        );
    }

    #[test]
    fn sentences_with_a_date_and_more_are_events() {
        let d = doc(
            NaiveDate::from_ymd_opt(2019, 3, 3),
            &[
                "By March 2019, the company had 300 employees.",
                "2019年3月3日，习近平抵达巴黎。",
                "2019年3月3日，比赛时间改为晚上。",
                "Reuters reported on March 1 that talks had failed.",
            ],
        );
        let dates: Vec<String> = dated_texts(&d).into_iter().map(|(date, _)| date).collect();
        assert_eq!(dates, vec!["2019-03", "2019-03-03", "2019-03-03", "2019-03-01"]);
    }
}
