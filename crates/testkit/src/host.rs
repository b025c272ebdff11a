//! Clocks for core's `Host`: virtual time on the simulator, or the wall clock.

use std::cell::{Cell, RefCell};

use entra_setup_core::automation::host::Host;

use crate::Sim;

/// Virtual time: `sleep` returns at once after moving the simulator's (frozen) clock.
pub struct SimHost {
    http: reqwest::Client,
    base: String,
    now: Cell<i64>,
    pub slept: RefCell<Vec<u64>>,
}

impl SimHost {
    pub async fn new(sim: &Sim) -> SimHost {
        SimHost {
            http: sim.http.clone(),
            base: sim.base.clone(),
            now: Cell::new(sim.clock_ms().await),
            slept: RefCell::new(vec![]),
        }
    }

    /// Moves both clocks (e.g. past the 24 h of a SPA refresh token).
    pub async fn advance(&self, ms: u64) {
        self.now.set(self.now.get() + ms as i64);
        entra_sim::client::advance_clock_at(&self.http, &self.base, ms).await;
    }

    pub fn total_slept_ms(&self) -> u64 {
        self.slept.borrow().iter().sum()
    }
}

impl Host for SimHost {
    fn now_ms(&self) -> i64 {
        self.now.get()
    }

    async fn sleep(&self, ms: u64) {
        self.slept.borrow_mut().push(ms);
        self.advance(ms).await;
    }

    fn jitter(&self) -> f64 {
        0.5
    }
}

/// The wall clock, for figures that mean seconds (the bench).
pub struct RealTime;

impl Host for RealTime {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    }

    async fn sleep(&self, ms: u64) {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }

    fn jitter(&self) -> f64 {
        0.5
    }
}
