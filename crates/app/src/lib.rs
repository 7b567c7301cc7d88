//! Bosun's use cases, one folder per context: `accounts` (people, sign-in, second factors,
//! invitations, API keys, rate limits), `fleet` (vessels, crews, equipment), `maintenance`
//! (faults, parts orders, handovers, attachments), `stock` (parts catalogue, stock ledger),
//! `work_orders` (work orders, checklists, labour) and `records` (audit trail, analytics).
//! Every use case checks who may do what, writes the entity, its change-log row and its audit
//! row in one transaction, and reaches the world outside only through ports ([`files`],
//! [`realtime`], [`accounts::mail`]) whose implementations the composition root chooses.

#![cfg_attr(test, allow(clippy::disallowed_methods))]

mod access;
pub mod accounts;
pub mod app;
pub mod assignments;
pub mod checks;
pub mod compaction;
pub mod config;
pub mod conflicts;
pub mod csv_rows;
pub mod files;
pub mod fleet;
pub mod live;
pub mod maintenance;
pub mod mutators;
pub mod plans;
pub mod policy;
pub mod purchasing;
pub mod realtime;
pub mod records;
pub mod spool;
pub mod stock;
pub mod sync;
pub mod work;
pub mod work_orders;

pub use app::App;

use std::sync::Arc;

use bosun_domain::audit::{NewAuditEntry, Outcome};
use bosun_domain::permissions::Action;
use bosun_domain::person::Role;
use bosun_domain::{AuditId, Clock, CompanyId, IdSource, SessionFamilyId, UserId, VesselId, Violation};
use bosun_store::{Change, Store, StoreError, Tx};
use chrono::{DateTime, Utc};

/// What a use case can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing does not exist, or the caller may not know it does.
    #[error("not found")]
    NotFound,
    /// The request clashes with the current state.
    #[error("{message}")]
    Conflict {
        /// A stable code (`email_taken`, `version_conflict`, ...).
        code: &'static str,
        /// What clashed.
        message: String,
    },
    /// Submitted values break rules.
    #[error("invalid input")]
    Invalid(Vec<Violation>),
    /// The caller's role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// A write the caller's role does not allow, not yet recorded: the runner of the unit of
    /// work ([`App::mutate`]) records it after rolling back and answers `Forbidden`.
    #[error("forbidden")]
    Refused(work::Refusal),
    /// The caller is an owner or admin of a company that requires a second factor, and has
    /// not signed in with one: they may only set one up.
    #[error("a second factor must be set up first")]
    MfaEnrollmentRequired,
    /// No valid credentials.
    #[error("{message}")]
    Unauthorized {
        /// A stable code (`invalid_credentials`, `invalid_token`, ...).
        code: &'static str,
        /// Why, for people.
        message: &'static str,
    },
    /// Too many failed attempts; try again after this many seconds.
    #[error("too many attempts")]
    TooManyAttempts {
        /// Seconds to wait.
        retry_after: i64,
    },
    /// Over the request rate of the company's plan; try again after this many seconds.
    #[error("rate limited")]
    RateLimited {
        /// Seconds to wait.
        retry_after: i64,
    },
    /// The person belongs to several companies and must name one.
    #[error("company required")]
    CompanyRequired {
        /// The slugs they may choose from.
        companies: Vec<String>,
    },
    /// An upload is larger than allowed.
    #[error("the file is larger than {limit} bytes")]
    TooLarge {
        /// A stable code (`file_too_large`, `body_too_large`).
        code: &'static str,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A per-caller cap is reached (connections); try again once one ends.
    #[error("{message}")]
    TooMany {
        /// A stable code (`too_many_connections`).
        code: &'static str,
        /// What was refused, for people.
        message: String,
    },
    /// The request body could not be read (a malformed chunk, a client gone mid-way).
    #[error("the body could not be read: {0}")]
    BodyUnreadable(String),
    /// An upload's type is not accepted (judged by its content).
    #[error("{message}")]
    UnsupportedType {
        /// A stable code (`unsupported_file_type`).
        code: &'static str,
        /// What was refused, for people.
        message: String,
    },
    /// The database cannot be reached.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A bug; logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

/// What an unnamed conflict with stored data tells the client.
pub const STORED_DATA_CONFLICT: &str = "the request conflicts with stored data";

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            // A conflict no use case named: the database's own words (its constraint names,
            // SQLite's or PostgreSQL's phrasing) are for the log, never for the client.
            StoreError::Conflict(detail) => {
                tracing::warn!(%detail, "a write conflicted with stored data in a way no use case names");
                Self::Conflict { code: "conflict", message: STORED_DATA_CONFLICT.into() }
            }
            StoreError::Unavailable(m) => Self::Unavailable(m),
            StoreError::Other(m) => Self::Internal(m),
        }
    }
}

impl Error {
    /// A body that could not be spooled; `too_large` is the code for one over the limit.
    pub(crate) fn from_spool(e: crate::spool::SpoolError, too_large: &'static str) -> Self {
        match e {
            crate::spool::SpoolError::TooLarge { limit } => Self::TooLarge { code: too_large, limit },
            crate::spool::SpoolError::Unreadable(m) => Self::BodyUnreadable(m),
            // A full or failing disk: the upload may work later.
            crate::spool::SpoolError::Io(m) => Self::Unavailable(m),
        }
    }
}

impl From<Violation> for Error {
    fn from(v: Violation) -> Self {
        Self::Invalid(vec![v])
    }
}

/// Result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Facts about the request, for the audit trail.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// The caller's address.
    pub ip: Option<String>,
    /// The caller's user agent.
    pub user_agent: Option<String>,
    /// The request id echoed in `X-Request-Id`.
    pub request_id: Option<String>,
}

/// Who acts: a person signed in, or an API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// A person, through a session.
    Person,
    /// An API key (its id is the actor's `user_id` and `family_id`).
    ApiKey {
        /// Whether it reaches only the vessels it lists.
        vessel_scoped: bool,
    },
}

/// An authenticated caller, as the database says they stand now.
#[derive(Debug, Clone)]
pub struct Actor {
    /// Who (for an API key, the key's id).
    pub user_id: UserId,
    /// In which company (the tenant of every call they make).
    pub company_id: CompanyId,
    /// Their current role.
    pub role: Role,
    /// The session they act through (for an API key, the key's id).
    pub family_id: SessionFamilyId,
    /// About the request.
    pub meta: RequestMeta,
    /// A person or an API key.
    pub principal: Principal,
    /// The person must set up a second factor before anything else (their company requires
    /// one of their role and they signed in without).
    pub mfa_pending: bool,
}

impl Actor {
    /// A person acting outside any request and any session (the nil session family): the
    /// command line, the demo seed, tests.
    pub fn system(company_id: CompanyId, user_id: UserId, role: Role) -> Self {
        Self {
            user_id,
            company_id,
            role,
            family_id: SessionFamilyId(uuid::Uuid::nil()),
            meta: RequestMeta::default(),
            principal: Principal::Person,
            mfa_pending: false,
        }
    }

    /// Whether the caller reaches only the vessels they are members of (vessel-scoped roles)
    /// or that their API key lists.
    pub fn is_vessel_scoped(&self) -> bool {
        self.role.is_vessel_scoped() || matches!(self.principal, Principal::ApiKey { vessel_scoped: true })
    }

    /// Fails with `Forbidden` unless the role allows `action`.
    pub fn require(&self, action: Action) -> Result<()> {
        if self.role.may(action) { Ok(()) } else { Err(Error::Forbidden) }
    }
}

/// What every service needs.
#[derive(Clone)]
pub struct Deps {
    /// The database.
    pub store: Arc<dyn Store>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// New ids and random bytes.
    pub ids: Arc<dyn IdSource>,
    /// Live events, published after commit.
    pub events: crate::realtime::Hub,
    /// Days after a rotation's end during which its person still reaches the vessel.
    pub rotation_grace_days: i64,
}

/// The change-log row of a write to a row of `vessel`.
pub fn vessel_change(
    vessel: VesselId,
    entity: &'static str,
    row: uuid::Uuid,
    op: &'static str,
    fields: serde_json::Value,
    at: DateTime<Utc>,
) -> Change {
    Change { scope: format!("vessel:{vessel}"), entity, row_id: row, op, fields, at }
}

/// An audit row under construction.
pub struct Audit<'a> {
    /// What was done (`fault.report`, `demo.seed`, ...).
    pub action: &'a str,
    /// To what kind of record.
    pub entity: &'a str,
    /// To which record.
    pub entity_id: Option<String>,
    /// Its state before, when it matters.
    pub before: Option<serde_json::Value>,
    /// Its state after, when it matters.
    pub after: Option<serde_json::Value>,
    /// Done or refused.
    pub outcome: Outcome,
}

impl<'a> Audit<'a> {
    /// A successful `action` on `entity` `id`.
    pub fn ok(action: &'a str, entity: &'a str, id: impl ToString) -> Self {
        Self { action, entity, entity_id: Some(id.to_string()), before: None, after: None, outcome: Outcome::Success }
    }

    /// A refused `action` on `entity`.
    pub fn failed(action: &'a str, entity: &'a str, id: Option<String>) -> Self {
        Self { action, entity, entity_id: id, before: None, after: None, outcome: Outcome::Failure }
    }

    /// With the state before.
    pub fn before(mut self, v: serde_json::Value) -> Self {
        self.before = Some(v);
        self
    }

    /// With the state after.
    pub fn after(mut self, v: serde_json::Value) -> Self {
        self.after = Some(v);
        self
    }
}

impl Deps {
    /// Appends an audit entry inside `tx`.
    pub async fn audit(
        &self,
        tx: &mut Box<dyn Tx>,
        company: CompanyId,
        actor: Option<UserId>,
        meta: &RequestMeta,
        a: Audit<'_>,
    ) -> Result<()> {
        let entry = self.audit_entry(actor, meta, a);
        tx.append_audit(company, &entry).await?;
        Ok(())
    }

    /// Appends several entries to the company's audit chain in order, as many
    /// [`Deps::audit`] calls would (the store writes them together where it can).
    pub async fn audit_all(
        &self,
        tx: &mut Box<dyn Tx>,
        company: CompanyId,
        actor: Option<UserId>,
        meta: &RequestMeta,
        all: Vec<Audit<'_>>,
    ) -> Result<()> {
        let entries: Vec<NewAuditEntry> = all.into_iter().map(|a| self.audit_entry(actor, meta, a)).collect();
        tx.append_audits(company, &entries).await?;
        Ok(())
    }

    fn audit_entry(&self, actor: Option<UserId>, meta: &RequestMeta, a: Audit<'_>) -> NewAuditEntry {
        NewAuditEntry {
            id: self.ids.id::<AuditId>(),
            at: self.clock.now(),
            actor,
            action: a.action.to_owned(),
            entity: a.entity.to_owned(),
            entity_id: a.entity_id,
            before: a.before.map(|v| v.to_string()),
            after: a.after.map(|v| v.to_string()),
            outcome: a.outcome,
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            request_id: meta.request_id.clone(),
        }
    }

    /// Records a refused write in its own transaction and answers `Forbidden`.
    pub(crate) async fn refuse(&self, actor: &Actor, action: Action, entity: &str, id: Option<String>) -> Error {
        let recorded = async {
            let mut tx = self.store.begin(Some(actor.company_id)).await?;
            self.audit(
                &mut tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::failed(action.as_str(), entity, id),
            )
            .await?;
            tx.commit().await?;
            Ok::<_, Error>(())
        };
        if let Err(e) = recorded.await {
            tracing::warn!(error = %e, "could not record a refused request in the audit trail");
        }
        Error::Forbidden
    }

    /// `e` as the caller is to be answered: a [`work::Refusal`] is recorded in the audit trail
    /// (in a transaction of its own) and becomes `Forbidden`; anything else stays as it is.
    pub async fn settle(&self, actor: &Actor, e: Error) -> Error {
        match e {
            Error::Refused(r) => self.refuse(actor, r.action, r.entity, r.id).await,
            e => e,
        }
    }

    /// Checks `action` for `actor`, recording a refusal in the audit trail.
    pub(crate) async fn authorize(
        &self,
        actor: &Actor,
        action: Action,
        entity: &str,
        id: Option<String>,
    ) -> Result<()> {
        if actor.role.may(action) { Ok(()) } else { Err(self.refuse(actor, action, entity, id).await) }
    }
}

/// Collects violations, failing with all of them at once.
/// A client-made id sent again with other content than the row it made.
/// An attachment a record names (a photo answer, a drawn signature, a report's photos) on
/// `vessel`, else `NotFound`. A pushed mutation may name one its device has not uploaded yet
/// (photos follow the writes that name them, thumbnails first: `docs/SYNC.md` "Attachments");
/// online, it must exist.
pub(crate) async fn check_attachment(
    uow: &mut work::UnitOfWork,
    actor: &Actor,
    vessel: VesselId,
    id: bosun_domain::AttachmentId,
) -> Result<()> {
    match uow.tx.attachment(actor.company_id, id).await? {
        Some(a) if a.vessel_id == vessel => Ok(()),
        None if uow.sync.is_some() => Ok(()),
        _ => Err(Error::NotFound),
    }
}

pub(crate) fn id_taken(entity: &str, id: impl std::fmt::Display) -> Error {
    Error::Conflict {
        code: "id_taken",
        message: format!("{entity} {id} was already made with other content; send it again with a new id"),
    }
}

/// A calendar day a person may give (a due date, a start, a day worked): 1900-01-01 to
/// 2200-12-31, which both databases store and sort alike.
pub(crate) fn check_day(field: &str, day: chrono::NaiveDate) -> std::result::Result<chrono::NaiveDate, Violation> {
    let in_range = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).is_some_and(|first| day >= first)
        && chrono::NaiveDate::from_ymd_opt(2200, 12, 31).is_some_and(|last| day <= last);
    if in_range { Ok(day) } else { Err(Violation::new(field, "out_of_range", "must be from 1900-01-01 to 2200-12-31")) }
}

#[derive(Default)]
pub(crate) struct Violations(Vec<Violation>);

impl Violations {
    /// Keeps the value or the violation.
    pub(crate) fn check<T>(&mut self, r: std::result::Result<T, Violation>) -> Option<T> {
        r.map_err(|v| self.0.push(v)).ok()
    }

    /// Fails when anything was collected.
    pub(crate) fn finish(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(Error::Invalid(self.0)) }
    }
}

/// A client-made id that a concurrent request (a double tap, a retry racing the first try)
/// stored first, found when inserting. Never leaves the runner of a unit of work
/// ([`App::mutate`]): it runs the mutator once more, when the stored row answers it as a
/// repeat or a conflict.
pub(crate) const ID_RACE: &str = "id_race";

/// An insert's error: a conflict on the new row's id is an id race; anything else as it is.
/// A page cut from rows read one past `limit`: the first `limit`, and the key of the last as the
/// next page's start when more followed.
pub(crate) fn page_of<T, K>(mut rows: Vec<T>, limit: u32, key: impl Fn(&T) -> K) -> (Vec<T>, Option<K>) {
    let limit = limit as usize;
    if rows.len() > limit {
        rows.truncate(limit);
        let next = rows.last().map(key);
        (rows, next)
    } else {
        (rows, None)
    }
}

pub(crate) fn id_race(e: StoreError) -> Error {
    match e {
        StoreError::Conflict(m) => Error::Conflict { code: ID_RACE, message: m },
        e => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unnamed_store_conflict_keeps_the_drivers_words_from_the_client() {
        let driver = r#"duplicate key value violates unique constraint "attachments_pkey""#;
        match Error::from(StoreError::Conflict(driver.into())) {
            Error::Conflict { code, message } => {
                assert_eq!(code, "conflict");
                assert_eq!(message, STORED_DATA_CONFLICT);
            }
            other => panic!("not a conflict: {other:?}"),
        }
    }
}
