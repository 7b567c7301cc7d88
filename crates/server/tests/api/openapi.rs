//! The OpenAPI document, pinned by a snapshot so every API change shows up in review.
//! After an intended change, run `scripts/update-openapi.sh` and commit the new snapshot.

#[test]
fn the_openapi_document_is_unchanged() {
    let doc = serde_json::to_value(bosun_server::http::openapi()).expect("the document serialises");
    insta::assert_json_snapshot!("openapi", doc);
}
