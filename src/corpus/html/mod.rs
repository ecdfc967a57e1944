//! Saved web pages → the article's text blocks and the page's metadata.
//!
//! Pages come from any site, so nothing here knows a site. Readability (the `dom_smoothie`
//! port of Mozilla's Readability.js, over an HTML5 parser) finds the article: it scores the
//! page's blocks by text and link density and drops navigation, share widgets, comments and
//! related-story lists. The article's tree is then read block by block ([`blocks`]), so
//! paragraphs, headings, list items and captions stay separate citation anchors. A page with
//! no article (an index page, a stub) falls back to the text of the whole page minus its
//! chrome, and says so. Metadata comes from the page itself ([`meta`]): JSON-LD, OpenGraph and
//! article tags, `<time>`, the canonical link.

pub mod blocks;
pub mod meta;

use chrono::NaiveDate;
use dom_query::Document;

/// What a page says, before the line-level cleaning every document gets.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The headline, without a site name glued to it.
    pub title: Option<String>,
    pub author: Option<String>,
    /// The publication (`og:site_name`, JSON-LD publisher), else the site's host name.
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
    /// The article's text blocks in reading order.
    pub blocks: Vec<String>,
    /// No article was found: `blocks` are the whole page's text.
    pub fallback: bool,
    /// The lines around the headline on the whole page, where bylines and date lines are
    /// read from when the markup has none.
    pub header: Vec<String>,
    /// A date in the page's address (`/2019/11/19/`).
    pub url_date: Option<NaiveDate>,
    /// The first date with a time of day shown above the article (`2019-09-07 15:10`):
    /// portals print the publication time there.
    pub shown_date: Option<NaiveDate>,
}

/// An article shorter than this (in characters) means Readability found none: the page is
/// read whole instead.
const MIN_ARTICLE_CHARS: usize = 25;

/// Elements nested deeper than this make a page no one wrote by hand or tool: the HTML5 tree
/// builder's cost grows with the square of the depth there (100,000 levels: a minute).
pub const MAX_NESTING: usize = 2_000;

/// Why a page is not read at all, if it is not: nesting that would stall the parser.
pub fn refuse(html: &str) -> Option<String> {
    let depth = blocks::nesting_depth(html, MAX_NESTING);
    (depth > MAX_NESTING)
        .then(|| format!("its elements are nested more than {MAX_NESTING} levels deep (not an article page)"))
}

/// Whether a file is read as an HTML page: by its extension, or (except Markdown) by its look.
pub fn is_page(path: &std::path::Path, text: &str) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    matches!(ext.as_str(), "html" | "htm") || (ext != "md" && looks_like_html(text))
}

/// Whether decoded text looks like an HTML page rather than prose.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text.chars().take(2000).collect::<String>().to_lowercase();
    head.contains("<html") || head.contains("<!doctype html") || (head.contains("<body") && head.contains("</"))
}

pub fn read_page(html: &str) -> Page {
    // The page as published: its tags, headings and the text around the headline. Readability
    // rewrites its own copy of the tree.
    let doc = Document::from(html);
    let markup = meta::read_markup(&doc);
    let headings = headings(&doc);
    let whole = doc
        .select("body")
        .nodes()
        .first()
        .map(|b| blocks::blocks_of(b, &[]))
        .unwrap_or_default();

    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Raw,
        ..Default::default()
    };
    // Readability rewrites the same parsed tree (everything above has been read from it).
    // It recurses over the tree: a page nested deeper than any real article is read whole
    // instead (`blocks` does not recurse past its depth limit).
    let article = (blocks::nesting_depth(html, blocks::MAX_DEPTH) <= blocks::MAX_DEPTH)
        .then(|| dom_smoothie::Readability::with_document(doc, None, Some(config)).ok())
        .flatten()
        .and_then(|mut r| r.parse().ok());
    let mut page = Page::default();
    let (title, byline, site, published, url) = match &article {
        Some(a) => {
            let content = Document::from(a.content.as_ref());
            let root = content.select("body").nodes().first().cloned();
            if let Some(root) = root {
                page.blocks = blocks::blocks_of(&root, &[]);
            }
            (
                Some(a.title.clone()),
                a.byline.clone(),
                a.site_name.clone(),
                a.published_time.clone(),
                a.url.clone(),
            )
        }
        None => (None, None, None, None, None),
    };
    let article_chars: usize = page.blocks.iter().map(|b| b.chars().count()).sum();
    if article_chars < MIN_ARTICLE_CHARS {
        let outside = whole_page(html);
        if !outside.is_empty() {
            page.blocks = outside;
            page.fallback = true;
        }
    }
    page.url = markup.canonical.clone().or(url.filter(|u| u.starts_with("http")));
    page.outlet = site
        .or(markup.outlet)
        .map(|s| blocks::collapse(&s))
        .filter(|s| !s.is_empty())
        .or_else(|| page.url.as_deref().and_then(meta::host_of));
    page.published = published
        .as_deref()
        .and_then(meta::parse_timestamp)
        .or(markup.published)
        .filter(|d| meta::plausible(*d));
    page.url_date = page.url.as_deref().and_then(meta::date_in_url);
    let outlets: Vec<&str> = page.outlet.iter().map(String::as_str).collect();
    // A site name in the author tag (`<meta name=author content="网易">`) is no one.
    page.author = byline
        .as_deref()
        .and_then(|b| meta::clean_author(b, &outlets))
        .or_else(|| markup.author.as_deref().and_then(|a| meta::clean_author(a, &outlets)));
    let meta_title = title.map(|t| blocks::collapse(&t)).filter(|t| !t.is_empty());
    page.title = meta::choose_title(meta_title.as_deref(), &headings, &outlets);
    page.header = header_lines(&whole, page.title.as_deref());
    page.shown_date = shown_date(&whole, page.blocks.first());
    tidy_article(&mut page);
    page
}

/// The page's `<h1>` texts (and `<h2>` when it has none), in order: the headline a reader
/// sees is usually one of them.
fn headings(doc: &Document) -> Vec<String> {
    for selector in ["h1", "h2"] {
        let found: Vec<String> = doc
            .select(selector)
            .nodes()
            .iter()
            .map(|n| blocks::collapse(&n.text()))
            .filter(|t| !t.is_empty())
            .take(8)
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// The lines just around the headline on the whole page, where bylines and date lines sit
/// even when they are outside the article's tree.
fn header_lines(whole: &[String], title: Option<&str>) -> Vec<String> {
    let folded_title = title.map(crate::text::fold);
    let at = folded_title
        .as_deref()
        .and_then(|t| whole.iter().position(|b| crate::text::fold(b) == t));
    match at {
        Some(i) => whole[i.saturating_sub(2)..(i + 14).min(whole.len())]
            .iter()
            .filter(|b| Some(crate::text::fold(b)) != folded_title)
            .cloned()
            .collect(),
        None => Vec::new(),
    }
}

/// The first date and time of day in the page's text before its article starts (or in its
/// first 60 blocks).
fn shown_date(whole: &[String], first_article_block: Option<&String>) -> Option<NaiveDate> {
    static DATE_TIME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:[T ]|&nbsp;)?\s*\d{1,2}[:：]\d{2}")
            .unwrap()
    });
    let end = first_article_block
        .and_then(|b| whole.iter().position(|w| w == b))
        .map_or(60, |i| i + 1)
        .min(whole.len());
    whole[..end].iter().find_map(|b| {
        let c = DATE_TIME.captures(b)?;
        NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
            .filter(|d| meta::plausible(*d))
    })
}

/// Drops what Readability keeps but a reader skips: the headline and the byline repeated as
/// the article's first blocks, and a long block repeated verbatim (gallery captions shown
/// twice).
fn tidy_article(page: &mut Page) {
    let title = page.title.as_deref().map(crate::text::fold);
    let author = page
        .author
        .as_deref()
        .map(crate::text::fold)
        .filter(|a| a.chars().count() >= 3);
    let mut seen = std::collections::HashSet::new();
    let mut i = 0;
    page.blocks.retain(|b| {
        i += 1;
        let f = crate::text::fold(b);
        let headline = i <= 3 && Some(&f) == title.as_ref();
        let byline = i <= 10
            && author
                .as_ref()
                .is_some_and(|a| f.contains(a.as_str()) && f.chars().count() <= a.chars().count() + 30);
        // Short lines repeat for a reason (a recipe's "1 cup", a refrain); a long one
        // repeated is a caption shown twice or a pull quote.
        let repeated = f.chars().count() >= 80 && !seen.insert(f);
        !headline && !byline && !repeated
    });
}

/// Every text block of a page, chrome included (for showing what extraction left out).
pub fn page_blocks(html: &str) -> Vec<String> {
    let doc = Document::from(html);
    let body = doc.select("body");
    body.nodes().first().map(blocks::all_blocks_of).unwrap_or_default()
}

/// The text of a whole page, minus what is never content (scripts, navigation, headers,
/// footers, forms).
fn whole_page(html: &str) -> Vec<String> {
    let doc = Document::from(html);
    let body = doc.select("body");
    match body.nodes().first() {
        Some(b) => blocks::blocks_of(b, blocks::CHROME),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article_page(extra_head: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html><html><head><title>Rivers rise in the north | Daily Planet</title>{extra_head}</head><body>\
             <nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>\
             <div class='share'><a href='#'>Share on Facebook</a> <a href='#'>Tweet</a></div>\
             <article><h1>Rivers rise in the north</h1>{body}</article>\
             <aside class='related'><h3>Related stories</h3><ul><li><a href='/1'>Storm hits coast</a></li>\
             <li><a href='/2'>Bridge closed</a></li><li><a href='/3'>Rain to continue</a></li></ul></aside>\
             <footer>© 2019 Daily Planet. All rights reserved. <a href='/privacy'>Privacy</a></footer></body></html>"
        )
    }

    const BODY: &str = "<p>Heavy rain over the weekend pushed rivers across the northern valleys to their \
        highest levels in a decade, officials said on Monday, as emergency crews moved families from low ground.</p>\
        <p>The river at Millbrook rose by more than two metres overnight. Residents described water reaching the \
        doors of houses that had never flooded before, and the town's only bridge was closed to traffic.</p>\
        <h2>What comes next</h2><p>Forecasters expect the rain to ease by Wednesday, but warned that water \
        levels downstream would keep rising for several days as the flood moves through the valley system.</p>\
        <figure><img src='a.jpg'><figcaption>The flooded main street of Millbrook on Sunday.</figcaption></figure>";

    #[test]
    fn an_article_keeps_its_blocks_and_drops_the_chrome() {
        let page = read_page(&article_page("", BODY));
        assert!(!page.fallback);
        assert_eq!(page.title.as_deref(), Some("Rivers rise in the north"));
        assert!(
            page.blocks[0].starts_with("Heavy rain over the weekend"),
            "{:?}",
            page.blocks
        );
        assert!(page.blocks.contains(&"What comes next".to_string()));
        assert!(page
            .blocks
            .contains(&"The flooded main street of Millbrook on Sunday.".to_string()));
        for junk in [
            "Home",
            "Share on Facebook",
            "Related stories",
            "Storm hits coast",
            "All rights reserved",
        ] {
            assert!(
                !page.blocks.iter().any(|b| b.contains(junk)),
                "{junk} kept: {:?}",
                page.blocks
            );
        }
    }

    #[test]
    fn metadata_comes_from_json_ld_then_tags() {
        let head = r#"<meta property="og:site_name" content="Daily Planet">
            <link rel="canonical" href="https://planet.example/north/rivers">
            <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
            "headline":"Rivers rise in the north","datePublished":"2019-03-03T22:10:00-05:00",
            "author":{"@type":"Person","name":"Lois Lane"},"publisher":{"@type":"Organization","name":"Daily Planet"}}</script>
            <meta property="article:published_time" content="2019-03-05T00:00:00Z">"#;
        let page = read_page(&article_page(head, BODY));
        assert_eq!(page.published, NaiveDate::from_ymd_opt(2019, 3, 3));
        assert_eq!(page.author.as_deref(), Some("Lois Lane"));
        assert_eq!(page.outlet.as_deref(), Some("Daily Planet"));
        assert_eq!(page.url.as_deref(), Some("https://planet.example/north/rivers"));
        assert_eq!(page.title.as_deref(), Some("Rivers rise in the north"));
    }

    #[test]
    fn a_page_without_an_article_falls_back_to_its_text() {
        let page = read_page("<html><head><title>Index</title></head><body><nav>Menu</nav><ul><li><a href='/a'>A</a></li></ul><p>Tiny note.</p></body></html>");
        assert!(page.fallback, "{page:?}");
        assert!(page.blocks.contains(&"Tiny note.".to_string()), "{:?}", page.blocks);
        assert!(!page.blocks.iter().any(|b| b == "Menu"));
    }
}
