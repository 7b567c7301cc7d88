//! Companies: the tenant registry.

use async_trait::async_trait;
use bosun_domain::company::{Branding, Company, CompanySlug, MarkupBasisPoints, Plan, SubscriptionStatus};
use bosun_domain::stock::NegativeStock;
use bosun_domain::{CompanyId, audit};
use bosun_store::{CompanyRepo, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::rows::DbRow;
use crate::{SqlTx, expect_one, run};

macro_rules! columns {
    () => {
        "id, slug, name, display_name, logo_url, primary_color, subscription_status, parts_markup_bp, \
         plan, rate_limit_per_minute, require_mfa, negative_stock, version, created_at, updated_at"
    };
}

fn company_from(r: &DbRow) -> StoreResult<Company> {
    let slug: String = r.get("slug")?;
    Ok(Company {
        id: CompanyId(r.get("id")?),
        slug: CompanySlug::parse("slug", &slug).map_err(|v| StoreError::Other(v.message))?,
        name: r.get("name")?,
        branding: Branding {
            display_name: r.get("display_name")?,
            logo_url: r.get("logo_url")?,
            primary_color: r.get("primary_color")?,
        },
        subscription_status: r.parse("subscription_status")?,
        parts_markup: MarkupBasisPoints(r.get("parts_markup_bp")?),
        plan: r.parse("plan")?,
        rate_limit_per_minute: r.get("rate_limit_per_minute")?,
        require_mfa: r.get("require_mfa")?,
        negative_stock: r.parse("negative_stock")?,
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

#[async_trait]
impl CompanyRepo for SqlTx {
    async fn insert_company(&mut self, c: &Company) -> StoreResult<()> {
        self.scoped(c.id)?;
        run!(
            self,
            execute,
            "INSERT INTO companies (id, slug, name, display_name, logo_url, primary_color, subscription_status,
                                    parts_markup_bp, plan, rate_limit_per_minute, require_mfa, version,
                                    created_at, updated_at, negative_stock)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            c.id.0,
            c.slug.as_str(),
            &c.name,
            &c.branding.display_name,
            &c.branding.logo_url,
            &c.branding.primary_color,
            c.subscription_status.as_str(),
            c.parts_markup.0,
            c.plan.as_str(),
            c.rate_limit_per_minute,
            c.require_mfa,
            c.version,
            c.created_at,
            c.updated_at,
            c.negative_stock.as_str()
        )?;
        run!(
            self,
            execute,
            "INSERT INTO audit_heads (company_id, seq, hash) VALUES ($1, 0, $2)",
            c.id.0,
            hex_genesis()
        )?;
        Ok(())
    }

    async fn company_by_slug(&mut self, slug: &CompanySlug) -> StoreResult<Option<Company>> {
        const SQL: &str = concat!("SELECT ", columns!(), " FROM companies WHERE slug = $1 AND deleted_at IS NULL");
        run!(self, fetch_optional, SQL, slug.as_str())?.as_ref().map(company_from).transpose()
    }

    async fn company_by_id(&mut self, id: CompanyId) -> StoreResult<Option<Company>> {
        const SQL: &str = concat!("SELECT ", columns!(), " FROM companies WHERE id = $1 AND deleted_at IS NULL");
        run!(self, fetch_optional, SQL, id.0)?.as_ref().map(company_from).transpose()
    }

    async fn update_company_branding(
        &mut self,
        id: CompanyId,
        b: &Branding,
        version: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Company> {
        self.scoped(id)?;
        let n =
            run!(self, execute,
            "UPDATE companies SET display_name = $2, logo_url = $3, primary_color = $4, version = $5, updated_at = $6
              WHERE id = $1 AND deleted_at IS NULL",
            id.0, &b.display_name, &b.logo_url, &b.primary_color, version, at)?;
        expect_one(n)?;
        self.company_by_id(id).await?.ok_or(StoreError::NotFound)
    }

    async fn update_subscription_status(
        &mut self,
        id: CompanyId,
        status: SubscriptionStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.scoped(id)?;
        let n = run!(
            self,
            execute,
            "UPDATE companies SET subscription_status = $2, updated_at = $3 WHERE id = $1",
            id.0,
            status.as_str(),
            at
        )?;
        expect_one(n)
    }

    async fn update_company_security(
        &mut self,
        id: CompanyId,
        require_mfa: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<Company> {
        self.scoped(id)?;
        // Who must show a second factor is part of every session's standing.
        self.mark_standing_changed();
        let n = run!(
            self,
            execute,
            "UPDATE companies SET require_mfa = $2, updated_at = $3 WHERE id = $1 AND deleted_at IS NULL",
            id.0,
            require_mfa,
            at
        )?;
        expect_one(n)?;
        self.company_by_id(id).await?.ok_or(StoreError::NotFound)
    }

    async fn update_company_purchasing(
        &mut self,
        id: CompanyId,
        markup: MarkupBasisPoints,
        negative_stock: NegativeStock,
        version: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Company> {
        self.scoped(id)?;
        let n = run!(
            self,
            execute,
            "UPDATE companies SET parts_markup_bp = $2, negative_stock = $3, version = $4, updated_at = $5
              WHERE id = $1 AND deleted_at IS NULL",
            id.0,
            markup.0,
            negative_stock.as_str(),
            version,
            at
        )?;
        expect_one(n)?;
        self.company_by_id(id).await?.ok_or(StoreError::NotFound)
    }

    async fn update_company_plan(
        &mut self,
        id: CompanyId,
        plan: Plan,
        rate_limit_per_minute: Option<i64>,
        at: DateTime<Utc>,
    ) -> StoreResult<Company> {
        self.scoped(id)?;
        self.mark_standing_changed();
        let n = run!(
            self,
            execute,
            "UPDATE companies SET plan = $2, rate_limit_per_minute = $3, updated_at = $4
              WHERE id = $1 AND deleted_at IS NULL",
            id.0,
            plan.as_str(),
            rate_limit_per_minute,
            at
        )?;
        expect_one(n)?;
        self.company_by_id(id).await?.ok_or(StoreError::NotFound)
    }

    async fn list_company_ids(&mut self) -> StoreResult<Vec<CompanyId>> {
        run!(self, fetch_all, "SELECT id FROM companies ORDER BY id")?
            .iter()
            .map(|r| r.get::<Uuid>("id").map(CompanyId))
            .collect()
    }
}

fn hex_genesis() -> String {
    hex::encode(audit::GENESIS)
}
