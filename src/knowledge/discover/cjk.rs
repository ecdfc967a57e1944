//! Chinese names: `·` transliterations, names declared with their original in parentheses,
//! and person-tagged words right after a role word.
//!
//! jieba's person tag alone is too noisy (it tags 高薪 and 西瓜皮), so a tag counts only next
//! to a clue, and only the windows around clues are tagged at all.

use std::sync::LazyLock;

use regex::Regex;

use super::latin::latin_edges;
use super::{is_name_dot, DocNames, NAME_DOTS};
use crate::knowledge::KnowledgeRules;
use crate::text::fold::is_cjk;
use crate::text::{fold, EntityKind, Folded, Segmenter};

static CJK_THEN_LATIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}·・•‧]{2,16})\s*[(（]\s*([A-Z][A-Za-z'\-]+(?:\s+[A-Z][A-Za-z'\-]+){0,3})\s*[)）]").unwrap()
});
/// A transliterated name with its original in parentheses, in any case (`尼尔·坎普林（neil
/// campling）`): the `·` already says it is a name.
static DOTTED_THEN_LATIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}]{1,8}[·・•‧][\p{Han}]{1,10})\s*[(（]\s*([A-Za-z][A-Za-z'\-]+(?:\s+[A-Za-z][A-Za-z'\-]+){1,3})\s*[)）]")
        .unwrap()
});
static LATIN_THEN_CJK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-Z][a-z]+(?:\s+[A-Z][A-Za-z'\-]+){1,3})\s*[(（]\s*([\p{Han}·・•‧]{2,8})\s*[)）]").unwrap()
});

fn is_person_tag(tag: &str) -> bool {
    tag.starts_with("nr")
}

/// Single characters that end a transliterated name rather than continue it: particles,
/// prepositions and the first characters of reporting verbs (特雷莎·梅也…, 尼尔·坎普林称…).
const NAME_STOPS: &str = "也在的了和与及说称表曾将对为被把从向于则都就还又是等并而或即已仍均亦更再所之以其这那今昨却";

/// CJK names: `·` transliterations, declared translations, and person-tagged words after a
/// title.
pub(super) fn cjk_names(p: &str, folded: &Folded, seg: &Segmenter, rules: &KnowledgeRules, out: &mut DocNames) {
    let tags = tags_near_clues(&folded.text, seg, rules);
    if tags.is_empty() {
        return;
    }
    let orig = |s: usize, e: usize| {
        let (a, b) = folded.original_range(p, s, e);
        p[a..b].to_string()
    };
    let cjk_word = |w: &str| !w.is_empty() && w.chars().all(is_cjk);

    for (i, t) in tags.iter().enumerate() {
        // 安德鲁 · 博斯沃思 — both sides read as parts of a name (news also joins words with
        // `·`: 安全·环保 is no one).
        if is_name_dot(t.word) {
            let name_part = |w: &jieba_rs::Tag| cjk_word(w.word) && is_person_tag(w.tag);
            let Some(left) = i.checked_sub(1).map(|j| &tags[j]).filter(|l| name_part(l)) else {
                continue;
            };
            let Some(right) = tags.get(i + 1).filter(|r| name_part(r)) else {
                continue;
            };
            // The name runs back through the short pieces jieba split off it (鲁契|亚诺·帕瓦罗蒂),
            // never through a word of its own (歌唱家, 巨星) or a particle.
            let mut start = left.byte_start;
            let mut left_chars = left.word.chars().count();
            for prev in tags[..i - 1].iter().rev().take(2) {
                let n = prev.word.chars().count();
                // jieba tags some everyday words as names too (巨星/nr).
                let piece = is_person_tag(prev.tag) && n <= 2 && !seg.is_common_word(prev.word);
                let stop_first = prev.word.starts_with(|c: char| NAME_STOPS.contains(c));
                if prev.byte_end != start || !cjk_word(prev.word) || !piece || stop_first || left_chars + n > 6 {
                    break;
                }
                start = prev.byte_start;
                left_chars += n;
            }
            // The name runs on through the characters jieba split off it (坎普|林), and stops
            // at a particle or a verb (梅|也, 梅|互通).
            let mut end = right.byte_end;
            // Only short pieces: a whole second name glued on (亨利·曼西尼|帕瓦罗蒂, captions
            // run together) is someone else.
            let mut right_chars = right.word.chars().count();
            for next in tags.iter().skip(i + 2).take(2) {
                let glued = next.byte_start == end;
                let n = next.word.chars().count();
                let name_like = (is_person_tag(next.tag) && n <= 2)
                    || (n == 1 && !NAME_STOPS.contains(next.word) && next.tag != "v");
                if !glued || !cjk_word(next.word) || !name_like || right_chars + n > 5 {
                    break;
                }
                end = next.byte_end;
                right_chars += n;
            }
            // 《孟子·公孙丑》 is a book's chapter, not a person.
            let in_title = folded.text[..start].ends_with('《') || folded.text[end..].starts_with('》');
            let everyday = seg.is_common_word(left.word) && seg.is_common_word(right.word);
            if !in_title && !everyday {
                // jieba glues particles to names now and then (和亨利, 曼西尼为).
                let name = orig(start, end);
                let name = name.trim_matches(|c: char| NAME_STOPS.contains(c));
                if name.contains(NAME_DOTS) && !name.starts_with(NAME_DOTS) && !name.ends_with(NAME_DOTS) {
                    out.add_name(name, EntityKind::Person);
                }
            }
        }
        // 研究科学家朱泽园, 负责人庞若鸣, and 总统马克|龙 rejoined.
        let n = t.word.chars().count();
        if is_person_tag(t.tag) && (2..=4).contains(&n) && cjk_word(t.word) {
            // At most four characters in all.
            let mut end = t.byte_end;
            for (chars, next) in (n + 1..=4).zip(tags.iter().skip(i + 1)) {
                let single = next.word.chars().count() == 1 && chars <= 4;
                let glued = next.byte_start == end && cjk_word(next.word);
                if !glued || !single || NAME_STOPS.contains(next.word) || next.tag == "v" {
                    break;
                }
                end = next.byte_end;
            }
            let (word, t_start, t_end) = (&folded.text[t.byte_start..end], t.byte_start, end);
            let before = &folded.text[..t_start];
            let dotted_next = folded.text[t_end..].starts_with(NAME_DOTS);
            // An everyday word after a title is not a name however jieba tags it (作者于今,
            // 作者司马 in poems).
            let role = rules.role_ending(before);
            if let Some(role) =
                role.filter(|_| !dotted_next && !rules.roles.iter().any(|r| r == word) && !seg.is_common_word(word))
            {
                let name = orig(t_start, t_end);
                out.add_name(&name, EntityKind::Person);
                let role_end = before.trim_end().len();
                if let Some(role_start) = role_end.checked_sub(role.len()) {
                    if folded.text.is_char_boundary(role_start) {
                        out.add_role(&name, &orig(role_start, role_end));
                    }
                }
            }
        }
    }

    // 赵晟佳(Shengjia Zhao): the CJK name is the person-tagged words just before "(".
    for c in CJK_THEN_LATIN.captures_iter(p) {
        let latin = c.get(2).unwrap().as_str();
        if latin.split_whitespace().count() < 2 || latin.split_whitespace().any(|w| rules.org_words.contains(&fold(w)))
        {
            continue;
        }
        let run = c.get(1).unwrap();
        let run_end_folded = folded_offset(folded, run.end());
        let mut start = run_end_folded;
        let mut chars = 0;
        for t in tags.iter().rev().filter(|t| t.byte_end <= run_end_folded) {
            if t.byte_end != start {
                break;
            }
            let dot = is_name_dot(t.word);
            let take = dot || (cjk_word(t.word) && (is_person_tag(t.tag) || start == run_end_folded));
            if !take || chars + t.word.chars().count() > 10 {
                break;
            }
            chars += t.word.chars().count();
            start = t.byte_start;
        }
        let name = orig(start, run_end_folded);
        // A particle jieba glued to the name's first piece (和亨利, 被鲁契) is no part of it.
        let name = name.trim_start_matches(|c: char| NAME_DOTS.contains(&c) || NAME_STOPS.contains(c));
        if name.chars().filter(|c| is_cjk(*c)).count() >= 2 {
            out.add_name(name, EntityKind::Person);
            out.add_name(latin, EntityKind::Person);
            out.add_pair(name, latin);
        }
    }
    // 尼尔·坎普林（neil campling）
    for c in DOTTED_THEN_LATIN.captures_iter(p) {
        // The name is the longest one read from the words that ends the run (分析师|尼尔·坎普林).
        let run = &c[1];
        let Some(cjk) = out
            .names
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| n.contains(NAME_DOTS) && run.ends_with(*n))
            .max_by_key(|n| n.len())
            .map(str::to_string)
        else {
            continue;
        };
        let latin = c[2].to_string();
        if !out
            .pairs
            .iter()
            .any(|(a, b)| (a == &cjk && fold(b) == fold(&latin)) || (b == &cjk && fold(a) == fold(&latin)))
        {
            out.add_name(&cjk, EntityKind::Person);
            out.add_name(&latin, EntityKind::Person);
            out.add_pair(&cjk, &latin);
        }
    }
    // Alexandr Wang(汪滔)
    for c in LATIN_THEN_CJK.captures_iter(p) {
        let (latin, cjk) = (c.get(1).unwrap(), c.get(2).unwrap());
        let person = !latin
            .as_str()
            .split_whitespace()
            .any(|w| rules.org_words.contains(&fold(w)) || rules.not_name_words.contains(&fold(w)));
        if person && latin_edges(p, latin.start(), latin.end()) {
            out.add_name(latin.as_str(), EntityKind::Person);
            out.add_name(cjk.as_str(), EntityKind::Person);
            out.add_pair(latin.as_str(), cjk.as_str());
        }
    }
}

/// Most common Chinese surnames: the first character of a name said before a verb of speech
/// (`孟晚舟称`) when jieba does not know it as a name.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

/// Forms of address after a surname (`张先生`): someone, but not a name.
const HONORIFICS: &[&str] = &[
    "先生", "女士", "小姐", "太太", "老师", "师傅", "同学", "阿姨", "大爷", "老板",
];

/// Names said right before a verb of speech (`，孟晚舟称`, `总统马克龙表示`) or right after a
/// role word (`cfo孟晚舟女士`): two to four characters that read as a name (a surname first,
/// or a piece jieba tags as a person) and not as an everyday word. After a role, or said twice
/// in the document, it is a name; once, it needs a second document.
pub(super) fn speakers(
    p: &str,
    folded: &Folded,
    folded_doc: &str,
    seg: &Segmenter,
    rules: &KnowledgeRules,
    out: &mut DocNames,
) {
    let text = folded.text.as_str();
    let mut found: Vec<(usize, usize, bool)> = Vec::new();
    // Before a verb of speech: back to a boundary (a non-CJK character or a role word).
    for m in rules.cjk_speech.iter().flat_map(|matcher| matcher.find_iter(text)) {
        let verb_start = m.start();
        let before: Vec<(usize, char)> = text[..verb_start].char_indices().rev().take(6).collect();
        for len in 2..=4usize {
            let Some(&(start, _)) = before.get(len - 1) else { break };
            if !before[..len].iter().all(|&(_, c)| is_cjk(c)) {
                break;
            }
            let prefix = &text[..start];
            let after_role = rules.role_ending(prefix).is_some();
            if prefix.is_empty() || prefix.ends_with(|c: char| !is_cjk(c)) || after_role {
                found.push((start, verb_start, after_role));
                break;
            }
        }
    }
    // After a role word: as far as the name always runs on in the document (孟晚|舟 is one
    // name wherever 孟晚 is written; 孟晚舟|一事 is not).
    for m in rules.roles_matcher.find_iter(text) {
        if let Some(end) = name_after(text, m.end(), folded_doc, seg) {
            found.push((m.end(), end, true));
        }
    }
    for (start, end, after_role) in found {
        let candidate = &text[start..end];
        if !reads_as_name(candidate, seg, rules) {
            continue;
        }
        let (a, b) = folded.original_range(p, start, end);
        let name = &p[a..b];
        if after_role || folded_doc.matches(candidate).count() >= 2 {
            out.add_name(name, EntityKind::Person);
        } else {
            out.add_unproven(name, EntityKind::Person);
        }
    }
}

/// The end of a name starting at `start`: two to four characters, ending where jieba's words
/// end, before any particle or form of address, and no further than every use of its first
/// two characters in the document runs on.
fn name_after(text: &str, start: usize, folded_doc: &str, seg: &Segmenter) -> Option<usize> {
    // Two characters past the longest name, so that jieba sees the word that follows it
    // (马克龙|当选, 扎里夫|日前).
    let context: String = text[start..]
        .chars()
        .take_while(|&c| is_cjk(c) && !NAME_STOPS.contains(c))
        .take(6)
        .collect();
    let limit = HONORIFICS
        .iter()
        .filter_map(|h| context.find(h))
        .chain(context.char_indices().nth(4).map(|(i, _)| i))
        .min()
        .unwrap_or(context.len());
    let two = context.char_indices().nth(2).map_or(context.len(), |(i, _)| i);
    if two > limit || context.chars().count() < 2 {
        return None;
    }
    let base = folded_doc.matches(&context[..two]).count();
    let mut ends = Vec::new();
    let mut at = 0;
    for tag in seg.jieba().tag(&context, false) {
        at += tag.word.len();
        // A name does not end in a lone verb, preposition or time word (马克龙访|美).
        let function_char = tag.word.chars().count() == 1
            && matches!(
                tag.tag.chars().next(),
                Some('v' | 'p' | 't' | 'm' | 'd' | 'c' | 'u' | 'r' | 'q' | 'f')
            );
        if at >= two && at <= limit && !function_char {
            ends.push(at);
        }
    }
    // The longest end every use of the first two characters reaches (one use: jieba's words
    // decide, as 迪雅|里克 of 迪雅里克日前).
    ends.into_iter()
        .rev()
        .find(|&e| e == two || folded_doc.matches(&context[..e]).count() == base)
        .map(|e| start + e)
}

/// Whether a CJK candidate reads as a person's name rather than a word or a phrase.
fn reads_as_name(candidate: &str, seg: &Segmenter, rules: &KnowledgeRules) -> bool {
    let tags = seg.jieba().tag(candidate, true);
    let tagged = tags.iter().any(|t| is_person_tag(t.tag));
    // jieba tags some everyday words as names (文明/nr): still words.
    let everyday = seg.is_common_word(candidate);
    let surname = candidate.chars().next().is_some_and(|c| SURNAMES.contains(c));
    // 陆续|访美 opens with a word of its own; a given name may be a word (王|建国), a surname
    // is not.
    let opens_with_word = tags
        .first()
        .is_some_and(|t| t.word.chars().count() >= 2 && !is_person_tag(t.tag) && seg.jieba().has_word(t.word));
    !everyday
        && !opens_with_word
        && !candidate
            .chars()
            .any(|c| NAME_STOPS.contains(c) || "他她我你们该其此某".contains(c))
        && !rules.roles.iter().any(|r| candidate.ends_with(r.as_str()))
        && !HONORIFICS.iter().any(|h| candidate.ends_with(h))
        && (surname || tagged)
}

/// Part-of-speech tags of the stretches of `text` where a name can be found: around `·`,
/// after a role word, before `(`. Tagging only these windows instead of whole paragraphs is
/// most of what makes name discovery cheap (jieba's tagger was a fifth of indexing time).
fn tags_near_clues<'a>(text: &'a str, seg: &'a Segmenter, rules: &KnowledgeRules) -> Vec<jieba_rs::Tag<'a>> {
    const REACH: usize = 12;
    let back = |at: usize, n: usize| text[..at].char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    let ahead = |at: usize, n: usize| text[at..].char_indices().nth(n).map_or(text.len(), |(i, _)| at + i);
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            c if NAME_DOTS.contains(&c) => windows.push((back(i, REACH), ahead(i, REACH))),
            '(' | '（' => windows.push((back(i, REACH + 4), i)),
            _ => {}
        }
    }
    for m in rules.roles_matcher.find_overlapping_iter(text) {
        windows.push((back(m.start(), 2), ahead(m.end(), REACH)));
    }
    if windows.is_empty() {
        return Vec::new();
    }
    let merged = crate::text::merge_ranges(windows);
    let mut tags = Vec::new();
    for (s, e) in merged {
        for mut t in seg.jieba().tag(&text[s..e], true) {
            t.byte_start += s;
            t.byte_end += s;
            tags.push(t);
        }
    }
    tags
}

/// The folded byte offset of original byte offset `orig` (the first folded char at or after it).
fn folded_offset(folded: &Folded, orig: usize) -> usize {
    folded
        .text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| folded.original_offset(i) >= orig)
        .unwrap_or(folded.text.len())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{has, names_of, unproven};
    use crate::text::EntityKind::Person;

    #[test]
    fn a_name_before_a_verb_of_speech_said_twice_or_after_a_role() {
        let n = names_of(&[
            "法国总统马克龙表示，将继续推进改革。",
            "对此，孟晚舟称自己是清白的。孟晚舟说，她会配合调查。",
            "另一方面，王建国指出市场仍有压力。",
        ]);
        assert!(
            has(&n, "马克龙", Person),
            "after a role, rejoined across jieba's cut: {n:?}"
        );
        assert!(has(&n, "孟晚舟", Person), "said twice: {n:?}");
        assert!(
            unproven(&n, "王建国"),
            "said once: a second document must name them: {n:?}"
        );
        assert!(
            n.roles.contains(&("马克龙".into(), "总统".into())),
            "the role word is kept: {n:?}"
        );
    }

    #[test]
    fn speakers_that_are_no_names() {
        let n = names_of(&[
            "该公司表示，业绩稳定。他认为没有问题。张先生说，价格太高。",
            "该公司表示，将会回应。张先生说，他会再来。分析人士称，前景不明。",
        ]);
        let all: Vec<&str> = n.names.iter().chain(&n.unproven).map(|(x, _)| x.as_str()).collect();
        for word in ["该公司", "他", "张先生", "分析人士"] {
            assert!(!all.contains(&word), "{word} in {all:?}");
        }
    }

    #[test]
    fn a_name_after_a_role_runs_as_far_as_it_always_does() {
        // jieba cuts 孟晚|舟; every 孟晚 of the document runs on to 孟晚舟, never further.
        let n = names_of(&[
            "加拿大当局拘押华为公司cfo孟晚舟一事引发关注。",
            "法院对华为cfo孟晚舟女士举行保释听证，孟晚舟获得保释。",
            "继法国总统马克龙访美后，德国总理默克尔也将访美。马克龙当选以来首次访问。",
            "联合国秘书长发言人迪雅里克日前表示，会议推迟。",
            "法德两国领导人陆续访美。",
        ]);
        for person in ["孟晚舟", "马克龙", "默克尔", "迪雅里克"] {
            assert!(has(&n, person, Person), "{person}: {n:?}");
        }
        let all: Vec<&str> = n.names.iter().chain(&n.unproven).map(|(x, _)| x.as_str()).collect();
        for wrong in [
            "孟晚舟一",
            "孟晚舟女士",
            "马克龙访",
            "马克龙当",
            "迪雅里克日",
            "陆续访美",
            "陆续",
        ] {
            assert!(!all.contains(&wrong), "{wrong} in {all:?}");
        }
    }

    #[test]
    fn a_bullet_joins_a_transliterated_name_too() {
        let n = names_of(&["基金会执行董事约翰•马格说，问题严重。约翰•马格还表示，将继续努力。"]);
        assert!(
            n.names.iter().any(|(x, k)| x.starts_with("约翰•马格") && *k == Person),
            "{n:?}"
        );
    }
}
