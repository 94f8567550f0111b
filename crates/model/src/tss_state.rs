//! The lifecycle state of a TSS at fiskaly, and which of the staff's actions each state allows.

use crate::meaning::Meaning;
use crate::wire_state::wire_state;
use crate::Language;

wire_state! {
    /// The state of a TSS, spelled as fiskaly spells it on the wire (`"INITIALIZED"`, …).
    pub enum TssState {
        /// Created at fiskaly (`PUT /tss/{id}`); the admin PUK can be read only now.
        Created = "CREATED",
        /// Deployed, admin PIN not yet used; cannot sign yet.
        Uninitialized = "UNINITIALIZED",
        /// Active: signs POS transactions.
        Initialized = "INITIALIZED",
        /// Permanently taken out of service by the operator.
        Disabled = "DISABLED",
        /// Wiped by fiskaly (TEST environment clean-up).
        Deleted = "DELETED",
        /// An irrecoverable error at fiskaly.
        Defective = "DEFECTIVE",
        /// Removed by fiskaly after three months unused in CREATED.
        Evicted = "EVICTED",
    }
}

impl TssState {
    /// What the state means for the store, in `language`.
    pub fn meaning(&self, language: Language) -> &'static str {
        let meaning = match self {
            TssState::Created => Meaning {
                en: "Created at fiskaly but not yet deployed. Run Initial TSS to finish the setup.",
                de: "Bei fiskaly angelegt, aber noch nicht bereitgestellt. Mit „TSS initialisieren“ die Einrichtung abschließen.",
            },
            TssState::Uninitialized => Meaning {
                en: "Deployed but not yet initialised, so it cannot sign. Run Initial TSS.",
                de: "Bereitgestellt, aber noch nicht initialisiert, daher ohne Signatur. „TSS initialisieren“ ausführen.",
            },
            TssState::Initialized => Meaning {
                en: "Active and ready to sign POS transactions.",
                de: "Aktiv und bereit, Kassenvorgänge zu signieren.",
            },
            TssState::Disabled => Meaning {
                en: "Permanently disabled. Cannot be re-enabled. Associated clients are deregistered.",
                de: "Dauerhaft außer Betrieb genommen. Kann nicht wieder aktiviert werden. Zugehörige Clients sind abgemeldet.",
            },
            TssState::Deleted => Meaning {
                en: "Deleted by fiskaly (clean-up of the test environment). Generate a new TSS for this store.",
                de: "Von fiskaly gelöscht (Bereinigung der Testumgebung). Für diese Filiale eine neue TSS erzeugen.",
            },
            TssState::Defective => Meaning {
                en: "Irrecoverable error at fiskaly. Generate a new TSS and new client IDs for this store.",
                de: "Nicht behebbarer Fehler bei fiskaly. Für diese Filiale eine neue TSS und neue Client-IDs erzeugen.",
            },
            TssState::Evicted => Meaning {
                en: "Removed by fiskaly after more than three months unused. Generate a new TSS.",
                de: "Von fiskaly entfernt, weil sie über drei Monate ungenutzt war. Eine neue TSS erzeugen.",
            },
            TssState::Unknown(_) => Meaning {
                en: "A state this version of tss-console does not know. Refresh, or check the TSS at fiskaly.",
                de: "Ein Zustand, den diese Version von tss-console nicht kennt. Aktualisieren oder die TSS bei fiskaly prüfen.",
            },
        };
        meaning.get(language)
    }

    /// Whether Initial TSS may run: it finishes a setup, so only from CREATED or UNINITIALIZED.
    pub fn allows_initialize(&self) -> bool {
        matches!(self, TssState::Created | TssState::Uninitialized)
    }

    /// Whether Disable TSS may run: fiskaly accepts DISABLED only from UNINITIALIZED or INITIALIZED.
    pub fn allows_disable(&self) -> bool {
        matches!(self, TssState::Uninitialized | TssState::Initialized)
    }

    /// Whether Generate Client ID may run against this TSS: only an INITIALIZED TSS takes clients.
    pub fn allows_client_generation(&self) -> bool {
        matches!(self, TssState::Initialized)
    }

    /// Whether the TSS counts as live at fiskaly (CREATED, UNINITIALIZED or INITIALIZED), which is
    /// what the TEST organisation's limit of five TSS counts.
    pub fn is_live(&self) -> bool {
        matches!(
            self,
            TssState::Created | TssState::Uninitialized | TssState::Initialized
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (state, fiskaly's spelling, Initial TSS allowed, Disable allowed, Generate Client ID allowed)
    const RULES: [(TssState, &str, bool, bool, bool); 7] = [
        (TssState::Created, "CREATED", true, false, false),
        (TssState::Uninitialized, "UNINITIALIZED", true, true, false),
        (TssState::Initialized, "INITIALIZED", false, true, true),
        (TssState::Disabled, "DISABLED", false, false, false),
        (TssState::Deleted, "DELETED", false, false, false),
        (TssState::Defective, "DEFECTIVE", false, false, false),
        (TssState::Evicted, "EVICTED", false, false, false),
    ];

    #[test]
    fn every_state_round_trips_in_fiskalys_spelling() {
        for (state, wire, ..) in RULES {
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(json, format!("\"{wire}\""));
            assert_eq!(serde_json::from_str::<TssState>(&json).unwrap(), state);
        }
    }

    #[test]
    fn an_unknown_state_keeps_its_spelling_and_never_fails() {
        let state: TssState = serde_json::from_str("\"SUSPENDED\"").unwrap();
        assert_eq!(state, TssState::Unknown("SUSPENDED".into()));
        assert_eq!(state.as_str(), "SUSPENDED");
        assert_eq!(serde_json::to_string(&state).unwrap(), "\"SUSPENDED\"");
        assert!(!state.allows_initialize() && !state.allows_disable());
    }

    #[test]
    fn spelling_is_exact_not_case_insensitive() {
        let state: TssState = serde_json::from_str("\"initialized\"").unwrap();
        assert_eq!(state, TssState::Unknown("initialized".into()));
    }

    #[test]
    fn actions_follow_the_state() {
        for (state, wire, initialize, disable, client) in RULES {
            assert_eq!(
                state.allows_initialize(),
                initialize,
                "Initial TSS in {wire}"
            );
            assert_eq!(state.allows_disable(), disable, "Disable TSS in {wire}");
            assert_eq!(
                state.allows_client_generation(),
                client,
                "Generate Client ID in {wire}"
            );
        }
    }

    #[test]
    fn only_created_uninitialized_and_initialized_are_live() {
        let live: Vec<_> = TssState::KNOWN
            .into_iter()
            .filter(TssState::is_live)
            .collect();
        assert_eq!(
            live,
            [
                TssState::Created,
                TssState::Uninitialized,
                TssState::Initialized
            ]
        );
    }

    #[test]
    fn every_state_has_a_distinct_meaning_in_both_languages() {
        for language in Language::ALL {
            let mut meanings: Vec<_> = TssState::KNOWN
                .iter()
                .map(|s| s.meaning(language))
                .collect();
            meanings.push(TssState::Unknown("X".into()).meaning(language));
            let count = meanings.len();
            meanings.sort();
            meanings.dedup();
            assert_eq!(meanings.len(), count, "{language:?} meanings repeat");
        }
        assert_eq!(
            TssState::Initialized.meaning(Language::En),
            "Active and ready to sign POS transactions."
        );
        assert_eq!(
            TssState::Disabled.meaning(Language::En),
            "Permanently disabled. Cannot be re-enabled. Associated clients are deregistered."
        );
        assert_ne!(
            TssState::Disabled.meaning(Language::De),
            TssState::Disabled.meaning(Language::En)
        );
    }
}
