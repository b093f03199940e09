//! A deterministic stand-in for Qwen's byte-level BPE tokenizer. It does not reproduce the real
//! vocabulary; it reproduces what a client depends on: counts in the same range as the real
//! tokenizer (about 4 characters a token in English prose, more tokens for punctuation-heavy
//! JSON), the same count from `/tokenize` and from a completion's `usage`, and a chat template
//! that costs a few tokens per message.

/// Letters or digits merged into one token at most; real BPE merges common words whole.
const MAX_RUN: usize = 6;
/// Qwen3's vocabulary size, so ids look like the real ones.
const VOCAB: u64 = 151_643;

/// Byte offsets where each token of `text` ends. Whitespace joins the token after it (as
/// ` word` does in BPE), except runs of line breaks, which are tokens of their own.
pub fn token_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::with_capacity(text.len() / 3 + 1);
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c == '\n' {
            let mut end = start + 1;
            while let Some(&(i, '\n')) = chars.peek() {
                end = i + 1;
                chars.next();
            }
            ends.push(end);
        } else if c.is_whitespace() {
            continue;
        } else if c.is_ascii_alphanumeric() {
            let mut run = 1;
            let mut end = start + 1;
            while let Some(&(i, next)) = chars.peek() {
                if !next.is_ascii_alphanumeric() {
                    break;
                }
                if run == MAX_RUN {
                    ends.push(end);
                    run = 0;
                }
                run += 1;
                end = i + 1;
                chars.next();
            }
            ends.push(end);
        } else {
            ends.push(start + c.len_utf8());
        }
    }
    ends
}

pub fn count(text: &str) -> usize {
    token_ends(text).len()
}

/// Token ids, stable for the same text.
pub fn ids(text: &str) -> Vec<u64> {
    let mut start = 0;
    token_ends(text)
        .into_iter()
        .map(|end| {
            let piece = text[start..end].trim_start_matches([' ', '\t', '\r']);
            start = end;
            fnv(piece.as_bytes()) % VOCAB
        })
        .collect()
}

/// The longest prefix of `text` that holds at most `tokens` tokens.
pub fn truncate(text: &str, tokens: usize) -> &str {
    let ends = token_ends(text);
    match tokens {
        0 => "",
        n if n >= ends.len() => text,
        n => &text[..ends[n - 1]],
    }
}

/// Qwen's chat-template special tokens and its id for "\n".
const IM_START: u64 = 151_644;
const IM_END: u64 = 151_645;
const NEWLINE: u64 = 198;

/// Token ids of a chat of `(role, content)` turns rendered through the model's template:
/// `<|im_start|>role\ncontent<|im_end|>\n` each, then `<|im_start|>assistant\n` when the
/// model is to answer.
pub fn chat<'a>(
    turns: impl IntoIterator<Item = (&'a str, &'a str)>,
    add_generation_prompt: bool,
) -> Vec<u64> {
    let mut out = Vec::new();
    for (role, content) in turns {
        out.extend([IM_START, fnv(role.as_bytes()) % VOCAB, NEWLINE]);
        out.extend(ids(content));
        out.extend([IM_END, NEWLINE]);
    }
    if add_generation_prompt {
        out.extend([IM_START, fnv(b"assistant") % VOCAB, NEWLINE]);
    }
    out
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_look_like_bpe() {
        assert_eq!(count(""), 0);
        assert_eq!(count("We are hiring"), 3);
        // "engineering" is split once; punctuation is a token each.
        assert_eq!(count("engineering, {}"), 5);
        assert_eq!(count("a\n\n\nb"), 3);
        assert_eq!(count("Zürich"), 3);
        let prose = "Our platform team builds the services every product at the company runs on. \
                     You will design reliable systems, review code and mentor engineers.";
        let ratio = prose.len() as f64 / count(prose) as f64;
        assert!((3.5..5.0).contains(&ratio), "{ratio} characters a token");
    }

    #[test]
    fn truncate_and_ids_agree_with_count() {
        let text = "Senior Backend Engineer — Berlin, Germany";
        let n = count(text);
        assert_eq!(truncate(text, n), text);
        assert_eq!(count(truncate(text, 3)), 3);
        assert_eq!(truncate(text, 3), "Senior Backend");
        assert_eq!(truncate(text, 0), "");
        assert_eq!(ids(text).len(), n);
        assert_eq!(ids(text), ids(text));
        assert!(ids(text).iter().all(|id| *id < VOCAB));
    }

    #[test]
    fn chat_template_costs_tokens() {
        assert_eq!(chat([("user", "hi")], false).len(), 1 + 5);
        let both = chat([("system", "hi"), ("user", "there")], true);
        assert_eq!(both.len(), 2 + 2 * 5 + 3);
        assert_eq!(both[0], IM_START);
        assert_eq!(both[both.len() - 1], NEWLINE);
    }
}
