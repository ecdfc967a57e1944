//! From a page's raw text to its article: metadata, title and body paragraphs.
//!
//! Saved web pages carry more furniture than article. Cleaning runs in three passes over the
//! page's lines: metadata rules read bylines, links and dates from anywhere on the page (the
//! publication date sits in the footer), the reference list is collected, and the body keeps
//! only the lines before the page's tail that are not furniture, spam or bylines.
//! Lines keep their own script and characters; only pinyin annotations left by a script
//! converter (`網(wǎng)易`) are removed, because they are not part of the text.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::boilerplate::Boilerplate;
use crate::text::Folded;

/// A pinyin syllable with a tone mark in parentheses, as script converters annotate
/// polyphonic characters: `(wǎng)`, `(yù)`. Real parentheses hold spaces, capitals or
/// unmarked words, so `(Andrew Bosworth)` and `(汪滔)` are left alone.
static PINYIN: LazyLock<Regex> = LazyLock::new(|| {
    // A converter that lost the annotated character leaves `?yàn)`; the residue goes too.
    Regex::new(r"[(（?？][a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]{0,6}[)）]").unwrap()
});

/// The URLs in a line. Pages sometimes glue two links together (`…796https://…`), so a
/// URL also ends where the next one starts.
pub fn urls_in(line: &str) -> Vec<String> {
    let starts: Vec<usize> = line
        .match_indices("http")
        .map(|(i, _)| i)
        .filter(|&i| line[i..].starts_with("https://") || line[i..].starts_with("http://"))
        .collect();
    let mut urls = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let limit = starts.get(k + 1).copied().unwrap_or(line.len());
        let end = line[s..limit]
            .find(|c: char| c.is_whitespace() || "<>\"'，。、；）】」”".contains(c))
            .map_or(limit, |e| s + e);
        let url = line[s..end].trim_end_matches(['.', ',', ';', ')', ':']);
        if url.len() > "https://".len() {
            urls.push(url.to_string());
        }
    }
    urls
}

/// What cleaning found in one page.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
    /// Metadata fields by name (see `boilerplate::META_FIELDS`), in the page's own script.
    pub fields: HashMap<&'static str, String>,
    pub published: Option<NaiveDate>,
    pub references: Vec<String>,
    /// Lines left out of the body, and why (`dossier show --dropped`).
    pub dropped: Vec<Dropped>,
}

/// A line that is not part of the article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dropped {
    pub text: String,
    pub reason: DropReason,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum DropReason {
    /// A byline or date line, read as metadata.
    Byline,
    /// Matched a furniture pattern (the pattern).
    Furniture(String),
    /// Keyword stuffing, by shape.
    Spam,
    /// The page's tail, from the line matching this pattern on.
    Tail(String),
    /// Outside the article Readability found on an HTML page.
    OutsideArticle,
    /// Repeats across documents of the same source (the number of documents).
    Repeated(usize),
}

impl std::fmt::Display for DropReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DropReason::Byline => write!(f, "byline or date line (read as metadata)"),
            DropReason::Furniture(p) => write!(f, "page furniture (pattern {p:?})"),
            DropReason::Spam => write!(f, "keyword spam"),
            DropReason::Tail(p) => write!(f, "page tail (after a line matching {p:?})"),
            DropReason::OutsideArticle => write!(f, "outside the article"),
            DropReason::Repeated(n) => write!(f, "repeats in {n} documents of the same source"),
        }
    }
}

/// Removes converter pinyin annotations from one line.
pub fn strip_pinyin(line: &str) -> String {
    PINYIN.replace_all(line, "").into_owned()
}

struct Line {
    text: String,
    folded: Folded,
}

/// Cleans a text page: its first line is the headline when it reads like one.
pub fn clean(raw: &str, rules: &Boilerplate) -> Cleaned {
    clean_lines(raw.lines(), None, rules)
}

/// Cleans the text blocks of an HTML article whose headline is already known.
pub fn clean_blocks(blocks: &[String], title: Option<String>, rules: &Boilerplate) -> Cleaned {
    clean_lines(blocks.iter().map(String::as_str), Some(title), rules)
}

/// `known_title`: `Some` when the caller read the headline elsewhere (possibly none).
fn clean_lines<'a>(
    raw: impl Iterator<Item = &'a str>,
    known_title: Option<Option<String>>,
    rules: &Boilerplate,
) -> Cleaned {
    let lines: Vec<Line> = raw
        .map(|l| {
            let text = strip_pinyin(&strip_controls(
                l.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}'),
            ));
            let folded = Folded::new(&text);
            Line { text, folded }
        })
        .collect();
    let mut out = Cleaned::default();
    let removed = read_metadata(&lines, rules, &mut out);
    out.references = read_references(&lines, rules);

    // A text page's first body line is its headline, not yet article.
    let headline_lines = usize::from(known_title.is_none());
    let mut body = Vec::new();
    let mut tail: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        let folded = line.folded.text.trim();
        if folded.is_empty() {
            continue;
        }
        let reason = if let Some(pattern) = &tail {
            Some(DropReason::Tail(pattern.clone()))
        } else if removed[i] {
            Some(DropReason::Byline)
        } else if let Some((p, own)) = rules.tail_by(folded) {
            // A "related stories" header above the article is only a header; so is a generic
            // one in the middle of the text (a box of links, a transcript's "up next"), unless
            // the article ends there. A corpus's own tail markers are trusted anywhere.
            let ends_article = own || (i + 1) * 10 >= lines.len() * 7;
            if body.len() > headline_lines && ends_article {
                tail = Some(p.to_string());
                Some(DropReason::Tail(p.to_string()))
            } else {
                Some(DropReason::Furniture(p.to_string()))
            }
        } else if let Some(p) = rules.dropped_by(folded) {
            Some(DropReason::Furniture(p.to_string()))
        } else if rules.is_spam(folded) {
            Some(DropReason::Spam)
        } else {
            None
        };
        match reason {
            Some(reason) => out.dropped.push(Dropped {
                text: line.text.clone(),
                reason,
            }),
            None => body.push(line.text.clone()),
        }
    }
    match known_title {
        Some(title) => out.title = title,
        // The first line is the headline when it reads like one (short, no sentence after it).
        None => {
            if body.len() > 1 && body[0].chars().count() <= 100 {
                out.title = Some(body.remove(0));
            }
        }
    }
    out.paragraphs = body.iter().flat_map(|p| super::paragraphs::split_long(p)).collect();
    out
}

/// Control characters (NUL, escapes, bells) are never text a reader sees; tabs become spaces.
fn strip_controls(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(line);
    }
    std::borrow::Cow::Owned(
        line.chars()
            .filter_map(|c| match c {
                '\t' => Some(' '),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Whether a byline value reads as a name: Latin words capitalised (`Jane Doe`, `JANE DOE`,
/// `Jane van Doe`), not the start of a sentence (`By the end of the year`).
fn reads_as_name(value: &str) -> bool {
    const JOINERS: &[&str] = &[
        "and", "&", "de", "van", "von", "der", "da", "di", "du", "la", "le", "y", "bin", "al",
    ];
    // `By Friday, …`, `By March …`: capitalised, and still a time, not a person.
    const TIMES: &[&str] = &[
        "may",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "christmas",
        "easter",
        "noon",
        "midnight",
        "then",
        "now",
        "today",
        "tomorrow",
        "tonight",
        "the",
        "this",
        "that",
        "next",
        "last",
        "early",
        "late",
        "mid",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
    ];
    let words: Vec<&str> = value.split_whitespace().collect();
    let time_word = |w: &&str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        TIMES.contains(&w.as_str()) || (w.len() > 3 && month_number(&w).is_some())
    };
    !words.is_empty()
        && !words.iter().any(time_word)
        && words.len() <= 12
        && words.iter().all(|w| {
            let first = w.chars().next().unwrap_or(' ');
            !first.is_ascii_alphabetic() || first.is_uppercase() || JOINERS.contains(&w.to_lowercase().as_str())
        })
}

/// Applies the metadata rules; returns which lines are bylines to keep out of the body.
fn read_metadata(lines: &[Line], rules: &Boilerplate, out: &mut Cleaned) -> Vec<bool> {
    let mut removed = vec![false; lines.len()];
    // Position of each line among the page's meaningful lines, for `within_first`.
    let mut head_pos = vec![usize::MAX; lines.len()];
    let mut n = 0;
    // A dropped line (an editor's credit may be both furniture and a byline) stands where
    // the next meaningful line does.
    for (i, l) in lines.iter().enumerate() {
        let f = l.folded.text.trim();
        if f.is_empty() || rules.is_spam(f) {
            continue;
        }
        head_pos[i] = n;
        if !rules.is_dropped(f) {
            n += 1;
        }
    }
    // The same counted from the end, for `within_last` (sign-offs: `扬子晚报记者 张楠`).
    let tail_pos: Vec<usize> = head_pos
        .iter()
        .map(|&p| {
            if p == usize::MAX {
                usize::MAX
            } else {
                n.saturating_sub(p + 1)
            }
        })
        .collect();
    let may: Vec<Vec<bool>> = lines.iter().map(|l| rules.meta_may_match(&l.folded.text)).collect();
    for (r, rule) in rules.meta.iter().enumerate() {
        for (i, line) in lines.iter().enumerate() {
            if !may[i][r] {
                continue;
            }
            let windows = [(rule.within_first, head_pos[i]), (rule.within_last, tail_pos[i])];
            let limited = windows.iter().any(|(limit, _)| limit.is_some());
            if limited && !windows.iter().any(|(limit, pos)| limit.is_some_and(|l| *pos < l)) {
                continue;
            }
            let Some(caps) = rule.pattern.captures(&line.folded.text) else {
                continue;
            };
            let mut used = false;
            for name in rule.pattern.capture_names().flatten() {
                let Some(m) = caps.name(name) else { continue };
                let Some(field) = super::boilerplate::META_FIELDS.iter().find(|f| **f == name) else {
                    continue;
                };
                let (s, e) = line.folded.original_range(&line.text, m.start(), m.end());
                let value = line.text[s..e].trim().to_string();
                if value.is_empty() {
                    continue;
                }
                // A value that is not what its field needs (an unreadable date, a sentence
                // after "By") leaves the line in the body.
                if *field == "published" {
                    let Some(date) = parse_date(&value) else { continue };
                    out.published.get_or_insert(date);
                } else if *field == "author" && !reads_as_name(&value) {
                    continue;
                } else {
                    out.fields.entry(field).or_insert(value);
                }
                used = true;
            }
            if rule.date_on_previous_line && out.published.is_none() {
                let prev = lines[..i].iter().rev().find(|l| !l.text.is_empty());
                out.published = prev.and_then(|l| parse_date(&l.text));
            }
            if used && rule.remove {
                removed[i] = true;
            }
        }
    }
    removed
}

/// The URLs listed after the page's reference marker, one or more per line.
fn read_references(lines: &[Line], rules: &Boilerplate) -> Vec<String> {
    let Some(marker) = &rules.references else {
        return Vec::new();
    };
    let Some(start) = lines.iter().position(|l| marker.is_match(l.folded.text.trim())) else {
        return Vec::new();
    };
    let mut refs: Vec<String> = Vec::new();
    for line in lines[start + 1..].iter().filter(|l| !l.text.is_empty()) {
        let urls = urls_in(&line.text);
        if urls.is_empty() {
            break;
        }
        for u in urls {
            if !refs.contains(&u) {
                refs.push(u);
            }
        }
    }
    refs
}

/// Parses the date at the start of `2026-03-15 03:36:49`, `2026/3/5`, `2026.03.05`,
/// `2026年3月5日`, `March 5, 2026`, `5 March 2026` or `Mar. 5th, 2026`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    static DATE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})").unwrap());
    static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:[a-z]+day,?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b").unwrap()
    });
    static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:[a-z]+day,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?,?\s+(\d{4})\b")
            .unwrap()
    });
    let folded = crate::text::fold(s);
    if let Some(c) = DATE.captures(&folded) {
        return NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    let (month, day, year) = if let Some(c) = MONTH_FIRST.captures(&folded) {
        (month_number(&c[1])?, c[2].parse().ok()?, c[3].parse().ok()?)
    } else {
        let c = DAY_FIRST.captures(&folded)?;
        (month_number(&c[2])?, c[1].parse().ok()?, c[3].parse().ok()?)
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `jan`, `January`, `sept` → 1, 1, 9 (English month names and their usual abbreviations).
fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let name = name.to_lowercase();
    if name.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == name || (m.starts_with(&name) && (name.len() == 3 || name == "sept")))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_pinyin_but_keeps_real_parentheses() {
        assert_eq!(strip_pinyin("網(wǎng)易首頁"), "網易首頁");
        assert_eq!(strip_pinyin("一款A(yù)I Agent產(chǎn)品"), "一款AI Agent產品");
        assert_eq!(
            strip_pinyin("安德魯·博斯沃思(Andrew Bosworth)"),
            "安德魯·博斯沃思(Andrew Bosworth)"
        );
        assert_eq!(strip_pinyin("Alexandr Wang(汪滔)"), "Alexandr Wang(汪滔)");
        assert_eq!(strip_pinyin("「榜單作弊」?fàn)幾h"), "「榜單作弊」幾h");
        assert_eq!(strip_pinyin("真的?(yes)"), "真的?(yes)");
        assert_eq!(
            strip_pinyin("PAR(Products and Applied Research)"),
            "PAR(Products and Applied Research)"
        );
    }

    #[test]
    fn parses_page_dates() {
        assert_eq!(parse_date("2026-03-15 03:36:49"), NaiveDate::from_ymd_opt(2026, 3, 15));
        assert_eq!(parse_date("2026年3月5日"), NaiveDate::from_ymd_opt(2026, 3, 5));
        assert_eq!(parse_date("２０２６/０３/０５"), NaiveDate::from_ymd_opt(2026, 3, 5));
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(
            parse_date("November 19, 2019 7:03 a.m. ET"),
            NaiveDate::from_ymd_opt(2019, 11, 19)
        );
        assert_eq!(parse_date("Nov. 19th, 2019"), NaiveDate::from_ymd_opt(2019, 11, 19));
        assert_eq!(
            parse_date("Tuesday, 19 November 2019"),
            NaiveDate::from_ymd_opt(2019, 11, 19)
        );
        assert_eq!(parse_date("3 Sept 2019"), NaiveDate::from_ymd_opt(2019, 9, 3));
        assert_eq!(parse_date("mayday 3 2019"), None);
        assert_eq!(parse_date("虎嗅APP"), None);
    }

    #[test]
    fn prose_that_looks_like_furniture_stays() {
        let rules = Boilerplate::with_generic(None).unwrap();
        let prose = [
            "By Friday, the storm had moved north.",
            "文化旅游融合发展",
            "2019年9月7日，台风利奇马登陆浙江温岭",
            "The company's main revenue source: advertising, which accounts for 80% of sales.",
            "扫描二维码支付已成为很多人的习惯，商家也乐于接受。",
            "点击链接后，受害者的手机被植入了木马程序。",
            "Share the document with your team before the meeting.",
            "Read more than one news source each day.",
            "Byron York wrote that the vote was close.",
        ];
        for line in prose {
            let page = format!("A headline\n\nFirst paragraph of the article.\n\n{line}\n\nLast paragraph.");
            let c = clean(&page, &rules);
            assert!(
                c.paragraphs.iter().any(|p| p == line),
                "{line:?} was dropped: {:?}",
                c.dropped
            );
            assert!(
                c.fields.get("author").is_none_or(|a| !a.contains("Friday")),
                "{:?}",
                c.fields
            );
        }
    }

    #[test]
    fn a_generic_tail_marker_cuts_only_near_the_end() {
        let rules = Boilerplate::with_generic(None).unwrap();
        let body: Vec<String> = (1..=8).map(|i| format!("Paragraph {i} of the transcript.")).collect();
        // "Up next" in the middle of a transcript: only that line goes.
        let page = format!("Headline\n{}\nUp next\n{}", body[..2].join("\n"), body[2..].join("\n"));
        assert_eq!(clean(&page, &rules).paragraphs, body);
        // Near the end it starts the page's tail.
        let page = format!(
            "Headline\n{}\nRelated stories\nStorm hits coast\nBridge closed",
            body.join("\n")
        );
        assert_eq!(clean(&page, &rules).paragraphs, body);
    }

    #[test]
    fn splits_joined_reference_urls() {
        let rules = Boilerplate::with_generic(Some(include_str!("../../data/boilerplate.toml"))).unwrap();
        let page = "標題\n正文。\n參考資料:\nhttps://a.com/x?y=1\n\nhttps://b.com/1https://c.com/2\n本文為專欄作者授權";
        let c = clean(page, &rules);
        assert_eq!(
            c.references,
            vec!["https://a.com/x?y=1", "https://b.com/1", "https://c.com/2"]
        );
        assert_eq!(c.title.as_deref(), Some("標題"));
        assert_eq!(c.paragraphs, vec!["正文。"]);
    }
}
