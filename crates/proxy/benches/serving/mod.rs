//! What the benches that serve the proxy in-process share: the server and a session.

/// Serves `state` on a loopback port; answers its API's address.
pub async fn serve(state: tss_proxy::AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api", listener.local_addr().unwrap());
    let router = tss_proxy::app(state);
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

/// The cookie of a logged-in administrator (the API needs a session).
pub async fn session_cookie(state: &tss_proxy::AppState) -> String {
    tss_proxy::auth::accounts::add_user(
        &state.storage,
        "bench",
        tss_model::Role::Admin,
        "bench-password",
    )
    .await
    .unwrap();
    let user = state.storage.user("bench").await.unwrap().unwrap();
    let token = state.storage.open_session(user.id).await.unwrap();
    format!("tss_session={token}")
}
