//! Script and width folding for matching, with a map back to the original text.
//!
//! Matching must treat `龐若鳴` and `庞若鸣`, `ＡＩ` and `ai` as the same, but every excerpt
//! and highlight must point into the document's own text. So folding produces a new string
//! *and* a byte-offset map back into the original. Most characters fold to a character of the
//! same UTF-8 length (Traditional → Simplified, ASCII case), so the map is only materialised
//! once a length-changing fold (full-width forms, dropped zero-width characters) appears.
//!
//! Traditional → Simplified uses a per-character table derived once from ferrous-opencc's
//! dictionaries: a table lookup runs at memory speed, while the phrase converter is about
//! thirty times slower and may rewrite multi-character words, which would break offsets.

use std::sync::OnceLock;

use ferrous_opencc::{config::BuiltinConfig, OpenCC};

/// The CJK blocks the table covers: Extension A, the Unified block and the
/// compatibility ideographs. Characters outside it fold only by the rules below.
const TABLE_START: u32 = 0x3400;
const TABLE_END: u32 = 0xFAFF;

fn t2s_table() -> &'static [char] {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    TABLE.get_or_init(build_t2s_table)
}

/// Builds the table by converting every ideograph on its own line, so no phrase rule can
/// span two characters; a character is mapped only when OpenCC maps it to exactly one
/// other character.
fn build_t2s_table() -> Vec<char> {
    let chars: Vec<char> = (TABLE_START..=TABLE_END)
        .map(|u| char::from_u32(u).unwrap_or('\u{FFFD}'))
        .collect();
    let mut table = chars.clone();
    let converter = match OpenCC::from_config(BuiltinConfig::T2s) {
        Ok(c) => c,
        // Without the dictionary only Simplified text matches itself; never fatal.
        Err(err) => {
            tracing::error!("script folding disabled: cannot load OpenCC t2s: {err:#}");
            return table;
        }
    };
    let mut input = String::with_capacity(chars.len() * 4);
    for c in &chars {
        input.push(*c);
        input.push('\n');
    }
    let output = converter.convert(&input);
    let lines: Vec<&str> = output.split('\n').collect();
    if lines.len() < chars.len() {
        tracing::error!("script folding table is incomplete; OpenCC changed line structure");
        return table;
    }
    for (slot, line) in table.iter_mut().zip(lines) {
        let mut it = line.chars();
        if let (Some(s), None) = (it.next(), it.next()) {
            *slot = s;
        }
    }
    table
}

/// Folds one character for matching; `None` means the character carries nothing to
/// match on (zero-width and control characters) and is dropped.
#[inline]
pub fn fold_char(c: char) -> Option<char> {
    let u = c as u32;
    if u < 0x80 {
        if c.is_ascii_control() && c != '\n' && c != '\t' {
            return None;
        }
        return Some(c.to_ascii_lowercase());
    }
    if (TABLE_START..=TABLE_END).contains(&u) {
        return Some(t2s_table()[(u - TABLE_START) as usize]);
    }
    match u {
        // Full-width ASCII forms and the ideographic space.
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).map(|c| c.to_ascii_lowercase()),
        0x3000 => Some(' '),
        // Zero-width spaces and joiners, word joiner, byte order mark, soft hyphen.
        0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF | 0x00AD => None,
        // Punctuation and symbols of CJK text have no case: skip the Unicode case tables.
        0x2010..=0x33FF | 0xFE30..=0xFE4F => Some(c),
        _ if c.is_control() => None,
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => Some(l),
                _ => Some(c),
            }
        }
    }
}

/// A folded copy of a text plus the way back to byte offsets in the original.
#[derive(Debug, Clone)]
pub struct Folded {
    pub text: String,
    /// `map[i]` is the original byte offset of folded byte `i` (length `text.len() + 1`);
    /// `None` while every fold so far kept byte lengths, so offsets are identical.
    map: Option<Vec<u32>>,
    /// The language of the text's Latin words, read once on first use.
    lang: OnceLock<super::Lang>,
}

impl Folded {
    /// The language of the text's Latin words (see [`super::Lang::of`]), read on the folded
    /// text so the index and the matching of a passage always agree.
    pub fn lang(&self) -> super::Lang {
        *self.lang.get_or_init(|| super::Lang::of(&self.text))
    }

    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut map: Option<Vec<u32>> = None;
        for (pos, c) in original.char_indices() {
            let folded = fold_char(c);
            let same_len = folded.is_some_and(|f| f.len_utf8() == c.len_utf8());
            if !same_len && map.is_none() {
                // First length change: materialise the identity map for what came before.
                map = Some((0..text.len() as u32).collect());
            }
            if let Some(f) = folded {
                if let Some(m) = map.as_mut() {
                    for _ in 0..f.len_utf8() {
                        m.push(pos as u32);
                    }
                }
                text.push(f);
            }
        }
        if let Some(m) = map.as_mut() {
            m.push(original.len() as u32);
        }
        Folded {
            text,
            map,
            lang: OnceLock::new(),
        }
    }

    /// The original byte offset of a folded byte offset (a char boundary of `text`, or its end).
    pub fn original_offset(&self, folded: usize) -> usize {
        match &self.map {
            None => folded,
            Some(m) => m[folded.min(m.len() - 1)] as usize,
        }
    }

    /// Maps a folded byte range to the original byte range it came from. `original` must be
    /// the text this was folded from; it lets the end stop at the last folded character
    /// instead of swallowing characters that were dropped after it.
    pub fn original_range(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let s = self.original_offset(start);
        if end <= start || self.map.is_none() {
            return (s, self.original_offset(end).max(s));
        }
        let last_len = self.text[..end].chars().next_back().map_or(0, char::len_utf8);
        let last_start = self.original_offset(end - last_len);
        let last_orig_len = original[last_start..].chars().next().map_or(0, char::len_utf8);
        (s, last_start + last_orig_len)
    }
}

/// Folds a whole string for matching (no offset map).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().filter_map(fold_char));
    out
}

/// True for characters of scripts written without spaces between words (Han, kana, Hangul).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// True for characters that can be part of a searchable word.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_cjk(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_traditional_to_simplified_in_place() {
        let f = Folded::new("龐若鳴匯報");
        assert_eq!(f.text, "庞若鸣汇报");
        assert_eq!(f.original_offset(3), 3);
    }

    #[test]
    fn folds_width_and_case_and_maps_back() {
        let original = "Ｍeta的ＡＩ";
        let f = Folded::new(original);
        assert_eq!(f.text, "meta的ai");
        let start = f.text.find("ai").unwrap();
        let (s, e) = f.original_range(original, start, start + 2);
        assert_eq!(&original[s..e], "ＡＩ");
        let (s, e) = f.original_range(original, 0, 4);
        assert_eq!(&original[s..e], "Ｍeta");
    }

    #[test]
    fn drops_zero_width_and_controls() {
        let original = "牛\u{200B}油果\u{0007}";
        let f = Folded::new(original);
        assert_eq!(f.text, "牛油果");
        let (s, e) = f.original_range(original, 3, 9);
        assert_eq!(&original[s..e], "油果");
        let (s, e) = f.original_range(original, 0, 3);
        assert_eq!(&original[s..e], "牛");
    }

    #[test]
    fn leaves_simplified_and_symbols_alone() {
        assert_eq!(fold("扎克伯格 2025年—OpenAI!"), "扎克伯格 2025年—openai!");
        assert!(is_cjk('扎') && !is_cjk('a'));
    }
}
