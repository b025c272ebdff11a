//! RS256 signing and verification of the tokens the simulator issues.
//!
//! The key pair is fixed and published in this crate (`keys/signing-key.pk8.pem`): it signs
//! tokens for a local simulator only, and a fixed key lets a token minted before a restart
//! still verify against the JWKS after it.

use std::sync::LazyLock;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{self, KeyPair, RsaKeyPair, RsaPublicKeyComponents};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const SIGNING_KEY_PEM: &str = include_str!("keys/signing-key.pk8.pem");

pub struct Signer {
    key: RsaKeyPair,
    kid: String,
    n: Vec<u8>,
    e: Vec<u8>,
    rng: SystemRandom,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("kid", &self.kid).finish()
    }
}

impl Signer {
    /// The simulator's signer, loaded once per process: every simulator (and every reset)
    /// signs with the same fixed key.
    pub fn shared() -> &'static Signer {
        static SIGNER: LazyLock<Signer> = LazyLock::new(Signer::load);
        &SIGNER
    }

    fn load() -> Signer {
        let der: String = SIGNING_KEY_PEM
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let der = STANDARD.decode(der).expect("the embedded key is base64");
        let key = RsaKeyPair::from_pkcs8(&der).expect("the embedded key is PKCS#8 RSA");
        let public = key.public_key();
        let components: RsaPublicKeyComponents<Vec<u8>> = public.into();
        let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(&components.n))[..27].to_owned();
        Signer {
            key,
            kid,
            n: components.n,
            e: components.e,
            rng: SystemRandom::new(),
        }
    }

    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "typ": "JWT", "alg": "RS256", "kid": self.kid });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut sig = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &self.rng,
                signing_input.as_bytes(),
                &mut sig,
            )
            .expect("RSA signing with a valid key succeeds");
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }

    /// Returns the claims of a token this simulator signed; None for anything else.
    pub fn verify(&self, token: &str) -> Option<Value> {
        let mut parts = token.split('.');
        let (h, c, s) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).ok()?).ok()?;
        if header.get("alg")? != "RS256" || header.get("kid")?.as_str()? != self.kid {
            return None;
        }
        let sig = URL_SAFE_NO_PAD.decode(s).ok()?;
        let public = RsaPublicKeyComponents {
            n: &self.n,
            e: &self.e,
        };
        public
            .verify(
                &signature::RSA_PKCS1_2048_8192_SHA256,
                format!("{h}.{c}").as_bytes(),
                &sig,
            )
            .ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(c).ok()?).ok()
    }

    /// The JWKS document served at `/{tenant}/discovery/v2.0/keys`.
    pub fn jwks(&self, issuer: &str) -> Value {
        json!({
            "keys": [{
                "kty": "RSA",
                "use": "sig",
                "alg": "RS256",
                "kid": self.kid,
                "n": URL_SAFE_NO_PAD.encode(&self.n),
                "e": URL_SAFE_NO_PAD.encode(&self.e),
                "issuer": issuer,
            }]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_verify_and_tampered_ones_do_not() {
        let signer = Signer::load();
        let token = signer.sign(&json!({"sub": "x"}));
        assert_eq!(signer.verify(&token).unwrap()["sub"], "x");
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(json!({"sub": "y"}).to_string());
        parts[1] = &forged;
        assert!(signer.verify(&parts.join(".")).is_none());
    }
}
