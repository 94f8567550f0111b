//! The state of a POS terminal's client at its TSS.

use crate::meaning::Meaning;
use crate::wire_state::wire_state;
use crate::Language;

wire_state! {
    /// The state of a client (one POS terminal registered at a TSS), as fiskaly spells it.
    pub enum ClientState {
        /// Registered at its TSS: the terminal can sign.
        Registered = "REGISTERED",
        /// Deregistered: the terminal cannot sign until it is registered again.
        Deregistered = "DEREGISTERED",
    }
}

impl ClientState {
    /// What the state means for the terminal, in `language`.
    pub fn meaning(&self, language: Language) -> &'static str {
        let meaning = match self {
            ClientState::Registered => Meaning {
                en: "Registered at its TSS: this POS terminal can sign.",
                de: "Bei der TSS angemeldet: diese Kasse kann signieren.",
            },
            ClientState::Deregistered => Meaning {
                en: "Deregistered: this POS terminal cannot sign. Generate Client ID to register it again.",
                de: "Abgemeldet: diese Kasse kann nicht signieren. Mit „Client-ID erzeugen“ erneut anmelden.",
            },
            ClientState::Unknown(_) => Meaning {
                en: "A client state this version of tss-console does not know. Refresh the store's TSS.",
                de: "Ein Client-Zustand, den diese Version von tss-console nicht kennt. TSS der Filiale aktualisieren.",
            },
        };
        meaning.get(language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_in_fiskalys_spelling() {
        for (state, wire) in [
            (ClientState::Registered, "\"REGISTERED\""),
            (ClientState::Deregistered, "\"DEREGISTERED\""),
            (ClientState::Unknown("PAUSED".into()), "\"PAUSED\""),
        ] {
            assert_eq!(serde_json::to_string(&state).unwrap(), wire);
            assert_eq!(serde_json::from_str::<ClientState>(wire).unwrap(), state);
        }
    }

    #[test]
    fn each_state_has_its_own_meaning_in_each_language() {
        for language in Language::ALL {
            assert_ne!(
                ClientState::Registered.meaning(language),
                ClientState::Deregistered.meaning(language)
            );
        }
        assert_ne!(
            ClientState::Registered.meaning(Language::De),
            ClientState::Registered.meaning(Language::En)
        );
    }
}
