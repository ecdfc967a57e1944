//! Which of many patterns can match a text, found in one pass.
//!
//! Cleaning and date reading hold dozens of patterns each, and most lines match none of them.
//! Running each pattern over each line was a fifth of indexing: one pass per pattern, and
//! patterns with a Unicode `\b` cannot use the regex crate's fast DFA on non-ASCII text at
//! all (it falls back to a backtracker over the whole line). A [`RegexSet`] answers "which
//! may match" in one DFA pass; only those are then run for their captures.
//!
//! The set never decides on its own: it only rules patterns out. A pattern whose Unicode `\b`
//! cannot be replaced safely is never ruled out (it always runs).

use regex::{RegexSet, RegexSetBuilder};

/// Bytes of the lazy DFA's cache per thread and set.
const LAZY_DFA_CACHE: usize = 32 << 20;

/// A prefilter over a list of patterns (by their index in the caller's list).
#[derive(Debug, Clone)]
pub struct AnyOf {
    set: Option<RegexSet>,
    /// For each pattern of the caller's list: its index in `set`, or `None` when it always runs.
    in_set: Vec<Option<usize>>,
}

impl AnyOf {
    /// A prefilter for `patterns`; patterns with a Unicode word boundary always run.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> AnyOf {
        AnyOf::build(patterns, |p| (!has_unicode_boundary(p)).then(|| p.to_string()))
    }

    /// A prefilter where `\b` is read as an ASCII word boundary.
    ///
    /// Only for patterns whose every `\b` stands next to an ASCII letter, digit or `_` of the
    /// pattern itself (`\b2019\b`, `\bmarch`): then wherever the Unicode boundary holds, the
    /// ASCII one holds too (the outside character is not a Unicode word character, so not an
    /// ASCII one), and the set rules out no text the pattern matches. The other direction does
    /// not matter: the pattern itself runs on whatever the set lets through.
    pub fn with_ascii_boundaries<'a>(patterns: impl IntoIterator<Item = &'a str>) -> AnyOf {
        AnyOf::build(patterns, |p| Some(p.replace(r"\b", r"(?-u:\b)")))
    }

    fn build<'a>(patterns: impl IntoIterator<Item = &'a str>, filter: impl Fn(&str) -> Option<String>) -> AnyOf {
        let mut members: Vec<String> = Vec::new();
        let in_set: Vec<Option<usize>> = patterns
            .into_iter()
            .map(|p| {
                let f = filter(p)?;
                members.push(f);
                Some(members.len() - 1)
            })
            .collect();
        // The lazy DFA of a set of dozens of Unicode patterns outgrows the default cache (2
        // MB) on Chinese text and keeps rebuilding its states (profiled: a sixth of indexing);
        // a larger one is per thread and small beside the index writer's memory.
        // A set that does not compile (too large) filters nothing: every pattern runs.
        let set = RegexSetBuilder::new(&members)
            .dfa_size_limit(LAZY_DFA_CACHE)
            .build()
            .ok();
        let in_set = if set.is_some() {
            in_set
        } else {
            vec![None; in_set.len()]
        };
        AnyOf { set, in_set }
    }

    /// Which patterns may match `text`: `may[i]` is false only where pattern `i` cannot.
    pub fn may_match(&self, text: &str) -> Vec<bool> {
        let matched = self.set.as_ref().map(|s| s.matches(text));
        self.in_set
            .iter()
            .map(|slot| match (slot, &matched) {
                (Some(i), Some(m)) => m.matched(*i),
                _ => true,
            })
            .collect()
    }
}

/// Whether a pattern holds `\b` (or `\B`) outside an ASCII-only group. Approximate on the safe
/// side: any `\b` counts, even one in a character class or an `(?-u:…)` group.
fn has_unicode_boundary(pattern: &str) -> bool {
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            if c == 'b' || c == 'B' {
                return true;
            }
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The rule every user relies on: a pattern the set rules out does not match.
    fn never_rules_out_a_match(patterns: &[&str], any: &AnyOf, texts: &[&str]) {
        let compiled: Vec<Regex> = patterns.iter().map(|p| Regex::new(p).unwrap()).collect();
        for text in texts {
            let may = any.may_match(text);
            for (i, re) in compiled.iter().enumerate() {
                if re.is_match(text) {
                    assert!(may[i], "{:?} matches {text:?} but was ruled out", re.as_str());
                }
            }
        }
    }

    const TEXTS: &[&str] = &[
        "on March 5, 2019 the board met",
        "café 2019 über",
        "2019年3月5日发布",
        "名2019年",
        "x2019y",
        "(2019)",
        "",
        "三月",
        "_2019_",
    ];

    #[test]
    fn ascii_boundaries_rule_out_only_what_cannot_match() {
        let patterns = [
            r"\b(?:1[89]|20)\d{2}\b",
            r"\bmarch\s+\d{1,2}\b",
            r"(?i)\bon\b",
            r"\(\d{4}\)",
        ];
        let any = AnyOf::with_ascii_boundaries(patterns);
        never_rules_out_a_match(&patterns, &any, TEXTS);
        let may = any.may_match("三月");
        assert_eq!(may, vec![false; 4], "nothing can match: everything is ruled out");
    }

    #[test]
    fn unicode_boundaries_always_run_and_others_are_filtered() {
        let patterns = [r"(\d{4})\s*年", r"\bfoo\b", r"来源[:：]"];
        let any = AnyOf::new(patterns);
        never_rules_out_a_match(&patterns, &any, TEXTS);
        assert_eq!(any.may_match("三月"), vec![false, true, false]);
        assert_eq!(any.may_match("2019年 来源：新华社"), vec![true, true, true]);
    }

    #[test]
    fn boundaries_are_found_only_as_escapes() {
        assert!(has_unicode_boundary(r"\bx") && has_unicode_boundary(r"a\B"));
        assert!(!has_unicode_boundary(r"\\b") && !has_unicode_boundary("ab"));
    }
}
