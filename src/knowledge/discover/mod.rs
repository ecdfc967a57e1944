//! Finding names in one document, with the evidence that they are names.
//!
//! Names are taken only where the text gives a reason: a multi-word capitalised Latin name
//! (`Nat Friedman`), a joined one after a title (`副总裁RubenMayer`), a transliteration joined
//! by `·` (`安德鲁·博斯沃思`), a name with its translation in parentheses
//! (`Alexandr Wang(汪滔)`), or a name jieba tags as a person right after a title
//! (`研究科学家朱泽园`). jieba's person tag alone is too noisy (it tags 高薪 and 西瓜皮).
//! Parts used on their own (`Wang`, `安德鲁`) are recorded as weak aliases; the registry only
//! keeps them when no other entity claims the same part.

mod cjk;
mod latin;

use serde::{Deserialize, Serialize};

use super::KnowledgeRules;
use crate::corpus::Document;
use crate::text::{fold, EntityKind, NameList, Segmenter};
use latin::LatinDoc;

/// Characters that join the parts of a transliterated name (`安德鲁·博斯沃思`, `克里西•克拉克`).
pub(crate) const NAME_DOTS: [char; 4] = ['·', '・', '•', '‧'];

pub(super) fn is_name_dot(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| NAME_DOTS.contains(&c)) && chars.next().is_none()
}

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
    /// `(name, title)`: a title the text gives the person right before the name
    /// (`Zimbabwe President`, `研究科学家`), verbatim.
    #[serde(default)]
    pub roles: Vec<(String, String)>,
    /// Capitalised names of places (`New York`, `Forest Hill`): never listed, but their words
    /// are no one's surname (`York` is not Kate York wherever New York is named).
    #[serde(default)]
    pub places: Vec<String>,
}

impl DocNames {
    /// Records a name; a name first seen without a kind (`Other`) takes the kind a later
    /// mention shows (`Hon. Funke Adedoyin` after a bare `Funke Adedoyin`).
    fn add_name(&mut self, name: &str, kind: EntityKind) {
        let name = name.trim();
        if name.chars().count() < 2 {
            return;
        }
        match self.names.iter_mut().find(|(n, _)| n == name) {
            Some((_, known)) if *known == EntityKind::Other => *known = kind,
            Some(_) => {}
            None => self.names.push((name.to_string(), kind)),
        }
        self.unproven.retain(|(n, _)| n != name);
    }

    fn add_unproven(&mut self, name: &str, kind: EntityKind) {
        let name = name.trim();
        let known = self.names.iter().chain(&self.unproven).any(|(n, _)| n == name);
        if name.chars().count() >= 2 && !known {
            self.unproven.push((name.to_string(), kind));
        }
    }

    fn add_place(&mut self, name: &str) {
        let name = name.trim();
        if !self.places.iter().any(|n| n == name) {
            self.places.push(name.to_string());
        }
    }

    fn add_role(&mut self, name: &str, role: &str) {
        let entry = (name.trim().to_string(), role.trim().to_string());
        if !entry.1.is_empty() && entry.1.chars().count() <= 40 && !self.roles.contains(&entry) {
            self.roles.push(entry);
        }
    }

    fn add_pair(&mut self, a: &str, b: &str) {
        let (a, b) = (a.trim().to_string(), b.trim().to_string());
        if fold(&a) != fold(&b) && !self.pairs.contains(&(a.clone(), b.clone())) {
            self.pairs.push((a, b));
        }
    }
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
    let latin = LatinDoc::new(&all_text, org_aliases, rules);
    let folded_all = fold(&all_text);
    let mut latin_people: Vec<String> = Vec::new();

    // Capitals mark names in English (and in Chinese text quoting English names); German
    // capitalises every noun, and other languages their own way: not read here. The language
    // is the document's (its short lines alone are too short to tell) and the paragraph's.
    let english_doc = crate::text::Lang::of(head(&all_text, 4000)) == crate::text::Lang::English;
    for p in &doc.paragraphs {
        if english_doc && crate::text::Lang::of(p) == crate::text::Lang::English {
            latin.paragraph(p, &mut out, &mut latin_people);
        }
        // Names written without a space (`RubenMayer`) are a habit of Chinese text; in English
        // they are page furniture run together (`NoemKristi`). Chinese names need Chinese text.
        if p.chars().any(crate::text::fold::is_cjk) {
            latin.joined(p, &mut out, &mut latin_people);
            let folded = crate::text::Folded::new(p);
            cjk::cjk_names(p, &folded, seg, rules, &mut out);
            cjk::speakers(p, &folded, &folded_all, seg, rules, &mut out);
        }
    }

    // Surnames used alone (`Wang` after `Alexandr Wang`, `Mr Mugabe` after `Robert Mugabe`),
    // whichever rule found the person (`Alexandr Wang(汪滔)` in Chinese text too).
    for (name, kind) in &out.names {
        let latin = name.is_ascii() && name.contains(' ');
        if *kind == EntityKind::Person && latin && !latin_people.contains(name) {
            latin_people.push(name.clone());
        }
    }
    for full in &latin_people {
        if let Some(last) = full.split_whitespace().last() {
            if last.len() >= 2 && !latin.everyday(last) && latin.standalone(last) {
                let part = (full.clone(), last.to_string());
                if !out.parts.contains(&part) {
                    out.parts.push(part);
                }
            }
        }
    }
    // The last words of a longer name, said alone (`Eriksson Ek` of `Joel Eriksson Ek`), are
    // the same one.
    let shorter: Vec<String> = out
        .names
        .iter()
        .chain(&out.unproven)
        .map(|(n, _)| n.clone())
        .filter(|n| n.contains(' '))
        .collect();
    let longer: Vec<String> = out
        .names
        .iter()
        .chain(&out.unproven)
        .filter(|(n, k)| matches!(k, EntityKind::Person | EntityKind::Other) && n.split(' ').count() <= 4)
        .map(|(n, _)| n.clone())
        .chain(latin_people.iter().cloned())
        .collect();
    for short in shorter {
        let full = longer
            .iter()
            .find(|full| full.len() > short.len() && full.ends_with(&format!(" {short}")))
            .cloned();
        if let Some(full) = full {
            out.add_pair(&full, &short);
        }
    }
    // A `·` name the segmenter cut short in one place (尼尔·坎普 of 尼尔·坎普林称, 亚诺·帕瓦罗蒂
    // of 鲁契亚诺·帕瓦罗蒂) is the longer name read elsewhere in the document.
    let dotted_names: Vec<String> = out
        .names
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n.contains(NAME_DOTS))
        .collect();
    out.names.retain(|(n, _)| {
        !n.contains(NAME_DOTS)
            || !dotted_names.iter().any(|longer| {
                longer.len() > n.len() && (longer.starts_with(n.as_str()) || longer.ends_with(n.as_str()))
            })
    });
    // Parts of `·` names used alone (`安德鲁` after `安德鲁·博斯沃思`).
    let dotted: Vec<String> = out
        .names
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n.contains(NAME_DOTS))
        .collect();
    for full in dotted {
        for part in full.split(NAME_DOTS).filter(|s| s.chars().count() >= 2) {
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

/// Discovery on made-up documents, with the generic rules and no names file.
#[cfg(test)]
pub(super) mod testing {
    use super::*;
    use crate::corpus::DocMeta;

    pub(super) fn names_of(paragraphs: &[&str]) -> DocNames {
        let curated = NameList::default();
        let rules = KnowledgeRules::parse(include_str!("../../../data/knowledge.toml")).unwrap();
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

    pub(super) fn has(n: &DocNames, name: &str, kind: EntityKind) -> bool {
        n.names.contains(&(name.to_string(), kind))
    }

    pub(super) fn unproven(n: &DocNames, name: &str) -> bool {
        n.unproven.iter().any(|(x, _)| x == name)
    }

    pub(super) fn any_name(n: &DocNames, part: &str) -> bool {
        n.names.iter().chain(&n.unproven).any(|(x, _)| x.contains(part))
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

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

    #[test]
    fn english_runs_lose_function_words_titles_and_possessives() {
        let n = names_of(&[
            "But Mr Mugabe said on Monday that Zimbabwe President Robert Mugabe's party would win.",
            "To Lorenz Meyer, As Lorenz Meyer expected, the vote was fair.",
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
