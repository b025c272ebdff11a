//! What weighs in a wasm module: code bytes per crate, read from the module's name section
//! (cargo's output, before wasm-bindgen and wasm-opt strip the names). The figures are
//! before optimisation, so they give shares, not exact shipped bytes.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use wasmparser::{BinaryReaderError, KnownCustom, Name, Parser, Payload};

/// Code bytes per crate, largest first.
pub fn code_by_crate(wasm: &Path) -> Result<Vec<(String, u64)>> {
    let bytes = std::fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let (sizes, names) =
        functions(&bytes).with_context(|| format!("parsing {}", wasm.display()))?;
    let mut by_crate: BTreeMap<String, u64> = BTreeMap::new();
    for (index, size) in sizes {
        let name = names.get(&index).map_or("", String::as_str);
        // wasm-bindgen runs these at build time and removes them: they never ship.
        if name.starts_with("__wbindgen_describe") {
            continue;
        }
        *by_crate.entry(crate_of(name)).or_default() += size;
    }
    let mut sorted: Vec<(String, u64)> = by_crate.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(sorted)
}

/// Body size by function index, and function names by index.
type Functions = (Vec<(u32, u64)>, BTreeMap<u32, String>);

fn functions(bytes: &[u8]) -> Result<Functions, BinaryReaderError> {
    let mut imported = 0u32;
    let mut sizes = Vec::new();
    let mut names = BTreeMap::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import?.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let index = imported + sizes.len() as u32;
                let range = body.range();
                sizes.push((index, range.end - range.start));
            }
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(reader) = section.as_known() {
                    for name in reader {
                        if let Name::Function(map) = name? {
                            for naming in map {
                                let naming = naming?;
                                let demangled = rustc_demangle::demangle(naming.name).to_string();
                                names.insert(naming.index, demangled);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok((sizes, names))
}

/// The crate a (demangled) function name belongs to: the first path segment of the type
/// for `<Type as Trait>::f`, falling back to the trait's crate for a generic `T`.
fn crate_of(name: &str) -> String {
    if name.is_empty() {
        return "(unnamed)".to_owned();
    }
    let first_segment = |s: &str| -> Option<String> {
        let s = s.trim_start_matches(['<', '&', '*', '(', '[']);
        let s = s
            .trim_start_matches("mut ")
            .trim_start_matches("const ")
            .trim_start_matches("dyn ");
        let end = s.find("::")?;
        let segment = &s[..end];
        let valid = !segment.is_empty()
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        valid.then(|| segment.to_owned())
    };
    if let Some(rest) = name.strip_prefix('<') {
        let (ty, tr) = rest.split_once(" as ").unwrap_or((rest, ""));
        if let Some(krate) = first_segment(ty) {
            return krate;
        }
        if let Some(krate) = first_segment(tr) {
            return krate;
        }
    }
    first_segment(name).unwrap_or_else(|| "(other)".to_owned())
}

#[cfg(test)]
mod tests {
    use super::crate_of;

    #[test]
    fn attributes_functions_to_crates() {
        assert_eq!(crate_of("oauth2::endpoint::endpoint_response"), "oauth2");
        assert_eq!(crate_of("<url::Url as core::fmt::Display>::fmt"), "url");
        assert_eq!(crate_of("<T as tachys::view::Render>::build"), "tachys");
        assert_eq!(
            crate_of(
                "<&mut serde_json::de::Deserializer<R> as serde::Deserializer>::deserialize_any"
            ),
            "serde_json"
        );
        assert_eq!(crate_of("__rust_alloc"), "(other)");
        assert_eq!(crate_of(""), "(unnamed)");
    }
}
