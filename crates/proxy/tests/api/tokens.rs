//! The fiskaly token is cached: 200 operations while it is valid make exactly one `/auth`.

use crate::support;

use serde_json::json;
use support::{calls, TestProxy};

#[tokio::test]
async fn two_hundred_operations_authenticate_once() {
    let proxy = TestProxy::start().await;
    let mut operations = 0;
    let mut stores = Vec::new();
    for n in 0..10 {
        let (store, _, _) = proxy.ready_store(&format!("S-{n}"), 2).await;
        operations += 3;
        stores.push(store);
    }
    while operations < 200 {
        let store = stores[operations % stores.len()];
        proxy
            .post(&format!("/stores/{store}/tss/refresh"), json!({}))
            .await
            .ok();
        operations += 1;
    }
    assert_eq!(calls(&proxy.sim, "POST", "/api/v2/auth"), 1);
}
