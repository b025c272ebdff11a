//! PKCE (RFC 7636) with `oauth2`'s types, from random bytes the caller supplies (the
//! browser's CSPRNG), so core draws no random numbers of its own.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use oauth2::{PkceCodeChallenge, PkceCodeVerifier};

/// At least this many random bytes go into a verifier (256 bits; 43 characters).
pub const MIN_VERIFIER_BYTES: usize = 32;

/// A verifier from 32..=96 random bytes: base64url without padding, so 43..=128 characters
/// of the unreserved set RFC 7636 §4.1 allows. `None` for too few or too many bytes.
pub fn verifier_from_random(bytes: &[u8]) -> Option<PkceCodeVerifier> {
    (MIN_VERIFIER_BYTES..=96)
        .contains(&bytes.len())
        .then(|| PkceCodeVerifier::new(URL_SAFE_NO_PAD.encode(bytes)))
}

/// The S256 challenge of a verifier.
pub fn challenge(verifier: &PkceCodeVerifier) -> PkceCodeChallenge {
    PkceCodeChallenge::from_code_verifier_sha256(verifier)
}

/// Random bytes as an opaque URL-safe token (state, nonce).
pub fn token_from_random(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_vector() {
        // The octets of Appendix B; their base64url form is the verifier the RFC gives.
        let octets: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let verifier = verifier_from_random(&octets).unwrap();
        assert_eq!(
            verifier.secret(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        let c = challenge(&verifier);
        assert_eq!(c.as_str(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert_eq!(c.method().as_str(), "S256");
    }

    #[test]
    fn verifier_length_stays_within_rfc_bounds() {
        assert!(verifier_from_random(&[7; 31]).is_none());
        assert!(verifier_from_random(&[7; 97]).is_none());
        assert_eq!(verifier_from_random(&[7; 32]).unwrap().secret().len(), 43);
        let long = verifier_from_random(&[7; 96]).unwrap();
        assert_eq!(long.secret().len(), 128);
        assert!(long
            .secret()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)));
    }
}
