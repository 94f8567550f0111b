//! Serving the built SPA: files from `dist/`, and `index.html` for every other path so that the
//! app's own router handles deep links such as `/stores/12` on reload.

use std::path::Path;

use tower_http::services::{ServeDir, ServeFile};

/// The static file service for `dist`, falling back to its `index.html` with status 200.
pub fn service(dist: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html")))
}
