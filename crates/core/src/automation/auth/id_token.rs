//! ID token claim checks.
//!
//! The signature is NOT verified, as MSAL.js does not verify it in the browser either: the
//! token came straight from the token endpoint over TLS in answer to our own PKCE-bound
//! code redemption, so it cannot have been swapped in transit, and checking the JWKS would
//! need an RSA implementation in the bundle for no added protection. What is checked is
//! that the token is meant for us and for this sign-in: `aud`, `iss`, `tid`, `nonce`,
//! `exp`/`nbf`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Allowed clock difference between the browser and the identity provider.
pub const CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

/// The claims we use (graph-facts §1.6). `oid`/`tid` identify the admin; the names are
/// display-only and never used for authorization.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdClaims {
    pub iss: String,
    pub tid: String,
    pub oid: Option<String>,
    pub sub: Option<String>,
    pub name: Option<String>,
    pub preferred_username: Option<String>,
    /// Seconds since the epoch.
    pub exp: i64,
    pub nbf: Option<i64>,
    pub iat: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdTokenError {
    Malformed(String),
    WrongAudience,
    WrongIssuer { expected: String, got: String },
    NoTenant,
    NonceMismatch,
    Expired,
    NotYetValid,
}

impl std::fmt::Display for IdTokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdTokenError::Malformed(m) => write!(f, "the ID token is malformed: {m}"),
            IdTokenError::WrongAudience => f.write_str("the ID token was issued to another app"),
            IdTokenError::WrongIssuer { expected, got } => {
                write!(f, "the ID token comes from {got}, expected {expected}")
            }
            IdTokenError::NoTenant => f.write_str("the ID token names no tenant"),
            IdTokenError::NonceMismatch => {
                f.write_str("the ID token belongs to another sign-in (nonce)")
            }
            IdTokenError::Expired => f.write_str("the ID token has expired (check the clock)"),
            IdTokenError::NotYetValid => {
                f.write_str("the ID token is not valid yet (check the clock)")
            }
        }
    }
}

impl std::error::Error for IdTokenError {}

#[derive(serde::Deserialize)]
struct Raw {
    #[serde(flatten)]
    claims: IdClaims,
    aud: Audience,
    nonce: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

/// What this sign-in expects of its ID token.
pub struct Expected<'a> {
    pub client_id: &'a str,
    /// The discovery document's `issuer` (may contain `{tenantid}`).
    pub issuer: &'a str,
    /// `None` on a refresh (no nonce is sent then).
    pub nonce: Option<&'a str>,
    pub now_ms: i64,
}

/// Decodes the payload and checks it.
pub fn check(id_token: &str, expected: &Expected<'_>) -> Result<IdClaims, IdTokenError> {
    let payload = id_token
        .split('.')
        .nth(1)
        .ok_or_else(|| IdTokenError::Malformed("not a JWT".into()))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| IdTokenError::Malformed(e.to_string()))?;
    let raw: Raw =
        serde_json::from_slice(&bytes).map_err(|e| IdTokenError::Malformed(e.to_string()))?;
    let aud_ok = match &raw.aud {
        Audience::One(a) => a.eq_ignore_ascii_case(expected.client_id),
        Audience::Many(all) => all
            .iter()
            .any(|a| a.eq_ignore_ascii_case(expected.client_id)),
    };
    if !aud_ok {
        return Err(IdTokenError::WrongAudience);
    }
    let claims = raw.claims;
    if claims.tid.is_empty() {
        return Err(IdTokenError::NoTenant);
    }
    let issuer = expected.issuer.replace("{tenantid}", &claims.tid);
    if claims.iss != issuer {
        return Err(IdTokenError::WrongIssuer {
            expected: issuer,
            got: claims.iss,
        });
    }
    if let Some(nonce) = expected.nonce {
        if raw.nonce.as_deref() != Some(nonce) {
            return Err(IdTokenError::NonceMismatch);
        }
    }
    if claims.exp * 1000 + CLOCK_SKEW_MS <= expected.now_ms {
        return Err(IdTokenError::Expired);
    }
    if claims
        .nbf
        .is_some_and(|nbf| nbf * 1000 - CLOCK_SKEW_MS > expected.now_ms)
    {
        return Err(IdTokenError::NotYetValid);
    }
    Ok(claims)
}

#[cfg(test)]
pub(crate) fn unsigned_jwt(payload: &serde_json::Value) -> String {
    let enc = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.sig",
        enc(&serde_json::json!({"alg":"RS256","typ":"JWT"})),
        enc(payload)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CLIENT: &str = "748aa5a9-366f-466f-adb2-52238936e96e";
    const TID: &str = "6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3";
    const NOW: i64 = 1_800_000_000_000;

    fn token(overrides: serde_json::Value) -> String {
        let mut claims = json!({
            "iss": format!("https://login.microsoftonline.com/{TID}/v2.0"),
            "aud": CLIENT, "tid": TID, "oid": "u1", "nonce": "n1",
            "name": "Adele Vance", "preferred_username": "adele@contoso.example",
            "exp": NOW / 1000 + 3600, "nbf": NOW / 1000 - 10, "iat": NOW / 1000 - 10,
        });
        for (k, v) in overrides.as_object().unwrap() {
            claims[k] = v.clone();
        }
        unsigned_jwt(&claims)
    }

    fn expected(nonce: Option<&str>) -> Expected<'_> {
        Expected {
            client_id: CLIENT,
            issuer: "https://login.microsoftonline.com/{tenantid}/v2.0",
            nonce,
            now_ms: NOW,
        }
    }

    #[test]
    fn accepts_a_token_for_this_sign_in() {
        let c = check(&token(json!({})), &expected(Some("n1"))).unwrap();
        assert_eq!(c.tid, TID);
        assert_eq!(c.name.as_deref(), Some("Adele Vance"));
        // aud as an array is allowed by OpenID Connect.
        check(
            &token(json!({"aud": [CLIENT, "other"]})),
            &expected(Some("n1")),
        )
        .unwrap();
        // Refreshes carry no nonce and check none.
        check(&token(json!({"nonce": null})), &expected(None)).unwrap();
    }

    #[test]
    fn rejects_tokens_meant_for_others_or_other_times() {
        let cases = [
            (
                json!({"aud": "00000000-0000-0000-0000-000000000001"}),
                IdTokenError::WrongAudience,
            ),
            (json!({"nonce": "n2"}), IdTokenError::NonceMismatch),
            (json!({"exp": NOW / 1000 - 600}), IdTokenError::Expired),
            (json!({"nbf": NOW / 1000 + 600}), IdTokenError::NotYetValid),
            (json!({"tid": ""}), IdTokenError::NoTenant),
        ];
        for (o, want) in cases {
            assert_eq!(
                check(&token(o.clone()), &expected(Some("n1"))),
                Err(want),
                "{o}"
            );
        }
        // A token from another tenant's issuer than its own tid.
        let other = token(
            json!({"iss": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000002/v2.0"}),
        );
        assert!(matches!(
            check(&other, &expected(Some("n1"))),
            Err(IdTokenError::WrongIssuer { .. })
        ));
        // Within the skew it still passes.
        check(
            &token(json!({"exp": NOW / 1000 - 60})),
            &expected(Some("n1")),
        )
        .unwrap();
        assert!(matches!(
            check("not-a-jwt", &expected(None)),
            Err(IdTokenError::Malformed(_))
        ));
    }
}
