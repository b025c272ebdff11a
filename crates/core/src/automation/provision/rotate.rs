//! Rotating a client secret without downtime. The new secret is added by a setup run with
//! `Inputs::new_secret_requested` (the old ones stay valid, so the vendor keeps working);
//! only once the admin confirms the vendor has the new Value are old secrets removed: by
//! default those this assistant made (the vendor's connection may use another one the admin
//! made by hand, so those are removed only when ticked).

use super::diff::is_tool_secret;
use super::events::Failure;
use super::observe::{call_failed, ObserveError};
use super::steps::still_live;
use crate::automation::graph::{Call, CallError, Graph, GraphApi, Policy};
use crate::automation::host::{Host, TokenSource, Transport};
use crate::graph_model::{Application, PasswordCredential, RemovePassword};

/// A secret a rotation offers to remove.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OldSecret {
    pub credential: PasswordCredential,
    /// Made by this assistant (its setup or its exported script): ticked by default.
    pub made_here: bool,
}

impl OldSecret {
    pub fn key_id(&self) -> &str {
        self.credential.key_id.as_deref().unwrap_or_default()
    }
}

impl std::fmt::Display for OldSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.credential;
        write!(
            f,
            "{} (Secret ID {}",
            c.display_name
                .as_deref()
                .unwrap_or("A secret without a description"),
            self.key_id()
        )?;
        if let Some(hint) = &c.hint {
            write!(f, ", Value starting {hint}")?;
        }
        if let Some(end) = c
            .end_date_time
            .as_deref()
            .and_then(crate::time::UtcDateTime::parse_rfc3339)
        {
            write!(f, ", ends {}", end.date())?;
        }
        f.write_str(if self.made_here {
            "), made by this assistant"
        } else {
            "), not made by this assistant: the vendor may use it"
        })
    }
}

/// Reads the application's secrets after the run that added `new_key_id` and offers the
/// others (see [`old_secrets`]).
pub async fn offered<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    app_object_id: &str,
    new_key_id: &str,
) -> Result<Vec<OldSecret>, ObserveError> {
    let call = Call::get(format!(
        "/applications/{app_object_id}?$select=id,passwordCredentials"
    ));
    let what = "the registration's secrets";
    let reply = graph
        .send(call, Policy::IDEMPOTENT, &|_| {})
        .await
        .map_err(|e| call_failed(what, e))?;
    let failed = |failure: Failure| ObserveError::Graph {
        what: what.into(),
        failure: Box::new(failure),
    };
    if !reply.ok() {
        return Err(failed(Failure::from_reply(&reply, false)));
    }
    let app: Application = reply.json().ok_or_else(|| {
        failed(Failure::plain(
            "Graph's answer was not an application.",
            "Try again.",
        ))
    })?;
    Ok(old_secrets(&app, new_key_id))
}

/// Every secret of `app` but the new one (`new_key_id`), oldest-ending first, each marked
/// with whether this assistant made it.
pub fn old_secrets(app: &Application, new_key_id: &str) -> Vec<OldSecret> {
    let mut out: Vec<OldSecret> = app
        .password_credentials
        .iter()
        .filter(|c| {
            c.key_id
                .as_deref()
                .is_some_and(|k| !k.eq_ignore_ascii_case(new_key_id))
        })
        .map(|c| OldSecret {
            made_here: is_tool_secret(c.display_name.as_deref()),
            credential: c.clone(),
        })
        .collect();
    out.sort_by(|a, b| a.credential.end_date_time.cmp(&b.credential.end_date_time));
    out
}

/// What became of one old secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// Graph had no such secret (removed already, e.g. in the portal): nothing left to do.
    AlreadyGone,
    /// Still live: the failure says what to do about it.
    Failed(Box<Failure>),
}

impl Removal {
    /// A stable code for the page and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Removal::Removed => "removed",
            Removal::AlreadyGone => "already_gone",
            Removal::Failed(_) => "failed",
        }
    }
}

impl std::fmt::Display for Removal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Removal::Removed => f.write_str("removed"),
            Removal::AlreadyGone => f.write_str("already gone"),
            Removal::Failed(failure) => {
                write!(f, "not removed: {} {}", failure.message, failure.what_to_do)
            }
        }
    }
}

/// Removes `secrets` from the application `app_object_id` (named `app_name` in advice),
/// one `removePassword` each; `(key ID, what became of it)` in order.
pub async fn remove_old<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    app_object_id: &str,
    app_name: &str,
    secrets: &[OldSecret],
) -> Vec<(String, Removal)> {
    let mut out = Vec::new();
    for secret in secrets {
        out.push((
            secret.key_id().to_owned(),
            remove(graph, app_object_id, app_name, &secret.credential).await,
        ));
    }
    out
}

/// `removePassword` answers 204 when it removed the key and 404 when there is none
/// (application-removepassword; graph-facts §4).
async fn remove(
    graph: &impl GraphApi,
    app_object_id: &str,
    app_name: &str,
    secret: &PasswordCredential,
) -> Removal {
    let call = Call::post(
        format!("/applications/{app_object_id}/removePassword"),
        serde_json::to_value(RemovePassword {
            key_id: secret.key_id.clone().unwrap_or_default(),
        })
        .expect("a removePassword body serializes"),
    );
    let failure = match graph.send(call, Policy::IDEMPOTENT, &|_| {}).await {
        Ok(r) if r.ok() => return Removal::Removed,
        Ok(r) if r.status == 404 => return Removal::AlreadyGone,
        Ok(r) => Failure::from_reply(&r, false),
        Err(CallError::GaveUp { reply: Some(r), .. }) => Failure::from_reply(&r, false),
        Err(CallError::SignInRequired(why)) => Failure::plain(why.to_string(), ""),
        Err(CallError::GaveUp { detail, .. } | CallError::Ambiguous { detail }) => {
            Failure::plain(detail, "")
        }
    };
    Removal::Failed(Box::new(Failure {
        what_to_do: still_live(app_name, secret),
        ..failure
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(key: &str, name: &str, end: &str) -> PasswordCredential {
        PasswordCredential {
            key_id: Some(key.into()),
            display_name: Some(name.into()),
            end_date_time: Some(end.into()),
            ..Default::default()
        }
    }

    #[test]
    fn offers_every_other_secret_ticking_only_the_assistants() {
        let app = Application {
            password_credentials: vec![
                secret("new", "Entra Setup Assistant r2", "2027-06-01T00:00:00Z"),
                secret("hand", "Made in the portal", "2027-01-01T00:00:00Z"),
                secret("old", "Entra Setup Assistant r1", "2026-12-10T00:00:00Z"),
                secret(
                    "script",
                    "Entra Setup Assistant (export for kodo-for-cloud)",
                    "2026-12-20T00:00:00Z",
                ),
            ],
            ..Default::default()
        };
        let old = old_secrets(&app, "NEW");
        let offered: Vec<(&str, bool)> = old.iter().map(|s| (s.key_id(), s.made_here)).collect();
        assert_eq!(
            offered,
            [("old", true), ("script", true), ("hand", false)],
            "the new one is never offered; ending soonest first"
        );
    }
}
