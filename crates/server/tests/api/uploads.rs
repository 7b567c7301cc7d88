//! Resumable uploads (`docs/SYNC.md` "Attachments"): a file sent in chunks over a link that
//! drops, stored once whatever is repeated, checked as a direct upload is, and attached by a
//! pushed `attach_file.v1` with what the server found the file to be.

use bosun_app::files::ContentHash;
use bosun_domain::fault::FaultStatus;
use bosun_domain::person::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::{get, ok_json, seeded_fault, send};
use crate::harness::{Session, TestApp, assert_problem};
use crate::permissions::acme;
use crate::records::{png, upload};
use crate::sync::push;

const CHUNK: usize = 256 * 1024;

fn sha(bytes: &[u8]) -> String {
    ContentHash::of(bytes).to_string()
}

/// A UTF-8 text document of `n` bytes, different for each `seed`.
fn text(n: usize, seed: &str) -> Vec<u8> {
    let line = format!("Watch log {seed}: all pumps running, no alarms.\n");
    line.bytes().cycle().take(n).collect()
}

async fn begin(app: &TestApp, who: &Session, sha256: &str, size: usize, vessel: Uuid) -> reqwest::Response {
    send(app, who, Method::POST, "/api/v1/sync/uploads", json!({ "sha256": sha256, "size": size, "vessel_id": vessel }))
        .await
}

async fn chunk(app: &TestApp, who: &Session, sha256: &str, offset: usize, bytes: &[u8]) -> reqwest::Response {
    app.as_(who, Method::PATCH, &format!("/api/v1/sync/uploads/{sha256}"))
        .header("upload-offset", offset.to_string())
        .header("content-type", "application/octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .expect("a chunk request")
}

/// Sends every chunk of `bytes` from `from`, answering the last answer.
async fn send_all(app: &TestApp, who: &Session, sha256: &str, bytes: &[u8], from: usize) -> Value {
    let mut last = Value::Null;
    for start in (from..bytes.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(bytes.len());
        last = ok_json(chunk(app, who, sha256, start, &bytes[start..end]).await, 200).await;
    }
    last
}

async fn a_file_arrives_in_chunks_through_a_dropping_link_and_is_stored_once(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let doc = text(600_000, "one");
    let hash = sha(&doc);
    let started = ok_json(begin(&app, engineer, &hash, doc.len(), w.vessel).await, 200).await;
    assert_eq!((started["offset"].as_i64(), started["complete"].as_bool()), (Some(0), Some(false)));

    // The first chunk arrives; its answer is lost and the client sends it again: refused with
    // the offset the server holds, and stored once.
    ok_json(chunk(&app, engineer, &hash, 0, &doc[..CHUNK]).await, 200).await;
    let again = chunk(&app, engineer, &hash, 0, &doc[..CHUNK]).await;
    let problem = assert_problem(again, 409, "upload_offset_mismatch").await;
    assert!(problem["detail"].as_str().unwrap_or_default().contains(&CHUNK.to_string()), "{problem}");
    // The link drops; back later, the client asks where it stands and goes on from there.
    let state = get(&app, engineer, &format!("/api/v1/sync/uploads/{hash}")).await;
    assert_eq!(state["offset"].as_u64(), Some(CHUNK as u64));
    let done = send_all(&app, engineer, &hash, &doc, CHUNK).await;
    assert_eq!(done["complete"], true, "{done}");
    assert_eq!(
        (done["file"]["content_type"].as_str(), done["file"]["kind"].as_str()),
        (Some("text/plain"), Some("document"))
    );
    assert_eq!(done["file"]["size_bytes"].as_u64(), Some(doc.len() as u64));
    // A repeated last chunk whose answer was lost answers the same; beginning again sends nothing.
    let last = (doc.len() - 1) / CHUNK * CHUNK;
    assert_eq!(ok_json(chunk(&app, engineer, &hash, last, &doc[last..]).await, 200).await["complete"], true);
    let twice = ok_json(begin(&app, &w.fixture.owner, &hash, doc.len(), w.vessel).await, 200).await;
    assert_eq!((twice["offset"].as_u64(), twice["complete"].as_bool()), (Some(doc.len() as u64), Some(true)));

    // The pushed attach_file takes the file as the server found it, not as the client says.
    let fault = seeded_fault(&app, &w, FaultStatus::Open).await;
    let id = Uuid::now_v7();
    let args = json!({ "id": id, "parent_kind": "fault", "parent_id": fault, "file_name": "watch-log.txt",
        "file": { "sha256": hash, "size_bytes": 1, "content_type": "image/png", "kind": "photo", "has_thumbnail": false } });
    let pushed =
        push(&app, engineer, Uuid::now_v7(), json!([{ "id": 1, "name": "attach_file.v1", "args": args }])).await;
    assert_eq!(pushed["applied"], json!([1]), "{pushed}");
    let a = get(&app, engineer, &format!("/api/v1/attachments/{id}")).await;
    assert_eq!((a["content_type"].as_str(), a["kind"].as_str()), (Some("text/plain"), Some("document")), "{a}");
    assert_eq!(a["size_bytes"].as_u64(), Some(doc.len() as u64));
    let res =
        app.as_(engineer, Method::GET, &format!("/api/v1/attachments/{id}/content")).send().await.expect("request");
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), doc, "the bytes are the file's");
}

async fn bytes_that_do_not_match_their_hash_are_discarded(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let (meant, sent) = (text(300_000, "meant"), text(300_000, "sent"));
    let hash = sha(&meant);
    ok_json(begin(&app, engineer, &hash, meant.len(), w.vessel).await, 200).await;
    ok_json(chunk(&app, engineer, &hash, 0, &sent[..CHUNK]).await, 200).await;
    let last = chunk(&app, engineer, &hash, CHUNK, &sent[CHUNK..]).await;
    let problem = assert_problem(last, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "upload_hash_mismatch", "{problem}");
    let gone = app.as_(engineer, Method::GET, &format!("/api/v1/sync/uploads/{hash}")).send().await.expect("request");
    assert_problem(gone, 404, "not_found").await;
    // Begun again, it starts from nothing, and the right bytes complete it.
    let again = ok_json(begin(&app, engineer, &hash, meant.len(), w.vessel).await, 200).await;
    assert_eq!(again["offset"], 0);
    assert_eq!(send_all(&app, engineer, &hash, &meant, 0).await["complete"], true);
}

async fn uploads_are_refused_before_any_byte_to_whom_they_are_not_for(app: TestApp) {
    let w = acme(&app).await;
    let (engineer, viewer) = (&w.people[&Role::Engineer], &w.people[&Role::Viewer]);
    let doc = text(1_000, "small");
    let hash = sha(&doc);
    assert_problem(begin(&app, viewer, &hash, doc.len(), w.vessel).await, 403, "forbidden").await;
    assert_problem(begin(&app, engineer, &hash, doc.len(), w.other_vessel).await, 404, "not_found").await;
    let big =
        assert_problem(begin(&app, engineer, &hash, 21 * 1024 * 1024, w.vessel).await, 422, "validation_failed").await;
    assert_eq!(big["errors"][0]["code"], "out_of_range");
    let bad =
        assert_problem(begin(&app, engineer, "not-a-hash", doc.len(), w.vessel).await, 422, "validation_failed").await;
    assert_eq!(bad["errors"][0]["code"], "invalid_hash");
    ok_json(begin(&app, engineer, &hash, doc.len(), w.vessel).await, 200).await;
    assert_problem(begin(&app, engineer, &hash, doc.len() + 1, w.vessel).await, 409, "upload_size_mismatch").await;
    // A chunk: too large, without its offset, past the end, or by someone who may not upload.
    assert_problem(chunk(&app, engineer, &hash, 0, &vec![b'a'; CHUNK + 1]).await, 413, "chunk_too_large").await;
    let no_offset = app
        .as_(engineer, Method::PATCH, &format!("/api/v1/sync/uploads/{hash}"))
        .body(doc.clone())
        .send()
        .await
        .expect("request");
    assert_problem(no_offset, 422, "validation_failed").await;
    assert_problem(chunk(&app, engineer, &hash, 0, &text(1_001, "small")).await, 409, "upload_size_mismatch").await;
    assert_problem(chunk(&app, viewer, &hash, 0, &doc).await, 403, "forbidden").await;
    let other = app.person_in(&w.fixture.company, "ashore@acme.example", Role::Engineer).await;
    assert_problem(chunk(&app, &other, &hash, 0, &doc).await, 404, "not_found").await;
    assert_eq!(get(&app, engineer, &format!("/api/v1/sync/uploads/{hash}")).await["offset"], 0, "nothing was stored");
}

async fn a_file_the_company_has_needs_no_bytes_and_a_pushed_attach_needs_its_upload(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let fault = seeded_fault(&app, &w, FaultStatus::Open).await;
    let photo = png(40, 30);
    let hash = sha(&photo);
    // A pushed attach of bytes no upload brought is refused, arguments kept.
    let args = json!({ "parent_kind": "fault", "parent_id": fault, "file_name": "pump.png",
        "file": { "sha256": hash, "size_bytes": photo.len(), "content_type": "image/png", "kind": "photo", "has_thumbnail": true } });
    let refused =
        push(&app, engineer, Uuid::now_v7(), json!([{ "id": 1, "name": "attach_file.v1", "args": args.clone() }]))
            .await;
    assert_eq!(refused["rejected"][0]["code"], "validation_failed", "{refused}");
    // Uploaded directly, the same bytes need no chunk: the upload is complete when begun.
    let res = upload(&app, engineer, "fault", fault.0, "pump.png", photo.clone()).await;
    assert_eq!(res.status(), 201);
    let begun = ok_json(begin(&app, engineer, &hash, photo.len(), w.vessel).await, 200).await;
    assert_eq!((begun["complete"].as_bool(), begun["file"]["kind"].as_str()), (Some(true), Some("photo")), "{begun}");
    assert_eq!(begun["file"]["has_thumbnail"], true);
    let pushed =
        push(&app, engineer, Uuid::now_v7(), json!([{ "id": 1, "name": "attach_file.v1", "args": args }])).await;
    assert_eq!(pushed["applied"], json!([1]), "{pushed}");
}

async fn an_upload_left_unfinished_for_two_weeks_is_discarded_a_finished_one_is_kept(app: TestApp) {
    use bosun_app::maintenance::uploads::{UPLOAD_EXPIRY_DAYS, expire_uploads};
    use bosun_domain::Clock;
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let (left, done) = (text(2 * CHUNK, "left"), text(1_000, "done"));
    let (left_hash, done_hash) = (sha(&left), sha(&done));
    ok_json(begin(&app, engineer, &left_hash, left.len(), w.vessel).await, 200).await;
    ok_json(chunk(&app, engineer, &left_hash, 0, &left[..CHUNK]).await, 200).await;
    ok_json(begin(&app, engineer, &done_hash, done.len(), w.vessel).await, 200).await;
    assert_eq!(send_all(&app, engineer, &done_hash, &done, 0).await["complete"], true);
    let store = &*app.app.store;
    let horizon = app.clock.now() - chrono::Duration::days(UPLOAD_EXPIRY_DAYS);
    assert_eq!(expire_uploads(store, horizon).await.expect("expired"), 0, "nothing is old yet");

    // Two weeks and a day later (the job's cut-off moves with the clock; the sessions here
    // would not last that long, so the cut-off moves instead).
    let later = app.clock.now() + chrono::Duration::days(1);
    assert_eq!(expire_uploads(store, later).await.expect("expired"), 1);
    let gone = app.as_(engineer, Method::GET, &format!("/api/v1/sync/uploads/{left_hash}")).send().await;
    assert_problem(gone.expect("a request"), 404, "not_found").await;
    let kept = get(&app, engineer, &format!("/api/v1/sync/uploads/{done_hash}")).await;
    assert_eq!(kept["complete"], true, "{kept}");
    // The device begins again from the first byte.
    let again = ok_json(begin(&app, engineer, &left_hash, left.len(), w.vessel).await, 200).await;
    assert_eq!(again["offset"].as_u64(), Some(0));
}

crate::on_both_backends!(
    a_file_arrives_in_chunks_through_a_dropping_link_and_is_stored_once,
    bytes_that_do_not_match_their_hash_are_discarded,
    uploads_are_refused_before_any_byte_to_whom_they_are_not_for,
    a_file_the_company_has_needs_no_bytes_and_a_pushed_attach_needs_its_upload,
    an_upload_left_unfinished_for_two_weeks_is_discarded_a_finished_one_is_kept,
);
