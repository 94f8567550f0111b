//! The TSS certificates the simulator issues: real X.509 certificates of each TSS's ECDSA P-256
//! key, signed by the simulator's own CA, valid for as long as the simulator is told (fiskaly
//! answers them base64-encoded DER in the TSS's `certificate` field).

use std::sync::OnceLock;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rcgen::{
    CertificateParams, DistinguishedName, DnType, Issuer, KeyPair, PublicKeyData,
    SignatureAlgorithm, PKCS_ECDSA_P256_SHA256,
};
use time::OffsetDateTime;
use uuid::Uuid;

/// How long a new TSS's certificate is valid unless the simulator is told otherwise: five years.
pub const DEFAULT_VALIDITY_SECONDS: i64 = 5 * 365 * 24 * 60 * 60;

/// A fresh signing key for a TSS; answers its public half as an uncompressed P-256 point (what
/// fiskaly's `public_key` holds). The private half is not kept: the simulator signs no
/// transactions.
pub fn new_public_key() -> Vec<u8> {
    KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)
        .expect("ring generates P-256 keys")
        .public_key_raw()
        .to_vec()
}

/// A certificate for TSS `tss_id` and its `public_key`, valid from `not_before` to `not_after`
/// (unix seconds), with a random serial; base64 of its DER bytes.
pub fn issue(tss_id: Uuid, public_key: &[u8], not_before: i64, not_after: i64) -> String {
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(
        DnType::CommonName,
        format!("fiskaly sign cloud-TSE {tss_id}"),
    );
    params.not_before = at(not_before);
    params.not_after = at(not_after.max(not_before));
    params.serial_number = Some(rand::random::<[u8; 16]>().to_vec().into());
    let subject = TssPublicKey(public_key);
    let certificate = params
        .signed_by(&subject, certificate_authority())
        .expect("the simulator's CA signs any P-256 key");
    BASE64.encode(certificate.der())
}

/// A TSS's public key as rcgen needs it to certify it.
struct TssPublicKey<'a>(&'a [u8]);

impl PublicKeyData for TssPublicKey<'_> {
    fn der_bytes(&self) -> &[u8] {
        self.0
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &PKCS_ECDSA_P256_SHA256
    }
}

/// The simulator's CA, made once per process.
fn certificate_authority() -> &'static Issuer<'static, KeyPair> {
    static AUTHORITY: OnceLock<Issuer<'static, KeyPair>> = OnceLock::new();
    AUTHORITY.get_or_init(|| {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("ring generates keys");
        let mut params = CertificateParams::default();
        params.distinguished_name = DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::CommonName, "fiskaly-sim TSS CA");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        Issuer::new(params, key)
    })
}

/// Unix seconds as rcgen's time; out-of-range values are clamped to what X.509 can hold.
fn at(unix_seconds: i64) -> OffsetDateTime {
    const YEAR_9999: i64 = 253_402_300_799;
    OffsetDateTime::from_unix_timestamp(unix_seconds.clamp(0, YEAR_9999))
        .expect("clamped into range")
}
