//! The tax-office report's API: `GET /api/report?store_id=` and `GET /api/report.csv?store_id=`
//! for everybody; the organisation (`GET`/`PUT /api/settings/organisation`) and
//! `POST /api/report/submitted` for administrators (audited).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use tss_model::{Organisation, ReportQuery, Role, Submission, TaxReport};

use super::required_text;
use crate::auth::{Caller, Gate};
use crate::change::Change;
use crate::extract::{ApiJson, ApiQuery};
use crate::storage::unix_now;
use crate::{report_csv, AppError, AppState};

/// The report routes: everybody reads; administrators set the organisation and mark a report
/// submitted.
pub fn routes(gate: &Gate) -> Router<AppState> {
    let reads = Router::new()
        .route("/report", get(report))
        .route("/report.csv", get(report_file));
    let admin = Router::new()
        .route(
            "/settings/organisation",
            get(organisation).put(save_organisation),
        )
        .route("/report/submitted", post(submitted));
    gate.allow(Role::Viewer, reads)
        .merge(gate.allow(Role::Admin, admin))
}

async fn report(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Json<TaxReport>, AppError> {
    Ok(Json(state.storage.tax_report(query.store_id).await?))
}

/// The report as a CSV file (`Meldung-146a.csv`).
async fn report_file(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<impl IntoResponse, AppError> {
    let report = state.storage.tax_report(query.store_id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"Meldung-146a.csv\"",
            ),
        ],
        report_csv::csv(&report),
    ))
}

async fn organisation(State(state): State<AppState>) -> Result<Json<Organisation>, AppError> {
    Ok(Json(state.storage.organisation().await?))
}

/// Saves the organisation's name and tax number.
async fn save_organisation(
    State(state): State<AppState>,
    change: Change,
    ApiJson(input): ApiJson<Organisation>,
) -> Result<Json<Organisation>, AppError> {
    let result = async {
        let organisation = Organisation {
            name: required_text("name", &input.name, 200)?,
            tax_number: required_text("tax_number", &input.tax_number, 40)?,
        };
        state.storage.save_organisation(&organisation).await?;
        Ok(organisation)
    }
    .await;
    change.record(&state.storage, result).await.map(Json)
}

/// Marks the report of every store as submitted to the tax office now.
async fn submitted(
    State(state): State<AppState>,
    caller: Caller,
    change: Change,
) -> Result<Json<Submission>, AppError> {
    let result = state
        .storage
        .submit_report(caller.name(), unix_now())
        .await
        .map_err(AppError::from);
    change.record(&state.storage, result).await.map(Json)
}
