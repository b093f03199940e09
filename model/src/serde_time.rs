//! Serde adapters: unix seconds in Rust, RFC 3339 strings on the wire.

use serde::{Deserialize, Deserializer, Serializer, de::Error};

pub fn serialize<S: Serializer>(secs: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&crate::time::rfc3339(*secs))
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let text = String::deserialize(deserializer)?;
    crate::time::parse_rfc3339(&text)
        .ok_or_else(|| D::Error::custom(format!("`{text}` is not an RFC 3339 time")))
}

pub mod opt {
    use super::*;

    pub fn serialize<S: Serializer>(secs: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match secs {
            Some(secs) => super::serialize(secs, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i64>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) => crate::time::parse_rfc3339(&text)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("`{text}` is not an RFC 3339 time"))),
        }
    }
}
