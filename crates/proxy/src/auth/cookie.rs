//! The session cookie: `HttpOnly` (no script reads it), `SameSite=Strict` (no other site sends
//! it), `Secure` behind https; it lives as long as the browser session, the server ends it after
//! the idle timeout.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};

/// The cookie's name.
const NAME: &str = "tss_session";

/// Reading and writing the session cookie.
#[derive(Debug, Clone, Copy)]
pub struct SessionCookie {
    /// Whether to mark it `Secure`.
    pub secure: bool,
}

impl SessionCookie {
    /// The cookie settings for a request: `Secure` if configured or the request came over https.
    pub fn for_request(configured_secure: bool, headers: &HeaderMap) -> SessionCookie {
        let forwarded_https = headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
        SessionCookie {
            secure: configured_secure || forwarded_https,
        }
    }

    /// The session token the request carries, if any.
    pub fn token(headers: &HeaderMap) -> Option<String> {
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == NAME)
            .map(|(_, token)| token.to_owned())
            .filter(|token| !token.is_empty())
    }

    /// Adds the header that hands the browser `token`.
    pub fn set(self, headers: &mut HeaderMap, token: &str) {
        self.append(headers, &format!("{NAME}={token}"));
    }

    /// Adds the header that makes the browser forget the cookie.
    pub fn clear(self, headers: &mut HeaderMap) {
        self.append(headers, &format!("{NAME}=; Max-Age=0"));
    }

    fn append(self, headers: &mut HeaderMap, value: &str) {
        let secure = if self.secure { "; Secure" } else { "" };
        let cookie = format!("{value}; Path=/; HttpOnly; SameSite=Strict{secure}");
        headers.append(
            SET_COOKIE,
            HeaderValue::from_str(&cookie).expect("cookie values are URL-safe base64"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_behind_https() {
        let mut request = HeaderMap::new();
        request.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let mut answer = HeaderMap::new();
        SessionCookie::for_request(false, &request).set(&mut answer, "abc");
        let cookie = answer[SET_COOKIE].to_str().unwrap();
        assert_eq!(
            cookie,
            "tss_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure"
        );
        let mut plain = HeaderMap::new();
        SessionCookie::for_request(false, &HeaderMap::new()).set(&mut plain, "abc");
        assert!(!plain[SET_COOKIE].to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("theme=dark; tss_session=xyz; lang=de"),
        );
        assert_eq!(SessionCookie::token(&headers).as_deref(), Some("xyz"));
        assert_eq!(SessionCookie::token(&HeaderMap::new()), None);
    }
}
