//! Compression at the best levels, once at build time: the proxy serves the `.br` and `.gz` files
//! next to each asset by `Accept-Encoding`, so no request pays for compressing.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::shell::Error;

/// The kinds of file in `dist/` worth compressing.
const COMPRESSIBLE: [&str; 5] = ["wasm", "js", "css", "html", "svg"];

/// `bytes` gzipped at the best level.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// `bytes` in brotli at the best quality.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut compressed = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut compressed, &params).expect("writing to memory");
    compressed
}

/// Every file of `dist` whose extension is one of `kinds`, as (path, extension, content).
pub fn files_of(dist: &Path, kinds: &[&str]) -> Result<Vec<(PathBuf, String, Vec<u8>)>, Error> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot read dist/: {e}"))?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let kind = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_owned();
        if kinds.contains(&kind.as_str()) {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            files.push((path, kind, bytes));
        }
    }
    Ok(files)
}

/// Writes `NAME.br` and `NAME.gz` next to every compressible file of `dist`.
pub fn precompress(dist: &Path) -> Result<(), Error> {
    println!("==> precompressing dist/ (brotli 11, gzip 9)");
    for (path, kind, bytes) in files_of(dist, &COMPRESSIBLE)? {
        for (suffix, compressed) in [("br", brotli(&bytes)), ("gz", gzip(&bytes))] {
            let target = path.with_extension(format!("{kind}.{suffix}"));
            std::fs::write(&target, compressed)
                .map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}
