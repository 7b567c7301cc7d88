//! Companies: the tenants of Bosun, with their branding and subscription.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::{CompanyId, Violation, check_text};

/// A company's URL name: 2–40 lowercase letters, digits and inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CompanySlug(String);

impl CompanySlug {
    /// Parses a slug, reporting the rule it breaks against `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self, Violation> {
        let ok_chars = s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !(2..=40).contains(&s.len()) || !ok_chars || s.starts_with('-') || s.ends_with('-') {
            return Err(Violation::new(
                field,
                "invalid_slug",
                "must be 2–40 lowercase letters, digits or inner hyphens",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CompanySlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a company stands with its subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionStatus {
    /// Evaluating Bosun.
    Trial,
    /// Paying and current.
    Active,
    /// A payment is late; the service goes on.
    PastDue,
    /// Ended.
    Cancelled,
}

impl SubscriptionStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [Self; 4] = [Self::Trial, Self::Active, Self::PastDue, Self::Cancelled];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trial => "trial",
            Self::Active => "active",
            Self::PastDue => "past_due",
            Self::Cancelled => "cancelled",
        }
    }
}

impl FromStr for SubscriptionStatus {
    type Err = Violation;
    fn from_str(s: &str) -> Result<Self, Violation> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| {
            Violation::new("subscription_status", "unknown_value", "must be trial, active, past_due or cancelled")
        })
    }
}

/// The subscription plan, which sets a company's request rate limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// The entry plan (by default 100 requests a minute per person or API key).
    Basic,
    /// The larger plan (by default 1,000 requests a minute per person or API key).
    Pro,
    /// A rate agreed with the company (`rate_limit_per_minute`), else the server's default.
    Enterprise,
}

impl Plan {
    /// Every plan, smallest first.
    pub const ALL: [Self; 3] = [Self::Basic, Self::Pro, Self::Enterprise];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Pro => "pro",
            Self::Enterprise => "enterprise",
        }
    }
}

impl FromStr for Plan {
    type Err = Violation;
    fn from_str(s: &str) -> Result<Self, Violation> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| Violation::new("plan", "unknown_value", "must be basic, pro or enterprise"))
    }
}

/// How a company presents itself on its login page and in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branding {
    /// The name shown to people.
    pub display_name: String,
    /// An `https://` (or same-site `/`) address of the logo, if any.
    pub logo_url: Option<String>,
    /// A `#rrggbb` colour.
    pub primary_color: String,
}

impl Branding {
    /// The branding a new company starts with.
    pub fn default_for(name: &str) -> Self {
        Self { display_name: name.to_owned(), logo_url: None, primary_color: "#0b4f6c".to_owned() }
    }

    /// Checks every field, returning all violations at once.
    pub fn parse(display_name: &str, logo_url: Option<&str>, primary_color: &str) -> Result<Self, Vec<Violation>> {
        let mut errors = Vec::new();
        let display_name = check_text("display_name", display_name, 1, 120).map_err(|v| errors.push(v)).ok();
        let logo_url = match logo_url.map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(None),
            Some(u)
                if u.len() <= 2048
                    && (u.starts_with("https://") || (u.starts_with('/') && !u.starts_with("//")))
                    && !u.chars().any(|c| c.is_whitespace() || c.is_control()) =>
            {
                Some(Some(u.to_owned()))
            }
            Some(_) => {
                errors.push(Violation::new(
                    "logo_url",
                    "invalid_url",
                    "must be an https:// address or a path starting with /",
                ));
                None
            }
        };
        let color_ok = primary_color.len() == 7
            && primary_color.starts_with('#')
            && primary_color[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !color_ok {
            errors.push(Violation::new("primary_color", "invalid_color", "must be a colour like #0b4f6c"));
        }
        match (display_name, logo_url) {
            (Some(display_name), Some(logo_url)) if errors.is_empty() => {
                Ok(Self { display_name, logo_url, primary_color: primary_color.to_ascii_lowercase() })
            }
            _ => Err(errors),
        }
    }
}

/// A markup on parts, in basis points (2000 = 20 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkupBasisPoints(pub i64);

impl MarkupBasisPoints {
    /// The markup every new company starts with: 20 %.
    pub const DEFAULT: Self = Self(2000);
}

/// A tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    /// Its id.
    pub id: CompanyId,
    /// Its URL name, unique across Bosun.
    pub slug: CompanySlug,
    /// Its legal or trading name.
    pub name: String,
    /// How it presents itself.
    pub branding: Branding,
    /// Its subscription.
    pub subscription_status: SubscriptionStatus,
    /// The markup applied to supplier prices of parts.
    pub parts_markup: MarkupBasisPoints,
    /// The subscription plan (rate limits).
    pub plan: Plan,
    /// The agreed requests a minute per person or API key (enterprise plan only).
    pub rate_limit_per_minute: Option<i64>,
    /// Whether owners and admins must sign in with a second factor.
    pub require_mfa: bool,
    /// Whether stock may go below zero at a location.
    pub negative_stock: crate::stock::NegativeStock,
    /// Server sequence of its last change.
    pub version: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Company {
    /// A new company `id` in trial with default branding and markup.
    pub fn new(id: CompanyId, slug: CompanySlug, name: &str, at: DateTime<Utc>) -> Result<Self, Violation> {
        let name = check_text("name", name, 1, 120)?;
        Ok(Self {
            id,
            slug,
            branding: Branding::default_for(&name),
            name,
            subscription_status: SubscriptionStatus::Trial,
            parts_markup: MarkupBasisPoints::DEFAULT,
            plan: Plan::Basic,
            rate_limit_per_minute: None,
            require_mfa: false,
            negative_stock: crate::stock::NegativeStock::Refuse,
            version: 1,
            created_at: at,
            updated_at: at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_with_inner_hyphens() {
        assert!(CompanySlug::parse("slug", "north-wind2").is_ok());
        for bad in ["", "a", "North", "-x", "x-", "a b", "ünï", &"x".repeat(41)] {
            assert!(CompanySlug::parse("slug", bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn branding_reports_every_bad_field_at_once() {
        let errs = Branding::parse("", Some("javascript:alert(1)"), "red").unwrap_err();
        let fields: Vec<_> = errs.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["display_name", "logo_url", "primary_color"]);
    }

    #[test]
    fn branding_accepts_https_logo_and_normalises_colour() {
        let b = Branding::parse(" Acme ", Some("https://cdn.example/logo.png"), "#ABCDEF").unwrap();
        assert_eq!(b.display_name, "Acme");
        assert_eq!(b.primary_color, "#abcdef");
    }
}
