//! The answer of `GET /api/health`.

use serde::{Deserialize, Serialize};

use crate::Backend;

/// The proxy is up; what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Always `"ok"` when the proxy answers.
    pub status: String,
    /// The proxy's version.
    pub version: String,
    /// Whether it talks to the built-in simulator (demo mode) or to fiskaly.
    pub backend: Backend,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_round_trips() {
        let json = r#"{"status":"ok","version":"0.1.0","backend":"simulator"}"#;
        let health: Health = serde_json::from_str(json).unwrap();
        assert_eq!(health.backend, Backend::Simulator);
        assert_eq!(serde_json::to_string(&health).unwrap(), json);
    }
}
