//! Saved HTML pages → lines of text, so they go through the same cleaning as text pages.
//!
//! Not a browser: scripts, styles and comments go, block elements become line breaks, other
//! tags disappear and character references are decoded. The page's `<title>` becomes the
//! first line, where cleaning looks for the headline.

use std::sync::LazyLock;

use regex::Regex;

static DROPPED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<!--.*?-->|<(script|style|noscript|template|svg|head)\b[^>]*>.*?</(script|style|noscript|template|svg|head)\s*>")
        .unwrap()
});
static TITLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?is)<title\b[^>]*>(.*?)</title\s*>").unwrap());
static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</?(p|div|br|h[1-6]|li|ul|ol|tr|td|th|table|section|article|header|footer|nav|aside|blockquote|pre|hr|figure|figcaption|main|dd|dt|dl)\b[^>]*>")
        .unwrap()
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").unwrap());
static ENTITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});").unwrap());

/// Whether decoded text looks like an HTML page rather than prose.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text.chars().take(2000).collect::<String>().to_lowercase();
    head.contains("<html") || head.contains("<!doctype html") || (head.contains("<body") && head.contains("</"))
}

pub fn to_text(html: &str) -> String {
    let title = TITLE
        .captures(html)
        .map(|c| decode_entities(&TAG.replace_all(&c[1], "")).trim().to_string());
    let body = DROPPED.replace_all(html, "\n");
    let body = BLOCK.replace_all(&body, "\n");
    let body = TAG.replace_all(&body, "");
    let body = decode_entities(&body);
    let mut lines: Vec<String> = body
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(t) = title.filter(|t| !t.is_empty()) {
        if lines.first() != Some(&t) {
            lines.insert(0, t);
        }
    }
    lines.join("\n\n")
}

fn decode_entities(s: &str) -> String {
    ENTITY
        .replace_all(s, |c: &regex::Captures| {
            let name = &c[1];
            let decoded = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    "mdash" => Some('—'),
                    "ndash" => Some('–'),
                    "hellip" => Some('…'),
                    "ldquo" => Some('“'),
                    "rdquo" => Some('”'),
                    "lsquo" => Some('‘'),
                    "rsquo" => Some('’'),
                    "middot" => Some('·'),
                    _ => None,
                }
            };
            decoded.map_or_else(|| c[0].to_string(), |ch| ch.to_string())
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_title_and_paragraphs() {
        let html = r#"<!DOCTYPE html><html><head><title>牛油果推遲 &amp; 裁員</title><style>p{}</style></head>
            <body><script>var x = "<p>no</p>";</script><!-- hidden -->
            <h1>牛油果推遲 &amp; 裁員</h1><p>Meta的新模型<b>推遲</b>到5月。</p><p>扎克伯格&nbsp;表示&#8212;&#x2014;不滿。</p></body></html>"#;
        assert!(looks_like_html(html));
        let text = to_text(html);
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            vec!["牛油果推遲 & 裁員", "Meta的新模型推遲到5月。", "扎克伯格 表示——不滿。"]
        );
        assert!(!looks_like_html("牛油果 <推迟> 了"));
    }
}
