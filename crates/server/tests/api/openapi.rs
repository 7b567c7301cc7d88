//! The OpenAPI document, pinned by a snapshot so every API change shows up in review.
//! After an intended change, run `scripts/update-openapi.sh` and commit the new snapshot.

#[test]
fn the_openapi_document_is_unchanged() {
    let doc = serde_json::to_value(bosun_http::openapi()).expect("the document serialises");
    insta::assert_json_snapshot!("openapi", doc);
}

/// Generated clients name one function per operation: ids must be unique.
#[test]
fn every_operation_has_its_own_id() {
    let doc = serde_json::to_value(bosun_http::openapi()).unwrap();
    let mut ids = Vec::new();
    for (_, item) in doc["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                ids.push(id.to_owned());
            }
        }
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "duplicate operation ids in {ids:?}");
}

/// The web app's typed client is generated from `web/src/api/openapi.json`; that copy must be
/// the document the server serves (regenerate with scripts/update-openapi.sh).
#[test]
fn the_web_apps_copy_of_the_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/src/api/openapi.json");
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("web/src/api/openapi.json exists")).unwrap();
    let served = serde_json::to_value(bosun_http::openapi()).unwrap();
    assert!(committed == served, "web/src/api/openapi.json is stale: run scripts/update-openapi.sh");
}
