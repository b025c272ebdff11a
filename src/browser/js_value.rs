//! Rust values to and from the JavaScript values JSON describes: what Web Storage holds
//! (`web_storage.rs`, through the browser's `JSON.stringify` and `JSON.parse`) and what the
//! checklist hands the exports module.
//!
//! Writing is serde-wasm-bindgen's. Reading is [`Js`], a serde `Deserializer` whose error says
//! only that the value is not the shape this version reads ([`Unreadable`]). A reader with
//! messages (serde-wasm-bindgen's or serde_json's: "invalid type: floating point `1.5`,
//! expected a string") links the formatting of floats and escaped strings to say what it
//! found: about 10 KB gzip of the checklist's wasm (`cargo xtask bench`), for messages the
//! app never shows, because a stored value that does not read is dropped and the page starts
//! fresh.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::{forward_to_deserialize_any, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// `value` as the JavaScript value JSON would describe: maps as plain objects (not `Map`s,
/// which `JSON.stringify` writes as `{}`), `None` as `null`.
pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// The Rust value a JavaScript value describes, read as serde_json would read its JSON.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, Unreadable> {
    T::deserialize(Js(value))
}

/// The value is not the shape this version reads (a type changed, or it was edited by hand).
#[derive(Debug)]
pub struct Unreadable;

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("they are not in the shape this version reads")
    }
}

impl std::error::Error for Unreadable {}

impl de::Error for Unreadable {
    // Whatever serde would say is dropped unformatted: that is what keeps its formatting out.
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unreadable
    }
}

/// A JavaScript value being read: null, a boolean, a number, a string, an array or a plain
/// object, as `JSON.parse` makes them.
struct Js(JsValue);

impl<'de> IntoDeserializer<'de, Unreadable> for Js {
    type Deserializer = Js;

    fn into_deserializer(self) -> Js {
        self
    }
}

impl<'de> de::Deserializer<'de> for Js {
    type Error = Unreadable;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        let value = self.0;
        if value.is_null() || value.is_undefined() {
            visitor.visit_unit()
        } else if let Some(b) = value.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(n) = value.as_f64() {
            // Whole numbers as integers, so integer fields read them (JSON has one number).
            if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
                if n < 0.0 {
                    visitor.visit_i64(n as i64)
                } else {
                    visitor.visit_u64(n as u64)
                }
            } else {
                visitor.visit_f64(n)
            }
        } else if let Some(s) = value.as_string() {
            visitor.visit_string(s)
        } else if js_sys::Array::is_array(&value) {
            let array = js_sys::Array::from(&value);
            let mut items = SeqDeserializer::new(array.iter().map(Js));
            let read = visitor.visit_seq(&mut items)?;
            items.end()?;
            Ok(read)
        } else if value.is_object() {
            let entries = js_sys::Object::entries(value.unchecked_ref());
            let mut fields = MapDeserializer::new(entries.iter().map(|entry| {
                let entry: js_sys::Array = entry.unchecked_into();
                (
                    entry.get(0).as_string().unwrap_or_default(),
                    Js(entry.get(1)),
                )
            }));
            let read = visitor.visit_map(&mut fields)?;
            fields.end()?;
            Ok(read)
        } else {
            Err(Unreadable)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        visitor.visit_newtype_struct(self)
    }

    /// Unit variants, which serde writes as their names.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        let name = self.0.as_string().ok_or(Unreadable)?;
        visitor.visit_enum(IntoDeserializer::<Unreadable>::into_deserializer(name))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}
