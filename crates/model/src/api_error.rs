//! The one error shape every proxy endpoint answers with: `{"error": {"code", "message"}}`,
//! and for a field's error also `"field"` and `"problem"`.
//!
//! The proxy's `message` is English detail; the app words the `code` (and a field's `problem`) in
//! the staff's language with [`ApiError::staff_text`].

use serde::{Deserialize, Serialize};

use crate::{Language, SerialProblem};

/// What kind of failure an API error is; decides the HTTP status.
///
/// A code this version does not know (a newer proxy) deserialises into [`ErrorCode::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is malformed (not JSON, wrong type): 400.
    BadRequest,
    /// A well-formed request with an invalid value, e.g. a serial number fiskaly rejects: 422.
    Validation,
    /// An irreversible action was requested without `"confirm": true`: 400.
    ConfirmationRequired,
    /// No session: log in first (or the session expired): 401.
    Unauthenticated,
    /// The request was refused: not from the console's own pages (cross-site), or the user's
    /// role may not do this: 403.
    Forbidden,
    /// No store, terminal or TSS with that ID: 404.
    NotFound,
    /// The endpoint exists but not for this HTTP method: 405.
    MethodNotAllowed,
    /// The request body is larger than the API accepts: 413.
    PayloadTooLarge,
    /// The action is not allowed in the current state: 409.
    Conflict,
    /// Generate New TSS for a store that already has an INITIALIZED TSS, without
    /// `{"additional": true}`: 409.
    TssAlreadyActive,
    /// The same operation is already running for that TSS or terminal: 409.
    AlreadyRunning,
    /// fiskaly no longer takes the TSS (DEFECTIVE, DELETED, EVICTED, or its certificate expired):
    /// it must be replaced by a new TSS with new clients: 409.
    TssOutOfService,
    /// The TSS has as many clients as fiskaly allows (`E_CLIENT_LIMIT_REACHED`): a new TSS is
    /// needed for further POS terminals: 409.
    TssFull,
    /// Too many failed logins; wait a minute: 429.
    TooManyAttempts,
    /// fiskaly answered with an error the caller can act on: 502.
    Fiskaly,
    /// fiskaly could not be reached or is overloaded; try again later: 503.
    FiskalyUnavailable,
    /// Something failed inside the proxy; details are in its log, never in the answer: 500.
    Internal,
    /// The console's database cannot be reached right now (stopped, restarting); try again: 503.
    StorageUnavailable,
    /// Made by the app, never sent: the console's server could not be reached.
    ServerUnreachable,
    /// Made by the app, never sent: the server's answer could not be read.
    UnreadableAnswer,
    /// A code this version does not know.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status the proxy answers with for this code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadRequest | ErrorCode::ConfirmationRequired => 400,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::Conflict
            | ErrorCode::AlreadyRunning
            | ErrorCode::TssAlreadyActive
            | ErrorCode::TssOutOfService
            | ErrorCode::TssFull => 409,
            ErrorCode::Validation => 422,
            ErrorCode::TooManyAttempts => 429,
            ErrorCode::Internal | ErrorCode::Unknown | ErrorCode::UnreadableAnswer => 500,
            ErrorCode::Fiskaly => 502,
            ErrorCode::FiskalyUnavailable
            | ErrorCode::StorageUnavailable
            | ErrorCode::ServerUnreachable => 503,
        }
    }

    /// Every code, for walking them all.
    pub const ALL: [ErrorCode; 21] = [
        ErrorCode::BadRequest,
        ErrorCode::Validation,
        ErrorCode::ConfirmationRequired,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::Conflict,
        ErrorCode::TssAlreadyActive,
        ErrorCode::AlreadyRunning,
        ErrorCode::TssOutOfService,
        ErrorCode::TssFull,
        ErrorCode::TooManyAttempts,
        ErrorCode::Fiskaly,
        ErrorCode::FiskalyUnavailable,
        ErrorCode::Internal,
        ErrorCode::StorageUnavailable,
        ErrorCode::ServerUnreachable,
        ErrorCode::UnreadableAnswer,
        ErrorCode::Unknown,
    ];

    /// What this kind of failure means for staff, in `language`.
    pub fn text(self, language: Language) -> &'static str {
        let (de, en) = match self {
            ErrorCode::BadRequest => (
                "Die Anfrage war fehlerhaft und wurde nicht ausgeführt.",
                "The request was malformed and was not carried out.",
            ),
            ErrorCode::Validation => (
                "Eine Eingabe ist ungültig. Bitte prüfen und erneut versuchen.",
                "An entry is not valid. Check it and try again.",
            ),
            ErrorCode::ConfirmationRequired => (
                "Diese Aktion muss erst bestätigt werden.",
                "This action has to be confirmed first.",
            ),
            ErrorCode::Unauthenticated => (
                "Sie sind nicht angemeldet oder die Sitzung ist abgelaufen. Bitte neu anmelden.",
                "You are not logged in, or your session ended. Please log in.",
            ),
            ErrorCode::Forbidden => (
                "Ihre Rolle darf das nicht. Bitte einen Administrator fragen.",
                "Your role may not do this. Ask an administrator.",
            ),
            ErrorCode::NotFound => (
                "Das gibt es nicht (mehr). Bitte die Liste neu laden.",
                "That does not exist (any more). Reload the list.",
            ),
            ErrorCode::MethodNotAllowed => (
                "Diese Aktion gibt es hier nicht.",
                "This action does not exist here.",
            ),
            ErrorCode::PayloadTooLarge => (
                "Die Eingabe ist zu groß.",
                "The entry is too large.",
            ),
            ErrorCode::Conflict => (
                "Das ist im aktuellen Zustand nicht möglich. Bitte neu laden und prüfen.",
                "This is not possible in the current state. Reload and check.",
            ),
            ErrorCode::TssAlreadyActive => (
                "Diese Filiale hat bereits eine aktive TSS.",
                "This store already has an active TSS.",
            ),
            ErrorCode::AlreadyRunning => (
                "Diese Aktion läuft bereits. Bitte warten, bis sie fertig ist.",
                "This action is already running. Wait until it has finished.",
            ),
            ErrorCode::TssOutOfService => (
                "fiskaly nimmt diese TSS nicht mehr an (defekt, gelöscht oder Zertifikat abgelaufen). Bitte die TSS ersetzen: eine neue TSS und neue Client-IDs.",
                "fiskaly no longer takes this TSS (defective, deleted or its certificate expired). Replace the TSS: a new TSS and new client IDs.",
            ),
            ErrorCode::TssFull => (
                "Diese TSS hat so viele Kassen, wie fiskaly erlaubt. Bitte für weitere Kassen eine neue TSS erzeugen.",
                "This TSS has as many POS terminals as fiskaly allows. Generate a new TSS for further POS terminals.",
            ),
            ErrorCode::TooManyAttempts => (
                "Zu viele fehlgeschlagene Anmeldungen. Bitte eine Minute warten.",
                "Too many failed logins. Wait a minute.",
            ),
            ErrorCode::Fiskaly => (
                "fiskaly hat die Aktion abgelehnt.",
                "fiskaly refused the action.",
            ),
            ErrorCode::FiskalyUnavailable => (
                "fiskaly ist gerade nicht erreichbar. Bitte später erneut versuchen.",
                "fiskaly cannot be reached right now. Try again later.",
            ),
            ErrorCode::Internal => (
                "Im Server der Konsole ist ein Fehler aufgetreten. Bitte erneut versuchen.",
                "Something failed in the console's server. Try again.",
            ),
            ErrorCode::StorageUnavailable => (
                "Die Datenbank der Konsole ist gerade nicht erreichbar. Bitte gleich erneut versuchen.",
                "The console's database cannot be reached right now. Try again in a moment.",
            ),
            ErrorCode::ServerUnreachable => (
                "Der Server der Konsole ist nicht erreichbar. Bitte Netzwerk prüfen und erneut versuchen.",
                "The console's server could not be reached. Check the network and try again.",
            ),
            ErrorCode::UnreadableAnswer => (
                "Die Antwort des Servers konnte nicht gelesen werden. Bitte neu laden.",
                "The server's answer could not be read. Reload the page.",
            ),
            ErrorCode::Unknown => (
                "Ein unbekannter Fehler ist aufgetreten.",
                "An unknown error occurred.",
            ),
        };
        match language {
            Language::De => de,
            Language::En => en,
        }
    }
}

/// What is wrong with one field of a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldProblem {
    /// Empty, but required.
    Required,
    /// Longer than `max` characters.
    TooLong {
        /// The most characters the field takes.
        max: usize,
    },
    /// Shorter than `min` characters.
    TooShort {
        /// The fewest characters the field takes.
        min: usize,
    },
    /// Another record has this value already (a store or terminal number, a user name).
    Taken,
    /// Not a value the field takes (e.g. an unknown store or role, a malformed address).
    Invalid,
    /// A device serial number fiskaly would refuse, and why.
    SerialNumber {
        /// The rule it breaks.
        reason: SerialProblem,
    },
}

impl FieldProblem {
    /// The problem in words for staff, in `language`.
    pub fn text(self, language: Language) -> String {
        match (self, language) {
            (FieldProblem::Required, Language::De) => "Bitte ausfüllen.".into(),
            (FieldProblem::Required, Language::En) => "Please fill this in.".into(),
            (FieldProblem::TooLong { max }, Language::De) => format!("Höchstens {max} Zeichen."),
            (FieldProblem::TooLong { max }, Language::En) => format!("At most {max} characters."),
            (FieldProblem::TooShort { min }, Language::De) => format!("Mindestens {min} Zeichen."),
            (FieldProblem::TooShort { min }, Language::En) => {
                format!("At least {min} characters.")
            }
            (FieldProblem::Taken, Language::De) => "Ist schon vergeben.".into(),
            (FieldProblem::Taken, Language::En) => "Is already taken.".into(),
            (FieldProblem::Invalid, Language::De) => "Dieser Wert ist nicht gültig.".into(),
            (FieldProblem::Invalid, Language::En) => "This value is not valid.".into(),
            (FieldProblem::SerialNumber { reason }, language) => reason.message(language).into(),
        }
    }
}

/// The body of every error answer of the proxy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// What went wrong.
    pub error: ApiErrorBody,
}

/// The inside of [`ApiError`]: a machine-readable code and a sentence for a store manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// The kind of failure.
    pub code: ErrorCode,
    /// What happened, in English detail; the app words `code` in the staff's language. Never
    /// holds a secret.
    pub message: String,
    /// The request field the error is about, by its JSON name (e.g. `number`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong with that field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<FieldProblem>,
}

impl ApiError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            error: ApiErrorBody {
                code,
                message: message.into(),
                field: None,
                problem: None,
            },
        }
    }

    /// An error about `field` of the request: `problem` says what is wrong with it.
    pub fn for_field(
        code: ErrorCode,
        message: impl Into<String>,
        field: impl Into<String>,
        problem: FieldProblem,
    ) -> Self {
        let mut error = ApiError::new(code, message);
        error.error.field = Some(field.into());
        error.error.problem = Some(problem);
        error
    }

    /// What staff read, in `language`: the field's problem when there is one, else what the code
    /// means.
    pub fn staff_text(&self, language: Language) -> String {
        match self.error.problem {
            Some(problem) => problem.text(language),
            None => self.error.code.text(language).to_owned(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_have_the_documented_shape() {
        let error = ApiError::new(ErrorCode::AlreadyRunning, "Disable TSS is already running.");
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "already_running", "message": "Disable TSS is already running."}})
        );
        assert_eq!(serde_json::from_value::<ApiError>(json).unwrap(), error);
    }

    #[test]
    fn every_code_and_field_problem_reads_differently_in_german_and_english() {
        for code in ErrorCode::ALL {
            let (de, en) = (code.text(Language::De), code.text(Language::En));
            assert!(!de.is_empty() && !en.is_empty(), "{code:?}");
            assert_ne!(de, en, "{code:?}");
        }
        let problems = [
            FieldProblem::Required,
            FieldProblem::TooLong { max: 20 },
            FieldProblem::TooShort { min: 10 },
            FieldProblem::Taken,
            FieldProblem::Invalid,
            FieldProblem::SerialNumber {
                reason: SerialProblem::SlashOrUnderscore,
            },
        ];
        for problem in problems {
            assert_ne!(problem.text(Language::De), problem.text(Language::En));
        }
    }

    #[test]
    fn a_field_error_names_its_field_and_is_worded_by_its_problem() {
        let error = ApiError::for_field(
            ErrorCode::Conflict,
            "There is already a store with the number S-1.",
            "number",
            FieldProblem::Taken,
        );
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["error"]["field"], "number");
        assert_eq!(json["error"]["problem"]["kind"], "taken");
        assert_eq!(serde_json::from_value::<ApiError>(json).unwrap(), error);
        assert_eq!(error.staff_text(Language::De), "Ist schon vergeben.");
        let plain = ApiError::new(ErrorCode::TssAlreadyActive, "x");
        assert_eq!(
            plain.staff_text(Language::De),
            "Diese Filiale hat bereits eine aktive TSS."
        );
    }

    #[test]
    fn an_unknown_code_still_parses() {
        let error: ApiError =
            serde_json::from_str(r#"{"error":{"code":"rate_limited","message":"Slow down."}}"#)
                .unwrap();
        assert_eq!(error.error.code, ErrorCode::Unknown);
        assert_eq!(error.to_string(), "Slow down.");
    }

    #[test]
    fn each_code_maps_to_its_status() {
        let cases = [
            (ErrorCode::BadRequest, 400),
            (ErrorCode::ConfirmationRequired, 400),
            (ErrorCode::Unauthenticated, 401),
            (ErrorCode::Forbidden, 403),
            (ErrorCode::NotFound, 404),
            (ErrorCode::MethodNotAllowed, 405),
            (ErrorCode::PayloadTooLarge, 413),
            (ErrorCode::Conflict, 409),
            (ErrorCode::AlreadyRunning, 409),
            (ErrorCode::Validation, 422),
            (ErrorCode::TooManyAttempts, 429),
            (ErrorCode::Internal, 500),
            (ErrorCode::Fiskaly, 502),
            (ErrorCode::FiskalyUnavailable, 503),
            (ErrorCode::StorageUnavailable, 503),
            (ErrorCode::TssAlreadyActive, 409),
        ];
        for (code, status) in cases {
            assert_eq!(code.http_status(), status, "{code:?}");
        }
    }
}
