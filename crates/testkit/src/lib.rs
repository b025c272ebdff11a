//! Driving core's automated mode against entra-sim from native code, in one place: core's
//! integration tests and `cargo xtask bench` use it. The simulator's own tests do not (the
//! simulator shares no code with core); what they share with these is
//! `entra_sim::client::SimServer`, re-exported here as [`Sim`].
//!
//! - [`transport`]: a browser-like transport (every request carries the app's Origin) that
//!   counts sequential round trips in [`Waves`];
//! - [`SimHost`] (virtual time: sleeping moves the simulator's frozen clock) and
//!   [`RealTime`];
//! - [`config`], [`discover`] and [`sign_in`]: core's own sign-in, clicked through the
//!   simulator's pages.

mod host;
mod sign_in;
mod transport;

pub use entra_sim::client::SimServer as Sim;
pub use host::{RealTime, SimHost};
pub use sign_in::{config, discover, random_bytes, sign_in, sign_in_params, try_sign_in};
pub use transport::{transport, BoxFuture, BoxTransport, Waves};

/// Where the app is served in tests: the Origin every request carries.
pub const APP_ORIGIN: &str = "http://127.0.0.1:8080";
/// The app's redirect URI, registered on the simulator's assistant registration.
pub const APP_REDIRECT: &str = "http://127.0.0.1:8080/";

/// A simulator whose clock is frozen: time moves only when the executor sleeps (through
/// [`SimHost`]) or a test says so.
pub async fn start_frozen(config: entra_sim::SimConfig) -> Sim {
    let sim = Sim::start(config).await;
    sim.freeze_clock().await;
    sim
}
