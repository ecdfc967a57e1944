//! The product's data files: page-furniture rules, question words and the words that describe
//! people, and a corpus's own curated names.
//!
//! The generic files are read from a data folder (default `data/`) so a team can adapt them
//! without a rebuild; a file missing there falls back to the copy compiled into the binary, so
//! the program also works from any working directory. Curated names belong to one corpus: they
//! are read from `entities.toml` in the corpus folder itself, and nothing of them is compiled
//! in (one corpus's names must never leak into another's answers). A file that exists but is
//! broken is an error naming the file: silently falling back would hide the team's change.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::answer::question::QueryRules;
use crate::corpus::Boilerplate;
use crate::knowledge::KnowledgeRules;
use crate::text::NameList;

pub const BOILERPLATE_FILE: &str = "boilerplate.toml";
pub const ENTITIES_FILE: &str = "entities.toml";
pub const QUERY_FILE: &str = "query.toml";
pub const KNOWLEDGE_FILE: &str = "knowledge.toml";

/// A corpus without its own `boilerplate.toml` gets the generic furniture rules alone
/// (`corpus/generic.toml`, always applied), and one without `entities.toml` no curated names:
/// nothing about any one site or corpus is compiled in.
const EMBEDDED: &[(&str, &str)] = &[
    (BOILERPLATE_FILE, ""),
    (ENTITIES_FILE, ""),
    (QUERY_FILE, include_str!("../data/query.toml")),
    (KNOWLEDGE_FILE, include_str!("../data/knowledge.toml")),
];

pub struct Rules {
    pub boilerplate: Boilerplate,
    pub names: NameList,
    pub query: QueryRules,
    pub knowledge: KnowledgeRules,
    /// Hash of the files' contents: an index built under other rules is rebuilt.
    pub fingerprint: String,
}

impl Rules {
    /// Loads the rules of a corpus: the generic files from the data folder `data` and the
    /// curated names from the corpus folder (see the module comment).
    pub fn for_corpus(data: &Path, corpus: &Path) -> Result<Rules> {
        if data.join(ENTITIES_FILE).is_file() && !corpus.join(ENTITIES_FILE).is_file() {
            tracing::warn!(
                "{} is not read: curated names belong to their corpus, in {}",
                data.join(ENTITIES_FILE).display(),
                corpus.join(ENTITIES_FILE).display()
            );
        }
        Rules::load_with_names(data, Some(corpus))
    }

    /// Loads the rules from `dir`, falling back to the embedded copy per missing file, with
    /// no curated names.
    pub fn load(dir: &Path) -> Result<Rules> {
        Rules::load_with_names(dir, None)
    }

    fn load_with_names(dir: &Path, corpus: Option<&Path>) -> Result<Rules> {
        let mut hasher = Sha256::new();
        hasher.update(crate::corpus::boilerplate::GENERIC.as_bytes());
        let mut texts = Vec::new();
        for (name, embedded) in EMBEDDED {
            let path: PathBuf = match (*name, corpus) {
                (ENTITIES_FILE, Some(corpus)) => corpus.join(name),
                (ENTITIES_FILE, None) => PathBuf::from("/nonexistent-dossier-corpus").join(name),
                _ => dir.join(name),
            };
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => embedded.to_string(),
                Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
            };
            hasher.update(name.as_bytes());
            hasher.update(text.as_bytes());
            texts.push((path, text));
        }
        let ctx = |i: usize| format!("in {}", texts[i].0.display());
        Ok(Rules {
            boilerplate: Boilerplate::with_generic(Some(texts[0].1.as_str()).filter(|t| !t.trim().is_empty()))
                .with_context(|| ctx(0))?,
            names: NameList::parse(&texts[1].1).with_context(|| ctx(1))?,
            query: QueryRules::parse(&texts[2].1).with_context(|| ctx(2))?,
            knowledge: KnowledgeRules::parse(&texts[3].1).with_context(|| ctx(3))?,
            fingerprint: format!("{:x}", hasher.finalize()),
        })
    }

    /// The rules compiled into the binary.
    pub fn embedded() -> Rules {
        Rules::load(Path::new("/nonexistent-dossier-data")).expect("embedded rules are valid")
    }
}
