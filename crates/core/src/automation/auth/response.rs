//! Which parts of a URL are a sign-in response, so the shell can take them out of the
//! address bar (and so out of history) before anything else runs.
//!
//! Plain string work on purpose: the shell (the first load) calls [`split`], and must not
//! link `url`, `oauth2` or `serde_json`. The page module reads what was taken out with
//! [`super::sign_in::parse_response`].

/// The parameters an authorize redirect carries (Microsoft identity platform, "Successful
/// response" and "Error response" of the authorization code flow: `code`, `state`,
/// `session_state`, `error`, `error_description`; `client_info` with `client_info=1`;
/// OAuth 2.0 adds `error_uri`; RFC 9207 `iss`). Every one of them leaves the URL.
pub const RESPONSE_PARAMS: &[&str] = &[
    "code",
    "state",
    "session_state",
    "error",
    "error_description",
    "error_uri",
    "error_codes",
    "client_info",
    "iss",
    "correlation_id",
    "trace_id",
    "timestamp",
];

/// A URL's query and fragment with the sign-in response taken out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// The response's parameters as they came, after `?` (query) or `#` (fragment): the
    /// leading character says where, which [`super::sign_in::parse_response`] checks.
    pub response: String,
    /// What is left of the query (`""` or `?…`).
    pub search: String,
    /// What is left of the fragment (`""` or `#…`).
    pub hash: String,
}

/// Whether `key` (as written in the URL, possibly percent-encoded) names a response
/// parameter.
fn is_response_key(key: &str) -> bool {
    let decoded = percent_decode_ascii(key);
    RESPONSE_PARAMS.contains(&decoded.as_str())
}

/// Decodes `%XX` and `+` well enough to compare parameter names (ASCII only; anything
/// else is left as it is and matches no name).
fn percent_decode_ascii(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(hi), Some(lo)) if hi < 8 => {
                        out.push(char::from((hi * 16 + lo) as u8));
                        i += 3;
                        continue;
                    }
                    _ => out.push('%'),
                }
            }
            b'+' => out.push(' '),
            b => out.push(b as char),
        }
        i += 1;
    }
    out
}

/// Splits `params` (without its leading `?`/`#`) into the response's pairs and the rest.
/// `None` when no pair is `code` or `state`: then nothing is a sign-in response.
fn take(params: &str) -> Option<(String, String)> {
    let (mut response, mut rest) = (Vec::new(), Vec::new());
    for pair in params.split('&').filter(|p| !p.is_empty()) {
        let key = pair.split_once('=').map_or(pair, |(k, _)| k);
        if is_response_key(key) {
            response.push(pair);
        } else {
            rest.push(pair);
        }
    }
    let marks_response = response.iter().any(|pair| {
        let key = percent_decode_ascii(pair.split_once('=').map_or(pair, |(k, _)| k));
        key == "code" || key == "state"
    });
    marks_response.then(|| (response.join("&"), rest.join("&")))
}

/// Takes a sign-in response out of `search` (`location.search`, `""` or `?…`) and `hash`
/// (`location.hash`, `""` or `#…`). A URL is a sign-in response when its query or fragment
/// holds `code` or `state`: then every parameter in [`RESPONSE_PARAMS`] leaves that part
/// (a `code` without `state` is not ours to redeem, but it must not stay in the address bar
/// either). The fragment wins when both hold one (the app asks for `response_mode=fragment`);
/// response parameters in the other part are dropped too. `None`: not a sign-in response.
pub fn split(search: &str, hash: &str) -> Option<Split> {
    let query = search.strip_prefix('?').unwrap_or(search);
    let fragment = hash.strip_prefix('#').unwrap_or(hash);
    let in_fragment = take(fragment);
    let in_query = take(query);
    let with_mark = |mark: char, rest: String| {
        if rest.is_empty() {
            String::new()
        } else {
            format!("{mark}{rest}")
        }
    };
    let keep = |params: &str, taken: &Option<(String, String)>| match taken {
        Some((_, rest)) => rest.clone(),
        None => params.to_owned(),
    };
    let response = match (&in_fragment, &in_query) {
        (Some((r, _)), _) => format!("#{r}"),
        (None, Some((r, _))) => format!("?{r}"),
        (None, None) => return None,
    };
    Some(Split {
        response,
        search: with_mark('?', keep(query, &in_query)),
        hash: with_mark('#', keep(fragment, &in_fragment)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_response_leaves_the_url_entirely() {
        let s = split("", "#code=abc&state=xyz&session_state=123").unwrap();
        assert_eq!(s.response, "#code=abc&state=xyz&session_state=123");
        assert_eq!((s.search.as_str(), s.hash.as_str()), ("", ""));
    }

    #[test]
    fn a_query_response_keeps_the_app_own_parameters() {
        let s = split("?finish=abc&code=c0de&state=s&tenant=t", "").unwrap();
        assert_eq!(s.response, "?code=c0de&state=s");
        assert_eq!(s.search, "?finish=abc&tenant=t");
        assert_eq!(s.hash, "");
    }

    #[test]
    fn an_error_response_is_a_response_and_all_its_parts_leave() {
        let s = split(
            "",
            "#error=access_denied&error_description=AADSTS65004%3A+declined&state=s",
        )
        .unwrap();
        assert_eq!(
            s.response,
            "#error=access_denied&error_description=AADSTS65004%3A+declined&state=s"
        );
        assert_eq!(s.hash, "");
    }

    #[test]
    fn a_stray_code_without_state_still_leaves() {
        let s = split("?code=leaked", "").unwrap();
        assert_eq!(s.response, "?code=leaked");
        assert_eq!(s.search, "");
    }

    #[test]
    fn an_encoded_name_does_not_hide_a_code() {
        let s = split("?co%64e=leaked&x=1", "").unwrap();
        assert_eq!(s.response, "?co%64e=leaked");
        assert_eq!(s.search, "?x=1");
    }

    #[test]
    fn both_parts_are_cleaned_and_the_fragment_is_the_response() {
        let s = split("?code=old&keep=1", "#code=new&state=s").unwrap();
        assert_eq!(s.response, "#code=new&state=s");
        assert_eq!(s.search, "?keep=1");
        assert_eq!(s.hash, "");
    }

    #[test]
    fn other_urls_are_not_responses() {
        assert_eq!(split("", ""), None);
        assert_eq!(split("?finish=abc&tenant=t", "#section"), None);
        // An error without state or code is nobody's response (and nothing secret).
        assert_eq!(split("?error=x", ""), None);
        // Names that merely contain "code".
        assert_eq!(split("?code_challenge=x&response_type=code", ""), None);
    }

    #[test]
    fn percent_decoding_is_for_names_only_and_tolerates_junk() {
        assert_eq!(percent_decode_ascii("co%64e"), "code");
        assert_eq!(percent_decode_ascii("a%2"), "a%2");
        assert_eq!(percent_decode_ascii("%"), "%");
        assert_eq!(percent_decode_ascii("%zz"), "%zz");
        assert_eq!(percent_decode_ascii("a+b"), "a b");
    }
}
