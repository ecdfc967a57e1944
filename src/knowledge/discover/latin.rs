//! Latin-script names: capitalised runs in English text, and joined spellings (`RubenMayer`)
//! anywhere.
//!
//! Capitals say "maybe a name" and nothing more: sentence starts, headlines, titles of works,
//! products and places are capitalised too. A run becomes a person only with evidence a reader
//! would use: a title or role before it, an apposition after it (`, 51,`, `, who`), speech
//! (`said Ivan Braiker`), or its surname used on its own later. The rest is kept as a name of
//! unknown kind when it recurs, typed by its own words when they say what it is (`Inc`,
//! `Festival`, `Pro`), and dropped when it is a place.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::DocNames;
use crate::knowledge::KnowledgeRules;
use crate::text::{fold, EntityKind};

/// A capitalised sequence of two to four words (`Nat Friedman`, `McDonald`), possibly led by
/// an acronym (`LA Auto Show`, `FBI Director James Comey`).
static LATIN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:[A-Z]{2,5}[ \u{00A0}]+)?[A-Z][a-z]+(?:-?[A-Z][a-z]+)?(?:[ \u{00A0}]+[A-Z][a-z]+(?:-?[A-Z][a-z]+)?){1,3}\.?",
    )
    .unwrap()
});
/// Capitalised words joined by `of`, `and`, `for`, `&` (`Securities and Exchange Commission`,
/// `Bank of America`): one name when a word of it names an organisation.
static CONNECTED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*(?: (?:of|and|for|&)(?: the)? [A-Z][a-z]+(?: [A-Z][a-z]+)*)+").unwrap()
});
static JOINED_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([A-Z][a-z]{2,})([A-Z][a-z]{2,})").unwrap());

/// Words before a name that make the name a thing, not a person (`the Switch`, `its Galaxy`).
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "its", "their", "his", "her", "our", "your", "my",
];

/// True when `text[start..end]` is not glued to other Latin letters (nor hyphenated to a
/// word: `Lynn Harlan` of `Rose-Lynn Harlan`, `Welcome Daehak` of `Welcome Daehak-ro`).
pub(super) fn latin_edges(text: &str, start: usize, end: usize) -> bool {
    let mut before = text[..start].chars().rev();
    let b1 = before.next();
    let hyphenated = b1 == Some('-') && before.next().is_some_and(|c| c.is_ascii_alphabetic());
    let mut after = text[end..].chars();
    let a1 = after.next();
    let hyphen_after = a1 == Some('-') && after.next().is_some_and(|c| c.is_ascii_alphabetic());
    !b1.is_some_and(|c| c.is_ascii_alphabetic())
        && !hyphenated
        && !hyphen_after
        && !a1.is_some_and(|c| c.is_ascii_alphabetic())
}

/// What the whole document tells about its capitalised words.
pub(super) struct LatinDoc<'a> {
    text: &'a str,
    /// Words the document also writes in lower case: everyday words, whatever capitals a
    /// headline or a sentence start gives them (`rose`, `case`, `switch`).
    lower_words: HashSet<&'a str>,
    org_aliases: Vec<String>,
    rules: &'a KnowledgeRules,
}

impl<'a> LatinDoc<'a> {
    pub(super) fn new(text: &'a str, org_aliases: Vec<String>, rules: &'a KnowledgeRules) -> LatinDoc<'a> {
        let lower_words = text
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
            .collect();
        LatinDoc {
            text,
            lower_words,
            org_aliases,
            rules,
        }
    }

    pub(super) fn everyday(&self, word: &str) -> bool {
        self.lower_words.contains(word.to_ascii_lowercase().as_str())
    }

    /// Capitalised names of one English paragraph; people's names are also pushed to `people`.
    pub(super) fn paragraph(&self, p: &str, out: &mut DocNames, people: &mut Vec<String>) {
        let rules = self.rules;
        // A headline in title case capitalises every word: its capitals say nothing.
        if title_case(p) {
            return;
        }
        let connected = self.connected_orgs(p, out);
        for m in LATIN_NAME.find_iter(p) {
            let text = m.as_str().trim_end_matches('.');
            let end = m.start() + text.len();
            if !latin_edges(p, m.start(), end) || connected.iter().any(|&(s, e)| m.start() >= s && end <= e) {
                continue;
            }
            let before = &p[..m.start()];
            let after = &p[end..];
            // `Head of Platform Solutions`, `Secretary of State`: an office, not a name.
            if office_of(before, rules) {
                continue;
            }
            let role_before = role_before(before, rules);
            let sentence_start = sentence_start(before);
            // `The Last Hot Time`, `the Dragon Waiting`: nobody's name follows "the".
            let led_by_the = text.starts_with("The ")
                || before
                    .trim_end()
                    .rsplit(char::is_whitespace)
                    .next()
                    .is_some_and(|w| w.eq_ignore_ascii_case("the"));
            let quoted = quoted(before, after);
            for run in name_runs(text, rules, sentence_start.then_some(self)) {
                // Every word an everyday word (`Spiced Honey Pear Jam`): a phrase, not a name.
                if !run.titled && run.words.iter().all(|w| self.everyday(w)) {
                    continue;
                }
                // `Australian Timothy Weeks`: a nationality, then the name.
                let mut words = run.words.clone();
                let person_like = || self.kind(&words[1..], "", false) == Some(EntityKind::Person);
                if words.len() >= 3 && rules.demonyms.contains(&fold(words[0])) && person_like() {
                    words.remove(0);
                }
                let run = NameRun { words, ..run };
                let name = run.words.join(" ");
                let run_after = &p[m.start() + run.end..];
                // An ideology or movement (`National Socialism`) is no one.
                if run.words.last().is_some_and(|w| w.ends_with("ism")) {
                    continue;
                }
                let Some(kind) = self.kind(&run.words, run_after, quoted) else {
                    out.add_place(&name);
                    continue;
                };
                // Strong signs of a person: a title or role right before the name, or an
                // apposition after it. Weaker ones (speech, the surname used alone) count
                // only for a name that does not read as a thing: not an everyday first word
                // (`Wild Rose`, `Home Depot`), not a brand named alone (`Apple AirPods`).
                let strong = run.titled || (run.first && role_before) || apposition(run_after, rules);
                let last = run.words.last().copied().unwrap_or_default();
                let first = run.words[0];
                let thing_like = self.everyday(first)
                    || led_by_the
                    || (self.standalone(first) && !self.standalone(last))
                    || self.place_like(first)
                    || run.words.iter().any(|w| interior_capital(w))
                    || first.chars().all(|c| c.is_ascii_uppercase());
                // The surname alone, used as a person's (`Sondland said`, `Mr Sondland`): a
                // word said alone again and again may be a brand or a planet (`Jupiter`).
                let surname = !self.everyday(last) && self.personal_alone(last);
                let weak = !thing_like && (speech(before, run_after, rules) || surname);
                let personal = strong || weak;
                let kind = match kind {
                    EntityKind::Person if !personal => EntityKind::Other,
                    k => k,
                };
                if kind == EntityKind::Person {
                    people.push(name.clone());
                    if let Some(role) = run.title.filter(|t| !t.is_empty()) {
                        out.add_role(&name, role);
                    }
                }
                // Evidence: a word that types it (an organisation's, a product's, an event's),
                // what makes it a person, or the name said again.
                let event = run.words.last().is_some_and(|w| rules.event_words.contains(&fold(w)));
                let typed = kind != EntityKind::Other || event;
                let evidence = personal || typed || self.text.matches(name.as_str()).count() >= 2;
                if evidence {
                    out.add_name(&name, kind);
                } else {
                    out.add_unproven(&name, kind);
                }
            }
        }
    }

    /// Organisations whose name joins capitalised words with `of`/`and`/`for`/`&`: recorded,
    /// and their spans returned so their pieces (`Exchange Commission`) are not names too. An
    /// office after a title (`Vice President for Global Design`) is none.
    fn connected_orgs(&self, p: &str, out: &mut DocNames) -> Vec<(usize, usize)> {
        let rules = self.rules;
        let mut spans = Vec::new();
        for m in CONNECTED_NAME.find_iter(p) {
            if !latin_edges(p, m.start(), m.end()) {
                continue;
            }
            let words: Vec<&str> = m.as_str().split(' ').collect();
            let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
            let capitalised = |w: &&&str| w.starts_with(|c: char| c.is_ascii_uppercase());
            let first_ok = !rules.titles.contains(&folded[0]) && !rules.not_name_words.contains(&folded[0]);
            let org = folded.iter().any(|w| rules.org_words.contains(w));
            let list = !self.joined_as_one(&words);
            let sentence_word = sentence_start(&p[..m.start()]) && self.everyday(words[0]);
            if first_ok && org && !list && !sentence_word && words.iter().filter(capitalised).count() >= 2 {
                out.add_name(m.as_str(), EntityKind::Org);
                spans.push((m.start(), m.end()));
            }
        }
        spans
    }

    /// Whether capitalised words joined by connectors read as one name. Before `of`/`for`
    /// stands the organisation's head word (`Bank of America`, `University of Florida`, not
    /// `Brian Batko of the Pittsburgh Post`). Before `and`/`&` stand words that are no name of
    /// their own: everyday words in capitals, or words said only in this phrase
    /// (`Securities and Exchange Commission`, not `Wistron and Global Lighting Technologies`);
    /// and no `The` after it (`Big Machine and The Carlyle Group` is two).
    fn joined_as_one(&self, words: &[&str]) -> bool {
        let rules = self.rules;
        let mut segment: Vec<&str> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            match *w {
                "of" | "for" => {
                    if !segment.iter().any(|s| rules.org_words.contains(&fold(s))) {
                        return false;
                    }
                    segment.clear();
                }
                "and" | "&" => {
                    let next_is_the = words.get(i + 1) == Some(&"The");
                    let phrase_count = self.text.matches(&words.join(" ")).count();
                    // A word said only in this phrase, or an everyday one, is no name of its own.
                    let own_name = |s: &&str| !self.everyday(s) && self.text.matches(*s).count() > phrase_count;
                    let org_before = segment.iter().any(|s| rules.org_words.contains(&fold(s)));
                    if next_is_the || org_before || segment.iter().any(own_name) {
                        return false;
                    }
                    segment.clear();
                }
                "the" => {}
                _ => segment.push(w),
            }
        }
        true
    }

    /// Joined Latin names (`RubenMayer`, in Chinese text) after a title, or whose surname is
    /// also used alone.
    pub(super) fn joined(&self, p: &str, out: &mut DocNames, people: &mut Vec<String>) {
        for c in JOINED_NAME.captures_iter(p) {
            let whole = c.get(0).unwrap();
            if !latin_edges(p, whole.start(), whole.end()) {
                continue;
            }
            let titled = self.rules.role_ending(&folded_tail(&p[..whole.start()])).is_some();
            if titled || self.standalone(&c[2]) {
                let spaced = format!("{} {}", &c[1], &c[2]);
                out.add_name(&spaced, EntityKind::Person);
                out.add_pair(whole.as_str(), &spaced);
                people.push(spaced);
            }
        }
    }

    /// The kind of a capitalised name: an organisation (a word of one, `Whole Foods Market`),
    /// an event (`Amsterdam Light Festival`), a product (`Xbox One`, or a model number after
    /// it: `Galaxy S10`), a person; `None` for a place (`New York City`, `Forest Hill police`),
    /// which Dossier does not list. A title in quotes (`“Wild Rose”`) is a work's.
    fn kind(&self, words: &[&str], after: &str, quoted: bool) -> Option<EntityKind> {
        let rules = self.rules;
        let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let org_aliases = &self.org_aliases;
        if folded
            .iter()
            .any(|w| rules.org_words.contains(w) || org_aliases.contains(w))
            || org_aliases.contains(&folded.join(" "))
        {
            return Some(EntityKind::Org);
        }
        let next_word = after
            .trim_start_matches([' ', '\u{00A0}'])
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let place_after = after.starts_with("-based") || rules.place_after.contains(&fold(next_word));
        if place_after
            || folded.last().is_some_and(|w| rules.place_words.contains(w))
            || folded.first().is_some_and(|w| rules.place_starts.contains(w))
        {
            return None;
        }
        if folded.last().is_some_and(|w| rules.event_words.contains(w)) || quoted {
            return Some(EntityKind::Other);
        }
        // `Galaxy S10`, `Xbox 360`; not a table's figures (`Kyle Busch 5040 5 1`).
        let digits = next_word.chars().filter(|c| c.is_ascii_digit()).count();
        let model_number = digits > 0 && next_word.len() <= 6 && (digits < next_word.len() || digits <= 3);
        if model_number || folded.iter().skip(1).any(|w| rules.product_words.contains(w)) {
            return Some(EntityKind::Product);
        }
        Some(EntityKind::Person)
    }

    /// Whether `word` occurs as a capitalised word on its own: not glued to letters or joined
    /// by a hyphen (`Rose-Lynn`), not part of a longer capitalised name (a title before it is
    /// fine: `Mr Mugabe`), and not after a determiner (`the Switch` is a thing).
    pub(super) fn standalone(&self, word: &str) -> bool {
        self.standalone_uses(word).next().is_some()
    }

    /// Whether `word`, on its own, is used as a person's surname: after a title (`Mr
    /// Sondland`), or with speech or an apposition after it (`Sondland said`, `Sondland,
    /// who`). A brand alone (`Stadia will launch`) is not.
    fn personal_alone(&self, word: &str) -> bool {
        let rules = self.rules;
        self.standalone_uses(word).any(|(start, end)| {
            let prev = self.text[..start]
                .trim_end_matches([' ', '\u{00A0}', '.'])
                .rsplit(|c: char| !c.is_ascii_alphabetic())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let after = &self.text[end..];
            rules.titles.contains(&prev)
                || speech("", after, rules)
                || after.trim_start_matches([' ', ',']).starts_with("who ")
                || apposition(after, rules) && after.trim_start().starts_with(',')
        })
    }

    /// Whether the document uses `word` as a place (`in Cleveland`, `from Pittsburgh`,
    /// `Cleveland-based`): a name starting with it is a team's or a firm's, not a person's.
    fn place_like(&self, word: &str) -> bool {
        ["in ", "from ", "near "]
            .iter()
            .any(|p| self.text.contains(&format!("{p}{word}")))
            && !self.text.contains(&format!("{word} said"))
            || self.text.contains(&format!("{word}-based"))
    }

    /// Where `word` stands on its own (see `standalone`), as byte ranges.
    fn standalone_uses<'t>(&'t self, word: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        let text = self.text;
        text.match_indices(word)
            .map(move |(i, _)| (i, i + word.len()))
            .filter(move |&(i, end)| {
                if !latin_edges(text, i, end) {
                    return false;
                }
                let rest = &text[end..];
                if rest.starts_with('-') {
                    return false;
                }
                let next = rest.strip_prefix([' ', '\u{00A0}']).unwrap_or("");
                if next.starts_with(|c: char| c.is_ascii_uppercase()) {
                    return false;
                }
                let before = text[..i].trim_end_matches([' ', '\u{00A0}']);
                if before.len() == i {
                    return true;
                }
                let mut words = before.rsplit(|c: char| !c.is_ascii_alphabetic());
                let prev = words.next().unwrap_or("");
                let prev_folded = prev.to_ascii_lowercase();
                // `the Switch`, `a regular Switch`
                let two_back = words.next().unwrap_or("").to_ascii_lowercase();
                if DETERMINERS.contains(&prev_folded.as_str())
                    || (prev.starts_with(|c: char| c.is_ascii_lowercase()) && DETERMINERS.contains(&two_back.as_str()))
                {
                    return false;
                }
                !prev.starts_with(|c: char| c.is_ascii_uppercase()) || self.rules.titles.contains(&prev_folded)
            })
    }
}

/// A run of capitalised words that may be a name: at least two words, none a function word
/// or title. `titled` when a title stood right before it (`title` holds the words before it in
/// the sequence, `Zimbabwe President`), `first` when it starts the sequence; `end` is its
/// byte end in the sequence.
struct NameRun<'a> {
    words: Vec<&'a str>,
    titled: bool,
    title: Option<&'a str>,
    first: bool,
    end: usize,
}

/// Cuts a capitalised sequence at function words (`But`, `On`, `Monday`) and titles (`Mr`,
/// `President`, `Prime Minister`): what is left between them, two words or more, may be a
/// name. At a sentence start (`at_sentence_start` given), leading everyday words go too (`One
/// Washington-based expert`). Possessives never reach here (the sequence stops at the
/// apostrophe).
fn name_runs<'a>(sequence: &'a str, rules: &KnowledgeRules, at_sentence_start: Option<&LatinDoc>) -> Vec<NameRun<'a>> {
    let mut runs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut titled = false;
    let mut title_end: Option<usize> = None;
    let mut first = true;
    let mut end = 0;
    let mut flush =
        |current: &mut Vec<&'a str>, titled: bool, title_end: Option<usize>, first: &mut bool, end: usize| {
            if current.len() >= 2 {
                runs.push(NameRun {
                    words: std::mem::take(current),
                    titled,
                    title: title_end.map(|e| sequence[..e].trim()),
                    first: *first,
                    end,
                });
            } else {
                current.clear();
            }
            *first = false;
        };
    let mut leading = at_sentence_start.is_some();
    for (start, word) in word_offsets(sequence) {
        let f = fold(word.trim_end_matches('.'));
        if leading && at_sentence_start.is_some_and(|doc| doc.everyday(word)) && !rules.titles.contains(&f) {
            continue;
        }
        leading = false;
        // `General Motors` is a company, not a general.
        let rest_is_org = || {
            sequence[start..]
                .split_whitespace()
                .nth(1)
                .is_some_and(|w| rules.org_words.contains(&fold(w)))
        };
        if rules.titles.contains(&f) && !rest_is_org() {
            // Words right before a title qualify it (`National Security Adviser`, `Zimbabwe
            // President`): part of the title, not a name.
            current.clear();
            flush(&mut current, titled, title_end, &mut first, end);
            titled = true;
            title_end = Some(start + word.len());
        } else if rules.not_name_words.contains(&f) {
            flush(&mut current, titled, title_end, &mut first, end);
            titled = false;
            title_end = None;
        } else {
            current.push(word);
            end = start + word.len();
        }
    }
    flush(&mut current, titled, title_end, &mut first, end);
    runs
}

fn word_offsets(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split([' ', '\u{00A0}'])
        .scan(0, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .filter(|(_, w)| !w.is_empty())
}

/// A title case line (`Why Tunisia Matters Now`): Latin text whose every word of three letters
/// or more is capitalised, short function words aside (a sentence has a lower-case verb:
/// `On Monday Theresa May met Prime Minister Justin Trudeau`). Latin words inside Chinese text
/// are capitalised because they are names: not a headline.
fn title_case(p: &str) -> bool {
    const SMALL: &[&str] = &[
        "the", "and", "for", "with", "from", "but", "nor", "yet", "via", "into", "onto", "over", "upon",
    ];
    let letters = p.chars().filter(|c| c.is_alphabetic()).count();
    let latin = p.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if latin * 10 < letters * 9 {
        return false;
    }
    let words: Vec<&str> = p
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .collect();
    words.len() >= 3
        && words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()) || SMALL.contains(w))
}

/// Whether the text before a match ends a sentence (or is empty, or opens a quote).
fn sentence_start(before: &str) -> bool {
    let t = before.trim_end();
    if let Some(word) = t.strip_suffix('.') {
        // `U.S. Securities`, `Mr. Smith`, `Gov. Noem`: an abbreviation's full stop.
        let last = word.rsplit(char::is_whitespace).next().unwrap_or("");
        let abbreviation =
            last.contains('.') || (last.len() <= 3 && last.starts_with(|c: char| c.is_ascii_uppercase()));
        return !abbreviation;
    }
    t.is_empty() || t.ends_with(['!', '?', ':', '"', '“', '‘', '—', '(', '\n'])
}

/// A name standing alone in quotes (`“Wild Rose,”`): the title of a work.
fn quoted(before: &str, after: &str) -> bool {
    before.ends_with(['"', '“', '‘'])
        && after
            .trim_start_matches([',', '.', '!', '?'])
            .starts_with(['"', '”', '’'])
}

/// A word with a capital inside (`AirPods`, `PlayStation`), other than the `Mc`/`Mac` of a
/// surname: a brand's spelling.
fn interior_capital(word: &str) -> bool {
    let tail = word
        .strip_prefix("Mc")
        .or_else(|| word.strip_prefix("Mac"))
        .unwrap_or(word);
    tail.chars().skip(1).any(|c| c.is_ascii_uppercase())
}

/// A role word right before the name (`pioneer Ivan Braiker`, `Nigerian actress, Kate
/// Henshaw`).
fn role_before(before: &str, rules: &KnowledgeRules) -> bool {
    let t = folded_tail(before.trim_end().trim_end_matches([',', '，', '.']));
    title_or_role(t.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or(""), rules)
}

/// Whether the text before a name ends with a title and `of` or `for` (`Head of`, `Vice
/// President for`).
fn office_of(before: &str, rules: &KnowledgeRules) -> bool {
    let t = folded_tail(before.trim_end());
    let Some(rest) = t.strip_suffix(" of").or_else(|| t.strip_suffix(" for")) else {
        return false;
    };
    title_or_role(rest.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or(""), rules)
}

fn title_or_role(word: &str, rules: &KnowledgeRules) -> bool {
    !word.is_empty() && (rules.titles.iter().any(|t| t == word) || rules.roles.iter().any(|r| r == word))
}

/// The end of the text before a name, folded: the checks read its last words only, and folding
/// the whole paragraph before every name would cost the square of its length.
fn folded_tail(before: &str) -> String {
    let start = before.char_indices().rev().nth(40).map_or(0, |(i, _)| i);
    fold(&before[start..])
}

/// Speech around a name: `said Ivan Braiker`, `Eriksson Ek said`, `according to`.
fn speech(before: &str, after: &str, rules: &KnowledgeRules) -> bool {
    let before = folded_tail(before.trim_end().trim_end_matches([',', '"', '”']));
    let next: String = after
        .trim_start_matches([' ', '\u{00A0}', ','])
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    rules
        .speech_words
        .iter()
        .any(|w| next == *w || before.ends_with(&format!(" {w}")) || before == *w)
}

/// Whether the text right after a name describes it as a person: `, 51, …`, `, who …`,
/// `(CEO)`, `, the chief executive, …`, `, a former senator`. An article alone is not enough
/// (`, a novel by…`, `(a nighttime formula)`): a title or an age must follow within a few
/// words.
fn apposition(after: &str, rules: &KnowledgeRules) -> bool {
    let rest = after.trim_start();
    let Some(rest) = rest.strip_prefix([',', '(', '，', '（']) else {
        return false;
    };
    let head: String = rest.trim_start().chars().take(40).collect();
    let head = fold(&head);
    let words: Vec<&str> = head
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let first = words.first().copied().unwrap_or("");
    let personal = |w: &&str| rules.titles.iter().any(|t| t == w) || rules.roles.iter().any(|r| r == w);
    let age = |w: &&str| w.chars().all(|c| c.is_ascii_digit()) && (1..=3).contains(&w.len());
    // `, 51, said` or `(51)`, not `, 1 tsp. nut butter`.
    let age_alone = age(&first) && head[first.len()..].starts_with([',', ')', '）', '，']) && head.starts_with(first);
    age_alone
        || matches!(first, "who" | "whose")
        || (matches!(first, "the" | "a" | "an" | "its" | "his" | "her" | "their")
            && words.iter().skip(1).take(3).any(|w| personal(w) || age(w)))
        || rules.titles.iter().any(|t| head.starts_with(t.as_str()))
        || rules.roles.iter().any(|r| head.starts_with(r.as_str()))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{any_name, has, names_of, unproven};
    use crate::text::EntityKind::{Org, Other, Person, Product};

    #[test]
    fn a_capitalised_everyday_word_opening_a_sentence_is_no_part_of_a_name() {
        let n = names_of(&[
            "One Washington-based expert said the deal was close. Wild guesses followed.",
            "The talks went on for one more day. Nobody made a wild guess.",
        ]);
        assert!(!any_name(&n, "One") && !any_name(&n, "Wild"), "{n:?}");
    }

    #[test]
    fn headlines_in_title_case_give_no_names_but_sentences_full_of_names_do() {
        let n = names_of(&["Chelsea Activate Release Clause To Sign Young Keeper From Spain"]);
        assert!(n.names.is_empty() && n.unproven.is_empty(), "{n:?}");
        let n = names_of(&["On Monday Theresa May met Prime Minister Justin Trudeau."]);
        assert!(has(&n, "Justin Trudeau", Person), "{n:?}");
    }

    #[test]
    fn works_products_and_brands_are_not_people_however_often_named() {
        let n = names_of(&[
            "The song Jessie Buckley performs at the end of “Wild Rose” began years ago.",
            "Everyone who saw “Wild Rose,” agreed. Rose was the lead.",
            "Apple AirPods cost less this week, and Apple cut prices again. The AirPods sold out.",
            "Apple AirPods are back in stock.",
            "The Nintendo Switch is cheaper than the original Switch, and a regular Switch costs more.",
            "Nintendo Switch sales rose.",
        ]);
        assert!(has(&n, "Wild Rose", Other), "a title in quotes: {n:?}");
        for thing in ["Apple AirPods", "Nintendo Switch"] {
            assert!(!has(&n, thing, Person), "{thing}: {n:?}");
        }
    }

    #[test]
    fn evidence_of_a_person_speech_roles_titles_with_stops_and_commas() {
        let n = names_of(&[
            "“I was not ready,” Eriksson Ek said after the game.",
            "The platform hired marketing pioneer Ivan Braiker this week.",
            "Nigerian actress, Kate Henshaw, posted new photos.",
            "The Senate mourned Hon. Funke Adedoyin on Tuesday.",
        ]);
        for person in ["Eriksson Ek", "Ivan Braiker", "Kate Henshaw", "Funke Adedoyin"] {
            assert!(has(&n, person, Person), "{person}: {n:?}");
        }
        // A name first seen bare takes the kind a later mention shows.
        let n = names_of(&["Funke Adedoyin was absent.", "The Senate mourned Hon. Funke Adedoyin."]);
        assert!(has(&n, "Funke Adedoyin", Person), "{n:?}");
    }

    #[test]
    fn places_offices_ideologies_and_events_are_typed_or_dropped() {
        let n = names_of(&[
            "A tip led Forest Hill police officers to the motel in Inner Mongolia.",
            "André Neu, Head of Platform Solutions for Ascom, spoke first.",
            "Austria called itself the first victim of National Socialism.",
            "The Amsterdam Light Festival opens today, and the Davis Cup ends.",
        ]);
        assert!(!any_name(&n, "Forest Hill") && !any_name(&n, "Inner Mongolia"), "{n:?}");
        assert!(n.places.iter().any(|p| p == "Forest Hill"), "{n:?}");
        assert!(!any_name(&n, "Platform Solutions"), "an office: {n:?}");
        assert!(!any_name(&n, "National Socialism"), "{n:?}");
        assert!(has(&n, "Amsterdam Light Festival", Other), "{n:?}");
    }

    #[test]
    fn organisations_joined_by_of_and_and() {
        let n = names_of(&[
            "WeWork faces scrutiny from the U.S. Securities and Exchange Commission over its filings.",
            "She studied at the University of Florida before joining Bank of America.",
            "Braun bought Big Machine with backing from Big Machine and The Carlyle Group.",
            "Reporter Brian Batko of the Pittsburgh Post covered the game.",
        ]);
        for org in [
            "Securities and Exchange Commission",
            "University of Florida",
            "Bank of America",
        ] {
            assert!(has(&n, org, Org), "{org}: {n:?}");
        }
        let exact = |x: &str| n.names.iter().chain(&n.unproven).any(|(name, _)| name == x);
        assert!(!exact("Exchange Commission"), "a piece of a longer name: {n:?}");
        assert!(
            !n.names.iter().any(|(x, _)| x.contains(" and The ")),
            "a list of two: {n:?}"
        );
        assert!(!any_name(&n, "Batko of"), "{n:?}");
    }

    #[test]
    fn hyphenated_first_names_model_numbers_and_table_figures() {
        let n = names_of(&[
            "Buckley agreed to play Rose-Lynn Harlan, a singer.",
            "The Galaxy S10 and Xbox 360 sold out.",
            "1 Kyle Busch 5040 5 1 17 27",
            "2 Kyle Busch 4900 3 0 11 20",
        ]);
        assert!(
            !any_name(&n, "Lynn Harlan") || any_name(&n, "Rose-Lynn Harlan"),
            "{n:?}"
        );
        assert!(!has(&n, "Kyle Busch", Product), "figures are no model number: {n:?}");
    }

    #[test]
    fn a_title_before_a_name_is_kept_as_its_role_and_mr_surname_is_a_part() {
        let n = names_of(&[
            "Zimbabwe President Robert Mugabe spoke on Monday.",
            "Mr Mugabe later left the hall.",
        ]);
        assert!(
            n.roles.contains(&("Robert Mugabe".into(), "Zimbabwe President".into())),
            "{n:?}"
        );
        assert!(n.parts.contains(&("Robert Mugabe".into(), "Mugabe".into())), "{n:?}");
        assert!(!unproven(&n, "Mr Mugabe"));
    }

    #[test]
    fn a_surname_alone_counts_only_when_used_as_a_persons() {
        // `Stadia` and `Jupiter` stand alone again and again, but nobody says they said.
        let n = names_of(&[
            "Google Stadia launches today. Stadia will stream games, and Stadia costs $10.",
            "The Galileo Jupiter probe measured plumes. Jupiter is large, and Jupiter has moons.",
            "Gordon Sondland testified on Wednesday. Sondland said he followed orders.",
            "The pedophile Jeffrey Epstein was jailed. Prince Andrew met Epstein who later died.",
        ]);
        assert!(
            !has(&n, "Google Stadia", Person) && !has(&n, "Galileo Jupiter", Person),
            "{n:?}"
        );
        assert!(
            has(&n, "Gordon Sondland", Person) && has(&n, "Jeffrey Epstein", Person),
            "{n:?}"
        );
    }

    #[test]
    fn words_that_qualify_a_title_or_a_name_are_not_part_of_it() {
        let n = names_of(&[
            "Former National Security Adviser John Bolton declined to testify.",
            "Australian Timothy Weeks was freed, and Timothy Weeks said he was grateful.",
            "The Russian Defense Ministry and the European Space Agency replied.",
        ]);
        assert!(!any_name(&n, "National Security"), "{n:?}");
        assert!(has(&n, "John Bolton", Person), "{n:?}");
        assert!(has(&n, "Timothy Weeks", Person) && !any_name(&n, "Australian"), "{n:?}");
        assert!(
            has(&n, "Russian Defense Ministry", Org) && has(&n, "European Space Agency", Org),
            "{n:?}"
        );
    }

    #[test]
    fn titles_of_works_teams_and_recipes_are_no_people() {
        let n = names_of(&[
            "The book was called The Dragon Waiting, and it was written by a friend. Waiting said nothing.",
            "Only The Last Hot Time survived. Time said it all.",
            "The game was played in Cleveland. Cleveland Browns fans cheered the Browns.",
            "Beachbody Performance Recharge, 1 tsp. nut butter",
            "Beachbody Performance Recharge, 2 tsp. nut butter",
        ]);
        for thing in [
            "Dragon Waiting",
            "Hot Time",
            "Cleveland Browns",
            "Beachbody Performance Recharge",
        ] {
            assert!(!has(&n, thing, Person), "{thing}: {n:?}");
        }
    }

    #[test]
    fn the_last_words_of_a_longer_name_are_the_same_one() {
        let n = names_of(&[
            "Parise buried Joel Eriksson Ek’s feed.",
            "“I was not ready,” Eriksson Ek said.",
        ]);
        assert!(
            n.pairs.contains(&("Joel Eriksson Ek".into(), "Eriksson Ek".into())),
            "{n:?}"
        );
    }
}
