//! Every word the app shows, in German and English, and the current language.
//!
//! The language comes from a choice the user saved, else the browser's language, else German (the
//! staff in the stores). Components read a text with [`tr`], which follows language switches.

use leptos::prelude::*;
use tss_model::Language;

const STORAGE_KEY: &str = "tss-console.language";

/// The current language, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Locale(RwSignal<Language>);

impl Locale {
    /// The current language (tracked).
    pub fn get(self) -> Language {
        self.0.get()
    }

    /// The current language, without subscribing to changes (for event handlers).
    pub fn get_untracked(self) -> Language {
        self.0.get_untracked()
    }

    /// Switches the language and remembers the choice in the browser.
    pub fn set(self, language: Language) {
        self.0.set(language);
        if let Some(storage) = window().local_storage().ok().flatten() {
            // Not saving only means the choice is not remembered next time.
            let _ = storage.set_item(STORAGE_KEY, language.tag());
        }
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", language.tag());
        }
    }
}

/// Puts the [`Locale`] into context for the whole app and returns it.
pub fn provide_locale() -> Locale {
    let locale = Locale(RwSignal::new(initial_language()));
    provide_context(locale);
    locale
}

/// The [`Locale`] from context, or a fresh one when a component is shown on its own (in tests).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(provide_locale)
}

fn initial_language() -> Language {
    let saved = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
    let browser = window().navigator().language();
    saved
        .into_iter()
        .chain(browser)
        .find_map(|tag| Language::from_tag(&tag))
        .unwrap_or_default()
}

/// A text that follows the current language, for use in `view!`.
pub fn tr(text: Text) -> Signal<&'static str> {
    let locale = use_locale();
    Signal::derive(move || text.get(locale.get()))
}

/// Declares [`Text`]: one variant per fixed text, with its German and English wording.
macro_rules! texts {
    ($($name:ident => ($de:expr, $en:expr),)+) => {
        /// Every fixed text of the app; each variant's doc is its English wording.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text {
            $(#[doc = $en] $name,)+
        }

        impl Text {
            /// The text in `language`.
            pub fn get(self, language: Language) -> &'static str {
                match (self, language) {
                    $((Text::$name, Language::De) => $de, (Text::$name, Language::En) => $en,)+
                }
            }
        }
    };
}

texts! {
    AppName => ("TSS-Konsole", "TSS Console"),
    NavStores => ("Filialen", "Stores"),
    NavTerminals => ("Kassen", "POS Terminals"),
    NavSettings => ("Fiskaly-Einrichtung", "Fiskaly Setup"),
    LanguageLabel => ("Sprache", "Language"),
    StoreListTitle => ("Filialliste", "Store List"),
    StoreListEmpty => ("Keine Filialen gefunden.", "No stores found."),
    StoreCardTitle => ("Filiale", "Store"),
    FiskalyTssSetup => ("Fiskaly-TSS-Einrichtung", "Fiskaly TSS Setup"),
    StoreCardEmpty => ("Für diese Filiale sind noch keine TSS vorhanden.", "This store has no TSS yet."),
    TerminalListTitle => ("Kassenliste", "POS Terminal List"),
    TerminalListEmpty => ("Keine Kassen gefunden.", "No POS terminals found."),
    TerminalCardTitle => ("Kasse", "POS Terminal"),
    SignDeV2 => ("Sign DE V2", "Sign DE V2"),
    TerminalCardEmpty => ("Für diese Kasse ist noch keine Client-ID vorhanden.", "This POS terminal has no client ID yet."),
    FiskalySetupTitle => ("Fiskaly-Einrichtung", "Fiskaly Setup"),
    NotFoundTitle => ("Seite nicht gefunden", "Page not found"),
    NotFoundText => ("Diese Adresse gibt es in der TSS-Konsole nicht.", "There is no such page in the TSS Console."),
    BackToStores => ("Zur Filialliste", "Go to the Store List"),
    Search => ("Suchen", "Search"),
    SearchStoresHint => ("Nummer, Name oder Ort", "Number, name or city"),
    SearchTerminalsHint => ("Nummer, Name, Seriennummer oder Filiale", "Number, name, serial number or store"),
    AllStores => ("Alle Filialen", "All stores"),
    AllTerminals => ("Alle Kassen", "All POS terminals"),
    FilterCannotSign => ("Kann nicht signieren", "Cannot sign"),
    FilterRegistered => ("Angemeldet (REGISTERED)", "Registered (REGISTERED)"),
    FilterDeregistered => ("Abgemeldet (DEREGISTERED)", "Deregistered (DEREGISTERED)"),
    FilterNoClient => ("Ohne Client-ID", "Without a client ID"),
    LoadMore => ("Mehr laden", "Load more"),
    LastRead => ("Zuletzt von fiskaly gelesen", "Last read from fiskaly"),
    RefreshEveryTss => ("Alle TSS aktualisieren", "Refresh every TSS"),
    TssNearlyFull => ("fast voll", "nearly full"),
    Certificate => ("Zertifikat", "Certificate"),
    CertificateValidUntil => ("gültig bis {date}", "valid until {date}"),
    CertificateUnreadable => ("nicht lesbar", "unreadable"),
    CertificateNotRead => ("noch nicht gelesen", "not read yet"),
    TssFull => ("voll: für weitere Kassen eine neue TSS erzeugen", "full: generate a new TSS for more POS terminals"),
    ImportFromErp => ("Import aus dem ERP", "Import from the ERP"),
    ImportFile => ("CSV-Datei", "CSV file"),
    ImportColumnsHint => ("Spalten (Kopfzeile, in beliebiger Reihenfolge): Filialnummer; Filialname; Straße; Ort; Kassennummer; Kassenname; Seriennummer. UTF-8, getrennt durch ; oder ,. Eine Zeile je Kasse; ohne Kassenspalten nur die Filiale.", "Columns (header line, any order): store_number; store_name; street; city; terminal_number; terminal_name; serial_number. UTF-8, separated by ; or ,. One line per POS terminal; without the terminal columns only the store."),
    ImportNow => ("Importieren", "Import"),
    ImportChooseFirst => ("Erst eine Datei wählen.", "Choose a file first."),
    ImportHasProblems => ("Die Datei hat Fehler: es wird nichts importiert.", "The file has problems: nothing is imported."),
    ImportNothingNew => ("Alles ist schon so in der Konsole.", "The console has all of it already."),
    Imported => ("Importiert.", "Imported."),
    RefreshRunning => ("Läuft gerade", "Running now"),
    SortBy => ("Sortierung", "Order"),
    SortByNumber => ("Nach Nummer", "By number"),
    SortByReadiness => ("Nicht bereite zuerst", "Not ready first"),
    Number => ("Nummer", "Number"),
    Name => ("Name", "Name"),
    Street => ("Straße", "Street"),
    City => ("Ort", "City"),
    Readiness => ("Bereitschaft", "Readiness"),
    TssCount => ("TSS", "TSS"),
    Terminals => ("Kassen", "POS terminals"),
    NewStore => ("Neue Filiale", "New store"),
    NewTerminal => ("Neue Kasse", "New POS terminal"),
    Edit => ("Bearbeiten", "Edit"),
    Save => ("Speichern", "Save"),
    Cancel => ("Abbrechen", "Cancel"),
    Saved => ("Gespeichert.", "Saved."),
    Loading => ("Wird geladen …", "Loading …"),
    Store => ("Filiale", "Store"),
    SerialNumber => ("Geräte-Seriennummer", "Device serial number"),
    TssId => ("TSS-ID", "TSS ID"),
    Description => ("Beschreibung", "Description"),
    State => ("Status", "State"),
    ErrorText => ("Fehlertext", "Error Text"),
    Clients => ("Clients", "Clients"),
    Created => ("Angelegt", "Created"),
    Initialised => ("Initialisiert", "Initialised"),
    Actions => ("Aktionen", "Actions"),
    Copy => ("Kopieren", "Copy"),
    Copied => ("Kopiert.", "Copied."),
    GenerateNewTss => ("Neue TSS erzeugen", "Generate New TSS"),
    InitialTss => ("TSS initialisieren", "Initial TSS"),
    RefreshTss => ("TSS aktualisieren", "Refresh TSS"),
    DisableTss => ("TSS außer Betrieb nehmen", "Disable TSS"),
    GenerateClientId => ("Client-ID erzeugen", "Generate Client ID"),
    ReplaceTss => ("TSS ersetzen", "Replace TSS"),
    WhyEveryTssFull => ("Jede aktive TSS dieser Filiale hat so viele Kassen, wie fiskaly erlaubt (199): bitte eine neue TSS erzeugen.", "Every active TSS of this store has as many POS terminals as fiskaly allows (199): generate a new TSS."),
    GenerateClientIds => ("Client-IDs für alle Kassen erzeugen", "Generate Client IDs for all POS terminals"),
    GenerateClientIdsFor => ("Client-IDs für alle {n} Kassen erzeugen, die nicht signieren können", "Generate Client IDs for all {n} POS terminals that cannot sign"),
    ClientIdsGenerated => ("Client-IDs erzeugt: {counts}.", "Client IDs generated: {counts}."),
    ConfirmReplaceTitle => ("TSS ersetzen?", "Replace this TSS?"),
    ConfirmReplaceText => ("Eine neue TSS wird für die Filiale eingerichtet, und diese Kassen erhalten dort neue Client-IDs (gleiche Seriennummern):", "A new TSS is set up for the store, and these POS terminals get new client IDs there (same serial numbers):"),
    ConfirmReplaceYes => ("Ja, TSS ersetzen", "Yes, replace"),
    ConfirmReplaceAddRoomText => ("Diese TSS ist voll und bleibt in Betrieb. Eine neue TSS wird für die Filiale eingerichtet, und diese Kassen, die nicht signieren können, erhalten dort Client-IDs:", "This TSS is full and stays in service. A new TSS is set up for the store, and these POS terminals that cannot sign get client IDs there:"),
    ReplacedBy => ("Ersetzt durch", "Replaced by"),
    NightlyRefresh => ("Nächtliche Aktualisierung", "Nightly refresh"),
    NavAlerts => ("Warnungen", "Alerts"),
    NoAlerts => ("Keine Warnungen.", "No alerts."),
    Acknowledge => ("Zur Kenntnis nehmen", "Acknowledge"),
    Acknowledged => ("Zur Kenntnis genommen.", "Alert acknowledged."),
    AlertRaised => ("Seit", "Raised"),
    AlertAcknowledged => ("Zur Kenntnis genommen von", "Acknowledged by"),
    AlertResolved => ("Behoben", "Resolved"),
    AcknowledgeAlert => ("Warnung zur Kenntnis genommen", "Alert acknowledged"),
    Webhooks => ("Webhooks", "Webhooks"),
    ForTheTaxOffice => ("Für die Meldung an das Finanzamt", "For the tax office"),
    Model => ("Modell (Hersteller)", "Model (manufacturer)"),
    Software => ("Software und Version", "Software and version"),
    InServiceSince => ("In Betrieb seit", "In service since"),
    OutOfServiceSince => ("Außer Betrieb seit", "Out of service since"),
    NavReport => ("Meldung §146a", "Report §146a"),
    ReportHint => ("Für jede Filiale (Betriebsstätte) ihre Kassen und TSE, wie sie dem Finanzamt über ELSTER zu melden sind (§ 146a Abs. 4 AO). Markiert ist, was seit der letzten als übermittelt markierten Meldung neu ist oder sich geändert hat.", "For each store (establishment) its POS terminals and TSE as the tax office is to be told through ELSTER (§ 146a (4) AO). Marked: what is new or changed since the report last marked as submitted."),
    Organisation => ("Unternehmen", "Business"),
    TaxNumber => ("Steuernummer", "Tax number"),
    SaveOrganisation => ("Unternehmen speichern", "Save the business"),
    DownloadCsv => ("CSV herunterladen", "Download CSV"),
    MarkSubmitted => ("Als übermittelt markieren", "Mark as submitted"),
    SubmitReport => ("Meldung als übermittelt markiert", "Report marked as submitted"),
    LastSubmitted => ("Zuletzt übermittelt", "Last submitted"),
    NeverSubmitted => ("Noch nie als übermittelt markiert.", "Never marked as submitted."),
    Changed => ("geändert", "changed"),
    Kind => ("Art", "Kind"),
    Till => ("Kasse", "POS terminal"),
    ConfirmSubmitTitle => ("Meldung als übermittelt markieren?", "Mark the report as submitted?"),
    ConfirmSubmitText => ("Markieren Sie die Meldung erst, nachdem Sie genau diesen Stand über ELSTER an das Finanzamt übermittelt haben: Ab jetzt gilt für alle Filialen nur noch als geändert, was danach neu ist oder sich ändert.", "Mark it only after you sent exactly this report to the tax office through ELSTER: from now on, for every store, only what is new or changes afterwards counts as changed."),
    ConfirmSubmitYes => ("Ja, als übermittelt markieren", "Yes, mark as submitted"),
    BsiCertification => ("BSI-Zertifizierung", "BSI certification"),
    WebhooksHint => ("Jede neue Warnung der gewählten Arten wird als signierter JSON-POST an diese Adressen geschickt (HMAC-SHA256 des Inhalts im Header X-TSS-Console-Signature) und bis zu 24 Stunden lang erneut versucht.", "Every new alert of the kinds chosen is sent to these addresses as a signed JSON POST (HMAC-SHA256 of the body in the X-TSS-Console-Signature header) and tried again for up to 24 hours."),
    WebhookSecretOnce => ("Geheimnis des neuen Webhooks (wird nur jetzt angezeigt):", "The new webhook's secret (shown only now):"),
    CopySecret => ("Geheimnis kopieren", "Copy the secret"),
    NoWebhooks => ("Noch keine Webhooks.", "No webhooks yet."),
    WebhookUrl => ("Adresse", "Address"),
    WebhookKinds => ("Arten von Warnungen", "Alert kinds"),
    AddWebhook => ("Webhook hinzufügen", "Add webhook"),
    WebhookOn => ("Einschalten", "Switch on"),
    WebhookOff => ("Ausschalten", "Switch off"),
    RemoveWebhook => ("Webhook entfernen", "Remove webhook"),
    ChangeWebhook => ("Webhook ändern", "Change webhook"),
    Deliveries => ("Zustellungen", "Deliveries"),
    NoDeliveries => ("Noch keine Zustellungen.", "No deliveries yet."),
    DeliveryStatus => ("Stand", "Status"),
    Attempts => ("Versuche", "Attempts"),
    LastAttempt => ("Letzter Versuch", "Last attempt"),
    LastAnswer => ("Letzte Antwort", "Last answer"),
    NightlyRefreshHint => ("Die Konsole liest jeden Tag zur eingestellten Zeit (Europe/Berlin) alle TSS von fiskaly – einmal, auch mit mehreren Servern.", "Every day at the time set (Europe/Berlin) the console reads every TSS from fiskaly – once, also with several servers."),
    NightlyRefreshOn => ("Täglich alle TSS aktualisieren", "Refresh every TSS daily"),
    NightlyRefreshTime => ("Uhrzeit", "Time"),
    SaveRefreshSchedule => ("Zeitplan speichern", "Save the schedule"),
    GenerateClientIdsForOne => ("Client-ID für die 1 Kasse erzeugen, die nicht signieren kann", "Generate the Client ID for the 1 POS terminal that cannot sign"),
    ReplaceDisableOld => ("Danach die alte TSS außer Betrieb nehmen und ihre Clients abmelden (kann nicht rückgängig gemacht werden)", "Afterwards disable the old TSS and deregister its clients (cannot be undone)"),
    ReplaceStarted => ("Die TSS wird ersetzt.", "The TSS is being replaced."),
    TerminalErrorText => ("Fehlertext", "Error Text"),
    DeregisterClient => ("Client abmelden", "Deregister client"),
    ClientId => ("Client-ID", "Client ID"),
    ClientState => ("Client-Status", "Client State"),
    TssState => ("TSS-Status", "Tss State"),
    Tss => ("TSS", "TSS"),
    NoClient => ("Keine", "None"),
    Working => ("Läuft …", "Working …"),
    Step => ("Schritt", "Step"),
    Of => ("von", "of"),
    Generated => ("Neue TSS wird eingerichtet.", "The new TSS is being set up."),
    Refreshed => ("TSS aktualisiert.", "TSS refreshed."),
    InitialStarted => ("Die Einrichtung wird fortgesetzt.", "The setup continues."),
    Disabled => ("Die TSS ist außer Betrieb.", "The TSS is disabled."),
    ClientGenerated => ("Die Kasse ist angemeldet.", "The POS terminal is registered."),
    ClientDeregistered => ("Die Kasse ist abgemeldet.", "The POS terminal is deregistered."),
    Dismiss => ("Schließen", "Dismiss"),
    ConfirmDisableTitle => ("TSS außer Betrieb nehmen?", "Disable this TSS?"),
    ConfirmDisableText => ("Dies kann nicht rückgängig gemacht werden. Die zugehörigen Kassen-Clients werden abgemeldet:", "This cannot be undone. The related POS clients will be deregistered:"),
    ConfirmDisableYes => ("Ja, außer Betrieb nehmen", "Yes, disable"),
    ConfirmDeregisterTitle => ("Client abmelden?", "Deregister this client?"),
    ConfirmDeregisterText => ("Die Kasse kann danach nicht mehr signieren, bis eine Client-ID erzeugt wird.", "The POS terminal cannot sign afterwards until a client ID is generated again."),
    ConfirmDeregisterYes => ("Ja, abmelden", "Yes, deregister"),
    NoTerminalsAffected => ("Keine Kasse ist betroffen.", "No POS terminal is affected."),
    WhyNoInitializedTss => ("Diese Filiale hat keine aktive TSS: zuerst eine neue TSS erzeugen.", "This store has no INITIALIZED TSS: generate a new TSS for this store first."),
    WhyTssState => ("Die TSS ist {state}: zuerst eine neue TSS für diese Filiale erzeugen.", "The TSS is {state}: generate a new TSS for this store first."),
    WhyAlreadyRegistered => ("Die Kasse ist bereits angemeldet.", "The POS terminal is already registered."),
    GoToStoreCard => ("Zur Filiale", "Go to the store"),
    NotFoundStore => ("Diese Filiale gibt es nicht.", "There is no such store."),
    NotFoundTerminal => ("Diese Kasse gibt es nicht.", "There is no such POS terminal."),
    BaseUrl => ("API-Adresse", "API base URL"),
    ApiKey => ("API-Schlüssel", "API key"),
    ApiSecret => ("API-Secret", "API secret"),
    SecretSet => ("gesetzt – leer lassen, um es zu behalten", "set – leave empty to keep it"),
    SecretNotSet => ("nicht gesetzt", "not set"),
    TestConnection => ("Verbindung testen", "Test connection"),
    ConnectionOk => ("Verbindung in Ordnung. Umgebung:", "Connection works. Environment:"),
    SimulatorBanner => ("Demo-Modus: Die Konsole arbeitet mit dem eingebauten fiskaly-Simulator, nicht mit fiskaly.", "Demo mode: the console talks to the built-in fiskaly simulator, not to fiskaly."),
    LoginTitle => ("Anmelden", "Log in"),
    LoginIntro => ("Melden Sie sich mit Ihrem Benutzernamen an.", "Log in with your user name."),
    Username => ("Benutzername", "User name"),
    Password => ("Passwort", "Password"),
    LogIn => ("Anmelden", "Log in"),
    WrongLogin => ("Benutzername oder Passwort ist falsch.", "Wrong user name or password."),
    TooManyLogins => ("Zu viele fehlgeschlagene Anmeldungen. Bitte eine Minute warten und dann erneut versuchen.", "Too many failed logins. Wait a minute, then try again."),
    LogOut => ("Abmelden", "Log out"),
    LiveOn => ("Live", "Live"),
    LiveConnecting => ("Verbinde …", "Connecting …"),
    LiveReconnecting => ("Verbindung wird wiederhergestellt …", "Reconnecting …"),
    LiveExplained => ("Änderungen anderer erscheinen sofort.", "Changes made by others appear at once."),
    RoleViewer => ("Betrachter", "Viewer"),
    RoleOperator => ("Bediener", "Operator"),
    RoleAdmin => ("Administrator", "Administrator"),
    NeedsRole => ("Nur mit der Rolle", "Only with the role"),
    NavAudit => ("Protokoll", "Audit Log"),
    AuditTitle => ("Änderungsprotokoll", "Audit Log"),
    AuditEmpty => ("Keine Einträge.", "No entries."),
    When => ("Zeitpunkt", "When"),
    Who => ("Wer", "Who"),
    Action => ("Aktion", "Action"),
    Concerns => ("Betrifft", "Concerns"),
    Result => ("Ergebnis", "Result"),
    Succeeded => ("erfolgreich", "succeeded"),
    Failed => ("fehlgeschlagen", "failed"),
    AnyResult => ("Alle Ergebnisse", "All results"),
    OlderEntries => ("Ältere Einträge", "Older entries"),
    NewestEntries => ("Neueste Einträge", "Newest entries"),
    AnyAction => ("Alle Aktionen", "All actions"),
    EditStore => ("Filiale bearbeitet", "Store edited"),
    EditTerminal => ("Kasse bearbeitet", "POS terminal edited"),
    SaveFiskalySettings => ("Fiskaly-Einrichtung gespeichert", "Fiskaly Setup saved"),
    NavUsers => ("Benutzer", "Users"),
    NewUser => ("Neuer Benutzer", "New user"),
    Role => ("Rolle", "Role"),
    PasswordHint => ("Mindestens 10 Zeichen.", "At least 10 characters."),
    NewPassword => ("Neues Passwort", "New password"),
    RoleChanged => ("Rolle geändert", "Role changed"),
    RemoveUser => ("Benutzer entfernen", "Remove user"),
    ConfirmRemoveUserTitle => ("Diesen Benutzer entfernen?", "Remove this user?"),
    ConfirmRemoveUserYes => ("Ja, entfernen", "Yes, remove"),
    ConfirmRemoveUserText => ("Der Benutzer wird sofort abgemeldet und kann sich nicht mehr anmelden. Das Protokoll behält seine Einträge.", "The user is logged out at once and can no longer log in. The audit log keeps their entries."),
    CouldNotLoad => ("Konnte nicht geladen werden.", "Could not be loaded."),
    Retry => ("Erneut versuchen", "Retry"),
    WhyStillLoading => ("Wird noch geladen …", "Still loading …"),
    WhyTssNotLoaded => ("Die TSS dieser Filiale konnten nicht geladen werden: erst erneut laden.", "This store's TSS could not be loaded: retry first."),
    WhyTerminalsNotLoaded => ("Die Kassen dieser Filiale konnten nicht geladen werden: erst erneut laden.", "This store's POS terminals could not be loaded: retry first."),
    WhySetupRunning => ("Für diese Filiale läuft gerade eine TSS-Einrichtung.", "A TSS setup is running for this store."),
    WhyOperationRunning => ("An dieser TSS läuft gerade eine Aktion.", "An action is running on this TSS."),
    StoresNotLoaded => ("Die Filialen konnten nicht geladen werden.", "The stores could not be loaded."),
    ConfirmAnotherTssTitle => ("Weitere TSS erzeugen?", "Generate another TSS?"),
    ConfirmAnotherTssText => ("Diese Filiale hat bereits eine aktive TSS. Eine weitere erzeugen? Jede TSS zählt gegen die Grenzen bei fiskaly und kostet je nach Vertrag.", "This store already has an active TSS. Generate another one? Every TSS counts against fiskaly's limits and, depending on the contract, its price."),
    ConfirmAnotherTssYes => ("Ja, weitere TSS erzeugen", "Yes, generate another"),
    ActiveTss => ("Aktive TSS", "Active TSS"),
    SetupReady => ("TSS {id} ist bereit – jetzt die Kassen anmelden.", "TSS {id} is ready — register the POS terminals now."),
    SetupFailed => ("Die Einrichtung der TSS {id} ist fehlgeschlagen: {reason}", "The setup of TSS {id} failed: {reason}"),
    SetupInProgress => ("Wird gerade eingerichtet …", "Being set up …"),
    CannotSign => ("Kann nicht signieren: die TSS ist {state}.", "Cannot sign: the TSS is {state}."),
    CannotSignCertificateExpired => ("Kann nicht signieren: das Zertifikat der TSS ist abgelaufen.", "Cannot sign: the TSS's certificate has expired."),
    TssForNewClient => ("TSS für die neue Client-ID", "TSS for the new client ID"),
    DisabledSince => ("Außer Betrieb seit", "Disabled"),
    InactiveTss => ("Außer Betrieb, defekt oder gelöscht: {n} TSS", "Disabled, defective or deleted: {n} TSS"),
    SkipToContent => ("Zum Inhalt springen", "Skip to content"),
    CopyTssId => ("TSS-ID kopieren", "Copy TSS ID"),
    CopyClientId => ("Client-ID kopieren", "Copy client ID"),
    Details => ("Details", "Details"),
    Menu => ("Menü", "Menu"),
    ThisIsYou => ("Das sind Sie: Rolle und Entfernen ändert ein anderer Administrator. Nach einem neuen Passwort melden Sie sich neu an.", "This is you: another administrator changes your role or removes you. After a new password you log in again."),
}
