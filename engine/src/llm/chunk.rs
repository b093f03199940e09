//! Fitting a page into the context: the prompt, the page text and room for the answer must
//! stay within the model's context, or vLLM refuses the request with a 400. Long pages are
//! cut into chunks at line breaks (within a line, at spaces), each small enough.

/// Tokens assumed per character when the server cannot count: about three characters a
/// token, where English prose averages four, so an estimate errs on the safe side.
pub const ESTIMATED_TOKENS_PER_CHAR: f64 = 1.0 / 3.0;

/// A conservative token count of `text` without a tokenizer.
pub fn estimate(text: &str) -> usize {
    (text.chars().count() as f64 * ESTIMATED_TOKENS_PER_CHAR).ceil() as usize + 1
}

/// Splits `text` into pieces of at most `max_chars` characters, at line breaks where lines
/// allow, else at spaces, else anywhere (on character boundaries). No piece is empty.
pub fn split(text: &str, max_chars: usize) -> Vec<String> {
    let max_chars = max_chars.max(1);
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    let mut flush = |current: &mut String, current_chars: &mut usize| {
        if !current.trim().is_empty() {
            pieces.push(current.trim_end().to_owned());
        }
        current.clear();
        *current_chars = 0;
    };
    for line in text.lines() {
        for part in fit_line(line, max_chars) {
            let chars = part.chars().count();
            // +1 for the line break that joins it to what is already there.
            if current_chars > 0 && current_chars + 1 + chars > max_chars {
                flush(&mut current, &mut current_chars);
            }
            if current_chars > 0 {
                current.push('\n');
                current_chars += 1;
            }
            current.push_str(part);
            current_chars += chars;
        }
    }
    flush(&mut current, &mut current_chars);
    pieces
}

/// A line as pieces of at most `max_chars`, cut at the last space that fits where possible.
fn fit_line(line: &str, max_chars: usize) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = line;
    while rest.chars().count() > max_chars {
        let limit = rest
            .char_indices()
            .nth(max_chars)
            .map_or(rest.len(), |(i, _)| i);
        let cut = match rest[..limit].rfind(' ') {
            Some(space) if space > 0 => space,
            _ => limit,
        };
        parts.push(&rest[..cut]);
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_text_is_one_piece_and_long_text_breaks_at_lines() {
        assert_eq!(split("a\nb", 10), vec!["a\nb"]);
        assert_eq!(
            split("first line\nsecond line\nthird", 12),
            vec!["first line", "second line", "third"]
        );
        assert_eq!(
            split("one two three four", 8),
            vec!["one two", "three", "four"]
        );
        assert_eq!(split("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert!(split("\n \n", 5).is_empty());
    }

    #[test]
    fn estimates_err_on_the_safe_side() {
        // 40 characters of English are about 10 tokens; the estimate says more.
        assert!(estimate("The quick brown fox jumps over the lazy") >= 13);
        assert_eq!(estimate(""), 1);
    }

    proptest! {
        #[test]
        fn pieces_fit_and_keep_every_word(text in "[a-zé ]{0,40}(\n[a-zé ]{0,60}){0,20}", max in 1usize..50) {
            let pieces = split(&text, max);
            for piece in &pieces {
                prop_assert!(piece.chars().count() <= max, "{piece:?} > {max}");
                prop_assert!(!piece.trim().is_empty());
            }
            let words = |t: &str| t.split_whitespace().map(str::to_owned).collect::<String>();
            prop_assert_eq!(words(&pieces.join(" ")), words(&text));
        }
    }
}
