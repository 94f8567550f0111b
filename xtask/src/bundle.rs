//! The size of the release bundle a browser downloads, and its cap.

use crate::compress::{brotli, files_of, gzip};
use crate::shell::{root, Error};

/// The most the bundle (wasm + js + css) may weigh gzipped: the measured size + 2 %, so that it
/// cannot grow unnoticed. The complete SPA measures ≈ 375,000 B: 364,163 B before the live
/// updates (one EventSource, the pages following it, the header's indicator: ≈ 10.7 KB), 340,218 B
/// before the screens that never show something false (see README).
const GZIP_CAP_BYTES: usize = 383 * 1000;

/// Prints the raw and gzip size of each file of `dist/` a browser loads, and fails above the cap.
pub fn check_size() -> Result<(), Error> {
    println!("==> measuring the release bundle");
    let dist = root().join("dist");
    let mut total_raw = 0;
    let mut total_gzip = 0;
    let mut total_brotli = 0;
    for (_, kind, bytes) in files_of(&dist, &["wasm", "js", "css"])? {
        let gzip_size = gzip(&bytes).len();
        let brotli_size = brotli(&bytes).len();
        println!(
            "    {kind:>4}: {:>8} B raw, {gzip_size:>8} B gzip, {brotli_size:>8} B brotli",
            bytes.len()
        );
        total_brotli += brotli_size;
        total_raw += bytes.len();
        total_gzip += gzip_size;
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
