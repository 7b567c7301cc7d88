//! Input checks every context shares: free text that may span lines, and comma-separated lists
//! of enum names in query strings.

use bosun_domain::Violation;

use crate::{Result, Violations};

pub(crate) use bosun_domain::check_long_text;

/// A comma-separated list of enum names (`open,acknowledged`), every one checked.
pub fn parse_list<T: std::str::FromStr<Err = Violation>>(text: Option<&str>) -> Result<Vec<T>> {
    let Some(text) = text else { return Ok(Vec::new()) };
    let mut v = Violations::default();
    let items: Vec<T> =
        text.split(',').map(str::trim).filter(|s| !s.is_empty()).filter_map(|s| v.check(s.parse::<T>())).collect();
    v.finish()?;
    Ok(items)
}
