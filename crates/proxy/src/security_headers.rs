//! Headers on every answer that make the browser refuse what the console never does: scripts from
//! elsewhere, inline script other than Trunk's loader, being framed, sniffing content types.

use std::path::Path;

use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The headers, computed once from the built SPA.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    headers: Vec<(HeaderName, HeaderValue)>,
}

/// The `sha256-…` sources of every inline `<script>` in `html` (Trunk's module loader).
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(body_len) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            let body = &after[body_start..body_start + body_len];
            let digest = Sha256::digest(body.as_bytes());
            let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
            hashes.push(format!("'sha256-{encoded}'"));
        }
        rest = &after[body_start + body_len..];
    }
    hashes
}

impl SecurityHeaders {
    /// The headers for the SPA in `dist` (its `index.html` names the inline loader to allow).
    pub fn for_dist(dist: &Path) -> SecurityHeaders {
        let html = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
        let scripts = inline_script_hashes(&html).join(" ");
        let policy = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
        let header = |name: &'static str, value: &str| {
            (
                HeaderName::from_static(name),
                HeaderValue::from_str(value).expect("a header value"),
            )
        };
        SecurityHeaders {
            headers: vec![
                header("content-security-policy", &policy),
                header("x-content-type-options", "nosniff"),
                header("referrer-policy", "same-origin"),
                header("x-frame-options", "DENY"),
            ],
        }
    }

    /// Adds the headers to an answer.
    pub fn apply(&self, mut response: Response) -> Response {
        for (name, value) in &self.headers {
            response.headers_mut().insert(name.clone(), value.clone());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = r#"<script type="module">
import init from '/app.js';
</script><script src="/other.js"></script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"\nimport init from '/app.js';\n"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
    }
}
