//! Request schemas that utoipa's derive cannot state: the free-form `specs` of vessels and
//! equipment (any JSON without U+0000, recursively), and the rules between two fields of one
//! body that JSON Schema can say with `if`/`then` (an API key of a vessel-scoped role names its
//! vessels; only a ship has an IMO number). Each mirrors a check of the use cases, which stay
//! the authority; these make the document say what they accept.

use std::borrow::Cow;

use serde_json::{Value, json};
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::schema::{AdditionalProperties, AnyOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{OpenApi, Ref, RefOr};

use bosun_domain::person::Role;
use bosun_domain::vessel::VesselKind;

/// Strings and names without U+0000, which PostgreSQL's `jsonb` cannot hold (refused on both
/// backends alike as `control_characters`).
const NO_NUL: &str = r"^[^\u0000]*$";

/// Nothing but white space (what Rust's `str::trim` removes), which the server reads as absent.
const BLANK: &str = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$";

/// A JSON object of free-form specifications (at most 16 KiB as JSON text): any values, but no
/// U+0000 in a key or a string at any depth.
pub struct Specs;

impl utoipa::PartialSchema for Specs {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("Free-form specifications: a JSON object of at most 16 KiB as JSON text, with no U+0000 in any key or string."))
            .property_names(Some(no_nul()))
            .additional_properties(Some(AdditionalProperties::RefOr(RefOr::Ref(Ref::from_schema_name("SpecValue")))))
            .into()
    }
}

impl utoipa::ToSchema for Specs {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Specs")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push(("SpecValue".to_owned(), spec_value()));
    }
}

fn no_nul() -> Schema {
    ObjectBuilder::new().schema_type(Type::String).pattern(Some(NO_NUL)).into()
}

/// Any JSON value inside [`Specs`]: `anyOf` its types, strings and object keys without U+0000,
/// and the elements of an array each a `SpecValue` again.
fn spec_value() -> RefOr<Schema> {
    let of = |t: Type| ObjectBuilder::new().schema_type(t);
    let mut value =
        AnyOfBuilder::new()
            .item(of(Type::Null))
            .item(of(Type::Boolean))
            .item(of(Type::Number))
            .item(of(Type::String).pattern(Some(NO_NUL)))
            .item(of(Type::Array))
            .item(of(Type::Object).property_names(Some(no_nul())).additional_properties(Some(
                AdditionalProperties::RefOr(RefOr::Ref(Ref::from_schema_name("SpecValue"))),
            )))
            .description(Some("A value inside `specs`: any JSON without U+0000 in a key or string."))
            .build();
    // `items` beside `anyOf` rather than in its array branch: it applies to arrays only all the
    // same, and a generated TypeScript client then types arrays as `unknown[]` instead of
    // referring to this schema in its own element type, which TypeScript refuses.
    value.extensions = Some(Extensions::from_iter([("items", json!({ "$ref": "#/components/schemas/SpecValue" }))]));
    Schema::AnyOf(value).into()
}

/// Adds the rules between fields to the body schemas they concern.
pub(crate) fn add_conditions(doc: &mut OpenApi) {
    let scoped: Vec<&str> = Role::ALL.iter().filter(|r| r.is_vessel_scoped()).map(|r| r.as_str()).collect();
    // An engineer's, crew member's or viewer's key reaches only the vessels it names.
    condition(
        doc,
        "NewApiKeyBody",
        json!({ "properties": { "role": { "enum": scoped } }, "required": ["role"] }),
        json!({ "properties": { "vessel_ids": { "minItems": 1 } }, "required": ["vessel_ids"] }),
    );
    // Only a vessel of kind `vessel` (a ship) has an IMO number; blank is none.
    let not_a_ship = json!({
        "properties": { "kind": { "not": { "const": VesselKind::Vessel.as_str() } } },
        "required": ["kind"],
    });
    let no_imo = json!({ "properties": { "imo": { "type": ["string", "null"], "pattern": BLANK } } });
    for body in ["NewVesselBody", "VesselUpdateBody"] {
        condition(doc, body, not_a_ship.clone(), no_imo.clone());
    }
}

/// Adds `if`/`then` to the component schema `name` (an object schema of a body; a test below
/// checks that each one is there), inside an `allOf`: utoipa keeps such keywords in a map
/// without order, and one key per schema keeps the document the same from one run to the next.
fn condition(doc: &mut OpenApi, name: &str, when: Value, then: Value) {
    let schema = doc.components.as_mut().and_then(|c| c.schemas.get_mut(name));
    if let Some(RefOr::T(Schema::Object(object))) = schema {
        let extensions = object.extensions.get_or_insert_with(Default::default);
        let all_of = extensions.entry("allOf".to_owned()).or_insert_with(|| json!([]));
        if let Some(rules) = all_of.as_array_mut() {
            rules.push(json!({ "if": when, "then": then }));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_condition_lands_on_its_body() {
        let doc = serde_json::to_value(crate::openapi()).expect("the document serialises");
        let schemas = &doc["components"]["schemas"];
        for body in ["NewApiKeyBody", "NewVesselBody", "VesselUpdateBody"] {
            let rule = &schemas[body]["allOf"][0];
            assert!(rule["if"].is_object() && rule["then"].is_object(), "{body}");
        }
        assert_eq!(
            schemas["NewApiKeyBody"]["allOf"][0]["if"]["properties"]["role"]["enum"],
            serde_json::json!(["engineer", "crew", "viewer"])
        );
        assert_eq!(schemas["SpecValue"]["items"]["$ref"], "#/components/schemas/SpecValue");
        assert_eq!(schemas["SpecValue"]["anyOf"].as_array().map(Vec::len), Some(6));
        assert_eq!(
            schemas["NewEquipmentBody"]["properties"]["specs"]["oneOf"][1]["$ref"],
            "#/components/schemas/Specs"
        );
    }
}
