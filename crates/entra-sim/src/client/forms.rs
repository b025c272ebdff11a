//! Reading the simulator's pages the way a browser submits them: each `<form>`'s action,
//! the fields it would send and its buttons. The pages are the simulator's own plain HTML
//! (`identity::pages`), so string scanning is enough; this is no general HTML parser.

use std::collections::HashMap;

/// A `<form>`: where it posts and what it sends before a button adds its own name/value.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub action: String,
    /// Inputs with a name and a value, in page order; an unticked checkbox sends nothing.
    pub fields: Vec<(String, String)>,
    pub buttons: Vec<Button>,
}

/// A `<button>`: its attributes (`data-user`, `data-action`, `name`, `value`, …) and its
/// visible text.
#[derive(Debug, Clone, PartialEq)]
pub struct Button {
    pub attrs: HashMap<String, String>,
    pub text: String,
}

impl Form {
    /// The fields a click on `button` sends.
    pub fn fields_with(&self, button: &Button) -> Vec<(String, String)> {
        let mut fields = self.fields.clone();
        if let (Some(name), Some(value)) = (button.attrs.get("name"), button.attrs.get("value")) {
            fields.push((name.clone(), value.clone()));
        }
        fields
    }
}

/// Every form of a page, in order.
pub fn forms(html: &str) -> Vec<Form> {
    html.split("<form").skip(1).map(form).collect()
}

/// The form holding a button with `attr="value"`, and that button.
pub fn form_with_button(html: &str, attr: &str, value: &str) -> Option<(Form, Button)> {
    forms(html).into_iter().find_map(|form| {
        let button = form
            .buttons
            .iter()
            .find(|b| b.attrs.get(attr).map(String::as_str) == Some(value))
            .cloned();
        button.map(|b| (form, b))
    })
}

/// The page's `<title>`.
pub fn title(html: &str) -> String {
    html.split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .map(unescape)
        .unwrap_or_default()
}

/// One form, from just after `<form`.
fn form(chunk: &str) -> Form {
    let body = &chunk[..chunk.find("</form>").unwrap_or(chunk.len())];
    let action = attrs(&body[..body.find('>').unwrap_or(0)])
        .remove("action")
        .unwrap_or_default();
    let fields = body
        .split("<input")
        .skip(1)
        .filter_map(|input| {
            let mut a = attrs(&input[..input.find('>').unwrap_or(0)]);
            let unticked =
                a.get("type").map(String::as_str) == Some("checkbox") && !a.contains_key("checked");
            match (a.remove("name"), a.remove("value")) {
                (Some(name), Some(value)) if !unticked => Some((name, value)),
                _ => None,
            }
        })
        .collect();
    let buttons = body
        .split("<button")
        .skip(1)
        .map(|b| {
            let tag_end = b.find('>').unwrap_or(0);
            let text_end = b.find("</button>").unwrap_or(b.len());
            Button {
                attrs: attrs(&b[..tag_end]),
                text: strip_tags(&b[tag_end + 1..text_end]),
            }
        })
        .collect();
    Form {
        action,
        fields,
        buttons,
    }
}

/// `name="value"` pairs of a tag, plus the bare flags the pages use.
fn attrs(tag: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_owned();
        let after = &rest[eq + 2..];
        let end = after.find('"').unwrap_or(after.len());
        out.insert(name, unescape(&after[..end]));
        rest = &after[(end + 1).min(after.len())..];
    }
    for flag in ["autofocus", "checked"] {
        if tag.contains(&format!(" {flag}")) {
            out.entry(flag.to_owned()).or_default();
        }
    }
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(out.trim())
}

/// Undoes `html::escape` (`&amp;` last, so `&amp;lt;` stays `&lt;`).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::pages::{self, UserChoice};

    #[test]
    fn a_picker_form_sends_its_flow_and_user() {
        let html = pages::user_picker(
            "/t/oauth2/v2.0/authorize/select",
            "f1",
            "App & Co",
            &[pages::TenantUsers {
                tenant_name: "Contoso".into(),
                users: vec![UserChoice {
                    display_name: "Adele \"A\" Vance".into(),
                    upn: "adele@contoso.example".into(),
                    roles: vec!["Global Administrator".into()],
                    hinted: true,
                }],
            }],
        );
        let (form, button) = form_with_button(&html, "data-user", "adele@contoso.example")
            .expect("the user's button");
        assert_eq!(form.action, "/t/oauth2/v2.0/authorize/select");
        assert_eq!(
            form.fields_with(&button),
            [
                ("flow".to_owned(), "f1".to_owned()),
                ("user".to_owned(), "adele@contoso.example".to_owned())
            ]
        );
        assert!(button.text.starts_with("Adele \"A\" Vance"));
        assert!(button.attrs.contains_key("autofocus"));
        assert_eq!(title(&html), "Sign in to your account");
    }

    #[test]
    fn an_unticked_checkbox_sends_nothing_and_a_button_sends_its_value() {
        let html =
            "<form method=\"post\" action=\"/c\"><input type=\"hidden\" name=\"flow\" value=\"f\">\
            <input type=\"checkbox\" name=\"consent_org\" value=\"true\">\
            <button name=\"action\" value=\"accept\" data-action=\"accept\">Accept</button></form>";
        let (form, button) = form_with_button(html, "data-action", "accept").unwrap();
        assert_eq!(
            form.fields_with(&button),
            [
                ("flow".to_owned(), "f".to_owned()),
                ("action".to_owned(), "accept".to_owned())
            ]
        );
    }
}
