//! The page-furniture rules, compiled: the generic set every corpus gets, plus a corpus's own
//! `data/boilerplate.toml`.
//!
//! The generic rules (`generic.toml` beside this file) know no site: bylines and date lines,
//! share and subscribe prompts, editor credits, "related stories" headers and copyright
//! notices, in Chinese and English. A team's `boilerplate.toml` adds patterns for the sources
//! it cares about, and its metadata rules are tried before the generic ones. Patterns match
//! folded lines, so one pattern written in Simplified covers pages in either script.

use anyhow::{Context, Result};
use regex::Regex;
use serde::Deserialize;

use crate::text::patterns::AnyOf;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    drop: Vec<String>,
    #[serde(default)]
    cut: Vec<String>,
    spam: Option<SpamShape>,
    #[serde(default)]
    meta: Vec<RawMetaRule>,
    references: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetaRule {
    pattern: String,
    #[serde(default)]
    remove: bool,
    within_first: Option<usize>,
    within_last: Option<usize>,
    #[serde(default)]
    date_on_previous_line: bool,
}

/// The shape of a keyword-stuffing line: many short items joined by separators.
#[derive(Debug, Clone, Deserialize)]
pub struct SpamShape {
    pub min_items: usize,
    pub max_item_chars: usize,
    pub separators: String,
}

#[derive(Debug)]
pub struct MetaRule {
    pub pattern: Regex,
    pub remove: bool,
    pub within_first: Option<usize>,
    /// With `within_first`, the rule applies in either window.
    pub within_last: Option<usize>,
    pub date_on_previous_line: bool,
}

#[derive(Debug)]
pub struct Boilerplate {
    pub drop: Vec<Regex>,
    pub cut: Vec<Regex>,
    /// How many of `cut` (the first ones) come from a corpus's own file: its tails are known
    /// to end articles wherever they stand; the generic ones only near the end.
    pub site_cuts: usize,
    pub spam: SpamShape,
    pub meta: Vec<MetaRule>,
    pub references: Option<Regex>,
    /// One-pass prefilters of `drop`, `cut` and `meta` (most lines match none of them).
    drop_any: AnyOf,
    cut_any: AnyOf,
    meta_any: AnyOf,
}

/// Metadata fields a rule may fill, by capture-group name.
pub const META_FIELDS: &[&str] = &["outlet", "via", "author", "url", "published", "platform", "account"];

fn compile(pattern: &str) -> Result<Regex> {
    Regex::new(pattern).with_context(|| format!("bad pattern {pattern:?}"))
}

/// The rules every corpus gets.
pub const GENERIC: &str = include_str!("generic.toml");

impl Boilerplate {
    /// The generic rules extended by a corpus's own file (`None`: the generic rules alone).
    pub fn with_generic(own: Option<&str>) -> Result<Boilerplate> {
        let generic = Boilerplate::parse(GENERIC).context("in the built-in generic rules")?;
        let Some(text) = own else { return Ok(generic) };
        let own = Boilerplate::parse_with_spam(text, Some(generic.spam.clone()))?;
        let site_cuts = own.cut.len();
        Ok(Boilerplate::assemble(
            own.drop.into_iter().chain(generic.drop).collect(),
            own.cut.into_iter().chain(generic.cut).collect(),
            site_cuts,
            own.spam,
            own.meta.into_iter().chain(generic.meta).collect(),
            own.references.or(generic.references),
        ))
    }

    fn assemble(
        drop: Vec<Regex>,
        cut: Vec<Regex>,
        site_cuts: usize,
        spam: SpamShape,
        meta: Vec<MetaRule>,
        references: Option<Regex>,
    ) -> Boilerplate {
        Boilerplate {
            drop_any: AnyOf::new(drop.iter().map(Regex::as_str)),
            cut_any: AnyOf::new(cut.iter().map(Regex::as_str)),
            meta_any: AnyOf::new(meta.iter().map(|m| m.pattern.as_str())),
            drop,
            cut,
            site_cuts,
            spam,
            meta,
            references,
        }
    }

    pub fn parse(toml_text: &str) -> Result<Boilerplate> {
        Boilerplate::parse_with_spam(toml_text, None)
    }

    fn parse_with_spam(toml_text: &str, default_spam: Option<SpamShape>) -> Result<Boilerplate> {
        let raw: RawRules = toml::from_str(toml_text)?;
        let meta = raw
            .meta
            .iter()
            .map(|m| {
                let pattern = compile(&m.pattern)?;
                let named: Vec<&str> = pattern.capture_names().flatten().collect();
                anyhow::ensure!(!named.is_empty(), "meta pattern {:?} has no named group", m.pattern);
                if let Some(bad) = named.iter().find(|n| !META_FIELDS.contains(n)) {
                    anyhow::bail!(
                        "meta pattern {:?}: unknown field {bad:?} (known: {META_FIELDS:?})",
                        m.pattern
                    );
                }
                Ok(MetaRule {
                    pattern,
                    remove: m.remove,
                    within_first: m.within_first,
                    within_last: m.within_last,
                    date_on_previous_line: m.date_on_previous_line,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let spam = raw
            .spam
            .or(default_spam)
            .context("a [spam] section is required (min_items, max_item_chars, separators)")?;
        anyhow::ensure!(spam.min_items >= 2, "spam.min_items must be at least 2");
        Ok(Boilerplate::assemble(
            raw.drop.iter().map(|p| compile(p)).collect::<Result<_>>()?,
            raw.cut.iter().map(|p| compile(p)).collect::<Result<_>>()?,
            0,
            spam,
            meta,
            raw.references.as_deref().map(compile).transpose()?,
        ))
    }

    pub fn is_dropped(&self, folded_line: &str) -> bool {
        self.dropped_by(folded_line).is_some()
    }

    /// The pattern that drops this line, if any.
    pub fn dropped_by(&self, folded_line: &str) -> Option<&str> {
        let may = self.drop_any.may_match(folded_line);
        self.drop
            .iter()
            .zip(may)
            .find(|(r, may)| *may && r.is_match(folded_line))
            .map(|(r, _)| r.as_str())
    }

    pub fn starts_tail(&self, folded_line: &str) -> bool {
        self.tail_by(folded_line).is_some()
    }

    /// The pattern by which this line starts the page's tail, if any, and whether it is one
    /// of the corpus's own.
    pub fn tail_by(&self, folded_line: &str) -> Option<(&str, bool)> {
        let may = self.cut_any.may_match(folded_line);
        self.cut
            .iter()
            .zip(may)
            .position(|(r, may)| may && r.is_match(folded_line))
            .map(|i| (self.cut[i].as_str(), i < self.site_cuts))
    }

    /// Which `meta` rules may match a line (`false`: that rule cannot).
    pub fn meta_may_match(&self, folded_line: &str) -> Vec<bool> {
        self.meta_any.may_match(folded_line)
    }

    /// Keyword stuffing, judged by shape: enough short separator-joined items and none of
    /// the punctuation that ends a sentence.
    pub fn is_spam(&self, folded_line: &str) -> bool {
        if folded_line.contains(['。', '!', '?', '！', '？', '；', ';']) {
            return false;
        }
        let items: Vec<&str> = folded_line
            .split(|c| self.spam.separators.contains(c))
            .map(str::trim)
            .collect();
        items.len() >= self.spam.min_items
            && items
                .iter()
                .all(|i| !i.is_empty() && i.chars().count() <= self.spam.max_item_chars && !i.contains(' '))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Boilerplate {
        Boilerplate::with_generic(Some(include_str!("../../data/boilerplate.toml"))).unwrap()
    }

    #[test]
    fn generic_rules_need_no_site_file() {
        let b = Boilerplate::with_generic(None).unwrap();
        for line in [
            "责任编辑:张三",
            "返回搜狐,查看更多",
            "本文已阅 奖励+20金币",
            "continue reading the main story",
            "sign up for our newsletter",
            "share this article",
            "advertisement",
        ] {
            assert!(b.is_dropped(line), "{line}");
        }
        for line in [
            "相关阅读",
            "related stories",
            "免责声明:本文仅代表作者观点",
            "© 2019 the daily planet",
        ] {
            assert!(b.starts_tail(line), "{line}");
        }
        for prose in [
            "sign up for the course was slow, officials said.",
            "相关部门表示,将继续调查此事。",
            "advertisement spending fell by 3% last year.",
        ] {
            assert!(!b.is_dropped(prose) && !b.starts_tail(prose), "{prose}");
        }
    }

    #[test]
    fn spam_is_recognised_by_shape() {
        let b = rules();
        assert!(b.is_spam("甲乙丙丁网站|戊己庚辛在线|一二三四五|六七八九十"));
        assert!(b.is_spam("某某小说,中文字幕专区,某某妇女,某某综合,某某超碰97"));
        // Prose with separators is not spam.
        assert!(!b.is_spam("包括doubao语言模型、seedream图像生成、seedance视频生成以及语音模型seed-tts。"));
        assert!(!b.is_spam("tbd lab、fair、par以及msl infra"));
        assert!(!b.is_spam("一句话"));
    }

    #[test]
    fn rejects_unknown_fields_and_bad_patterns() {
        let bad_field = "[spam]\nmin_items=4\nmax_item_chars=9\nseparators='|'\n[[meta]]\npattern='(?P<colour>x)'";
        assert!(Boilerplate::parse(bad_field)
            .unwrap_err()
            .to_string()
            .contains("colour"));
        let bad_regex = "drop=['(']\n[spam]\nmin_items=4\nmax_item_chars=9\nseparators='|'";
        assert!(Boilerplate::parse(bad_regex).is_err());
    }
}
