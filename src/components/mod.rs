//! Widgets shared by several pages.

mod action_button;
mod api_action;
mod certificate_warning;
mod client_signing;
mod confirm_dialog;
mod copy_button;
pub mod error_text;
mod field_error;
mod form_panel;
pub mod format;
mod layout;
mod live_indicator;
mod loaded;
mod operation_progress;
mod page;
mod paging;
mod readiness_badge;
mod state_badge;
mod store_form;
mod terminal_form;
mod toast;

pub use action_button::ActionButton;
pub use api_action::{api_action, refusal_of};
pub use certificate_warning::CertificateWarning;
pub use client_signing::ClientSigning;
pub use confirm_dialog::ConfirmDialog;
pub use copy_button::CopyButton;
pub use field_error::FieldError;
pub use form_panel::FormPanel;
pub use layout::Layout;
pub use live_indicator::LiveIndicator;
pub use loaded::{
    list_or_message, load_failure, missing_or_error, no_such_id, not_loaded_reason, Loaded,
};
pub use operation_progress::{terminal_counts, OperationProgressBar};
pub use page::Page;
pub use paging::{Paging, PagingFooter};
pub use readiness_badge::ReadinessBadge;
pub use state_badge::{BadgeState, StateBadge};
pub use store_form::StoreForm;
pub use terminal_form::TerminalForm;
pub use toast::{use_toaster, Toaster, Toasts};
