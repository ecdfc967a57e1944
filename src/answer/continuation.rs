//! A passage that introduces what follows ("MSL now has four units:", "The changes are as
//! follows:") says nothing by itself: the answer is the next paragraph or the list after it.
//! Such a passage is quoted together with what it introduces, as one item citing both ends.

use anyhow::Result;

use crate::index::SearchIndex;

/// List items carried after an introducing passage, at most.
const MAX_ITEMS: u64 = 8;

/// Whether a passage ends by introducing what follows: a colon, in either width.
pub fn introduces(text: &str) -> bool {
    text.trim_end().ends_with([':', '：'])
}

/// Whether a paragraph reads as an item of a list: a bullet, or a number or letter marker
/// (`1.`, `2)`, `(3)`, `①`, `一、`, `a)`).
pub fn is_list_item(text: &str) -> bool {
    let t = text.trim_start();
    let mut chars = t.chars();
    let Some(first) = chars.next() else { return false };
    if "•·‧∙◦▪▫■□●○◆◇-–—*►▸✓✔".contains(first) {
        return true;
    }
    if ('①'..='⑳').contains(&first) || ('⑴'..='⒇').contains(&first) {
        return true;
    }
    // A short marker: up to three digits, Chinese numerals or one Latin letter, then its mark.
    let marker: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .collect();
    let rest = &t[marker.len()..];
    if !marker.is_empty() && marker.chars().count() <= 3 {
        // `1.5 billion` is a number, not item 1.
        let mut after = rest.chars();
        return matches!(after.next(), Some('.' | ')' | '、' | '）' | '．'))
            && !after.next().is_some_and(|c| c.is_ascii_digit());
    }
    if let Some(inner) = t.strip_prefix(['(', '（']) {
        let n: String = inner.chars().take_while(|c| c.is_alphanumeric()).collect();
        return !n.is_empty() && n.chars().count() <= 3 && inner[n.len()..].starts_with([')', '）']);
    }
    first.is_ascii_lowercase() && t[1..].starts_with(')')
}

/// The paragraphs a passage introduces: the next one always, and the list items right after
/// it. Returns the joined text (one paragraph per line, each verbatim) and the last paragraph
/// number, or `None` when the document has no next paragraph.
pub fn continue_from(index: &SearchIndex, doc: &str, para: u64, text: &str) -> Result<Option<(String, u64)>> {
    let Some(next) = index.paragraph(doc, para + 1)? else {
        return Ok(None);
    };
    let mut joined = format!("{}\n{}", text.trim_end(), next.trim());
    let mut last = para + 1;
    let first_is_item = is_list_item(&next);
    // A list goes on while its items do; a plain paragraph after the colon is the whole answer.
    if first_is_item || introduces(&next) {
        while last < para + MAX_ITEMS {
            match index.paragraph(doc, last + 1)? {
                Some(item) if is_list_item(&item) => {
                    joined.push('\n');
                    joined.push_str(item.trim());
                    last += 1;
                }
                _ => break,
            }
        }
    }
    Ok(Some((joined, last)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_colon_introduces_in_both_widths() {
        assert!(introduces("最终现在MSL有4个子机构:"));
        assert!(introduces("The company named three new executives： "));
        assert!(!introduces("He said: \"no\"."));
    }

    #[test]
    fn list_markers_are_recognised_and_numbers_are_not() {
        for item in [
            "• TBD Lab",
            "1. FAIR",
            "2) PAR",
            "(3) Infra",
            "①研究",
            "一、研究",
            "- item",
            "a) first",
        ] {
            assert!(is_list_item(item), "{item}");
        }
        for text in [
            "2019年3月",
            "1.5 billion users",
            "4 units",
            "TBD Lab、FAIR",
            "Apple said",
            "(Reuters) -",
        ] {
            assert!(!is_list_item(text), "{text}");
        }
    }
}
