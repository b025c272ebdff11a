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
use crate::random::{self, SeededRng};

pub struct Sim {
    world: Mutex<World>,
    pub signer: &'static Signer,
    startup: SimConfig,
    /// The seed of this run's random draws (`--random-seed`, or one drawn at startup);
    /// every reset starts the same sequence again.
    pub random_seed: u64,
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
    pub rng: SeededRng,
}

impl World {
    fn new(config: &SimConfig, random_seed: u64) -> Result<World, String> {
        let clock = SimClock::default();
        Ok(World {
            dir: Directory::from_seed(&config.seed, &config.spa_redirect_uris, clock.now_ms())?,
            clock,
            knobs: config.startup_knobs(),
            throttle: ThrottleWindow::default(),
            log: VecDeque::new(),
            sessions: HashMap::new(),
            flows: HashMap::new(),
            codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
            rng: SeededRng::new(random_seed),
        })
    }

    /// The replication delay of one object created now: its own draw from
    /// `replication_delay_range_ms`, on top of the fixed `replication_delay_ms` every read
    /// applies. 0 when no range is set (no draw, so gentle runs consume no randomness).
    pub fn draw_replication_delay(&mut self) -> i64 {
        match self.knobs.replication_delay_range_ms {
            Some(range) => self.rng.in_range(range) as i64,
            None => 0,
        }
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
        let random_seed = config.random_seed.unwrap_or_else(random::os_seed);
        let world = World::new(&config, random_seed)?;
        Ok(Arc::new(Sim {
            world: Mutex::new(world),
            signer: Signer::shared(),
            startup: config,
            random_seed,
        }))
    }

    /// The profile the simulator started with.
    pub fn profile(&self) -> crate::config::Profile {
        self.startup.profile
    }

    pub fn lock(&self) -> MutexGuard<'_, World> {
        // A panic in one handler must not take the simulator down for every later test.
        self.world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Back to the startup state: seed directory, startup knobs, clock at real time, empty
    /// log, no sessions, codes or refresh tokens, random draws from the start again.
    pub fn reset(&self) {
        let fresh = World::new(&self.startup, self.random_seed)
            .expect("the startup configuration loaded once already");
        *self.lock() = fresh;
    }
}
