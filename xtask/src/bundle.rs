//! The size of the release bundle a browser downloads, and its cap.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::shell::{root, Error};

/// The most the bundle (wasm + js + css) may weigh gzipped. The SPA issue's target is 180 KB
/// (leptos's hackernews example is 177 KB), out of reach for this feature set (see README); the
/// complete SPA, with its login, audit and users pages, measures 338 KB, so this cap holds the
/// line against unnoticed growth.
const GZIP_CAP_BYTES: usize = 345 * 1000;

/// Prints the raw and gzip size of each file of `dist/` a browser loads, and fails above the cap.
pub fn check_size() -> Result<(), Error> {
    println!("==> measuring the release bundle");
    let dist = root().join("dist");
    let entries = std::fs::read_dir(&dist).map_err(|e| format!("cannot read dist/: {e}"))?;
    let mut total_raw = 0;
    let mut total_gzip = 0;
    let mut total_brotli = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let kind = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !matches!(kind, "wasm" | "js" | "css") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let gzip = gzip_len(&bytes);
        let brotli = brotli_len(&bytes);
        println!(
            "    {kind:>4}: {:>8} B raw, {gzip:>8} B gzip, {brotli:>8} B brotli",
            bytes.len()
        );
        total_brotli += brotli;
        total_raw += bytes.len();
        total_gzip += gzip;
    }
    println!(
        "    total: {total_raw:>8} B raw, {total_gzip:>8} B gzip, {total_brotli:>8} B brotli (cap {GZIP_CAP_BYTES} B gzip)"
    );
    if total_gzip > GZIP_CAP_BYTES {
        return Err(format!(
            "the bundle is {total_gzip} B gzipped, above the cap of {GZIP_CAP_BYTES} B"
        ));
    }
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory").len()
}

fn brotli_len(bytes: &[u8]) -> usize {
    let mut compressed = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut compressed, &params).expect("writing to memory");
    compressed.len()
}
