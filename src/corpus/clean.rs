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
}

/// Removes converter pinyin annotations from one line.
pub fn strip_pinyin(line: &str) -> String {
    PINYIN.replace_all(line, "").into_owned()
}

struct Line {
    text: String,
    folded: Folded,
}

pub fn clean(raw: &str, rules: &Boilerplate) -> Cleaned {
    let lines: Vec<Line> = raw
        .lines()
        .map(|l| {
            let text = strip_pinyin(l.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}'));
            let folded = Folded::new(&text);
            Line { text, folded }
        })
        .collect();
    let mut out = Cleaned::default();
    let removed = read_metadata(&lines, rules, &mut out);
    out.references = read_references(&lines, rules);

    let mut body = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let folded = line.folded.text.trim();
        if folded.is_empty() || removed[i] {
            continue;
        }
        if rules.starts_tail(folded) {
            break;
        }
        if rules.is_dropped(folded) || rules.is_spam(folded) {
            continue;
        }
        body.push(line.text.clone());
    }
    // The first line is the headline when it reads like one (short, no sentence after it).
    if body.len() > 1 && body[0].chars().count() <= 100 {
        out.title = Some(body.remove(0));
    }
    out.paragraphs = body.iter().flat_map(|p| super::paragraphs::split_long(p)).collect();
    out
}

/// Applies the metadata rules; returns which lines are bylines to keep out of the body.
fn read_metadata(lines: &[Line], rules: &Boilerplate, out: &mut Cleaned) -> Vec<bool> {
    let mut removed = vec![false; lines.len()];
    // Position of each line among the page's meaningful lines, for `within_first`.
    let mut head_pos = vec![usize::MAX; lines.len()];
    let mut n = 0;
    for (i, l) in lines.iter().enumerate() {
        let f = l.folded.text.trim();
        if !f.is_empty() && !rules.is_dropped(f) && !rules.is_spam(f) {
            head_pos[i] = n;
            n += 1;
        }
    }
    for rule in &rules.meta {
        for (i, line) in lines.iter().enumerate() {
            if let Some(limit) = rule.within_first {
                if head_pos[i] >= limit {
                    continue;
                }
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
                used = true;
                if *field == "published" {
                    if out.published.is_none() {
                        out.published = parse_date(&value);
                    }
                } else {
                    out.fields.entry(field).or_insert(value);
                }
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

/// Parses the date part of `2026-03-15 03:36:49`, `2026/3/5`, `2026.03.05` or `2026年3月5日`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    static DATE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})").unwrap());
    let folded = crate::text::fold(s);
    let c = DATE.captures(&folded)?;
    NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
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
        assert_eq!(parse_date("虎嗅APP"), None);
    }

    #[test]
    fn splits_joined_reference_urls() {
        let rules = Boilerplate::parse(include_str!("../../data/boilerplate.toml")).unwrap();
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
