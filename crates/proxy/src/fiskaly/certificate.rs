//! Reads a TSS's `certificate` field: base64 of the X.509 certificate's DER bytes, or (as some
//! readings of the spec have it) base64 of its PEM text. What the console keeps is the serial and
//! `notAfter`; anything it cannot read is [`TssCertificate::Unreadable`], never an error.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use tss_model::TssCertificate;
use x509_parser::parse_x509_certificate;
use x509_parser::pem::parse_x509_pem;

/// The certificate in fiskaly's `certificate` field; `Unknown` when the field is absent or empty.
pub fn read_certificate(field: Option<&str>) -> TssCertificate {
    let text: String = field
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if text.is_empty() {
        return TssCertificate::Unknown;
    }
    let Ok(bytes) = BASE64.decode(text) else {
        return TssCertificate::Unreadable;
    };
    let der = if bytes.starts_with(b"-----BEGIN") {
        match parse_x509_pem(&bytes) {
            Ok((_, pem)) => pem.contents,
            Err(_) => return TssCertificate::Unreadable,
        }
    } else {
        bytes
    };
    match parse_x509_certificate(&der) {
        Ok((_, certificate)) => TssCertificate::Read {
            serial: certificate.raw_serial_as_string().replace(':', ""),
            not_after: certificate.validity().not_after.timestamp(),
        },
        Err(_) => TssCertificate::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A certificate valid until `not_after`, base64 of its DER bytes, as fiskaly answers it.
    fn certificate_until(not_after: i64) -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::default();
        params.not_after = time::OffsetDateTime::from_unix_timestamp(not_after).unwrap();
        params.serial_number = Some(vec![0x1f, 0xa0, 0x07].into());
        BASE64.encode(params.self_signed(&key).unwrap().der())
    }

    #[test]
    fn a_certificate_is_read_from_base64_of_der_or_of_pem() {
        let not_after = 1_900_000_000;
        let der_base64 = certificate_until(not_after);
        assert_eq!(
            read_certificate(Some(&der_base64)),
            TssCertificate::Read {
                serial: "1fa007".into(),
                not_after
            }
        );

        let der = BASE64.decode(&der_base64).unwrap();
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            BASE64.encode(der)
        );
        let wrapped = format!("{}\n", BASE64.encode(pem));
        assert_eq!(
            read_certificate(Some(&wrapped)),
            read_certificate(Some(&der_base64))
        );
    }

    #[test]
    fn anything_else_is_unreadable_or_unknown() {
        assert_eq!(read_certificate(None), TssCertificate::Unknown);
        assert_eq!(read_certificate(Some(" ")), TssCertificate::Unknown);
        assert_eq!(
            read_certificate(Some("not base64!")),
            TssCertificate::Unreadable
        );
        let random = BASE64.encode([7u8; 640]);
        assert_eq!(read_certificate(Some(&random)), TssCertificate::Unreadable);
        let broken_pem = BASE64.encode("-----BEGIN CERTIFICATE-----\nAAAA");
        assert_eq!(
            read_certificate(Some(&broken_pem)),
            TssCertificate::Unreadable
        );
    }
}
