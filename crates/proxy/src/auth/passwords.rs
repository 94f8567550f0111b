//! Password hashing with argon2id (the crate's recommended parameters), and random passwords.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::distr::{Alphanumeric, SampleString};

/// Characters in a generated password.
const GENERATED_LENGTH: usize = 20;

/// The PHC string (algorithm, parameters, salt, hash) for `password`.
pub fn hash_password(password: &str) -> String {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).expect("16 bytes are a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password with its default parameters")
        .to_string()
}

/// Whether `password` matches the PHC string `hash` (a malformed hash matches nothing).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A new random password of letters and digits.
pub fn random_password() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), GENERATED_LENGTH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only_and_does_not_contain_it() {
        let hash = hash_password("korrekt-pferd-batterie");
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains("korrekt"));
        assert!(verify_password("korrekt-pferd-batterie", &hash));
        assert!(!verify_password("korrekt-pferd-batteri", &hash));
        assert!(!verify_password("korrekt-pferd-batterie", "not a hash"));
        assert_ne!(hash, hash_password("korrekt-pferd-batterie"), "salted");
    }

    #[test]
    fn generated_passwords_differ() {
        let one = random_password();
        assert_eq!(one.len(), GENERATED_LENGTH);
        assert_ne!(one, random_password());
    }
}
