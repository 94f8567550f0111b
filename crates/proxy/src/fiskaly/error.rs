//! What can go wrong talking to fiskaly, and how staff read it.

/// A failed fiskaly call, after retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FiskalyError {
    /// fiskaly answered with an error body.
    #[error("fiskaly answered {status} {code}: {message}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// fiskaly's error code, e.g. `E_TSS_LIMIT_REACHED`.
        code: String,
        /// fiskaly's explanation.
        message: String,
        /// fiskaly's `request-id`, for support.
        request_id: Option<String>,
    },
    /// No answer within the timeout.
    #[error("fiskaly did not answer in time")]
    Timeout,
    /// No connection, or the connection broke.
    #[error("fiskaly could not be reached ({0})")]
    Unreachable(String),
    /// An answer that is not what fiskaly documents.
    #[error("fiskaly's answer could not be read ({0})")]
    Malformed(String),
}

impl FiskalyError {
    /// fiskaly's error code, if it answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            FiskalyError::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Whether fiskaly refused because it no longer takes the TSS at all (423: DEFECTIVE,
    /// DELETED, EVICTED, or an expired certificate): only a new TSS helps.
    pub fn takes_tss_out_of_service(&self) -> bool {
        matches!(
            self.code(),
            Some("E_TSS_DEFECTIVE" | "E_TSS_DELETED" | "E_TSS_EVICTED" | "E_CERTIFICATE_EXPIRED")
        )
    }

    /// Whether fiskaly definitely refused (a 4xx that repeating will not change), as opposed to
    /// trouble after which the call may or may not have taken effect.
    pub fn is_refusal(&self) -> bool {
        matches!(self, FiskalyError::Api { status, .. }
            if (400..500).contains(status) && ![429, 444, 499].contains(status))
    }

    /// Whether fiskaly could not be reached or was overloaded, so trying later may work.
    pub fn is_unavailable(&self) -> bool {
        !self.is_refusal()
    }

    /// The Error Text staff see on the TSS entry: what happened and what to do.
    pub fn staff_message(&self) -> String {
        match self {
            FiskalyError::Api {
                code,
                message,
                request_id,
                ..
            } => {
                let support = request_id
                    .as_deref()
                    .map(|id| format!(", request {id}"))
                    .unwrap_or_default();
                format!("fiskaly: {message} ({code}{support})")
            }
            FiskalyError::Timeout => {
                "fiskaly did not answer in time. Try again in a few minutes.".into()
            }
            FiskalyError::Unreachable(_) => {
                "fiskaly could not be reached. Check the connection and try again.".into()
            }
            FiskalyError::Malformed(_) => {
                "fiskaly answered something unexpected. Try again; if it persists, contact support."
                    .into()
            }
        }
    }
}
