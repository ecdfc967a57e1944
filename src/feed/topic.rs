//! Which entries a feed with a topic takes: those whose title or summary mention every word
//! of the topic, in either script and any case (`港口` matches `港口扩建`, `Harbour` matches
//! `harbour`).

use super::Entry;

/// Whether `entry` is about `topic` (always, without one).
pub fn matches(topic: Option<&str>, entry: &Entry) -> bool {
    let Some(topic) = topic.map(str::trim).filter(|t| !t.is_empty()) else {
        return true;
    };
    let text = crate::text::fold(&format!("{}\n{}", entry.title, entry.summary));
    topic
        .split_whitespace()
        .map(crate::text::fold)
        .all(|word| text.contains(&word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, summary: &str) -> Entry {
        Entry {
            id: "x".into(),
            link: None,
            title: title.into(),
            summary: summary.into(),
            published: None,
        }
    }

    #[test]
    fn every_word_in_title_or_summary_in_any_script_or_case() {
        let e = entry("Harbour expansion approved", "The port commission voted on Thursday");
        assert!(matches(None, &e));
        assert!(matches(Some("harbour"), &e));
        assert!(matches(Some("HARBOUR commission"), &e));
        assert!(!matches(Some("harbour floods"), &e));
        assert!(!matches(Some("river"), &e));
        let zh = entry("港口擴建獲批", "");
        assert!(matches(Some("港口扩建"), &zh), "Simplified topic, Traditional title");
        assert!(!matches(Some("洪水"), &zh));
    }
}
