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
    pub fn expression(&self, expansion: Option<&[String]>) -> Match {
        // Terms hold only letters and digits, so they need no escaping inside the quotes.
        let quote = |w: &str| format!("\"{w}\"");
        let mut phrases: Vec<String> = self.words.iter().map(|w| quote(w)).collect();
        let mut parts = phrases.clone();
        if let Some(typing) = &self.typing {
            let alternatives: Vec<String> = match expansion {
                None => vec![format!("\"{typing}\"*")],
                // The word itself (stemmed as the index is) and every longer term it begins;
                // the word again as an indexed term would only rank the same postings twice.
                Some(terms) => std::iter::once(quote(typing))
                    .chain(
                        terms
                            .iter()
                            .filter(|t| !t.eq_ignore_ascii_case(typing))
                            .map(|t| quote(t)),
                    )
                    .collect(),
            };
            parts.push(match alternatives.as_slice() {
                [one] => one.clone(),
                many => format!("({})", many.join(" OR ")),
            });
            phrases.extend(alternatives);
        }
        // Explicit ANDs: FTS5 does not imply one before a parenthesised group.
        Match {
            text: parts.join(" AND "),
            phrases,
        }
    }
}

/// An FTS5 MATCH expression and its phrases in the order FTS5 numbers them (the order they
/// are written in), for ranking functions that take something per phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub text: String,
    pub phrases: Vec<String>,
}

/// The FTS5 MATCH expression for `input` with FTS5's own prefix matching, or `None` when the
/// input holds nothing searchable.
pub fn match_expression(input: &str) -> Option<String> {
    Terms::parse(input).map(|t| t.expression(None).text)
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
        let m = terms.expression(Some(&expansion));
        assert_eq!(m.text, "\"rust\" AND (\"engin\" OR \"engine\")");
        assert_eq!(m.phrases, ["\"rust\"", "\"engin\"", "\"engine\""]);
        // Nothing longer than the word itself: the word alone, without parentheses.
        let only = ["engin".to_owned()];
        let m = Terms::parse("Engin").unwrap().expression(Some(&only));
        assert_eq!(m.text, "\"Engin\"");
        assert_eq!(m.phrases, ["\"Engin\""]);
        let m = terms.expression(None);
        assert_eq!(m.text, "\"rust\" AND \"engin\"*");
        assert_eq!(m.phrases, ["\"rust\"", "\"engin\"*"]);
        assert_eq!(Terms::parse("rust ").unwrap().typing, None);
    }
}
