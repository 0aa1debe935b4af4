//! A JSON value that borrows its strings from the body text.
//!
//! The rules read every sampled or streamed request body; `serde_json::Value` copies every
//! string and builds a map per object, which dominated the linter's time. This value keeps
//! unescaped strings and keys as slices of the body and objects as member lists, with the few
//! accessors the rules use (named like `serde_json::Value`'s).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    U(u64),
    I(i64),
    F(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::U(n) => write!(f, "{n}"),
            Number::I(n) => write!(f, "{n}"),
            Number::F(n) => write!(f, "{n}"),
        }
    }
}

/// An object's members in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Obj<'a>(pub Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> Obj<'a> {
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Obj<'a>),
}

impl<'a> Json<'a> {
    pub fn as_object(&self) -> Option<&Obj<'a>> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(Number::U(n)) => Some(*n),
            Json::Number(Number::I(n)) => u64::try_from(*n).ok(),
            _ => None,
        }
    }
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.as_object().and_then(|o| o.get(key))
    }
}

/// Room made for the members of an object or the items of an array before the first is read.
const SMALL: usize = 8;

/// An object key, borrowed when it has no escapes.
pub struct Key<'a>(pub Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = Json<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json<'de>, E> {
                Ok(Json::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json<'de>, E> {
                Ok(Json::Number(Number::I(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json<'de>, E> {
                Ok(Json::Number(Number::U(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json<'de>, E> {
                Ok(Json::Number(Number::F(v)))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'de>, E> {
                Ok(Json::String(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json<'de>, E> {
                Ok(Json::String(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Json<'de>, E> {
                Ok(Json::String(Cow::Owned(v)))
            }
            fn visit_unit<E>(self) -> Result<Json<'de>, E> {
                Ok(Json::Null)
            }
            fn visit_none<E>(self) -> Result<Json<'de>, E> {
                Ok(Json::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
                Json::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
                // serde_json gives no size hint: room for eight, so the arrays of a request
                // (messages, content blocks) are allocated once instead of grown.
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(SMALL));
                while let Some(v) = seq.next_element::<Json<'de>>()? {
                    items.push(v);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Json<'de>, M::Error> {
                let mut members = Vec::with_capacity(SMALL);
                while let Some((k, v)) = map.next_entry::<Key<'de>, Json<'de>>()? {
                    members.push((k.0, v));
                }
                Ok(Json::Object(Obj(members)))
            }
        }
        d.deserialize_any(ValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_plain_strings_and_decodes_escaped_ones() {
        let text = r#"{"a":"plain","b\n":"esc\u00e9","n":-1,"u":7,"f":1.5,"l":[null,true]}"#;
        let v: Json<'_> = serde_json::from_str(text).unwrap_or(Json::Null);
        assert!(matches!(v.get("a"), Some(Json::String(Cow::Borrowed("plain")))));
        assert_eq!(v.get("b\n").and_then(Json::as_str), Some("escé"));
        assert_eq!(v.get("n").and_then(Json::as_u64), None);
        assert_eq!(v.get("u").and_then(Json::as_u64), Some(7));
        assert_eq!(v.get("f").map(|f| matches!(f, Json::Number(Number::F(_)))), Some(true));
        assert!(matches!(v.get("l"), Some(Json::Array(l)) if l.len() == 2));
    }
}
