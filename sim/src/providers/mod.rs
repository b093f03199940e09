//! One module per provider, each rendering the world's jobs in that provider's wire format.
//! Shapes follow the real payloads in the project's captured fixtures, field for field.

pub mod ashby;
pub mod boards;
pub mod careers;
pub mod greenhouse;
pub mod lever;
pub mod recruitee;
pub mod smartrecruiters;
pub mod workable;

/// Escapes text for HTML, the way Greenhouse escapes its `content` field.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // `at` is an ASCII byte's index, so a character boundary.
        out.push_str(&text[plain..at]);
        out.push_str(entity);
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
    out
}

/// The entities the simulator's HTML uses, decoded in one pass (seeding a million jobs renders
/// every description: a pass per entity was a fifth of the generator's time).
fn decode_entities(text: &str) -> String {
    const ENTITIES: [(&str, &str); 8] = [
        ("&nbsp;", " "),
        ("&mdash;", "—"),
        ("&ndash;", "–"),
        ("&rsquo;", "’"),
        ("&#39;", "'"),
        ("&gt;", ">"),
        ("&lt;", "<"),
        ("&amp;", "&"),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match ENTITIES.iter().find(|(entity, _)| rest.starts_with(entity)) {
            Some((entity, plain)) => {
                out.push_str(plain);
                rest = &rest[entity.len()..];
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

/// A rough plain-text rendering of the generated HTML (providers ship both forms).
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>').map(|c| open + c) else {
            // An unterminated tag hides the rest.
            rest = "";
            break;
        };
        // A `<` inside a tag starts the tag again.
        let start = rest[..close].rfind('<').unwrap_or(open);
        let name = rest[start + 1..close]
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("");
        if matches!(name, "p" | "li" | "h3" | "ul" | "br") {
            out.push('\n');
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    decoded
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_plain_text() {
        assert_eq!(
            escape_html("<a href=\"x\">R&D</a>"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&lt;/a&gt;"
        );
        assert_eq!(
            plain_text("<p>A &amp; B</p><ul><li>one</li><li>two&nbsp;x</li></ul>"),
            "A & B\none\ntwo x"
        );
        // A `<` inside a tag restarts it; an unterminated tag hides the rest; a `>` outside
        // tags is text.
        assert_eq!(plain_text("a<x <p>b</p> c > d<br"), "a\nb\nc > d");
        // One pass: an escaped entity stays an entity, a bare ampersand stays itself.
        assert_eq!(
            plain_text("<p>&amp;lt; &ndash; R&D &#39;x&#39; &gt;&lt;</p>"),
            "&lt; – R&D 'x' ><"
        );
    }
}
