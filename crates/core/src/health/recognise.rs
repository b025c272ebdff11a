//! Which catalog integration a registration serves: the one this assistant tagged it
//! with, or the one whose permissions it mostly requests.

use serde::Serialize;

use super::permissions::{as_guide_lists, planned, requested, Perm};
use super::redirect::fits;
use super::Snapshot;
use crate::catalog::{self, apis, Integration};
use crate::graph_model::Application;
use crate::plan::{tags_for, unique_name_for};

/// How a registration was matched to its integration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum Recognition {
    /// This assistant's tag or `uniqueName` names the integration.
    Managed,
    /// Made by hand or by an older script: `matching` of the `requested` permissions are
    /// the entry's (`catalog` of them, as registered); sign-in permissions (OpenID, Graph's
    /// `User.Read`) are left out of all three counts.
    LooksLike {
        matching: usize,
        requested: usize,
        catalog: usize,
        redirect_fits: bool,
    },
}

impl std::fmt::Display for Recognition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Recognition::Managed => f.write_str("managed by this assistant"),
            Recognition::LooksLike {
                matching,
                requested,
                catalog,
                redirect_fits,
            } => {
                write!(
                    f,
                    "made elsewhere; {matching} of the {requested} permissions it requests are \
                     among the integration's {catalog}"
                )?;
                if *redirect_fits {
                    f.write_str(", and its redirect URI fits the vendor's pattern")?;
                }
                Ok(())
            }
        }
    }
}

/// Share of the larger list that must match for "looks like" (or a quarter with a redirect
/// URI that fits the vendor's pattern). Sign-in permissions every app asks for (OpenID
/// scopes and Microsoft Graph's `User.Read`) are no evidence and count on neither side, so an
/// app that asks for `User.Read` and one other thing is not an integration whose list is
/// `User.Read` and something else.
const CLOSE: f64 = 0.5;
const CLOSE_WITH_REDIRECT: f64 = 0.25;
const SIGN_IN_ONLY: [&str; 5] = ["openid", "profile", "email", "offline_access", "User.Read"];

fn evidence(p: &Perm) -> bool {
    !(p.api.eq_ignore_ascii_case(apis::MICROSOFT_GRAPH.app_id)
        && p.value
            .as_deref()
            .is_some_and(|v| SIGN_IN_ONLY.contains(&v)))
}

/// Each integration's permissions, worked out once per snapshot.
pub(super) struct Entry {
    pub integration: &'static Integration,
    /// As the assistant registers them (errata fixed), GUIDs resolved where possible.
    pub registered: Vec<Perm>,
    /// Those and the guide's own list: what a hand-made app may request.
    known: Vec<Perm>,
}

pub(super) struct Index(Vec<Entry>);

impl Index {
    pub fn new(snapshot: &Snapshot) -> Index {
        Index(
            catalog::ALL
                .iter()
                .copied()
                .filter(|i| !i.custom)
                .map(|integration| {
                    let registered = planned(integration, snapshot);
                    let mut known = as_guide_lists(integration);
                    known.extend(registered.iter().cloned());
                    Entry {
                        integration,
                        registered,
                        known,
                    }
                })
                .collect(),
        )
    }

    /// The entry `integration` serves.
    pub fn entry(&self, integration: &Integration) -> &Entry {
        self.0
            .iter()
            .find(|e| e.integration.id == integration.id)
            .expect("every catalog integration has an entry")
    }

    /// The integration `app` serves, and how that was told; `None`: no integration's.
    pub fn recognise(
        &self,
        app: &Application,
        snapshot: &Snapshot,
    ) -> Option<(&'static Integration, Recognition)> {
        if let Some(managed) = managed(app) {
            return Some((managed, Recognition::Managed));
        }
        let requested: Vec<Perm> = requested(app, snapshot)
            .into_iter()
            .filter(evidence)
            .collect();
        if requested.is_empty() {
            return None;
        }
        let mut best: Option<(f64, &'static Integration, Recognition)> = None;
        for entry in &self.0 {
            let matching = requested.iter().filter(|p| p.is_in(&entry.known)).count();
            if matching == 0 {
                continue;
            }
            let catalog = entry
                .registered
                .iter()
                .filter(|p| evidence(p))
                .count()
                .max(1);
            let closeness = matching as f64 / requested.len().max(catalog) as f64;
            let rule = &entry.integration.redirect;
            let redirect_fits = rule.pattern.is_some_and(|pattern| {
                app.redirect_uris(rule.platform)
                    .iter()
                    .any(|u| fits(pattern, u))
            });
            let close = closeness >= CLOSE || (redirect_fits && closeness >= CLOSE_WITH_REDIRECT);
            let better = best.as_ref().is_none_or(|(b, _, _)| closeness > *b);
            if close && better {
                best = Some((
                    closeness,
                    entry.integration,
                    Recognition::LooksLike {
                        matching,
                        requested: requested.len(),
                        catalog,
                        redirect_fits,
                    },
                ));
            }
        }
        best.map(|(_, integration, how)| (integration, how))
    }
}

/// The integration this assistant's tag or `uniqueName` names.
fn managed(app: &Application) -> Option<&'static Integration> {
    catalog::ALL.iter().copied().find(|i| {
        let [_, tag] = tags_for(i.id);
        app.tags.iter().flatten().any(|t| *t == tag)
            || app.unique_name.as_deref() == Some(unique_name_for(i.id).as_str())
    })
}
