//! Everything the simulated fiskaly knows: TSS, clients, tokens, admin logins, pending calls.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::client::Client;
use crate::client_state::ClientState;
use crate::error::{FiskalyError, SimResult};
use crate::tokens::Tokens;
use crate::tss::Tss;
use crate::tss_state::TssState;

/// The simulated organisation's state. TSS, clients and the per-day creation counts survive a
/// restart through the snapshot file; tokens, admin logins and pending calls do not (as after a
/// fiskaly restart, callers authenticate again).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct World {
    /// Every TSS, by ID.
    pub tss: BTreeMap<Uuid, Tss>,
    /// Every client of every TSS, by ID.
    pub clients: BTreeMap<Uuid, Client>,
    /// TSS created per UTC day (the day as `clock::day_of` counts it).
    pub creations_per_day: BTreeMap<i64, usize>,
    /// Issued tokens.
    #[serde(skip)]
    pub tokens: Tokens,
    /// Admin logins: (TSS, access token) pairs, from `admin/auth` until logout or PIN change.
    #[serde(skip)]
    pub admin_sessions: HashSet<(Uuid, String)>,
    /// TSS with a slow state change still running; other changes to them get 444.
    #[serde(skip)]
    pub pending: HashSet<Uuid>,
}

impl World {
    /// Reads a snapshot file; a missing file is an empty world.
    pub fn load(path: &Path) -> std::io::Result<World> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(std::io::Error::other),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(World::default()),
            Err(e) => Err(e),
        }
    }

    /// Writes the snapshot atomically (a temporary file renamed over the old one).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, bytes)?;
        std::fs::rename(&temporary, path)
    }

    /// The TSS with `id`, or 404 `E_TSS_NOT_FOUND`.
    pub fn tss(&self, id: Uuid) -> SimResult<&Tss> {
        self.tss
            .get(&id)
            .ok_or_else(|| FiskalyError::tss_not_found(id))
    }

    /// The TSS with `id` for a state-changing call: 404 if unknown, 423 if fiskaly has taken it out
    /// of service, 444 while another change to it is still pending.
    pub fn tss_for_change(&mut self, id: Uuid) -> SimResult<&mut Tss> {
        let now = crate::clock::unix_now();
        let pending = self.pending.contains(&id);
        let tss = self
            .tss
            .get_mut(&id)
            .ok_or_else(|| FiskalyError::tss_not_found(id))?;
        if let Some(error) = tss.out_of_service(now) {
            return Err(error);
        }
        if pending {
            return Err(FiskalyError::new(
                444,
                "E_MIDDLEWARE_PENDING_REQUEST",
                format!("another request on TSS {id} is still pending"),
            ));
        }
        Ok(tss)
    }

    /// Fails with 401 unless `token` has an admin login to the TSS.
    pub fn require_admin(&self, tss_id: Uuid, token: &str) -> SimResult<()> {
        if self.admin_sessions.contains(&(tss_id, token.to_owned())) {
            Ok(())
        } else {
            Err(FiskalyError::admin_required())
        }
    }

    /// Ends every admin login to the TSS.
    pub fn log_out_everyone(&mut self, tss_id: Uuid) {
        self.admin_sessions.retain(|(id, _)| *id != tss_id);
    }

    /// How many clients of the TSS are REGISTERED.
    pub fn registered_clients(&self, tss_id: Uuid) -> usize {
        self.clients
            .values()
            .filter(|c| c.tss_id == tss_id && c.state == ClientState::Registered)
            .count()
    }

    /// How many TSS count against the live limit.
    pub fn live_tss(&self) -> usize {
        self.tss.values().filter(|t| t.state.is_live()).count()
    }

    /// The TSS as fiskaly answers it.
    pub fn tss_json(&self, tss: &Tss) -> Value {
        tss.to_json(self.registered_clients(tss.id))
    }

    /// Forces a fiskaly-side state (DEFECTIVE, DELETED or EVICTED) onto a TSS.
    pub fn force_state(&mut self, id: Uuid, state: TssState, now: i64) -> SimResult<()> {
        if !state.set_by_fiskaly() {
            return Err(FiskalyError::schema(
                "only DEFECTIVE, DELETED or EVICTED can be forced",
            ));
        }
        let tss = self
            .tss
            .get_mut(&id)
            .ok_or_else(|| FiskalyError::tss_not_found(id))?;
        tss.enter(state, None, now);
        self.log_out_everyone(id);
        Ok(())
    }

    /// Gives the TSS a new certificate valid until `not_after` (unix seconds); once that has
    /// passed, state-changing calls get 423 `E_CERTIFICATE_EXPIRED`.
    pub fn reissue_certificate(&mut self, id: Uuid, not_after: i64) -> SimResult<()> {
        let tss = self
            .tss
            .get_mut(&id)
            .ok_or_else(|| FiskalyError::tss_not_found(id))?;
        tss.reissue_certificate(not_after);
        Ok(())
    }
}
