//! The statuses every operation can answer besides its own, added to the OpenAPI document in
//! one place: whatever a route declares, the layers and extractors in front of it can refuse a
//! request (a malformed path, query or body, missing credentials, a body too large or of the
//! wrong type, the rate limit, a database that cannot be reached). Each is a shared response
//! in `components.responses`, a problem document whose `code` says which.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder, Schema};

use crate::error::CODES;
use crate::names;

const PROBLEM: &str = "application/problem+json";

/// The shared answers: (component name, description).
const SHARED: [(&str, &str); 9] = [
    (
        "BadRequest",
        "The request is malformed: a path or query parameter of the wrong type (`invalid_path`, \
         `invalid_query`), a body that is not JSON (`malformed_json`) or another malformed part \
         (`bad_request`).",
    ),
    (
        "Unauthorized",
        "No valid credentials: a missing, expired or revoked token or API key (`invalid_token`), \
         or a session that has ended (`invalid_session`).",
    ),
    (
        "Forbidden",
        "The caller's role does not allow this (`forbidden`), or they must set up a second factor \
         first (`mfa_enrollment_required`).",
    ),
    ("NotFound", "No such record, or one the caller may not know exists (`not_found`)."),
    ("PayloadTooLarge", "The body is larger than allowed (`body_too_large`, `file_too_large`)."),
    (
        "UnsupportedMediaType",
        "The body's type is not one this operation takes (`unsupported_media_type`, \
         `unsupported_file_type`).",
    ),
    (
        "UnprocessableContent",
        "Submitted values break rules (`validation_failed`); `errors` lists each field with its code.",
    ),
    (
        "TooManyRequests",
        "Over the rate limit of the caller's plan (`rate_limited`) or too many failed attempts \
         (`too_many_attempts`); `Retry-After` says when to come back.",
    ),
    ("ServiceUnavailable", "The database cannot be reached for now (`unavailable`); try again later."),
];

/// Adds the shared answers to `doc` and to every operation that can give them, and the
/// catalogue of problem codes ([`crate::error::CODES`]) to `Problem.code`.
pub(crate) fn complete(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    for (name, schema) in names::ALL {
        components.schemas.entry((*name).to_owned()).or_insert_with(*schema);
    }
    if let Some(RefOr::T(Schema::Object(problem))) = components.schemas.get_mut("Problem")
        && let Some(RefOr::T(Schema::Object(code))) = problem.properties.get_mut("code")
    {
        code.enum_values = Some(CODES.iter().map(|(c, _, _)| serde_json::Value::from(*c)).collect());
        let lines: Vec<String> = CODES.iter().map(|(c, s, what)| format!("- `{c}` ({s}): {what}")).collect();
        code.description = Some(format!("A stable machine-readable code, one of:\n\n{}", lines.join("\n")));
    }
    for (name, description) in SHARED {
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
        let response = ResponseBuilder::new().description(description).content(PROBLEM, content).build();
        components.responses.insert(name.to_owned(), RefOr::T(response));
    }
    for item in doc.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in operations.into_iter().flatten() {
            complete_operation(op);
        }
    }
}

fn complete_operation(op: &mut Operation) {
    let params = op.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
    let (path, query) = (has(ParameterIn::Path), has(ParameterIn::Query));
    let body = op.request_body.as_ref();
    let json_body = body.is_some_and(|b| b.content.keys().any(|t| t.contains("json")));
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut answers = Vec::new();
    if path || query || json_body {
        answers.push(("400", "BadRequest"));
    }
    if secured {
        answers.extend([("401", "Unauthorized"), ("403", "Forbidden")]);
    }
    if path {
        answers.push(("404", "NotFound"));
    }
    if body.is_some() {
        answers.extend([("413", "PayloadTooLarge"), ("415", "UnsupportedMediaType")]);
    }
    if query || json_body {
        answers.push(("422", "UnprocessableContent"));
    }
    answers.extend([("429", "TooManyRequests"), ("503", "ServiceUnavailable")]);
    for (status, name) in answers {
        op.responses.responses.entry(status.to_owned()).or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_documents_the_answers_of_the_layers_in_front_of_it() {
        let doc = serde_json::to_value(crate::openapi()).expect("the document serialises");
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (verb, op) in item.as_object().expect("a path item") {
                let statuses = op["responses"].as_object().expect("responses");
                for status in ["429", "503"] {
                    assert!(statuses.contains_key(status), "{verb} {path} lacks {status}");
                }
                if op.get("security").and_then(|s| s.as_array()).is_some_and(|s| !s.is_empty()) {
                    assert!(statuses.contains_key("401"), "{verb} {path} lacks 401");
                }
                if path.contains('{') {
                    assert!(statuses.contains_key("400") && statuses.contains_key("404"), "{verb} {path}");
                }
                if op.get("requestBody").is_some() {
                    assert!(statuses.contains_key("413") && statuses.contains_key("415"), "{verb} {path}");
                }
                checked += 1;
            }
        }
        assert!(checked > 60, "only {checked} operations");
        let shared = doc["components"]["responses"].as_object().expect("shared responses");
        assert_eq!(
            shared["TooManyRequests"]["content"]["application/problem+json"]["schema"]["$ref"],
            "#/components/schemas/Problem"
        );
    }
}

#[cfg(test)]
mod catalogue {
    use std::collections::HashSet;

    use crate::error::CODES;

    #[test]
    fn each_code_is_listed_once_under_an_error_status() {
        let mut seen = HashSet::new();
        for (code, status, what) in CODES {
            assert!(seen.insert(code), "{code} listed twice");
            assert!((400..600).contains(status), "{code}: {status}");
            assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !what.is_empty(), "{code}");
        }
    }
}
