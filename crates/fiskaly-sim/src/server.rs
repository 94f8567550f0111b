//! Running a simulator on a socket, in-process: start, find its URL, steer it, shut it down.

use std::net::SocketAddr;
use std::sync::MutexGuard;

use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::clock::unix_now;
use crate::config::SimConfig;
use crate::error::FiskalyError;
use crate::faults::Control;
use crate::routes::app;
use crate::state::SimState;
use crate::tss_state::TssState;
use crate::world::World;

/// A running simulator. Dropping it stops the server too; [`Simulator::shutdown`] waits for that.
pub struct Simulator {
    state: SimState,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Simulator {
    /// Starts a simulator on a free loopback port.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        Simulator::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts a simulator on `addr`, loading its snapshot file if the config names one.
    pub async fn start_on(addr: SocketAddr, config: SimConfig) -> std::io::Result<Simulator> {
        let world = match &config.snapshot {
            Some(path) => World::load(path)?,
            None => World::default(),
        };
        let state = SimState::new(config, world);
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let router = app(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Simulator {
            state,
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base URL, as fiskaly's `https://…/api/v2`.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/v2", self.addr)
    }

    /// Faults, latency and the calls received so far.
    pub fn control(&self) -> MutexGuard<'_, Control> {
        self.state.control()
    }

    /// Forces a fiskaly-side state (DEFECTIVE, DELETED, EVICTED) onto a TSS; any other state is
    /// 400 `E_FAILED_SCHEMA_VALIDATION`, as only the caller's own calls reach those.
    pub fn force_state(&self, tss_id: Uuid, state: TssState) -> Result<(), FiskalyError> {
        self.state.world().force_state(tss_id, state, unix_now())?;
        self.state.persist();
        Ok(())
    }

    /// Gives a TSS a new certificate valid until `not_after` (unix seconds), as
    /// `PUT /_sim/tss/{id}/certificate` does; 404 `E_TSS_NOT_FOUND` for an unknown TSS.
    pub fn set_certificate_expiry(&self, tss_id: Uuid, not_after: i64) -> Result<(), FiskalyError> {
        self.state.world().reissue_certificate(tss_id, not_after)?;
        self.state.persist();
        Ok(())
    }

    /// The TSS as fiskaly would answer `GET /tss/{id}`, without a call being counted.
    pub fn tss(&self, tss_id: Uuid) -> Option<Value> {
        let world = self.state.world();
        let tss = world.tss.get(&tss_id)?;
        Some(world.tss_json(tss))
    }

    /// The admin PUK fiskaly issued for a TSS, to compare with what a caller stored.
    pub fn admin_puk(&self, tss_id: Uuid) -> Option<String> {
        Some(self.state.world().tss.get(&tss_id)?.admin_puk.clone())
    }

    /// The client as fiskaly would answer `GET /tss/{tss_id}/client/{id}`.
    pub fn client(&self, client_id: Uuid) -> Option<Value> {
        Some(self.state.world().clients.get(&client_id)?.to_json())
    }

    /// Stops accepting calls, lets running ones finish, and waits until the server is down.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(std::io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
