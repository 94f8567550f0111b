//! Widgets shared by several pages.

mod action_button;
mod api_action;
mod confirm_dialog;
mod copy_button;
mod form_panel;
pub mod format;
mod layout;
mod loaded;
mod operation_progress;
mod page;
mod readiness_badge;
mod state_badge;
mod store_form;
mod terminal_form;
mod toast;

pub use action_button::ActionButton;
pub use api_action::api_action;
pub use confirm_dialog::ConfirmDialog;
pub use copy_button::CopyButton;
pub use form_panel::FormPanel;
pub use layout::Layout;
pub use loaded::{list_or_message, missing_or_error, no_such_id};
pub use operation_progress::OperationProgressBar;
pub use page::Page;
pub use readiness_badge::ReadinessBadge;
pub use state_badge::{BadgeState, StateBadge};
pub use store_form::StoreForm;
pub use terminal_form::TerminalForm;
pub use toast::{use_toaster, Toaster, Toasts};
