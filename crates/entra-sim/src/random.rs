//! Identifiers and secrets the simulator mints.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::{SecureRandom, SystemRandom};

fn fill(out: &mut [u8]) {
    SystemRandom::new()
        .fill(out)
        .expect("the OS random source is available");
}

pub fn guid() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

/// Opaque, URL-safe token (authorization codes, refresh tokens, sessions, flow ids).
pub fn opaque_token(len_bytes: usize) -> String {
    let mut buf = vec![0u8; len_bytes];
    fill(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Graph's ids for oauth2PermissionGrants and appRoleAssignments are 43-character
/// base64url strings rather than GUIDs.
pub fn graph_key() -> String {
    opaque_token(32)
}

/// A client secret value shaped like Entra's: 40 characters, `Q~` after the first four,
/// never parseable as a GUID (graph-facts §4.1, §4.3).
pub fn secret_text() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~";
    const ALNUM: usize = 62;
    let mut raw = [0u8; 40];
    fill(&mut raw);
    let mut out = String::with_capacity(40);
    for (i, b) in raw.iter().enumerate() {
        let c = match i {
            0..=2 => ALPHABET[*b as usize % ALNUM],
            3 => (b'0' + b % 10) as char as u8,
            4 => b'Q',
            5 => b'~',
            _ => ALPHABET[*b as usize % ALPHABET.len()],
        };
        out.push(c as char);
    }
    out
}

/// A seed for [`SeededRng`] from the OS, for runs started without `--random-seed`.
pub fn os_seed() -> u64 {
    let mut buf = [0u8; 8];
    fill(&mut buf);
    u64::from_le_bytes(buf)
}

/// The simulator's reproducible random source (SplitMix64): the same seed gives the same
/// sequence of draws, so a run with `--random-seed N` replays its replication delays.
/// Not for secrets or tokens (those use the OS source above).
#[derive(Debug, Clone)]
pub struct SeededRng {
    state: u64,
}

impl SeededRng {
    pub fn new(seed: u64) -> SeededRng {
        SeededRng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[min, max]` (either order).
    pub fn in_range(&mut self, [a, b]: [u64; 2]) -> u64 {
        let (lo, hi) = (a.min(b), a.max(b));
        lo + self.next_u64() % (hi - lo + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_draws_repeat_and_stay_in_range() {
        let draws = |seed| {
            let mut rng = SeededRng::new(seed);
            (0..50)
                .map(|_| rng.in_range([300, 3000]))
                .collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
        assert!(draws(7).iter().all(|d| (300..=3000).contains(d)));
        assert_eq!(SeededRng::new(1).in_range([5, 5]), 5);
    }

    #[test]
    fn secrets_look_like_entra_values_and_not_guids() {
        let s = secret_text();
        assert_eq!(s.len(), 40);
        assert_eq!(&s[4..6], "Q~");
        assert!(uuid::Uuid::parse_str(&s).is_err());
    }

    #[test]
    fn guids_are_version_4() {
        let g = guid();
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "4");
    }
}
