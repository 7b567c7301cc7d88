//! The field policy ([`bosun_domain::fields`]) applied to rows that leave the server as JSON
//! objects: change-log rows (the sync pull), the before and after of audit entries, exports.
//! Typed answers (the HTTP views) ask the policy field by field instead.

use bosun_domain::fields::{Entity, FieldPolicy};

/// Leaves out of `row`, a row of the entity named `entity` (`fault`, `parts_order`, ...), every
/// field the reader under `policy` may not read. Rows of entities without restricted fields,
/// and values that are not objects, pass unchanged.
pub fn redact(policy: FieldPolicy, entity: &str, row: &mut serde_json::Value) {
    let (Some(entity), Some(fields)) = (Entity::named(entity), row.as_object_mut()) else { return };
    for field in policy.hidden(entity) {
        fields.remove(field.name());
        for alias in field.aliases() {
            fields.remove(*alias);
        }
    }
}

#[cfg(test)]
mod tests {
    use bosun_domain::person::Role;
    use serde_json::json;

    use super::*;

    #[test]
    fn change_log_rows_lose_exactly_the_fields_the_reader_may_not_read() {
        let mut row = json!({
            "id": "o1", "part_name": "Bearing", "quantity": 2,
            "supplier_unit_price_minor": 4200, "customer_unit_price_minor": 4830, "markup_basis_points": 1500,
        });
        let mut manager = row.clone();
        redact(FieldPolicy::of(Role::Manager), "parts_order", &mut manager);
        assert_eq!(manager, row, "a manager reads every price");
        let mut engineer = row.clone();
        redact(FieldPolicy::of(Role::Engineer), "parts_order", &mut engineer);
        assert_eq!(
            engineer,
            json!({ "id": "o1", "part_name": "Bearing", "quantity": 2, "customer_unit_price_minor": 4830 })
        );
        redact(FieldPolicy::of(Role::Crew), "parts_order", &mut row);
        assert_eq!(row, json!({ "id": "o1", "part_name": "Bearing", "quantity": 2 }));
    }

    #[test]
    fn a_company_row_loses_its_markup_under_either_name() {
        let mut row = json!({ "name": "Acme", "parts_markup_bp": 1500, "parts_markup_percent": 15.0 });
        redact(FieldPolicy::of(Role::Engineer), "company", &mut row);
        assert_eq!(row, json!({ "name": "Acme" }));
    }

    #[test]
    fn rows_without_restricted_fields_pass_unchanged() {
        let mut row = json!({ "name": "Pump", "repair_seconds": 5 });
        redact(FieldPolicy::of(Role::Crew), "equipment", &mut row);
        assert_eq!(row["repair_seconds"], 5, "equipment has no restricted field of that name");
    }
}
