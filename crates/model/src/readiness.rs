//! Whether a store can record fiscal transactions: judged per POS terminal.

use serde::{Deserialize, Serialize};

use crate::{ClientState, Language, TssState};

/// What decides whether a TSS's clients can sign: its state, and whether its certificate has
/// expired (fiskaly then refuses it as `E_CERTIFICATE_EXPIRED` although it stays INITIALIZED).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TssStanding<'a> {
    /// The TSS's state.
    pub state: &'a TssState,
    /// Whether its certificate has expired.
    pub certificate_expired: bool,
}

impl TssStanding<'_> {
    /// Whether its clients can sign: INITIALIZED with a certificate that has not expired.
    pub fn signs(self) -> bool {
        *self.state == TssState::Initialized && !self.certificate_expired
    }
}

impl<'a> From<&'a TssState> for TssStanding<'a> {
    /// A TSS whose certificate is not known to have expired.
    fn from(state: &'a TssState) -> Self {
        TssStanding {
            state,
            certificate_expired: false,
        }
    }
}

/// Whether a client in `client` state at a TSS standing as `tss` can sign: REGISTERED at an
/// INITIALIZED TSS whose certificate has not expired. The one rule every screen and the proxy
/// use.
pub fn can_sign<'a>(client: &ClientState, tss: impl Into<TssStanding<'a>>) -> bool {
    *client == ClientState::Registered && tss.into().signs()
}

/// Whether a store is ready to sign, or what it lacks; ordered worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    /// No TSS of the store is INITIALIZED.
    NoActiveTss,
    /// The store's INITIALIZED TSS have expired certificates: fiskaly refuses them.
    CertificateExpired,
    /// The store has an INITIALIZED TSS and POS terminals, but some (or all) of them cannot sign.
    SomeCannotSign,
    /// The store has an INITIALIZED TSS but no POS terminal.
    NoTerminal,
    /// Every POS terminal has a REGISTERED client at an INITIALIZED TSS.
    Ready,
}

impl Readiness {
    /// Every readiness, worst first.
    pub const ALL: [Readiness; 5] = [
        Readiness::NoActiveTss,
        Readiness::CertificateExpired,
        Readiness::SomeCannotSign,
        Readiness::NoTerminal,
        Readiness::Ready,
    ];

    /// The spelling on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Readiness::NoActiveTss => "no_active_tss",
            Readiness::CertificateExpired => "certificate_expired",
            Readiness::SomeCannotSign => "some_cannot_sign",
            Readiness::NoTerminal => "no_terminal",
            Readiness::Ready => "ready",
        }
    }

    /// The readiness spelled `text`.
    pub fn parse(text: &str) -> Option<Readiness> {
        Readiness::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// How many of a store's POS terminals can sign, and what that makes of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signing {
    /// The verdict.
    pub readiness: Readiness,
    /// How many POS terminals have a REGISTERED client at an INITIALIZED TSS.
    pub signing_terminals: usize,
    /// How many POS terminals the store has.
    pub terminals: usize,
}

impl Signing {
    /// Judges a store from the standing of its TSS and, for each of its POS terminals, its
    /// client's state together with the standing of the TSS that client belongs to (`None`: no
    /// client). A bare [`TssState`] stands for a TSS whose certificate has not expired.
    pub fn of<'a, T, C>(
        tss: impl IntoIterator<Item = T>,
        terminals: impl IntoIterator<Item = Option<(&'a ClientState, C)>>,
    ) -> Signing
    where
        T: Into<TssStanding<'a>>,
        C: Into<TssStanding<'a>>,
    {
        let (mut signing_terminals, mut total) = (0, 0);
        for client in terminals {
            total += 1;
            if client.is_some_and(|(client, tss)| can_sign(client, tss)) {
                signing_terminals += 1;
            }
        }
        let (mut active_tss, mut expired_tss) = (false, false);
        for standing in tss.into_iter().map(Into::into) {
            active_tss |= standing.signs();
            expired_tss |= *standing.state == TssState::Initialized && standing.certificate_expired;
        }
        let readiness = if !active_tss && expired_tss {
            Readiness::CertificateExpired
        } else if !active_tss {
            Readiness::NoActiveTss
        } else if total == 0 {
            Readiness::NoTerminal
        } else if signing_terminals < total {
            Readiness::SomeCannotSign
        } else {
            Readiness::Ready
        };
        Signing {
            readiness,
            signing_terminals,
            terminals: total,
        }
    }

    /// What the badge says, in `language`: "Ready to sign", "1 of 2 POS terminals can sign",
    /// "No active TSS", "No POS terminal".
    pub fn label(&self, language: Language) -> String {
        let (n, of) = (self.signing_terminals, self.terminals);
        match (self.readiness, language) {
            (Readiness::Ready, Language::En) => {
                format!("Ready to sign ({n} of {of} POS terminals)")
            }
            (Readiness::Ready, Language::De) => {
                format!("Bereit zum Signieren ({n} von {of} Kassen)")
            }
            (Readiness::SomeCannotSign, Language::En) => {
                let noun = if of == 1 {
                    "POS terminal"
                } else {
                    "POS terminals"
                };
                format!("{n} of {of} {noun} can sign")
            }
            (Readiness::SomeCannotSign, Language::De) => {
                let noun = if of == 1 {
                    "Kasse kann"
                } else {
                    "Kassen können"
                };
                format!("{n} von {of} {noun} signieren")
            }
            (Readiness::NoActiveTss, Language::En) => "No active TSS".into(),
            (Readiness::NoActiveTss, Language::De) => "Keine aktive TSS".into(),
            (Readiness::CertificateExpired, Language::En) => "TSS certificate expired".into(),
            (Readiness::CertificateExpired, Language::De) => "Zertifikat der TSS abgelaufen".into(),
            (Readiness::NoTerminal, Language::En) => "No POS terminal".into(),
            (Readiness::NoTerminal, Language::De) => "Keine Kasse".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClientState::{Deregistered, Registered};
    use TssState::{Defective, Disabled, Initialized, Uninitialized};

    #[test]
    fn a_store_is_ready_only_when_every_terminal_can_sign() {
        let tss = [Disabled, Initialized];
        let all = [
            Some((&Registered, &Initialized)),
            Some((&Registered, &Initialized)),
        ];
        let signing = Signing::of(&tss, all);
        assert_eq!(signing.readiness, Readiness::Ready);
        assert_eq!((signing.signing_terminals, signing.terminals), (2, 2));

        let one_missing = [Some((&Registered, &Initialized)), None];
        let signing = Signing::of(&tss, one_missing);
        assert_eq!(signing.readiness, Readiness::SomeCannotSign);
        assert_eq!(signing.label(Language::En), "1 of 2 POS terminals can sign");
        assert_eq!(
            signing.label(Language::De),
            "1 von 2 Kassen können signieren"
        );
    }

    #[test]
    fn without_an_initialized_tss_the_store_cannot_sign() {
        assert_eq!(
            Signing::of(&[], [None::<(&ClientState, &TssState)>; 0]).readiness,
            Readiness::NoActiveTss
        );
        let tss = [Uninitialized, Disabled, Defective];
        let clients = [Some((&Registered, &Defective))];
        let signing = Signing::of(&tss, clients);
        assert_eq!(signing.readiness, Readiness::NoActiveTss);
        assert_eq!(signing.signing_terminals, 0);
    }

    #[test]
    fn an_expired_certificate_stops_the_tss_from_signing() {
        let expired = TssStanding {
            state: &Initialized,
            certificate_expired: true,
        };
        assert!(!can_sign(&Registered, expired));
        let signing = Signing::of([expired], [Some((&Registered, expired))]);
        assert_eq!(signing.readiness, Readiness::CertificateExpired);
        assert_eq!(signing.signing_terminals, 0);
        assert_eq!(signing.label(Language::De), "Zertifikat der TSS abgelaufen");
        let replaced = [expired, TssStanding::from(&Initialized)];
        let signing = Signing::of(replaced, [Some((&Registered, expired))]);
        assert_eq!(signing.readiness, Readiness::SomeCannotSign);
    }

    #[test]
    fn an_active_tss_without_terminals_says_so() {
        let signing = Signing::of(&[Initialized], [None::<(&ClientState, &TssState)>; 0]);
        assert_eq!(signing.readiness, Readiness::NoTerminal);
        assert_eq!(signing.label(Language::De), "Keine Kasse");
    }

    #[test]
    fn a_client_registered_at_a_broken_or_deregistered_does_not_count() {
        let tss = [Initialized, Defective];
        let clients = [
            Some((&Registered, &Defective)),
            Some((&Deregistered, &Initialized)),
        ];
        let signing = Signing::of(&tss, clients);
        assert_eq!(signing.readiness, Readiness::SomeCannotSign);
        assert_eq!(signing.signing_terminals, 0);
        assert_eq!(signing.label(Language::En), "0 of 2 POS terminals can sign");
        assert!(!can_sign(&Registered, &Disabled));
        assert!(can_sign(&Registered, &Initialized));
    }

    #[test]
    fn readiness_is_spelled_once_for_the_wire_and_the_database() {
        let json = serde_json::to_string(&Readiness::SomeCannotSign).unwrap();
        assert_eq!(json, "\"some_cannot_sign\"");
        for readiness in Readiness::ALL {
            let wire = serde_json::to_value(readiness).unwrap();
            assert_eq!(wire.as_str(), Some(readiness.as_str()));
            assert_eq!(Readiness::parse(readiness.as_str()), Some(readiness));
        }
        let mut sorted = Readiness::ALL;
        sorted.sort();
        assert_eq!(sorted, Readiness::ALL, "worst first");
    }
}
