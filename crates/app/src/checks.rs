//! Input checks every context shares: free text that may span lines, and comma-separated lists
//! of enum names in query strings.

use bosun_domain::Violation;

use crate::{Result, Violations};

/// Checks free text that may span lines (descriptions, comments, notes): trimmed, between
/// `min` and `max` characters, no control characters but line breaks and tabs.
pub(crate) fn check_long_text(field: &str, value: &str, min: usize, max: usize) -> Result<String, Violation> {
    let trimmed = value.trim();
    let n = trimmed.chars().count();
    if n < min {
        return Err(Violation::new(field, "too_short", format!("must have at least {min} characters")));
    }
    if n > max {
        return Err(Violation::new(field, "too_long", format!("must have at most {max} characters")));
    }
    if trimmed.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(Violation::new(field, "control_characters", "must not contain control characters"));
    }
    Ok(trimmed.to_owned())
}

/// A comma-separated list of enum names (`open,acknowledged`), every one checked.
pub fn parse_list<T: std::str::FromStr<Err = Violation>>(text: Option<&str>) -> Result<Vec<T>> {
    let Some(text) = text else { return Ok(Vec::new()) };
    let mut v = Violations::default();
    let items: Vec<T> =
        text.split(',').map(str::trim).filter(|s| !s.is_empty()).filter_map(|s| v.check(s.parse::<T>())).collect();
    v.finish()?;
    Ok(items)
}
