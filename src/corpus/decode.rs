//! Bytes → text, without ever stopping the run.
//!
//! Chinese pages arrive as UTF-8, GB18030/GBK or Big5 (and sometimes UTF-16 from Windows
//! tools). UTF-8 is tried first; anything else is detected with chardetng and decoded with
//! encoding_rs. Binary files and text that decodes to mostly replacement characters are
//! reported, not indexed.

use encoding_rs::Encoding;

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
    if let Ok(text) = std::str::from_utf8(bytes) {
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
