//! The simulator's whole mutable state behind one lock, and its reset.
//!
//! Handlers take the lock, do their (synchronous) work and release it before any await,
//! so a `std::sync::Mutex` is enough.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::clock::SimClock;
use crate::config::{Knobs, SimConfig};
use crate::directory::Directory;
use crate::identity::session::{AuthCode, Flow, RefreshGrant, Session};
use crate::jwt::Signer;
use crate::pipeline::request_log::LogEntry;
use crate::pipeline::throttle::ThrottleWindow;

pub struct Sim {
    world: Mutex<World>,
    pub signer: &'static Signer,
    startup: SimConfig,
}

pub struct World {
    pub dir: Directory,
    pub clock: SimClock,
    pub knobs: Knobs,
    pub throttle: ThrottleWindow,
    pub log: VecDeque<LogEntry>,
    pub sessions: HashMap<String, Session>,
    pub flows: HashMap<String, Flow>,
    pub codes: HashMap<String, AuthCode>,
    pub refresh_tokens: HashMap<String, RefreshGrant>,
}

impl World {
    fn new(config: &SimConfig) -> Result<World, String> {
        Ok(World {
            dir: Directory::from_seed(&config.seed, &config.spa_redirect_uris)?,
            clock: SimClock::default(),
            knobs: config.knobs.clone(),
            throttle: ThrottleWindow::default(),
            log: VecDeque::new(),
            sessions: HashMap::new(),
            flows: HashMap::new(),
            codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
        })
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Objects created after this instant are not yet replicated (invisible to reads).
    pub fn visible_before(&self) -> i64 {
        self.now_ms() - self.knobs.replication_delay_ms as i64
    }

    pub fn push_log(&mut self, entry: LogEntry) {
        self.log.push_back(entry);
        while self.log.len() > self.knobs.request_log_limit.max(1) {
            self.log.pop_front();
        }
    }
}

impl Sim {
    pub fn new(config: SimConfig) -> Result<Arc<Sim>, String> {
        let world = World::new(&config)?;
        Ok(Arc::new(Sim {
            world: Mutex::new(world),
            signer: Signer::shared(),
            startup: config,
        }))
    }

    pub fn lock(&self) -> MutexGuard<'_, World> {
        // A panic in one handler must not take the simulator down for every later test.
        self.world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Back to the startup state: seed directory, startup knobs, clock at real time, empty
    /// log, no sessions, codes or refresh tokens.
    pub fn reset(&self) {
        let fresh =
            World::new(&self.startup).expect("the startup configuration loaded once already");
        *self.lock() = fresh;
    }
}
