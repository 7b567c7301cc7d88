//! Resumable uploads (`docs/SYNC.md` "Attachments"): a file sent in chunks over a link that
//! drops, stored once whatever is repeated, checked as a direct upload is, and attached by a
//! pushed `attach_file.v1` with what the server found the file to be; a photo sent thumbnail
//! first, attached pending and completed by its full upload.

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

/// Pulls every page from `cookie` on, answering the changes received and the last cookie.
async fn pull_from(app: &TestApp, who: &Session, client: Uuid, cookie: Value) -> (Vec<Value>, Value) {
    let mut cookie = cookie;
    let mut got = Vec::new();
    for _ in 0..100 {
        let body = json!({ "client_id": client, "cookie": cookie, "max_bytes": 262_144 });
        let answer = ok_json(send(app, who, Method::POST, "/api/v1/sync/pull", body).await, 200).await;
        for changes in answer["changes"].as_object().expect("changes by scope").values() {
            got.extend(changes.as_array().expect("a scope's changes").iter().cloned());
        }
        cookie = answer["cookie"].clone();
        if answer["more"] == json!(false) {
            return (got, cookie);
        }
    }
    panic!("the pulls never ended");
}

/// The attach a device pushes for a photo, naming `preview` when it has one.
fn attach_args(id: Uuid, fault: Uuid, main: &str, size: usize, preview: Option<&str>) -> Value {
    let mut args = json!({ "id": id, "parent_kind": "fault", "parent_id": fault, "file_name": "pump.png",
        "file": { "sha256": main, "size_bytes": size, "content_type": "image/png", "kind": "photo", "has_thumbnail": true } });
    if let Some(p) = preview {
        args["preview"] = json!(p);
    }
    args
}

async fn a_photo_sent_thumbnail_first_shows_pending_then_completes_with_its_full_upload(app: TestApp) {
    let w = acme(&app).await;
    let (engineer, crew) = (&w.people[&Role::Engineer], &w.people[&Role::Crew]);
    let fault = seeded_fault(&app, &w, FaultStatus::Open).await;
    let (thumb, full) = (png(32, 24), png(300, 200));
    let (thumb_hash, full_hash) = (sha(&thumb), sha(&full));
    // The other device has pulled everything so far.
    let other = Uuid::now_v7();
    let (_, cookie) = pull_from(&app, crew, other, Value::Null).await;

    // The thumbnail first, whole; the full image only begun; then the attach naming both.
    ok_json(begin(&app, engineer, &thumb_hash, thumb.len(), w.vessel).await, 200).await;
    assert_eq!(send_all(&app, engineer, &thumb_hash, &thumb, 0).await["complete"], true);
    ok_json(begin(&app, engineer, &full_hash, full.len(), w.vessel).await, 200).await;
    let id = Uuid::now_v7();
    let args = attach_args(id, fault.0, &full_hash, 1, Some(&thumb_hash));
    let pushed =
        push(&app, engineer, Uuid::now_v7(), json!([{ "id": 1, "name": "attach_file.v1", "args": args }])).await;
    assert_eq!(pushed["applied"], json!([1]), "{pushed}");

    // The other device pulls a pending photo: its thumbnail is served, its content not yet.
    let (changes, cookie) = pull_from(&app, crew, other, cookie).await;
    let row =
        changes.iter().find(|c| c["entity"] == "attachment" && c["id"] == json!(id)).expect("the photo is pulled");
    assert_eq!(row["op"], "insert", "{row}");
    let fields = &row["fields"];
    assert_eq!(
        (fields["pending"].as_bool(), fields["preview_sha256"].as_str()),
        (Some(true), Some(thumb_hash.as_str()))
    );
    assert_eq!((fields["kind"].as_str(), fields["has_thumbnail"].as_bool()), (Some("photo"), Some(true)));
    assert_eq!(fields["size_bytes"].as_u64(), Some(full.len() as u64), "the upload's size, not the client's claim");
    let view = get(&app, crew, &format!("/api/v1/attachments/{id}")).await;
    assert_eq!(
        (view["pending"].as_bool(), view["content_type"].as_str()),
        (Some(true), Some("application/octet-stream"))
    );
    let shown =
        app.as_(crew, Method::GET, &format!("/api/v1/attachments/{id}/thumbnail")).send().await.expect("request");
    assert_eq!(shown.status(), 200);
    assert_eq!(shown.headers()["content-type"], "image/jpeg");
    let content = app.as_(crew, Method::GET, &format!("/api/v1/attachments/{id}/content")).send().await;
    let problem = assert_problem(content.expect("request"), 409, "file_pending").await;
    assert!(problem["detail"].as_str().unwrap_or_default().contains("not arrived"), "{problem}");

    // The full image arrives: the row turns complete in the same transaction, is audited and
    // told live, and the other device's next pull gets the update.
    let mut heard = app.app.events.subscribe();
    assert_eq!(send_all(&app, engineer, &full_hash, &full, 0).await["complete"], true);
    let event = loop {
        let e = tokio::time::timeout(std::time::Duration::from_secs(30), heard.recv())
            .await
            .expect("an event within the bound of a failure")
            .expect("the hub is open");
        if e.kind == "attachment.completed" {
            break e;
        }
    };
    assert_eq!((event.entity_id, event.vessel_id.map(|v| v.0)), (id, Some(w.vessel)));
    let (changes, _) = pull_from(&app, crew, other, cookie).await;
    let update = changes.iter().find(|c| c["entity"] == "attachment" && c["id"] == json!(id)).expect("the update");
    assert_eq!(update["op"], "update", "{update}");
    assert_eq!(update["fields"]["pending"], false);
    assert_eq!(update["fields"]["content_type"], "image/png");
    let view = get(&app, crew, &format!("/api/v1/attachments/{id}")).await;
    assert_eq!((view["pending"].as_bool(), view["content_type"].as_str()), (Some(false), Some("image/png")));
    assert_eq!(view["version"], update["seq"], "{view} {update}");
    let content = app.as_(crew, Method::GET, &format!("/api/v1/attachments/{id}/content")).send().await;
    assert_eq!(content.expect("request").bytes().await.expect("bytes").to_vec(), full);
    let thumb_now = app.as_(crew, Method::GET, &format!("/api/v1/attachments/{id}/thumbnail")).send().await;
    assert_eq!(thumb_now.expect("request").status(), 200, "the full image's own thumbnail");
    let audit = get(&app, &w.fixture.owner, "/api/v1/audit?action=attachment.complete").await;
    let entries = audit["items"].as_array().expect("items");
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["entity_id"], json!(id));
}

async fn a_pending_photo_stays_pending_when_its_full_bytes_do_not_match(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let fault = seeded_fault(&app, &w, FaultStatus::Open).await;
    let (thumb, full) = (png(32, 24), png(300, 200));
    let (thumb_hash, full_hash) = (sha(&thumb), sha(&full));
    ok_json(begin(&app, engineer, &thumb_hash, thumb.len(), w.vessel).await, 200).await;
    send_all(&app, engineer, &thumb_hash, &thumb, 0).await;
    ok_json(begin(&app, engineer, &full_hash, full.len(), w.vessel).await, 200).await;
    let id = Uuid::now_v7();
    let args = attach_args(id, fault.0, &full_hash, full.len(), Some(&thumb_hash));
    let pushed =
        push(&app, engineer, Uuid::now_v7(), json!([{ "id": 1, "name": "attach_file.v1", "args": args }])).await;
    assert_eq!(pushed["applied"], json!([1]), "{pushed}");
    // Other bytes of the same length: the upload is discarded, the photo stays pending with
    // its preview, and an upload begun again completes it.
    let mut wrong = full.clone();
    let last = wrong.len() - 20;
    wrong[last] ^= 0xFF;
    let refused = chunk(&app, engineer, &full_hash, 0, &wrong).await;
    assert_problem(refused, 422, "validation_failed").await;
    let view = get(&app, engineer, &format!("/api/v1/attachments/{id}")).await;
    assert_eq!(view["pending"], true, "{view}");
    let shown = app.as_(engineer, Method::GET, &format!("/api/v1/attachments/{id}/thumbnail")).send().await;
    assert_eq!(shown.expect("request").status(), 200);
    assert_eq!(ok_json(begin(&app, engineer, &full_hash, full.len(), w.vessel).await, 200).await["offset"], 0);
    assert_eq!(send_all(&app, engineer, &full_hash, &full, 0).await["complete"], true);
    assert_eq!(get(&app, engineer, &format!("/api/v1/attachments/{id}")).await["pending"], false);
}

async fn an_attach_needs_a_completed_photo_as_preview_and_a_begun_main_upload(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let fault = seeded_fault(&app, &w, FaultStatus::Open).await;
    let (thumb, full, doc) = (png(32, 24), png(300, 200), text(2_000, "notes"));
    let (thumb_hash, full_hash, doc_hash) = (sha(&thumb), sha(&full), sha(&doc));
    // The full image not even begun: refused file_missing, as without a preview.
    ok_json(begin(&app, engineer, &thumb_hash, thumb.len(), w.vessel).await, 200).await;
    send_all(&app, engineer, &thumb_hash, &thumb, 0).await;
    let client = Uuid::now_v7();
    let attach = |n: i64, preview: &str| {
        json!([{ "id": n, "name": "attach_file.v1",
            "args": attach_args(Uuid::now_v7(), fault.0, &full_hash, full.len(), Some(preview)) }])
    };
    let refusal = |pushed: &Value| {
        assert_eq!(pushed["rejected"][0]["code"], "validation_failed", "{pushed}");
        pushed["rejected"][0]["detail"].as_str().unwrap_or_default().to_owned()
    };
    let pushed = push(&app, engineer, client, attach(1, &thumb_hash)).await;
    assert!(refusal(&pushed).contains("(file_missing)"), "{pushed}");
    // Begun, but the preview is only begun itself, or never uploaded, or no photo.
    ok_json(begin(&app, engineer, &full_hash, full.len(), w.vessel).await, 200).await;
    let other = png(16, 16);
    ok_json(begin(&app, engineer, &sha(&other), other.len(), w.vessel).await, 200).await;
    let pushed = push(&app, engineer, client, attach(2, &sha(&other))).await;
    assert!(refusal(&pushed).contains("preview: ") && refusal(&pushed).contains("(preview_missing)"), "{pushed}");
    let pushed = push(&app, engineer, client, attach(3, &sha(b"never sent"))).await;
    assert!(refusal(&pushed).contains("(preview_missing)"), "{pushed}");
    ok_json(begin(&app, engineer, &doc_hash, doc.len(), w.vessel).await, 200).await;
    send_all(&app, engineer, &doc_hash, &doc, 0).await;
    let pushed = push(&app, engineer, client, attach(4, &doc_hash)).await;
    assert!(refusal(&pushed).contains("(preview_not_a_photo)"), "{pushed}");
    let pushed = push(&app, engineer, client, attach(5, "not-a-hash")).await;
    assert!(refusal(&pushed).contains("(invalid_hash)"), "{pushed}");
    // Without a preview, a begun upload is no file yet.
    let args = attach_args(Uuid::now_v7(), fault.0, &full_hash, full.len(), None);
    let pushed = push(&app, engineer, client, json!([{ "id": 6, "name": "attach_file.v1", "args": args }])).await;
    assert!(refusal(&pushed).contains("(file_missing)"), "{pushed}");
    // With the completed thumbnail as preview, the attach is taken, pending.
    let pushed = push(&app, engineer, client, attach(7, &thumb_hash)).await;
    assert_eq!(pushed["applied"], json!([7]), "{pushed}");
}

crate::on_both_backends!(
    a_file_arrives_in_chunks_through_a_dropping_link_and_is_stored_once,
    bytes_that_do_not_match_their_hash_are_discarded,
    uploads_are_refused_before_any_byte_to_whom_they_are_not_for,
    a_file_the_company_has_needs_no_bytes_and_a_pushed_attach_needs_its_upload,
    an_upload_left_unfinished_for_two_weeks_is_discarded_a_finished_one_is_kept,
    a_photo_sent_thumbnail_first_shows_pending_then_completes_with_its_full_upload,
    a_pending_photo_stays_pending_when_its_full_bytes_do_not_match,
    an_attach_needs_a_completed_photo_as_preview_and_a_begun_main_upload,
);
