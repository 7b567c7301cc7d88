//! The web app, built by Vite into `web/dist` and embedded in the binary; unknown paths
//! outside `/api` fall back to `index.html` so client-side routes load.
//!
//! Text-like files (scripts, styles, HTML, JSON, SVG, WebAssembly) go gzipped to a browser that
//! takes gzip: on a satellite link the entry script is a third of its size. Each file is
//! compressed once, on its first request, at the best level, and kept: the set of files is fixed
//! when the binary is built, so what is kept is bounded by the app's own size.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{Arc, LazyLock, Mutex};

use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct Assets;

/// How long a browser may keep `name`: Vite's `assets/` carry a content hash in their names,
/// so they never change and are kept a year; everything else (`index.html`, the favicon, a
/// manifest or service worker) keeps its name across releases and is revalidated on each use
/// (its `ETag` makes that a 304 when unchanged).
fn cache_control(name: &str) -> &'static str {
    if name.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" }
}

pub(crate) async fn serve(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") {
        return crate::error::ApiError::not_found().into_response();
    }
    let (file, name) = match Assets::get(path).filter(|_| !path.is_empty()) {
        Some(f) => (f, path),
        None => match Assets::get("index.html") {
            Some(f) => (f, "index.html"),
            None => {
                return (
                    StatusCode::NOT_FOUND,
                    "The web app is not built into this binary (run npm run build in web/).",
                )
                    .into_response();
            }
        },
    };
    let hash = hex::encode(&file.metadata.sha256_hash()[..16]);
    let compressible = is_compressible(name);
    let gzipped = if compressible && accepts_gzip(&headers) { gzipped(name, &file.data) } else { None };
    // Each encoding is its own representation, with its own tag (RFC 9110 §8.8.3).
    let etag = if gzipped.is_some() { format!("\"{hash}-gz\"") } else { format!("\"{hash}\"") };
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').map(|t| t.trim().trim_start_matches("W/")).any(|t| t == etag || t == "*"));
    let mut res = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut res = match &gzipped {
            Some(bytes) => (StatusCode::OK, bytes.to_vec()).into_response(),
            None => (StatusCode::OK, file.data.into_owned()).into_response(),
        };
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime_for(name)));
        res
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control(name)));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    if compressible {
        // Caches between the browser and Bosun keep one copy per encoding asked for.
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if gzipped.is_some() && !unchanged {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    res
}

/// Files worth compressing: text and WebAssembly. Images and fonts are compressed already.
fn is_compressible(name: &str) -> bool {
    matches!(
        name.rsplit('.').next().unwrap_or_default(),
        "html" | "js" | "mjs" | "css" | "json" | "webmanifest" | "svg" | "wasm" | "txt" | "ico"
    )
}

/// Whether the request's `Accept-Encoding` takes gzip: listed (or `*`) with a weight above 0.
/// `gzip;q=0` refuses it even when `*` is listed.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut gzip = None;
    let mut any = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match coding.as_str() {
                "gzip" | "x-gzip" => gzip = Some(weight > 0.0),
                "*" => any = Some(weight > 0.0),
                _ => {}
            }
        }
    }
    gzip.or(any).unwrap_or(false)
}

/// Files smaller than this go as they are: the gzip header would eat the gain.
const MIN_COMPRESS_BYTES: usize = 1024;

/// Gzipped copies by file name; `None` where gzip is not worth it.
type Kept = HashMap<String, Option<Arc<[u8]>>>;

/// The gzipped copy of the embedded file `name`, made on first use and kept; `None` when the
/// file is too small or gzip does not make it at least a tenth smaller.
fn gzipped(name: &str, data: &[u8]) -> Option<Arc<[u8]>> {
    static KEPT: LazyLock<Mutex<Kept>> = LazyLock::new(Default::default);
    if let Some(kept) = KEPT.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
        return kept.clone();
    }
    // Compressed outside the lock; two first requests at once both compress, and agree.
    let made = gzip(data);
    KEPT.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_owned(), made.clone());
    made
}

fn gzip(data: &[u8]) -> Option<Arc<[u8]>> {
    if data.len() < MIN_COMPRESS_BYTES {
        return None;
    }
    let mut encoder = GzEncoder::new(Vec::with_capacity(data.len() / 3), Compression::best());
    encoder.write_all(data).ok()?;
    let out = encoder.finish().ok()?;
    (out.len() * 10 <= data.len() * 9).then(|| Arc::from(out))
}

fn mime_for(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "webmanifest" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        // Browsers compile WebAssembly as it streams only when it comes as this type.
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use axum::http::{HeaderMap, HeaderValue, header};

    use super::{accepts_gzip, cache_control, gzip, is_compressible, mime_for};

    fn asking(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_scanner_s_webassembly_goes_as_application_wasm() {
        assert_eq!(mime_for("assets/zxing_reader-1a2b3c4d.wasm"), "application/wasm");
        assert_eq!(mime_for("assets/index-3f9a1c2b.js"), "text/javascript; charset=utf-8");
        assert_eq!(mime_for("manifest.webmanifest"), "application/json");
    }

    #[test]
    fn only_content_hashed_assets_are_immutable() {
        assert_eq!(cache_control("assets/index-3f9a1c2b.js"), "public, max-age=31536000, immutable");
        for name in ["index.html", "favicon.svg", "manifest.webmanifest", "sw.js", "icons/icon-192.png"] {
            assert_eq!(cache_control(name), "no-cache", "{name}");
        }
    }

    #[test]
    fn gzip_goes_only_where_the_browser_takes_it() {
        assert!(accepts_gzip(&asking(&["gzip, deflate, br, zstd"])));
        assert!(accepts_gzip(&asking(&["br;q=1.0, GZIP;q=0.5"])));
        assert!(accepts_gzip(&asking(&["*"])));
        assert!(accepts_gzip(&asking(&["br", "gzip"])), "a second header counts too");
        assert!(!accepts_gzip(&asking(&[])));
        assert!(!accepts_gzip(&asking(&["identity"])));
        assert!(!accepts_gzip(&asking(&["br, zstd"])));
        assert!(!accepts_gzip(&asking(&["gzip;q=0"])));
        assert!(!accepts_gzip(&asking(&["*, gzip;q=0.000"])), "gzip refused by name beats the wildcard");
        assert!(!accepts_gzip(&asking(&["*;q=0"])));
    }

    #[test]
    fn text_and_webassembly_are_compressed_images_are_not() {
        for name in ["index.html", "assets/index-1.js", "assets/index-1.css", "assets/zxing-1.wasm", "favicon.svg"] {
            assert!(is_compressible(name), "{name}");
        }
        for name in ["icons/icon-192.png", "assets/font-1.woff2", "photo.jpg"] {
            assert!(!is_compressible(name), "{name}");
        }
    }

    #[test]
    fn a_compressed_copy_unpacks_to_the_file_and_small_or_dense_files_stay_as_they_are() {
        let script = "export const greeting = 'hello, engine room';\n".repeat(200);
        let packed = gzip(script.as_bytes()).expect("repetitive text compresses");
        assert!(packed.len() * 4 < script.len());
        let mut unpacked = String::new();
        flate2::read::GzDecoder::new(&packed[..]).read_to_string(&mut unpacked).unwrap();
        assert_eq!(unpacked, script);

        assert!(gzip(b"tiny").is_none(), "below the size worth compressing");
        // Bytes that do not compress (xorshift noise) are sent as they are.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let dense: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect();
        assert!(gzip(&dense).is_none());
    }
}
