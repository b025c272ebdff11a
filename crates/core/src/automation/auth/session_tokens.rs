//! A [`TokenSource`] over a signed-in [`Session`]: refreshes silently while the refresh
//! token lives, then says that only a new sign-in helps.

use std::cell::RefCell;

use super::discovery::Discovery;
use super::scopes;
use super::token::{self, Session};
use crate::automation::config::AppConfig;
use crate::automation::host::{Host, TokenError, TokenSource, Transport};
use crate::automation::Secret;

pub struct SessionTokens<'a, T: Transport, H: Host> {
    config: &'a AppConfig,
    endpoints: &'a Discovery,
    transport: &'a T,
    host: &'a H,
    session: RefCell<Session>,
}

impl<'a, T: Transport, H: Host> SessionTokens<'a, T, H> {
    pub fn new(
        config: &'a AppConfig,
        endpoints: &'a Discovery,
        transport: &'a T,
        host: &'a H,
        session: Session,
    ) -> Self {
        SessionTokens {
            config,
            endpoints,
            transport,
            host,
            session: RefCell::new(session),
        }
    }

    /// The current session (after any refreshes), e.g. to keep using it after a run.
    pub fn session(&self) -> Session {
        self.session.borrow().clone()
    }

    async fn do_refresh(&self) -> Result<(), TokenError> {
        let now = self.host.now_ms();
        let current = self.session.borrow().clone();
        if !current.can_refresh(now) {
            return Err(TokenError::SessionEnded);
        }
        let scopes: Vec<String> = current
            .scopes
            .iter()
            .filter(|s| !scopes::is_oidc(s))
            // The echo may be bare; a refresh outside the global cloud names its Graph as
            // the sign-in did (see `scopes`).
            .map(|s| scopes::graph_scope(s, self.config.cloud))
            .collect();
        match token::refresh(
            self.config,
            self.endpoints,
            &current,
            &scopes,
            self.transport,
            now,
        )
        .await
        {
            Ok(next) => {
                *self.session.borrow_mut() = next;
                Ok(())
            }
            Err(e) if e.needs_interaction() => Err(TokenError::InteractionRequired(
                super::SignInFailure::from(&e),
            )),
            Err(e) => Err(TokenError::RenewalFailed(e.to_string())),
        }
    }
}

impl<T: Transport, H: Host> TokenSource for SessionTokens<'_, T, H> {
    async fn token(&self) -> Result<Secret, TokenError> {
        let valid = self.session.borrow().access_valid(self.host.now_ms());
        if !valid {
            self.do_refresh().await?;
        }
        Ok(self.session.borrow().access_token.clone())
    }

    async fn refresh(&self) -> Result<(), TokenError> {
        self.do_refresh().await
    }
}
