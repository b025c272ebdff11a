//! Kinde, connected app "Microsoft 365" (calendar scopes).
//! Guide: shared/seeds/000_b0d4eff55c6465fd.txt.

use super::apis::MICROSOFT_GRAPH as G;
use super::types::PermissionId::Known;
use super::types::*;
use super::{application, consent_from_microsoft, delegated, instead};
use crate::plan::Switch;

// A connected app requests these as scopes while a user signs in through Kinde: that is a
// delegated flow, so the default plan grants the delegated forms (which also need no admin
// consent). Descriptions: Microsoft's for the delegated scopes.
#[rustfmt::skip] static CALENDARS_READ_DELEGATED: Permission = consent_from_microsoft(delegated(&G, "Calendars.Read", false, Known("465a38f9-76ea-45b9-9f34-9e8b0d4b0b42"), "Read user calendars"));
#[rustfmt::skip] static CALENDARS_READWRITE_DELEGATED: Permission = consent_from_microsoft(delegated(&G, "Calendars.ReadWrite", false, Known("1ec239c2-d7c9-4623-a91a-a9775856bb36"), "Have full access to user calendars"));

#[rustfmt::skip]
pub static MICROSOFT_365: Integration = Integration {
    id: "kinde-microsoft-365",
    vendor: "Kinde",
    name: "Microsoft 365 connected app (calendar)",
    purpose: "Lets Kinde request Microsoft 365 calendar permissions from users during auth.",
    guide: Guide {
        file: "000_b0d4eff55c6465fd.txt",
        title: "Kinde: Microsoft 365 connected app",
        troubleshooting: &[],
    },
    suggested_display_name: "Kinde - Microsoft 365 calendar",
    sign_in_audience: SignInAudience::AzureADandPersonalMicrosoftAccount,
    audience_note: "The guide: \"For testing purposes, we selected Accounts in any organizational directory and personal Microsoft accounts.\" If only your organization's users connect, single tenant is the narrower choice.",
    flow: Flow::UserSignIn,
    redirect: RedirectRule {
        platform: Platform::Web,
        pattern: Some("https://<your Kinde domain>/connected_apps/callback"),
        expected_suffix: Some("/connected_apps/callback"),
        source: "the Provider to Kinde callback URL from the Kinde connected app",
        stage: RedirectStage::Registration,
    },
    credential: Credential::ClientSecret { guide_expiry: None },
    permissions: &[
        instead(
            consent_from_microsoft(application(&G, "Calendars.Read", true, Known("798ee544-9d2d-430c-a058-570e29e34338"), "Read calendars in all mailboxes")),
            &CALENDARS_READ_DELEGATED,
        ),
        instead(
            consent_from_microsoft(application(&G, "Calendars.ReadWrite", true, Known("ef54d2bf-783f-4e0f-bca1-3210c0444d99"), "Read and write calendars in all mailboxes")),
            &CALENDARS_READWRITE_DELEGATED,
        ),
    ],
    permissions_complete: true,
    extra_fields: &[],
    console: Console {
        name: "Kinde connected app",
        fields: &[
            ConsoleField {
                label: "Client ID",
                value: ValueSource::ClientId,
                optional: false,
                where_to_find: "Application (client) ID on the app's Overview",
            },
            ConsoleField {
                label: "Client secret",
                value: ValueSource::SecretValue,
                optional: false,
                where_to_find: "Certificates & secrets: the Value column, not the Secret ID column",
            },
        ],
    },
    outside_steps: &[
        OutsideStep {
            key: "kinde-m2m-app",
            stage: Stage::Before,
            place: "Kinde",
            text: "Set up a machine to machine application in Kinde, and make sure you have at least one end-user.",
        },
        OutsideStep {
            key: "kinde-add-connected-app",
            stage: Stage::Before,
            place: "Kinde",
            text: "Complete Step 1 of Add a connected app to Kinde (add the connected app in Kinde), and copy its Provider to Kinde callback URL.",
        },
    ],
    next_step: "Finish configuring the connection in Kinde (Step 3: Configure the connected app in Kinde) with the Client ID, the secret and your Kinde app callback URL. The calendar permissions can then be selected as scopes in the Kinde connected app.",
    errata: &[Erratum {
        kind: ErratumKind::PermissionType,
        guide_says: "In the pop-out, select Microsoft Graph and then Application permissions; select Calendars.Read and Calendars.ReadWrite.",
        our_fix: "A connected app asks users for scopes while they sign in, which is a delegated flow: we add Calendars.Read and Calendars.ReadWrite as Delegated permissions (no admin consent needed). Application permissions would give the app every mailbox's calendar without any user, and need admin consent.",
        literal: Literal::Switch(Switch::LiteralPermissionTypes, "This adds the Application permissions as the guide does."),
    }],
    notes: &["Kinde has only tested calendar scopes; other scopes may be possible."],
    custom: false,
};
