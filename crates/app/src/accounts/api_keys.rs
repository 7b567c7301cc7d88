//! API keys: integrations and vessels' edge nodes acting in one company.
//!
//! - Made by owners and admins (`api_key.manage`) with a name, a role (never owner), an expiry
//!   (at most `auth.api_key_max_days`) and optionally vessels. A key with vessels reaches only
//!   those; one of a vessel-scoped role (engineer, crew, viewer) must name them.
//! - Shown once as `bsk_…` (the company's id and 256 random bits); only the SHA-256 is kept.
//! - Sent as `Authorization: Bearer bsk_…`. A key acts with its role, never as a person: no
//!   session, password, second factor or handover of its own. What it writes is recorded with
//!   the key's id as the actor.
//! - Revocable at once; the last use (time and address) is recorded at most once a minute;
//!   making and revoking are audited.

use std::collections::BTreeSet;

use bosun_domain::account::ApiKey;
use bosun_domain::permissions::Action;
use bosun_domain::person::Role;
use bosun_domain::{ApiKeyId, VesselId, Violation, check_text};
use chrono::Duration;
use serde::Deserialize;
use serde_json::json;

use crate::accounts::auth::API_KEY_PREFIX;
use crate::accounts::secrets::TenantSecret;
use crate::work::{Refusal, UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, Principal, Result, Violations};

/// Vessels one key may list at most.
const MAX_VESSELS: usize = 100;

/// Makes an API key (`create_api_key.v1`), answering it with its text (shown once).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    /// What it is for.
    pub name: String,
    /// The role it acts with (never owner).
    pub role: Role,
    /// The vessels it may reach (none: every vessel its role may see).
    #[serde(default)]
    pub vessel_ids: Vec<VesselId>,
    /// Days until it stops working (default 90).
    #[serde(default)]
    pub expires_in_days: Option<i64>,
}

/// Revokes a key (`revoke_api_key.v1`): it stops working with the next request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeApiKey {
    /// The key.
    pub api_key_id: ApiKeyId,
}

mutator!(CreateApiKey, "create_api_key.v1", (ApiKey, String), |app, uow, actor, m| {
    app.api_keys.create(uow, actor, m).await
});

mutator!(RevokeApiKey, "revoke_api_key.v1", (), |app, uow, actor, m| {
    app.api_keys.revoke(uow, actor, m.api_key_id).await
});

/// API key use cases.
#[derive(Clone)]
pub struct ApiKeyService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
    pub(crate) max_days: i64,
}

/// The audited fields of a key (never its secret).
fn key_json(k: &ApiKey) -> serde_json::Value {
    json!({
        "id": k.id, "name": k.name, "role": k.role.as_str(), "vessel_ids": k.vessels,
        "expires_at": k.expires_at,
    })
}

impl ApiKeyService {
    async fn create(&self, uow: &mut UnitOfWork, actor: &Actor, input: &CreateApiKey) -> Result<(ApiKey, String)> {
        let refused = || Error::Refused(Refusal { action: Action::ApiKeyManage, entity: "api_key", id: None });
        // A key never makes keys: a leaked admin key must not be able to outlive its
        // revocation through keys it made.
        if !actor.role.may(Action::ApiKeyManage) || actor.principal != Principal::Person {
            return Err(refused());
        }
        let mut v = Violations::default();
        let name = v.check(check_text("name", &input.name, 1, 120));
        let role = v.check(if input.role == Role::Owner {
            Err(Violation::new("role", "not_allowed", "an API key cannot be an owner"))
        } else {
            Ok(input.role)
        });
        let days = input.expires_in_days.unwrap_or(90.min(self.max_days));
        if !(1..=self.max_days).contains(&days) {
            v.check::<()>(Err(Violation::new(
                "expires_in_days",
                "out_of_range",
                format!("must be between 1 and {}", self.max_days),
            )));
        }
        let vessels: BTreeSet<VesselId> = input.vessel_ids.iter().copied().collect();
        if vessels.len() > MAX_VESSELS {
            v.check::<()>(Err(Violation::new("vessel_ids", "too_many", format!("at most {MAX_VESSELS} vessels"))));
        }
        if let Some(r) = role
            && r.is_vessel_scoped()
            && vessels.is_empty()
        {
            v.check::<()>(Err(Violation::new(
                "vessel_ids",
                "required",
                "a key of an engineer, crew or viewer role must name the vessels it reaches",
            )));
        }
        v.finish()?;
        let (Some(name), Some(role)) = (name, role) else { return Err(Error::Internal("checked fields".into())) };

        let now = self.deps.clock.now();
        let company = actor.company_id;
        let tx = &mut uow.tx;
        for vessel in &vessels {
            if tx.vessel(company, *vessel).await?.is_none() {
                return Err(Violation::new("vessel_ids", "unknown_vessel", format!("no vessel {vessel}")).into());
            }
        }
        let secret = TenantSecret::generate(&*self.deps.ids, company);
        let key = ApiKey {
            id: self.deps.ids.id(),
            company_id: company,
            name,
            role,
            vessels: vessels.into_iter().collect(),
            token_hash: secret.hash(),
            created_by: Some(actor.user_id),
            created_at: now,
            expires_at: now + Duration::days(days),
            revoked_at: None,
            last_used_at: None,
            last_used_ip: None,
        };
        tx.insert_api_key(&key).await?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("api_key.create", "api_key", key.id).after(key_json(&key)),
            )
            .await?;
        Ok((key, format!("{API_KEY_PREFIX}{}", secret.encode())))
    }

    /// The company's keys, newest first (revoked and expired ones too).
    pub async fn list(&self, actor: &Actor) -> Result<Vec<ApiKey>> {
        self.deps.authorize(actor, Action::ApiKeyManage, "api_key", None).await?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        Ok(tx.list_api_keys(actor.company_id).await?)
    }

    async fn revoke(&self, uow: &mut UnitOfWork, actor: &Actor, id: ApiKeyId) -> Result<()> {
        let tx = &mut uow.tx;
        let key = tx.api_key(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        actor.permit(Action::ApiKeyManage, "api_key", id)?;
        let now = self.deps.clock.now();
        tx.revoke_api_key(actor.company_id, id, now).await.map_err(|e| match e {
            bosun_store::StoreError::NotFound => {
                Error::Conflict { code: "already_revoked", message: "this key is already revoked".into() }
            }
            e => e.into(),
        })?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("api_key.revoke", "api_key", id).before(key_json(&key)),
            )
            .await?;
        Ok(())
    }
}
