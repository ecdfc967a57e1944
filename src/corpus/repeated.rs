//! Lines that repeat across many documents of one source are that source's furniture.
//!
//! No rule list knows every portal's footer, its "more from this section" header or its
//! standard disclaimer, but the corpus does: a line that recurs across different articles
//! from the same site is not part of any of them. Each document contributes the short lines
//! of its text under its source (the site of its address, else its outlet); a line found in
//! enough different articles of that source (at least [`MIN_ARTICLES`], and at least
//! [`MIN_SHARE`] of the source's articles) is dropped from all of them. Copies of one article
//! (same title) count once, so a page saved twice never erases its own text.
//!
//! The contributions are kept beside the index, so an incremental sync updates them and
//! re-indexes only the unchanged documents whose lines changed status.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::clean::{DropReason, Dropped};
use super::Document;

pub const REPEATED_FILE: &str = "dossier-repeated.json";
/// Longer paragraphs are prose even when syndicated: never candidates.
const MAX_LINE_CHARS: usize = 200;
pub const MIN_ARTICLES: usize = 3;
pub const MIN_SHARE: f64 = 0.2;

/// What one document contributes: its source and the keys of its candidate lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    source: String,
    title: u64,
    lines: Vec<u64>,
}

/// Every document's contribution, by document id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RepeatedLines {
    docs: HashMap<String, Contribution>,
}

/// The lines that are furniture now: source → line key → in how many articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Furniture {
    by_source: HashMap<String, HashMap<u64, usize>>,
}

/// A stable 64-bit key of a line as matched: folded, without white space (FNV-1a, so the
/// file written by one build reads the same in the next).
pub fn line_key(line: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in crate::text::fold(line).chars().filter(|c| !c.is_whitespace()) {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The source a document's lines are compared within, if it has one.
pub fn source_of(doc: &Document) -> Option<String> {
    doc.meta
        .url
        .as_deref()
        .and_then(super::html::meta::host_of)
        .or_else(|| doc.meta.source.as_deref().map(crate::text::fold))
        .filter(|s| !s.is_empty())
}

impl Contribution {
    pub fn of(doc: &Document) -> Option<Contribution> {
        let source = source_of(doc)?;
        let mut lines: Vec<u64> = doc
            .paragraphs
            .iter()
            .filter(|p| p.chars().count() <= MAX_LINE_CHARS)
            .map(|p| line_key(p))
            .collect::<HashSet<u64>>()
            .into_iter()
            .collect();
        lines.sort_unstable();
        Some(Contribution {
            source,
            title: line_key(&doc.meta.title),
            lines,
        })
    }
}

impl RepeatedLines {
    /// The contributions saved beside an index; none when the file is missing or unreadable
    /// (the caller then rebuilds them from every document).
    pub fn load(dir: &Path) -> Option<RepeatedLines> {
        let bytes = std::fs::read(dir.join(REPEATED_FILE)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Written to a temporary file and renamed, so a crash leaves the old file or the new.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(REPEATED_FILE);
        let tmp = dir.join(format!("{REPEATED_FILE}.tmp"));
        std::fs::write(&tmp, serde_json::to_vec(self)?).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Records (or, with `None`, forgets) a document's lines.
    pub fn set(&mut self, id: &str, contribution: Option<Contribution>) {
        match contribution {
            Some(c) => {
                self.docs.insert(id.to_string(), c);
            }
            None => {
                self.docs.remove(id);
            }
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.docs.contains_key(id)
    }

    pub fn furniture(&self) -> Furniture {
        // Per source: the lines of each distinct article (copies share a title).
        let mut articles: HashMap<&str, HashMap<u64, HashSet<u64>>> = HashMap::new();
        for c in self.docs.values() {
            articles
                .entry(&c.source)
                .or_default()
                .entry(c.title)
                .or_default()
                .extend(c.lines.iter().copied());
        }
        let mut by_source = HashMap::new();
        for (source, by_title) in articles {
            if by_title.len() < MIN_ARTICLES {
                continue;
            }
            let mut counts: HashMap<u64, usize> = HashMap::new();
            for lines in by_title.values() {
                for &l in lines {
                    *counts.entry(l).or_default() += 1;
                }
            }
            let needed = (MIN_SHARE * by_title.len() as f64).ceil().max(MIN_ARTICLES as f64) as usize;
            counts.retain(|_, n| *n >= needed);
            if !counts.is_empty() {
                by_source.insert(source.to_string(), counts);
            }
        }
        Furniture { by_source }
    }

    /// The documents (other than those in `skip`) that hold a line whose status differs
    /// between two furniture sets: they must be indexed again.
    pub fn affected(&self, before: &Furniture, after: &Furniture, skip: &HashSet<&str>) -> Vec<String> {
        let mut changed: HashMap<&str, HashSet<u64>> = HashMap::new();
        for (a, b) in [(before, after), (after, before)] {
            for (source, lines) in &a.by_source {
                let other = b.by_source.get(source);
                for key in lines.keys() {
                    if other.is_none_or(|o| !o.contains_key(key)) {
                        changed.entry(source).or_default().insert(*key);
                    }
                }
            }
        }
        if changed.is_empty() {
            return Vec::new();
        }
        let mut ids: Vec<String> = self
            .docs
            .iter()
            .filter(|(id, c)| {
                !skip.contains(id.as_str())
                    && changed
                        .get(c.source.as_str())
                        .is_some_and(|keys| c.lines.iter().any(|l| keys.contains(l)))
            })
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort_unstable();
        ids
    }
}

impl Furniture {
    pub fn is_empty(&self) -> bool {
        self.by_source.is_empty()
    }

    /// Moves the document's furniture lines to its dropped lines. A document that would be
    /// left with no text keeps it all: it is made of nothing but lines its site repeats
    /// (a stub page), and its text is better than none.
    pub fn apply(&self, doc: &mut Document) {
        let Some(lines) = source_of(doc).and_then(|s| self.by_source.get(&s)) else {
            return;
        };
        let hit = |p: &String| {
            (p.chars().count() <= MAX_LINE_CHARS)
                .then(|| lines.get(&line_key(p)).copied())
                .flatten()
        };
        if doc.paragraphs.iter().all(|p| hit(p).is_some()) {
            return;
        }
        let mut kept = Vec::with_capacity(doc.paragraphs.len());
        for p in std::mem::take(&mut doc.paragraphs) {
            match hit(&p) {
                Some(n) => doc.dropped.push(Dropped {
                    text: p,
                    reason: DropReason::Repeated(n),
                }),
                None => kept.push(p),
            }
        }
        doc.paragraphs = kept;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::DocMeta;

    fn page(id: &str, title: &str, body: &[&str]) -> Document {
        Document {
            id: id.into(),
            path: format!("{id}.html").into(),
            meta: DocMeta {
                title: title.into(),
                url: Some(format!("https://www.planet.example/news/{id}")),
                ..Default::default()
            },
            paragraphs: body.iter().map(|p| p.to_string()).collect(),
            dropped: Vec::new(),
        }
    }

    const FOOTER: &str = "Daily Planet — independent journalism since 1938";

    fn corpus(n: usize) -> (RepeatedLines, Vec<Document>) {
        let mut r = RepeatedLines::default();
        let docs: Vec<Document> = (0..n)
            .map(|i| {
                let own = format!("Article {i} reports something of its own.");
                page(&format!("p{i}"), &format!("Title {i}"), &[own.as_str(), FOOTER])
            })
            .collect();
        for d in &docs {
            r.set(&d.id, Contribution::of(d));
        }
        (r, docs)
    }

    #[test]
    fn a_line_shared_by_a_sources_articles_is_dropped_from_each() {
        let (r, mut docs) = corpus(4);
        let furniture = r.furniture();
        furniture.apply(&mut docs[0]);
        assert_eq!(docs[0].paragraphs, vec!["Article 0 reports something of its own."]);
        assert_eq!(docs[0].dropped[0].reason, DropReason::Repeated(4));
        // The same footer on another site is that site's business.
        let mut other = page("x", "Other", &["Own text.", FOOTER]);
        other.meta.url = Some("https://elsewhere.example/a".into());
        furniture.apply(&mut other);
        assert_eq!(other.paragraphs.len(), 2);
    }

    #[test]
    fn two_articles_or_copies_of_one_are_not_enough() {
        let (r, _) = corpus(2);
        assert!(r.furniture().is_empty());
        // Three copies of one article under one title: one article.
        let mut r = RepeatedLines::default();
        for i in 0..3 {
            let d = page(&format!("c{i}"), "Same story", &["Short first paragraph.", FOOTER]);
            r.set(&d.id, Contribution::of(&d));
        }
        assert!(r.furniture().is_empty());
    }

    #[test]
    fn a_page_of_nothing_but_repeated_lines_keeps_them() {
        let (r, _) = corpus(5);
        let mut stub = page("s", "Stub", &[FOOTER]);
        r.furniture().apply(&mut stub);
        assert_eq!(stub.paragraphs, vec![FOOTER]);
    }

    #[test]
    fn changes_name_the_documents_to_index_again() {
        let (mut r, _) = corpus(3);
        let before = r.furniture();
        assert!(!before.is_empty());
        // One article goes: the footer is no longer furniture for the two left.
        r.set("p2", None);
        let after = r.furniture();
        assert!(after.is_empty());
        let skip = HashSet::new();
        assert_eq!(r.affected(&before, &after, &skip), vec!["p0", "p1"]);
        assert!(r.affected(&after, &after, &skip).is_empty());
    }

    #[test]
    fn the_share_rises_with_the_source() {
        // 20 articles, the line in 3: a quote three stories repeat, not furniture.
        let mut r = RepeatedLines::default();
        for i in 0..20 {
            let own = format!("Own paragraph {i}.");
            let body: Vec<&str> = if i < 3 {
                vec![own.as_str(), "A quote three stories repeat."]
            } else {
                vec![own.as_str()]
            };
            let d = page(&format!("p{i}"), &format!("T{i}"), &body);
            r.set(&d.id, Contribution::of(&d));
        }
        assert!(r.furniture().is_empty());
    }

    #[test]
    fn keys_ignore_script_case_and_spacing() {
        assert_eq!(line_key("責任編輯 : 張三"), line_key("责任编辑:张三"));
        assert_ne!(line_key("a"), line_key("b"));
    }
}
