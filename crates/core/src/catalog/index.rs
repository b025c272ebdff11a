//! A compact index of the catalog for the home page: names and purposes only.
//!
//! It is computed from [`super::ALL`] at compile time, so it cannot drift from the entries,
//! and it holds no reference to them: a build that only lists and searches integrations
//! (the app's first load) links these strings and none of the permission tables.

use super::{Integration, ALL};

/// What the integration picker shows and searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub id: &'static str,
    pub vendor: &'static str,
    pub name: &'static str,
    pub purpose: &'static str,
}

impl Summary {
    const EMPTY: Summary = Summary {
        id: "",
        vendor: "",
        name: "",
        purpose: "",
    };

    const fn of(integration: &Integration) -> Summary {
        Summary {
            id: integration.id,
            vendor: integration.vendor,
            name: integration.name,
            purpose: integration.purpose,
        }
    }

    /// Case-insensitive: every word of the query appears in the id, vendor, name or purpose.
    pub fn matches(&self, query: &str) -> bool {
        query.split_whitespace().all(|word| {
            [self.id, self.vendor, self.name, self.purpose]
                .iter()
                .any(|field| contains_ignore_case(field, word))
        })
    }
}

const fn summaries<const N: usize>(all: &[&Integration; N]) -> [Summary; N] {
    let mut out = [Summary::EMPTY; N];
    let mut i = 0;
    while i < N {
        out[i] = Summary::of(all[i]);
        i += 1;
    }
    out
}

/// Every integration's summary, in catalog order (grouped by vendor).
pub static INDEX: [Summary; ALL.len()] = summaries(&ALL);

/// The summaries matching a query (all of them for an empty query), in catalog order.
pub fn search(query: &str) -> impl Iterator<Item = &'static Summary> + '_ {
    INDEX.iter().filter(move |s| s.matches(query))
}

/// Whether an id names an integration, without touching the full entries.
pub fn exists(id: &str) -> bool {
    INDEX.iter().any(|s| s.id == id)
}

/// ASCII case folding is enough for the catalog's English text, and unlike `to_lowercase`
/// it links no Unicode tables into the first-load wasm.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirrors_the_catalog_in_order() {
        assert_eq!(INDEX.len(), ALL.len());
        for (s, i) in INDEX.iter().zip(ALL.iter()) {
            assert_eq!(
                (s.id, s.vendor, s.name, s.purpose),
                (i.id, i.vendor, i.name, i.purpose)
            );
        }
    }

    #[test]
    fn search_needs_every_word_in_any_field() {
        let ids: Vec<&str> = search("nango teams").map(|s| s.id).collect();
        assert_eq!(ids, ["nango-microsoft-teams"]);
        let calendars: Vec<&str> = search("CALENDAR").map(|s| s.id).collect();
        assert!(calendars.contains(&"novus-calendarsync"), "{calendars:?}");
        assert!(calendars.contains(&"kinde-microsoft-365"), "{calendars:?}");
        assert_eq!(search("").count(), INDEX.len());
        assert_eq!(search("no-such-product").count(), 0);
    }

    #[test]
    fn knows_which_ids_exist() {
        assert!(exists("kodo-for-cloud"));
        assert!(!exists("kodo"));
    }
}
