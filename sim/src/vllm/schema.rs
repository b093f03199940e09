//! Structured output: a JSON value valid for the requested JSON Schema, filled from the facts
//! the stand-in model found in the page. Covers what schema generators such as schemars emit:
//! `$ref` into `$defs`/`definitions`, nullable types (`["string","null"]`, `anyOf` with null),
//! enums, consts, nested objects and arrays, `minimum`/`maximum`, `maxLength`, `maxItems`.

use super::facts::JobFacts;
use serde_json::{Map, Value, json};

/// Fills `schema` from `jobs`: scalar fields from the first job, arrays of objects with one
/// element per job (a list page).
pub fn generate(schema: &Value, jobs: &[JobFacts]) -> Value {
    Filler { root: schema, jobs }.value(schema, None, jobs.first(), 0)
}

struct Filler<'a> {
    root: &'a Value,
    jobs: &'a [JobFacts],
}

/// Deeper than any extraction schema; stops a recursive `$ref` from looping.
const MAX_DEPTH: usize = 16;

impl<'a> Filler<'a> {
    fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..MAX_DEPTH {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => match reference
                    .strip_prefix('#')
                    .and_then(|pointer| self.root.pointer(pointer))
                {
                    Some(target) => schema = target,
                    None => return &Value::Null,
                },
                None => return schema,
            }
        }
        schema
    }

    fn value(
        &self,
        schema: &'a Value,
        name: Option<&str>,
        job: Option<&JobFacts>,
        depth: usize,
    ) -> Value {
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(constant) = schema.get("const") {
            return constant.clone();
        }
        let fact = name.and_then(|n| job.and_then(|j| j.field(n)));
        if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
            return pick_enum(choices, fact.as_ref());
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(variants) = schema.get(key).and_then(Value::as_array) {
                let nullable = variants.iter().any(|v| is_null_type(self.resolve(v)));
                let concrete = variants.iter().find(|v| !is_null_type(self.resolve(v)));
                return match concrete {
                    Some(variant)
                        if !(nullable && fact.is_none() && !self.has_facts(variant, job)) =>
                    {
                        self.value(variant, name, job, depth + 1)
                    }
                    _ => Value::Null,
                };
            }
        }
        if let Some(first) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .and_then(|all| all.first())
        {
            return self.value(first, name, job, depth + 1);
        }
        let (kind, nullable) = type_of(schema);
        match kind {
            "object" if nullable && !self.has_facts(schema, job) => Value::Null,
            "object" => self.object(schema, job, depth),
            "array" => self.array(schema, name, job, depth),
            "null" => Value::Null,
            scalar => match coerce(scalar, fact, schema) {
                Some(value) => value,
                None if nullable => Value::Null,
                None => default_of(scalar, schema),
            },
        }
    }

    /// Whether the page says anything that fits this object's properties (a nullable object
    /// the page knows nothing about is null, not a record of blanks).
    fn has_facts(&self, schema: &'a Value, job: Option<&JobFacts>) -> bool {
        let schema = self.resolve(schema);
        match (schema.get("properties").and_then(Value::as_object), job) {
            (Some(properties), Some(job)) => properties.keys().any(|k| job.field(k).is_some()),
            (None, Some(_)) => type_of(schema).0 == "array",
            _ => false,
        }
    }

    fn object(&self, schema: &'a Value, job: Option<&JobFacts>, depth: usize) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (key, property) in properties {
                // An optional field the page says nothing about is left out, as a model does.
                let resolved = self.resolve(property);
                let unknown = job.and_then(|j| j.field(key)).is_none();
                if !required.contains(&key.as_str())
                    && unknown
                    && is_scalar(resolved)
                    && resolved.get("const").is_none()
                {
                    continue;
                }
                let value = self.value(property, Some(key), job, depth + 1);
                out.insert(key.clone(), value);
            }
        }
        Value::Object(out)
    }

    fn array(
        &self,
        schema: &'a Value,
        name: Option<&str>,
        job: Option<&JobFacts>,
        depth: usize,
    ) -> Value {
        let items = schema
            .get("items")
            .map(|i| self.resolve(i))
            .unwrap_or(&Value::Null);
        let limit = schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |n| n as usize);
        let element_is_object = type_of(items).0 == "object" || items.get("properties").is_some();
        let values: Vec<Value> = if element_is_object {
            // A list of records: one per job the page shows.
            self.jobs
                .iter()
                .map(|j| self.value(items, None, Some(j), depth + 1))
                .collect()
        } else {
            // A list of scalars such as `job_urls`: the singular field of every job.
            let singular = name.map(|n| n.trim_end_matches('s').to_owned());
            let many: Vec<Value> = self
                .jobs
                .iter()
                .filter_map(|j| singular.as_deref().and_then(|n| j.field(n)))
                .collect();
            if many.is_empty() {
                job.and_then(|j| name.and_then(|n| j.field(n)))
                    .map(|v| vec![v])
                    .unwrap_or_default()
            } else {
                many
            }
        };
        Value::Array(values.into_iter().take(limit).collect())
    }
}

/// The primary type of a schema and whether it admits null.
fn type_of(schema: &Value) -> (&str, bool) {
    match schema.get("type") {
        Some(Value::String(t)) => (t.as_str(), t == "null"),
        Some(Value::Array(types)) => {
            let nullable = types.iter().any(|t| t == "null");
            let primary = types
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .unwrap_or("null");
            (primary, nullable)
        }
        _ if schema.get("properties").is_some() => ("object", false),
        _ => ("string", schema.get("nullable") == Some(&Value::Bool(true))),
    }
}

fn is_null_type(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

fn is_scalar(schema: &Value) -> bool {
    !matches!(type_of(schema).0, "object" | "array")
}

/// `fact` converted to the schema's scalar type, within its bounds, or `None` if it has none.
fn coerce(kind: &str, fact: Option<Value>, schema: &Value) -> Option<Value> {
    let fact = fact?;
    match kind {
        "string" => {
            let text = match fact {
                Value::String(s) => s,
                other => other.to_string(),
            };
            let text = match schema.get("format").and_then(Value::as_str) {
                Some("date-time") if text.len() == 10 => format!("{text}T00:00:00Z"),
                _ => text,
            };
            let max = schema
                .get("maxLength")
                .and_then(Value::as_u64)
                .map_or(usize::MAX, |n| n as usize);
            Some(json!(text.chars().take(max).collect::<String>()))
        }
        "integer" | "number" => {
            let n = fact.as_f64().or_else(|| fact.as_str()?.parse().ok())?;
            let n = clamp(n, schema);
            Some(if kind == "integer" {
                json!(n.round() as i64)
            } else {
                json!(n)
            })
        }
        "boolean" => fact.as_bool().map(Value::Bool),
        _ => None,
    }
}

fn clamp(n: f64, schema: &Value) -> f64 {
    let low = schema
        .get("minimum")
        .and_then(Value::as_f64)
        .unwrap_or(f64::MIN);
    let high = schema
        .get("maximum")
        .and_then(Value::as_f64)
        .unwrap_or(f64::MAX);
    n.clamp(low, high)
}

/// What a model writes for a required field the page says nothing about.
fn default_of(kind: &str, schema: &Value) -> Value {
    match kind {
        "integer" => json!(clamp(0.0, schema) as i64),
        "number" => json!(clamp(0.0, schema)),
        "boolean" => json!(false),
        _ => json!(""),
    }
}

/// The enum value matching the fact, ignoring case and separators (`on-site` = `ON_SITE`); else
/// null when allowed; else the first value.
fn pick_enum(choices: &[Value], fact: Option<&Value>) -> Value {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    if let Some(wanted) = fact.and_then(Value::as_str).map(squash)
        && let Some(hit) = choices
            .iter()
            .find(|c| c.as_str().is_some_and(|s| squash(s) == wanted))
    {
        return hit.clone();
    }
    if choices.iter().any(Value::is_null) {
        return Value::Null;
    }
    choices.first().cloned().unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(title: &str, salary: Option<(u64, u64, &'static str, &'static str)>) -> JobFacts {
        JobFacts {
            title: title.into(),
            company: "Acme".into(),
            url: format!("http://sim/careers/acme/jobs/{}", title.len()),
            location: "Berlin, Germany".into(),
            city: "Berlin".into(),
            country: "Germany".into(),
            country_code: "DE".into(),
            department: "Engineering".into(),
            workplace: Some("on_site"),
            employment: "full_time",
            salary,
            date_posted: "2026-11-01".into(),
            description: "Build things.".into(),
        }
    }

    #[test]
    fn fills_a_schemars_style_job_schema() {
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {
                "title": {"type": "string"},
                "location": {"type": ["string", "null"]},
                "salary": {"anyOf": [{"$ref": "#/$defs/Salary"}, {"type": "null"}]},
                "workplace": {"type": ["string", "null"], "enum": ["remote", "hybrid", "onsite", null]},
                "posted": {"type": "string", "format": "date-time"},
                "bonus": {"type": "integer"}
            },
            "required": ["title", "location", "salary", "workplace"],
            "$defs": {"Salary": {"type": "object", "properties": {
                "min": {"type": "integer"}, "max": {"type": "integer"},
                "currency": {"type": "string"}, "period": {"enum": ["hour", "month", "year"]}
            }, "required": ["min", "max", "currency", "period"]}}
        });
        let value = generate(
            &schema,
            &[facts("Welder", Some((50_000, 60_000, "EUR", "year")))],
        );
        assert_eq!(
            value,
            json!({
                "title": "Welder", "location": "Berlin, Germany",
                "salary": {"min": 50_000, "max": 60_000, "currency": "EUR", "period": "year"},
                "workplace": "onsite", "posted": "2026-11-01T00:00:00Z"
            })
        );
        let none = generate(&schema, &[facts("Welder", None)]);
        assert_eq!(none["salary"], Value::Null);
    }

    #[test]
    fn a_list_schema_gets_one_record_per_job() {
        let schema = json!({
            "type": "object",
            "properties": {"jobs": {"type": "array", "maxItems": 2, "items": {
                "type": "object",
                "properties": {"title": {"type": "string"}, "url": {"type": "string"}},
                "required": ["title", "url"]
            }}},
            "required": ["jobs"]
        });
        let jobs = [facts("A", None), facts("Bb", None), facts("Ccc", None)];
        let value = generate(&schema, &jobs);
        assert_eq!(
            value["jobs"],
            json!([
                {"title": "A", "url": "http://sim/careers/acme/jobs/1"},
                {"title": "Bb", "url": "http://sim/careers/acme/jobs/2"}
            ])
        );
        let urls = json!({"type": "object", "properties": {"job_urls": {"type": "array", "items": {"type": "string"}}}, "required": ["job_urls"]});
        assert_eq!(
            generate(&urls, &jobs)["job_urls"].as_array().map(Vec::len),
            Some(3)
        );
        assert_eq!(generate(&schema, &[])["jobs"], json!([]));
    }

    #[test]
    fn bounds_and_defaults_hold() {
        let schema = json!({"type": "object", "properties": {
            "salary_min": {"type": "integer", "minimum": 0, "maximum": 1000},
            "remote": {"type": "boolean"},
            "title": {"type": "string", "maxLength": 3},
            "mystery": {"type": "string"}
        }, "required": ["salary_min", "remote", "title", "mystery"]});
        let value = generate(
            &schema,
            &[facts("Welder", Some((50_000, 60_000, "EUR", "year")))],
        );
        assert_eq!(
            value,
            json!({"salary_min": 1000, "remote": false, "title": "Wel", "mystery": ""})
        );
    }
}
