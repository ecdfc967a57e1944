//! A page's own metadata: what it says about its title, author, outlet, date and address.
//!
//! Readability reads JSON-LD and the common OpenGraph/article tags; this module adds what it
//! leaves out (`<link rel=canonical>`, `<time datetime>`, the many names sites give their
//! publication-date tag) and makes the values fit for a citation: a date rather than a
//! timestamp, a person rather than a profile URL, a headline without the site's name glued
//! to it.

use std::sync::LazyLock;

use chrono::NaiveDate;
use dom_query::Document;
use regex::Regex;

/// Metadata read from the markup before Readability rewrites the tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkupMeta {
    pub canonical: Option<String>,
    pub published: Option<NaiveDate>,
    pub author: Option<String>,
    pub outlet: Option<String>,
}

/// `<meta>` names and properties (lower case) that carry the publication date, most
/// trusted first. Readability already reads `article:published_time` and the Dublin Core
/// dates; these are the others sites use.
const DATE_META: &[&str] = &[
    "datepublished",
    "article:published_time",
    "og:published_time",
    "article:published",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "publication_date",
    "publicationdate",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
    "weibo: article:create_at",
    "og:release_date",
    "article.published",
    "date",
];

const AUTHOR_META: &[&str] = &[
    "author",
    "article:author",
    "byl",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
];
const OUTLET_META: &[&str] = &[
    "og:site_name",
    "application-name",
    "apple-mobile-web-app-title",
    "source",
    "publisher",
];

pub fn read_markup(doc: &Document) -> MarkupMeta {
    let mut out = MarkupMeta {
        canonical: doc
            .select(r#"link[rel="canonical"]"#)
            .attr("href")
            .map(|h| h.trim().to_string())
            .filter(|h| h.starts_with("http://") || h.starts_with("https://")),
        ..Default::default()
    };
    let mut dates: Vec<(usize, NaiveDate)> = Vec::new();
    let mut authors: Vec<(usize, String)> = Vec::new();
    let mut outlets: Vec<(usize, String)> = Vec::new();
    for node in doc.select("meta").nodes() {
        let Some(content) = node.attr("content") else { continue };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        for key in ["property", "name", "itemprop"] {
            let Some(k) = node.attr(key) else { continue };
            let k = k.trim().to_ascii_lowercase();
            if let Some(rank) = DATE_META.iter().position(|m| *m == k) {
                if let Some(d) = parse_timestamp(content) {
                    dates.push((rank, d));
                }
            }
            if let Some(rank) = AUTHOR_META.iter().position(|m| *m == k) {
                if let Some(a) = clean_author(content, &[]) {
                    authors.push((rank, a));
                }
            }
            if let Some(rank) = OUTLET_META.iter().position(|m| *m == k) {
                outlets.push((rank, content.to_string()));
            }
        }
    }
    // Elements marked as the publication date, then the first `<time datetime>` of the page.
    for node in doc
        .select(r#"[itemprop="datePublished"], time[pubdate], time[datetime]"#)
        .nodes()
    {
        let value = node.attr("datetime").or_else(|| node.attr("content"));
        if let Some(d) = value.and_then(|v| parse_timestamp(&v)) {
            dates.push((DATE_META.len(), d));
            break;
        }
    }
    dates.sort_by_key(|(rank, _)| *rank);
    authors.sort_by_key(|(rank, _)| *rank);
    outlets.sort_by_key(|(rank, _)| *rank);
    out.published = dates.first().map(|(_, d)| *d);
    out.author = authors.into_iter().next().map(|(_, a)| a);
    out.outlet = outlets.into_iter().next().map(|(_, o)| o);
    out
}

/// The calendar date of a machine-readable timestamp, in the time zone it was written in
/// (the date the page shows its readers): `2019-11-19T07:03:25+00:00`, `2019-11-19`,
/// `20191119`, `2019/11/19 07:03`, or Unix seconds / milliseconds.
pub fn parse_timestamp(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(d) = crate::corpus::clean::parse_date(s) {
        return Some(d);
    }
    if s.len() >= 8 && s.as_bytes()[..8].iter().all(u8::is_ascii_digit) {
        if s.len() == 8 {
            return NaiveDate::parse_from_str(s, "%Y%m%d").ok();
        }
        if s.bytes().all(|b| b.is_ascii_digit()) && (10..=13).contains(&s.len()) {
            let secs: i64 = s.parse().ok()?;
            let secs = if s.len() == 13 { secs / 1000 } else { secs };
            return chrono::DateTime::from_timestamp(secs, 0).map(|t| t.date_naive());
        }
    }
    chrono::DateTime::parse_from_rfc2822(s).ok().map(|t| t.date_naive())
}

/// A publication date that can be true: machine timestamps default to year 1 or 1970.
pub fn plausible(d: NaiveDate) -> bool {
    use chrono::Datelike;
    (1900..=chrono::Utc::now().year() + 1).contains(&d.year()) && d != NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
}

/// A date in a page's address: `/2019/11/19/`, `/2019-11-19/`, `/20191119/`.
pub fn date_in_url(url: &str) -> Option<NaiveDate> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"[/_-]((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)").unwrap()
    });
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let c = DATE.captures(path)?;
    NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?).filter(|d| plausible(*d))
}

/// The headline: the page's own heading when one matches what its metadata calls the title
/// (a reader sees the heading; `og:title` is often a rewrite for sharing), else the metadata
/// title without the site's name.
pub fn choose_title(meta_title: Option<&str>, headings: &[String], outlets: &[&str]) -> Option<String> {
    let stripped = meta_title
        .map(|t| strip_site_name(t, outlets))
        .filter(|t| !t.is_empty());
    let words = |s: &str| -> std::collections::HashSet<String> {
        crate::text::fold(s)
            .split(|c: char| !c.is_alphanumeric())
            .flat_map(|w| {
                // CJK runs count by character, other scripts by word.
                if w.chars().any(crate::text::fold::is_cjk) {
                    w.chars().map(String::from).collect::<Vec<_>>()
                } else {
                    vec![w.to_string()]
                }
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let site_keys: Vec<String> = outlets.iter().map(|o| crate::text::fold(o)).collect();
    let candidates = headings.iter().filter(|h| {
        let n = h.chars().count();
        (4..=300).contains(&n) && !site_keys.contains(&crate::text::fold(h))
    });
    let Some(meta) = &stripped else {
        return candidates.into_iter().next().cloned();
    };
    let meta_words = words(meta);
    let best = candidates
        .map(|h| {
            let hw = words(h);
            let shared = hw.intersection(&meta_words).count() as f64;
            (shared / hw.len().min(meta_words.len()).max(1) as f64, h)
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    Some(best.map_or_else(|| meta.clone(), |(_, h)| h.clone()))
}

/// A byline value fit for a citation, or `None` when it names no one. Labels (`By`,
/// `Posted by`, `作者：`), glued dates and roles (`, AP Auto Writer`, `| NJ Advance Media`) go;
/// names in capitals are written as names; profile URLs, e-mail addresses, placeholders and
/// outlets (`网易`, `新浪科技`, a name in `outlets`) are no one. Several names are kept, joined
/// with `, ` (or `、` between Chinese names).
pub fn clean_author(raw: &str, outlets: &[&str]) -> Option<String> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        // A label needs its separator: `By ` is a label, `Byron` a name; `文/` a label, `文在寅`
        // a name.
        Regex::new(
            r"(?i)^\s*(?:(?:(?:written|posted|reported|words|story)\s+)?by\s+|(?:texto|text|текст|автор)\s*[:：]\s*|(?:作者|撰文|撰稿|记者|記者|本报记者|本報記者)\s*[:：/／|]?\s*|(?:文|图文|文/图|文／图)\s*[:：/／|]\s*)",
        )
        .unwrap()
    });
    // A date after the name (`, Nov 3, 2019`, ` - 2018-09-16`, ` 10:20`), starting at a word.
    static TRAILING_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*[-–—|,·]?\s*\b(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}.*$|\s*[-–—|,·]?\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}.*$|\s*[-–—|,·]?\s*\d{1,2}:\d{2}.*$").unwrap()
    });
    // A date glued to the name by a page that dropped the space: `Carrie ArnoldNovember 15, 2019`.
    static GLUED_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\p{Ll})(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?\s*\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}.*$").unwrap()
    });
    static SEPARATORS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s*(?:,|，|、|\||｜|;|；|/|\s+and\s+|\s+&\s+|\s+[-–—]\s+|\s+und\s+)\s*").unwrap()
    });
    const ROLE_WORDS: &[&str] = &[
        "writer",
        "correspondent",
        "reporter",
        "editor",
        "staff",
        "contributor",
        "columnist",
        "news",
        "media",
        "press",
        "service",
        "services",
        "bureau",
        "international",
        "agency",
        "wire",
        "desk",
        "team",
        "times",
        "post",
        "journal",
        "daily",
        "magazine",
        "network",
        "newsroom",
        "department",
        "associated",
    ];
    const PLACEHOLDERS: &[&str] = &[
        "admin",
        "administrator",
        "unknown",
        "null",
        "none",
        "anonymous",
        "匿名",
        "佚名",
        "未知",
    ];
    let text = super::blocks::collapse(raw);
    let lower = text.to_lowercase();
    if text.is_empty() || lower.contains("://") || lower.starts_with("www.") || text.contains('@') {
        return None;
    }
    let text = LABEL.replace(&text, "");
    let text = GLUED_DATE.replace(&text, "$1");
    let text = TRAILING_DATE.replace(&text, "");
    let outlet_keys: Vec<String> = outlets
        .iter()
        .map(|o| crate::text::fold(o))
        .filter(|o| !o.is_empty())
        .collect();
    let is_outlet = |seg: &str| {
        let f = crate::text::fold(seg);
        // `网易` is the outlet `网易新闻`.
        let cjk = f.chars().any(crate::text::fold::is_cjk);
        outlet_keys
            .iter()
            .any(|o| *o == f || (cjk && f.chars().count() >= 2 && o.contains(f.as_str())))
    };
    let segments: Vec<&str> = SEPARATORS
        .split(text.trim())
        .map(|s| s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '（' | '）' | '.' | ':' | '：')))
        .filter(|s| !s.is_empty())
        // Chinese names are separated by spaces too: `记者 张三 李四`.
        .flat_map(|s| {
            if s.chars().any(crate::text::fold::is_cjk) {
                s.split_whitespace().collect::<Vec<_>>()
            } else {
                vec![s]
            }
        })
        .collect();
    let org_like = |seg: &str| {
        let words: Vec<String> = seg.split_whitespace().map(|w| w.to_lowercase()).collect();
        words
            .iter()
            .any(|w| ROLE_WORDS.contains(&w.as_str()) || w.contains(".com") || w.contains(".net"))
            || CJK_ORG_SUFFIX.is_match(seg)
    };
    let name_like = |seg: &str| {
        if seg.chars().any(|c| c.is_ascii_digit())
            || is_outlet(seg)
            || PLACEHOLDERS.contains(&seg.to_lowercase().as_str())
        {
            return false;
        }
        if seg.chars().any(crate::text::fold::is_cjk) {
            let n = seg.chars().count();
            return (2..=10).contains(&n) && !CJK_ORG_SUFFIX.is_match(seg) && !CJK_NOT_NAME.is_match(seg);
        }
        let words = seg.split_whitespace().count();
        (1..=5).contains(&words) && !org_like(seg) && seg.chars().next().is_some_and(char::is_alphabetic)
    };
    let names: Vec<String> = segments.iter().filter(|s| name_like(s)).map(|s| name_case(s)).collect();
    if names.is_empty() {
        // An organisation's byline (`Associated Press`, `Reuters`) is still who wrote it,
        // unless it is the outlet itself.
        let first = segments.first()?;
        let usable = first.chars().count() <= 40
            && !is_outlet(first)
            && !first.chars().any(|c| c.is_ascii_digit())
            && !PLACEHOLDERS.contains(&first.to_lowercase().as_str())
            && !(first.chars().any(crate::text::fold::is_cjk)
                && (CJK_ORG_SUFFIX.is_match(first) || CJK_NOT_NAME.is_match(first)));
        return usable.then(|| first.to_string());
    }
    let joiner = if names.iter().all(|n| n.chars().any(crate::text::fold::is_cjk)) {
        "、"
    } else {
        ", "
    };
    Some(names.join(joiner))
}

/// Chinese outlet and organisation names, not people: `新京报`, `证券时报网`, `新浪科技`, `扬眼企鹅号`.
static CJK_ORG_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(报|網|网|社|台|刊|号|號|科技|财经|財經|新闻|新聞|传媒|傳媒|频道|頻道|中心|集团|集團|公司|官方|官网|部|综合|綜合|自媒体|自媒體|研究院|医院|醫院|大学|大學|学会|學會|协会|協會|政府|办公室|辦公室|委员会|委員會)$").unwrap()
});

/// Words of page chrome that Readability's byline guess sometimes returns (`查看更多`,
/// `版权声明`); no Chinese name contains them.
static CJK_NOT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"查看|更多|返回|声明|版权|版權|来源|來源|时间|時間|点击|點擊|评论|評論|分享|阅读|閱讀|责任|責任|编辑|編輯|首页|首頁|关注|關注|登录|登錄|注册|註冊|整合|整理|综合|綜合").unwrap()
});

/// `JANE DOE` → `Jane Doe`; names already in mixed case are left as written.
fn name_case(name: &str) -> String {
    if name.chars().any(|c| c.is_lowercase()) || !name.chars().any(|c| c.is_uppercase()) {
        return name.to_string();
    }
    name.split(' ')
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// `title` without a site name glued to either end (`Headline | The Site`, `标题_网易新闻`),
/// when that name matches one of `outlets`. A title that is only the site name is kept.
pub fn strip_site_name(title: &str, outlets: &[&str]) -> String {
    const SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " » ", "_", "｜", "|", " -- "];
    let key = |s: &str| {
        crate::text::fold(s)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    let outlets: Vec<String> = outlets
        .iter()
        .map(|o| key(o))
        .filter(|o| o.chars().count() >= 2)
        .collect();
    let matches = |part: &str| {
        let k = key(part);
        !k.is_empty()
            && outlets.iter().any(|o| {
                k == *o
                    || (k.contains(o.as_str()) && k.chars().count() <= o.chars().count() + 6)
                    || o.contains(k.as_str()) && k.chars().count() >= 2
            })
    };
    let mut title = title.trim().to_string();
    // Several names may be glued on (`标题_网易新闻_网易`): strip while one matches.
    for _ in 0..3 {
        let mut stripped = false;
        for sep in SEPARATORS {
            if let Some((head, tail)) = title.rsplit_once(sep) {
                if !head.trim().is_empty() && matches(tail) {
                    title = head.trim().to_string();
                    stripped = true;
                    break;
                }
            }
            if let Some((head, tail)) = title.split_once(sep) {
                if !tail.trim().is_empty() && matches(head) && tail.trim().chars().count() > head.chars().count() {
                    title = tail.trim().to_string();
                    stripped = true;
                    break;
                }
            }
        }
        if !stripped {
            break;
        }
    }
    title
}

/// The host name of a URL, without `www.`: the outlet of last resort.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (host.contains('.')).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn timestamps_become_the_date_the_page_shows() {
        assert_eq!(parse_timestamp("2019-11-19T23:03:25-08:00"), d("2019-11-19"));
        assert_eq!(parse_timestamp("2019-11-19"), d("2019-11-19"));
        assert_eq!(parse_timestamp("20191119"), d("2019-11-19"));
        assert_eq!(parse_timestamp("2019/11/19 07:03"), d("2019-11-19"));
        assert_eq!(parse_timestamp("1574146800"), d("2019-11-19"));
        assert_eq!(parse_timestamp("Tue, 19 Nov 2019 07:03:25 +0000"), d("2019-11-19"));
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    #[test]
    fn markup_metadata_in_order_of_trust() {
        let doc = Document::from(
            r#"<html><head><meta name="author" content="https://facebook.com/someone">
            <meta name="byl" content="By Jane Doe and John Roe">
            <meta name="pubdate" content="20190303"><meta property="og:site_name" content="The Daily">
            <link rel="canonical" href="https://example.com/a/1"></head>
            <body><time datetime="2018-01-01">Jan 1</time></body></html>"#,
        );
        let m = read_markup(&doc);
        assert_eq!(m.canonical.as_deref(), Some("https://example.com/a/1"));
        assert_eq!(m.published, d("2019-03-03"));
        assert_eq!(m.author.as_deref(), Some("Jane Doe, John Roe"));
        assert_eq!(m.outlet.as_deref(), Some("The Daily"));
        // Only a <time> element: it is the date.
        let doc = Document::from(
            r#"<html><body><p>x</p><time datetime="2018-01-02T10:00:00+08:00">1月2日</time></body></html>"#,
        );
        assert_eq!(read_markup(&doc).published, d("2018-01-02"));
    }

    #[test]
    fn site_names_leave_titles() {
        assert_eq!(
            strip_site_name("Stadia is here | The Verge", &["The Verge"]),
            "Stadia is here"
        );
        assert_eq!(strip_site_name("龙湖暗伤曝露_网易新闻", &["网易"]), "龙湖暗伤曝露");
        assert_eq!(strip_site_name("龍湖暗傷_網易新聞_網易", &["网易新闻"]), "龍湖暗傷");
        assert_eq!(
            strip_site_name("BBC News - Brexit vote delayed", &["BBC News"]),
            "Brexit vote delayed"
        );
        // A dash inside the headline that names no outlet stays.
        assert_eq!(
            strip_site_name("Covid-19 - what we know", &["The Verge"]),
            "Covid-19 - what we know"
        );
        assert_eq!(strip_site_name("The Verge", &["The Verge"]), "The Verge");
    }

    #[test]
    fn the_visible_headline_wins_over_a_rewritten_one() {
        let heads = vec![
            "Daily Planet".to_string(),
            "Rivers rise across the north after record rain".to_string(),
        ];
        assert_eq!(
            choose_title(
                Some("Record rain: rivers rise across north | Daily Planet"),
                &heads,
                &["Daily Planet"]
            )
            .as_deref(),
            Some("Rivers rise across the north after record rain")
        );
        // A heading about something else (a sidebar) does not replace the title.
        let heads = vec!["Most read".to_string()];
        assert_eq!(
            choose_title(Some("多地项目连环爆雷_网易新闻"), &heads, &["网易新闻"]).as_deref(),
            Some("多地项目连环爆雷")
        );
        assert_eq!(choose_title(None, &heads, &[]).as_deref(), Some("Most read"));
    }

    #[test]
    fn dates_in_addresses() {
        assert_eq!(date_in_url("https://x.com/news/2019/11/19/story.html"), d("2019-11-19"));
        assert_eq!(date_in_url("https://x.com/a/20191119/12345.shtml"), d("2019-11-19"));
        assert_eq!(date_in_url("https://x.com/a/2019-11-19-title"), d("2019-11-19"));
        assert_eq!(date_in_url("https://x.com/a/12345678901"), None);
        assert!(!plausible(NaiveDate::from_ymd_opt(1, 1, 1).unwrap()));
    }

    #[test]
    fn bylines_name_people() {
        let none: &[&str] = &[];
        let cases = [
            ("By Jane Doe", Some("Jane Doe")),
            ("TOM KRISHER, AP Auto Writer", Some("Tom Krisher")),
            (
                "LISA MASCARO, MARY CLARE JALONICK and ERIC TUCKER",
                Some("Lisa Mascaro, Mary Clare Jalonick, Eric Tucker"),
            ),
            ("Amy Kuperinsky | NJ Advance Media for NJ.com", Some("Amy Kuperinsky")),
            ("Carrie ArnoldNovember 15, 2019", Some("Carrie Arnold")),
            ("Posted by Vortex", Some("Vortex")),
            ("Associated Press", Some("Associated Press")),
            ("Текст: Венера Ерофеева", Some("Венера Ерофеева")),
            ("作者：张三", Some("张三")),
            ("澤南、杜偉", Some("澤南、杜偉")),
            ("Byron York", Some("Byron York")),
            ("文在寅", Some("文在寅")),
            ("Raymond November 15, 2019", Some("Raymond")),
            ("José Ortega y Gasset", Some("José Ortega y Gasset")),
            ("Texto: Ana García", Some("Ana García")),
            ("新京报", None),
            ("陈智 整合", Some("陈智")),
            ("记者 张三 李四", Some("张三、李四")),
            ("返回富达，查看更多", None),
            ("扬眼企鹅号", None),
            ("name, email@gmail.com", None),
            ("https://www.facebook.com/x", None),
            ("admin", None),
        ];
        for (raw, want) in cases {
            assert_eq!(clean_author(raw, none).as_deref(), want, "{raw}");
        }
        assert_eq!(clean_author("网易", &["网易新闻"]), None);
        assert_eq!(clean_author("Reuters", &["Reuters"]), None);
    }
}
