//! What the model reads of a page: its title and main content as plain text, without the
//! boilerplate around it (navigation, header, footer, forms, cookie banners, scripts), links
//! written as `[text](absolute URL)` so job links can be extracted and resolved.

use crate::sources::html::{Text, walk};
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;

static TITLE: LazyLock<Selector> = LazyLock::new(|| Selector::parse("title").expect("selector"));
static MAIN: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("main, [role=main]").expect("selector"));
static BODY: LazyLock<Selector> = LazyLock::new(|| Selector::parse("body").expect("selector"));

/// Elements never read: not content, or the site's chrome rather than the page's.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "iframe"
            | "svg"
            | "nav"
            | "header"
            | "footer"
            | "aside"
            | "form"
            | "button"
            | "select"
            | "dialog"
    )
}

/// Banners that sit inside content on many sites.
fn is_banner(element: &scraper::node::Element) -> bool {
    ["class", "id"].iter().any(|attr| {
        element.attr(attr).is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            ["cookie", "consent", "newsletter", "gdpr"]
                .iter()
                .any(|w| v.contains(w))
        })
    })
}

/// The cleaned text of `html`, read at `page_url` (for absolute links).
pub fn page_text(html: &str, page_url: &url::Url) -> String {
    let document = Html::parse_document(html);
    let mut text = Text::default();
    if let Some(title) = document.select(&TITLE).next() {
        let title: String = title.text().collect::<String>();
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        if !title.is_empty() {
            text.push_words(&title);
            text.break_line();
        }
    }
    // The page's own content where the site marks it; else the body without its chrome.
    let root = document
        .select(&MAIN)
        .next()
        .or_else(|| document.select(&BODY).next());
    if let Some(root) = root {
        walk(*root, &mut text, &|node, text| take(node, page_url, text));
    }
    text.finish()
}

/// What the page text does beyond plain text: drops the site's chrome and banners, and writes
/// links as `[text](absolute URL)`.
fn take(node: ego_tree::NodeRef<'_, Node>, page_url: &url::Url, text: &mut Text) -> bool {
    let Node::Element(element) = node.value() else {
        return false;
    };
    if skipped(element.name()) || is_banner(element) {
        return true;
    }
    let link = (element.name() == "a")
        .then(|| {
            element
                .attr("href")
                .and_then(|href| absolute(href, page_url))
        })
        .flatten();
    let Some(link) = link else {
        return false;
    };
    let label: String = ElementRef::wrap(node)
        .map(|a| a.text().collect())
        .unwrap_or_default();
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.line.is_empty() && !text.line.ends_with(' ') {
        text.line.push(' ');
    }
    text.line.push_str(&format!("[{label}]({link})"));
    true
}

/// An http(s) link other than a jump within this page.
fn absolute(href: &str, page_url: &url::Url) -> Option<url::Url> {
    let mut link = page_url.join(href.trim()).ok()?;
    if !matches!(link.scheme(), "http" | "https") {
        return None;
    }
    link.set_fragment(None);
    let mut here = page_url.clone();
    here.set_fragment(None);
    (link != here).then_some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_content_and_drops_the_chrome() {
        let page = r##"<!doctype html><html><head><title> Rust Engineer – Acme </title>
            <script>var tracking = 1;</script><style>p{}</style></head><body>
            <header><a href="/">Acme careers</a></header><nav><a href="/about">About</a></nav>
            <main><h1>Rust Engineer</h1><p>Build&nbsp;things in <b>Berlin</b>.</p>
            <div class="cookie-banner">We use cookies</div>
            <ul><li>Rust</li><li>SQL</li></ul>
            <a href="jobs/7/apply#form">Apply now</a> <a href="javascript:void(0)">x</a>
            <a href="mailto:jobs@acme.example">Mail us</a> <a href="#top">Top</a>
            <form><input name="q"><button>Search</button></form></main>
            <footer>© Acme</footer></body></html>"##;
        let url = url::Url::parse("https://acme.example/careers/").unwrap();
        assert_eq!(
            page_text(page, &url),
            "Rust Engineer – Acme\nRust Engineer\nBuild things in Berlin.\n• Rust\n• SQL\n\
             [Apply now](https://acme.example/careers/jobs/7/apply) x Mail us Top"
        );
    }

    #[test]
    fn a_page_without_main_is_read_from_its_body() {
        let page = "<html><body><header>Menu</header><p>Open roles</p>\
                    <p><a href='/jobs/1'>Baker</a></p></body></html>";
        let url = url::Url::parse("http://x.example/").unwrap();
        assert_eq!(
            page_text(page, &url),
            "Open roles\n[Baker](http://x.example/jobs/1)"
        );
    }
}
