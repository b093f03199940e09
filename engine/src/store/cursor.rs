//! Opaque keyset cursors: the sort key and id of the last row of a page. Base64url of a short
//! versioned text, so a cursor survives URLs unescaped and a forged or stale one is rejected
//! instead of silently starting over.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use model::Sort;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cursor {
    /// After the row with this `sort_at` and id (newest first).
    Newest { sort_at: i64, id: i64 },
    /// After the row with this salary sort key and id (highest first).
    Salary { salary: f64, id: i64 },
    /// After the row with this bm25 score and id (best first: lower scores are better).
    Relevance { score: f64, id: i64 },
}

impl Cursor {
    pub fn sort(&self) -> Sort {
        match self {
            Cursor::Newest { .. } => Sort::Newest,
            Cursor::Salary { .. } => Sort::Salary,
            Cursor::Relevance { .. } => Sort::Relevance,
        }
    }

    pub fn encode(&self) -> String {
        let text = match self {
            Cursor::Newest { sort_at, id } => format!("1n:{sort_at}:{id}"),
            // Floats as their exact bits, so the next page starts exactly after this row.
            Cursor::Salary { salary, id } => format!("1s:{:x}:{id}", salary.to_bits()),
            Cursor::Relevance { score, id } => format!("1r:{:x}:{id}", score.to_bits()),
        };
        URL_SAFE_NO_PAD.encode(text)
    }

    pub fn decode(cursor: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?;
        let mut parts = text.split(':');
        let (kind, key, id) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let id: i64 = id.parse().ok()?;
        let float = || {
            u64::from_str_radix(key, 16)
                .ok()
                .map(f64::from_bits)
                .filter(|f| f.is_finite())
        };
        Some(match kind {
            "1n" => Cursor::Newest {
                sort_at: key.parse().ok()?,
                id,
            },
            "1s" => Cursor::Salary {
                salary: float()?,
                id,
            },
            "1r" => Cursor::Relevance {
                score: float()?,
                id,
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        for cursor in [
            Cursor::Newest {
                sort_at: 1_790_000_000,
                id: 42,
            },
            Cursor::Salary {
                salary: 123_456.78,
                id: 7,
            },
            Cursor::Relevance {
                score: -3.25e-6,
                id: 1,
            },
        ] {
            assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        }
        for bad in [
            "",
            "abc",
            &URL_SAFE_NO_PAD.encode("1x:1:2"),
            &URL_SAFE_NO_PAD.encode("1n:x:1"),
            &URL_SAFE_NO_PAD.encode("1n:1:2:3"),
        ] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }
}
