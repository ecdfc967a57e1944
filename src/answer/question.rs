//! Reading a query: which words to look for, in which spellings, and what kind of answer a
//! question wants.
//!
//! A query becomes a list of [`TermGroup`]s, each a concept with its alternative spellings
//! (all folded): a curated name brings all its aliases (so `Zuckerberg` also finds 扎克伯格),
//! an English word its glossary translations. Question and function words are dropped so they
//! cannot drown the content words, but a question word still tells the answer type ([`Cue`]).

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use regex::Regex;
use serde::Deserialize;

use crate::knowledge::Registry;
use crate::text::{fold, Folded, Segmenter};

/// Longer queries are cut here: a paragraph-long query is not a search.
pub const MAX_QUERY_CHARS: usize = 256;
/// At most this many concepts are searched for.
pub const MAX_GROUPS: usize = 16;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    stop_words: Vec<String>,
    #[serde(default)]
    cue: Vec<RawCue>,
    #[serde(default)]
    glossary: HashMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCue {
    kind: String,
    question: Vec<String>,
    #[serde(default)]
    answer: Vec<String>,
    answer_pattern: Option<String>,
    #[serde(default)]
    next_paragraph: bool,
}

/// An answer type a question asks for, and how to recognise a passage that gives it.
#[derive(Debug)]
pub struct Cue {
    pub kind: String,
    question: Vec<String>,
    answer: Vec<String>,
    answer_pattern: Option<Regex>,
    /// Also consider the paragraph after a matching one (causes are often given next).
    pub next_paragraph: bool,
}

impl Cue {
    /// Whether a passage looks like this kind of answer.
    pub fn answered_by(&self, original: &str, folded: &str) -> bool {
        self.answer.iter().any(|a| folded.contains(a.as_str()))
            || self.answer_pattern.as_ref().is_some_and(|r| r.is_match(original))
    }
}

#[derive(Debug)]
pub struct QueryRules {
    stop_words: HashSet<String>,
    pub cues: Vec<Cue>,
    glossary: HashMap<String, Vec<String>>,
}

impl QueryRules {
    pub fn parse(toml_text: &str) -> Result<QueryRules> {
        let raw: RawRules = toml::from_str(toml_text)?;
        let cues = raw
            .cue
            .into_iter()
            .map(|c| {
                Ok(Cue {
                    kind: c.kind,
                    question: c.question.iter().map(|q| fold(q)).collect(),
                    answer: c.answer.iter().map(|a| fold(a)).collect(),
                    answer_pattern: c.answer_pattern.as_deref().map(Regex::new).transpose()?,
                    next_paragraph: c.next_paragraph,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(QueryRules {
            stop_words: raw.stop_words.iter().map(|w| fold(w)).collect(),
            cues,
            glossary: raw
                .glossary
                .into_iter()
                .map(|(k, v)| (fold(&k), v.iter().map(|w| fold(w)).collect()))
                .collect(),
        })
    }

    pub fn is_stop_word(&self, folded_word: &str) -> bool {
        self.stop_words.contains(folded_word)
    }

    /// Glossary alternatives of a word; English words also with common endings taken off.
    fn translations(&self, word: &str) -> Option<&Vec<String>> {
        if let Some(t) = self.glossary.get(word) {
            return Some(t);
        }
        if !word.chars().all(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        for suffix in ["ing", "ed", "es", "s", "d"] {
            if let Some(stem) = word.strip_suffix(suffix).filter(|s| s.len() >= 2) {
                if let Some(t) = self.glossary.get(stem) {
                    return Some(t);
                }
            }
        }
        None
    }
}

/// One concept of a query with its alternative spellings (folded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermGroup {
    /// The words as the user typed them, for messages.
    pub label: String,
    pub alternatives: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub groups: Vec<TermGroup>,
    /// Index into `QueryRules::cues` of the answer type asked for.
    pub cue: Option<usize>,
    /// The query was longer than [`MAX_QUERY_CHARS`] or had more than [`MAX_GROUPS`] concepts.
    pub truncated: bool,
    /// The query's words from the first searched one to the last, as one phrase (see
    /// `shape::phrase_key`): a passage saying exactly this ranks first.
    pub phrase: String,
}

pub use crate::text::words::find_word;

static NUMBER: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"\b\d+(?:[,.]\d+)+\b").expect("number pattern"));

pub fn analyze(query: &str, question: bool, seg: &Segmenter, rules: &QueryRules, names: &Registry) -> Plan {
    let mut plan = Plan::default();
    let query: String = if query.chars().count() > MAX_QUERY_CHARS {
        plan.truncated = true;
        query.chars().take(MAX_QUERY_CHARS).collect()
    } else {
        query.to_string()
    };
    let folded = Folded::new(&query);
    let text = folded.text.as_str();
    let mut covered = vec![false; text.len()];
    let label = |s: usize, e: usize| {
        let (a, b) = folded.original_range(&query, s, e);
        query[a..b].to_string()
    };
    let free = |covered: &[bool], s: usize, e: usize| !covered[s..e].iter().any(|c| *c);

    if question {
        // The longest question phrase anywhere decides the answer type (多少钱 over 多少).
        let best = rules
            .cues
            .iter()
            .enumerate()
            .flat_map(|(i, cue)| cue.question.iter().map(move |q| (i, q)))
            .filter_map(|(i, q)| find_word(text, q).first().map(|&s| (q.len(), s, i)))
            .max_by_key(|&(len, s, _)| (len, std::cmp::Reverse(s)));
        if let Some((len, s, i)) = best {
            plan.cue = Some(i);
            covered[s..s + len].iter_mut().for_each(|c| *c = true);
        }
    }

    // Names and multi-word glossary phrases, longest first so `Mark Zuckerberg` wins over
    // `Zuckerberg`.
    let mut spans: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for (s, e, entity) in names.spans(text) {
        spans.push((s, e, names.get(entity).keys.clone()));
    }
    for (key, translations) in &rules.glossary {
        if key.contains(' ') {
            for s in find_word(text, key) {
                spans.push((
                    s,
                    s + key.len(),
                    dedup(std::iter::once(key.clone()).chain(translations.iter().cloned())),
                ));
            }
        }
    }
    // Numbers with separators or decimals are one concept (`3,200`, `4.83`): split at the
    // punctuation, their parts would match any numbers at all.
    for m in NUMBER.find_iter(text) {
        spans.push((m.start(), m.end(), vec![m.as_str().to_string()]));
    }
    spans.sort_by_key(|(s, e, _)| (std::cmp::Reverse(e - s), *s));
    let mut found: Vec<(usize, usize, TermGroup)> = Vec::new();
    for (s, e, alts) in spans {
        if free(&covered, s, e) {
            covered[s..e].iter_mut().for_each(|c| *c = true);
            found.push((
                s,
                e,
                TermGroup {
                    label: label(s, e),
                    alternatives: alts,
                },
            ));
        }
    }

    // Everything else, word by word.
    let mut start = 0;
    while start < text.len() {
        if covered[start] {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < text.len() && !covered[end] {
            end += 1;
        }
        let run = &text[start..end];
        for word in seg.query_words(run) {
            let s = start + (word.as_ptr() as usize - run.as_ptr() as usize);
            if rules.is_stop_word(word) {
                continue;
            }
            let mut alts = vec![word.to_string()];
            if let Some(t) = rules.translations(word) {
                alts.extend(t.iter().cloned());
            }
            found.push((
                s,
                s + word.len(),
                TermGroup {
                    label: label(s, s + word.len()),
                    alternatives: dedup(alts.into_iter()),
                },
            ));
        }
        start = end;
    }
    found.sort_by_key(|(s, _, _)| *s);
    if let (Some(first), Some(last)) = (found.first(), found.iter().map(|f| f.1).max()) {
        plan.phrase = super::shape::phrase_key(&text[first.0..last]);
    }
    for (_, _, g) in found {
        if !plan.groups.contains(&g) {
            plan.groups.push(g);
        }
    }
    if plan.groups.len() > MAX_GROUPS {
        plan.groups.truncate(MAX_GROUPS);
        plan.truncated = true;
    }
    plan
}

fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !i.trim().is_empty() && !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Segmenter, QueryRules, Registry) {
        let names = crate::text::NameList::parse(include_str!("../../data/corpus/entities.toml")).unwrap();
        let rules = QueryRules::parse(include_str!("../../data/query.toml")).unwrap();
        (Segmenter::new(&names), rules, Registry::from_curated(&names))
    }

    #[test]
    fn question_words_become_a_cue_not_a_search_term() {
        let (seg, rules, names) = setup();
        let plan = analyze("牛油果為什麼推遲?", true, &seg, &rules, &names);
        let labels: Vec<&str> = plan.groups.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, vec!["牛油果", "推遲"]);
        assert_eq!(rules.cues[plan.cue.unwrap()].kind, "reason");
        assert!(plan.groups[0].alternatives.contains(&"avocado".to_string()));
    }

    #[test]
    fn english_questions_reach_chinese_words() {
        let (seg, rules, names) = setup();
        let plan = analyze("Who leads TBD Lab", true, &seg, &rules, &names);
        assert_eq!(rules.cues[plan.cue.unwrap()].kind, "person");
        let leads = plan.groups.iter().find(|g| g.label == "leads").unwrap();
        assert!(leads.alternatives.contains(&"领导".to_string()));
        let plan = analyze("What did Zuckerberg say", true, &seg, &rules, &names);
        assert!(plan.groups[0].alternatives.contains(&"扎克伯格".to_string()));
    }

    #[test]
    fn numbers_with_separators_are_one_concept() {
        let (seg, rules, names) = setup();
        let plan = analyze("3,200 miles or 4.83 billion", false, &seg, &rules, &names);
        let labels: Vec<&str> = plan.groups.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, vec!["3,200", "miles", "4.83", "billion"]);
    }

    #[test]
    fn odd_queries_give_bounded_plans() {
        let (seg, rules, names) = setup();
        assert!(analyze("?!。,,", false, &seg, &rules, &names).groups.is_empty());
        let huge = "扎克伯格收购".repeat(2000);
        let plan = analyze(&huge, false, &seg, &rules, &names);
        assert!(plan.truncated && plan.groups.len() <= MAX_GROUPS);
        let plan = analyze("title:(foo AND \"", false, &seg, &rules, &names);
        assert!(plan.groups.iter().any(|g| g.label == "foo"));
    }
}
