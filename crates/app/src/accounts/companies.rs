//! Companies: creation (command line, demo), public branding, branding changes, "who am I".

use bosun_domain::CompanyId;
use bosun_domain::company::{Branding, Company, CompanySlug, Plan};
use bosun_domain::permissions::Action;
use bosun_domain::person::{Membership, User};
use bosun_store::Change;
use serde::Deserialize;
use serde_json::json;

use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, RequestMeta, Result, Violations};

/// Branding as submitted.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandingInput {
    /// Name shown to people.
    pub display_name: String,
    /// Logo address.
    #[serde(default)]
    pub logo_url: Option<String>,
    /// `#rrggbb`.
    pub primary_color: String,
}

/// Changes the caller's company's branding (`update_branding.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateBranding {
    /// The caller's company (any other is not found).
    pub company_id: CompanyId,
    /// The new branding.
    pub branding: BrandingInput,
}

/// Sets whether the company's owners and admins must sign in with a second factor
/// (`update_company_security.v1`). Turning it on needs the caller's own second factor (so they
/// cannot lock themselves out).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateCompanySecurity {
    /// The caller's company (any other is not found).
    pub company_id: CompanyId,
    /// Whether owners and admins need a second factor.
    pub require_mfa: bool,
}

mutator!(UpdateBranding, "update_branding.v1", Company, |app, uow, actor, m| {
    app.companies.update_branding(uow, actor, m).await
});

/// Changes the company's purchasing settings (`update_purchasing_settings.v1`): the markup
/// applied to supplier prices from now on (what was priced keeps its own) and whether stock may
/// go below zero at a location.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdatePurchasingSettings {
    /// The caller's company (any other is not found).
    pub company_id: CompanyId,
    /// The parts markup in basis points, 0–100,000 (0 % to 1,000 %; 2000 is 20 %).
    pub parts_markup_bp: i64,
    /// `refuse` (a movement below zero is refused) or `allow`.
    pub negative_stock: bosun_domain::stock::NegativeStock,
}

/// The largest parts markup, basis points (1,000 %).
pub const MAX_MARKUP_BP: i64 = 100_000;

mutator!(UpdatePurchasingSettings, "update_purchasing_settings.v1", Company, |app, uow, actor, m| {
    app.companies.update_purchasing(uow, actor, m).await
});

mutator!(UpdateCompanySecurity, "update_company_security.v1", Company, |app, uow, actor, m| {
    app.companies.update_security(uow, actor, m).await
});

/// Company use cases.
#[derive(Clone)]
pub struct CompanyService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
}

/// The JSON form of a company in the audit trail and the change log.
pub(crate) fn company_json(c: &Company) -> serde_json::Value {
    json!({
        "id": c.id, "slug": c.slug.as_str(), "name": c.name,
        "display_name": c.branding.display_name, "logo_url": c.branding.logo_url,
        "primary_color": c.branding.primary_color, "subscription_status": c.subscription_status.as_str(),
        "parts_markup_bp": c.parts_markup.0, "negative_stock": c.negative_stock.as_str(),
    })
}

/// The branding fields as the change log carries them.
fn branding_json(b: &Branding) -> serde_json::Value {
    json!({ "display_name": b.display_name, "logo_url": b.logo_url, "primary_color": b.primary_color })
}

impl CompanyService {
    /// Registers a company (no actor: the command line or the demo seed).
    pub async fn create(&self, slug: &str, name: &str, meta: &RequestMeta) -> Result<Company> {
        let mut v = Violations::default();
        let slug = v.check(CompanySlug::parse("slug", slug));
        v.finish()?;
        let Some(slug) = slug else { return Err(Error::Internal("slug parsed".into())) };
        let mut company = Company::new(self.deps.ids.id(), slug, name, self.deps.clock.now())?;
        let mut tx = self.deps.store.begin(Some(company.id)).await?;
        if tx.company_by_slug(&company.slug).await?.is_some() {
            return Err(Error::Conflict { code: "slug_taken", message: format!("the slug {} is taken", company.slug) });
        }
        let after = company_json(&company);
        company.version = tx.record_change(company.id, &self.change(&company, "insert", after.clone())).await?;
        tx.insert_company(&company).await.map_err(|e| match e {
            bosun_store::StoreError::Conflict(_) => {
                Error::Conflict { code: "slug_taken", message: format!("the slug {} is taken", company.slug) }
            }
            e => e.into(),
        })?;
        self.deps
            .audit(&mut tx, company.id, None, meta, Audit::ok("company.create", "company", company.id).after(after))
            .await?;
        tx.commit().await?;
        Ok(company)
    }

    fn change(&self, c: &Company, op: &'static str, fields: serde_json::Value) -> Change {
        Change {
            scope: format!("company:{}", c.id),
            entity: "company",
            row_id: c.id.0,
            op,
            fields,
            at: self.deps.clock.now(),
        }
    }

    /// The public face of a company, for its login page.
    pub async fn public_branding(&self, slug: &str) -> Result<Company> {
        let slug = CompanySlug::parse("slug", slug).map_err(|_| Error::NotFound)?;
        let mut tx = self.deps.store.begin_read(None).await?;
        tx.company_by_slug(&slug).await?.ok_or(Error::NotFound)
    }

    async fn update_branding(&self, uow: &mut UnitOfWork, actor: &Actor, u: &UpdateBranding) -> Result<Company> {
        let (company, input) = (u.company_id, &u.branding);
        if company != actor.company_id {
            return Err(Error::NotFound);
        }
        actor.permit(Action::BrandingUpdate, "company", company)?;
        let mut branding = Branding::parse(&input.display_name, input.logo_url.as_deref(), &input.primary_color)
            .map_err(Error::Invalid)?;
        let scope = format!("company:{company}");
        uow.hold_scope(company, &scope).await?;
        let before = uow.tx.company_by_id(company).await?.ok_or(Error::NotFound)?;
        // A pushed edit made against a base version is decided field by field against what
        // changed since, as a vessel's: a field the person did not change keeps the stored
        // value; one both changed goes by clock, the other value kept as a conflict.
        if let Some(since) = uow.since_base(company, "company", company.0).await? {
            let (mine, now) = (branding_json(&branding), branding_json(&before.branding));
            let at = (scope.as_str(), "company", company.0);
            for field in ["display_name", "logo_url", "primary_color"] {
                let (m, n) = (&mine[field], &now[field]);
                if !since.written(field, m, n)
                    || !uow.field_applies(&self.deps, actor, at, &since, field, (m, n)).await?
                {
                    match field {
                        "display_name" => branding.display_name.clone_from(&before.branding.display_name),
                        "logo_url" => branding.logo_url.clone_from(&before.branding.logo_url),
                        _ => branding.primary_color.clone_from(&before.branding.primary_color),
                    }
                }
            }
        }
        let tx = &mut uow.tx;
        let fields = branding_json(&branding);
        let version = tx.record_change(company, &self.change(&before, "update", fields)).await?;
        let after = tx.update_company_branding(company, &branding, version, self.deps.clock.now()).await?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("company.branding.update", "company", company)
                    .before(company_json(&before))
                    .after(company_json(&after)),
            )
            .await?;
        Ok(after)
    }

    async fn update_purchasing(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        u: &UpdatePurchasingSettings,
    ) -> Result<Company> {
        let company = u.company_id;
        if company != actor.company_id {
            return Err(Error::NotFound);
        }
        actor.permit(Action::PurchasingUpdate, "company", company)?;
        if !(0..=MAX_MARKUP_BP).contains(&u.parts_markup_bp) {
            return Err(bosun_domain::Violation::new(
                "parts_markup_bp",
                "out_of_range",
                format!("must be 0 to {MAX_MARKUP_BP} basis points"),
            )
            .into());
        }
        let scope = format!("company:{company}");
        uow.tx.lock_scope(company, &scope).await?;
        let before = uow.tx.company_by_id(company).await?.ok_or(Error::NotFound)?;
        let markup = bosun_domain::company::MarkupBasisPoints(u.parts_markup_bp);
        if before.parts_markup == markup && before.negative_stock == u.negative_stock {
            return Ok(before);
        }
        let fields = json!({ "parts_markup_bp": markup.0, "negative_stock": u.negative_stock.as_str() });
        let now = self.deps.clock.now();
        let version = uow.tx.record_change(company, &self.change(&before, "update", fields.clone())).await?;
        let after = uow.tx.update_company_purchasing(company, markup, u.negative_stock, version, now).await?;
        self.deps
            .audit(
                &mut uow.tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("company.purchasing.update", "company", company)
                    .before(json!({
                        "parts_markup_bp": before.parts_markup.0, "negative_stock": before.negative_stock.as_str(),
                    }))
                    .after(fields),
            )
            .await?;
        Ok(after)
    }

    async fn update_security(&self, uow: &mut UnitOfWork, actor: &Actor, u: &UpdateCompanySecurity) -> Result<Company> {
        let (company, require_mfa) = (u.company_id, u.require_mfa);
        if company != actor.company_id {
            return Err(Error::NotFound);
        }
        actor.permit(Action::SecurityUpdate, "company", company)?;
        let now = self.deps.clock.now();
        let tx = &mut uow.tx;
        if require_mfa && tx.user_mfa(actor.user_id).await?.is_none_or(|m| m.confirmed_at.is_none()) {
            return Err(Error::Conflict {
                code: "mfa_not_enabled",
                message: "set up your own second factor before requiring one of owners and admins".into(),
            });
        }
        let before = tx.company_by_id(company).await?.ok_or(Error::NotFound)?;
        let after = tx.update_company_security(company, require_mfa, now).await?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("company.security.update", "company", company)
                    .before(json!({ "require_mfa": before.require_mfa }))
                    .after(json!({ "require_mfa": after.require_mfa })),
            )
            .await?;
        Ok(after)
    }

    /// Sets a company's plan (the operator's command line: plans are Bosun's to set, not the
    /// company's).
    pub async fn set_plan(
        &self,
        slug: &str,
        plan: &str,
        rate_limit_per_minute: Option<i64>,
        meta: &RequestMeta,
    ) -> Result<Company> {
        let mut v = Violations::default();
        let plan = v.check(plan.parse::<Plan>());
        if rate_limit_per_minute.is_some_and(|r| !(1..=1_000_000_000).contains(&r)) {
            v.check::<()>(Err(bosun_domain::Violation::new(
                "rate_limit_per_minute",
                "out_of_range",
                "must be between 1 and 1000000000",
            )));
        }
        v.finish()?;
        let Some(plan) = plan else { return Err(Error::Internal("plan parsed".into())) };
        let company = self.public_branding(slug).await?;
        let mut tx = self.deps.store.begin(Some(company.id)).await?;
        let after = tx.update_company_plan(company.id, plan, rate_limit_per_minute, self.deps.clock.now()).await?;
        self.deps
            .audit(
                &mut tx,
                company.id,
                None,
                meta,
                Audit::ok("company.plan.update", "company", company.id)
                    .before(json!({ "plan": company.plan.as_str(), "rate_limit_per_minute": company.rate_limit_per_minute }))
                    .after(json!({ "plan": after.plan.as_str(), "rate_limit_per_minute": after.rate_limit_per_minute })),
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The caller, their standing and their company.
    pub async fn me(&self, actor: &Actor) -> Result<(User, Membership, Company)> {
        if actor.principal != crate::Principal::Person {
            // An API key is no person: it has no profile, sessions or second factor.
            return Err(Error::Forbidden);
        }
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let user = tx.user_by_id(actor.user_id).await?.ok_or(Error::NotFound)?;
        let m = tx.membership(actor.company_id, actor.user_id).await?.ok_or(Error::NotFound)?;
        let c = tx.company_by_id(actor.company_id).await?.ok_or(Error::NotFound)?;
        Ok((user, m, c))
    }
}
