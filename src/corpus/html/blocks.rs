//! An HTML tree → its text as separate blocks, in reading order.
//!
//! A paragraph is a citation anchor, so the block structure a reader sees must survive:
//! paragraphs, headings, list items, table cells, captions and quotes each become their own
//! line, and so does text split by `<br>`; a table row is one line. Inline markup (links,
//! emphasis) joins its text into the surrounding block. A block that is all links (a "related
//! stories" list, a tag cloud, a pager) is navigation, not text, and is left out. Whitespace
//! collapses as a browser renders it, except inside `<pre>`, where each source line stays a
//! line.

use dom_query::NodeRef;

/// Elements that start and end a block of text.
#[rustfmt::skip]
const BLOCKS: &[&str] = &[
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot",
    "thead", "tr", "ul",
];

/// A block whose text is at least this share links is navigation.
const MAX_LINK_SHARE: f64 = 0.8;

/// Elements whose content is never text a reader reads.
#[rustfmt::skip]
const NEVER_TEXT: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "button",
    "select", "option", "input", "textarea", "head", "title", "meta", "link",
];

/// Elements that are page chrome rather than content, skipped when reading a whole page.
pub const CHROME: &[&str] = &["nav", "header", "footer", "aside", "form", "menu", "dialog"];

/// The text blocks under `root`, skipping the elements named in `skip` as well as those that
/// never hold text.
pub fn blocks_of(root: &NodeRef, skip: &[&str]) -> Vec<String> {
    let mut walk = Walk::default();
    walk.node(root, skip, false);
    walk.flush();
    walk.blocks
}

/// Every text block under `root`, navigation included (to show what was left out).
pub fn all_blocks_of(root: &NodeRef) -> Vec<String> {
    let mut walk = Walk {
        keep_links: true,
        ..Walk::default()
    };
    walk.node(root, &[], false);
    walk.flush();
    walk.blocks
}

#[derive(Default)]
struct Walk {
    blocks: Vec<String>,
    line: String,
    /// Bytes of `line` that are link text.
    linked: usize,
    /// Keep blocks that are all links.
    keep_links: bool,
    /// Elements entered and not yet left.
    depth: usize,
}

/// How deep the walk follows the tree's structure.
pub const MAX_DEPTH: usize = 256;

/// How deeply a page's elements nest, counted on its tags without parsing it, up to `limit`
/// (a page nested deeper than any real one is not given to code that recurses over the tree).
pub fn nesting_depth(html: &str, limit: usize) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| b == b'<') {
        i += at + 1;
        let Some(&next) = bytes.get(i) else { break };
        let end = bytes[i..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |e| i + e);
        if next == b'/' {
            depth = depth.saturating_sub(1);
        } else if next.is_ascii_alphabetic() {
            let name: String = html[i..end]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            let self_closing = end > i && bytes[end - 1] == b'/';
            // Raw text: what a script or style holds is not markup.
            if matches!(name.as_str(), "script" | "style" | "textarea" | "title") && !self_closing {
                let from = end.min(bytes.len());
                let close = bytes[from..]
                    .windows(name.len() + 2)
                    .position(|w| w[0] == b'<' && w[1] == b'/' && w[2..].eq_ignore_ascii_case(name.as_bytes()));
                // Past the closing tag's name: its `>` is no tag of its own.
                i = close.map_or(bytes.len(), |at| from + at + name.len() + 2);
                continue;
            }
            if !self_closing && !VOID.contains(&name.as_str()) {
                depth += 1;
                max = max.max(depth);
                if max > limit {
                    return max;
                }
            }
        }
        i = end.min(bytes.len());
    }
    max
}

impl Walk {
    fn node(&mut self, node: &NodeRef, skip: &[&str], pre: bool) {
        self.node_in(node, skip, pre, false);
    }

    fn node_in(&mut self, node: &NodeRef, skip: &[&str], pre: bool, link: bool) {
        self.depth += 1;
        // A hostile page nests elements a hundred thousand deep: below this depth its text is
        // read as one run, without recursion (and so without overflowing the stack).
        if self.depth > MAX_DEPTH {
            self.line.push_str(&node.text());
            self.depth -= 1;
            return;
        }
        for child in node.children_it(false) {
            if child.is_text() {
                let text = child.text();
                if link {
                    // Counted as the total is: without white space.
                    self.linked += text.split_whitespace().map(str::len).sum::<usize>();
                }
                if pre {
                    let mut lines = text.split('\n');
                    if let Some(first) = lines.next() {
                        self.line.push_str(first);
                    }
                    for l in lines {
                        self.flush();
                        self.line.push_str(l);
                    }
                } else {
                    self.line.push_str(&text);
                }
                continue;
            }
            if !child.is_element() {
                continue;
            }
            let Some(name) = child.node_name() else { continue };
            let name = name.to_ascii_lowercase();
            if NEVER_TEXT.contains(&name.as_str()) || skip.contains(&name.as_str()) || is_hidden(&child) {
                continue;
            }
            match name.as_str() {
                "br" => self.flush(),
                "img" => {}
                // Cells of a row read as one line.
                "td" | "th" => {
                    self.line.push(' ');
                    self.node_in(&child, skip, pre, link);
                    self.line.push(' ');
                }
                n if BLOCKS.contains(&n) => {
                    self.flush();
                    self.node_in(&child, skip, pre || n == "pre", link);
                    self.flush();
                }
                "a" => self.node_in(&child, skip, pre, true),
                _ => self.node_in(&child, skip, pre, link),
            }
        }
        self.depth -= 1;
    }

    fn flush(&mut self) {
        let text = collapse(&self.line);
        let all_text = self.line.split_whitespace().map(str::len).sum::<usize>();
        // A link written out as an address is text the author printed, not navigation.
        let printed_url = text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www.");
        let navigation =
            !self.keep_links && all_text > 0 && self.linked as f64 >= MAX_LINK_SHARE * all_text as f64 && !printed_url;
        if !text.is_empty() && !navigation {
            self.blocks.push(text);
        }
        self.line.clear();
        self.linked = 0;
    }
}

/// Whitespace runs (no-break and ideographic spaces included) become one space; the ends are
/// trimmed.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Content a browser does not show: `hidden`, `aria-hidden`, `display:none`.
fn is_hidden(node: &NodeRef) -> bool {
    if node.has_attr("hidden") {
        return true;
    }
    if node.attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return true;
    }
    node.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> Vec<String> {
        let doc = dom_query::Document::from(html);
        let body = doc.select("body");
        let node = body.nodes().first().cloned().unwrap();
        blocks_of(&node, &[])
    }

    #[test]
    fn blocks_follow_the_page_structure() {
        let got = blocks(
            "<body><h2>Heading</h2><p>One <b>bold</b>\n  word.</p><ul><li>first</li><li>second<br>line</li></ul>\
             <div>loose text<p>inner</p>tail</div><figure><img src=x><figcaption>A caption</figcaption></figure>\
             <blockquote>Quoted.</blockquote><pre>a  b\nc</pre><script>var x='<p>no</p>';</script>\
             <p style=\"display: none\">hidden</p><p hidden>also hidden</p></body>",
        );
        assert_eq!(
            got,
            vec![
                "Heading",
                "One bold word.",
                "first",
                "second",
                "line",
                "loose text",
                "inner",
                "tail",
                "A caption",
                "Quoted.",
                "a b",
                "c"
            ]
        );
    }

    #[test]
    fn link_lists_are_navigation_and_rows_are_lines() {
        let got = blocks(
            "<body><p>Text with <a href=/x>a link</a> inside it.</p><h3>Related</h3>\
             <ul><li><a href=/1>Storm hits the coast</a></li><li><a href=/2>Bridge closed</a></li></ul>\
             <p><a href=/more>Read the full story</a></p>\
             <table><tr><th>Pos</th><th>Driver</th></tr><tr><td>1</td><td>Kyle Busch</td></tr></table></body>",
        );
        assert_eq!(
            got,
            vec!["Text with a link inside it.", "Related", "Pos Driver", "1 Kyle Busch"]
        );
    }

    #[test]
    fn a_page_nested_deeper_than_the_walk_is_read_without_recursion() {
        // Deeper than the walk follows, shallow enough to parse quickly in a test (deeper pages
        // are refused before parsing: see `html::refuse`).
        let html = format!(
            "<html><body>{}deep text{}</body></html>",
            "<div>".repeat(1_000),
            "</div>".repeat(1_000)
        );
        assert!(nesting_depth(&html, MAX_DEPTH) > MAX_DEPTH);
        assert_eq!(
            nesting_depth(
                "<html><body><script>var a = '<p><p><p><p>';</script><p>x</p></body></html>",
                100
            ),
            3
        );
        assert_eq!(
            nesting_depth("<html><body><p>a<br>b<img src=x></p></body></html>", 100),
            3
        );
        assert_eq!(blocks(&html), vec!["deep text"]);
    }

    #[test]
    fn a_script_mentioning_closing_tags_does_not_leak() {
        let got = blocks(
            "<body><script>var css = '</style>'; var html = '</div><p>leak</p>'; var json = {\"a\": 1};</script>\
             <style>p::after { content: '</script>' }</style><p>正文第一段。</p></body>",
        );
        assert_eq!(got, vec!["正文第一段。"]);
    }
}
