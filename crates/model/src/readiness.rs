//! Whether a store can record fiscal transactions.

use serde::{Deserialize, Serialize};

use crate::{ClientState, Language, TssState};

/// Whether a store is ready to sign, or what it lacks.
///
/// A store can sign when it has at least one INITIALIZED TSS and at least one REGISTERED client on
/// an INITIALIZED TSS (a client of a disabled or defective TSS signs nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    /// Ready to sign POS transactions.
    Ready,
    /// No TSS of the store is INITIALIZED.
    NoInitializedTss,
    /// A TSS is INITIALIZED, but no POS terminal is registered at one.
    NoRegisteredClient,
}

impl Readiness {
    /// Judges a store from the states of its TSS and, for each of its clients, the client's state
    /// together with the state of the TSS it is registered at.
    pub fn of<'a>(
        tss_states: impl IntoIterator<Item = &'a TssState>,
        clients: impl IntoIterator<Item = (&'a ClientState, &'a TssState)>,
    ) -> Readiness {
        if !tss_states.into_iter().any(|s| *s == TssState::Initialized) {
            return Readiness::NoInitializedTss;
        }
        let signing_client = clients.into_iter().any(|(client, tss)| {
            *client == ClientState::Registered && *tss == TssState::Initialized
        });
        if signing_client {
            Readiness::Ready
        } else {
            Readiness::NoRegisteredClient
        }
    }

    /// The badge text staff read, in `language`.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Readiness::Ready, Language::En) => "Ready to sign",
            (Readiness::Ready, Language::De) => "Bereit zum Signieren",
            (Readiness::NoInitializedTss, Language::En) => "No active TSS",
            (Readiness::NoInitializedTss, Language::De) => "Keine aktive TSS",
            (Readiness::NoRegisteredClient, Language::En) => "No registered POS terminal",
            (Readiness::NoRegisteredClient, Language::De) => "Keine angemeldete Kasse",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClientState::{Deregistered, Registered};
    use TssState::{Defective, Disabled, Initialized, Uninitialized};

    #[test]
    fn an_initialized_tss_with_a_registered_client_is_ready() {
        let tss = [Disabled, Initialized];
        let clients = [(&Deregistered, &Disabled), (&Registered, &Initialized)];
        assert_eq!(Readiness::of(&tss, clients), Readiness::Ready);
    }

    #[test]
    fn without_an_initialized_tss_the_store_cannot_sign() {
        assert_eq!(Readiness::of(&[], []), Readiness::NoInitializedTss);
        let tss = [Uninitialized, Disabled, Defective];
        let clients = [(&Registered, &Defective)];
        assert_eq!(Readiness::of(&tss, clients), Readiness::NoInitializedTss);
    }

    #[test]
    fn an_initialized_tss_without_a_registered_client_is_not_enough() {
        let tss = [Initialized];
        assert_eq!(Readiness::of(&tss, []), Readiness::NoRegisteredClient);
        let clients = [(&Deregistered, &Initialized)];
        assert_eq!(Readiness::of(&tss, clients), Readiness::NoRegisteredClient);
    }

    #[test]
    fn a_client_registered_at_a_broken_tss_does_not_count() {
        let tss = [Initialized, Defective];
        let clients = [(&Registered, &Defective)];
        assert_eq!(Readiness::of(&tss, clients), Readiness::NoRegisteredClient);
    }

    #[test]
    fn readiness_is_sent_in_snake_case() {
        let json = serde_json::to_string(&Readiness::NoRegisteredClient).unwrap();
        assert_eq!(json, "\"no_registered_client\"");
        assert_eq!(Readiness::Ready.label(Language::De), "Bereit zum Signieren");
    }
}
