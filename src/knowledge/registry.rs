//! The entity registry: every name the corpus (and the curated file) knows, merged into
//! entities with their aliases and mention counts.
//!
//! Merging is a union of what documents declare: curated alias lists, translations in
//! parentheses, joined spellings. Weak aliases (a surname or one part of a `·` name used
//! alone) join an entity only when no other entity claims them, so two people called Wang
//! are never merged through their surname. The registry is rebuilt after every corpus change
//! and saved next to the index, so opening the engine does not re-read the corpus.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::DocNames;
use crate::text::fold::is_cjk;
use crate::text::{fold, is_word_at, EntityKind, NameList};

/// Most names an autocomplete or a lookup offers (Discord's limit for choices).
pub const LOOKUP_LIMIT: usize = 25;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// The name shown for the entity.
    pub name: String,
    pub kind: EntityKind,
    /// Other names, as documents write them.
    pub aliases: Vec<String>,
    /// Every name folded for matching, the name's first.
    pub keys: Vec<String>,
    /// Paragraphs mentioning the entity by any name.
    pub mentions: u64,
    pub curated: bool,
    /// `keys[strong..]` are weak aliases (a surname, part of a name): never the name.
    #[serde(default = "usize::max_value")]
    pub strong: usize,
    /// Titles the documents give the entity right before its name (`Zimbabwe President`,
    /// `研究科学家`), verbatim, the most used first.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Parts of the name (a surname) other entities share: they name this entity only in a
    /// document that also names it in full.
    #[serde(default)]
    pub shared_parts: Vec<String>,
}

/// Titles kept per entity.
const ROLES_KEPT: usize = 3;

#[derive(Debug, Default)]
pub struct Registry {
    entities: Vec<Entity>,
    by_key: HashMap<String, usize>,
    matcher: Option<AhoCorasick>,
    /// Entity of each matcher pattern.
    pattern_entity: Vec<usize>,
}

/// Union-find over folded names.
#[derive(Default)]
struct Names {
    index: HashMap<String, usize>,
    parent: Vec<usize>,
    display: Vec<String>,
    kinds: Vec<BTreeMap<EntityKind, u32>>,
    curated: Vec<Option<(String, EntityKind)>>,
}

impl Names {
    fn node(&mut self, display: &str) -> usize {
        let key = fold(display.trim());
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.parent.len();
        self.index.insert(key, i);
        self.parent.push(i);
        self.display.push(display.trim().to_string());
        self.kinds.push(BTreeMap::new());
        self.curated.push(None);
        i
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            // Keep a curated root so its canonical name survives.
            if self.curated[rb].is_some() && self.curated[ra].is_none() {
                self.parent[ra] = rb;
            } else {
                self.parent[rb] = ra;
                if self.curated[ra].is_none() {
                    self.curated[ra] = self.curated[rb].take();
                }
            }
        }
    }
}

/// Legal-form words an organisation's name may carry or drop (`Ceres Robotics Inc`).
const LEGAL_FORMS: &[&str] = &["inc", "ltd", "llc", "plc", "corp", "co", "gmbh", "ag", "sa", "limited"];

/// Joins the spellings of one organisation or product that differ only by a legal form
/// (`Ceres Robotics Inc` and `Ceres Robotics`), a plural last word (`Emirates Airline` and
/// `Emirates Airlines`) or a leading acronym (`UN Security Council`). People are left alone: `Jan Roe` and `Jan Roes` are two people.
fn merge_spelling_variants(n: &mut Names) {
    let is_person = |n: &Names, i: usize| n.kinds[i].contains_key(&EntityKind::Person);
    let keys: Vec<(String, usize)> = n.index.iter().map(|(k, &i)| (k.clone(), i)).collect();
    for (key, i) in keys {
        if is_person(n, i) || !key.contains(' ') {
            continue;
        }
        let mut variants = Vec::new();
        if let Some((head, last)) = key.rsplit_once(' ') {
            if LEGAL_FORMS.contains(&last) && head.contains(' ') {
                variants.push(head.to_string());
            }
        }
        if let Some(singular) = key.strip_suffix('s') {
            variants.push(singular.to_string());
        }
        // `UN Security Council` is the `Security Council`: a leading acronym places it.
        let display = &n.display[i];
        if let Some((first, rest)) = display.split_once(' ') {
            if (2..=5).contains(&first.len()) && first.chars().all(|c| c.is_ascii_uppercase()) {
                variants.push(fold(rest));
            }
        }
        for v in variants {
            if let Some(&j) = n.index.get(&v) {
                if !is_person(n, j) {
                    n.union(j, i);
                }
            }
        }
    }
}

impl Registry {
    /// Merges the curated names and what each document says into entities.
    pub fn build(curated: &NameList, docs: &[DocNames]) -> Registry {
        let mut n = Names::default();
        let mut weak: Vec<(usize, String)> = Vec::new();
        for e in &curated.entities {
            let first = n.node(&e.name);
            n.curated[first] = Some((e.name.clone(), e.kind));
            for alias in &e.aliases {
                let a = n.node(alias);
                n.union(first, a);
            }
        }
        // A name one document gives no evidence for counts when another document names it too.
        let mut named_in: HashMap<String, usize> = HashMap::new();
        for d in docs {
            let mut here: Vec<String> = d.names.iter().chain(&d.unproven).map(|(name, _)| fold(name)).collect();
            here.sort_unstable();
            here.dedup();
            for key in here {
                *named_in.entry(key).or_default() += 1;
            }
        }
        // A name some document shows to be a place (`Forest Hill police`) is not listed where
        // another only says it twice.
        let places: HashSet<String> = docs.iter().flat_map(|d| &d.places).map(|p| fold(p)).collect();
        for d in docs {
            let proven = d
                .unproven
                .iter()
                .filter(|(name, _)| named_in.get(&fold(name)).is_some_and(|&c| c >= 2));
            for (name, kind) in d.names.iter().chain(proven) {
                if *kind == EntityKind::Other && places.contains(&fold(name)) {
                    continue;
                }
                let i = n.node(name);
                *n.kinds[i].entry(*kind).or_default() += 1;
            }
            for (a, b) in &d.pairs {
                let (a, b) = (n.node(a), n.node(b));
                n.union(a, b);
            }
            for (full, part) in &d.parts {
                let f = n.node(full);
                weak.push((f, part.clone()));
            }
        }

        merge_spelling_variants(&mut n);

        // Components → entities.
        let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..n.parent.len() {
            let r = n.root(i);
            members.entry(r).or_default().push(i);
        }
        let mut entities: Vec<Entity> = Vec::new();
        let mut entity_of_root: HashMap<usize, usize> = HashMap::new();
        for (root, nodes) in &members {
            let mut kinds: BTreeMap<EntityKind, u32> = BTreeMap::new();
            for &i in nodes {
                for (k, c) in &n.kinds[i] {
                    *kinds.entry(*k).or_default() += c;
                }
            }
            let (name, kind, curated) = match &n.curated[*root] {
                Some((name, kind)) => (name.clone(), *kind, true),
                None => {
                    let kind = if kinds.contains_key(&EntityKind::Person) {
                        EntityKind::Person
                    } else {
                        kinds
                            .iter()
                            .max_by_key(|(_, c)| **c)
                            .map_or(EntityKind::Other, |(k, _)| *k)
                    };
                    // Until mentions are counted: the fullest name (spaced Latin, then `·`).
                    let best = nodes
                        .iter()
                        .max_by_key(|&&i| {
                            (
                                n.display[i].contains(' '),
                                n.display[i].chars().count(),
                                std::cmp::Reverse(i),
                            )
                        })
                        .copied()
                        .unwrap_or(*root);
                    (n.display[best].clone(), kind, false)
                }
            };
            let mut keys = vec![fold(&name)];
            let mut aliases = Vec::new();
            for &i in nodes {
                let key = fold(&n.display[i]);
                if !keys.contains(&key) {
                    keys.push(key);
                    aliases.push(n.display[i].clone());
                }
            }
            entity_of_root.insert(*root, entities.len());
            let strong = keys.len();
            entities.push(Entity {
                name,
                kind,
                aliases,
                keys,
                mentions: 0,
                curated,
                strong,
                roles: Vec::new(),
                shared_parts: Vec::new(),
            });
        }
        // Weak aliases join the one entity that claims them.
        let mut claims: HashMap<String, (Vec<usize>, String)> = HashMap::new();
        for (node, part) in weak {
            let e = entity_of_root[&n.root(node)];
            let entry = claims.entry(fold(&part)).or_insert_with(|| (Vec::new(), part.clone()));
            if !entry.0.contains(&e) {
                entry.0.push(e);
            }
        }
        // A word of a place's name is no one's surname (`York` of New York).
        let place_words: HashSet<&str> = places.iter().flat_map(|p| p.split_whitespace()).collect();
        for (key, (claimants, display)) in claims {
            if place_words.contains(key.as_str()) {
                continue;
            }
            let node = n.index.get(&key).copied();
            let strong_elsewhere = node.map(|i| entity_of_root[&n.root(i)]);
            match claimants.as_slice() {
                [e] if strong_elsewhere.is_none_or(|s| s == *e) && !entities[*e].keys.contains(&key) => {
                    entities[*e].keys.push(key);
                    entities[*e].aliases.push(display);
                }
                // Two people called Wang: in a document naming only one of them, `Wang` is
                // that one (`/who` reads it so); elsewhere it is no one.
                // … and so is a surname that is another entity's name or alias.
                several => {
                    for &e in several.iter().filter(|&&e| strong_elsewhere != Some(e)) {
                        if several.len() > 1 || strong_elsewhere.is_some() {
                            entities[e].shared_parts.push(key.clone());
                        }
                    }
                }
            }
        }
        // Titles, counted over documents, the most used first.
        let mut role_counts: HashMap<usize, HashMap<&str, usize>> = HashMap::new();
        for d in docs {
            for (name, role) in &d.roles {
                if let Some(&node) = n.index.get(&fold(name)) {
                    let e = entity_of_root[&n.root(node)];
                    *role_counts.entry(e).or_default().entry(role.as_str()).or_default() += 1;
                }
            }
        }
        for (e, counts) in role_counts {
            let mut list: Vec<(&str, usize)> = counts.into_iter().collect();
            list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            entities[e].roles = list.into_iter().take(ROLES_KEPT).map(|(r, _)| r.to_string()).collect();
        }
        Registry::from_entities(entities)
    }

    /// A registry of the curated names only (before any corpus is read).
    pub fn from_curated(curated: &NameList) -> Registry {
        Registry::build(curated, &[])
    }

    fn from_entities(mut entities: Vec<Entity>) -> Registry {
        entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.name.cmp(&b.name)));
        let mut by_key = HashMap::new();
        let mut patterns = Vec::new();
        let mut pattern_entity = Vec::new();
        for (i, e) in entities.iter().enumerate() {
            for k in &e.keys {
                by_key.entry(k.clone()).or_insert(i);
                patterns.push(k.clone());
                pattern_entity.push(i);
            }
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        Registry {
            entities,
            by_key,
            matcher,
            pattern_entity,
        }
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn get(&self, i: usize) -> &Entity {
        &self.entities[i]
    }

    /// The entity one of whose names is exactly `name` (any script, any case).
    pub fn find(&self, name: &str) -> Option<usize> {
        let key = fold(name.trim());
        let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
        self.by_key.get(&key).copied()
    }

    /// Names of entities in a folded text: `(start, end, entity)`, leftmost-longest, Latin
    /// names only as whole words.
    pub fn spans(&self, folded: &str) -> Vec<(usize, usize, usize)> {
        let Some(m) = &self.matcher else { return Vec::new() };
        let mut out = Vec::new();
        let mut at = 0;
        // Leftmost-longest matches in one pass; a match that is not a whole word (`openai`
        // inside `openaix`) is skipped by restarting one character later.
        while at < folded.len() {
            let Some(hit) = m.find(aho_corasick::Input::new(folded).range(at..)) else {
                break;
            };
            let (s, e) = (hit.start(), hit.end());
            if is_word_at(folded, s, e) {
                out.push((s, e, self.pattern_entity[hit.pattern().as_usize()]));
                at = e;
            } else {
                at = s + folded[s..].chars().next().map_or(1, char::len_utf8);
            }
        }
        out
    }

    /// Entities for a partial input (autocomplete): names starting with it first, then close
    /// spellings; the most mentioned first within each group; at most `limit`.
    pub fn lookup(&self, input: &str, limit: usize) -> Vec<usize> {
        let q = fold(input.trim());
        if q.is_empty() {
            return (0..self.entities.len().min(limit)).collect();
        }
        let mut prefix: Vec<usize> = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            let hit = e
                .keys
                .iter()
                .any(|k| k.starts_with(&q) || k.split([' ', '·']).any(|w| w.starts_with(&q)));
            if hit {
                prefix.push(i);
            }
        }
        let mut out = prefix;
        if out.len() < limit {
            for i in self.suggest(input, limit) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out.truncate(limit);
        out
    }

    /// Entities whose names are spelled closely to `input`, closest first.
    pub fn suggest(&self, input: &str, limit: usize) -> Vec<usize> {
        let q = fold(input.trim());
        let mut scored: Vec<(f64, usize)> = self
            .entities
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let best = e.keys.iter().map(|k| similarity(&q, k)).fold(0.0, f64::max);
                (best >= 0.6).then_some((best, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(limit).map(|(_, i)| i).collect()
    }

    /// Sets mention counts (`counts[i][k]` = paragraphs naming entity `i` by its key `k`,
    /// `totals[i]` = by any key) and names each uncurated entity by its most used name.
    pub fn set_mentions(self, totals: &[u64], per_key: &[Vec<u64>]) -> Registry {
        let mut entities = self.entities;
        for (i, e) in entities.iter_mut().enumerate() {
            e.mentions = totals.get(i).copied().unwrap_or(0);
            if e.curated {
                continue;
            }
            let Some(counts) = per_key.get(i) else { continue };
            // Weak aliases (parts) never become the name.
            let strong = e.strong.min(e.keys.len());
            let names: Vec<String> = std::iter::once(e.name.clone())
                .chain(e.aliases.iter().cloned())
                .collect();
            if let Some((best, _)) = counts
                .iter()
                .take(strong)
                .enumerate()
                .max_by_key(|(j, c)| (**c, std::cmp::Reverse(*j)))
            {
                if best != 0 && counts[best] > counts[0] {
                    let new_name = names[best].clone();
                    e.aliases.retain(|a| a != &new_name);
                    e.aliases.insert(0, e.name.clone());
                    e.name = new_name;
                    let k = e.keys.remove(best);
                    e.keys.insert(0, k);
                }
            }
        }
        entities.retain(|e| e.mentions > 0 || e.curated);
        drop_fragments(&mut entities);
        Registry::from_entities(entities)
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec(&self.entities)?)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))?;
        Ok(())
    }

    pub fn load(path: &Path) -> Option<Registry> {
        let bytes = std::fs::read(path).ok()?;
        let entities: Vec<Entity> = serde_json::from_slice(&bytes).ok()?;
        Some(Registry::from_entities(entities))
    }
}

/// Closeness of two folded names in 0..=1: edit similarity for Latin, shared characters for
/// CJK (where one wrong character in three is already a different name).
fn similarity(a: &str, b: &str) -> f64 {
    if a.chars().any(is_cjk) || b.chars().any(is_cjk) {
        let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let common = ac.iter().filter(|c| bc.contains(c)).count();
        return 2.0 * common as f64 / (ac.len() + bc.len()).max(1) as f64;
    }
    let (la, lb) = (a.chars().count() as f64, b.chars().count() as f64);
    // Jaro-Winkler flatters short strings; trust it only between names of similar length.
    let jw = if la.min(lb) / la.max(lb).max(1.0) >= 0.7 {
        strsim::jaro_winkler(a, b) - 0.15
    } else {
        0.0
    };
    strsim::normalized_levenshtein(a, b).max(jw)
}

/// Drops discovered names that are only pieces of a longer name: jieba's unknown-word model
/// cuts 特朗普 into 特朗 + 普 now and then and tags the piece as a person, and the piece is
/// then "mentioned" wherever the whole name is. A Chinese piece found (almost) only inside
/// another entity's name is no one.
fn drop_fragments(entities: &mut Vec<Entity>) {
    let cjk = |k: &str| k.chars().all(|c| is_cjk(c) || super::discover::NAME_DOTS.contains(&c));
    // For each piece (2+ characters) of a Chinese name: the two most mentioned entities
    // whose names hold it, as (entity, mentions).
    let mut holders: HashMap<String, [(usize, u64); 2]> = HashMap::new();
    for (n, e) in entities.iter().enumerate() {
        for key in e.keys.iter().filter(|k| cjk(k)) {
            let chars: Vec<usize> = key.char_indices().map(|(i, _)| i).chain([key.len()]).collect();
            let len = chars.len() - 1;
            for i in 0..len {
                for j in i + 2..=len.min(i + 8) {
                    if i == 0 && j == len {
                        continue;
                    }
                    let top = holders
                        .entry(key[chars[i]..chars[j]].to_string())
                        .or_insert([(usize::MAX, 0); 2]);
                    if top.iter().any(|t| t.0 == n) {
                        continue;
                    }
                    if e.mentions > top[0].1 {
                        top[1] = top[0];
                        top[0] = (n, e.mentions);
                    } else if e.mentions > top[1].1 {
                        top[1] = (n, e.mentions);
                    }
                }
            }
        }
    }
    let mut n = 0;
    entities.retain(|e| {
        let me = n;
        n += 1;
        let piece = !e.curated
            && !e.keys.is_empty()
            && e.keys.iter().all(|k| {
                cjk(k)
                    && holders.get(k).is_some_and(|top| {
                        top.iter()
                            .any(|&(other, whole)| other != me && other != usize::MAX && whole * 10 >= e.mentions * 9)
                    })
            });
        !piece
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curated() -> NameList {
        NameList::parse(include_str!("../../data/corpus/entities.toml")).unwrap()
    }

    fn doc(names: &[(&str, EntityKind)], pairs: &[(&str, &str)], parts: &[(&str, &str)]) -> DocNames {
        DocNames {
            names: names.iter().map(|(n, k)| (n.to_string(), *k)).collect(),
            pairs: pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
            parts: parts.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
            ..DocNames::default()
        }
    }

    #[test]
    fn a_name_without_evidence_counts_once_two_documents_give_it() {
        use EntityKind::Person;
        let unproven = |name: &str| DocNames {
            unproven: vec![(name.to_string(), Person)],
            ..DocNames::default()
        };
        let names = NameList::default();
        let once = Registry::build(&names, &[unproven("Jane Roe"), unproven("Ann Other")]);
        assert!(once.entities().is_empty(), "{:?}", once.entities());
        let twice = Registry::build(&names, &[unproven("Jane Roe"), unproven("Jane Roe")]);
        assert_eq!(twice.entities().len(), 1);
        let proven_elsewhere = Registry::build(&names, &[unproven("Jane Roe"), doc(&[("Jane Roe", Person)], &[], &[])]);
        assert_eq!(proven_elsewhere.entities().len(), 1);
    }

    #[test]
    fn merges_aliases_across_scripts_languages_and_documents() {
        use EntityKind::Person;
        let docs = vec![
            doc(
                &[("Alexandr Wang", Person), ("汪滔", Person)],
                &[("Alexandr Wang", "汪滔")],
                &[("Alexandr Wang", "Wang")],
            ),
            doc(&[("趙晟佳", Person)], &[("趙晟佳", "Shengjia Zhao")], &[]),
            doc(&[("赵晟佳", Person)], &[], &[]),
            doc(
                &[("Ruben Mayer", Person)],
                &[("RubenMayer", "Ruben Mayer")],
                &[("Ruben Mayer", "Mayer")],
            ),
        ];
        let r = Registry::build(&curated(), &docs);
        let wang = r.find("汪滔").unwrap();
        assert_eq!(r.find("alexandr WANG"), Some(wang));
        assert_eq!(r.find("Wang"), Some(wang), "a surname used alone joins its one owner");
        assert_eq!(r.find("赵晟佳"), r.find("Shengjia Zhao"), "both scripts are one entity");
        assert_eq!(r.find("rubenmayer"), r.find("Ruben Mayer"));
        // Curated aliases: nicknames and variant spellings.
        let zuck = r.find("小扎").unwrap();
        assert_eq!(r.find("Zuckerberg"), Some(zuck));
        assert_eq!(r.get(zuck).name, "马克·扎克伯格");
        assert_eq!(r.find("龐若鳴"), r.find("庞若明"));
        assert_eq!(r.find("LeCun"), r.find("楊立昆"));
        assert_eq!(r.find("马克"), None, "parts of curated names need the text's evidence");
        assert!(r.find("Elon Musk").is_none());
    }

    #[test]
    fn pieces_of_longer_names_are_dropped() {
        use EntityKind::Person;
        let docs = vec![
            doc(&[("特朗普", Person), ("特朗", Person)], &[], &[]),
            doc(&[("王晓", Person), ("王晓明", Person)], &[], &[]),
        ];
        let r = Registry::build(&NameList::default(), &docs);
        let count = |name: &str| r.entities().iter().position(|e| e.name == name);
        let mentions: Vec<u64> = r
            .entities()
            .iter()
            .map(|e| match e.name.as_str() {
                "特朗普" => 175,
                "特朗" => 179, // only ever inside 特朗普
                "王晓明" => 20,
                "王晓" => 48, // also someone of their own
                _ => 1,
            })
            .collect();
        let per_key: Vec<Vec<u64>> = r.entities().iter().map(|e| vec![0; e.keys.len()]).collect();
        assert!(count("特朗").is_some() && count("王晓").is_some());
        let r = r.set_mentions(&mentions, &per_key);
        let names: Vec<&str> = r.entities().iter().map(|e| e.name.as_str()).collect();
        assert!(!names.contains(&"特朗"), "{names:?}");
        assert!(
            names.contains(&"特朗普") && names.contains(&"王晓") && names.contains(&"王晓明"),
            "{names:?}"
        );
    }

    #[test]
    fn spellings_of_one_organisation_merge_and_people_stay_apart() {
        use EntityKind::{Org, Person};
        let docs = vec![
            doc(&[("Ceres Robotics Inc", Org), ("Emirates Airline", Org)], &[], &[]),
            doc(&[("Ceres Robotics", Org), ("Emirates Airlines", Org)], &[], &[]),
            doc(&[("Jan Roe", Person), ("Jan Roes", Person)], &[], &[]),
        ];
        let r = Registry::build(&NameList::default(), &docs);
        assert_eq!(r.find("Ceres Robotics"), r.find("ceres robotics inc"));
        assert_eq!(r.find("Emirates Airline"), r.find("Emirates Airlines"));
        assert_ne!(r.find("Jan Roe"), r.find("Jan Roes"));
    }

    #[test]
    fn places_are_not_listed_and_their_words_are_no_surnames() {
        use EntityKind::{Other, Person};
        let mut place_doc = doc(&[], &[], &[]);
        place_doc.places = vec!["New York".into(), "Forest Hill".into()];
        let docs = vec![
            doc(&[("Kate York", Person)], &[], &[("Kate York", "York")]),
            doc(&[("Forest Hill", Other)], &[], &[]),
            doc(&[("Jane Roe", Person)], &[], &[("Jane Roe", "Roe")]),
            place_doc,
        ];
        let r = Registry::build(&NameList::default(), &docs);
        assert!(r.find("Kate York").is_some());
        assert_eq!(r.find("York"), None, "York is also a word of New York");
        assert_eq!(r.find("Forest Hill"), None, "a place elsewhere: {:?}", r.entities());
        assert_eq!(r.find("Roe"), r.find("Jane Roe"));
    }

    #[test]
    fn titles_are_kept_per_entity_the_most_used_first() {
        use EntityKind::Person;
        let titled = |role: &str| DocNames {
            names: vec![("Robert Mugabe".into(), Person)],
            roles: vec![("Robert Mugabe".into(), role.into())],
            ..DocNames::default()
        };
        let docs = vec![
            titled("President"),
            titled("Zimbabwe President"),
            titled("Zimbabwe President"),
        ];
        let r = Registry::build(&NameList::default(), &docs);
        let e = r.get(r.find("Robert Mugabe").unwrap());
        assert_eq!(e.roles, vec!["Zimbabwe President".to_string(), "President".to_string()]);
    }

    #[test]
    fn a_name_only_declared_in_a_pair_has_no_kind_of_its_own() {
        let docs = vec![doc(&[], &[("Joel Eriksson Ek", "Eriksson Ek")], &[])];
        let r = Registry::build(&NameList::default(), &docs);
        let e = r.get(r.find("Eriksson Ek").unwrap());
        assert_eq!(e.kind, EntityKind::Other, "not an organisation by default");
    }

    #[test]
    fn a_shared_surname_merges_nobody() {
        use EntityKind::Person;
        let docs = vec![
            doc(&[("Alexandr Wang", Person)], &[], &[("Alexandr Wang", "Wang")]),
            doc(&[("Jian Wang", Person)], &[], &[("Jian Wang", "Wang")]),
        ];
        let r = Registry::build(&NameList::default(), &docs);
        assert_ne!(r.find("Alexandr Wang"), r.find("Jian Wang"));
        assert_eq!(r.find("Wang"), None, "ambiguous surnames are dropped");
        for name in ["Alexandr Wang", "Jian Wang"] {
            let e = r.get(r.find(name).unwrap());
            assert_eq!(
                e.shared_parts,
                vec!["wang".to_string()],
                "kept for documents naming one"
            );
        }
    }

    #[test]
    fn spans_lookup_and_suggestions() {
        let r = Registry::from_curated(&curated());
        let text = fold("扎克伯格和alexandr wang在openai见了avocado团队");
        let names: Vec<&str> = r.spans(&text).iter().map(|&(s, e, _)| &text[s..e]).collect();
        assert_eq!(names, vec!["扎克伯格", "alexandr wang", "openai", "avocado"]);
        assert!(r.spans(&fold("metaverse")).is_empty(), "no names inside longer words");
        let got: Vec<&str> = r.lookup("zuck", 25).iter().map(|&i| r.get(i).name.as_str()).collect();
        assert_eq!(got.first(), Some(&"马克·扎克伯格"));
        assert!(r.lookup("", 25).len() <= 25);
        let near: Vec<&str> = r
            .suggest("Alexander Wang", 3)
            .iter()
            .map(|&i| r.get(i).name.as_str())
            .collect();
        assert_eq!(near.first(), Some(&"Alexandr Wang"));
        assert!(r.suggest("Elon Musk", 3).is_empty());
        assert!(r.suggest("Sam Altman", 3).is_empty());
        assert_eq!(
            r.suggest("扎克伯", 3).first().map(|&i| r.get(i).name.as_str()),
            Some("马克·扎克伯格")
        );
    }
}
