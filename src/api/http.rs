//! The real API: the proxy at the page's own origin, over `fetch` (gloo-net).

use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tss_model::{
    Alert, AlertStatus, ApiError, AuditEvent, AuditFilter, ClientBatchReport, Confirmation,
    ConnectionTest, CreatedWebhook, Delivery, ErrorCode, FiskalySettings, FiskalySettingsInput,
    FleetOverview, FleetRefresh, GenerateClientRequest, GenerateTssRequest, Health, ImportReport,
    LoginRequest, NewPassword, NewUser, Organisation, Page, RefreshReport, RefreshSchedule,
    ReplaceTssRequest, RoleChange, Session, Store, StoreInput, StoreQuery, StoreSummary,
    Submission, TaxReport, Terminal, TerminalInput, TerminalQuery, TssEntry, UserAccount, Webhook,
    WebhookInput,
};

use super::{Api, ApiFuture, ApiResult};

/// The header every request carries, so that the proxy can tell the app's requests apart.
const REQUESTED_WITH: (&str, &str) = ("X-Requested-With", "tss-console");

/// The proxy's API at `/api` of the page's origin.
#[derive(Debug, Clone, Default)]
pub struct HttpApi;

fn unreachable_error() -> ApiError {
    ApiError::new(
        ErrorCode::ServerUnreachable,
        "The console's server could not be reached. Check the network and try again.",
    )
}

fn unreadable_answer() -> ApiError {
    ApiError::new(
        ErrorCode::UnreadableAnswer,
        "The server's answer could not be read.",
    )
}

async fn send<T: DeserializeOwned>(request: ApiResult<Request>) -> ApiResult<T> {
    let response = request?.send().await.map_err(|_| unreachable_error())?;
    if response.status() == 204 {
        return serde_json::from_str("null").map_err(|_| unreadable_answer());
    }
    if response.ok() {
        return response.json().await.map_err(|_| unreadable_answer());
    }
    let status = response.status();
    Err(response.json::<ApiError>().await.unwrap_or_else(|_| {
        ApiError::new(
            ErrorCode::UnreadableAnswer,
            format!("The server answered with status {status}."),
        )
    }))
}

fn with_header(builder: RequestBuilder) -> RequestBuilder {
    builder.header(REQUESTED_WITH.0, REQUESTED_WITH.1)
}

fn get<T: DeserializeOwned + 'static>(url: String) -> ApiFuture<T> {
    without_body(Request::get, url)
}

fn with_body<T: DeserializeOwned + 'static, B: Serialize + 'static>(
    method: fn(&str) -> RequestBuilder,
    url: String,
    body: B,
) -> ApiFuture<T> {
    Box::pin(async move {
        let request = with_header(method(&url))
            .json(&body)
            .map_err(|_| ApiError::new(ErrorCode::BadRequest, "The request could not be built."));
        send(request).await
    })
}

/// A request that sends nothing but its method and address (the action needs no input).
fn without_body<T: DeserializeOwned + 'static>(
    method: fn(&str) -> RequestBuilder,
    url: String,
) -> ApiFuture<T> {
    Box::pin(async move {
        let request = with_header(method(&url))
            .build()
            .map_err(|_| unreachable_error());
        send(request).await
    })
}

fn post<T: DeserializeOwned + 'static, B: Serialize + 'static>(
    url: String,
    body: B,
) -> ApiFuture<T> {
    with_body(Request::post, url, body)
}

/// `POST url` with `file` as a CSV body.
fn upload<T: DeserializeOwned + 'static>(url: &'static str, file: Vec<u8>) -> ApiFuture<T> {
    Box::pin(async move {
        let body = js_sys::Uint8Array::from(file.as_slice());
        let request = with_header(Request::post(url))
            .header("content-type", "text/csv")
            .body(body)
            .map_err(|_| unreachable_error());
        send(request).await
    })
}

/// Encodes a search text for a query string.
fn encoded(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// `?name=value&…` of `pairs`, encoded; nothing when there are none.
fn query_string(pairs: Vec<(&'static str, String)>) -> String {
    let pairs: Vec<String> = pairs
        .into_iter()
        .map(|(name, value)| format!("{name}={}", encoded(&value)))
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

thread_local! {
    /// The request in flight of each list that only wants its newest answer, to end it when a
    /// newer one starts.
    static IN_FLIGHT: std::cell::RefCell<std::collections::HashMap<&'static str, web_sys::AbortController>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// `GET url`; when `list` is named, a newer request of the same list ends this one (its answer
/// would be thrown away: the page shows the newest search only), so that a fast typist does not
/// queue up a read per keystroke.
fn newest_only<T: DeserializeOwned + 'static>(
    list: Option<&'static str>,
    url: String,
) -> ApiFuture<T> {
    Box::pin(async move {
        let controller = list.and_then(|_| web_sys::AbortController::new().ok());
        if let (Some(list), Some(controller)) = (list, &controller) {
            let older = IN_FLIGHT.with(|f| f.borrow_mut().insert(list, controller.clone()));
            if let Some(older) = older {
                older.abort();
            }
        }
        let signal = controller.as_ref().map(|c| c.signal());
        let request = with_header(Request::get(&url))
            .abort_signal(signal.as_ref())
            .build()
            .map_err(|_| unreachable_error());
        send(request).await
    })
}

impl Api for HttpApi {
    fn follow_changes(
        &self,
        on_signal: std::rc::Rc<dyn Fn(super::LiveSignal)>,
    ) -> super::Following {
        super::live_feed::follow(on_signal)
    }

    fn health(&self) -> ApiFuture<Health> {
        get("/api/health".into())
    }

    fn session(&self) -> ApiFuture<Session> {
        get("/api/session".into())
    }

    fn log_in(&self, login: LoginRequest) -> ApiFuture<Session> {
        post("/api/session".into(), login)
    }

    fn log_out(&self) -> ApiFuture<()> {
        without_body(Request::delete, "/api/session".into())
    }

    fn audit(&self, filter: AuditFilter) -> ApiFuture<Vec<AuditEvent>> {
        get(format!("/api/audit{}", query_string(filter.query_pairs())))
    }

    fn alerts(&self, status: AlertStatus) -> ApiFuture<Vec<Alert>> {
        get(format!("/api/alerts?status={}", status.as_str()))
    }

    fn acknowledge_alert(&self, id: i64) -> ApiFuture<Alert> {
        without_body(Request::post, format!("/api/alerts/{id}/acknowledge"))
    }

    fn report(&self, store_id: Option<i64>) -> ApiFuture<TaxReport> {
        match store_id {
            Some(id) => get(format!("/api/report?store_id={id}")),
            None => get("/api/report".into()),
        }
    }

    fn save_organisation(&self, organisation: Organisation) -> ApiFuture<Organisation> {
        with_body(
            Request::put,
            "/api/settings/organisation".into(),
            organisation,
        )
    }

    fn submit_report(&self) -> ApiFuture<Submission> {
        without_body(Request::post, "/api/report/submitted".into())
    }

    fn webhooks(&self) -> ApiFuture<Vec<Webhook>> {
        get("/api/webhooks".into())
    }

    fn add_webhook(&self, input: WebhookInput) -> ApiFuture<CreatedWebhook> {
        post("/api/webhooks".into(), input)
    }

    fn change_webhook(&self, id: i64, input: WebhookInput) -> ApiFuture<Webhook> {
        with_body(Request::put, format!("/api/webhooks/{id}"), input)
    }

    fn remove_webhook(&self, id: i64) -> ApiFuture<()> {
        without_body(Request::delete, format!("/api/webhooks/{id}"))
    }

    fn deliveries(&self, id: i64) -> ApiFuture<Vec<Delivery>> {
        get(format!("/api/webhooks/{id}/deliveries"))
    }

    fn stores(&self, query: StoreQuery) -> ApiFuture<Page<StoreSummary>> {
        let first_page = query.cursor.is_none();
        let url = format!("/api/stores{}", query_string(query.query_pairs()));
        newest_only(first_page.then_some("stores"), url)
    }

    fn fleet(&self) -> ApiFuture<FleetOverview> {
        get("/api/fleet".into())
    }

    fn fleet_refresh(&self) -> ApiFuture<Option<FleetRefresh>> {
        get("/api/refresh".into())
    }

    fn refresh_every_tss(&self) -> ApiFuture<FleetRefresh> {
        without_body(Request::post, "/api/refresh".into())
    }

    fn preview_import(&self, file: Vec<u8>) -> ApiFuture<ImportReport> {
        upload("/api/import/preview", file)
    }

    fn import_stores(&self, file: Vec<u8>) -> ApiFuture<ImportReport> {
        upload("/api/import", file)
    }

    fn store(&self, id: i64) -> ApiFuture<StoreSummary> {
        get(format!("/api/stores/{id}"))
    }

    fn create_store(&self, input: StoreInput) -> ApiFuture<Store> {
        post("/api/stores".into(), input)
    }

    fn update_store(&self, id: i64, input: StoreInput) -> ApiFuture<Store> {
        with_body(Request::patch, format!("/api/stores/{id}"), input)
    }

    fn store_tss(&self, store_id: i64) -> ApiFuture<Vec<TssEntry>> {
        get(format!("/api/stores/{store_id}/tss"))
    }

    fn generate_tss(&self, store_id: i64, request: GenerateTssRequest) -> ApiFuture<TssEntry> {
        post(format!("/api/stores/{store_id}/tss"), request)
    }

    fn refresh_store(&self, store_id: i64) -> ApiFuture<RefreshReport> {
        without_body(Request::post, format!("/api/stores/{store_id}/tss/refresh"))
    }

    fn initialize_tss(&self, tss_id: String) -> ApiFuture<TssEntry> {
        without_body(Request::post, format!("/api/tss/{tss_id}/initialize"))
    }

    fn disable_tss(&self, tss_id: String) -> ApiFuture<TssEntry> {
        post(
            format!("/api/tss/{tss_id}/disable"),
            Confirmation { confirm: true },
        )
    }

    fn replace_tss(&self, tss_id: String, request: ReplaceTssRequest) -> ApiFuture<TssEntry> {
        post(format!("/api/tss/{tss_id}/replace"), request)
    }

    fn generate_clients(&self, store_id: i64) -> ApiFuture<ClientBatchReport> {
        without_body(Request::post, format!("/api/stores/{store_id}/clients"))
    }

    fn terminals(&self, query: TerminalQuery) -> ApiFuture<Page<Terminal>> {
        let first_page = query.cursor.is_none();
        let url = format!("/api/terminals{}", query_string(query.query_pairs()));
        newest_only(first_page.then_some("terminals"), url)
    }

    fn terminal(&self, id: i64) -> ApiFuture<Terminal> {
        get(format!("/api/terminals/{id}"))
    }

    fn create_terminal(&self, input: TerminalInput) -> ApiFuture<Terminal> {
        post("/api/terminals".into(), input)
    }

    fn update_terminal(&self, id: i64, input: TerminalInput) -> ApiFuture<Terminal> {
        with_body(Request::patch, format!("/api/terminals/{id}"), input)
    }

    fn generate_client(&self, terminal_id: i64, tss_id: Option<String>) -> ApiFuture<Terminal> {
        post(
            format!("/api/terminals/{terminal_id}/client"),
            GenerateClientRequest { tss_id },
        )
    }

    fn deregister_client(&self, terminal_id: i64) -> ApiFuture<Terminal> {
        post(
            format!("/api/terminals/{terminal_id}/client/deregister"),
            Confirmation { confirm: true },
        )
    }

    fn settings(&self) -> ApiFuture<FiskalySettings> {
        get("/api/settings/fiskaly".into())
    }

    fn save_settings(&self, input: FiskalySettingsInput) -> ApiFuture<FiskalySettings> {
        with_body(Request::put, "/api/settings/fiskaly".into(), input)
    }

    fn test_connection(&self) -> ApiFuture<ConnectionTest> {
        without_body(Request::post, "/api/settings/fiskaly/test".into())
    }

    fn schedule(&self) -> ApiFuture<RefreshSchedule> {
        get("/api/settings/schedule".into())
    }

    fn save_schedule(&self, schedule: RefreshSchedule) -> ApiFuture<RefreshSchedule> {
        with_body(Request::put, "/api/settings/schedule".into(), schedule)
    }

    fn users(&self) -> ApiFuture<Vec<UserAccount>> {
        get("/api/users".into())
    }

    fn add_user(&self, user: NewUser) -> ApiFuture<UserAccount> {
        post("/api/users".into(), user)
    }

    fn set_password(&self, username: String, new: NewPassword) -> ApiFuture<()> {
        let url = format!("/api/users/{}/password", encoded(&username));
        with_body(Request::put, url, new)
    }

    fn set_role(&self, username: String, change: RoleChange) -> ApiFuture<UserAccount> {
        let url = format!("/api/users/{}/role", encoded(&username));
        with_body(Request::put, url, change)
    }

    fn remove_user(&self, username: String) -> ApiFuture<()> {
        let url = format!("/api/users/{}", encoded(&username));
        without_body(Request::delete, url)
    }
}
