//! Clicking through the simulator's sign-in, consent and admin-consent pages from Rust, as
//! a browser would: read the forms, keep the session cookie, and hand back the redirect
//! that leaves the pages. For tests and tools that need a signed-in user without a real
//! browser; the `client` feature enables it.
//!
//! It speaks only URLs, strings and HTTP: building the authorize URL and redeeming the
//! code stay with the caller, so a client under test keeps its own reading of the protocol.
//!
//! ```no_run
//! # async fn demo(authorize_url: &str) -> Result<(), entra_sim::client::Error> {
//! use entra_sim::client::{Browser, Ending};
//! let (_addr, sim) = entra_sim::spawn(entra_sim::SimConfig::default()).await.unwrap();
//! let http = reqwest::Client::builder()
//!     .redirect(reqwest::redirect::Policy::none())
//!     .build()
//!     .unwrap();
//! let browser = Browser::new(http, sim.base_url());
//! match browser.sign_in(authorize_url, entra_sim::users::GLOBAL_ADMIN_UPN, false).await? {
//!     Ending::Redirect(callback) => println!("redeem the code in {callback}"),
//!     Ending::Page { title } => println!("the pages ended on {title}"),
//! }
//! # Ok(()) }
//! ```

mod forms;
mod harness;

use std::sync::Mutex;

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;

pub use forms::{form_with_button, forms, title, Button, Form};
pub use harness::{advance_clock_at, no_redirects, SimServer};

use crate::identity::session::SESSION_COOKIE;

/// More pages than any sign-in shows (picker, consent, redirect): a loop, not a sign-in.
const MAX_PAGES: usize = 6;

/// What one request answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    Html(StatusCode, String),
    /// A redirect's `Location`.
    Redirect(String),
}

/// Where [`Browser::sign_in`] stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    /// A redirect out of the pages: the client's redirect URI with `code`, `error` or
    /// `admin_consent` in its query or fragment.
    Redirect(String),
    /// A page without forms, e.g. "Admin consent granted" (v1 admin consent with no
    /// redirect URI).
    Page { title: String },
}

#[derive(Debug)]
pub enum Error {
    Http(reqwest::Error),
    /// The page lacks the form a step needs (an unknown user, a page of another kind).
    UnexpectedPage(String),
    /// Still on the simulator's pages after [`MAX_PAGES`].
    TooManyPages,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Http(e) => write!(f, "HTTP: {e}"),
            Error::UnexpectedPage(html) => write!(f, "unexpected page: {html}"),
            Error::TooManyPages => write!(f, "the sign-in pages did not finish"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Http(e) => Some(e),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Error {
        Error::Http(e)
    }
}

/// One browser profile: its session cookie is what makes a later `prompt=none` silent.
pub struct Browser {
    http: reqwest::Client,
    base: String,
    cookie: Mutex<Option<String>>,
}

impl Browser {
    /// A browser for the simulator at `base` (`http://127.0.0.1:PORT`). `http` must not
    /// follow redirects (`redirect::Policy::none()`): a redirect to the client's redirect
    /// URI is where the sign-in hands back, not a page to load.
    pub fn new(http: reqwest::Client, base: impl Into<String>) -> Browser {
        Browser {
            http,
            base: base.into(),
            cookie: Mutex::new(None),
        }
    }

    pub async fn get(&self, url: &str) -> Result<Page, Error> {
        let request = self.with_cookie(self.http.get(url));
        self.read(request.send().await?).await
    }

    /// Clicks `button` of `form`.
    pub async fn submit(&self, form: &Form, button: &Button) -> Result<Page, Error> {
        let url = if form.action.starts_with("http") {
            form.action.clone()
        } else {
            format!("{}{}", self.base, form.action)
        };
        let request = self
            .with_cookie(self.http.post(url))
            .form(&form.fields_with(button));
        self.read(request.send().await?).await
    }

    /// Clicks the account button of `upn` on a picker page.
    pub async fn pick(&self, picker_html: &str, upn: &str) -> Result<Page, Error> {
        let (form, button) = form_with_button(picker_html, "data-user", upn)
            .ok_or_else(|| Error::UnexpectedPage(picker_html.to_owned()))?;
        self.submit(&form, &button).await
    }

    /// Clicks the button with `data-action="{action}"` (`accept`, `cancel`, `back`);
    /// `for_org` ticks "Consent on behalf of your organization".
    pub async fn consent(&self, html: &str, action: &str, for_org: bool) -> Result<Page, Error> {
        let (mut form, button) = form_with_button(html, "data-action", action)
            .ok_or_else(|| Error::UnexpectedPage(html.to_owned()))?;
        if for_org {
            form.fields.push(("consent_org".into(), "true".into()));
        }
        self.submit(&form, &button).await
    }

    /// Opens `url` (an authorize URL or an admin-consent link), picks `upn`, accepts any
    /// consent page (for the organization if `for_org`) and stops where the pages end.
    pub async fn sign_in(&self, url: &str, upn: &str, for_org: bool) -> Result<Ending, Error> {
        let mut page = self.get(url).await?;
        for _ in 0..MAX_PAGES {
            page = match page {
                Page::Redirect(location) if self.leaves_the_pages(&location) => {
                    return Ok(Ending::Redirect(location))
                }
                Page::Redirect(location) => self.get(&location).await?,
                Page::Html(_, html) if form_with_button(&html, "data-user", upn).is_some() => {
                    self.pick(&html, upn).await?
                }
                Page::Html(_, html)
                    if form_with_button(&html, "data-action", "accept").is_some() =>
                {
                    self.consent(&html, "accept", for_org).await?
                }
                Page::Html(_, html) if forms(&html).is_empty() => {
                    return Ok(Ending::Page {
                        title: title(&html),
                    })
                }
                Page::Html(_, html) => return Err(Error::UnexpectedPage(html)),
            };
        }
        Err(Error::TooManyPages)
    }

    /// A redirect that leaves the simulator, or carries the sign-in's outcome.
    fn leaves_the_pages(&self, location: &str) -> bool {
        !location.starts_with(&self.base)
            || ["code=", "admin_consent=", "error="]
                .iter()
                .any(|outcome| location.contains(outcome))
    }

    fn with_cookie(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.cookie.lock().expect("cookie jar").as_deref() {
            Some(value) => request.header(COOKIE, format!("{SESSION_COOKIE}={value}")),
            None => request,
        }
    }

    async fn read(&self, response: reqwest::Response) -> Result<Page, Error> {
        let prefix = format!("{SESSION_COOKIE}=");
        for header in response.headers().get_all(SET_COOKIE) {
            let pair = header.to_str().unwrap_or("").split(';').next();
            if let Some(value) = pair.and_then(|p| p.strip_prefix(&prefix)) {
                // Logout answers with an empty, expired cookie.
                *self.cookie.lock().expect("cookie jar") =
                    Some(value.to_owned()).filter(|v| !v.is_empty());
            }
        }
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok());
        match location {
            Some(location) if status.is_redirection() => Ok(Page::Redirect(location.to_owned())),
            _ => Ok(Page::Html(status, response.text().await?)),
        }
    }
}
