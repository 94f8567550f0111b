//! The size of the release bundle a browser downloads, and its cap.

use crate::compress::{brotli, files_of, gzip};
use crate::shell::{root, Error};

/// The most the bundle (wasm + js + css) may weigh gzipped, built with the release nightly: the
/// measured size + 2 %, so that it cannot grow unnoticed (see README).
const GZIP_CAP_BYTES: usize = 478 * 1000;
/// The same for a machine that builds the release wasm with the stable toolchain: measured
/// 401,975 B before the Refresh of every TSS and the ERP import (which added 18,133 B with
/// the nightly; not measured with stable), 375,724 B before the fleet's paged lists and summary
/// bar, 364,163 B before the live updates, 340,218 B before the trust issue's screens.
const STABLE_GZIP_CAP_BYTES: usize = 506 * 1000;

/// Prints the raw and gzip size of each file of `dist/` a browser loads, and fails above the cap
/// (the nightly's, or the stable toolchain's when the release wasm was built `with_nightly` false).
pub fn check_size(with_nightly: bool) -> Result<(), Error> {
    let cap = if with_nightly {
        GZIP_CAP_BYTES
    } else {
        STABLE_GZIP_CAP_BYTES
    };
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
        "    total: {total_raw:>8} B raw, {total_gzip:>8} B gzip, {total_brotli:>8} B brotli (cap {cap} B gzip)"
    );
    if total_gzip > cap {
        return Err(format!(
            "the bundle is {total_gzip} B gzipped, above the cap of {cap} B"
        ));
    }
    Ok(())
}
