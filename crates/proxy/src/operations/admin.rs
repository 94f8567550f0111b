//! Admin logins to a TSS, with the PIN recovered through the stored PUK when it is blocked.

use rand::distr::{Alphanumeric, SampleString};

use super::{OperationError, Operations};
use crate::fiskaly::{FiskalyClient, FiskalyError};
use crate::storage::TssRecord;

/// Length of the admin PINs the console chooses (fiskaly demands at least 6).
const PIN_LENGTH: usize = 12;

/// A fresh random admin PIN.
pub(super) fn new_admin_pin() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), PIN_LENGTH)
}

/// Whether fiskaly refused a call because no admin is logged in (a new token, or a login that
/// ended): logging in again cures it.
fn needs_admin_login(error: &FiskalyError) -> bool {
    matches!(error, FiskalyError::Api { status: 401, code, .. }
        if code.contains("ADMIN") && code != "E_ADMIN_AUTH_FAILED")
}

/// Whether a login failed because the PIN is blocked or not the one fiskaly has: setting the
/// stored PIN again with the PUK cures it.
fn pin_needs_reset(error: &FiskalyError) -> bool {
    error.code() == Some("E_ADMIN_PIN_BLOCKED") || error.code() == Some("E_ADMIN_AUTH_FAILED")
}

impl Operations {
    /// Sets a new admin PIN with the PUK; the PIN is stored before fiskaly is asked, so that a
    /// crash in between leaves a PIN the PUK can set again.
    pub(super) async fn set_new_admin_pin(
        &self,
        fiskaly: &FiskalyClient,
        record: &mut TssRecord,
    ) -> Result<(), OperationError> {
        let puk = record
            .admin_puk
            .clone()
            .ok_or(OperationError::PukNeverReceived)?;
        let pin = new_admin_pin();
        self.storage.store_admin_pin(&record.tss_id, &pin).await?;
        record.admin_pin = Some(pin.clone());
        fiskaly.set_admin_pin(&record.tss_id, &puk, &pin).await?;
        Ok(())
    }

    /// Logs in as admin of the TSS. A blocked or unknown PIN is set again with the stored PUK
    /// (fiskaly blocks the PIN after five failures, and it is blocked from creation).
    pub(super) async fn log_in_as_admin(
        &self,
        fiskaly: &FiskalyClient,
        record: &mut TssRecord,
    ) -> Result<(), OperationError> {
        let Some(pin) = record.admin_pin.clone() else {
            self.set_new_admin_pin(fiskaly, record).await?;
            return self.log_in_with_stored_pin(fiskaly, record).await;
        };
        match fiskaly.admin_login(&record.tss_id, &pin).await {
            Err(error) if pin_needs_reset(&error) => {
                tracing::info!(tss_id = %record.tss_id, code = ?error.code(), "admin PIN refused; setting it again with the PUK");
                let puk = record
                    .admin_puk
                    .clone()
                    .ok_or(OperationError::PukNeverReceived)?;
                fiskaly.set_admin_pin(&record.tss_id, &puk, &pin).await?;
                self.log_in_with_stored_pin(fiskaly, record).await
            }
            other => Ok(other?),
        }
    }

    async fn log_in_with_stored_pin(
        &self,
        fiskaly: &FiskalyClient,
        record: &TssRecord,
    ) -> Result<(), OperationError> {
        let pin = record.admin_pin.as_deref().unwrap_or_default();
        Ok(fiskaly.admin_login(&record.tss_id, pin).await?)
    }

    /// Makes an admin call; if fiskaly says the admin login is gone, logs in again and repeats it
    /// once (safe: fiskaly's PUT and PATCH are idempotent).
    pub(super) async fn as_admin<T, F, Fut>(
        &self,
        fiskaly: &FiskalyClient,
        record: &mut TssRecord,
        call: F,
    ) -> Result<T, OperationError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, FiskalyError>>,
    {
        match call().await {
            Err(error) if needs_admin_login(&error) => {
                self.log_in_as_admin(fiskaly, record).await?;
                Ok(call().await?)
            }
            other => Ok(other?),
        }
    }

    /// Logs out; a failure only costs a login that expires by itself, so it is logged, not raised.
    pub(super) async fn log_out(&self, fiskaly: &FiskalyClient, tss_id: &str) {
        if let Err(error) = fiskaly.admin_logout(tss_id).await {
            tracing::warn!(tss_id, %error, "admin logout failed");
        }
    }
}
