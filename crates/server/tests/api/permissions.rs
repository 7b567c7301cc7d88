//! The permission matrix: `docs/PERMISSIONS.md` against `Role::may`, its route table against
//! the OpenAPI document, and a walk of every route with every role that checks the server
//! answers as the tables say; the field table (fields shown only with an action, such as
//! prices and repair time) is read by every role too. A route, field or action added without a
//! documented permission (or without a request below that exercises it) fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use bosun_app::fleet::equipment::{CreateEquipment, EquipmentFields, RecordReading, check_fields};
use bosun_app::fleet::vessels::{AddDepartment, CreateVessel, JoinRotation, VesselInput, check_vessel};
use bosun_domain::fault::FaultStatus;
use bosun_domain::fields::{Field, FieldPolicy};
use bosun_domain::permissions::Action;
use bosun_domain::person::Role;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::harness::{Fixture, PASSWORD, Session, TestApp, assert_problem};
use crate::records::{Records, png, records_on, upload};
use crate::work_orders::{self, Stage};
use crate::{accounts, faults};

/// The HTTP verbs an OpenAPI path item may hold.
pub(crate) const VERBS: [&str; 8] = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/// One operation of the OpenAPI document.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    /// The verb.
    pub method: Method,
    /// The path template, `/api/v1/...` with `{name}` parameters.
    pub path: String,
    /// Path parameters whose schema is a UUID (ids).
    pub id_params: Vec<String>,
}

/// Every operation of `bosun_http::openapi()`.
pub(crate) fn api_routes() -> Vec<Route> {
    let doc = serde_json::to_value(bosun_http::openapi()).expect("the OpenAPI document serialises");
    let paths = doc["paths"].as_object().expect("the OpenAPI document has paths");
    let mut routes = Vec::new();
    for (path, item) in paths {
        let item = item.as_object().expect("a path item is an object");
        for (verb, op) in item.iter().filter(|(k, _)| VERBS.contains(&k.as_str())) {
            let id_params = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path" && p["schema"]["format"] == "uuid")
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect();
            let method = Method::from_bytes(verb.to_uppercase().as_bytes()).expect("an HTTP verb");
            routes.push(Route { method, path: path.clone(), id_params });
        }
    }
    assert!(!routes.is_empty(), "the OpenAPI document lists no routes");
    routes
}

/// The markdown tables of a document, each as rows of cells (header first, rule dropped,
/// backticks removed).
fn tables(md: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    let mut current: Vec<Vec<String>> = Vec::new();
    for line in md.lines().map(str::trim).chain(std::iter::once("")) {
        if let Some(inner) = line.strip_prefix('|') {
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            let cells: Vec<String> = inner.split('|').map(|c| c.trim().replace('`', "")).collect();
            let is_rule = cells.iter().all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')));
            if !is_rule {
                current.push(cells);
            }
        } else if !current.is_empty() {
            tables.push(std::mem::take(&mut current));
        }
    }
    tables
}

fn permissions_doc() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/PERMISSIONS.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} cannot be read: {e}", path.display()))
}

fn action_named(name: &str) -> Action {
    Action::ALL
        .into_iter()
        .find(|a| a.as_str() == name)
        .unwrap_or_else(|| panic!("docs/PERMISSIONS.md names an unknown action {name:?}"))
}

/// The first table of `docs/PERMISSIONS.md`: whether each role may each action, in the
/// document's row order.
fn documented_matrix() -> Vec<(Action, BTreeMap<Role, bool>)> {
    let tables = tables(&permissions_doc());
    let table = tables.first().expect("docs/PERMISSIONS.md has a role × action table");
    let header = &table[0];
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(header[0], "Action", "the matrix's first column names the action");
    assert_eq!(&header[1..], roles.as_slice(), "the matrix has one column per role, most powerful first");
    table[1..]
        .iter()
        .map(|row| {
            assert_eq!(row.len(), header.len(), "row {row:?} has {} cells, not {}", row.len(), header.len());
            let cells = Role::ALL
                .into_iter()
                .zip(&row[1..])
                .map(|(role, cell)| {
                    let allowed = match cell.as_str() {
                        "yes" => true,
                        "no" => false,
                        other => panic!("{}/{role}: cells are yes or no, not {other:?}", row[0]),
                    };
                    (role, allowed)
                })
                .collect();
            (action_named(&row[0]), cells)
        })
        .collect()
}

/// What a route needs, as the route table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Access {
    /// No sign-in.
    Public,
    /// A session, any role.
    SignedIn,
    /// A session whose role may this action.
    Action(&'static str),
}

impl Access {
    fn parse_cell(cell: &str) -> Vec<Self> {
        match cell {
            "public" => vec![Self::Public],
            "any signed-in" => vec![Self::SignedIn],
            actions => actions.split(',').map(|a| Self::Action(action_named(a.trim()).as_str())).collect(),
        }
    }
}

/// The second table of `docs/PERMISSIONS.md`: (METHOD, path) → what it needs.
fn documented_routes() -> BTreeMap<(String, String), Vec<Access>> {
    route_table(1, "a route table after the matrix")
}

/// The third table of `docs/PERMISSIONS.md`: the WebSocket routes, outside the OpenAPI document.
fn documented_socket_routes() -> BTreeMap<(String, String), Vec<Access>> {
    route_table(2, "a WebSocket route table after the route table")
}

fn route_table(index: usize, what: &str) -> BTreeMap<(String, String), Vec<Access>> {
    let tables = tables(&permissions_doc());
    let table = tables.get(index).unwrap_or_else(|| panic!("docs/PERMISSIONS.md has {what}"));
    let header = &table[0];
    let col = |name: &str| {
        header.iter().position(|h| h == name).unwrap_or_else(|| panic!("the route table has no {name} column"))
    };
    let (method, path, permission) = (col("Method"), col("Path"), col("Permission"));
    let mut routes = BTreeMap::new();
    for row in &table[1..] {
        let key = (row[method].to_uppercase(), row[path].clone());
        let access = Access::parse_cell(&row[permission]);
        assert!(routes.insert(key.clone(), access).is_none(), "the route table lists {key:?} twice");
    }
    routes
}

#[test]
fn the_documented_matrix_is_the_one_the_server_enforces() {
    let matrix = documented_matrix();
    let documented: Vec<&str> = matrix.iter().map(|(a, _)| a.as_str()).collect();
    let all: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
    assert_eq!(documented, all, "the matrix lists every action once, in Action::ALL order");
    let mut wrong = Vec::new();
    for (action, cells) in &matrix {
        for (role, allowed) in cells {
            if role.may(*action) != *allowed {
                wrong.push(format!("{}/{role}: documented {allowed}, enforced {}", action.as_str(), role.may(*action)));
            }
        }
    }
    assert!(wrong.is_empty(), "docs/PERMISSIONS.md disagrees with Role::may:\n{}", wrong.join("\n"));
}

#[test]
fn every_route_of_the_api_has_a_documented_permission() {
    let documented: BTreeSet<(String, String)> = documented_routes().into_keys().collect();
    let served: BTreeSet<(String, String)> =
        api_routes().into_iter().map(|r| (r.method.as_str().to_owned(), r.path)).collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty() && stale.is_empty(),
        "docs/PERMISSIONS.md's route table and the OpenAPI document differ:\n  \
         undocumented routes: {undocumented:?}\n  documented but not served: {stale:?}"
    );
}

/// The fourth table of `docs/PERMISSIONS.md`: fields shown only with an action.
fn documented_fields() -> Vec<(Vec<String>, Action)> {
    let tables = tables(&permissions_doc());
    let table = tables.get(3).expect("docs/PERMISSIONS.md has a field table after the WebSocket route table");
    let header = &table[0];
    assert_eq!(&header[..2], ["Field", "Permission"], "the field table names fields, then the action");
    table[1..]
        .iter()
        .map(|row| (row[0].split(',').map(|f| f.trim().to_owned()).collect(), action_named(&row[1])))
        .collect()
}

#[test]
fn the_field_table_is_the_field_policy() {
    let documented: BTreeSet<(String, &str)> = documented_fields()
        .into_iter()
        .flat_map(|(names, action)| names.into_iter().map(move |n| (n, action.as_str())))
        .collect();
    let policy: BTreeSet<(String, &str)> =
        Field::ALL.iter().map(|f| (f.name().to_owned(), f.permission().as_str())).collect();
    assert_eq!(documented, policy, "docs/PERMISSIONS.md's field table and bosun_domain::fields disagree");
}

/// Where in `body` a reader in `role` finds a field the policy withholds from them (object
/// keys named like a restricted field, at any depth), as JSON paths.
fn withheld_in(body: &Value, role: Role) -> Vec<String> {
    fn walk(v: &Value, path: &str, policy: FieldPolicy, found: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    let restricted = Field::ALL.iter().find(|f| f.name() == k || f.aliases().contains(&k.as_str()));
                    if restricted.is_some_and(|f| !policy.reads(*f)) {
                        found.push(format!("{path}.{k}"));
                    }
                    walk(v, &format!("{path}.{k}"), policy, found);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{path}[{i}]"), policy, found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(body, "$", FieldPolicy::of(role), &mut found);
    found
}

#[test]
fn every_action_is_needed_by_some_route_or_field() {
    let mut used: BTreeSet<Access> =
        documented_routes().into_values().chain(documented_socket_routes().into_values()).flatten().collect();
    used.extend(documented_fields().into_iter().map(|(_, a)| Access::Action(a.as_str())));
    let unused: Vec<&str> =
        Action::ALL.iter().map(|a| a.as_str()).filter(|a| !used.contains(&Access::Action(a))).collect();
    assert!(unused.is_empty(), "actions no route or field needs (the walks cannot check them): {unused:?}");
}

/// Company "acme" with one signed-in person per role, a vessel the vessel-scoped people are
/// members of, one nobody is a member of, and a crew member to act on.
pub(crate) struct Acme {
    pub fixture: Fixture,
    pub people: BTreeMap<Role, Session>,
    /// "Northern Star": every vessel-scoped person is on its rotation.
    pub vessel: Uuid,
    /// Its engine department.
    pub department: Uuid,
    /// "Southern Cross": nobody's rotation.
    pub other_vessel: Uuid,
    /// A deckhand the walk renames and assigns.
    pub deckhand: Session,
    /// An item, a fault and a handover on "Northern Star".
    pub records: Records,
    /// A photo attached to each of them, by parent kind.
    pub attachments: BTreeMap<&'static str, Uuid>,
    /// "Main engine 1", an item of equipment on "Northern Star".
    pub equipment: Uuid,
    /// Its QR code.
    pub equipment_code: String,
}

fn vessel_input(name: &str) -> CreateVessel {
    let fields = check_vessel(&VesselInput {
        kind: "vessel".into(),
        name: name.into(),
        vessel_type: Some("platform supply vessel".into()),
        imo: None,
        specs: None,
    });
    CreateVessel { id: None, fields: fields.expect("valid vessel fields") }
}

fn rotation(user: bosun_domain::UserId) -> JoinRotation {
    JoinRotation {
        vessel_id: bosun_domain::VesselId(uuid::Uuid::nil()),
        user_id: Some(user),
        department_id: None,
        rotation_start: chrono::NaiveDate::from_ymd_opt(2026, 1, 10).expect("a date"),
        rotation_end: None,
    }
}

/// The walk's company: [`acme_on`] with its maintenance records (and photos) on "Northern
/// Star", where every role has something to read.
pub(crate) async fn acme_with_records(app: &TestApp) -> Acme {
    acme_on(app, true).await
}

/// The company for feature tests: no maintenance records and no photos (its `records` name
/// nothing), so the tests see only what they make.
pub(crate) async fn acme(app: &TestApp) -> Acme {
    acme_on(app, false).await
}

async fn acme_on(app: &TestApp, records_on_main_vessel: bool) -> Acme {
    let fixture = app.with_company("acme").await;
    let owner = app.owner_actor(&fixture);
    let mut people = BTreeMap::from([(Role::Owner, fixture.owner.clone())]);
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Owner) {
        people.insert(role, app.person_in(&fixture.company, &format!("{role}@acme.example"), role).await);
    }
    let deckhand = app.person_in(&fixture.company, "deckhand@acme.example", Role::Crew).await;
    let a = &app.app;
    let vessel = a.mutate(&owner, vessel_input("Northern Star")).await.expect("vessel created").id;
    let other_vessel = a.mutate(&owner, vessel_input("Southern Cross")).await.expect("vessel created").id;
    let engine = AddDepartment { vessel_id: vessel, name: "engine".into() };
    let department = a.mutate(&owner, engine).await.expect("department added").id;
    for (role, s) in &people {
        if role.is_vessel_scoped() {
            let on_board = JoinRotation { vessel_id: vessel, ..rotation(s.user_id) };
            a.mutate(&owner, on_board).await.expect("rotation recorded");
        }
    }
    let records = if records_on_main_vessel {
        records_on(app, fixture.company.id, vessel, fixture.owner.user_id).await
    } else {
        // Ids of nothing: feature tests make the records they need.
        Records { equipment: Uuid::now_v7(), fault: Uuid::now_v7(), handover: Uuid::now_v7() }
    };
    let mut attachments = BTreeMap::new();
    for kind in ["equipment", "fault", "handover"].into_iter().filter(|_| records_on_main_vessel) {
        let res = upload(app, &fixture.owner, kind, records.of(kind), "acme-photo.png", png(16, 12)).await;
        assert_eq!(res.status(), 201, "a photo is attached to the {kind}");
        let id = res.json::<Value>().await.expect("an attachment")["id"].as_str().and_then(|s| s.parse().ok());
        attachments.insert(kind, id.expect("an attachment id"));
    }
    let engine = app.app.mutate(&owner, new_equipment(vessel, "Main engine 1")).await.expect("equipment registered");
    Acme {
        fixture,
        people,
        vessel: vessel.0,
        department: department.0,
        other_vessel: other_vessel.0,
        deckhand,
        records,
        attachments,
        equipment: engine.item.id.0,
        equipment_code: engine.item.qr_code,
    }
}

/// The kind of record whose read permission `action` is.
fn parent_read(action: &str) -> Option<&'static str> {
    match action {
        "equipment.read" => Some("equipment"),
        "fault.read" => Some("fault"),
        "handover.read" => Some("handover"),
        _ => None,
    }
}

/// An item of equipment to register on `vessel`.
pub(crate) fn new_equipment(vessel: bosun_domain::VesselId, name: &str) -> CreateEquipment {
    let fields = check_fields(&EquipmentFields {
        level: "equipment".into(),
        area: "engine_room".into(),
        name: name.into(),
        criticality: Some("critical".into()),
        ..EquipmentFields::default()
    });
    CreateEquipment { id: None, vessel_id: vessel, fields: fields.expect("valid fields") }
}

/// A fresh item on the walk's vessel, for requests that use one up (decommissioning).
async fn fresh_equipment(app: &TestApp, w: &Acme, name: &str) -> Uuid {
    let owner = app.owner_actor(&w.fixture);
    let e = app.app.mutate(&owner, new_equipment(bosun_domain::VesselId(w.vessel), name)).await;
    e.expect("equipment registered").item.id.0
}

fn fill(template: &str, id: impl std::fmt::Display) -> String {
    template.replace("{id}", &id.to_string())
}

/// A valid request for `method template` as the person of `role`, exercising `access`;
/// `None` when nobody has written one yet.
async fn valid_request(
    app: &TestApp,
    w: &Acme,
    role: Role,
    method: &Method,
    template: &str,
    access: Access,
) -> Option<RequestBuilder> {
    let me = &w.people[&role];
    let m = method.clone();
    let cookie = |s: &Session| format!("__Host-bosun_refresh={}", s.refresh);
    let rb = match (method.as_str(), template, access) {
        ("POST", "/api/v1/auth/login", Access::Public) => {
            app.request(m, template).json(&json!({ "email": me.email, "password": PASSWORD, "company": "acme" }))
        }
        ("POST", "/api/v1/auth/refresh", Access::SignedIn) => {
            let s = app.login(&me.email, Some("acme")).await;
            app.request(m, template).header("cookie", cookie(&s)).header("x-requested-with", "bosun")
        }
        ("POST", "/api/v1/auth/logout", Access::SignedIn) => {
            // A session of its own, so the walk's session lives on.
            let s = app.login(&me.email, Some("acme")).await;
            app.as_(&s, m, template).header("cookie", cookie(&s)).header("x-requested-with", "bosun")
        }
        ("GET", "/api/v1/me", Access::Action("me.read")) => app.as_(me, m, template),
        ("GET", "/api/v1/companies/{slug}", Access::Public) => app.as_(me, m, "/api/v1/companies/acme"),
        ("PUT", "/api/v1/companies/{id}/branding", Access::Action("company.branding.update")) => app
            .as_(me, m, &fill(template, w.fixture.company.id))
            .json(&json!({ "display_name": format!("Acme by {role}"), "logo_url": null, "primary_color": "#0a3d62" })),
        ("GET", "/api/v1/vessels", Access::Action("vessel.read")) => app.as_(me, m, template),
        ("POST", "/api/v1/vessels", Access::Action("vessel.create")) => {
            app.as_(me, m, template).json(&json!({ "kind": "vessel", "name": format!("Built by {role}") }))
        }
        ("GET", "/api/v1/vessels/{id}", Access::Action("vessel.read")) => app.as_(me, m, &fill(template, w.vessel)),
        ("GET", "/api/v1/vessels/{id}/members", Access::Action("user.list")) => {
            app.as_(me, m, &fill(template, w.vessel))
        }
        ("PUT", "/api/v1/vessels/{id}", Access::Action("vessel.update")) => {
            app.as_(me, m, &fill(template, w.vessel)).json(&json!({
                "kind": "vessel", "name": "Northern Star", "vessel_type": format!("refitted by {role}"),
            }))
        }
        ("POST", "/api/v1/vessels/{id}/departments", Access::Action("department.create")) => {
            app.as_(me, m, &fill(template, w.vessel)).json(&json!({ "name": format!("galley {role}") }))
        }
        ("POST", "/api/v1/vessels/{id}/join-rotation", Access::Action("rotation.join_self")) => {
            // A rotation that ends next month: they stay on the vessel for the rest of the walk.
            let end = (bosun_domain::Clock::now(&*app.clock).date_naive() + chrono::Duration::days(30)).to_string();
            app.as_(me, m, &fill(template, w.vessel))
                .json(&json!({ "department_id": w.department, "rotation_start": "2026-02-01", "rotation_end": end }))
        }
        ("POST", "/api/v1/vessels/{id}/join-rotation", Access::Action("rotation.assign")) => {
            app.as_(me, m, &fill(template, w.vessel)).json(&json!({
                "user_id": w.deckhand.user_id, "department_id": w.department, "rotation_start": "2026-02-01",
            }))
        }
        ("DELETE", "/api/v1/vessels/{id}/members/{userId}", Access::Action("rotation.assign")) => {
            let leaving = app.person_in(&w.fixture.company, &format!("leaving-{role}@acme.example"), Role::Crew).await;
            let owner = app.owner_actor(&w.fixture);
            let on_board = JoinRotation { vessel_id: bosun_domain::VesselId(w.vessel), ..rotation(leaving.user_id) };
            app.app.mutate(&owner, on_board).await.expect("rotation recorded");
            let path = fill(template, w.vessel).replace("{userId}", &leaving.user_id.to_string());
            app.as_(me, m, &path)
        }
        ("GET", "/api/v1/users", Access::Action("user.list")) => app.as_(me, m, template),
        ("GET", "/api/v1/invitations", Access::Action("user.list")) => app.as_(me, m, template),
        ("POST", "/api/v1/invitations", Access::Action("user.create")) => app.as_(me, m, template).json(&json!({
            "email": format!("hired-by-{role}@acme.example"), "name": format!("Hired by {role}"),
            "role": "crew", "specialisation": "deck",
        })),
        ("DELETE", "/api/v1/invitations/{id}", Access::Action("user.create")) => {
            let invited = format!("withdrawn-by-{role}@acme.example");
            let id = accounts::invitation_id(app, &w.fixture.owner, &invited).await;
            app.as_(me, m, &fill(template, id))
        }
        ("POST", "/api/v1/invitations/lookup", Access::Public) => {
            let token = app.invite(&w.fixture.owner, &format!("looked-up-{role}@acme.example"), Role::Crew).await;
            app.request(m, template).json(&json!({ "token": token }))
        }
        ("POST", "/api/v1/invitations/accept", Access::Public) => {
            let token = app.invite(&w.fixture.owner, &format!("accepted-{role}@acme.example"), Role::Crew).await;
            app.request(m, template).json(&json!({ "token": token, "password": PASSWORD }))
        }
        ("POST", "/api/v1/auth/password-reset", Access::Public) => {
            app.request(m, template).json(&json!({ "email": me.email }))
        }
        ("POST", "/api/v1/auth/password-reset/confirm", Access::Public) => {
            // A person of their own: a reset ends every session of the login.
            let email = format!("forgetful-{role}@acme.example");
            app.person_in(&w.fixture.company, &email, Role::Crew).await;
            let token = accounts::reset_token(app, &email).await;
            app.request(m, template).json(&json!({ "token": token, "password": "a new password" }))
        }
        ("PUT", "/api/v1/companies/{id}/security", Access::Action("company.security.update")) => {
            app.as_(me, m, &fill(template, w.fixture.company.id)).json(&json!({ "require_mfa": false }))
        }
        ("PUT", "/api/v1/companies/{id}/purchasing", Access::Action("company.purchasing.update")) => app
            .as_(me, m, &fill(template, w.fixture.company.id))
            .json(&json!({ "parts_markup_percent": 20, "negative_stock": "refuse" })),
        ("PUT", "/api/v1/me/password", Access::Action("me.update")) => {
            // The same password again: the walk signs this person in again later.
            app.as_(me, m, template).json(&json!({ "current_password": PASSWORD, "new_password": PASSWORD }))
        }
        ("GET", "/api/v1/me/sessions", Access::Action("me.update")) => app.as_(me, m, template),
        ("DELETE", "/api/v1/me/sessions/{id}", Access::Action("me.update")) => {
            let other = app.login(&me.email, Some("acme")).await;
            let id = accounts::session_id(app, &other).await;
            app.as_(me, m, &fill(template, id))
        }
        ("GET", "/api/v1/me/mfa", Access::Action("me.update")) => app.as_(me, m, template),
        // A push of nothing and a first pull: every signed-in principal may sync; what each
        // queued mutation may do is its mutator's own permission (tests/api/sync.rs).
        ("POST", "/api/v1/sync/push", Access::SignedIn) => app
            .as_(me, m, template)
            .json(&json!({ "client_id": uuid::Uuid::now_v7(), "schema_version": 1, "mutations": [] })),
        ("POST", "/api/v1/sync/pull", Access::SignedIn) => app.as_(me, m, template).json(&json!({})),
        ("GET", "/api/v1/sync/conflicts", Access::SignedIn) => app.as_(me, m, template),
        ("POST", "/api/v1/sync/uploads", Access::Action("attachment.upload")) => {
            let bytes = format!("Upload begun by {role}").into_bytes();
            let sha256 = bosun_app::files::ContentHash::of(&bytes).to_string();
            app.as_(me, m, template).json(&json!({ "sha256": sha256, "size": bytes.len(), "vessel_id": w.vessel }))
        }
        ("GET" | "PATCH", "/api/v1/sync/uploads/{sha256}", Access::Action("attachment.upload")) => {
            // The owner begins it; the role asks where it stands, or sends its one chunk.
            let bytes = format!("Upload of {role} by {m}").into_bytes();
            let sha256 = bosun_app::files::ContentHash::of(&bytes).to_string();
            let begun = app
                .as_(&w.fixture.owner, Method::POST, "/api/v1/sync/uploads")
                .json(&json!({ "sha256": sha256, "size": bytes.len(), "vessel_id": w.vessel }))
                .send()
                .await
                .expect("an upload begins");
            assert_eq!(begun.status(), 200);
            let req = app.as_(me, m.clone(), &template.replace("{sha256}", &sha256));
            if m == Method::PATCH { req.header("upload-offset", "0").body(bytes) } else { req }
        }
        ("POST", "/api/v1/sync/conflicts/{id}/resolve", Access::Action("fault.manage")) => app
            .as_(me, m, &fill(template, crate::conflicts::fault_conflict(app, w).await))
            .json(&json!({ "keep": "winner" })),
        ("POST", "/api/v1/me/mfa/totp", Access::Action("me.update")) => {
            // People of their own: a second factor changes how they sign in.
            let s = app.person_in(&w.fixture.company, &format!("enrolling-{role}@acme.example"), role).await;
            app.as_(&s, m, template)
        }
        ("POST", "/api/v1/me/mfa/totp/confirm", Access::Action("me.update")) => {
            let s = app.person_in(&w.fixture.company, &format!("confirming-{role}@acme.example"), role).await;
            let totp = accounts::begin_totp(app, &s).await;
            app.as_(&s, m, template).json(&json!({ "code": accounts::code_now(app, &totp) }))
        }
        ("DELETE", "/api/v1/me/mfa", Access::Action("me.update")) => {
            let (s, _, codes) =
                accounts::with_second_factor(app, &w.fixture, &format!("off-{role}@acme.example"), role).await;
            app.as_(&s, m, template).json(&json!({ "password": PASSWORD, "code": codes[0] }))
        }
        ("POST", "/api/v1/me/mfa/recovery-codes", Access::Action("me.update")) => {
            let (s, _, _) =
                accounts::with_second_factor(app, &w.fixture, &format!("renew-{role}@acme.example"), role).await;
            app.as_(&s, m, template).json(&json!({ "password": PASSWORD }))
        }
        ("GET", "/api/v1/api-keys", Access::Action("api_key.manage")) => app.as_(me, m, template),
        ("POST", "/api/v1/api-keys", Access::Action("api_key.manage")) => app
            .as_(me, m, template)
            .json(&json!({ "name": format!("Gateway of {role}"), "role": "viewer", "vessel_ids": [w.vessel] })),
        ("DELETE", "/api/v1/api-keys/{id}", Access::Action("api_key.manage")) => {
            let id = accounts::api_key_id(app, &w.fixture.owner, &format!("Retired by {role}"), w.vessel).await;
            app.as_(me, m, &fill(template, id))
        }
        ("PUT", "/api/v1/users/{id}", Access::Action("user.update")) => app
            .as_(me, m, &fill(template, w.deckhand.user_id))
            .json(&json!({ "name": format!("Renamed by {role}"), "specialisation": "hull" })),
        ("GET", "/api/v1/audit", Access::Action("audit.read")) => app.as_(me, m, template),
        ("POST", "/api/v1/attachments", Access::Action("attachment.upload")) => {
            let query = format!("?parent_kind=fault&parent_id={}&file_name=by-{role}.txt", w.records.fault);
            app.as_(me, m, &format!("{template}{query}")).body(format!("Noted by {role}"))
        }
        ("GET", "/api/v1/attachments", Access::Action(a)) if parent_read(a).is_some() => {
            let kind = parent_read(a).unwrap_or_default();
            app.as_(me, m, &format!("{template}?parent_kind={kind}&parent_id={}", w.records.of(kind)))
        }
        (
            "GET",
            "/api/v1/attachments/{id}" | "/api/v1/attachments/{id}/content" | "/api/v1/attachments/{id}/thumbnail",
            Access::Action(a),
        ) if parent_read(a).is_some() => {
            app.as_(me, m, &fill(template, w.attachments[parent_read(a).unwrap_or_default()]))
        }
        ("GET", "/api/v1/analytics/dashboard", Access::Action("analytics.read")) => {
            app.as_(me, m, &format!("{template}?vessel_id={}", w.vessel))
        }
        ("GET", "/api/v1/analytics/mttr", Access::Action("analytics.read")) => {
            app.as_(me, m, &format!("{template}?group=severity"))
        }
        ("GET", "/api/v1/analytics/costs", Access::Action("analytics.costs")) => app.as_(me, m, template),
        ("GET", "/api/v1/analytics/maintenance", Access::Action("analytics.read")) => {
            app.as_(me, m, &format!("{template}?vessel_id={}", w.vessel))
        }
        ("GET", "/api/v1/equipment/by-vessel/{vesselId}", Access::Action("equipment.read")) => {
            app.as_(me, m, &template.replace("{vesselId}", &w.vessel.to_string()))
        }
        ("POST", "/api/v1/equipment", Access::Action("equipment.write")) => app.as_(me, m, template).json(&json!({
            "vessel_id": w.vessel, "level": "system", "name": format!("Built by {role}"), "area": "deck",
        })),
        ("GET", "/api/v1/equipment/{id}", Access::Action("equipment.read"))
        | ("GET", "/api/v1/equipment/{id}/readings", Access::Action("equipment.read"))
        | ("GET", "/api/v1/equipment/{id}/qr.svg", Access::Action("equipment.read")) => {
            app.as_(me, m, &fill(template, w.equipment))
        }
        ("PUT", "/api/v1/equipment/{id}", Access::Action("equipment.write")) => {
            app.as_(me, m, &fill(template, w.equipment)).json(
                &json!({ "level": "equipment", "name": format!("Main engine 1 (by {role})"), "area": "engine_room" }),
            )
        }
        ("POST", "/api/v1/equipment/{id}/decommission", Access::Action("equipment.write")) => {
            let e = fresh_equipment(app, w, &format!("Retired by {role}")).await;
            app.as_(me, m, &fill(template, e))
        }
        ("POST", "/api/v1/equipment/{id}/readings", Access::Action("reading.record")) => {
            let e = fresh_equipment(app, w, &format!("Metered by {role}")).await;
            app.as_(me, m, &fill(template, e)).json(&json!({ "hours": 1234.5 }))
        }
        ("PUT" | "DELETE", "/api/v1/equipment/{id}/meter-link", Access::Action("equipment.write")) => {
            // A pump under a metered engine of its own.
            let owner = app.owner_actor(&w.fixture);
            let vessel = bosun_domain::VesselId(w.vessel);
            let engine = fresh_equipment(app, w, &format!("Engine of {role}")).await;
            let reading = RecordReading {
                equipment_id: bosun_domain::EquipmentId(engine), id: None, hours: 100.0, meter_replaced: false,
                read_at: None,
            };
            app.app.mutate(&owner, reading).await.expect("a reading");
            let fields = check_fields(&EquipmentFields {
                parent_id: Some(bosun_domain::EquipmentId(engine)),
                level: "component".into(),
                area: "engine_room".into(),
                name: format!("Pump of {role}"),
                ..EquipmentFields::default()
            });
            let pump = CreateEquipment { id: None, vessel_id: vessel, fields: fields.expect("valid fields") };
            let pump = app.app.mutate(&owner, pump).await.expect("a pump").item.id;
            if m == Method::DELETE {
                let link = bosun_app::fleet::equipment::meters::LinkMeter { equipment_id: pump };
                app.app.mutate(&owner, link).await.expect("linked");
            }
            app.as_(me, m, &fill(template, pump))
        }
        ("GET", "/api/v1/equipment/by-qr/{code}", Access::Action("equipment.read")) => {
            app.as_(me, m, &template.replace("{code}", &w.equipment_code))
        }
        ("GET", "/api/v1/vessels/{id}/qr-labels", Access::Action("equipment.read")) => {
            app.as_(me, m, &fill(template, w.vessel))
        }
        ("POST", "/api/v1/vessels/{id}/equipment/import", Access::Action("equipment.write")) => app
            .as_(me, m, &format!("{}?dry_run=false", fill(template, w.vessel)))
            .header("content-type", "text/csv")
            .body(format!("name,level,area\nImported by {role},system,deck\n")),
        ("POST", "/api/v1/faults", Access::Action("fault.report")) => {
            let pump = faults::equipment_on(app, w.fixture.company.id, w.vessel, "Walk pump").await;
            app.as_(me, m, template)
                .json(&json!({ "equipment_id": pump, "severity": "low", "title": format!("Reported by {role}") }))
        }
        ("GET", "/api/v1/faults/active", Access::Action("fault.read")) => app.as_(me, m, template),
        ("GET", "/api/v1/faults/{id}", Access::Action("fault.read")) => {
            app.as_(me, m, &fill(template, faults::seeded_fault(app, w, FaultStatus::Open).await))
        }
        ("POST", "/api/v1/faults/{id}/acknowledge", Access::Action("fault.manage")) => {
            app.as_(me, m, &fill(template, faults::seeded_fault(app, w, FaultStatus::Open).await))
        }
        ("POST", "/api/v1/faults/{id}/assign", Access::Action("fault.manage")) => app
            .as_(me, m, &fill(template, faults::seeded_fault(app, w, FaultStatus::Acknowledged).await))
            .json(&json!({ "assignee_id": w.people[&Role::Engineer].user_id })),
        ("POST", "/api/v1/faults/{id}/status", Access::Action("fault.manage")) => app
            .as_(me, m, &fill(template, faults::seeded_fault(app, w, FaultStatus::Acknowledged).await))
            .json(&json!({ "status": "in_progress" })),
        ("PUT", "/api/v1/faults/{id}/resolve", Access::Action("fault.manage")) => app
            .as_(me, m, &fill(template, faults::seeded_fault(app, w, FaultStatus::Acknowledged).await))
            .json(&json!({ "root_cause": "Worn bearing", "resolution": format!("Bearing renewed by {role}") })),
        ("POST", "/api/v1/faults/{id}/comments", Access::Action("fault.comment")) => app
            .as_(me, m, &fill(template, faults::seeded_fault(app, w, FaultStatus::Open).await))
            .json(&json!({ "body": format!("Seen by {role}") })),
        ("POST", "/api/v1/faults/{id}/order-parts", Access::Action("parts.request")) => app
            .as_(me, m, &fill(template, faults::seeded_fault(app, w, FaultStatus::Acknowledged).await))
            .json(&json!({
                "part_name": "Bearing", "quantity": 2, "supplier": "SKF", "supplier_unit_price_minor": 4_200,
                "currency": "EUR",
            })),
        ("POST", "/api/v1/parts-orders/{id}/status", Access::Action("parts.manage")) => {
            app.as_(me, m, &fill(template, faults::seeded_order(app, w).await)).json(&json!({ "status": "approved" }))
        }
        ("GET", "/api/v1/parts-orders", Access::Action("parts.read")) => app.as_(me, m, template),
        ("GET", "/api/v1/parts", Access::Action("stock.read")) => app.as_(me, m, template),
        ("POST", "/api/v1/parts", Access::Action("catalogue.write")) => app
            .as_(me, m, template)
            .json(&json!({ "number": format!("W-{}", Uuid::now_v7().simple()), "name": format!("Part of {role}"), "unit": "pcs" })),
        ("GET", "/api/v1/parts/{id}", Access::Action("stock.read")) => {
            app.as_(me, m, &fill(template, crate::stock::walk_place(app, w).await.1))
        }
        ("PUT", "/api/v1/parts/{id}", Access::Action("catalogue.write")) => {
            let (_, part) = crate::stock::walk_place(app, w).await;
            app.as_(me, m, &fill(template, part)).json(&json!({
                "number": format!("W-{}", Uuid::now_v7().simple()), "name": format!("Renamed by {role}"), "unit": "pcs",
            }))
        }
        ("GET", "/api/v1/vessels/{id}/stock-locations" | "/api/v1/vessels/{id}/stock" | "/api/v1/vessels/{id}/stock/entries", Access::Action("stock.read")) => {
            app.as_(me, m, &fill(template, w.vessel))
        }
        ("POST", "/api/v1/vessels/{id}/stock-locations", Access::Action("catalogue.write")) => {
            app.as_(me, m, &fill(template, w.vessel)).json(&json!({ "name": format!("Store {}", Uuid::now_v7().simple()) }))
        }
        ("PUT", "/api/v1/vessels/{id}/stock-rules/{part_id}", Access::Action("catalogue.write")) => {
            let (_, part) = crate::stock::walk_place(app, w).await;
            let path = fill(template, w.vessel).replace("{part_id}", &part.to_string());
            app.as_(me, m, &path).json(&json!({ "minimum_milli": 2000, "reorder_milli": 5000 }))
        }
        ("POST", "/api/v1/stock/receipts", Access::Action("stock.move")) => {
            let (location, part) = crate::stock::walk_place(app, w).await;
            app.as_(me, m, template).json(&json!({ "location_id": location, "part_id": part, "quantity_milli": 3000 }))
        }
        ("POST", "/api/v1/stock/transfers", Access::Action("stock.move")) => {
            let (from, part) = work_orders::walk_stock(app, w).await;
            let (to, _) = crate::stock::walk_place(app, w).await;
            app.as_(me, m, template).json(&json!({
                "id": Uuid::now_v7(), "from_location_id": from, "to_location_id": to, "part_id": part, "quantity_milli": 1000,
            }))
        }
        ("POST", "/api/v1/stock/transfers/{id}/receive", Access::Action("stock.move")) => {
            // To a store of the walk's vessel, which every role reaches.
            let (from, part) = work_orders::walk_stock(app, w).await;
            let (to, _) = crate::stock::walk_place(app, w).await;
            let id = Uuid::now_v7();
            let body = json!({ "id": id, "from_location_id": from, "to_location_id": to, "part_id": part, "quantity_milli": 1000 });
            let sent = app.as_(&w.fixture.owner, Method::POST, "/api/v1/stock/transfers").json(&body).send().await;
            assert_eq!(sent.expect("a transfer").status(), 201);
            app.as_(me, m, &fill(template, id)).json(&json!({ "quantity_milli": 1000 }))
        }
        ("GET", "/api/v1/vessels/{id}/stock/transfers" | "/api/v1/vessels/{id}/stock/export", Access::Action("stock.read")) => {
            app.as_(me, m, &fill(template, w.vessel))
        }
        ("GET", "/api/v1/parts/export", Access::Action("stock.read")) => app.as_(me, m, template),
        ("POST", "/api/v1/vessels/{id}/stock/import", Access::Action("stock.move")) => {
            let (location, part) = crate::stock::walk_place(app, w).await;
            let csv = crate::stock::count_of(app, w, location, part, "4").await;
            app.as_(me, m, &fill(template, w.vessel)).header("content-type", "text/csv").body(csv)
        }
        ("POST", "/api/v1/parts/import", Access::Action("catalogue.write")) => app
            .as_(me, m, template)
            .header("content-type", "text/csv")
            .body(format!("number,name,unit\nIMP-{},Imported by {role},pcs\n", Uuid::now_v7().simple())),
        ("POST", "/api/v1/stock/adjustments", Access::Action("stock.move")) => {
            let (location, part) = crate::stock::walk_place(app, w).await;
            app.as_(me, m, template).json(&json!({
                "location_id": location, "part_id": part, "direction": "add", "quantity_milli": 500,
                "reason": format!("Counted by {role}"),
            }))
        }
        ("GET", "/api/v1/work-orders", Access::Action("workorder.read")) => app.as_(me, m, template),
        ("POST", "/api/v1/work-orders", Access::Action("workorder.create")) => app
            .as_(me, m, template)
            .json(&json!({ "equipment_id": w.equipment, "title": format!("Job of {role}"), "priority": "normal" })),
        ("GET", "/api/v1/work-orders/{id}", Access::Action("workorder.read")) => {
            let (order, _) = work_orders::walk_order(app, w, me.user_id, Stage::Open, w.fixture.owner.user_id).await;
            app.as_(me, m, &fill(template, order))
        }
        ("PUT", "/api/v1/work-orders/{id}", Access::Action("workorder.manage")) => {
            let (order, _) = work_orders::walk_order(app, w, me.user_id, Stage::Open, w.fixture.owner.user_id).await;
            app.as_(me, m, &fill(template, order))
                .json(&json!({ "title": format!("Retitled by {role}"), "priority": "urgent", "due_on": "2026-05-01" }))
        }
        ("POST", "/api/v1/work-orders/{id}/start" | "/api/v1/work-orders/{id}/cancel", Access::Action(_)) => {
            let (order, _) = work_orders::walk_order(app, w, me.user_id, Stage::Open, w.fixture.owner.user_id).await;
            app.as_(me, m, &fill(template, order)).json(&json!({ "reason": format!("Not needed, says {role}") }))
        }
        ("POST", "/api/v1/work-orders/{id}/hold" | "/api/v1/work-orders/{id}/complete", Access::Action("workorder.execute")) => {
            let (order, _) = work_orders::walk_order(app, w, me.user_id, Stage::InProgress, w.fixture.owner.user_id).await;
            app.as_(me, m, &fill(template, order)).json(&json!({}))
        }
        ("POST", "/api/v1/work-orders/{id}/verify", Access::Action("workorder.verify")) => {
            // Completed by someone else than the verifier.
            let completer = if role == Role::Owner { w.people[&Role::Manager].user_id } else { w.fixture.owner.user_id };
            let (order, _) = work_orders::walk_order(app, w, me.user_id, Stage::Done, completer).await;
            app.as_(me, m, &fill(template, order))
        }
        ("POST", "/api/v1/work-orders/{id}/results", Access::Action("workorder.execute")) => {
            let (order, step) = work_orders::walk_order(app, w, me.user_id, Stage::InProgress, w.fixture.owner.user_id).await;
            app.as_(me, m, &fill(template, order)).json(&json!({
                "id": Uuid::now_v7(), "step_id": step, "answer": { "kind": "pass_fail", "passed": true },
            }))
        }
        ("POST", "/api/v1/work-orders/{id}/labour", Access::Action("workorder.execute")) => {
            let (order, _) = work_orders::walk_order(app, w, me.user_id, Stage::InProgress, w.fixture.owner.user_id).await;
            // Those who read supplier prices give a rate too, and read it back with its cost.
            let mut body = json!({ "id": Uuid::now_v7(), "worked_on": "2026-03-01", "minutes": 30 });
            if role.may(Action::PriceSupplierRead) {
                body["rate_minor"] = json!(9_000);
                body["currency"] = json!("EUR");
            }
            app.as_(me, m, &fill(template, order)).json(&body)
        }
        ("POST", "/api/v1/work-orders/{id}/parts", Access::Action("workorder.execute")) => {
            let (order, _) = work_orders::walk_order(app, w, me.user_id, Stage::InProgress, w.fixture.owner.user_id).await;
            let (location, part) = work_orders::walk_stock(app, w).await;
            app.as_(me, m, &fill(template, order))
                .json(&json!({ "location_id": location, "part_id": part, "quantity_milli": 1000 }))
        }
        ("GET", "/api/v1/procedures", Access::Action("workorder.read")) => app.as_(me, m, template),
        ("POST", "/api/v1/procedures", Access::Action("procedure.write")) => {
            app.as_(me, m, template).json(&json!({ "title": format!("Rounds of {role}") }))
        }
        ("GET", "/api/v1/procedures/{id}", Access::Action("workorder.read")) => {
            app.as_(me, m, &fill(template, work_orders::walk_procedure(app, w).await))
        }
        ("PUT", "/api/v1/procedures/{id}", Access::Action("procedure.write")) => app
            .as_(me, m, &fill(template, work_orders::walk_procedure(app, w).await))
            .json(&json!({ "title": format!("Rounds edited by {role}") })),
        ("GET", "/api/v1/maintenance-plans", Access::Action("workorder.read")) => {
            app.as_(me, m, &format!("{template}?vessel_id={}", w.vessel))
        }
        ("POST", "/api/v1/maintenance-plans", Access::Action("plan.write")) => {
            let today = bosun_domain::Clock::now(&*app.clock).date_naive();
            let mut body = crate::plans::monthly_plan(w, today);
            body["title"] = json!(format!("Plan of {role}"));
            app.as_(me, m, template).json(&body)
        }
        ("GET", "/api/v1/maintenance-plans/{id}", Access::Action("workorder.read")) => {
            app.as_(me, m, &fill(template, crate::plans::walk_plan(app, w).await))
        }
        ("PUT", "/api/v1/maintenance-plans/{id}", Access::Action("plan.write")) => {
            let today = bosun_domain::Clock::now(&*app.clock).date_naive();
            let mut body = crate::plans::monthly_plan(w, today);
            let fields = body.as_object_mut().expect("an object");
            fields.remove("id");
            fields.remove("equipment_id");
            fields.insert("title".into(), json!(format!("Edited by {role}")));
            app.as_(me, m, &fill(template, crate::plans::walk_plan(app, w).await)).json(&body)
        }
        ("POST", "/api/v1/maintenance-plans/{id}/postponements", Access::Action("plan.postpone")) => {
            let today = bosun_domain::Clock::now(&*app.clock).date_naive();
            let asker = if role == Role::Owner { w.people[&Role::Manager].user_id } else { w.fixture.owner.user_id };
            app.as_(me, m, &fill(template, crate::plans::walk_plan(app, w).await)).json(&json!({
                "occurrence": 0, "new_date": today + chrono::Duration::days(40),
                "reason": format!("Postponed by {role}"), "requested_by": asker,
            }))
        }
        ("GET", "/api/v1/suppliers" | "/api/v1/requisitions" | "/api/v1/purchase-orders", Access::Action("parts.read")) => {
            app.as_(me, m, template)
        }
        ("POST", "/api/v1/suppliers", Access::Action("catalogue.write")) => app
            .as_(me, m, template)
            .json(&json!({ "name": format!("Supplier of {role} {}", Uuid::now_v7().simple()), "currency": "EUR" })),
        ("GET", "/api/v1/suppliers/{id}", Access::Action("parts.read")) => {
            app.as_(me, m, &fill(template, crate::purchasing::walk_supplier(app, w).await))
        }
        ("PUT", "/api/v1/suppliers/{id}", Access::Action("catalogue.write")) => {
            let id = crate::purchasing::walk_supplier(app, w).await;
            app.as_(me, m, &fill(template, id))
                .json(&json!({ "name": format!("Renamed by {role} {}", Uuid::now_v7().simple()), "currency": "NOK" }))
        }
        ("POST", "/api/v1/requisitions", Access::Action("parts.request")) => {
            app.as_(me, m, template).json(&crate::purchasing::walk_requisition_body(w, &format!("Part for {role}")))
        }
        ("GET", "/api/v1/requisitions/{id}", Access::Action("parts.read")) => {
            let id = crate::purchasing::walk_requisition(app, w, &w.people[&Role::Engineer]).await;
            app.as_(me, m, &fill(template, id))
        }
        ("POST", "/api/v1/requisitions/{id}/approve" | "/api/v1/requisitions/{id}/reject", Access::Action("parts.manage")) => {
            // The engineer's: nobody decides their own.
            let id = crate::purchasing::walk_requisition(app, w, &w.people[&Role::Engineer]).await;
            app.as_(me, m, &fill(template, id)).json(&json!({ "comment": format!("Decided by {role}") }))
        }
        ("POST", "/api/v1/requisitions/{id}/cancel", Access::Action("parts.request")) => {
            // One's own; those who may not ask try the engineer's.
            let asker = if role.may(Action::PartsRequest) { me } else { &w.people[&Role::Engineer] };
            let id = crate::purchasing::walk_requisition(app, w, asker).await;
            app.as_(me, m, &fill(template, id))
        }
        ("POST", "/api/v1/purchase-orders", Access::Action("parts.manage")) => {
            let supplier = crate::purchasing::walk_supplier(app, w).await;
            app.as_(me, m, template).json(&json!({
                "id": Uuid::now_v7(), "vessel_id": w.vessel, "supplier_id": supplier,
                "lines": [{ "id": Uuid::now_v7(), "part_name": format!("Ordered by {role}"), "quantity_milli": 1000,
                            "supplier_unit_price_minor": 500 }],
            }))
        }
        ("GET", "/api/v1/purchase-orders/{id}" | "/api/v1/purchase-orders/{id}/pdf", _) => {
            let (id, _) = crate::purchasing::walk_order(app, w).await;
            app.as_(me, m, &fill(template, id))
        }
        ("POST", "/api/v1/purchase-orders/{id}/status", Access::Action("parts.manage")) => {
            let (id, _) = crate::purchasing::walk_order(app, w).await;
            app.as_(me, m, &fill(template, id)).json(&json!({ "status": "sent" }))
        }
        ("POST", "/api/v1/purchase-orders/{id}/receipts", Access::Action("stock.move")) => {
            let (id, line) = crate::purchasing::walk_order(app, w).await;
            let sent = app.as_(&w.fixture.owner, Method::POST, &format!("/api/v1/purchase-orders/{id}/status"));
            assert_eq!(sent.json(&json!({ "status": "sent" })).send().await.expect("sent").status(), 200);
            app.as_(me, m, &fill(template, id)).json(&json!({
                "id": Uuid::now_v7(), "lines": [{ "line_id": line, "quantity_milli": 1000 }],
            }))
        }
        ("GET", "/api/v1/assignments" | "/api/v1/daily-reports", Access::Action("equipment.read")) => {
            app.as_(me, m, template)
        }
        ("POST", "/api/v1/assignments", Access::Action("assignment.manage")) => {
            let item = fresh_equipment(app, w, &format!("Plant of {role}")).await;
            let start = bosun_domain::Clock::now(&*app.clock).date_naive().and_hms_opt(0, 0, 0).expect("midnight").and_utc();
            app.as_(me, m, template).json(&json!({
                "equipment_id": item, "operator_id": w.people[&Role::Crew].user_id, "starts_at": start,
                "ends_at": start + chrono::Duration::days(1),
            }))
        }
        ("GET", "/api/v1/assignments/{id}", Access::Action("equipment.read")) => {
            let (_, id) = crate::assignments::walk_assignment(app, w, &w.people[&Role::Crew], false).await;
            app.as_(me, m, &fill(template, id))
        }
        ("POST", "/api/v1/assignments/{id}/answer", Access::Action("assignment.answer")) => {
            // Viewers are never operators: theirs is someone else's, refused for the role.
            let operator = if role == Role::Viewer { &w.people[&Role::Crew] } else { me };
            let (_, id) = crate::assignments::walk_assignment(app, w, operator, false).await;
            app.as_(me, m, &fill(template, id)).json(&json!({ "accept": true }))
        }
        ("POST", "/api/v1/assignments/{id}/cancel", Access::Action("assignment.manage")) => {
            let (_, id) = crate::assignments::walk_assignment(app, w, &w.people[&Role::Crew], false).await;
            app.as_(me, m, &fill(template, id))
        }
        ("POST", "/api/v1/daily-reports", Access::Action("daily_report.submit")) => {
            let operator = if role == Role::Viewer { &w.people[&Role::Crew] } else { me };
            let (item, _) = crate::assignments::walk_assignment(app, w, operator, true).await;
            let today = bosun_domain::Clock::now(&*app.clock).date_naive();
            app.as_(me, m, template)
                .json(&json!({ "equipment_id": item, "day": today, "hours_worked": 8, "hours_idle": 0.5 }))
        }
        ("GET", "/api/v1/daily-reports/{id}", Access::Action("equipment.read")) => {
            let (id, _, _) = crate::assignments::walk_report(app, w, &w.people[&Role::Crew]).await;
            app.as_(me, m, &fill(template, id))
        }
        ("PUT", "/api/v1/daily-reports/{id}", Access::Action("daily_report.submit")) => {
            let operator = if role == Role::Viewer { &w.people[&Role::Crew] } else { me };
            let (id, _, item) = crate::assignments::walk_report(app, w, operator).await;
            let today = bosun_domain::Clock::now(&*app.clock).date_naive();
            app.as_(me, m, &fill(template, id))
                .json(&json!({ "equipment_id": item, "day": today, "hours_worked": 7, "hours_idle": 1 }))
        }
        ("POST", "/api/v1/daily-reports/{id}/validate" | "/api/v1/daily-reports/{id}/return", Access::Action("daily_report.validate")) => {
            // Crew's report: crew are refused the role before their own report matters.
            let (id, revision, _) = crate::assignments::walk_report(app, w, &w.people[&Role::Crew]).await;
            let mut body = json!({ "revision_id": revision });
            if template.ends_with("/return") {
                body["comment"] = json!(format!("Check the fuel, says {role}"));
            }
            app.as_(me, m, &fill(template, id)).json(&body)
        }
        ("GET", "/api/v1/handovers/current", Access::Action("handover.prepare")) => {
            on_the_vessel(app, w, role).await;
            app.as_(me, m, &format!("{template}?vessel_id={}", w.vessel))
        }
        ("PUT", "/api/v1/handovers/current/notes", Access::Action("handover.prepare")) => {
            on_the_vessel(app, w, role).await;
            app.as_(me, m, template).json(&json!({ "vessel_id": w.vessel, "notes": format!("Notes of {role}") }))
        }
        ("POST", "/api/v1/handovers/complete", Access::Action("handover.prepare")) => {
            on_the_vessel(app, w, role).await;
            app.as_(me, m, template).json(&json!({ "vessel_id": w.vessel, "rotation_end": "2026-03-01" }))
        }
        ("POST", "/api/v1/handovers/{id}/acknowledge", Access::Action("handover.acknowledge")) => {
            on_the_vessel(app, w, role).await;
            app.as_(me, m, &fill(template, faults::seeded_handover(app, w).await))
        }
        ("GET", "/api/v1/handovers/history", Access::Action("handover.read")) => app.as_(me, m, template),
        ("GET", "/api/v1/handovers/{id}", Access::Action("handover.read")) => {
            app.as_(me, m, &fill(template, faults::seeded_handover(app, w).await))
        }
        _ => return None,
    };
    Some(rb)
}

/// Puts a fleet-wide person of `role` on the Acme vessel's rotation (the vessel-scoped ones
/// are on it already): handovers are for people on board.
async fn on_the_vessel(app: &TestApp, w: &Acme, role: Role) {
    if !role.is_vessel_scoped() {
        faults::on_rotation(app, &w.fixture, w.vessel, &w.people[&role]).await;
    }
}

/// A record holding `field`, read as the person of `role`.
async fn record_with(app: &TestApp, w: &Acme, role: Role, field: &str) -> Value {
    let me = &w.people[&role];
    let read = |path: String| async move {
        let res = app.as_(me, Method::GET, &path).send().await.expect("the request is sent");
        assert_eq!(res.status(), 200, "{role} reads {path}");
        res.json::<Value>().await.expect("a JSON body")
    };
    match field {
        "repair_seconds" => {
            read(format!("/api/v1/faults/{}", faults::seeded_fault(app, w, FaultStatus::Resolved).await)).await
        }
        f if f.starts_with("supplier_") || f.starts_with("customer_") || f == "markup_basis_points" => {
            let order = faults::seeded_order(app, w).await;
            let page = read("/api/v1/parts-orders?limit=200".to_owned()).await;
            page["items"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|o| o["id"] == order.to_string())
                .cloned()
                .unwrap_or_default()
        }
        "parts_markup_percent" => read("/api/v1/me".to_owned()).await["company"].clone(),
        "rate_minor" | "cost_minor" => {
            let (order, _) =
                work_orders::walk_order(app, w, me.user_id, Stage::InProgress, w.fixture.owner.user_id).await;
            let labour = json!({ "id": Uuid::now_v7(), "worked_on": "2026-03-01", "minutes": 90, "rate_minor": 6_000,
                                 "currency": "NOK" });
            let path = format!("/api/v1/work-orders/{order}/labour");
            let logged = app.as_(&w.fixture.owner, Method::POST, &path).json(&labour).send().await.expect("labour");
            assert_eq!(logged.status(), 201, "the owner logs labour at a rate");
            read(format!("/api/v1/work-orders/{order}")).await["labour"][0].clone()
        }
        other => panic!("no record holds {other:?}: add a case to permissions.rs::record_with"),
    }
}

async fn every_field_is_shown_as_the_field_table_says(app: TestApp) {
    let w = acme_with_records(&app).await;
    let mut wrong = Vec::new();
    let fields = documented_fields();
    assert!(!fields.is_empty(), "the field table lists fields");
    for (names, action) in fields {
        for name in &names {
            for role in Role::ALL {
                let record = record_with(&app, &w, role, name).await;
                assert!(record.get("id").is_some(), "{role} reads a record for {name}: {record}");
                if record.get(name.as_str()).is_some() != role.may(action) {
                    wrong.push(format!("{role}: {name} (needs {}) in {record}", action.as_str()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "fields answering against docs/PERMISSIONS.md:\n{}", wrong.join("\n"));
}

/// Every entry with outcome failure in the audit trail `owner` reads, all pages.
pub(crate) async fn audited_failures(app: &TestApp, owner: &Session) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = "/api/v1/audit?outcome=failure&limit=200".to_owned();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let res = app.as_(owner, Method::GET, &path).send().await.expect("audit request");
        assert_eq!(res.status(), 200, "the owner reads the audit trail");
        let page: Value = res.json().await.expect("an audit page");
        items.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return items,
        }
    }
}

async fn every_route_answers_every_role_as_the_tables_say(app: TestApp) {
    let w = acme_with_records(&app).await;
    let matrix: BTreeMap<&str, BTreeMap<Role, bool>> =
        documented_matrix().into_iter().map(|(a, cells)| (a.as_str(), cells)).collect();
    let documented = documented_routes();
    let mut wrong = Vec::new();
    let mut refused = Vec::new();
    let mut calls = 0;
    let mut shown_restricted = BTreeSet::new();
    for route in api_routes() {
        let key = (route.method.as_str().to_owned(), route.path.clone());
        let Some(accesses) = documented.get(&key) else {
            panic!("{} {} has no row in docs/PERMISSIONS.md's route table", route.method, route.path);
        };
        for &access in accesses {
            for role in Role::ALL {
                let Some(request) = valid_request(&app, &w, role, &route.method, &route.path, access).await else {
                    panic!(
                        "no request for {} {} ({access:?}): add a case to permissions.rs::valid_request",
                        route.method, route.path
                    );
                };
                let res = request.send().await.expect("the request is sent");
                calls += 1;
                let status = res.status();
                let text = res.text().await.unwrap_or_default();
                let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let shown: String = text.chars().take(300).collect();
                let allowed = match access {
                    Access::Public | Access::SignedIn => true,
                    Access::Action(a) => matrix[a][&role],
                };
                let what = format!("{role} {} {} ({access:?})", route.method, route.path);
                if allowed && !status.is_success() {
                    wrong.push(format!("{what}: allowed, got {status} {shown}"));
                } else if !allowed && (status != 403 || body["code"] != "forbidden") {
                    wrong.push(format!("{what}: refused, expected 403 forbidden, got {status} {shown}"));
                }
                if let (false, Access::Action(a)) = (allowed, access) {
                    refused.push((w.people[&role].user_id.to_string(), a, route.method.clone()));
                }
                // Whatever the route, no answer carries a field the field policy withholds.
                let withheld = withheld_in(&body, role);
                if !withheld.is_empty() {
                    wrong.push(format!("{what}: answered fields the field policy withholds: {withheld:?}"));
                }
                shown_restricted.extend(
                    Field::ALL.iter().filter(|f| text.contains(&format!("\"{}\":", f.name()))).map(|f| f.name()),
                );
            }
        }
    }
    assert!(wrong.is_empty(), "routes answering against docs/PERMISSIONS.md:\n{}", wrong.join("\n"));
    assert!(calls >= 6 * documented.len(), "the walk made {calls} calls");
    // The walk met every restricted field (shown to someone allowed), so the check above saw them.
    let unseen: Vec<&str> = Field::ALL.iter().map(|f| f.name()).filter(|n| !shown_restricted.contains(n)).collect();
    assert!(unseen.is_empty(), "no answer of the walk carried {unseen:?}: the field check cannot have failed");
    assert!(refused.iter().any(|(_, _, m)| *m != Method::GET), "the walk refused no write");

    let recorded: BTreeSet<(String, String)> = audited_failures(&app, &w.fixture.owner)
        .await
        .iter()
        .map(|e| {
            (e["actor_id"].as_str().unwrap_or_default().to_owned(), e["action"].as_str().unwrap_or_default().into())
        })
        .collect();
    // Refused writes, and refused reads of people and the audit trail, are all recorded.
    let missing: Vec<_> =
        refused.iter().filter(|(who, a, _)| !recorded.contains(&(who.clone(), (*a).to_owned()))).collect();
    assert!(missing.is_empty(), "refusals missing from the audit trail: {missing:?}");
}

/// The WebSocket routes (outside the OpenAPI document) walked the same way: every role
/// connects, and is let in or refused as the tables say.
async fn every_socket_route_answers_every_role_as_the_tables_say(app: TestApp) {
    let w = acme_with_records(&app).await;
    let matrix: BTreeMap<&str, BTreeMap<Role, bool>> =
        documented_matrix().into_iter().map(|(a, cells)| (a.as_str(), cells)).collect();
    let routes = documented_socket_routes();
    assert!(!routes.is_empty(), "docs/PERMISSIONS.md lists the WebSocket routes");
    let mut wrong = Vec::new();
    for ((method, path), accesses) in &routes {
        assert_eq!((method.as_str(), path.as_str()), ("GET", "/api/v1/events"), "add a case for {method} {path}");
        for access in accesses {
            let Access::Action(action) = access else { panic!("{path}: a WebSocket route needs an action") };
            for role in Role::ALL {
                let me = &w.people[&role];
                let result = crate::live_events::connect(app.addr, &me.token).await;
                match (matrix[action][&role], result) {
                    (true, Ok(_)) => {}
                    (false, Err(tokio_tungstenite::tungstenite::Error::Http(res))) if res.status() == 403 => {}
                    (allowed, other) => wrong.push(format!(
                        "{role} {method} {path}: allowed {allowed}, got {:?}",
                        other.map(|_| "connected").map_err(|e| e.to_string())
                    )),
                }
            }
        }
    }
    assert!(wrong.is_empty(), "WebSocket routes answering against docs/PERMISSIONS.md:\n{}", wrong.join("\n"));
}

async fn vessel_scoped_roles_see_only_their_vessels(app: TestApp) {
    let w = acme_with_records(&app).await;
    let mine = w.vessel.to_string();
    let other = w.other_vessel.to_string();
    for (role, s) in &w.people {
        let res = app.as_(s, Method::GET, "/api/v1/vessels").send().await.unwrap();
        assert_eq!(res.status(), 200, "{role} lists vessels");
        let page: Value = res.json().await.unwrap();
        let ids: BTreeSet<&str> = page["items"].as_array().unwrap().iter().filter_map(|v| v["id"].as_str()).collect();
        let own = app.as_(s, Method::GET, &format!("/api/v1/vessels/{mine}")).send().await.unwrap();
        assert_eq!(own.status(), 200, "{role} reads a vessel they are on");
        let res = app.as_(s, Method::GET, &format!("/api/v1/vessels/{other}")).send().await.unwrap();
        if role.is_vessel_scoped() {
            assert_eq!(ids, BTreeSet::from([mine.as_str()]), "{role} lists only their vessel");
            let body = assert_problem(res, 404, "not_found").await;
            assert!(!body.to_string().contains("Southern Cross"), "{role} learns nothing: {body}");
            // Writing to or joining an invisible vessel is 404 too, never 403.
            let res = app
                .as_(s, Method::POST, &format!("/api/v1/vessels/{other}/join-rotation"))
                .json(&json!({ "rotation_start": "2026-02-01" }))
                .send()
                .await
                .unwrap();
            assert_problem(res, 404, "not_found").await;
            let res = app
                .as_(s, Method::PUT, &format!("/api/v1/vessels/{other}"))
                .json(&json!({ "kind": "vessel", "name": "Renamed" }))
                .send()
                .await
                .unwrap();
            assert_problem(res, 404, "not_found").await;
            let res = app
                .as_(s, Method::POST, &format!("/api/v1/vessels/{other}/departments"))
                .json(&json!({ "name": "deck" }))
                .send()
                .await
                .unwrap();
            assert_problem(res, 404, "not_found").await;
        } else {
            assert_eq!(ids, BTreeSet::from([mine.as_str(), other.as_str()]), "{role} lists the whole fleet");
            assert_eq!(res.status(), 200, "{role} reads any vessel of the company");
        }
    }
    // Crew who join a vessel's rotation (put there by a manager) see it from then on.
    let crew = &w.people[&Role::Crew];
    let res = app
        .as_(&w.people[&Role::Manager], Method::POST, &format!("/api/v1/vessels/{other}/join-rotation"))
        .json(&json!({ "user_id": crew.user_id, "rotation_start": "2026-02-01" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = app.as_(crew, Method::GET, &format!("/api/v1/vessels/{other}")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

async fn owner_only_rules_hold_and_refusals_are_audited(app: TestApp) {
    let w = acme_with_records(&app).await;
    let owner = &w.fixture.owner;
    let admin = &w.people[&Role::Admin];
    let user = |s: &Session| format!("/api/v1/users/{}", s.user_id);
    let put = |who: &Session, path: String, body: Value| app.as_(who, Method::PUT, &path).json(&body).send();

    // An admin neither makes nor unmakes owners, nor disables one.
    let refusals = [
        (user(&w.deckhand), json!({ "role": "owner" })),
        (user(owner), json!({ "role": "admin" })),
        (user(owner), json!({ "active": false })),
    ];
    for (path, body) in &refusals {
        assert_problem(put(admin, path.clone(), body.clone()).await.unwrap(), 403, "forbidden").await;
    }
    let res = app
        .as_(admin, Method::POST, "/api/v1/invitations")
        .json(&json!({ "email": "boss@acme.example", "name": "Boss", "role": "owner" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    // Crew cannot change a vessel; a viewer cannot join a rotation, even on their own vessel.
    let res = app
        .as_(&w.people[&Role::Crew], Method::PUT, &format!("/api/v1/vessels/{}", w.vessel))
        .json(&json!({ "kind": "vessel", "name": "Mutiny" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = app
        .as_(&w.people[&Role::Viewer], Method::POST, &format!("/api/v1/vessels/{}/join-rotation", w.vessel))
        .json(&json!({ "rotation_start": "2026-02-01" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;

    // The last active owner can neither step down nor be disabled.
    assert_problem(put(owner, user(owner), json!({ "role": "admin" })).await.unwrap(), 409, "last_owner").await;
    assert_problem(put(owner, user(owner), json!({ "active": false })).await.unwrap(), 409, "last_owner").await;

    // Nothing refused changed anything.
    let people: Value = app.as_(owner, Method::GET, "/api/v1/users").send().await.unwrap().json().await.unwrap();
    let find = |id: &bosun_domain::UserId| {
        people["items"].as_array().unwrap().iter().find(|m| m["id"] == id.to_string()).cloned().unwrap()
    };
    assert_eq!(
        (find(&owner.user_id)["role"].clone(), find(&owner.user_id)["active"].clone()),
        (json!("owner"), json!(true))
    );
    assert_eq!(find(&w.deckhand.user_id)["role"], "crew");
    assert!(!people.to_string().contains("boss@acme.example"));
    let vessel: Value = app
        .as_(owner, Method::GET, &format!("/api/v1/vessels/{}", w.vessel))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(vessel["name"], "Northern Star");

    // Every refusal is in the audit trail, with who, what and on which entity.
    let failures = audited_failures(&app, owner).await;
    let has = |who: &Session, action: &str, entity_id: Option<String>| {
        failures.iter().any(|e| {
            e["outcome"] == "failure"
                && e["actor_id"] == who.user_id.to_string()
                && e["action"] == action
                && entity_id.as_ref().is_none_or(|id| e["entity_id"] == id.as_str())
        })
    };
    let n = |who: &Session, action: &str| {
        failures.iter().filter(|e| e["actor_id"] == who.user_id.to_string() && e["action"] == action).count()
    };
    assert_eq!(n(admin, "user.update"), 3, "{failures:?}");
    assert!(has(admin, "user.update", Some(w.deckhand.user_id.to_string())));
    assert!(has(admin, "user.update", Some(owner.user_id.to_string())));
    assert!(has(admin, "user.create", None));
    let invitations: Value =
        app.as_(owner, Method::GET, "/api/v1/invitations").send().await.unwrap().json().await.unwrap();
    assert!(!invitations.to_string().contains("boss@acme.example"), "a refused invitation was made");
    assert!(has(&w.people[&Role::Crew], "vessel.update", Some(w.vessel.to_string())));
    assert!(has(&w.people[&Role::Viewer], "rotation.join_self", None));

    // An owner may make another owner, after which the first may step down.
    assert_eq!(put(owner, user(admin), json!({ "role": "owner" })).await.unwrap().status(), 200);
    assert_eq!(put(owner, user(owner), json!({ "role": "admin" })).await.unwrap().status(), 200);
}

crate::on_both_backends!(
    every_route_answers_every_role_as_the_tables_say,
    every_socket_route_answers_every_role_as_the_tables_say,
    every_field_is_shown_as_the_field_table_says,
    vessel_scoped_roles_see_only_their_vessels,
    owner_only_rules_hold_and_refusals_are_audited,
);
