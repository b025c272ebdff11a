//! The notices above the steps: where the guide is wrong or dated, what the plan leaves
//! out, redundant grants, and the catalog's notes.

use crate::catalog::{ErratumKind, Integration, Literal};
use crate::least_privilege::Redundancy;
use crate::plan::{Plan, Switch};

use super::{Medium, Notice, NoticeKind};

impl NoticeKind {
    /// The switch a notice of this kind carries on the page, to follow the guide instead.
    pub fn switch(self) -> Option<Switch> {
        match self {
            NoticeKind::Erratum(ErratumKind::RetiredApi) => Some(Switch::LiteralRetiredApis),
            NoticeKind::Erratum(ErratumKind::PermissionType) => {
                Some(Switch::LiteralPermissionTypes)
            }
            NoticeKind::Erratum(ErratumKind::SecretExpiry) => Some(Switch::LiteralSecretExpiry),
            NoticeKind::LeastPrivilege => Some(Switch::DropRedundant),
            _ => None,
        }
    }
}

/// How to follow the guide, as the reader can: the page's switch by its label, or the
/// CLI's flag.
pub fn literal_words(literal: &Literal, medium: Medium) -> String {
    match (literal, medium) {
        (Literal::Switch(switch, effect), Medium::Page) => {
            format!("Turn on \u{201c}{}\u{201d} below. {effect}", switch.label())
        }
        (Literal::Switch(switch, effect), Medium::Document) => {
            format!("Run entra-setup with {}. {effect}", switch.cli_flag())
        }
        (Literal::Text(text), _) => (*text).to_owned(),
    }
}

pub(super) fn notices(
    integration: &Integration,
    plan: &Plan,
    redundant: &[Redundancy],
    medium: Medium,
) -> Vec<Notice> {
    let mut out = Vec::new();
    for (i, e) in integration.errata.iter().enumerate() {
        out.push(Notice {
            key: format!("erratum/{}/{}", e.kind.key(), i),
            kind: NoticeKind::Erratum(e.kind),
            title: match e.kind {
                ErratumKind::RetiredApi => "Retired API in the guide",
                ErratumKind::PermissionType => "Wrong permission type in the guide",
                ErratumKind::SecretExpiry => "Secret expiry in the guide is not possible",
                ErratumKind::IncompleteList => "The guide's permission list is incomplete",
                ErratumKind::Typo => "Typo in the guide",
                ErratumKind::Dated => "Dated instructions in the guide",
            }
            .to_owned(),
            text: format!(
                "The guide says: \"{}\" We do this: {} To follow the guide: {}",
                e.guide_says,
                e.our_fix,
                literal_words(&e.literal, medium)
            ),
        });
    }
    if !plan.skipped.is_empty() {
        let list: Vec<String> = plan
            .skipped
            .iter()
            .map(|s| {
                format!(
                    "{} {} ({}): {}",
                    s.api_name,
                    s.value,
                    s.kind.as_str(),
                    s.reason
                )
            })
            .collect();
        out.push(Notice {
            key: "skipped".to_owned(),
            kind: NoticeKind::Skipped,
            title: "Left out of this registration".to_owned(),
            text: list.join(" "),
        });
    }
    if !redundant.is_empty() {
        let list: Vec<String> = redundant.iter().map(|r| r.message()).collect();
        out.push(Notice {
            key: "least-privilege".to_owned(),
            kind: NoticeKind::LeastPrivilege,
            title: "Least privilege".to_owned(),
            text: format!("The vendor's list is kept as it is. {}", list.join(" ")),
        });
    }
    for (i, n) in integration.notes.iter().enumerate() {
        out.push(Notice {
            key: format!("note/{i}"),
            kind: NoticeKind::Info,
            title: "Note".to_owned(),
            text: (*n).to_owned(),
        });
    }
    out
}
