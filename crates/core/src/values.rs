//! The values an admin copies out of Entra (and the vendor's extra fields), as pasted.
//!
//! Never persisted by this crate; the UI must not store `secret_value` either.

use std::borrow::Cow;

use crate::catalog::ValueSource;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Values {
    /// Application (client) ID.
    pub client_id: String,
    /// Directory (tenant) ID.
    pub tenant_id: String,
    /// The client secret's Value (not its Secret ID).
    pub secret_value: String,
    pub redirect_uri: String,
    /// When the secret expires, as the portal's Expires column shows it (free text: this
    /// crate has no clock).
    pub secret_expires: String,
    /// Extra fields by [`crate::catalog::ExtraField::key`].
    pub extra: Vec<(String, String)>,
}

impl Values {
    /// The value a console field takes ("" when not filled in).
    pub fn get(&self, source: ValueSource) -> Cow<'_, str> {
        match source {
            ValueSource::ClientId => Cow::Borrowed(&self.client_id),
            ValueSource::TenantId => Cow::Borrowed(&self.tenant_id),
            ValueSource::SecretValue => Cow::Borrowed(&self.secret_value),
            ValueSource::RedirectUri => Cow::Borrowed(&self.redirect_uri),
            // Nothing to deploy until the client ID is there.
            ValueSource::AssistantConfig if self.client_id.trim().is_empty() => Cow::Borrowed(""),
            ValueSource::AssistantConfig => {
                Cow::Owned(crate::catalog::assistant::config_json(&self.client_id))
            }
            ValueSource::Extra(key) => Cow::Borrowed(
                self.extra
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or("", |(_, v)| v.as_str()),
            ),
        }
    }

    /// Sets an extra field, replacing an earlier value.
    pub fn set_extra(&mut self, key: &str, value: &str) {
        match self.extra.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value.to_owned(),
            None => self.extra.push((key.to_owned(), value.to_owned())),
        }
    }
}
