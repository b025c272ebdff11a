//! What the setup page is opened for besides an ordinary setup, as the tenant health page
//! links it: `?adopt=<client ID>` (repair a registration this assistant does not manage yet,
//! in adopt mode) or `?rotate=1` (add a new secret, then remove the old ones). One format,
//! written and read here.

use serde::{Deserialize, Serialize};

use super::page_query::param;

pub const ADOPT_PARAM: &str = "adopt";
pub const ROTATE_PARAM: &str = "rotate";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    /// The client ID of the registration to adopt (`Inputs::adopt`).
    pub adopt: Option<String>,
    /// Add a new secret even when a valid one exists (`Inputs::new_secret_requested`), and
    /// offer the old ones for removal afterwards.
    pub rotate: bool,
}

impl Arrival {
    pub fn adopting(client_id: &str) -> Arrival {
        Arrival {
            adopt: Some(client_id.to_owned()),
            rotate: false,
        }
    }

    pub fn rotating() -> Arrival {
        Arrival {
            adopt: None,
            rotate: true,
        }
    }

    /// Adopting the registration whose client ID an admin typed (or pasted, with spaces).
    pub fn adopting_typed(input: &str) -> Result<Arrival, NotAClientId> {
        let id = input.trim().to_ascii_lowercase();
        if crate::validate::is_guid(&id) {
            Ok(Arrival::adopting(&id))
        } else {
            Err(NotAClientId)
        }
    }

    /// Reads a page's query (`?adopt=…&rotate=1`); a client ID that is not a GUID is
    /// ignored. `None`: an ordinary setup.
    pub fn from_query(query: &str) -> Option<Arrival> {
        let arrival = Arrival {
            adopt: param(query, ADOPT_PARAM)
                .map(|c| c.to_ascii_lowercase())
                .filter(|c| crate::validate::is_guid(c)),
            rotate: param(query, ROTATE_PARAM).as_deref() == Some("1"),
        };
        (arrival != Arrival::default()).then_some(arrival)
    }

    /// The query that opens the setup page for this (empty for an ordinary setup).
    pub fn to_query(&self) -> String {
        let mut out = oauth2::url::form_urlencoded::Serializer::new(String::new());
        if let Some(client_id) = &self.adopt {
            out.append_pair(ADOPT_PARAM, client_id);
        }
        if self.rotate {
            out.append_pair(ROTATE_PARAM, "1");
        }
        let query = out.finish();
        if query.is_empty() {
            query
        } else {
            format!("?{query}")
        }
    }
}

/// A typed client ID that is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotAClientId;

impl std::fmt::Display for NotAClientId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "Enter the registration's Application (client) ID, a GUID such as \
             00000000-0000-0000-0000-000000000000: App registrations > the app > Overview.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_what_is_not_a_client_id() {
        let id = "e7c3a1f0-2b4d-4c6e-8a9b-0c1d2e3f4a01";
        for arrival in [Arrival::adopting(id), Arrival::rotating()] {
            assert_eq!(Arrival::from_query(&arrival.to_query()), Some(arrival));
        }
        assert_eq!(Arrival::adopting(id).to_query(), format!("?adopt={id}"));
        assert_eq!(Arrival::from_query("?adopt=../x&rotate=yes"), None);
        assert_eq!(Arrival::from_query(""), None);
        assert_eq!(Arrival::default().to_query(), "");
        assert_eq!(
            Arrival::adopting_typed(" E7C3A1F0-2B4D-4C6E-8A9B-0C1D2E3F4A01 "),
            Ok(Arrival::adopting(id))
        );
        assert_eq!(Arrival::adopting_typed("Kinde"), Err(NotAClientId));
    }
}
