//! HTML from providers: entity-escaped HTML unescaped once, descriptions sanitized for display,
//! and plain text for search and the LLM.

use scraper::{Html, Node};
use std::sync::LazyLock;

/// Decodes one level of HTML character references: `&lt;div&gt;` → `<div>`, `&amp;nbsp;` →
/// `&nbsp;` (which stays for the HTML parser). Greenhouse sends its `content` escaped this way.
/// Unknown names and malformed references are kept as written.
pub fn unescape_once(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest[1..]
            .find(';')
            .filter(|&end| end <= 32)
            .and_then(|end| decode_reference(&rest[1..=end]).map(|c| (c, end + 2)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `name` without `&` and `;`: `lt`, `#39`, `#x27`.
fn decode_reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => return None,
    })
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer nofollow"))
        .rm_tags(["img"]);
    builder
});

/// Description HTML safe to show: no script, style, event handlers, `javascript:` URLs,
/// images (tracking pixels) or unknown tags; links open nothing with the opener.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Elements that start a new line in plain text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "table"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "blockquote"
            | "pre"
            | "hr"
            | "dt"
            | "dd"
            | "dl"
            | "main"
            | "nav"
            | "aside"
            | "form"
            | "figure"
    )
}

/// Plain text of an HTML fragment or document: one line per block, list items bulleted,
/// whitespace (non-breaking spaces included) collapsed, scripts and styles dropped.
pub fn to_text(html: &str) -> String {
    let document = Html::parse_fragment(html);
    let mut text = Text::default();
    walk(document.tree.root(), &mut text, &|_, _| false);
    text.finish()
}

/// Plain text built a block at a time.
#[derive(Default)]
pub(crate) struct Text {
    lines: Vec<String>,
    pub(crate) line: String,
}

impl Text {
    pub(crate) fn push_words(&mut self, words: &str) {
        for (i, word) in words.split_whitespace().enumerate() {
            let glued = i == 0 && !words.starts_with(char::is_whitespace);
            if !self.line.is_empty() && !glued && !self.line.ends_with(' ') {
                self.line.push(' ');
            }
            self.line.push_str(word);
        }
        if words.ends_with(char::is_whitespace) && !self.line.is_empty() {
            self.line.push(' ');
        }
    }

    pub(crate) fn break_line(&mut self) {
        let line = self.line.trim();
        if !line.is_empty() {
            self.lines.push(line.to_owned());
        }
        self.line.clear();
    }

    pub(crate) fn finish(mut self) -> String {
        self.break_line();
        self.lines.join("\n")
    }
}

/// Appends the text under `node`: one line per block, list items bulleted, scripts and styles
/// dropped. `take` sees each element first and answers `true` when it has dealt with it (wrote
/// it, or chose to drop it), so other readers (the LLM's page text) reuse the same walk.
pub(crate) fn walk<F>(node: ego_tree::NodeRef<'_, Node>, text: &mut Text, take: &F)
where
    F: Fn(ego_tree::NodeRef<'_, Node>, &mut Text) -> bool,
{
    match node.value() {
        Node::Text(t) => text.push_words(t),
        Node::Element(element) => {
            let name = element.name();
            if matches!(
                name,
                "script" | "style" | "noscript" | "template" | "head" | "iframe" | "svg"
            ) || take(node, text)
            {
                return;
            }
            let block = is_block(name);
            if block {
                text.break_line();
            }
            if name == "li" {
                text.line.push_str("• ");
            }
            for child in node.children() {
                walk(child, text, take);
            }
            if block {
                text.break_line();
            }
        }
        _ => {
            for child in node.children() {
                walk(child, text, take);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_exactly_once() {
        assert_eq!(
            unescape_once("&lt;p class=&quot;x&quot;&gt;Fish &amp;amp; chips&amp;nbsp;&lt;/p&gt;"),
            "<p class=\"x\">Fish &amp; chips&nbsp;</p>"
        );
        assert_eq!(unescape_once("&#39;&#x27;&#X41;"), "''A");
        assert_eq!(
            unescape_once("AT&T & &bogus; &#0; &"),
            "AT&T & &bogus; &#0; &"
        );
    }

    #[test]
    fn sanitizing_removes_everything_active() {
        let dirty = r#"<p onclick="x()">Hi <a href="javascript:alert(1)">a</a>
            <a href="https://example.com/apply">apply</a><script>alert(1)</script>
            <img src=x onerror=alert(1)><style>p{}</style><iframe src="//evil"></iframe></p>"#;
        let clean = sanitize(dirty);
        for bad in [
            "onclick",
            "javascript:",
            "<script",
            "alert",
            "<img",
            "onerror",
            "<style",
            "<iframe",
        ] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
        assert!(
            clean.contains(r#"href="https://example.com/apply""#),
            "{clean}"
        );
        assert!(clean.contains("noopener"), "{clean}");
    }

    #[test]
    fn attribute_lookalikes_in_text_stay_text() {
        // Found by the html_to_text fuzz target: a mangled link is text, not a link.
        let clean =
            sanitize(r#"<p onclick="x()">Href="javascript:alert(1)">a</a><script>x</script></p>"#);
        assert_eq!(clean, r#"<p>Href="javascript:alert(1)"&gt;a</p>"#);
        assert_eq!(to_text(&clean), r#"Href="javascript:alert(1)">a"#);
    }

    #[test]
    fn text_keeps_blocks_lists_and_words_apart() {
        let html = "<h2>About</h2><p>We&nbsp;build <b>tools</b>, for\n farmers.</p>\
                    <ul><li>Rust</li><li>SQL</li></ul><script>var x;</script><p>Bye<br>now</p>";
        assert_eq!(
            to_text(html),
            "About\nWe build tools, for farmers.\n• Rust\n• SQL\nBye\nnow"
        );
        assert_eq!(to_text("a<span>b</span> c"), "ab c");
        assert_eq!(to_text(""), "");
    }
}
