//! The fleet at scale: paged, filtered lists of stores and POS terminals, and the fleet overview.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Readiness;

/// One page of a long list: `GET /api/stores` and `GET /api/terminals` answer this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The rows of this page, in the list's order.
    pub items: Vec<T>,
    /// How many rows match the filters, on every page together.
    pub total: u64,
    /// The `cursor` of the next page; `None` on the last page.
    pub next: Option<String>,
}

/// How many rows a page holds when the request does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// The most rows one page may hold.
pub const MAX_PAGE_SIZE: u32 = 500;

/// The order of the Store List.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreSort {
    /// By store number.
    #[default]
    Number,
    /// The stores that cannot sign first (no active TSS, then some terminals cannot sign, then no
    /// terminal, then ready), each group by store number.
    Readiness,
}

impl StoreSort {
    /// The spelling in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            StoreSort::Number => "number",
            StoreSort::Readiness => "readiness",
        }
    }
}

/// Which stores the Store List shows by readiness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadinessFilter {
    /// Every store that is not ready to sign: the summary bar's "cannot sign".
    CannotSign,
    /// Every POS terminal can sign.
    Ready,
    /// Some (or all) POS terminals cannot sign.
    SomeCannotSign,
    /// No TSS is INITIALIZED.
    NoActiveTss,
    /// The INITIALIZED TSS have expired certificates.
    CertificateExpired,
    /// No POS terminal.
    NoTerminal,
}

impl ReadinessFilter {
    /// Every filter, in the order the summary bar shows them.
    pub const ALL: [ReadinessFilter; 6] = [
        ReadinessFilter::CannotSign,
        ReadinessFilter::NoActiveTss,
        ReadinessFilter::CertificateExpired,
        ReadinessFilter::SomeCannotSign,
        ReadinessFilter::NoTerminal,
        ReadinessFilter::Ready,
    ];

    /// The spelling in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadinessFilter::CannotSign => "cannot_sign",
            ReadinessFilter::Ready => "ready",
            ReadinessFilter::SomeCannotSign => "some_cannot_sign",
            ReadinessFilter::NoActiveTss => "no_active_tss",
            ReadinessFilter::CertificateExpired => "certificate_expired",
            ReadinessFilter::NoTerminal => "no_terminal",
        }
    }

    /// The filter spelled `text` in a URL.
    pub fn parse(text: &str) -> Option<ReadinessFilter> {
        ReadinessFilter::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
    }

    /// The one readiness the filter admits; `None` for "cannot sign", which admits several.
    pub fn only(self) -> Option<Readiness> {
        match self {
            ReadinessFilter::CannotSign => None,
            ReadinessFilter::Ready => Some(Readiness::Ready),
            ReadinessFilter::SomeCannotSign => Some(Readiness::SomeCannotSign),
            ReadinessFilter::NoActiveTss => Some(Readiness::NoActiveTss),
            ReadinessFilter::CertificateExpired => Some(Readiness::CertificateExpired),
            ReadinessFilter::NoTerminal => Some(Readiness::NoTerminal),
        }
    }

    /// Whether a store of `readiness` passes the filter.
    pub fn admits(self, readiness: Readiness) -> bool {
        match self.only() {
            None => readiness != Readiness::Ready,
            Some(only) => readiness == only,
        }
    }
}

/// `GET /api/stores?…`: which stores, in which order, from where; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreQuery {
    /// Words that must each occur in the store's number, name or city (any case; "koln" finds
    /// Köln, "strasse" Straße).
    #[serde(default)]
    pub q: String,
    /// Only stores of this readiness.
    pub readiness: Option<ReadinessFilter>,
    /// Only stores whose TSS in service have a certificate in this condition.
    pub certificate: Option<CertificateFilter>,
    /// The order; by number when not given.
    pub sort: Option<StoreSort>,
    /// At most this many rows (1–500; 50 when not given).
    pub limit: Option<u32>,
    /// Where the page starts: the `next` of the page before.
    pub cursor: Option<String>,
}

impl StoreQuery {
    /// The query's set fields as query-string pairs (values not yet URL-encoded).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        [
            (!self.q.is_empty()).then(|| ("q", self.q.clone())),
            self.readiness.map(|r| ("readiness", r.as_str().to_owned())),
            self.certificate
                .map(|c| ("certificate", c.as_str().to_owned())),
            self.sort.map(|s| ("sort", s.as_str().to_owned())),
            self.limit.map(|l| ("limit", l.to_string())),
            self.cursor.clone().map(|c| ("cursor", c)),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Which stores the Store List shows by the certificates of their TSS in service
/// (UNINITIALIZED or INITIALIZED).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateFilter {
    /// A certificate expires within [`crate::CERTIFICATE_WARNING_DAYS`] days or has expired.
    Expiring,
}

impl CertificateFilter {
    /// The spelling in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateFilter::Expiring => "expiring",
        }
    }

    /// The filter spelled `text` in a URL.
    pub fn parse(text: &str) -> Option<CertificateFilter> {
        (text == "expiring").then_some(CertificateFilter::Expiring)
    }
}

/// Which POS terminals the POS Terminal List shows by their client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientFilter {
    /// Terminals that cannot sign: no client, a client not REGISTERED, or its TSS not INITIALIZED.
    CannotSign,
    /// Terminals whose client is REGISTERED.
    Registered,
    /// Terminals whose client is DEREGISTERED.
    Deregistered,
    /// Terminals without a client.
    NoClient,
}

impl ClientFilter {
    /// Every filter.
    pub const ALL: [ClientFilter; 4] = [
        ClientFilter::CannotSign,
        ClientFilter::Registered,
        ClientFilter::Deregistered,
        ClientFilter::NoClient,
    ];

    /// The spelling in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientFilter::CannotSign => "cannot_sign",
            ClientFilter::Registered => "registered",
            ClientFilter::Deregistered => "deregistered",
            ClientFilter::NoClient => "no_client",
        }
    }
}

/// `GET /api/terminals?…`: which POS terminals, from where; every field is optional. The list is
/// ordered by store number, then terminal number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalQuery {
    /// Words that must each occur in the terminal's number, name or serial number or its store's
    /// number or name (any case, umlauts as in [`StoreQuery::q`]).
    #[serde(default)]
    pub q: String,
    /// Only terminals of this store.
    pub store_id: Option<i64>,
    /// Only terminals whose client passes this filter.
    pub client: Option<ClientFilter>,
    /// At most this many rows (1–500; 50 when not given).
    pub limit: Option<u32>,
    /// Where the page starts: the `next` of the page before.
    pub cursor: Option<String>,
}

impl TerminalQuery {
    /// The query's set fields as query-string pairs (values not yet URL-encoded).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        [
            (!self.q.is_empty()).then(|| ("q", self.q.clone())),
            self.store_id.map(|s| ("store_id", s.to_string())),
            self.client.map(|c| ("client", c.as_str().to_owned())),
            self.limit.map(|l| ("limit", l.to_string())),
            self.cursor.clone().map(|c| ("cursor", c)),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// `GET /api/fleet`: the whole fleet at a glance, for the Store List's summary bar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetOverview {
    /// How many stores there are.
    pub stores: u64,
    /// How many stores have each readiness (a readiness no store has is left out).
    pub stores_by_readiness: BTreeMap<Readiness, u64>,
    /// How many TSS are in each state, by fiskaly's spelling.
    pub tss_by_state: BTreeMap<String, u64>,
    /// How many POS terminals there are.
    pub terminals: u64,
    /// How many POS terminals cannot sign.
    pub terminals_cannot_sign: u64,
    /// How many POS terminals' current clients are in each state, by fiskaly's spelling;
    /// terminals without a client are not counted here.
    pub clients_by_state: BTreeMap<String, u64>,
    /// How many TSS show an Error Text.
    pub tss_with_error: u64,
    /// How many stores have a TSS in service whose certificate expires within
    /// [`crate::CERTIFICATE_WARNING_DAYS`] days or has expired.
    #[serde(default)]
    pub stores_certificate_expiring: u64,
    /// When a TSS was last read from fiskaly (unix seconds); `None` before the first refresh.
    pub last_refresh: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cannot_sign_admits_every_readiness_but_ready() {
        let all = [
            Readiness::Ready,
            Readiness::SomeCannotSign,
            Readiness::NoActiveTss,
            Readiness::NoTerminal,
        ];
        let admitted: Vec<_> = all
            .into_iter()
            .filter(|r| ReadinessFilter::CannotSign.admits(*r))
            .collect();
        assert_eq!(admitted, &all[1..]);
        for filter in ReadinessFilter::ALL {
            assert_eq!(ReadinessFilter::parse(filter.as_str()), Some(filter));
            let wire = serde_json::to_value(filter).unwrap();
            assert_eq!(wire.as_str(), Some(filter.as_str()));
        }
    }

    #[test]
    fn the_overview_sends_readiness_as_its_wire_names() {
        let overview = FleetOverview {
            stores: 12,
            stores_by_readiness: BTreeMap::from([
                (Readiness::Ready, 8),
                (Readiness::NoActiveTss, 3),
                (Readiness::NoTerminal, 1),
            ]),
            ..FleetOverview::default()
        };
        let json = serde_json::to_value(&overview).unwrap();
        assert_eq!(json["stores_by_readiness"]["no_active_tss"], 3);
    }

    #[test]
    fn only_the_set_fields_become_query_pairs() {
        let query = StoreQuery {
            q: "köln".into(),
            readiness: Some(ReadinessFilter::CannotSign),
            ..StoreQuery::default()
        };
        assert_eq!(
            query.query_pairs(),
            vec![
                ("q", "köln".to_owned()),
                ("readiness", "cannot_sign".to_owned())
            ]
        );
        assert!(TerminalQuery::default().query_pairs().is_empty());
    }
}
