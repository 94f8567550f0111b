//! The fiskaly the proxy talks to right now; saving new settings swaps it for the next operations.

use std::sync::{Arc, RwLock};

use tss_model::Backend;

use super::FiskalyClient;

/// The current fiskaly client and what it is.
#[derive(Debug, Clone)]
pub struct FiskalyConnection {
    current: Arc<RwLock<(Arc<FiskalyClient>, Backend)>>,
}

impl FiskalyConnection {
    /// A connection through `client`.
    pub fn new(client: FiskalyClient, backend: Backend) -> FiskalyConnection {
        FiskalyConnection {
            current: Arc::new(RwLock::new((Arc::new(client), backend))),
        }
    }

    /// The client to use for one operation (it keeps this one even if settings change meanwhile).
    pub fn client(&self) -> Arc<FiskalyClient> {
        self.read().0.clone()
    }

    /// Whether the client talks to the built-in simulator or to fiskaly.
    pub fn backend(&self) -> Backend {
        self.read().1
    }

    /// Talks to the fiskaly saved on the Fiskaly Setup page from now on (operations running keep
    /// the client they started with).
    pub fn switch_to(&self, target: crate::settings::FiskalyTarget) {
        let client = self
            .client()
            .for_target(&target.base_url, target.credentials);
        self.replace(client, Backend::Fiskaly);
    }

    /// Talks to `client` from now on.
    pub fn replace(&self, client: FiskalyClient, backend: Backend) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = (Arc::new(client), backend);
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, (Arc<FiskalyClient>, Backend)> {
        self.current.read().unwrap_or_else(|p| p.into_inner())
    }
}
