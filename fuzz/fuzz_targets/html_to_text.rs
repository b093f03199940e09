//! Any text as HTML: sanitizing and converting never panic, and the sanitized HTML, parsed
//! again as a browser would, holds no script element, no event-handler attribute and no
//! `javascript:` URL. (Checked on the parsed tree: the same words as plain text are harmless.)
#![no_main]

use engine::sources::html;
use libfuzzer_sys::fuzz_target;
use scraper::{Html, Node};

fuzz_target!(|input: &str| {
    let clean = html::sanitize(input);
    let tree = Html::parse_fragment(&clean);
    for node in tree.tree.nodes() {
        if let Node::Element(element) = node.value() {
            let name = element.name();
            assert!(
                !matches!(name, "script" | "style" | "iframe" | "object" | "embed"),
                "{clean}"
            );
            for (attr, value) in element.attrs() {
                assert!(
                    !attr.to_ascii_lowercase().starts_with("on"),
                    "{attr} in {clean}"
                );
                let value = value.trim_start().to_ascii_lowercase();
                assert!(
                    !value.starts_with("javascript:"),
                    "{attr}={value} in {clean}"
                );
            }
        }
    }
    let _ = html::to_text(&clean);
    let _ = html::to_text(input);
    let _ = html::unescape_once(input);
});
