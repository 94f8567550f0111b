//! What every handler of the simulator shares.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::config::SimConfig;
use crate::faults::Control;
use crate::world::World;

/// The simulator's shared state: the world, the fault and latency controls, the settings.
#[derive(Debug, Clone)]
pub struct SimState {
    world: Arc<Mutex<World>>,
    control: Arc<Mutex<Control>>,
    /// The settings it was started with.
    pub config: Arc<SimConfig>,
}

impl SimState {
    /// A simulator state around `world`.
    pub fn new(config: SimConfig, world: World) -> SimState {
        let control = Control::new(config.latency, config.deploy_latency);
        SimState {
            world: Arc::new(Mutex::new(world)),
            control: Arc::new(Mutex::new(control)),
            config: Arc::new(config),
        }
    }

    /// The world, locked. Never held across an `.await`.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The fault and latency controls, locked.
    pub fn control(&self) -> MutexGuard<'_, Control> {
        self.control
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes the snapshot file, if one is configured.
    pub fn persist(&self) {
        if let Some(path) = &self.config.snapshot {
            if let Err(error) = self.world().save(path) {
                tracing::error!(%error, path = %path.display(), "cannot write the simulator snapshot");
            }
        }
    }
}
