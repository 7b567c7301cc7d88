//! The web app, built by Vite into `web/dist` and embedded in the binary; unknown paths
//! outside `/api` fall back to `index.html` so client-side routes load.

use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
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
    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16]));
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut res = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut res = (StatusCode::OK, file.data.into_owned()).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime_for(name)));
        res
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control(name)));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    res
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
    use super::{cache_control, mime_for};

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
}
