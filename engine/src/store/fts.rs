//! Turning whatever a person types into an FTS5 query that cannot fail. FTS5's own syntax
//! (quotes, `AND`/`OR`/`NOT`, `NEAR`, `*`, `^`, column filters, parentheses) would make input
//! such as `c++ (senior` a syntax error, so every word becomes a quoted string and the words are
//! ANDed; the last word is a prefix so results follow the typing.

/// Words longest enough to be worth searching; more are ignored rather than slowing the query.
const MAX_TERMS: usize = 16;

/// What a search box holds, split the way the tokenizer splits: finished words, and the word
/// still being typed (the last one, unless the input ends with a separator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub words: Vec<String>,
    pub typing: Option<String>,
}

impl Terms {
    /// `None` when the input holds no searchable word (only punctuation or emoji): such a
    /// search matches nothing rather than everything.
    pub fn parse(input: &str) -> Option<Self> {
        // The tokenizer (unicode61) splits on anything that is not a letter or digit, so the
        // same split here keeps every quoted term a single token.
        let mut words: Vec<String> = input
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .take(MAX_TERMS)
            .map(str::to_owned)
            .collect();
        if words.is_empty() {
            return None;
        }
        // A trailing separator means the last word is finished: no prefix match.
        let typing = input
            .chars()
            .last()
            .is_some_and(char::is_alphanumeric)
            .then(|| words.pop())
            .flatten();
        Some(Self { words, typing })
    }

    /// The MATCH expression: finished words quoted and ANDed; the word being typed as an FTS5
    /// prefix, or, given `expansion` (the indexed terms it begins), as those exact terms ORed.
    pub fn expression(&self, expansion: Option<&[String]>) -> String {
        // Terms hold only letters and digits, so they need no escaping inside the quotes.
        let mut parts: Vec<String> = self.words.iter().map(|w| format!("\"{w}\"")).collect();
        if let Some(typing) = &self.typing {
            parts.push(match expansion {
                None => format!("\"{typing}\"*"),
                Some([]) => format!("\"{typing}\""),
                Some(terms) => {
                    let mut alternatives = vec![format!("\"{typing}\"")];
                    alternatives.extend(terms.iter().map(|t| format!("\"{t}\"")));
                    format!("({})", alternatives.join(" OR "))
                }
            });
        }
        // Explicit ANDs: FTS5 does not imply one before a parenthesised group.
        parts.join(" AND ")
    }
}

/// The FTS5 MATCH expression for `input` with FTS5's own prefix matching, or `None` when the
/// input holds nothing searchable.
pub fn match_expression(input: &str) -> Option<String> {
    Terms::parse(input).map(|t| t.expression(None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_words_and_prefixes_the_last() {
        assert_eq!(
            match_expression("rust engin").as_deref(),
            Some("\"rust\" AND \"engin\"*")
        );
        assert_eq!(
            match_expression("rust engineer ").as_deref(),
            Some("\"rust\" AND \"engineer\"")
        );
        assert_eq!(
            match_expression("c++ (senior").as_deref(),
            Some("\"c\" AND \"senior\"*")
        );
        assert_eq!(
            match_expression("\"NOT\" OR"),
            Some("\"NOT\" AND \"OR\"*".into())
        );
        assert_eq!(match_expression("Zürich"), Some("\"Zürich\"*".into()));
        assert_eq!(match_expression("🚀 ()\"*^:"), None);
        assert_eq!(match_expression(""), None);
    }

    #[test]
    fn a_typed_prefix_can_become_its_terms() {
        let terms = Terms::parse("rust engin").unwrap();
        assert_eq!(terms.typing.as_deref(), Some("engin"));
        let expansion = ["engin".to_owned(), "engine".to_owned()];
        assert_eq!(
            terms.expression(Some(&expansion)),
            "\"rust\" AND (\"engin\" OR \"engin\" OR \"engine\")"
        );
        assert_eq!(Terms::parse("rust ").unwrap().typing, None);
    }
}
