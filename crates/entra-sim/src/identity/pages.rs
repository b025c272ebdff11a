//! The sign-in, consent and result pages: plain, accessible HTML forms that a person or
//! a test (Playwright, or an HTTP client reading the forms) can drive.

use crate::html::{self, escape, hidden};

pub struct UserChoice {
    pub display_name: String,
    pub upn: String,
    pub roles: Vec<String>,
    pub hinted: bool,
}

pub struct TenantUsers {
    pub tenant_name: String,
    pub users: Vec<UserChoice>,
}

/// One button per user: its text contains the display name, `data-user` is the UPN.
pub fn user_picker(action: &str, flow_id: &str, app_name: &str, tenants: &[TenantUsers]) -> String {
    let mut body = format!(
        "<h1>Pick an account</h1>\n<p>to continue to <strong>{}</strong></p>\n",
        escape(app_name)
    );
    for tenant in tenants {
        body.push_str(&format!(
            "<section aria-label=\"{name}\">\n<h2>{name}</h2>\n",
            name = escape(&tenant.tenant_name)
        ));
        for user in &tenant.users {
            let roles = if user.roles.is_empty() {
                "No administrator role".to_owned()
            } else {
                user.roles.join(", ")
            };
            body.push_str(&format!(
                "<form class=\"user\" method=\"post\" action=\"{action}\">{flow}{user_field}\
                 <button type=\"submit\" data-user=\"{upn}\"{autofocus}>{name} \
                 <span class=\"upn\">{upn}</span> <span class=\"roles\">{roles}</span></button></form>\n",
                action = escape(action),
                flow = hidden("flow", flow_id),
                user_field = hidden("user", &user.upn),
                upn = escape(&user.upn),
                autofocus = if user.hinted { " autofocus" } else { "" },
                name = escape(&user.display_name),
                roles = escape(&roles),
            ));
        }
        body.push_str("</section>\n");
    }
    html::page("Sign in to your account", &body)
}

pub struct PermissionLine {
    pub text: String,
    pub detail: String,
}

pub struct ResourceSection {
    pub resource_name: String,
    pub lines: Vec<PermissionLine>,
}

pub struct ConsentPage<'a> {
    pub action: &'a str,
    pub flow_id: &'a str,
    pub app_name: &'a str,
    pub user: &'a str,
    pub sections: Vec<ResourceSection>,
    /// Offer "Consent on behalf of your organization" (admins on the sign-in consent page).
    pub offer_organization: bool,
    /// The admin-consent endpoint's page: consent is always for the organization.
    pub admin_consent: bool,
}

/// "Permissions requested", with Accept (`data-action="accept"`) and Cancel.
pub fn consent(page: &ConsentPage) -> String {
    let mut body = format!(
        "<h1>Permissions requested</h1>\n<p><strong>{app}</strong> is requesting access{org}.</p>\n\
         <p>Signed in as {user}</p>\n<p>This app would like to:</p>\n",
        app = escape(page.app_name),
        org = if page.admin_consent { " for your organization" } else { "" },
        user = escape(page.user),
    );
    for section in &page.sections {
        body.push_str(&format!(
            "<h2>{}</h2>\n<ul class=\"scopes\">\n",
            escape(&section.resource_name)
        ));
        for line in &section.lines {
            body.push_str(&format!(
                "<li><strong>{}</strong> <span>{}</span></li>\n",
                escape(&line.text),
                escape(&line.detail)
            ));
        }
        body.push_str("</ul>\n");
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"{}\">{}\n",
        escape(page.action),
        hidden("flow", page.flow_id)
    ));
    if page.offer_organization {
        body.push_str(
            "<p><label><input type=\"checkbox\" name=\"consent_org\" value=\"true\"> \
             Consent on behalf of your organization</label></p>\n",
        );
    }
    body.push_str(
        "<button type=\"submit\" name=\"action\" value=\"accept\" data-action=\"accept\">Accept</button>\n\
         <button type=\"submit\" name=\"action\" value=\"cancel\" data-action=\"cancel\">Cancel</button>\n</form>",
    );
    html::page("Permissions requested", &body)
}

/// Shown to a user who cannot consent to what the app asks for.
pub fn need_admin_approval(action: &str, flow_id: &str, app_name: &str, message: &str) -> String {
    let body = format!(
        "<h1>Need admin approval</h1>\n<p><strong>{app}</strong> needs permission to access resources in your organization \
         that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.</p>\n\
         <p class=\"error\" role=\"alert\" data-error-code=\"AADSTS90094\">{message}</p>\n\
         <form method=\"post\" action=\"{action}\">{flow}\
         <button type=\"submit\" name=\"action\" value=\"cancel\" data-action=\"back\">Return to the application without granting consent</button>\
         </form>",
        app = escape(app_name),
        message = escape(message),
        action = escape(action),
        flow = hidden("flow", flow_id),
    );
    html::page("Need admin approval", &body)
}

/// `response_mode=form_post`: a form that posts itself to the redirect URI.
pub fn form_post(redirect_uri: &str, params: &[(String, String)]) -> String {
    let fields: String = params.iter().map(|(k, v)| hidden(k, v)).collect();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Working...</title></head>\
         <body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"{}\">{fields}\
         <noscript><button type=\"submit\">Continue</button></noscript></form></body></html>",
        escape(redirect_uri)
    )
}

pub fn message(title: &str, text: &str) -> String {
    html::page(
        title,
        &format!("<h1>{}</h1>\n<p>{}</p>", escape(title), escape(text)),
    )
}
