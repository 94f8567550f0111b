//! The fiskaly connection settings: from the command line or environment, else saved through the
//! Fiskaly Setup page, else none (demo mode).

use tss_model::FiskalySettingsInput;

use crate::config::Config;
use crate::fiskaly::{Credentials, DEFAULT_BASE_URL};
use crate::storage::{Storage, StorageResult};

const BASE_URL: &str = "fiskaly.base_url";
const API_KEY: &str = "fiskaly.api_key";
/// Saved sealed (see [`Storage::save_secret_setting`]).
const API_SECRET: &str = "fiskaly.api_secret";

/// Where fiskaly is and how to authenticate there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiskalyTarget {
    /// The API base URL.
    pub base_url: String,
    /// Key and secret.
    pub credentials: Credentials,
}

/// The target given on the command line or in the environment (key and secret both needed).
pub fn from_config(config: &Config) -> Option<FiskalyTarget> {
    let (api_key, api_secret) = config
        .fiskaly_api_key
        .clone()
        .zip(config.fiskaly_api_secret.clone())?;
    Some(FiskalyTarget {
        base_url: config
            .fiskaly_url
            .clone()
            .unwrap_or_else(|| DEFAULT_BASE_URL.into()),
        credentials: Credentials {
            api_key,
            api_secret,
        },
    })
}

/// The target saved through the Fiskaly Setup page.
pub async fn saved(storage: &Storage) -> StorageResult<Option<FiskalyTarget>> {
    let base_url = storage.setting(BASE_URL).await?;
    let api_key = storage.setting(API_KEY).await?;
    let api_secret = storage.secret_setting(API_SECRET).await?;
    Ok(match (base_url, api_key, api_secret) {
        (Some(base_url), Some(api_key), Some(api_secret)) => Some(FiskalyTarget {
            base_url,
            credentials: Credentials {
                api_key,
                api_secret,
            },
        }),
        _ => None,
    })
}

/// Saves new settings; without a new secret the current one is kept. Answers the saved target,
/// or `None` when no secret is known at all.
pub async fn save(
    storage: &Storage,
    input: &FiskalySettingsInput,
    current_secret: Option<&str>,
) -> StorageResult<Option<FiskalyTarget>> {
    storage
        .save_setting(BASE_URL, input.base_url.trim())
        .await?;
    storage.save_setting(API_KEY, input.api_key.trim()).await?;
    let secret = input.api_secret.as_deref().or(current_secret);
    if let Some(secret) = secret {
        storage.save_secret_setting(API_SECRET, secret).await?;
    }
    saved(storage).await
}
