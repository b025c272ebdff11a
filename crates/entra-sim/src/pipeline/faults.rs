//! Picking the injected fault (if any) for a request and spending one of its count.

use crate::config::{FaultKind, FaultSpec, Knobs};

/// `graph`: only Graph requests can receive `token_expired`.
pub fn take(knobs: &mut Knobs, method: &str, path: &str, graph: bool) -> Option<FaultSpec> {
    let index = knobs
        .faults
        .iter()
        .position(|f| f.matches(method, path) && (graph || f.kind != FaultKind::TokenExpired))?;
    let fault = knobs.faults[index].clone();
    if let Some(count) = &mut knobs.faults[index].count {
        *count = count.saturating_sub(1);
        if *count == 0 {
            knobs.faults.remove(index);
        }
    }
    Some(fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counted_fault_fires_that_many_times() {
        let mut knobs = Knobs::default();
        knobs
            .faults
            .push(serde_json::from_str(r#"{"path":"/v1.0/me","kind":"503","count":2}"#).unwrap());
        assert!(take(&mut knobs, "GET", "/v1.0/me", true).is_some());
        assert!(take(&mut knobs, "GET", "/v1.0/organization", true).is_none());
        assert!(take(&mut knobs, "GET", "/v1.0/me", true).is_some());
        assert!(take(&mut knobs, "GET", "/v1.0/me", true).is_none());
    }

    #[test]
    fn token_expiry_only_hits_graph() {
        let mut knobs = Knobs::default();
        knobs
            .faults
            .push(serde_json::from_str(r#"{"path":"*","kind":"token_expired"}"#).unwrap());
        assert!(take(&mut knobs, "POST", "/common/oauth2/v2.0/token", false).is_none());
        assert!(take(&mut knobs, "GET", "/v1.0/me", true).is_some());
    }
}
