//! Why a sign-in did not work, in words an admin can act on.
//!
//! Entra reports a failed sign-in either back to the app (the authorize redirect's `error`
//! and `error_description`, or the token endpoint's JSON) or on its own page (then nothing
//! comes back). For what comes back, [`SignInProblem`] decides the message here, once, for
//! every caller; Microsoft's code and text stay available as [`SignInFailure::details`].
//!
//! AADSTS texts: Microsoft Entra authentication and authorization error codes,
//! <https://learn.microsoft.com/entra/identity-platform/reference-error-codes>
//! (entra-docs `docs/identity-platform/reference-error-codes.md`). That page warns that
//! the texts change, so only the numbers are matched.

use super::sign_in::SignInError;
use super::token::TokenError;

/// What went wrong with a sign-in, decided from Entra's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInProblem {
    /// AADSTS65004 "UserDeclinedConsent - User declined to consent to access the app."
    /// Also what comes back when a user leaves Microsoft's "Need admin approval" page with
    /// "Return to the application without granting consent".
    ConsentDeclined,
    /// AADSTS700084: refresh tokens of a single-page app die 24 h after the sign-in
    /// ("It is now expired and a new sign in request must be sent by the SPA").
    SignInEnded,
    /// AADSTS90094 "AdminConsentRequired", AADSTS90095 "AdminConsentRequiredRequestAccess"
    /// (the admin consent workflow's "ask your admin" interrupt).
    NeedsAdminApproval,
    /// AADSTS700016 "The application wasn't found in the directory/tenant ... You might
    /// have misconfigured the identifier value for the application or sent your
    /// authentication request to the wrong tenant."
    AppNotFound,
    /// AADSTS50194 "isn't configured as a multitenant application. Usage of the /common
    /// endpoint isn't supported ... Use a tenant-specific endpoint or configure the
    /// application to be multitenant."
    SingleTenantApp,
    /// AADSTS50011 "InvalidReplyTo" (normally shown on Entra's own page; here in case it
    /// comes back).
    RedirectUriNotRegistered,
    /// AADSTS90002 tenant not found (a mistyped tenant name).
    TenantNotFound,
    /// This page load is a sign-in's return, but this tab holds no pending sign-in: the
    /// sign-in was started in another tab or browser profile, or the tab's sessionStorage
    /// was cleared, or the response was already used.
    PendingMissing,
    /// The response's `state` is not this tab's: a forged or stale response.
    StateMismatch,
    /// The sign-in took longer than an hour.
    Expired,
    /// Anything else: Entra's own words are in the details.
    Other,
}

/// A failed sign-in: what to tell the admin, and Microsoft's own code and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInFailure {
    pub problem: SignInProblem,
    /// The AADSTS number, when Entra gave one.
    pub aadsts: Option<u32>,
    /// Microsoft's error and text, e.g. `access_denied: AADSTS65004: User declined ...`,
    /// for the "details" line and for support requests.
    pub details: Option<String>,
}

impl SignInProblem {
    /// The problem an AADSTS number stands for.
    pub fn from_aadsts(code: u32) -> SignInProblem {
        match code {
            65004 => SignInProblem::ConsentDeclined,
            700084 => SignInProblem::SignInEnded,
            90094 | 90095 => SignInProblem::NeedsAdminApproval,
            700016 => SignInProblem::AppNotFound,
            50194 => SignInProblem::SingleTenantApp,
            50011 => SignInProblem::RedirectUriNotRegistered,
            90002 => SignInProblem::TenantNotFound,
            _ => SignInProblem::Other,
        }
    }

    /// Whether the likely cause is a wrong client ID, which the admin can change.
    pub fn client_id_suspect(&self) -> bool {
        matches!(self, SignInProblem::AppNotFound)
    }
}

impl std::fmt::Display for SignInProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignInProblem::ConsentDeclined => "The permissions the assistant asked for were not granted: the consent page was cancelled, so nothing was signed in. If you cancelled, sign in again and select Accept (the permissions act only with your own rights, in this browser tab). If Microsoft said \"Need admin approval\", an administrator must consent first: ask a Global Administrator, Privileged Role Administrator or Cloud Application Administrator to sign in here once and consent for the organization.",
            SignInProblem::SignInEnded => "Your sign-in has ended: a single-page app must sign in again every 24 hours. Sign in again to continue; nothing done so far will be repeated.",
            SignInProblem::NeedsAdminApproval => "Your organization lets only an administrator approve the assistant's permissions. Ask a Global Administrator, Privileged Role Administrator, Cloud Application Administrator or Application Administrator to sign in here once and consent for the organization (or to approve your request, if your tenant has the admin consent workflow), then sign in again.",
            SignInProblem::AppNotFound => "Microsoft Entra found no app with this client ID in the tenant you signed in to. The client ID is probably wrong: it must be the Application (client) ID from the assistant's app registration (Overview page), not its Object ID and not the Directory (tenant) ID. If the registration is single-tenant, sign in to the tenant it is registered in. Change the client ID, then sign in again.",
            SignInProblem::SingleTenantApp => "The assistant's app registration is single-tenant, but this site signs in through \"organizations\" (any tenant). Either make the registration multitenant (App registrations > the assistant > Authentication > Supported account types: Multitenant), or name your tenant below (or in config.json's authority) so sign-in goes to that tenant only.",
            SignInProblem::RedirectUriNotRegistered => "This site's address is not a redirect URI of the assistant's app registration. Add this site's origin followed by / (for example https://setup.example.com/) as a Single-page application redirect URI (App registrations > the assistant > Authentication), then sign in again.",
            SignInProblem::TenantNotFound => "Microsoft Entra knows no tenant by the name you entered. Check the domain (for example contoso.onmicrosoft.com) or use the Directory (tenant) ID, then sign in again.",
            SignInProblem::PendingMissing => "This sign-in response was not started in this browser tab (or was already used), so it cannot be finished: sign-ins must start and end in the same tab and browser profile. Sign in again from this tab.",
            SignInProblem::StateMismatch => "This sign-in response does not belong to the sign-in this tab started, so it was ignored. Sign in again from this tab.",
            SignInProblem::Expired => "The sign-in took more than an hour, so it was not finished. Sign in again.",
            SignInProblem::Other => "The sign-in did not work. Try again; if it fails again, the details below are what Microsoft answered (give them to whoever hosts this site).",
        })
    }
}

impl std::fmt::Display for SignInFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.problem.fmt(f)
    }
}

impl std::error::Error for SignInFailure {}

impl SignInFailure {
    pub fn new(problem: SignInProblem) -> SignInFailure {
        SignInFailure {
            problem,
            aadsts: None,
            details: None,
        }
    }

    /// The pending sign-in was not in this tab's sessionStorage.
    pub fn pending_missing() -> SignInFailure {
        SignInFailure::new(SignInProblem::PendingMissing)
    }

    fn from_entra(error: &str, description: Option<&str>, aadsts: Option<u32>) -> SignInFailure {
        let problem = match aadsts {
            Some(code) => SignInProblem::from_aadsts(code),
            // Without a number (another OpenID provider, or a plain decline).
            None if error == "access_denied" => SignInProblem::ConsentDeclined,
            None => SignInProblem::Other,
        };
        let first_line = description.and_then(|d| d.lines().next()).map(str::trim);
        SignInFailure {
            problem,
            aadsts,
            details: Some(match first_line {
                Some(d) if !d.is_empty() => format!("{error}: {d}"),
                _ => error.to_owned(),
            }),
        }
    }
}

impl From<&SignInError> for SignInFailure {
    fn from(e: &SignInError) -> SignInFailure {
        match e {
            SignInError::Authorize {
                error,
                description,
                aadsts,
            } => SignInFailure::from_entra(error, description.as_deref(), *aadsts),
            SignInError::StateMismatch => SignInFailure::new(SignInProblem::StateMismatch),
            SignInError::Expired => SignInFailure::new(SignInProblem::Expired),
            other => SignInFailure {
                details: Some(other.to_string()),
                ..SignInFailure::new(SignInProblem::Other)
            },
        }
    }
}

impl From<&TokenError> for SignInFailure {
    fn from(e: &TokenError) -> SignInFailure {
        match e {
            TokenError::Server {
                error,
                description,
                aadsts,
                ..
            } => SignInFailure::from_entra(error, description.as_deref(), aadsts.first().copied()),
            other => SignInFailure {
                details: Some(other.to_string()),
                ..SignInFailure::new(SignInProblem::Other)
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authorize(error: &str, description: &str) -> SignInFailure {
        SignInFailure::from(&SignInError::Authorize {
            error: error.into(),
            description: Some(description.into()),
            aadsts: super::super::sign_in::aadsts_number(description),
        })
    }

    fn token(error: &str, code: u32, description: &str) -> SignInFailure {
        SignInFailure::from(&TokenError::Server {
            error: error.into(),
            description: Some(description.into()),
            aadsts: vec![code],
            trace_id: None,
            correlation_id: None,
        })
    }

    #[test]
    fn consent_declined_65004() {
        let f = authorize(
            "access_denied",
            "AADSTS65004: User declined to consent to access the app.\r\nTrace ID: t",
        );
        assert_eq!(f.problem, SignInProblem::ConsentDeclined);
        assert_eq!(f.aadsts, Some(65004));
        assert!(f.to_string().contains("were not granted"));
        assert!(f.to_string().contains("sign in again and select Accept"));
        assert!(f.to_string().contains("Need admin approval"));
        // Microsoft's words are kept for the details line, first line only.
        assert_eq!(
            f.details.as_deref(),
            Some("access_denied: AADSTS65004: User declined to consent to access the app.")
        );
        assert!(!f.to_string().contains("AADSTS"));
    }

    #[test]
    fn refresh_past_24_hours_700084() {
        let f = token("invalid_grant", 700084, "AADSTS700084: The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which can't be extended.");
        assert_eq!(f.problem, SignInProblem::SignInEnded);
        assert!(f.to_string().contains("every 24 hours"));
        assert!(f.details.unwrap().contains("AADSTS700084"));
    }

    #[test]
    fn needs_admin_approval_90094_and_90095() {
        for (code, text) in [
            (90094, "AADSTS90094: The grant requires admin permission."),
            (90095, "AADSTS90095: Admin consent is required."),
        ] {
            let f = authorize("access_denied", text);
            assert_eq!(f.problem, SignInProblem::NeedsAdminApproval, "{code}");
            assert!(f.to_string().contains("administrator"));
            assert_eq!(f.aadsts, Some(code));
        }
    }

    #[test]
    fn app_not_found_700016_suspects_the_client_id() {
        let f = authorize("unauthorized_client", "AADSTS700016: Application with identifier '6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3' was not found in the directory 'Contoso'.");
        assert_eq!(f.problem, SignInProblem::AppNotFound);
        assert!(f.problem.client_id_suspect());
        assert!(f.to_string().contains("client ID is probably wrong"));
        assert!(f.to_string().contains("Object ID"));
    }

    #[test]
    fn single_tenant_app_through_organizations_50194() {
        let f = authorize("invalid_request", "AADSTS50194: Application '748aa5a9-366f-466f-adb2-52238936e96e'(Entra Setup Assistant) is not configured as a multi-tenant application.");
        assert_eq!(f.problem, SignInProblem::SingleTenantApp);
        assert!(f.to_string().contains("multitenant"));
        assert!(f.to_string().contains("tenant"));
        assert!(!f.problem.client_id_suspect());
    }

    #[test]
    fn other_codes_and_plain_errors() {
        assert_eq!(
            authorize("invalid_request", "AADSTS50011: The redirect URI ...").problem,
            SignInProblem::RedirectUriNotRegistered
        );
        assert_eq!(
            authorize("invalid_request", "AADSTS90002: Tenant 'x' not found.").problem,
            SignInProblem::TenantNotFound
        );
        let f = authorize("server_error", "AADSTS12345: Something new.");
        assert_eq!(f.problem, SignInProblem::Other);
        assert_eq!(
            f.details.as_deref(),
            Some("server_error: AADSTS12345: Something new.")
        );
        // A decline from a provider that gives no number.
        let plain = SignInFailure::from(&SignInError::Authorize {
            error: "access_denied".into(),
            description: None,
            aadsts: None,
        });
        assert_eq!(plain.problem, SignInProblem::ConsentDeclined);
        assert_eq!(plain.details.as_deref(), Some("access_denied"));
    }

    #[test]
    fn the_pending_sign_in_missing_or_not_ours() {
        let f = SignInFailure::pending_missing();
        assert_eq!(f.problem, SignInProblem::PendingMissing);
        assert!(f.to_string().contains("same tab and browser profile"));
        assert_eq!(f.details, None);
        assert_eq!(
            SignInFailure::from(&SignInError::StateMismatch).problem,
            SignInProblem::StateMismatch
        );
        assert_eq!(
            SignInFailure::from(&SignInError::Expired).problem,
            SignInProblem::Expired
        );
        let transport = SignInFailure::from(&TokenError::Transport("offline".into()));
        assert_eq!(transport.problem, SignInProblem::Other);
        assert!(transport.details.unwrap().contains("offline"));
    }
}
