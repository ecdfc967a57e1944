//! Over-long lines split into paragraphs of readable size, at sentence ends.
//!
//! Text extracted from pages often loses its paragraph breaks: a whole article arrives as one
//! line (news datasets, pages whose markup was flattened). A paragraph is what `/source`
//! quotes and cites by number, and what a snippet is cut from, so an article-long paragraph
//! makes answers unreadable and every query that touches it fold the whole article. Lines
//! longer than [`MAX_CHARS`] are cut after a sentence end into pieces of about
//! [`TARGET_CHARS`]; each piece is an exact substring of the line, so quotes stay verbatim.

/// Lines up to this many characters stay whole.
pub const MAX_CHARS: usize = 1000;
/// The size pieces of a longer line grow to before a cut.
pub const TARGET_CHARS: usize = 400;

/// Characters that end a sentence; closing quotes and brackets right after one stay with it.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';' | '…')
}

fn closes(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '》' | '"' | '\'')
}

/// `line` as one or more paragraphs (trimmed, never empty).
pub fn split_long(line: &str) -> Vec<String> {
    if line.chars().count() <= MAX_CHARS {
        return vec![line.to_string()];
    }
    // Byte ranges of the pieces; consecutive, covering the line.
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut chars_in_piece = 0;
    // Byte offset just after the last sentence end (or soft break) inside the current piece.
    let mut last_cut: Option<usize> = None;
    let mut iter = line.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        chars_in_piece += 1;
        let mut end = i + c.len_utf8();
        let mut cut_here = false;
        if ends_sentence(c) {
            while let Some(&(j, d)) = iter.peek() {
                if !(closes(d) || ends_sentence(d)) {
                    break;
                }
                end = j + d.len_utf8();
                chars_in_piece += 1;
                iter.next();
            }
            cut_here = true;
        } else if c.is_whitespace() && iter.peek().is_some_and(|&(_, d)| d.is_whitespace()) {
            // Two spaces in a row: where a flattened page had a paragraph break.
            cut_here = true;
        }
        if cut_here {
            last_cut = Some(end);
            if chars_in_piece >= TARGET_CHARS {
                pieces.push((start, end));
                start = end;
                chars_in_piece = 0;
                last_cut = None;
            }
        } else if chars_in_piece >= MAX_CHARS {
            // No sentence end for MAX_CHARS characters: cut at the last one seen, or here.
            let cut = last_cut.unwrap_or(end);
            pieces.push((start, cut));
            chars_in_piece = line[cut..end].chars().count();
            start = cut;
            last_cut = None;
        }
    }
    // A short tail joins the piece before it rather than standing alone.
    let tail_is_short = line[start..].trim().chars().count() < TARGET_CHARS / 4;
    match pieces.last_mut() {
        Some(last) if tail_is_short => last.1 = line.len(),
        _ => pieces.push((start, line.len())),
    }
    pieces
        .into_iter()
        .map(|(s, e)| line[s..e].trim())
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(n: usize, c: char) -> String {
        let mut s: String = std::iter::repeat_n(c, n).collect();
        s.push('。');
        s
    }

    #[test]
    fn short_lines_stay_whole() {
        let line = sentence(900, '甲');
        assert_eq!(split_long(&line), vec![line]);
    }

    #[test]
    fn long_lines_split_after_sentences_verbatim() {
        let line: String = (0..30)
            .map(|i| sentence(99, if i % 2 == 0 { '甲' } else { '乙' }))
            .collect();
        let pieces = split_long(&line);
        assert!(pieces.len() >= 5, "{} pieces", pieces.len());
        assert_eq!(pieces.concat(), line, "pieces are the line, in order, nothing lost");
        for p in &pieces {
            assert!(p.ends_with('。'), "cut after a sentence end");
            assert!(p.chars().count() <= MAX_CHARS);
        }
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence_and_double_spaces_break() {
        let quoted = format!("{}“好。”", "丙".repeat(450));
        let line = format!("{quoted}{}  {}", "丁".repeat(450), "戊".repeat(450));
        let pieces = split_long(&line);
        assert_eq!(pieces[0], quoted);
        assert_eq!(pieces[1], "丁".repeat(450));
        assert_eq!(pieces[2], "戊".repeat(450));
    }

    #[test]
    fn text_without_sentence_ends_is_cut_at_the_limit() {
        let line = "己".repeat(2500);
        let pieces = split_long(&line);
        assert_eq!(pieces.concat(), line);
        assert!(pieces.iter().all(|p| p.chars().count() <= MAX_CHARS));
    }

    #[test]
    fn a_short_tail_joins_the_piece_before() {
        let line = format!("{}{}", sentence(1200, '庚'), "辛".repeat(20));
        let pieces = split_long(&line);
        assert_eq!(pieces.concat(), line);
        assert!(pieces.last().unwrap().chars().count() > 20);
    }
}
