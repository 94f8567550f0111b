//! Secrets at rest: every PUK, PIN and the fiskaly API secret is sealed with ChaCha20-Poly1305
//! before it reaches the database, under a key kept in a separate file (mode 0600), so a copy of
//! the database alone reveals none of them.
//!
//! Losing the key file loses every PUK. So the key file is created only for a database that holds
//! no sealed secret yet; a database with secrets and no key file refuses to open rather than
//! starting over with a new key.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

/// The prefix of a sealed value in the database.
const SEALED_PREFIX: &str = "sealed:v1:";
const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 12;

/// Why secrets cannot be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum SealingError {
    /// The key file could not be read or written.
    #[error("the secret key file {path} cannot be used: {reason}")]
    KeyFile {
        /// The key file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The database holds sealed secrets but the key file is missing.
    #[error(
        "the database holds sealed PUKs and PINs but the secret key file {0} is missing; restore it \
         from the backup made with the database (a new key would make every PUK unreadable)"
    )]
    KeyMissing(PathBuf),
    /// The key file is not the one the database's secrets were sealed with.
    #[error(
        "the secret key file {0} does not open the PUKs and PINs in this database: every replica \
         and every restart must use the key file the database was sealed with (it was not changed)"
    )]
    WrongKey(PathBuf),
    /// A stored value is not sealed with this key, or was altered.
    #[error(
        "a stored secret cannot be opened with this key (wrong key file, or the value was altered)"
    )]
    CannotOpen,
}

/// Seals and opens secrets with the database's key. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct Sealer {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<key>)")
    }
}

impl Sealer {
    /// Creates a new key file at `path` (which must not exist yet) and answers its sealer.
    pub fn create_new(path: &Path) -> Result<Sealer, SealingError> {
        if path.exists() {
            return Err(SealingError::KeyFile {
                path: path.to_owned(),
                reason: "it exists already; name a new file".into(),
            });
        }
        Sealer::load_or_create(path, true)
    }

    /// Reads the key at `path`; creates it (mode 0600) only when `may_create` (the database holds
    /// no sealed secret yet).
    pub fn load_or_create(path: &Path, may_create: bool) -> Result<Sealer, SealingError> {
        let key_file_error = |reason: String| SealingError::KeyFile {
            path: path.to_owned(),
            reason,
        };
        let encoded = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => {
                let key: [u8; KEY_BYTES] = rand::random();
                let encoded = BASE64.encode(key);
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)
                    .map_err(|e| key_file_error(e.to_string()))?;
                file.write_all(encoded.as_bytes())
                    .and_then(|_| file.sync_all())
                    .map_err(|e| key_file_error(e.to_string()))?;
                tracing::warn!(key_file = %path.display(), "created a new secret key file: back it up together with the database");
                encoded
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SealingError::KeyMissing(path.to_owned()))
            }
            Err(e) => return Err(key_file_error(e.to_string())),
        };
        let key = BASE64
            .decode(encoded.trim())
            .ok()
            .filter(|k| k.len() == KEY_BYTES)
            .ok_or_else(|| key_file_error("it does not hold a 32-byte base64 key".into()))?;
        Ok(Sealer {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
        })
    }

    /// Seals `secret`, bound to `context` (e.g. `puk:<tss_id>`): a sealed value moved to another
    /// row or field does not open.
    pub fn seal(&self, secret: &str, context: &str) -> String {
        let nonce: [u8; NONCE_BYTES] = rand::random();
        let payload = Payload {
            msg: secret.as_bytes(),
            aad: context.as_bytes(),
        };
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .expect("ChaCha20-Poly1305 seals any message that fits in memory");
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{SEALED_PREFIX}{}", BASE64.encode(bytes))
    }

    /// Opens a value sealed by [`Sealer::seal`] with the same `context`.
    pub fn open(&self, sealed: &str, context: &str) -> Result<String, SealingError> {
        let bytes = sealed
            .strip_prefix(SEALED_PREFIX)
            .and_then(|b| BASE64.decode(b).ok())
            .filter(|b| b.len() > NONCE_BYTES)
            .ok_or(SealingError::CannotOpen)?;
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let payload = Payload {
            msg: ciphertext,
            aad: context.as_bytes(),
        };
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| SealingError::CannotOpen)?;
        String::from_utf8(plain).map_err(|_| SealingError::CannotOpen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer(dir: &tempfile::TempDir) -> Sealer {
        Sealer::load_or_create(&dir.path().join("k.key"), true).unwrap()
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_context() {
        let dir = tempfile::tempdir().unwrap();
        let sealer = sealer(&dir);
        let sealed = sealer.seal("1234567890", "puk:a");
        assert!(!sealed.contains("1234567890"));
        assert_ne!(
            sealed,
            sealer.seal("1234567890", "puk:a"),
            "a fresh nonce every time"
        );
        assert_eq!(sealer.open(&sealed, "puk:a").unwrap(), "1234567890");
        assert!(
            sealer.open(&sealed, "puk:b").is_err(),
            "moved to another TSS"
        );
        let other = tempfile::tempdir().unwrap();
        assert!(
            super::Sealer::load_or_create(&other.path().join("k.key"), true)
                .unwrap()
                .open(&sealed, "puk:a")
                .is_err()
        );
        let reloaded = Sealer::load_or_create(&dir.path().join("k.key"), false).unwrap();
        assert_eq!(reloaded.open(&sealed, "puk:a").unwrap(), "1234567890");
    }

    #[test]
    fn the_key_file_is_private_and_never_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        sealer(&dir);
        let mode = std::fs::metadata(dir.path().join("k.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let missing = Sealer::load_or_create(&dir.path().join("gone.key"), false).unwrap_err();
        assert!(matches!(missing, SealingError::KeyMissing(_)));
    }
}
