//! The curated names file (`data/entities.toml`): people, organisations and product code
//! names with their aliases.
//!
//! Kept in text/ because the segmenter needs it first (its Chinese aliases become dictionary
//! words); query expansion and the knowledge layer read the same list.

use serde::Deserialize;

use super::fold::{fold, is_cjk};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Org,
    Product,
    /// A name whose kind the text does not tell.
    Other,
}

impl EntityKind {
    /// The jieba part-of-speech tag words of this kind get in the user dictionary.
    /// The kind jieba's part-of-speech tag suggests, if it is a name at all.
    pub fn from_pos_tag(tag: &str) -> Option<EntityKind> {
        match tag {
            t if t.starts_with("nr") => Some(EntityKind::Person),
            "nt" | "ns" => Some(EntityKind::Org),
            "nz" => Some(EntityKind::Product),
            "eng" => Some(EntityKind::Other),
            _ => None,
        }
    }

    /// How the kind reads in answers.
    pub fn label(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Org => "organisation",
            EntityKind::Product => "product or code name",
            EntityKind::Other => "name",
        }
    }

    pub fn pos_tag(self) -> &'static str {
        match self {
            EntityKind::Person => "nr",
            EntityKind::Org => "nt",
            EntityKind::Product | EntityKind::Other => "nz",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CuratedEntity {
    pub kind: EntityKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl CuratedEntity {
    /// The canonical name followed by every alias.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NameList {
    #[serde(default, rename = "entity")]
    pub entities: Vec<CuratedEntity>,
}

impl NameList {
    pub fn parse(toml_text: &str) -> anyhow::Result<NameList> {
        let list: NameList = toml::from_str(toml_text)?;
        for e in &list.entities {
            anyhow::ensure!(!e.name.trim().is_empty(), "an entity has an empty name");
        }
        Ok(list)
    }

    /// Chinese words for the segmenter's dictionary, with their part-of-speech tag, folded
    /// to Simplified because segmentation runs on folded text.
    pub fn dictionary_words(&self) -> Vec<(String, &'static str)> {
        let mut words = Vec::new();
        for e in &self.entities {
            for name in e.all_names() {
                let folded = fold(name);
                // Only unspaced CJK words belong in jieba's dictionary; Latin names are split
                // on spaces before the dictionary is consulted.
                if folded.chars().any(is_cjk) && !folded.contains(char::is_whitespace) {
                    let word: String = folded.chars().filter(|c| *c != '·' && *c != '•').collect();
                    words.push((word, e.kind.pos_tag()));
                    if word_differs(&folded) {
                        words.push((folded, e.kind.pos_tag()));
                    }
                }
            }
        }
        words
    }

    /// The entity one of whose names folds to `folded` (an exact alias, not a substring).
    pub fn find(&self, folded: &str) -> Option<&CuratedEntity> {
        self.entities.iter().find(|e| e.all_names().any(|n| fold(n) == folded))
    }
}

fn word_differs(folded: &str) -> bool {
    folded.contains('·') || folded.contains('•')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_offers_dictionary_words() {
        let list = NameList::parse(
            r#"
            [[entity]]
            kind = "person"
            name = "馬克·扎克伯格"
            aliases = ["扎克伯格", "Mark Zuckerberg"]
            "#,
        )
        .unwrap();
        let words: Vec<String> = list.dictionary_words().into_iter().map(|w| w.0).collect();
        assert!(words.contains(&"马克扎克伯格".to_string()));
        assert!(words.contains(&"马克·扎克伯格".to_string()));
        assert!(words.contains(&"扎克伯格".to_string()));
        assert!(!words.iter().any(|w| w.contains("zuckerberg")));
        assert_eq!(list.find("mark zuckerberg").unwrap().name, "馬克·扎克伯格");
    }

    #[test]
    fn rejects_bad_files() {
        assert!(NameList::parse("[[entity]]\nkind = \"alien\"\nname = \"x\"").is_err());
        assert!(NameList::parse("[[entity]]\nkind = \"person\"\nname = \" \"").is_err());
    }
}
