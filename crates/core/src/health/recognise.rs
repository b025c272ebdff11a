//! Which catalog integration a registration serves: the one this assistant tagged it
//! with, or the one whose permissions it mostly requests.

use serde::Serialize;

use super::permissions::{as_guide_lists, planned, requested, Perm};
use super::redirect::fits;
use super::Snapshot;
use crate::catalog::{self, Integration};
use crate::graph_model::Application;
use crate::plan::{tags_for, unique_name_for};

/// How a registration was matched to its integration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum Recognition {
    /// This assistant's tag or `uniqueName` names the integration.
    Managed,
    /// Made by hand or by an older script: `matching` of the `requested` permissions are
    /// the entry's (`catalog` of them, as registered or as the guide lists them).
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
/// URI that fits the vendor's pattern): an app that asks only for `User.Read` is not Kinde.
const CLOSE: f64 = 0.5;
const CLOSE_WITH_REDIRECT: f64 = 0.25;

pub(super) fn recognise(
    app: &Application,
    snapshot: &Snapshot,
) -> Option<(&'static Integration, Recognition)> {
    if let Some(managed) = managed(app) {
        return Some((managed, Recognition::Managed));
    }
    let requested = requested(app, snapshot);
    if requested.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &'static Integration, Recognition)> = None;
    for integration in catalog::ALL.iter().copied().filter(|i| !i.custom) {
        let registered = planned(integration, snapshot);
        let mut known: Vec<Perm> = as_guide_lists(integration);
        known.extend(registered.iter().cloned());
        let matching = requested.iter().filter(|p| p.is_in(&known)).count();
        if matching == 0 {
            continue;
        }
        let catalog = registered.len().max(integration.permissions.len());
        let closeness = matching as f64 / requested.len().max(catalog) as f64;
        let redirect_fits = integration.redirect.pattern.is_some_and(|pattern| {
            app.redirect_uris(integration.redirect.platform)
                .iter()
                .any(|u| fits(pattern, u))
        });
        let close = closeness >= CLOSE || (redirect_fits && closeness >= CLOSE_WITH_REDIRECT);
        let better = best.as_ref().is_none_or(|(b, _, _)| closeness > *b);
        if close && better {
            best = Some((
                closeness,
                integration,
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

/// The integration this assistant's tag or `uniqueName` names.
fn managed(app: &Application) -> Option<&'static Integration> {
    catalog::ALL.iter().copied().find(|i| {
        let [_, tag] = tags_for(i.id);
        app.tags.iter().flatten().any(|t| *t == tag)
            || app.unique_name.as_deref() == Some(unique_name_for(i.id).as_str())
    })
}
