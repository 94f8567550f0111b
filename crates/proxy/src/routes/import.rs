//! Import from the ERP (administrators): `POST /api/import/preview` reads a CSV file and answers
//! what it would change and every problem it has, writing nothing; `POST /api/import` writes a
//! file without problems in one transaction (a file with any is 422, nothing written).

use axum::body::Body;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use tss_model::{ImportReport, Language, Role};

use crate::auth::Gate;
use crate::change::Change;
use crate::erp_import::{self, ImportFile};
use crate::storage::ImportError;
use crate::{AppError, AppState};

/// The largest import file taken (100,000 lines of about 160 bytes).
pub const IMPORT_MAX_BYTES: usize = 16 * 1024 * 1024;

/// The import routes: administrators only.
pub fn routes(gate: &Gate) -> Router<AppState> {
    let routes = Router::new()
        .route("/import/preview", post(preview))
        .route("/import", post(import));
    gate.allow(Role::Admin, routes)
}

/// The file in the request body, read.
async fn file_of(body: Body) -> Result<ImportFile, AppError> {
    let bytes = axum::body::to_bytes(body, IMPORT_MAX_BYTES)
        .await
        .map_err(|_| AppError::PayloadTooLarge(IMPORT_MAX_BYTES))?;
    Ok(erp_import::read(&bytes))
}

async fn preview(
    State(state): State<AppState>,
    body: Body,
) -> Result<Json<ImportReport>, AppError> {
    let file = file_of(body).await?;
    Ok(Json(state.storage.preview_import(&file).await?))
}

async fn import(
    State(state): State<AppState>,
    change: Change,
    body: Body,
) -> Result<Json<ImportReport>, AppError> {
    let result = match file_of(body).await {
        Ok(file) if !file.problems.is_empty() => Err(refusal(&file)),
        Ok(file) => state
            .storage
            .apply_import(&file)
            .await
            .map_err(|error| match error {
                ImportError::ChangedMeanwhile => AppError::Conflict(
                    "Stores or POS terminals of the file were added or renumbered meanwhile; nothing was \
                     imported. Preview the file again."
                        .into(),
                ),
                ImportError::Storage(error) => AppError::Storage(error),
            }),
        Err(error) => Err(error),
    };
    change.record(&state.storage, result).await.map(Json)
}

/// The answer to a file with problems: the first, and how many more.
fn refusal(file: &ImportFile) -> AppError {
    let first = file.problems[0].message(Language::En);
    let more = match file.problems.len() - 1 {
        0 => String::new(),
        n => format!(" (and {n} more problems)"),
    };
    AppError::Validation(format!("{first}{more} Nothing was imported."))
}
