//! Attachments: uploads judged by content, stored once by digest with a thumbnail, served only
//! to people who may see the parent record, with headers that keep files inert.

use std::path::{Path, PathBuf};

use bosun_app::fleet::vessels::{CreateVessel, JoinRotation, VesselInput, check_vessel};
use bosun_domain::VesselId;
use bosun_domain::person::Role;
use reqwest::Method;
use serde_json::Value;

use crate::harness::{Fixture, Session, TestApp, assert_problem};
use crate::records::{Records, png, records_on, spooled_files, status_before_the_body, upload};

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() { stack.push(p) } else { out.push(p) }
        }
    }
    out.sort();
    out
}

fn vessel_input(name: &str) -> CreateVessel {
    let fields = check_vessel(&VesselInput {
        kind: "vessel".into(),
        name: name.into(),
        vessel_type: None,
        imo: None,
        specs: None,
    });
    CreateVessel { id: None, fields: fields.expect("valid vessel fields") }
}

/// Acme with two vessels, records on the first, and a crew member of the first only.
struct Yard {
    fixture: Fixture,
    vessel: VesselId,
    records: Records,
    other_records: Records,
    crew: Session,
    stranger: Session,
    viewer: Session,
}

async fn yard(app: &TestApp) -> Yard {
    let fixture = app.with_company("acme").await;
    let owner = app.owner_actor(&fixture);
    let vessel = app.app.mutate(&owner, vessel_input("Northern Star")).await.unwrap().id;
    let other = app.app.mutate(&owner, vessel_input("Southern Cross")).await.unwrap().id;
    let crew = app.person_in(&fixture.company, "crew@acme.example", Role::Crew).await;
    let stranger = app.person_in(&fixture.company, "stranger@acme.example", Role::Engineer).await;
    let viewer = app.person_in(&fixture.company, "viewer@acme.example", Role::Viewer).await;
    for (who, v) in [(&crew, vessel), (&viewer, vessel), (&stranger, other)] {
        let rotation = JoinRotation {
            vessel_id: VesselId(uuid::Uuid::nil()),
            user_id: Some(who.user_id),
            department_id: None,
            rotation_start: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            rotation_end: None,
        };
        app.app.mutate(&owner, JoinRotation { vessel_id: v, ..rotation }).await.unwrap();
    }
    let records = records_on(app, fixture.company.id, vessel, fixture.owner.user_id).await;
    let other_records = records_on(app, fixture.company.id, other, fixture.owner.user_id).await;
    Yard { fixture, vessel, records, other_records, crew, stranger, viewer }
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

async fn a_photo_is_stored_once_with_a_thumbnail_and_served_inert(app: TestApp) {
    let y = yard(&app).await;
    let photo = png(1000, 500);
    let res = upload(&app, &y.crew, "fault", y.records.fault, "Pump seal.png", photo.clone()).await;
    assert_eq!(res.status(), 201);
    let a: Value = res.json().await.unwrap();
    assert_eq!(a["kind"], "photo");
    assert_eq!(a["content_type"], "image/png");
    assert_eq!(a["file_name"], "Pump seal.png");
    assert_eq!(a["size_bytes"], photo.len());
    assert_eq!(a["has_thumbnail"], true);
    assert_eq!(a["vessel_id"], y.vessel.to_string());
    assert_eq!(a["uploaded_by"], y.crew.user_id.to_string());
    assert!(a["version"].as_i64().unwrap() > 0, "the row is in the change log: {a}");
    let id = a["id"].as_str().unwrap().to_owned();

    // The bytes come back as they went, with headers that keep them from acting as a page.
    let res = app.as_(&y.crew, Method::GET, &format!("/api/v1/attachments/{id}/content")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "image/png");
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert!(header(&res, "content-security-policy").contains("sandbox"), "{:?}", res.headers());
    assert!(header(&res, "content-security-policy").starts_with("default-src 'none'"));
    assert_eq!(
        header(&res, "content-disposition"),
        "inline; filename=\"Pump seal.png\"; filename*=UTF-8''Pump%20seal.png"
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), photo.as_slice());

    // The thumbnail is a JPEG of at most 320 pixels a side, aspect kept.
    let res = app.as_(&y.crew, Method::GET, &format!("/api/v1/attachments/{id}/thumbnail")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "image/jpeg");
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    let thumb = image::load_from_memory_with_format(&res.bytes().await.unwrap(), image::ImageFormat::Jpeg).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (320, 160));

    // The same bytes on another record: a second attachment, one stored file.
    let res = upload(&app, &y.fixture.owner, "equipment", y.records.equipment, "same.png", photo.clone()).await;
    assert_eq!(res.status(), 201);
    let b: Value = res.json().await.unwrap();
    assert_eq!(a["sha256"], b["sha256"]);
    assert_ne!(a["id"], b["id"]);
    let company_dir = app.data_dir.path().join("files").join(y.fixture.company.id.to_string());
    let sha = a["sha256"].as_str().unwrap();
    let stored = files_under(&company_dir);
    assert_eq!(
        stored,
        vec![company_dir.join(&sha[..2]).join(sha), company_dir.join(&sha[..2]).join(format!("{sha}.thumb"))],
        "one file and one thumbnail, named by digest"
    );

    // Each record lists its own.
    for (kind, parent, expected) in [("fault", y.records.fault, &a), ("equipment", y.records.equipment, &b)] {
        let res = app
            .as_(&y.viewer, Method::GET, &format!("/api/v1/attachments?parent_kind={kind}&parent_id={parent}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let list: Value = res.json().await.unwrap();
        assert_eq!(list["items"].as_array().unwrap(), &vec![expected.clone()]);
    }
    let meta: Value = app
        .as_(&y.viewer, Method::GET, &format!("/api/v1/attachments/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(meta, a);

    // Every upload is audited and in the vessel's change log.
    let audit: Value = app
        .as_(&y.fixture.owner, Method::GET, "/api/v1/audit?action=attachment.upload")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let audited: Vec<&str> =
        audit["items"].as_array().unwrap().iter().filter_map(|e| e["entity_id"].as_str()).collect();
    assert_eq!(audited.len(), 2, "{audit}");
    assert!(audited.contains(&id.as_str()));
    let mut tx = app.app.store.begin(Some(y.fixture.company.id)).await.unwrap();
    let changes = tx.changes_since(y.fixture.company.id, &format!("vessel:{}", y.vessel), 0, 500).await.unwrap();
    let logged: Vec<(i64, String)> =
        changes.iter().filter(|(_, c)| c.entity == "attachment").map(|(seq, c)| (*seq, c.row_id.to_string())).collect();
    assert_eq!(logged.len(), 2);
    assert!(logged.contains(&(a["version"].as_i64().unwrap(), id.clone())));
    assert_eq!(spooled_files(&app), Vec::<PathBuf>::new(), "no temporary file is left");
}

async fn documents_download_under_a_server_made_name_and_have_no_thumbnail(app: TestApp) {
    let y = yard(&app).await;
    // Text posing as a web page is stored and served as plain text, as a download.
    let page = b"<html><script>alert(document.cookie)</script></html>".to_vec();
    let res = upload(&app, &y.crew, "handover", y.records.handover, "notes.html", page.clone()).await;
    assert_eq!(res.status(), 201);
    let a: Value = res.json().await.unwrap();
    assert_eq!((a["kind"].as_str(), a["content_type"].as_str()), (Some("document"), Some("text/plain")));
    assert_eq!(a["has_thumbnail"], false);
    assert!(a["thumbnail_url"].is_null());
    let id = a["id"].as_str().unwrap();
    let res = app.as_(&y.crew, Method::GET, &format!("/api/v1/attachments/{id}/content")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "text/plain; charset=utf-8");
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert_eq!(header(&res, "content-disposition"), "attachment; filename=\"notes.txt\"; filename*=UTF-8''notes.txt");
    assert_eq!(res.bytes().await.unwrap().as_ref(), page.as_slice());
    let res = app.as_(&y.crew, Method::GET, &format!("/api/v1/attachments/{id}/thumbnail")).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;

    // A PDF, whatever the client claims it is.
    let res = app
        .as_(
            &y.crew,
            Method::POST,
            &format!("/api/v1/attachments?parent_kind=equipment&parent_id={}&file_name=manual", y.records.equipment),
        )
        .header("content-type", "image/png")
        .body(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let pdf: Value = res.json().await.unwrap();
    assert_eq!(pdf["content_type"], "application/pdf");
    let res = app
        .as_(&y.crew, Method::GET, &format!("/api/v1/attachments/{}/content", pdf["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&res, "content-type"), "application/pdf");
    assert_eq!(header(&res, "content-disposition"), "attachment; filename=\"manual.pdf\"; filename*=UTF-8''manual.pdf");
}

/// A PNG header declaring `width` × `height` pixels, with valid checksums and no pixels.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    out
}

async fn refused_uploads_store_nothing(app: TestApp) {
    let y = yard(&app).await;
    let fault = y.records.fault;
    // The type is judged by the content: an executable claiming to be a PNG is refused.
    let res = app
        .as_(&y.crew, Method::POST, &format!("/api/v1/attachments?parent_kind=fault&parent_id={fault}&file_name=x.png"))
        .header("content-type", "image/png")
        .body(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF".to_vec())
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported_file_type").await;
    // Binary data that is not text is no document either.
    let res = upload(&app, &y.crew, "fault", fault, "blob.txt", vec![0, 159, 146, 150]).await;
    assert_problem(res, 415, "unsupported_file_type").await;
    // A file over the cap answers 413 without being stored.
    let big = vec![b'a'; app.config.attachments.max_bytes + 1];
    let res = upload(&app, &y.crew, "fault", fault, "big.txt", big).await;
    assert_problem(res, 413, "file_too_large").await;
    // A small file declaring an enormous image is refused before it is decoded.
    let res = upload(&app, &y.crew, "fault", fault, "bomb.png", png_claiming(60_000, 60_000)).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "image_too_large", "{body}");
    // A truncated image cannot be read.
    let mut broken = png(50, 50);
    broken.truncate(60);
    let res = upload(&app, &y.crew, "fault", fault, "broken.png", broken).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "unreadable_image", "{body}");
    // Empty files, names with folders, unknown parent kinds.
    let res = upload(&app, &y.crew, "fault", fault, "empty.txt", Vec::new()).await;
    assert_eq!(assert_problem(res, 422, "validation_failed").await["errors"][0]["code"], "empty");
    let res = upload(&app, &y.crew, "fault", fault, "../../etc/passwd", b"root".to_vec()).await;
    assert_eq!(assert_problem(res, 422, "validation_failed").await["errors"][0]["code"], "not_a_file_name");
    let res = upload(&app, &y.crew, "vessel", y.vessel.0, "x.txt", b"hello".to_vec()).await;
    assert_eq!(assert_problem(res, 422, "validation_failed").await["errors"][0]["field"], "parent_kind");
    // A viewer may not upload (and the refusal is audited); nobody uploads to what they cannot see.
    let res = upload(&app, &y.viewer, "fault", fault, "x.txt", b"hello".to_vec()).await;
    assert_problem(res, 403, "forbidden").await;
    let res = upload(&app, &y.stranger, "fault", fault, "x.txt", b"hello".to_vec()).await;
    assert_problem(res, 404, "not_found").await;
    let res = upload(&app, &y.crew, "fault", uuid::Uuid::now_v7(), "x.txt", b"hello".to_vec()).await;
    assert_problem(res, 404, "not_found").await;
    let res = upload(&app, &y.crew, "equipment", y.records.fault, "x.txt", b"hello".to_vec()).await;
    assert_problem(res, 404, "not_found").await;

    assert!(files_under(&app.data_dir.path().join("files")).is_empty(), "nothing stored");
    assert_eq!(spooled_files(&app), Vec::<PathBuf>::new(), "no temporary file is left, whatever the refusal");
    let list: Value = app
        .as_(&y.crew, Method::GET, &format!("/api/v1/attachments?parent_kind=fault&parent_id={fault}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"], serde_json::json!([]));
    let audit: Value = app
        .as_(&y.fixture.owner, Method::GET, "/api/v1/audit?action=attachment.upload&outcome=failure")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let refused = audit["items"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{audit}");
    assert_eq!(refused[0]["actor_id"], y.viewer.user_id.to_string());

    // A client-made id is kept, and using it twice is a conflict.
    let id = uuid::Uuid::now_v7();
    let path = format!("/api/v1/attachments?parent_kind=fault&parent_id={fault}&file_name=a.txt&id={id}");
    let res = app.as_(&y.crew, Method::POST, &path).body("first").send().await.unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<Value>().await.unwrap()["id"], id.to_string());
    let res = app.as_(&y.crew, Method::POST, &path).body("second").send().await.unwrap();
    assert_problem(res, 409, "id_taken").await;
}

async fn attachments_are_served_only_to_people_who_may_see_the_parent(app: TestApp) {
    let y = yard(&app).await;
    let mut ids = Vec::new();
    for (kind, records) in [("fault", y.records), ("handover", y.records), ("equipment", y.other_records)] {
        let res = upload(&app, &y.fixture.owner, kind, records.of(kind), "p.png", png(40, 30)).await;
        assert_eq!(res.status(), 201);
        ids.push((kind, records, res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()));
    }
    for (kind, records, id) in &ids {
        let on_my_vessel = records.of(kind) != y.other_records.of(kind);
        let paths = [
            format!("/api/v1/attachments/{id}"),
            format!("/api/v1/attachments/{id}/content"),
            format!("/api/v1/attachments/{id}/thumbnail"),
            format!("/api/v1/attachments?parent_kind={kind}&parent_id={}", records.of(kind)),
        ];
        for path in &paths {
            for (who, sees) in [(&y.crew, on_my_vessel), (&y.viewer, on_my_vessel), (&y.stranger, !on_my_vessel)] {
                let res = app.as_(who, Method::GET, path).send().await.unwrap();
                if sees {
                    assert_eq!(res.status(), 200, "{} reads {path}", who.email);
                } else {
                    let body = assert_problem(res, 404, "not_found").await;
                    assert!(!body.to_string().contains("p.png"), "{body}");
                }
            }
            let res = app.as_(&y.fixture.owner, Method::GET, path).send().await.unwrap();
            assert_eq!(res.status(), 200, "the owner reads {path}");
            let res = app.request(Method::GET, path).send().await.unwrap();
            assert_problem(res, 401, "invalid_token").await;
        }
    }
}

async fn uploads_are_judged_before_their_body_is_read(app: TestApp) {
    let y = yard(&app).await;
    let (fault, limit) = (y.records.fault, app.config.attachments.max_bytes);
    let path =
        |parent: uuid::Uuid| format!("/api/v1/attachments?parent_kind=fault&parent_id={parent}&file_name=big.bin");
    let big = 30 * 1024 * 1024;
    // A viewer may not upload: told so at once, not after 30 MiB (nor told it is too large).
    assert_eq!(status_before_the_body(&app, &y.viewer, &path(fault), "application/octet-stream", big).await, 403);
    // A record on a vessel the caller cannot see, or none at all: not found, at once.
    assert_eq!(status_before_the_body(&app, &y.stranger, &path(fault), "application/octet-stream", big).await, 404);
    let nowhere = uuid::Uuid::now_v7();
    assert_eq!(status_before_the_body(&app, &y.crew, &path(nowhere), "application/octet-stream", big).await, 404);
    // A body announced over the limit is refused before it is read.
    let over = limit + 1;
    assert_eq!(status_before_the_body(&app, &y.crew, &path(fault), "application/octet-stream", over).await, 413);
    assert_eq!(spooled_files(&app), Vec::<PathBuf>::new());
    // The viewer's refusal is on the audit trail.
    let audit: Value = app
        .as_(&y.fixture.owner, Method::GET, "/api/v1/audit?action=attachment.upload&outcome=failure")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(audit["items"][0]["actor_id"], y.viewer.user_id.to_string(), "{audit}");
}

crate::on_both_backends!(
    uploads_are_judged_before_their_body_is_read,
    a_photo_is_stored_once_with_a_thumbnail_and_served_inert,
    documents_download_under_a_server_made_name_and_have_no_thumbnail,
    refused_uploads_store_nothing,
    attachments_are_served_only_to_people_who_may_see_the_parent,
);
