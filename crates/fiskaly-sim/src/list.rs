//! fiskaly's list queries and list bodies, shared by the TSS and client lists.

use std::cmp::Ordering;

use serde_json::{json, Value};

use crate::error::{FiskalyError, SimResult};

/// A parsed list query: every `key=value` pair, repeated keys kept.
pub struct ListQuery(Vec<(String, String)>);

impl ListQuery {
    /// Parses a raw query string.
    pub fn parse(raw: Option<&str>) -> SimResult<ListQuery> {
        serde_urlencoded::from_str(raw.unwrap_or_default())
            .map(ListQuery)
            .map_err(|e| FiskalyError::schema(format!("query: {e}")))
    }

    /// Every value of a list parameter, accepting `name=A&name=B`, `name[]=A` and `name[0]=A`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| {
                key == name
                    || key
                        .strip_prefix(name)
                        .and_then(|rest| rest.strip_prefix('['))
                        .and_then(|rest| rest.strip_suffix(']'))
                        .is_some_and(|index| index.chars().all(|c| c.is_ascii_digit()))
            })
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The single value of a parameter.
    pub fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// `order_by`, which must be one of `allowed`; `default` when absent.
    pub fn order_by<'a>(&'a self, allowed: &[&str], default: &'a str) -> SimResult<&'a str> {
        let field = self.one("order_by").unwrap_or(default);
        if allowed.contains(&field) {
            Ok(field)
        } else {
            Err(FiskalyError::schema(format!(
                "order_by must be one of {}",
                allowed.join(", ")
            )))
        }
    }

    /// Sorts `items` with `compare`, reversed for `order=desc`, then cuts out `offset` and `limit`.
    pub fn page<T>(
        &self,
        mut items: Vec<T>,
        compare: impl Fn(&T, &T) -> Ordering,
    ) -> SimResult<Vec<T>> {
        let descending = match self.one("order").unwrap_or("asc") {
            "asc" => false,
            "desc" => true,
            _ => return Err(FiskalyError::schema("order must be asc or desc")),
        };
        let limit = self.number("limit", 100)?;
        if !(1..=100).contains(&limit) {
            return Err(FiskalyError::schema("limit must be between 1 and 100"));
        }
        let offset = self.number("offset", 0)?;
        items.sort_by(|a, b| {
            let ordering = compare(a, b);
            if descending {
                ordering.reverse()
            } else {
                ordering
            }
        });
        Ok(items.into_iter().skip(offset).take(limit).collect())
    }

    fn number(&self, name: &str, default: usize) -> SimResult<usize> {
        match self.one(name) {
            None => Ok(default),
            Some(raw) => raw
                .parse()
                .map_err(|_| FiskalyError::schema(format!("{name} must be a whole number"))),
        }
    }
}

/// A list body: `{"data", "count", "_type", "_env", "_version"}`.
pub fn list_body(data: Vec<Value>, list_type: &str) -> Value {
    json!({
        "count": data.len(),
        "data": data,
        "_type": list_type,
        "_env": "TEST",
        "_version": crate::tss::API_VERSION,
    })
}
