//! Widgets shared by several pages.

mod layout;
mod page;
mod state_badge;

pub use layout::Layout;
pub use page::Page;
pub use state_badge::{BadgeState, StateBadge};
