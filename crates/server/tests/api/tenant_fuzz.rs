//! A randomized cross-tenant run: company B's people of every role and B's API key send
//! [`REQUESTS`] requests per backend over every route of the OpenAPI document and every verb,
//! naming company A's ids (mostly), B's own or made-up ones in paths, queries and bodies built
//! from each route's documented parameters and request schema. Every answer is judged:
//!
//! - no 5xx;
//! - nothing of A's (ids, names, emails, QR codes, file names, the API key's name and secret,
//!   A's tokens) in the body or headers that the request did not carry itself;
//! - A's id in the path answers 404 `not_found`, or the very status and code the same request
//!   gets with made-up ids in its place (so existence never leaks); a read naming A's id in
//!   its query answers like one naming a made-up id too, and lists nothing;
//! - no write naming A's id anywhere succeeds (B's records never take A's as a reference).
//!
//! At the end A reads exactly what it read before (isolation.rs's snapshot), A's audit chain
//! head has not moved, and both companies' chains verify as `bosun audit verify` does.
//!
//! A seeded PRNG draws every request up front: the seed is printed and named in every failure,
//! `BOSUN_FUZZ_SEED=<n>` replays it, `BOSUN_FUZZ_REQUESTS=<n>` runs longer, and
//! `BOSUN_FUZZ_VERBOSE=1` prints the statuses each route answered. Requests go out
//! [`IN_FLIGHT`] at a time, so a replay sends the same requests, though concurrent ones may
//! interleave differently.
//!
//! Measured on the shared 2-core build machine (debug build, load average 5–7 from other work;
//! 10,000 requests, ~800 twins with made-up ids, fixtures included): SQLite 20–31 s and
//! PostgreSQL 23–49 s each run alone, both side by side (cargo's default) 44–54 s.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use bosun_app::records::audit::Verdict;
use bosun_domain::CompanyId;
use bosun_domain::person::Role;
use futures::StreamExt;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::faults;
use crate::harness::{Fixture, Session, TestApp};
use crate::isolation::{INVITED, records_of, secrets_of, snapshot};
use crate::permissions::{acme_with_records, api_routes};
use crate::records::{encode, png, upload};

/// Requests per backend, unless `BOSUN_FUZZ_REQUESTS` says otherwise.
const REQUESTS: usize = 10_000;

/// The seed CI runs with, unless `BOSUN_FUZZ_SEED` says otherwise.
const DEFAULT_SEED: u64 = 20_260_201;

/// Requests sent at once: enough to keep both cores busy, few enough that SQLite's single
/// writer does not queue them into timeouts.
const IN_FLIGHT: usize = 8;

/// Verbs tried on a route besides its documented one.
const VERBS: [Method; 5] = [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE];

/// Routes that end the caller's own session: each is sent as a session signed in for it alone
/// (the run's callers live on). Password and second-factor changes need no such care: their
/// bodies carry a wrong password and code (see `Draw::text`), so they are refused and end
/// nothing.
const ENDS_OWN_SESSION: [(&str, &str); 1] = [("POST", "/api/v1/auth/logout")];

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Company,
    Vessel,
    Department,
    User,
    Attachment,
    Equipment,
    Fault,
    Order,
    Handover,
    Invitation,
    ApiKey,
    Session,
    Conflict,
    Part,
    Location,
    WorkOrder,
    Step,
    Plan,
    Procedure,
    Transfer,
    Assignment,
    Report,
    Revision,
    Supplier,
    Requisition,
    PurchaseOrder,
    OrderLine,
}

const KINDS: [Kind; 27] = [
    Kind::Company,
    Kind::Vessel,
    Kind::Department,
    Kind::User,
    Kind::Attachment,
    Kind::Equipment,
    Kind::Fault,
    Kind::Order,
    Kind::Handover,
    Kind::Invitation,
    Kind::ApiKey,
    Kind::Session,
    Kind::Conflict,
    Kind::Part,
    Kind::Location,
    Kind::WorkOrder,
    Kind::Step,
    Kind::Plan,
    Kind::Procedure,
    Kind::Transfer,
    Kind::Assignment,
    Kind::Report,
    Kind::Revision,
    Kind::Supplier,
    Kind::Requisition,
    Kind::PurchaseOrder,
    Kind::OrderLine,
];

/// The kind of record an id path parameter of `template` names.
fn path_kind(template: &str, param: &str) -> Kind {
    match (param, template.split('/').nth(3)) {
        ("userId", _) => Kind::User,
        ("vesselId", _) => Kind::Vessel,
        ("part_id", _) => Kind::Part,
        (_, Some("companies")) => Kind::Company,
        (_, Some("vessels")) => Kind::Vessel,
        (_, Some("users")) => Kind::User,
        (_, Some("attachments")) => Kind::Attachment,
        (_, Some("equipment")) => Kind::Equipment,
        (_, Some("faults")) => Kind::Fault,
        (_, Some("parts-orders")) => Kind::Order,
        (_, Some("handovers")) => Kind::Handover,
        (_, Some("invitations")) => Kind::Invitation,
        (_, Some("api-keys")) => Kind::ApiKey,
        (_, Some("me")) => Kind::Session,
        (_, Some("sync")) => Kind::Conflict,
        (_, Some("parts")) => Kind::Part,
        (_, Some("work-orders")) => Kind::WorkOrder,
        (_, Some("maintenance-plans")) => Kind::Plan,
        (_, Some("procedures")) => Kind::Procedure,
        (_, Some("stock")) => Kind::Transfer,
        (_, Some("assignments")) => Kind::Assignment,
        (_, Some("daily-reports")) => Kind::Report,
        (_, Some("suppliers")) => Kind::Supplier,
        (_, Some("requisitions")) => Kind::Requisition,
        (_, Some("purchase-orders")) => Kind::PurchaseOrder,
        _ => panic!("{template}: name what {{{param}}} is in tenant_fuzz.rs::path_kind"),
    }
}

/// The kind of record a query parameter or body field names, by its name; `None` for fields
/// that name no record. A client-made `id` is always a made-up one: an id A uses is free in B
/// (isolation.rs shows it), and B's lookalike would then answer to A's id in later paths.
fn field_kind(name: &str) -> Option<Kind> {
    match name {
        "vessel_id" | "vessel_ids" => Some(Kind::Vessel),
        "equipment_id" | "parent_id" => Some(Kind::Equipment),
        "assignee_id" | "user_id" | "actor" | "requested_by" | "operator_id" => Some(Kind::User),
        "assignment_id" => Some(Kind::Assignment),
        "report_id" => Some(Kind::Report),
        "revision_id" => Some(Kind::Revision),
        "photo_ids" => Some(Kind::Attachment),
        "plan_id" => Some(Kind::Plan),
        "procedure_id" => Some(Kind::Procedure),
        "fault_id" => Some(Kind::Fault),
        "department_id" => Some(Kind::Department),
        "part_id" | "equivalents" => Some(Kind::Part),
        "location_id" | "from_location_id" | "to_location_id" => Some(Kind::Location),
        "transfer_id" => Some(Kind::Transfer),
        "step_id" => Some(Kind::Step),
        "work_order_id" => Some(Kind::WorkOrder),
        "supplier_id" => Some(Kind::Supplier),
        "requisition_id" => Some(Kind::Requisition),
        "purchase_order_id" => Some(Kind::PurchaseOrder),
        "line_id" => Some(Kind::OrderLine),
        "attachment_id" | "image_id" => Some(Kind::Attachment),
        _ => None,
    }
}

/// One company's ids by kind, and its QR codes.
#[derive(Debug, Default)]
struct Ids {
    by_kind: BTreeMap<Kind, Vec<Uuid>>,
    qr_codes: Vec<String>,
}

impl Ids {
    fn add(&mut self, kind: Kind, ids: impl IntoIterator<Item = Uuid>) {
        self.by_kind.entry(kind).or_default().extend(ids);
    }

    fn of(&self, kind: Kind) -> &[Uuid] {
        self.by_kind.get(&kind).map(Vec::as_slice).unwrap_or_default()
    }
}

/// Whose id a draw names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    A,
    B,
    Nobody,
}

/// One operation of the OpenAPI document: its parameters and request body schema.
#[derive(Debug, Clone)]
struct Operation {
    params: Vec<Value>,
    /// Content type and schema ($refs resolved one level down).
    body: Option<(String, Value)>,
}

/// Every operation of the OpenAPI document, by (METHOD, path).
fn operations() -> BTreeMap<(String, String), Operation> {
    let doc = serde_json::to_value(bosun_http::openapi()).expect("the OpenAPI document serialises");
    let resolve = |schema: &Value| -> Value {
        let by_ref = |s: &Value| match s["$ref"].as_str() {
            Some(r) => {
                let name = r.rsplit('/').next().unwrap_or_default();
                doc["components"]["schemas"][name].clone()
            }
            None => s.clone(),
        };
        let mut s = by_ref(schema);
        if let Some(props) = s.get_mut("properties").and_then(Value::as_object_mut) {
            for p in props.values_mut() {
                *p = by_ref(p);
            }
        }
        s
    };
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (verb, op) in item.as_object().expect("a path item").iter() {
            if !crate::permissions::VERBS.contains(&verb.as_str()) {
                continue;
            }
            let body = op["requestBody"]["content"]
                .as_object()
                .and_then(|c| c.iter().next())
                .map(|(ct, media)| (ct.clone(), resolve(&media["schema"])));
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            ops.insert((verb.to_uppercase(), path.clone()), Operation { params, body });
        }
    }
    ops
}

/// A request body.
#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Value),
    Raw { content_type: &'static str, text: String },
}

impl Body {
    fn text(&self) -> String {
        match self {
            Body::None => String::new(),
            Body::Json(v) => v.to_string(),
            Body::Raw { text, .. } => text.clone(),
        }
    }
}

/// Who sends a request.
#[derive(Debug, Clone, Copy)]
enum Caller {
    /// One of B's people or B's key (an index into the run's callers).
    Regular(usize),
    /// A session of B's signed in for this request alone (it ends its own session).
    Throwaway(usize),
}

/// One drawn request.
#[derive(Debug, Clone)]
struct Planned {
    n: usize,
    method: Method,
    template: String,
    /// Path and query.
    path: String,
    body: Body,
    caller: Caller,
    /// The path with every A id (or QR code) in its path and query made up instead; `None` when
    /// neither names anything of A's.
    twin_path: Option<String>,
    a_in_path: bool,
    a_in_query: bool,
    a_in_body: bool,
}

/// Draws requests.
struct Draw<'a> {
    rng: StdRng,
    a: &'a Ids,
    b: &'a Ids,
    b_emails: &'a [String],
    n: usize,
    /// A's ids (and QR codes) in the path and query of the request being drawn, with the
    /// made-up values its twin takes instead.
    swaps: Vec<(String, String)>,
    a_in_body: bool,
}

impl Draw<'_> {
    fn whose(&mut self) -> Whose {
        match self.rng.random_range(0..100) {
            0..70 => Whose::A,
            70..90 => Whose::B,
            _ => Whose::Nobody,
        }
    }

    /// An id for a slot naming `kind`: A's (now and then one of another kind), B's, or made up.
    fn id(&mut self, kind: Kind) -> (Uuid, Whose) {
        let whose = self.whose();
        let pool: Vec<Uuid> = match whose {
            Whose::A if self.rng.random_bool(0.1) => {
                let any = *KINDS.choose(&mut self.rng).expect("kinds");
                self.a.of(any).to_vec()
            }
            Whose::A => self.a.of(kind).to_vec(),
            Whose::B => self.b.of(kind).to_vec(),
            Whose::Nobody => Vec::new(),
        };
        match pool.choose(&mut self.rng) {
            Some(id) => (*id, whose),
            None => (Uuid::now_v7(), Whose::Nobody),
        }
    }

    /// An id for a path or query slot: A's are noted for the twin.
    fn id_in_url(&mut self, kind: Kind) -> String {
        let (id, whose) = self.id(kind);
        if whose == Whose::A {
            self.swaps.push((id.to_string(), Uuid::now_v7().to_string()));
        }
        id.to_string()
    }

    /// An id for a body field.
    fn id_in_body(&mut self, kind: Kind) -> Value {
        let (id, whose) = self.id(kind);
        self.a_in_body |= whose == Whose::A;
        json!(id)
    }

    fn qr_code(&mut self) -> String {
        let made_up = format!("QR-{}", Uuid::now_v7().simple());
        match self.whose() {
            Whose::A => {
                let code = self.a.qr_codes.choose(&mut self.rng).expect("A has QR codes").clone();
                self.swaps.push((code.clone(), made_up));
                code
            }
            Whose::B => self.b.qr_codes.choose(&mut self.rng).expect("B has QR codes").clone(),
            Whose::Nobody => made_up,
        }
    }

    /// A short text for a field named `name`, documented as `description`.
    fn text(&mut self, name: &str, description: &str) -> String {
        let n = self.n;
        let pick = |rng: &mut StdRng, options: &[&str]| options.choose(rng).copied().unwrap_or_default().to_owned();
        match name {
            // B's people or nobody: a failed sign-in or a reset is recorded where the login
            // belongs, and A's trail must not move (A's emails are tried in accounts.rs).
            "email" if self.rng.random_bool(0.5) => self.b_emails.choose(&mut self.rng).cloned().unwrap_or_default(),
            "email" => format!("fuzz-{n}@sea.example"),
            // Never the right one: password and second-factor changes are refused, so the run's
            // sessions live on.
            p if p.contains("password") => "not the password".into(),
            "code" | "mfa_code" => "000000".into(),
            "token" => format!("{}{}", Uuid::now_v7().simple(), Uuid::now_v7().simple()),
            "currency" => pick(&mut self.rng, &["EUR", "USD", "NOK"]),
            "primary_color" => pick(&mut self.rng, &["#0a3d62", "#ffffff", "red"]),
            "logo_url" => "/logo.png".into(),
            "file_name" => format!("fuzz-{n}.txt"),
            "company" => pick(&mut self.rng, &["bravo", "acme", "nobody"]),
            "imo" => pick(&mut self.rng, &["IMO 9074729", "IMO 1234567"]),
            "status" if !description.contains('`') => {
                pick(&mut self.rng, &["open", "acknowledged,in_progress", "resolved", "ordered,shipped", "x"])
            }
            "area" if !description.contains('`') => pick(&mut self.rng, &["deck", "engine_room", "bridge"]),
            "level" if !description.contains('`') => pick(&mut self.rng, &["system", "equipment", "component"]),
            "criticality" if !description.contains('`') => pick(&mut self.rng, &["low", "high", "critical"]),
            "entity" => pick(&mut self.rng, &["vessel", "fault", "equipment", "user", "session"]),
            "entity_id" => {
                let kind = *KINDS.choose(&mut self.rng).expect("kinds");
                self.id_in_url(kind)
            }
            "cursor" => pick(&mut self.rng, &["1", "x", "0000"]),
            _ => {
                let documented: Vec<&str> = description.split('`').skip(1).step_by(2).collect();
                match documented.choose(&mut self.rng) {
                    Some(v) if self.rng.random_bool(0.9) => (*v).to_owned(),
                    _ => format!("Fuzz {n}"),
                }
            }
        }
    }

    fn date(&mut self) -> String {
        ["2026-01-01", "2026-02-01", "2026-03-01", "2025-06-30"]
            .choose(&mut self.rng)
            .copied()
            .unwrap_or_default()
            .into()
    }

    /// A value for body field `name` of `schema`.
    fn value(&mut self, name: &str, schema: &Value) -> Value {
        let types: Vec<&str> = match &schema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if types.contains(&"null") && self.rng.random_bool(0.15) {
            return Value::Null;
        }
        let description = schema["description"].as_str().unwrap_or_default();
        let format = schema["format"].as_str().unwrap_or_default();
        match types.iter().copied().find(|t| *t != "null").unwrap_or("string") {
            "string" if format == "uuid" => match field_kind(name) {
                Some(kind) => self.id_in_body(kind),
                None => json!(Uuid::now_v7()),
            },
            "string" if format == "date" => json!(self.date()),
            "string" if format == "date-time" => json!("2026-01-15T08:00:00Z"),
            "string" => json!(self.text(name, description)),
            "array" => {
                let kind = field_kind(name).unwrap_or(Kind::Vessel);
                let len = self.rng.random_range(0..=2);
                Value::Array((0..len).map(|_| self.id_in_body(kind)).collect())
            }
            "integer" => json!(match name {
                "version" => self.rng.random_range(1..=3),
                "expires_in_days" => self.rng.random_range(1..=30),
                "supplier_unit_price_minor" => self.rng.random_range(0..=500),
                _ => self.rng.random_range(1..=5),
            }),
            "number" => json!(f64::from(self.rng.random_range(0..5000_u32)) + 0.5),
            "boolean" => json!(self.rng.random_bool(0.5)),
            "object" if name == "item_notes" => {
                // B's or made-up ids only: a key's shape is all the service checks, and it keeps
                // a note on any id (A's as a made-up one) in B's draft, completed handover and
                // audit trail, where it would come back as B's own words in later answers.
                let kind = if self.rng.random_bool(0.5) { Kind::Fault } else { Kind::Order };
                let prefix = if kind == Kind::Fault { "fault" } else { "parts_order" };
                let id = match self.b.of(kind).choose(&mut self.rng) {
                    Some(id) if self.rng.random_bool(0.5) => *id,
                    _ => Uuid::now_v7(),
                };
                json!({ format!("{prefix}:{id}"): "Fuzz note" })
            }
            "object" => json!({ "fuzz": self.n }),
            other => panic!("{name}: no value for a {other} in tenant_fuzz.rs::Draw::value"),
        }
    }

    /// A JSON body from an object schema: its required fields, and each optional one by a coin.
    fn json_body(&mut self, method: &Method, schema: &Value) -> Value {
        let required: BTreeSet<&str> =
            schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let mut body = Map::new();
        for (name, field) in schema["properties"].as_object().into_iter().flatten() {
            // A client-made id is for creating; elsewhere it must match the path.
            if name == "id" && *method != Method::POST {
                continue;
            }
            if required.contains(name.as_str()) || self.rng.random_bool(0.5) {
                body.insert(name.clone(), self.value(name, field));
            }
        }
        Value::Object(body)
    }

    /// One request to a route drawn from `routes`.
    fn request(
        &mut self,
        n: usize,
        routes: &[(Method, String)],
        ops: &BTreeMap<(String, String), Operation>,
        callers: usize,
        throwaways: &mut usize,
    ) -> Planned {
        self.n = n;
        self.swaps.clear();
        self.a_in_body = false;
        let (documented_method, template) = routes.choose(&mut self.rng).expect("routes").clone();
        let method = if self.rng.random_bool(0.85) {
            documented_method
        } else {
            VERBS.choose(&mut self.rng).expect("verbs").clone()
        };
        let op = ops.get(&(method.as_str().to_owned(), template.clone()));
        let params = op.map(|o| o.params.clone()).unwrap_or_else(|| {
            // An undocumented verb still fills the path's parameters.
            ops.iter().find(|((_, p), _)| *p == template).map(|(_, o)| o.params.clone()).unwrap_or_default()
        });
        let (mut path, mut twin_path) = (template.clone(), template.clone());
        for p in params.iter().filter(|p| p["in"] == "path") {
            let name = p["name"].as_str().expect("a parameter name");
            let before = self.swaps.len();
            let value = match name {
                "slug" => match self.whose() {
                    Whose::A => "acme".to_owned(),
                    Whose::B => "bravo".to_owned(),
                    Whose::Nobody => format!("fuzz-{n}"),
                },
                "code" => self.qr_code(),
                _ => self.id_in_url(path_kind(&template, name)),
            };
            path = path.replace(&format!("{{{name}}}"), &value);
            twin_path = twin_path.replace(&format!("{{{name}}}"), &self.made_up_since(before, &value));
        }
        let in_path = self.swaps.len();
        let (mut query, mut twin_query) = (Vec::new(), Vec::new());
        let mut parent_kind = None;
        for p in params.iter().filter(|p| p["in"] == "query" && op.is_some()) {
            let name = p["name"].as_str().expect("a parameter name");
            // A made-up cursor is refused before anything else is looked at: rarely one.
            let odds = if name == "cursor" { 0.1 } else { 0.5 };
            if p["required"] != true && !self.rng.random_bool(odds) {
                continue;
            }
            let schema = &p["schema"];
            let before = self.swaps.len();
            let value = match (name, schema["format"].as_str(), schema["type"].as_str()) {
                ("parent_id", _, _) => {
                    let kind = match parent_kind {
                        Some("fault") => Kind::Fault,
                        Some("handover") => Kind::Handover,
                        _ => Kind::Equipment,
                    };
                    self.id_in_url(kind)
                }
                (_, Some("uuid"), _) => match field_kind(name) {
                    Some(kind) => self.id_in_url(kind),
                    None => Uuid::now_v7().to_string(),
                },
                (_, Some("date"), _) => self.date(),
                (_, Some("date-time"), _) => "2026-01-15T08:00:00Z".to_owned(),
                (_, _, Some("boolean")) => self.rng.random_bool(0.5).to_string(),
                (_, _, Some("integer")) => self.rng.random_range(1..=20).to_string(),
                _ => {
                    let description = p["description"].as_str().unwrap_or_default();
                    let text = self.text(name, description);
                    if name == "parent_kind" {
                        parent_kind = ["equipment", "fault", "handover"].into_iter().find(|k| *k == text);
                    }
                    text
                }
            };
            query.push(format!("{name}={}", encode(&value)));
            twin_query.push(format!("{name}={}", encode(&self.made_up_since(before, &value))));
        }
        let (a_in_path, a_in_query) = (in_path > 0, self.swaps.len() > in_path);
        if !query.is_empty() {
            path = format!("{path}?{}", query.join("&"));
            twin_path = format!("{twin_path}?{}", twin_query.join("&"));
        }
        let body = match op.and_then(|o| o.body.clone()) {
            Some((ct, schema)) if ct == "application/json" => Body::Json(self.json_body(&method, &schema)),
            Some((ct, _)) if ct == "text/csv" && template == "/api/v1/parts/import" => {
                // A's part numbers as equivalents must name nothing of A's.
                let text = format!("number,name,unit,equivalents\nFUZZ-{n},Fuzz {n},pcs,P-{n};BALLAST-1\n");
                Body::Raw { content_type: "text/csv", text }
            }
            Some((ct, _)) if ct == "text/csv" && template == "/api/v1/vessels/{id}/stock/import" => {
                // B's part and store: counted on B's vessel, refused (404) on A's.
                let text = format!("number,location,on_hand\nBRAVO-1,Bravo store,{}\n", n % 50);
                Body::Raw { content_type: "text/csv", text }
            }
            Some((ct, _)) if ct == "text/csv" => {
                let text = if self.rng.random_bool(0.5) {
                    format!("name,level,area\nFuzz {n},system,deck\n")
                } else {
                    format!("parent_ref,level,name,area\n{},component,Fuzz {n},deck\n", self.body_qr_code())
                };
                Body::Raw { content_type: "text/csv", text }
            }
            Some((ct, _)) if ct == "application/octet-stream" => {
                Body::Raw { content_type: "application/octet-stream", text: format!("fuzz bytes {n}") }
            }
            Some((ct, _)) => panic!("{method} {template}: no body for {ct} in tenant_fuzz.rs"),
            None if op.is_none() && self.rng.random_bool(0.5) => Body::Json(json!({ "name": format!("Fuzz {n}") })),
            None => Body::None,
        };
        let twin_path = (!self.swaps.is_empty()).then_some(twin_path);
        assert!(twin_path.as_ref() != Some(&path), "#{n}: the twin of {path} names made-up ids");
        let ends_own_session = ENDS_OWN_SESSION.iter().any(|(m, p)| *m == method.as_str() && *p == template.as_str());
        let caller = if ends_own_session {
            *throwaways += 1;
            Caller::Throwaway(*throwaways - 1)
        } else {
            Caller::Regular(self.rng.random_range(0..callers))
        };
        Planned { n, method, template, path, body, caller, twin_path, a_in_path, a_in_query, a_in_body: self.a_in_body }
    }

    /// `value` with the A ids drawn into it since swap `since` made up instead.
    fn made_up_since(&self, since: usize, value: &str) -> String {
        self.swaps[since..].iter().fold(value.to_owned(), |v, (theirs, made_up)| v.replace(theirs.as_str(), made_up))
    }

    /// A QR code for a CSV body's `parent_ref`.
    fn body_qr_code(&mut self) -> String {
        let before = self.swaps.len();
        let code = self.qr_code();
        if self.swaps.len() > before {
            self.swaps.pop();
            self.a_in_body = true;
        }
        code
    }
}

/// Company A as the run knows it: its ids and what of it must never reach B.
struct CompanyA {
    acme: crate::permissions::Acme,
    records: crate::isolation::Records,
    ids: Ids,
    secrets: Vec<String>,
}

/// Company A ("acme") with its records and accounts: an open invitation, an API key, a
/// session.
async fn company_a(app: &TestApp) -> CompanyA {
    let a = acme_with_records(app).await;
    let r = records_of(app, &a).await;
    let mut ids = Ids::default();
    ids.add(Kind::Company, [a.fixture.company.id.0]);
    ids.add(Kind::Vessel, [a.vessel, a.other_vessel]);
    ids.add(Kind::Department, [a.department]);
    ids.add(Kind::User, a.people.values().chain([&a.deckhand]).map(|s| s.user_id.0));
    ids.add(Kind::Attachment, a.attachments.values().copied());
    ids.add(Kind::Equipment, [a.equipment, a.records.equipment, r.equipment]);
    ids.add(Kind::Fault, [a.records.fault, r.fault]);
    ids.add(Kind::Order, [r.order]);
    ids.add(Kind::Handover, [a.records.handover, r.handover]);
    ids.add(Kind::Invitation, [r.invitation]);
    ids.add(Kind::ApiKey, [r.api_key]);
    ids.add(Kind::Session, [r.session]);
    ids.add(Kind::Conflict, [r.conflict]);
    ids.add(Kind::Part, [r.part]);
    ids.add(Kind::Location, [r.location]);
    ids.add(Kind::WorkOrder, [r.work_order]);
    ids.add(Kind::Step, [r.step]);
    ids.add(Kind::Plan, [r.plan]);
    ids.add(Kind::Procedure, [r.procedure]);
    ids.add(Kind::Transfer, [r.transfer]);
    ids.add(Kind::Assignment, [r.assignment]);
    ids.add(Kind::Report, [r.report]);
    ids.add(Kind::Revision, [r.revision]);
    ids.add(Kind::Supplier, [r.supplier]);
    ids.add(Kind::Requisition, [r.requisition]);
    ids.add(Kind::PurchaseOrder, [r.purchase_order]);
    ids.add(Kind::OrderLine, [r.order_line]);
    for e in ids.of(Kind::Equipment).to_vec() {
        ids.qr_codes.push(qr_code_of(app, &a.fixture.owner, e).await);
    }
    let mut secrets = secrets_of(&a);
    secrets.extend(KINDS.iter().flat_map(|k| ids.of(*k)).map(Uuid::to_string));
    secrets.extend(ids.qr_codes.iter().cloned());
    secrets.extend([INVITED, "Acme gateway", "Ballast pump", "Mechanical seal", "Seal & Co"].map(str::to_owned));
    secrets.push(r.api_key_secret.clone());
    for s in a.people.values().chain([&a.deckhand]) {
        secrets.extend([s.token.clone(), s.refresh.clone()]);
    }
    secrets.sort();
    secrets.dedup();
    CompanyA { acme: a, records: r, ids, secrets }
}

async fn qr_code_of(app: &TestApp, owner: &Session, equipment: Uuid) -> String {
    let item = faults::get(app, owner, &format!("/api/v1/equipment/{equipment}")).await;
    item["qr_code"].as_str().unwrap_or_else(|| panic!("an item has a QR code: {item}")).to_owned()
}

/// Company B ("bravo"): a person of every role, an API key, and records of its own.
struct CompanyB {
    fixture: Fixture,
    people: Vec<(Role, Session)>,
    /// B's people, then B's manager key: (who, bearer).
    callers: Vec<(String, String)>,
    ids: Ids,
    emails: Vec<String>,
}

async fn company_b(app: &TestApp) -> CompanyB {
    let b = app.with_company("bravo").await;
    let owner = b.owner.clone();
    let mut people = vec![(Role::Owner, owner.clone())];
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Owner) {
        people.push((role, app.person_in(&b.company, &format!("{role}@bravo.example"), role).await));
    }
    // The one person B's calls may rename, disable or take off a rotation: never a caller.
    let deckhand = app.person_in(&b.company, "deckhand@bravo.example", Role::Crew).await;
    let post = |path: String, body: Value| {
        let (app, owner) = (app, &owner);
        async move {
            let res = app.as_(owner, Method::POST, &path).json(&body).send().await.expect("a request");
            assert_eq!(res.status(), 201, "B's owner posts {path}");
            res.json::<Value>().await.expect("a JSON body")
        }
    };
    let id = |v: &Value| v.as_str().and_then(|s| s.parse::<Uuid>().ok()).expect("an id");
    let vessel = id(&post("/api/v1/vessels".into(), json!({ "kind": "vessel", "name": "Bravo One" })).await["id"]);
    let department = id(&post(format!("/api/v1/vessels/{vessel}/departments"), json!({ "name": "deck" })).await["id"]);
    for (_, s) in people.iter().filter(|(r, _)| r.is_vessel_scoped() || *r == Role::Owner) {
        faults::on_rotation(app, &b, vessel, s).await;
    }
    faults::on_rotation(app, &b, vessel, &deckhand).await;
    // Several of each, so B's calls that move a record on (decommission, acknowledge,
    // resolve, approve) find another to move for a while.
    let mut items = Vec::new();
    for name in ["Bravo pump", "Bravo winch", "Bravo crane"] {
        items.push(faults::equipment_on(app, b.company.id, vessel, name).await);
    }
    let mut reported = Vec::new();
    for (i, item) in items.iter().chain(&items).enumerate() {
        let title = format!("Bravo fault {i}");
        reported.push(id(&faults::report(app, &owner, *item, "low", &title).await["id"]));
    }
    let mut orders = Vec::new();
    for fault in &reported[..3] {
        let order = json!({ "part_name": "Gasket", "quantity": 1, "supplier": "B", "supplier_unit_price_minor": 5, "currency": "EUR" });
        orders.push(id(&post(format!("/api/v1/faults/{fault}/order-parts"), order).await["id"]));
    }
    let handover =
        post("/api/v1/handovers/complete".into(), json!({ "vessel_id": vessel, "rotation_end": "2026-03-01" })).await;
    let mut attachments = Vec::new();
    for (kind, parent) in [("fault", reported[0]), ("equipment", items[0])] {
        let res = upload(app, &owner, kind, parent, "bravo-photo.png", png(16, 12)).await;
        assert_eq!(res.status(), 201, "B's photo is attached to the {kind}");
        attachments.push(id(&res.json::<Value>().await.expect("an attachment")["id"]));
    }
    let invitation = crate::accounts::invitation_id(app, &owner, "bravo.hire@sea.example").await;
    let key = post("/api/v1/api-keys".into(), json!({ "name": "Bravo gateway", "role": "manager" })).await;
    let key_secret = key["secret"].as_str().expect("a key secret").to_owned();
    // A spare key and a spare session of B's for B's calls to revoke and end.
    let spare_key = crate::accounts::api_key_id(app, &owner, "Bravo spare", vessel).await;
    let spare = app.login(&owner.email, Some("bravo")).await;
    let spare_session = crate::accounts::session_id(app, &spare).await;
    let role_id = |role: Role| people.iter().find(|(r, _)| *r == role).map(|(_, s)| s.user_id.0).expect("a person");
    let conflict =
        crate::conflicts::conflict_on(app, &owner, reported[5], role_id(Role::Engineer), role_id(Role::Manager)).await;

    let mut ids = Ids::default();
    ids.add(Kind::Company, [b.company.id.0]);
    ids.add(Kind::Vessel, [vessel]);
    ids.add(Kind::Department, [department]);
    ids.add(Kind::User, [deckhand.user_id.0]);
    ids.add(Kind::Attachment, attachments);
    ids.add(Kind::Equipment, items.iter().copied());
    ids.add(Kind::Fault, reported);
    ids.add(Kind::Order, orders);
    ids.add(Kind::Handover, [id(&handover["id"])]);
    ids.add(Kind::Invitation, [invitation]);
    ids.add(Kind::ApiKey, [spare_key]);
    ids.add(Kind::Session, [spare_session]);
    ids.add(Kind::Conflict, [conflict]);
    // Stock and work of B's own: a part at a location, and work orders in progress.
    let part = id(
        &post("/api/v1/parts".into(), json!({ "number": "BRAVO-1", "name": "Bravo seal", "unit": "pcs" })).await["id"]
    );
    let location =
        id(&post(format!("/api/v1/vessels/{vessel}/stock-locations"), json!({ "name": "Bravo store" })).await["id"]);
    post(
        "/api/v1/stock/receipts".into(),
        json!({ "location_id": location, "part_id": part, "quantity_milli": 100_000 }),
    )
    .await;
    let mut orders_b = Vec::new();
    let mut steps_b = Vec::new();
    let mut plans_b = Vec::new();
    for item in &items {
        let step = Uuid::now_v7();
        let made = post(
            "/api/v1/work-orders".into(),
            json!({
                "equipment_id": item, "title": "Bravo job", "priority": "normal",
                "steps": [{ "id": step, "title": "Check", "kind": "pass_fail" }],
            }),
        )
        .await;
        let order = id(&made["id"]);
        let started = app.as_(&owner, Method::POST, &format!("/api/v1/work-orders/{order}/start")).send().await;
        assert_eq!(started.expect("a request").status(), 200, "B starts its work order");
        orders_b.push(order);
        steps_b.push(step);
        let plan = post(
            "/api/v1/maintenance-plans".into(),
            json!({
                "equipment_id": item, "title": "Bravo plan", "priority": "normal", "starts_on": "2026-01-01",
                "lead_days": 7, "criteria": [{ "kind": "calendar", "every": 3, "unit": "months", "basis": "from_schedule" }],
            }),
        )
        .await;
        plans_b.push(id(&plan["id"]));
    }
    ids.add(Kind::Part, [part]);
    ids.add(Kind::Location, [location]);
    ids.add(Kind::WorkOrder, orders_b);
    ids.add(Kind::Step, steps_b);
    ids.add(Kind::Plan, plans_b);
    let procedure = post("/api/v1/procedures".into(), json!({ "title": "Bravo rounds" })).await;
    ids.add(Kind::Procedure, [id(&procedure["id"])]);
    let dock =
        id(&post(format!("/api/v1/vessels/{vessel}/stock-locations"), json!({ "name": "Bravo dock" })).await["id"]);
    let transfer = Uuid::now_v7();
    post(
        "/api/v1/stock/transfers".into(),
        json!({ "id": transfer, "from_location_id": location, "to_location_id": dock, "part_id": part, "quantity_milli": 1000 }),
    )
    .await;
    ids.add(Kind::Transfer, [transfer]);
    // An item of B's assigned to B's crew member, accepted, and their report of today.
    let crew = people.iter().find(|(r, _)| *r == Role::Crew).map(|(_, s)| s.clone()).expect("B's crew");
    let start = bosun_domain::Clock::now(&*app.clock).date_naive().and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let assignment = post(
        "/api/v1/assignments".into(),
        json!({ "equipment_id": items[1], "operator_id": crew.user_id, "starts_at": start,
                "ends_at": start + chrono::Duration::days(2) }),
    )
    .await;
    let assignment = id(&assignment["id"]);
    let answered = app
        .as_(&crew, Method::POST, &format!("/api/v1/assignments/{assignment}/answer"))
        .json(&json!({ "accept": true }))
        .send()
        .await;
    assert_eq!(answered.expect("a request").status(), 200, "B's crew accepts");
    let report = app
        .as_(&crew, Method::POST, "/api/v1/daily-reports")
        .json(&json!({ "equipment_id": items[1], "day": start.date_naive(), "hours_worked": 6, "hours_idle": 1 }))
        .send()
        .await
        .expect("a request");
    assert_eq!(report.status(), 201, "B's crew reports");
    let report: Value = report.json().await.expect("a report");
    ids.add(Kind::Assignment, [assignment]);
    ids.add(Kind::Report, [id(&report["id"])]);
    ids.add(Kind::Revision, [id(&report["revision_id"])]);
    // B's purchasing: a supplier, requisitions (several, for B's calls to decide), and a sent
    // order with a catalogue line for B's calls to receive.
    let supplier =
        id(&post("/api/v1/suppliers".into(), json!({ "name": "Bravo chandler", "currency": "EUR" })).await["id"]);
    let mut requisitions = Vec::new();
    for n in 0..3 {
        let body = json!({ "id": Uuid::now_v7(), "vessel_id": vessel, "part_id": part, "quantity_milli": 1000 + n });
        let made = app.as_(&engineer_of(&people), Method::POST, "/api/v1/requisitions").json(&body).send().await;
        let made = made.expect("a request");
        assert_eq!(made.status(), 201, "B's engineer asks for a part");
        requisitions.push(id(&made.json::<Value>().await.expect("a requisition")["id"]));
    }
    let line = Uuid::now_v7();
    let order = post(
        "/api/v1/purchase-orders".into(),
        json!({ "id": Uuid::now_v7(), "vessel_id": vessel, "supplier_id": supplier,
                "lines": [{ "id": line, "part_id": part, "quantity_milli": 50_000, "supplier_unit_price_minor": 100 }] }),
    )
    .await;
    let order = id(&order["id"]);
    let sent = app
        .as_(&owner, Method::POST, &format!("/api/v1/purchase-orders/{order}/status"))
        .json(&json!({ "status": "sent" }))
        .send()
        .await;
    assert_eq!(sent.expect("a request").status(), 200, "B sends its order");
    ids.add(Kind::Supplier, [supplier]);
    ids.add(Kind::Requisition, requisitions);
    ids.add(Kind::PurchaseOrder, [order]);
    ids.add(Kind::OrderLine, [line]);
    for item in items {
        ids.qr_codes.push(qr_code_of(app, &owner, item).await);
    }
    let mut callers: Vec<(String, String)> =
        people.iter().map(|(role, s)| (format!("B's {role}"), s.token.clone())).collect();
    callers.push(("B's manager key".into(), key_secret));
    let emails = people.iter().map(|(_, s)| s.email.clone()).chain([deckhand.email.clone()]).collect();
    CompanyB { fixture: b, people, callers, ids, emails }
}

/// B's engineer: one who may ask for parts, and whose requisitions B's managers may decide.
fn engineer_of(people: &[(Role, Session)]) -> Session {
    people.iter().find(|(r, _)| *r == Role::Engineer).map(|(_, s)| s.clone()).expect("B's engineer")
}

/// A company's audit chain head: (seq, hash).
async fn audit_head(app: &TestApp, company: CompanyId) -> (i64, String) {
    let mut tx = app.app.store.begin_read(Some(company)).await.expect("a read transaction");
    let head = tx.audit_head(company).await.expect("the chain head");
    tx.commit().await.expect("the read ends");
    head
}

/// An answer: status, problem code, headers and body as text.
#[derive(Debug)]
struct Answer {
    status: u16,
    code: Option<String>,
    headers: String,
    body: String,
}

impl Answer {
    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn is_not_found(&self) -> bool {
        self.status == 404 && self.code.as_deref() == Some("not_found")
    }

    /// A success that reports a refusal: an import's dry run answers 200 with its problems.
    fn is_refusal_report(&self) -> bool {
        serde_json::from_str::<Value>(&self.body).is_ok_and(|v| v["valid"] == false && v["imported"] == 0)
    }

    fn short(&self) -> String {
        format!("{} {}", self.status, self.body.chars().take(300).collect::<String>())
    }
}

/// Sends `method path` with `body`, as `bearer` (and with `refresh` as the cookie endpoints
/// want it).
async fn send(
    app: &TestApp,
    bearer: Option<&str>,
    refresh: Option<&str>,
    method: &Method,
    path: &str,
    body: &Body,
) -> Answer {
    let mut rb = app.request(method.clone(), path);
    if let Some(token) = bearer {
        rb = rb.bearer_auth(token);
    }
    if let Some(cookie) = refresh {
        rb = rb.header("cookie", format!("__Host-bosun_refresh={cookie}")).header("x-requested-with", "bosun");
    }
    rb = match body {
        Body::None => rb,
        Body::Json(v) => rb.json(v),
        Body::Raw { content_type, text } => rb.header("content-type", *content_type).body(text.clone()),
    };
    let res = rb.send().await.unwrap_or_else(|e| panic!("{method} {path} is answered: {e}"));
    let status = res.status().as_u16();
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| format!("{k}: {}\n", String::from_utf8_lossy(v.as_bytes())))
        .collect::<String>();
    let bytes = res.bytes().await.unwrap_or_default();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    let code = serde_json::from_str::<Value>(&body).ok().and_then(|v| v["code"].as_str().map(str::to_owned));
    Answer { status, code, headers, body }
}

/// What the run shares between requests.
struct Run<'a> {
    app: &'a TestApp,
    callers: &'a [(String, String)],
    throwaways: &'a [Session],
    /// A's secrets, lower-cased.
    secrets: Vec<String>,
    /// A's ids as text.
    a_ids: BTreeSet<String>,
}

/// One request's outcome.
struct Outcome {
    n: usize,
    status: u16,
    caller: Caller,
    twins: usize,
    wrong: Vec<String>,
}

impl Run<'_> {
    fn bearer(&self, caller: Caller) -> (&str, &str, Option<&str>) {
        match caller {
            Caller::Regular(i) => (self.callers[i].0.as_str(), self.callers[i].1.as_str(), None),
            Caller::Throwaway(i) => {
                let s = &self.throwaways[i];
                ("a throwaway session of B's", s.token.as_str(), Some(s.refresh.as_str()))
            }
        }
    }

    /// A's secrets in `answer` that the request did not carry itself. B's audit trail records
    /// the ids B typed into refused requests; those alone are B's own words there.
    fn leaks(&self, p: &Planned, answer: &Answer) -> Vec<&str> {
        let path = percent_encoding::percent_decode_str(&p.path).decode_utf8_lossy().into_owned();
        let sent = format!("{path} {}", p.body.text()).to_lowercase();
        let body = if p.template == "/api/v1/audit" && answer.is_success() {
            self.without_typed_ids(&answer.body)
        } else {
            answer.body.clone()
        };
        let seen = format!("{}{body}", answer.headers).to_lowercase();
        self.secrets
            .iter()
            .filter(|s| contains_word(&seen, s) && !sent.contains(s.as_str()))
            .map(String::as_str)
            .collect()
    }

    fn without_typed_ids(&self, body: &str) -> String {
        let Ok(mut page) = serde_json::from_str::<Value>(body) else { return body.to_owned() };
        for entry in page["items"].as_array_mut().into_iter().flatten() {
            if entry["entity_id"].as_str().is_some_and(|id| self.a_ids.contains(id)) {
                entry["entity_id"] = Value::Null;
            }
        }
        page.to_string()
    }

    /// Sends `p` and judges its answer.
    async fn judge(&self, p: &Planned) -> Outcome {
        let (who, bearer, refresh) = self.bearer(p.caller);
        let answer = send(self.app, Some(bearer), refresh, &p.method, &p.path, &p.body).await;
        let what = || {
            let body: String = p.body.text().chars().take(200).collect();
            format!("#{} {} {} as {who} with {body:?}", p.n, p.method, p.path)
        };
        let mut wrong = Vec::new();
        let mut twins = 0;
        if answer.status >= 500 {
            wrong.push(format!("{}: a server error {}", what(), answer.short()));
        }
        if p.method == Method::GET && p.path == "/api/v1/companies/acme" {
            // A's card on the login page is public: a caller of B's reads just what anyone reads.
            // (B's own card may change under a concurrent branding update, so only A's is
            // compared; B's is checked for leaks like any answer.)
            let anyone = send(self.app, None, None, &p.method, &p.path, &Body::None).await;
            if (anyone.status, &anyone.body) != (answer.status, &answer.body) {
                wrong.push(format!("{}: {} where anyone gets {}", what(), answer.short(), anyone.short()));
            }
        } else {
            let leaks = self.leaks(p, &answer);
            if !leaks.is_empty() {
                wrong.push(format!("{}: shows A's {leaks:?} in {}{}", what(), answer.headers, answer.short()));
            }
        }
        let read_naming_a = p.method == Method::GET && p.a_in_query;
        if let Some(twin_path) = p.twin_path.as_deref().filter(|_| p.a_in_path || read_naming_a) {
            if p.a_in_path && answer.is_success() {
                wrong.push(format!("{}: A's id in the path answers {}", what(), answer.short()));
            } else if !answer.is_not_found() {
                twins += 1;
                let twin = send(self.app, Some(bearer), refresh, &p.method, twin_path, &p.body).await;
                if (twin.status, &twin.code) != (answer.status, &answer.code) {
                    wrong.push(format!(
                        "{}: answers {} but {} with made-up ids ({twin_path})",
                        what(),
                        answer.short(),
                        twin.short()
                    ));
                }
            }
        }
        if read_naming_a && answer.is_success() && p.template != "/api/v1/audit" {
            let page: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
            if page["items"].as_array().is_some_and(|items| !items.is_empty()) {
                wrong.push(format!("{}: filtering by A's id lists {}", what(), answer.short()));
            }
        }
        if p.method != Method::GET
            && answer.is_success()
            && (p.a_in_query || p.a_in_body)
            && !answer.is_refusal_report()
        {
            wrong.push(format!("{}: a write naming A's id succeeds: {}", what(), answer.short()));
        }
        Outcome { n: p.n, status: answer.status, caller: p.caller, twins, wrong }
    }
}

/// Whether `needle` stands in `haystack` on its own, not inside a longer run of letters and
/// digits: a random token or TOTP secret of B's may hold "acme" by chance (a few times in a
/// million), while A's names, emails and ids always stand between quotes, slashes or spaces.
fn contains_word(haystack: &str, needle: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    haystack.match_indices(needle).any(|(at, _)| {
        !is_word(haystack[..at].chars().next_back()) && !is_word(haystack[at + needle.len()..].chars().next())
    })
}

fn from_env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().map_or(default, |v| v.parse().unwrap_or_else(|_| panic!("{name}={v} is not a number")))
}

async fn another_company_learns_and_changes_nothing_over_ten_thousand_random_requests(app: TestApp) {
    let started = Instant::now();
    let seed = from_env("BOSUN_FUZZ_SEED", DEFAULT_SEED);
    let requests = usize::try_from(from_env("BOSUN_FUZZ_REQUESTS", REQUESTS as u64)).expect("a request count");
    println!("tenant_fuzz on {:?}: BOSUN_FUZZ_SEED={seed}, {requests} requests", app.backend);
    let a = company_a(&app).await;
    let b = company_b(&app).await;
    let a_company = a.acme.fixture.company.id;
    let before = snapshot(&app, &a.acme, &a.records).await;
    let head_before = audit_head(&app, a_company).await;

    let ops = operations();
    let routes: Vec<(Method, String)> = api_routes().into_iter().map(|r| (r.method, r.path)).collect();
    for (method, path) in &routes {
        assert!(ops.contains_key(&(method.as_str().to_owned(), path.clone())), "{method} {path} is in the document");
    }
    let mut draw = Draw {
        rng: StdRng::seed_from_u64(seed),
        a: &a.ids,
        b: &b.ids,
        b_emails: &b.emails,
        n: 0,
        swaps: Vec::new(),
        a_in_body: false,
    };
    let mut throwaways = 0;
    let plan: Vec<Planned> =
        (0..requests).map(|n| draw.request(n, &routes, &ops, b.callers.len(), &mut throwaways)).collect();
    let mut sessions = Vec::with_capacity(throwaways);
    for i in 0..throwaways {
        let (_, person) = &b.people[i % b.people.len()];
        sessions.push(app.login(&person.email, Some("bravo")).await);
    }
    let set_up = started.elapsed();

    let run = Run {
        app: &app,
        callers: &b.callers,
        throwaways: &sessions,
        secrets: a.secrets.iter().map(|s| s.to_lowercase()).collect(),
        a_ids: KINDS.iter().flat_map(|k| a.ids.of(*k)).map(Uuid::to_string).collect(),
    };
    let sending = Instant::now();
    let outcomes: Vec<Outcome> =
        futures::stream::iter(&plan).map(|p| run.judge(p)).buffer_unordered(IN_FLIGHT).collect().await;
    let sent = sending.elapsed();

    let wrong: Vec<&String> = outcomes.iter().flat_map(|o| &o.wrong).collect();
    if std::env::var_os("BOSUN_FUZZ_VERBOSE").is_some() {
        let mut per = BTreeMap::<(String, String), BTreeMap<u16, usize>>::new();
        for o in &outcomes {
            let p = &plan[o.n];
            *per.entry((p.template.clone(), p.method.to_string())).or_default().entry(o.status).or_default() += 1;
        }
        for (k, v) in per {
            eprintln!("{k:?} {v:?}");
        }
    }
    let mut by_status = BTreeMap::<u16, usize>::new();
    for o in &outcomes {
        *by_status.entry(o.status).or_default() += 1;
    }
    let twins: usize = outcomes.iter().map(|o| o.twins).sum();
    let naming = |f: fn(&Planned) -> bool| plan.iter().filter(|p| f(p)).count();
    let (in_path, in_query, in_body) = (naming(|p| p.a_in_path), naming(|p| p.a_in_query), naming(|p| p.a_in_body));
    println!(
        "tenant_fuzz on {:?}: {} requests (A's ids in {in_path} paths, {in_query} queries, {in_body} bodies) and \
         {twins} twins with made-up ids in {sent:.1?} after {set_up:.1?} of fixtures; statuses {by_status:?}",
        app.backend,
        plan.len()
    );
    assert!(
        wrong.is_empty(),
        "BOSUN_FUZZ_SEED={seed} on {:?}: {} of {} answers went wrong:\n{}",
        app.backend,
        wrong.len(),
        plan.len(),
        wrong.iter().take(40).map(|w| w.as_str()).collect::<Vec<_>>().join("\n")
    );

    // The run reached what it meant to: every route (in a full-length run) and every caller.
    let drawn: BTreeSet<(String, String)> = plan.iter().map(|p| (p.method.to_string(), p.template.clone())).collect();
    let missed: Vec<_> = routes.iter().filter(|(m, p)| !drawn.contains(&(m.to_string(), p.clone()))).collect();
    assert!(missed.is_empty() || requests < REQUESTS, "BOSUN_FUZZ_SEED={seed}: routes never drawn: {missed:?}");
    for (i, (who, _)) in b.callers.iter().enumerate() {
        let succeeded = outcomes
            .iter()
            .filter(|o| matches!(o.caller, Caller::Regular(c) if c == i) && (200..300).contains(&o.status));
        assert!(succeeded.count() > 0, "BOSUN_FUZZ_SEED={seed}: {who} never succeeded: is their credential alive?");
    }

    // A reads what it read before, its audit chain has not moved, and both chains hold.
    assert_eq!(snapshot(&app, &a.acme, &a.records).await, before, "BOSUN_FUZZ_SEED={seed}: A's data changed");
    assert_eq!(audit_head(&app, a_company).await, head_before, "BOSUN_FUZZ_SEED={seed}: A's audit chain moved");
    for (name, company) in [("A", a_company), ("B", b.fixture.company.id)] {
        match app.app.audit.verify(company).await.expect("the chain reads") {
            Verdict::Holds(n) => assert!(n > 0, "{name}'s chain has entries"),
            Verdict::Broken(at) => panic!("BOSUN_FUZZ_SEED={seed}: {name}'s audit chain breaks at {at:?}"),
        }
    }
    println!("tenant_fuzz on {:?}: done in {:.1?}", app.backend, started.elapsed());
}

#[test]
fn a_secret_counts_only_where_it_stands_on_its_own() {
    assert!(contains_word("{\"slug\":\"acme\"}", "acme"));
    assert!(contains_word("owner@acme.example", "acme"));
    assert!(contains_word("acme", "acme"));
    assert!(!contains_word("otpauth://totp/x?secret=kzacmeq2", "acme"));
    assert!(contains_word("x kzacmeq2 acme-photo.png", "acme"));
}

crate::on_both_backends!(another_company_learns_and_changes_nothing_over_ten_thousand_random_requests);
