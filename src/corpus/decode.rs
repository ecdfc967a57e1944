//! Bytes → text, without ever stopping the run.
//!
//! Chinese pages arrive as UTF-8, GB18030/GBK or Big5 (and sometimes UTF-16 from Windows
//! tools). The order of trust is a browser's: a byte order mark, then a saved page's own
//! declaration (`<meta charset>` or `http-equiv`), then UTF-8, then detection with chardetng;
//! encoding_rs decodes. A declaration is checked, not obeyed blindly: pages re-saved as UTF-8
//! keep their old `gb2312` tag, and a declaration that yields invalid text falls back to
//! detection. Binary files and text that decodes to mostly replacement characters are
//! reported, not indexed.

use std::sync::LazyLock;

use encoding_rs::Encoding;
use regex::bytes::Regex;

#[derive(Debug, PartialEq, Eq)]
pub enum Decoded {
    Text { text: String, encoding: &'static str },
    Empty,
    Binary,
    Undecodable { encoding: &'static str },
}

/// Signatures of common binary formats that can hide behind a text extension.
const MAGIC: &[&[u8]] = &[b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\xFF\xD8\xFF", b"GIF8", b"\x7FELF"];

pub fn decode(bytes: &[u8]) -> Decoded {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Decoded::Empty;
    }
    // A byte order mark settles the encoding (UTF-16 text is full of NUL bytes, so this
    // must come before the binary check).
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(enc, &bytes[bom_len..]);
    }
    if MAGIC.iter().any(|m| bytes.starts_with(m)) || looks_binary(bytes) {
        return Decoded::Binary;
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    if let Some(declared) = declared_charset(bytes) {
        // Re-saved pages keep their old declaration; valid UTF-8 with non-ASCII text is
        // almost never a legacy encoding by chance.
        let resaved = utf8.is_some_and(|t| !t.is_ascii());
        if declared != encoding_rs::UTF_8 && !resaved {
            if let decoded @ Decoded::Text { .. } = finish_strict(declared, bytes) {
                return decoded;
            }
        }
    }
    if let Some(text) = utf8 {
        return Decoded::Text {
            text: text.to_string(),
            encoding: "UTF-8",
        };
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(None, true);
    finish(enc, bytes)
}

fn finish(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let total = text.chars().count().max(1);
    let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
    // A stray bad byte is tolerated (it shows as U+FFFD); a page of them is not text.
    if bad * 50 > total {
        return Decoded::Undecodable { encoding: enc.name() };
    }
    if text.trim().is_empty() {
        return Decoded::Empty;
    }
    Decoded::Text {
        text: text.into_owned(),
        encoding: enc.name(),
    }
}

/// Decodes with a declared encoding, which must fit the bytes exactly: a declaration that
/// yields replacement characters is wrong, and detection does better.
fn finish_strict(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) if !text.trim().is_empty() => Decoded::Text {
            text: text.into_owned(),
            encoding: enc.name(),
        },
        _ => Decoded::Undecodable { encoding: enc.name() },
    }
}

/// The encoding a saved HTML page declares in its first few kilobytes, as browsers read it
/// (`<meta charset=…>`, `<meta http-equiv="Content-Type" content="…; charset=…">`, or an XML
/// declaration). UTF-16 declared inside a byte-oriented page is meaningless and ignored.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    static DECLARED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i-u)<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_.:-]+)|<\?xml\b[^>]*\bencoding\s*=\s*["']([a-z0-9_.:-]+)"#)
            .unwrap()
    });
    let head = &bytes[..bytes.len().min(8192)];
    let caps = DECLARED.captures(head)?;
    let label = caps.get(1).or_else(|| caps.get(2))?.as_bytes();
    let enc = Encoding::for_label(label)?;
    (enc != encoding_rs::UTF_16LE && enc != encoding_rs::UTF_16BE).then_some(enc)
}

/// NUL bytes or a high share of control bytes in the first 8 KiB mean binary data.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    control * 10 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gb18030_and_big5() {
        let text = "扎克伯格把Meta的未來押在了人工智能上。這是一個測試段落,用來檢查編碼偵測是否可靠。";
        for enc in [encoding_rs::GB18030, encoding_rs::BIG5] {
            let (bytes, _, unmappable) = enc.encode(text);
            assert!(!unmappable);
            match decode(&bytes) {
                Decoded::Text { text: got, .. } => assert_eq!(got, text, "via {}", enc.name()),
                other => panic!("{} gave {other:?}", enc.name()),
            }
        }
    }

    fn page(charset_tag: &str, body: &str, enc: &'static Encoding) -> Vec<u8> {
        let html = format!("<html><head>{charset_tag}<title>t</title></head><body><p>{body}</p></body></html>");
        enc.encode(&html).0.into_owned()
    }

    const BODY: &str = "新華社北京電 記者從國務院新聞辦獲悉,會議討論了經濟形勢。";

    #[test]
    fn a_page_declaration_decides_before_detection() {
        // Short pages fool detection; the declaration settles them.
        for (tag, enc) in [
            (r#"<meta charset="gb2312">"#, encoding_rs::GBK),
            (
                r#"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=big5">"#,
                encoding_rs::BIG5,
            ),
            ("<meta charset=Shift_JIS>", encoding_rs::SHIFT_JIS),
        ] {
            let body = if enc == encoding_rs::SHIFT_JIS {
                "東京の記事です。"
            } else {
                BODY
            };
            let bytes = page(tag, body, enc);
            match decode(&bytes) {
                Decoded::Text { text, encoding } => {
                    assert!(text.contains(body), "{tag}: {text}");
                    assert_eq!(encoding, enc.name());
                }
                other => panic!("{tag}: {other:?}"),
            }
        }
        assert_eq!(declared_charset(b"<html><meta charset='utf-16'>"), None);
        assert_eq!(declared_charset(b"<p>charset=gbk in prose</p>"), None);
    }

    #[test]
    fn a_wrong_declaration_falls_back() {
        // A page re-saved as UTF-8 that still says gb2312.
        let bytes = page(r#"<meta charset="gb2312">"#, BODY, encoding_rs::UTF_8);
        assert!(matches!(decode(&bytes), Decoded::Text { text, encoding: "UTF-8" } if text.contains(BODY)));
        // A GBK page that claims UTF-8: detection reads it.
        let long: String = BODY.repeat(8);
        let bytes = page(r#"<meta charset="utf-8">"#, &long, encoding_rs::GB18030);
        assert!(matches!(decode(&bytes), Decoded::Text { text, .. } if text.contains(&long)));
    }

    #[test]
    fn reports_empty_binary_and_utf16() {
        assert_eq!(decode(b""), Decoded::Empty);
        assert_eq!(decode(b" \n\t "), Decoded::Empty);
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0"), Decoded::Binary);
        assert_eq!(decode(&[1, 2, 3, 0, 200, 17, 4, 5]), Decoded::Binary);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "豆包".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert!(matches!(decode(&utf16), Decoded::Text { text, .. } if text == "豆包"));
    }
}
