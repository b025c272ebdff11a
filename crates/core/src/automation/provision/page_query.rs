//! The setup page's own query string (`?finish=…&tenant=…`, `?adopt=…&rotate=1`), read in
//! one place: each link type ([`super::roles::FinishLink`], [`super::arrival::Arrival`])
//! decides what its values may be.

/// The value of `key` in `query` (with or without its leading `?`), decoded and trimmed;
/// the first one when the key repeats.
pub(crate) fn param(query: &str, key: &str) -> Option<String> {
    oauth2::url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::param;

    #[test]
    fn reads_a_decoded_trimmed_value_with_or_without_the_question_mark() {
        assert_eq!(param("?a=1&b=%20x%2By%20", "b").as_deref(), Some("x+y"));
        assert_eq!(param("a=1&a=2", "a").as_deref(), Some("1"));
        assert_eq!(param("?a=1", "b"), None);
        assert_eq!(param("", "a"), None);
    }
}
