//! Turning whatever a person types into an FTS5 query that cannot fail. FTS5's own syntax
//! (quotes, `AND`/`OR`/`NOT`, `NEAR`, `*`, `^`, column filters, parentheses) would make input
//! such as `c++ (senior` a syntax error, so every word becomes a quoted string and the words are
//! ANDed; the last word is a prefix so results follow the typing.

/// Words longest enough to be worth searching; more are ignored rather than slowing the query.
const MAX_TERMS: usize = 16;

/// The FTS5 MATCH expression for `input`, or `None` when the input holds no searchable word
/// (only punctuation or emoji): such a search matches nothing rather than everything.
pub fn match_expression(input: &str) -> Option<String> {
    // The tokenizer (unicode61) splits on anything that is not a letter or digit, so the same
    // split here keeps every quoted term a single token.
    let terms: Vec<&str> = input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(MAX_TERMS)
        .collect();
    let last = terms.len().checked_sub(1)?;
    // A trailing separator means the last word is finished: no prefix match.
    let typing = input.chars().last().is_some_and(char::is_alphanumeric);
    let mut out = String::with_capacity(input.len() + terms.len() * 4);
    for (i, term) in terms.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // Terms hold only letters and digits, so they need no escaping inside the quotes.
        out.push('"');
        out.push_str(term);
        out.push('"');
        if i == last && typing {
            out.push('*');
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_words_and_prefixes_the_last() {
        assert_eq!(
            match_expression("rust engin").as_deref(),
            Some("\"rust\" \"engin\"*")
        );
        assert_eq!(
            match_expression("rust engineer ").as_deref(),
            Some("\"rust\" \"engineer\"")
        );
        assert_eq!(
            match_expression("c++ (senior").as_deref(),
            Some("\"c\" \"senior\"*")
        );
        assert_eq!(
            match_expression("\"NOT\" OR"),
            Some("\"NOT\" \"OR\"*".into())
        );
        assert_eq!(match_expression("Zürich"), Some("\"Zürich\"*".into()));
        assert_eq!(match_expression("🚀 ()\"*^:"), None);
        assert_eq!(match_expression(""), None);
    }
}
