//! Finding names in one document, with the evidence that they are names.
//!
//! Names are taken only where the text gives a reason: a multi-word capitalised Latin name
//! (`Nat Friedman`), a joined one after a title (`副总裁RubenMayer`), a transliteration joined
//! by `·` (`安德鲁·博斯沃思`), a name with its translation in parentheses
//! (`Alexandr Wang(汪滔)`), or a name jieba tags as a person right after a title
//! (`研究科学家朱泽园`). jieba's person tag alone is too noisy (it tags 高薪 and 西瓜皮).
//! Parts used on their own (`Wang`, `安德鲁`) are recorded as weak aliases; the registry only
//! keeps them when no other entity claims the same part.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::KnowledgeRules;
use crate::corpus::Document;
use crate::text::fold::is_cjk;
use crate::text::{fold, EntityKind, Folded, NameList, Segmenter};

/// What one document says about names (display forms in the document's own script).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocNames {
    pub names: Vec<(String, EntityKind)>,
    /// Two names the text declares to be the same entity.
    pub pairs: Vec<(String, String)>,
    /// `(full name, part)`: the part is used alone in this document.
    pub parts: Vec<(String, String)>,
    /// Names this document gives no evidence for (said once, without a title or role): they
    /// count only when another document names them too.
    #[serde(default)]
    pub unproven: Vec<(String, EntityKind)>,
}

impl DocNames {
    fn add_name(&mut self, name: &str, kind: EntityKind) {
        let name = name.trim();
        if name.chars().count() >= 2 && !self.names.iter().any(|(n, _)| n == name) {
            self.names.push((name.to_string(), kind));
        }
    }

    fn add_unproven(&mut self, name: &str, kind: EntityKind) {
        let name = name.trim();
        if name.chars().count() >= 2 && !self.unproven.iter().any(|(n, _)| n == name) {
            self.unproven.push((name.to_string(), kind));
        }
    }

    fn add_pair(&mut self, a: &str, b: &str) {
        let (a, b) = (a.trim().to_string(), b.trim().to_string());
        if fold(&a) != fold(&b) && !self.pairs.contains(&(a.clone(), b.clone())) {
            self.pairs.push((a, b));
        }
    }
}

static LATIN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:[ \u{00A0}]+[A-Z][a-z]+(?:[A-Z][a-z]+)?){1,3}").unwrap()
});
static JOINED_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([A-Z][a-z]{2,})([A-Z][a-z]{2,})").unwrap());
static CJK_THEN_LATIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}·・]{2,16})\s*[(（]\s*([A-Z][A-Za-z'\-]+(?:\s+[A-Z][A-Za-z'\-]+){0,3})\s*[)）]").unwrap()
});
/// A transliterated name with its original in parentheses, in any case (`尼尔·坎普林（neil
/// campling）`): the `·` already says it is a name.
static DOTTED_THEN_LATIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}]{1,8}[·・][\p{Han}]{1,10})\s*[(（]\s*([A-Za-z][A-Za-z'\-]+(?:\s+[A-Za-z][A-Za-z'\-]+){1,3})\s*[)）]")
        .unwrap()
});
static LATIN_THEN_CJK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-Z][a-z]+(?:\s+[A-Z][A-Za-z'\-]+){1,3})\s*[(（]\s*([\p{Han}·・]{2,8})\s*[)）]").unwrap()
});

/// True when `text[start..end]` is not glued to other Latin letters.
fn latin_edges(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(|c| c.is_ascii_alphabetic()) && !after.is_some_and(|c| c.is_ascii_alphabetic())
}

fn is_person_tag(tag: &str) -> bool {
    tag.starts_with("nr")
}

pub fn discover(doc: &Document, seg: &Segmenter, rules: &KnowledgeRules, curated: &NameList) -> DocNames {
    let mut out = DocNames::default();
    let all_text = doc.paragraphs.join("\n");
    let org_aliases: Vec<String> = curated
        .entities
        .iter()
        .filter(|e| e.kind != EntityKind::Person)
        .flat_map(|e| e.all_names().map(fold))
        .collect();
    let mut latin_people: Vec<String> = Vec::new();

    // Capitals mark names in English (and in Chinese text quoting English names); German
    // capitalises every noun, and other languages their own way: not read here. The language
    // is the document's (its short lines alone are too short to tell) and the paragraph's.
    let english_doc = crate::text::Lang::of(head(&all_text, 4000)) == crate::text::Lang::English;
    // Words the document also writes in lower case are everyday words, whatever capitals a
    // headline or a sentence start gives them (`rose`, `case`, `switch`): not a surname.
    let lower_words: std::collections::HashSet<&str> = all_text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
        .collect();
    let everyday = |w: &str| lower_words.contains(w.to_ascii_lowercase().as_str());
    for p in &doc.paragraphs {
        let english = english_doc && crate::text::Lang::of(p) == crate::text::Lang::English;
        // Multi-word Latin names: capitalised runs cut at function words and titles.
        for m in LATIN_NAME.find_iter(p).filter(|_| english) {
            if !latin_edges(p, m.start(), m.end()) {
                continue;
            }
            let role_before = rules.role_ending(&fold(&p[..m.start()])).is_some();
            for run in name_runs(m.as_str(), rules) {
                // Every word an everyday word (`Spiced Honey Pear Jam`): a phrase, not a name.
                if !run.titled && run.words.iter().all(|w| everyday(w)) {
                    continue;
                }
                let name = run.words.join(" ");
                let Some(kind) = latin_kind(&run.words, &p[m.end()..], rules, &org_aliases) else {
                    continue;
                };
                // A person shows as one: a title or role before the name, an apposition after
                // it, or the surname used alone. A capitalised run that only recurs is a name
                // of unknown kind (a product, a dish, a team).
                let personal = run.titled
                    || (run.first && role_before)
                    || apposition(&p[m.end()..], rules)
                    || run
                        .words
                        .last()
                        .is_some_and(|last| !everyday(last) && standalone_latin(&all_text, last));
                let kind = match kind {
                    EntityKind::Person if !personal => EntityKind::Other,
                    k => k,
                };
                if kind == EntityKind::Person {
                    latin_people.push(name.clone());
                }
                // Evidence: a word that types it (an organisation's, a product's), what makes
                // it a person, or the name said again.
                let evidence = personal || kind != EntityKind::Other || all_text.matches(name.as_str()).count() >= 2;
                if evidence {
                    out.add_name(&name, kind);
                } else {
                    out.add_unproven(&name, kind);
                }
            }
        }
        // Joined Latin names after a title, or whose surname is also used alone.
        for c in JOINED_NAME.captures_iter(p) {
            let whole = c.get(0).unwrap();
            if !latin_edges(p, whole.start(), whole.end()) {
                continue;
            }
            let titled = rules.role_ending(&fold(&p[..whole.start()])).is_some();
            let surname_alone = standalone_latin(&all_text, &c[2]);
            if titled || surname_alone {
                let spaced = format!("{} {}", &c[1], &c[2]);
                out.add_name(&spaced, EntityKind::Person);
                out.add_pair(whole.as_str(), &spaced);
                latin_people.push(spaced);
            }
        }
        cjk_names(p, seg, rules, &mut out);
    }

    // Surnames used alone (`Wang` after `Alexandr Wang`).
    for full in &latin_people {
        if let Some(last) = full.split_whitespace().last() {
            if last.len() >= 2 && standalone_latin(&all_text, last) {
                let part = (full.clone(), last.to_string());
                if !out.parts.contains(&part) {
                    out.parts.push(part);
                }
            }
        }
    }
    // A `·` name the segmenter cut short in one place (尼尔·坎普 of 尼尔·坎普林称) is the
    // longer name read elsewhere in the document.
    let dotted_names: Vec<String> = out
        .names
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n.contains(['·', '・']))
        .collect();
    out.names.retain(|(n, _)| {
        !n.contains(['·', '・'])
            || !dotted_names
                .iter()
                .any(|longer| longer.len() > n.len() && longer.starts_with(n.as_str()))
    });
    // Parts of `·` names used alone (`安德鲁` after `安德鲁·博斯沃思`).
    let folded_all = fold(&all_text);
    let dotted: Vec<String> = out
        .names
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n.contains(['·', '・']))
        .collect();
    for full in dotted {
        for part in full.split(['·', '・']).filter(|s| s.chars().count() >= 2) {
            let f = fold(part);
            let total = folded_all.matches(f.as_str()).count();
            let in_full = folded_all.matches(fold(&full).as_str()).count();
            if total > in_full && !out.parts.contains(&(full.clone(), part.to_string())) {
                out.parts.push((full.clone(), part.to_string()));
            }
        }
    }
    out
}

/// The first `bytes` of a text at most, cut at a character boundary.
fn head(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A run of capitalised words that may be a name: at least two words, none a function word
/// or title. `titled` when a title stood right before it, `first` when it starts the match.
struct NameRun<'a> {
    words: Vec<&'a str>,
    titled: bool,
    first: bool,
}

/// Cuts a capitalised sequence at function words (`But`, `On`, `Monday`) and titles (`Mr`,
/// `President`, `Prime Minister`): what is left between them, two words or more, may be a
/// name. Possessives never reach here (the sequence stops at the apostrophe).
fn name_runs<'a>(sequence: &'a str, rules: &KnowledgeRules) -> Vec<NameRun<'a>> {
    let mut runs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut titled = false;
    let mut first = true;
    let mut flush = |current: &mut Vec<&'a str>, titled: bool, first: &mut bool| {
        if current.len() >= 2 {
            runs.push(NameRun {
                words: std::mem::take(current),
                titled,
                first: *first,
            });
        } else {
            current.clear();
        }
        *first = false;
    };
    for word in sequence.split_whitespace() {
        let f = fold(word);
        if rules.titles.contains(&f) {
            flush(&mut current, titled, &mut first);
            titled = true;
        } else if rules.not_name_words.contains(&f) {
            flush(&mut current, titled, &mut first);
            titled = false;
        } else {
            current.push(word);
        }
    }
    flush(&mut current, titled, &mut first);
    runs
}

/// The kind of a capitalised name: an organisation (a word of one, `Whole Foods Market`), a
/// product (`Xbox One`, or a model number after it: `Galaxy S10`), a person; `None` for a
/// place (`New York City`), which Dossier does not list.
fn latin_kind(words: &[&str], after: &str, rules: &KnowledgeRules, org_aliases: &[String]) -> Option<EntityKind> {
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    if folded
        .iter()
        .any(|w| rules.org_words.contains(w) || org_aliases.contains(w))
        || org_aliases.contains(&folded.join(" "))
    {
        return Some(EntityKind::Org);
    }
    if folded.last().is_some_and(|w| rules.place_words.contains(w))
        || folded.first().is_some_and(|w| rules.place_starts.contains(w))
    {
        return None;
    }
    let model_number = after
        .trim_start_matches([' ', '\u{00A0}'])
        .split_whitespace()
        .next()
        .is_some_and(|w| w.chars().any(|c| c.is_ascii_digit()) && w.len() <= 6);
    if model_number || folded.iter().skip(1).any(|w| rules.product_words.contains(w)) {
        return Some(EntityKind::Product);
    }
    Some(EntityKind::Person)
}

/// Whether the text right after a name describes it: `, 51, …`, `, the chief executive, …`,
/// `, who …`, `(CEO)`.
fn apposition(after: &str, rules: &KnowledgeRules) -> bool {
    let rest = after.trim_start();
    let Some(rest) = rest.strip_prefix([',', '(', '，', '（']) else {
        return false;
    };
    let head: String = rest.trim_start().chars().take(40).collect();
    let head = fold(&head);
    let first = head.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    first.chars().all(|c| c.is_ascii_digit()) && !first.is_empty()
        || matches!(
            first,
            "who" | "whose" | "the" | "a" | "an" | "its" | "his" | "her" | "their"
        )
        || rules.titles.iter().any(|t| head.starts_with(t.as_str()))
        || rules.roles.iter().any(|r| head.starts_with(r.as_str()))
}

/// Whether `word` occurs in `text` as a capitalised word on its own: not glued to letters and
/// not the last word of a longer capitalised name.
fn standalone_latin(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let end = i + word.len();
        if !latin_edges(text, i, end) {
            return false;
        }
        let before = text[..i].trim_end_matches([' ', '\u{00A0}']);
        let prev_word_capitalised = before.len() < i
            && before
                .rsplit(|c: char| !c.is_ascii_alphabetic())
                .next()
                .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_uppercase()));
        !prev_word_capitalised
    })
}

/// Single characters that end a transliterated name rather than continue it: particles,
/// prepositions and the first characters of reporting verbs (特雷莎·梅也…, 尼尔·坎普林称…).
const NAME_STOPS: &str = "也在的了和与及说称表曾将对为被把从向于则都就还又是等并而或即已仍均亦更再所之以其这那今昨";

/// CJK names: `·` transliterations, declared translations, and person-tagged words after a
/// title.
fn cjk_names(p: &str, seg: &Segmenter, rules: &KnowledgeRules, out: &mut DocNames) {
    let folded = Folded::new(p);
    let tags = tags_near_clues(&folded.text, seg, rules);
    if tags.is_empty() {
        return;
    }
    let orig = |s: usize, e: usize| {
        let (a, b) = folded.original_range(p, s, e);
        p[a..b].to_string()
    };
    let cjk_word = |w: &str| !w.is_empty() && w.chars().all(is_cjk);

    for (i, t) in tags.iter().enumerate() {
        // 安德鲁 · 博斯沃思 — both sides read as parts of a name (news also joins words with
        // `·`: 安全·环保 is no one).
        if t.word == "·" || t.word == "・" {
            let name_part = |w: &jieba_rs::Tag| cjk_word(w.word) && is_person_tag(w.tag);
            let Some(left) = i.checked_sub(1).map(|j| &tags[j]).filter(|l| name_part(l)) else {
                continue;
            };
            let Some(right) = tags.get(i + 1).filter(|r| name_part(r)) else {
                continue;
            };
            let mut start = left.byte_start;
            if left.word.chars().count() == 1 {
                if let Some(prev) = i
                    .checked_sub(2)
                    .map(|j| &tags[j])
                    .filter(|l| cjk_word(l.word) && is_person_tag(l.tag))
                {
                    start = prev.byte_start;
                }
            }
            // The name runs on through the characters jieba split off it (坎普|林), and stops
            // at a particle or a verb (梅|也, 梅|互通).
            let mut end = right.byte_end;
            for next in tags.iter().skip(i + 2).take(2) {
                let glued = next.byte_start == end;
                let name_like = is_person_tag(next.tag)
                    || (next.word.chars().count() == 1 && !NAME_STOPS.contains(next.word) && next.tag != "v");
                if !glued || !cjk_word(next.word) || !name_like {
                    break;
                }
                end = next.byte_end;
            }
            // 《孟子·公孙丑》 is a book's chapter, not a person.
            let in_title = folded.text[..start].ends_with('《') || folded.text[end..].starts_with('》');
            let everyday = seg.is_common_word(left.word) && seg.is_common_word(right.word);
            if !in_title && !everyday {
                out.add_name(&orig(start, end), EntityKind::Person);
            }
        }
        // 研究科学家朱泽园, 负责人庞若鸣
        let n = t.word.chars().count();
        if is_person_tag(t.tag) && (2..=4).contains(&n) && cjk_word(t.word) {
            let before = &folded.text[..t.byte_start];
            let dotted_next = folded.text[t.byte_end..].starts_with(['·', '・']);
            // An everyday word after a title is not a name however jieba tags it (作者于今,
            // 作者司马 in poems).
            if rules.role_ending(before).is_some()
                && !dotted_next
                && !rules.roles.iter().any(|r| r == t.word)
                && !seg.is_common_word(t.word)
            {
                out.add_name(&orig(t.byte_start, t.byte_end), EntityKind::Person);
            }
        }
    }

    // 赵晟佳(Shengjia Zhao): the CJK name is the person-tagged words just before "(".
    for c in CJK_THEN_LATIN.captures_iter(p) {
        let latin = c.get(2).unwrap().as_str();
        if latin.split_whitespace().count() < 2 || latin.split_whitespace().any(|w| rules.org_words.contains(&fold(w)))
        {
            continue;
        }
        let run = c.get(1).unwrap();
        let run_end_folded = folded_offset(&folded, run.end());
        let mut start = run_end_folded;
        let mut chars = 0;
        for t in tags.iter().rev().filter(|t| t.byte_end <= run_end_folded) {
            if t.byte_end != start {
                break;
            }
            let dot = t.word == "·" || t.word == "・";
            let take = dot || (cjk_word(t.word) && (is_person_tag(t.tag) || start == run_end_folded));
            if !take || chars + t.word.chars().count() > 10 {
                break;
            }
            chars += t.word.chars().count();
            start = t.byte_start;
        }
        let name = orig(start, run_end_folded);
        let name = name.trim_start_matches(['·', '・']);
        if name.chars().filter(|c| is_cjk(*c)).count() >= 2 {
            out.add_name(name, EntityKind::Person);
            out.add_name(latin, EntityKind::Person);
            out.add_pair(name, latin);
        }
    }
    // 尼尔·坎普林（neil campling）
    for c in DOTTED_THEN_LATIN.captures_iter(p) {
        // The name is the longest one read from the words that ends the run (分析师|尼尔·坎普林).
        let run = &c[1];
        let Some(cjk) = out
            .names
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| n.contains(['·', '・']) && run.ends_with(*n))
            .max_by_key(|n| n.len())
            .map(str::to_string)
        else {
            continue;
        };
        let latin = c[2].to_string();
        if !out
            .pairs
            .iter()
            .any(|(a, b)| (a == &cjk && fold(b) == fold(&latin)) || (b == &cjk && fold(a) == fold(&latin)))
        {
            out.add_name(&cjk, EntityKind::Person);
            out.add_name(&latin, EntityKind::Person);
            out.add_pair(&cjk, &latin);
        }
    }
    // Alexandr Wang(汪滔)
    for c in LATIN_THEN_CJK.captures_iter(p) {
        let (latin, cjk) = (c.get(1).unwrap(), c.get(2).unwrap());
        let person = !latin
            .as_str()
            .split_whitespace()
            .any(|w| rules.org_words.contains(&fold(w)) || rules.not_name_words.contains(&fold(w)));
        if person && latin_edges(p, latin.start(), latin.end()) {
            out.add_name(latin.as_str(), EntityKind::Person);
            out.add_name(cjk.as_str(), EntityKind::Person);
            out.add_pair(latin.as_str(), cjk.as_str());
        }
    }
}

/// Part-of-speech tags of the stretches of `text` where a name can be found: around `·`,
/// after a role word, before `(`. Tagging only these windows instead of whole paragraphs is
/// most of what makes name discovery cheap (jieba's tagger was a fifth of indexing time).
fn tags_near_clues<'a>(text: &'a str, seg: &'a Segmenter, rules: &KnowledgeRules) -> Vec<jieba_rs::Tag<'a>> {
    const REACH: usize = 12;
    let back = |at: usize, n: usize| text[..at].char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    let ahead = |at: usize, n: usize| text[at..].char_indices().nth(n).map_or(text.len(), |(i, _)| at + i);
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '·' | '・' => windows.push((back(i, REACH), ahead(i, REACH))),
            '(' | '（' => windows.push((back(i, REACH + 4), i)),
            _ => {}
        }
    }
    for m in rules.roles_matcher.find_overlapping_iter(text) {
        windows.push((back(m.start(), 2), ahead(m.end(), REACH)));
    }
    if windows.is_empty() {
        return Vec::new();
    }
    let merged = crate::text::merge_ranges(windows);
    let mut tags = Vec::new();
    for (s, e) in merged {
        for mut t in seg.jieba().tag(&text[s..e], true) {
            t.byte_start += s;
            t.byte_end += s;
            tags.push(t);
        }
    }
    tags
}

/// The folded byte offset of original byte offset `orig` (the first folded char at or after it).
fn folded_offset(folded: &Folded, orig: usize) -> usize {
    folded
        .text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| folded.original_offset(i) >= orig)
        .unwrap_or(folded.text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::DocMeta;

    fn names_of(paragraphs: &[&str]) -> DocNames {
        let curated = NameList::parse(include_str!("../../data/corpus/entities.toml")).unwrap();
        let rules = KnowledgeRules::parse(include_str!("../../data/knowledge.toml")).unwrap();
        let seg = Segmenter::new(&curated);
        let doc = Document {
            id: "t".into(),
            path: "t.txt".into(),
            meta: DocMeta::default(),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            dropped: Vec::new(),
        };
        discover(&doc, &seg, &rules, &curated)
    }

    fn has(n: &DocNames, name: &str, kind: EntityKind) -> bool {
        n.names.contains(&(name.to_string(), kind))
    }

    #[test]
    fn latin_names_people_and_organisations() {
        let n = names_of(&[
            "PAR,由前GitHub CEO Nat Friedman領導。The Information 報道稱,Chief Product Officer 和 Reality Labs 都在。",
        ]);
        assert!(has(&n, "Nat Friedman", EntityKind::Person), "{n:?}");
        assert!(has(&n, "Reality Labs", EntityKind::Org));
        assert!(
            !n.names
                .iter()
                .any(|(x, _)| x.contains("Information") || x.contains("Officer")),
            "{n:?}"
        );
    }

    fn unproven(n: &DocNames, name: &str) -> bool {
        n.unproven.iter().any(|(x, _)| x == name)
    }

    fn any_name(n: &DocNames, part: &str) -> bool {
        n.names.iter().chain(&n.unproven).any(|(x, _)| x.contains(part))
    }

    #[test]
    fn english_runs_lose_function_words_titles_and_possessives() {
        let n = names_of(&[
            "But Mr Mugabe said on Monday that Zimbabwe President Robert Mugabe's party would win.",
            "To Lorenz Meyer, As Lorenz Meyer argued, the vote was fair.",
            "On Monday Theresa May met Prime Minister Justin Trudeau.",
        ]);
        assert!(
            has(&n, "Robert Mugabe", EntityKind::Person),
            "a title is evidence: {n:?}"
        );
        assert!(has(&n, "Justin Trudeau", EntityKind::Person), "{n:?}");
        // Said twice, but nothing shows a person: a name of unknown kind.
        assert!(has(&n, "Lorenz Meyer", EntityKind::Other), "said twice: {n:?}");
        for wrong in [
            "But",
            "Mr",
            "To ",
            "As ",
            "Monday",
            "Prime",
            "Minister",
            "President",
            "'s",
        ] {
            assert!(!any_name(&n, wrong), "{wrong} in {n:?}");
        }
        assert!(unproven(&n, "Theresa May"), "said once, no title: {n:?}");
    }

    #[test]
    fn places_products_and_organisations_are_typed_by_their_words() {
        let n = names_of(&[
            "New York City police said Whole Foods Market and Acme Robotics Inc would open near the Xbox One X launch, beside the Galaxy S10.",
        ]);
        assert!(!any_name(&n, "New York"), "a place: {n:?}");
        assert!(has(&n, "Whole Foods Market", EntityKind::Org), "{n:?}");
        assert!(has(&n, "Acme Robotics Inc", EntityKind::Org), "{n:?}");
        assert!(has(&n, "Xbox One", EntityKind::Product), "{n:?}");
    }

    #[test]
    fn everyday_words_in_capitals_and_german_nouns_are_no_names() {
        let n = names_of(&[
            "Spiced Honey Pear Jam Sells Out",
            "Our spiced honey pear jam is back, and Spiced Honey Pear Jam costs $8 a jar.",
        ]);
        assert!(!any_name(&n, "Honey"), "{n:?}");
        let n = names_of(&[
            "Der Patient erhält die Daten über eine elektronische Gesundheitsakte, die der Arzt verwaltet.",
            "Der Patient kann die Daten jederzeit einsehen, sagt Technische Standards Direktor Klaus Weber.",
            "Der Patient",
        ]);
        assert!(n.names.is_empty() && n.unproven.is_empty(), "{n:?}");
    }

    #[test]
    fn a_headline_phrase_said_once_is_no_name() {
        let n = names_of(&["Why Tunisia Matters Now", "The vote went ahead."]);
        assert!(n.names.is_empty(), "{n:?}");
        assert!(!any_name(&n, "Why"), "{n:?}");
    }

    #[test]
    fn joined_names_need_a_title_or_a_lone_surname() {
        let n = names_of(&[
            "高級副總裁RubenMayer,僅在Meta待了兩個月就離職。",
            "Mayer曾兩度供職于Scale AI。",
            "新任CEO JasonDroege表示",
            "谷歌DeepMind和GitHub",
        ]);
        assert!(
            has(&n, "Ruben Mayer", EntityKind::Person) && has(&n, "Jason Droege", EntityKind::Person),
            "{n:?}"
        );
        assert!(n.pairs.contains(&("RubenMayer".into(), "Ruben Mayer".into())));
        assert!(n.parts.contains(&("Ruben Mayer".into(), "Mayer".into())));
        assert!(
            !n.names.iter().any(|(x, _)| x.contains("Deep") || x.contains("Git")),
            "{n:?}"
        );
    }

    #[test]
    fn declared_translations_and_transliterations() {
        let n = names_of(&[
            "由安德魯·博斯沃思(Andrew Bosworth)帶隊。安德魯早在2006年就加入了Meta。",
            "那就是如今的Meta AI總舵手Alexandr Wang(汪滔)。",
            "其中最典型的例子,便是趙晟佳(Shengjia Zhao)。",
            "meta FAIR 研究科學家朱澤園在 X 上澄清了一些說法",
        ]);
        assert!(
            n.pairs.contains(&("安德魯·博斯沃思".into(), "Andrew Bosworth".into())),
            "{n:?}"
        );
        assert!(n.pairs.contains(&("Alexandr Wang".into(), "汪滔".into())), "{n:?}");
        assert!(n.pairs.contains(&("趙晟佳".into(), "Shengjia Zhao".into())), "{n:?}");
        assert!(has(&n, "朱澤園", EntityKind::Person), "{n:?}");
        assert!(n.parts.contains(&("安德魯·博斯沃思".into(), "安德魯".into())), "{n:?}");
        // A transliteration keeps its full extent and no particle or verb after it; its
        // original in parentheses, in any case, is an alias.
        let n = names_of(&[
            "分析师尼尔·坎普林（neil campling）表示,英国首相特雷莎·梅也在伦敦与特雷莎·梅互通电话。",
            "尼尔·坎普林称,特雷莎·梅说了。",
        ]);
        let people: Vec<&str> = n.names.iter().map(|(x, _)| x.as_str()).collect();
        assert!(
            people.contains(&"尼尔·坎普林") && people.contains(&"特雷莎·梅"),
            "{n:?}"
        );
        assert!(
            !people
                .iter()
                .any(|p| *p == "尼尔·坎普" || p.ends_with("梅也") || p.ends_with("互通")),
            "{n:?}"
        );
        assert!(
            n.pairs.contains(&("尼尔·坎普林".into(), "neil campling".into())),
            "{n:?}"
        );
        // News also joins plain words with `·`; those are no one.
        let n = names_of(&["我們要推進安全·環保工作,堅持責任·綠色發展,展會在北京·全國農業展覽館舉行。"]);
        assert!(n.names.is_empty(), "{n:?}");
    }

    #[test]
    fn everyday_words_tagged_as_people_are_no_one() {
        // jieba tags 于今, 司马, 文明, 白雪 as person names; after 作者 or 记者 they are still words.
        let n = names_of(&[
            "作者于今已千秋,作者司马相如赋。",
            "记者文明,记者白雪皑皑。",
            "《孟子·公孙丑》有云。",
            "据记者庞若鸣报道,研究科学家朱泽园表示。",
        ]);
        let people: Vec<&str> = n.names.iter().map(|(x, _)| x.as_str()).collect();
        for word in ["于今", "司马", "文明", "白雪", "孟子·公孙丑"] {
            assert!(!people.contains(&word), "{word} in {people:?}");
        }
        assert!(has(&n, "朱泽园", EntityKind::Person), "{n:?}");
    }
}
