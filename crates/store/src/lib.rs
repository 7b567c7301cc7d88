//! Bosun's storage ports. A service opens one [`Tx`] per use case through [`Store::begin`];
//! the entity write, its change-log row and its audit row commit together or not at all.
//!
//! Every tenant-owned read or write names its company: the tenant travels from the verified
//! credential through the service into each call, and PostgreSQL checks it again with
//! row-level security. There is no unscoped query path for request handling.

#![cfg_attr(test, allow(clippy::disallowed_methods))]

mod accounts;
mod assignments;
#[allow(clippy::disallowed_methods)] // the contract suite builds its own test rows
pub mod contract;
mod maintenance;
mod maintenance_plans;
mod purchasing;
mod stock;
mod work_orders;

pub use accounts::*;
pub use assignments::*;
pub use maintenance::*;
pub use maintenance_plans::*;
pub use purchasing::*;
pub use stock::*;
pub use work_orders::*;

use async_trait::async_trait;
use bosun_domain::account::{Session, ThrottleCount};
use bosun_domain::audit::{AuditEntry, NewAuditEntry};
use bosun_domain::company::{Branding, Company, CompanySlug, Plan, SubscriptionStatus};
use bosun_domain::person::{CrewMember, Email, Member, Membership, User};
use bosun_domain::vessel::{Department, Vessel, VesselMember};
use bosun_domain::{CompanyId, RefreshTokenId, SessionFamilyId, UserId, VesselId};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What can go wrong in storage, with no driver type leaking out.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist (or belongs to another tenant).
    #[error("not found")]
    NotFound,
    /// A unique or foreign key refused the write.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached or is overloaded; retrying later may work.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a bug or a corrupted row.
    #[error("storage error: {0}")]
    Other(String),
}

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A database: it opens transactions.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Opens a transaction, scoped to `tenant` when given (PostgreSQL sets it for row-level
    /// security). Without a tenant only global tables are visible.
    async fn begin(&self, tenant: Option<CompanyId>) -> StoreResult<Box<dyn Tx>>;

    /// Opens a read-only transaction, scoped like [`Store::begin`]: one consistent snapshot of
    /// committed (durable) data that never waits for writers. Any write in it fails; committing
    /// it only ends it. Use cases that only read use it, so they neither queue behind writes nor
    /// see a write that is not yet durable.
    async fn begin_read(&self, tenant: Option<CompanyId>) -> StoreResult<Box<dyn Tx>>;

    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;

    /// Makes every commit so far durable, those made with [`Tx::commit_later`] included.
    async fn flush(&self) -> StoreResult<()> {
        Ok(())
    }

    /// Which database this is.
    fn backend(&self) -> Backend;

    /// A number that moves whenever a write committed through this store may have changed a
    /// session's standing (a membership's role or activity, a session family's revocation), so
    /// a caller may keep standings in memory while it stays the same. `None` when the store
    /// cannot see every such write (other processes write the same database, as several
    /// instances do on PostgreSQL): then standings must be read afresh every time.
    fn standing_epoch(&self) -> Option<u64> {
        None
    }

    /// Closes every connection.
    async fn close(&self);
}

/// One transaction. Dropping it without `commit` rolls it back.
#[async_trait]
pub trait Tx:
    CompanyRepo
    + UserRepo
    + VesselRepo
    + SessionRepo
    + AuditRepo
    + ChangeLog
    + SyncRepo
    + EquipmentRepo
    + FaultRepo
    + PartsRepo
    + StockRepo
    + PurchasingRepo
    + WorkOrderRepo
    + PlanRepo
    + AssignmentRepo
    + HandoverRepo
    + AttachmentRepo
    + AnalyticsRepo
    + AccountRepo
    + ApiKeyRepo
    + RateWindowRepo
    + Send
{
    /// Makes every write of this transaction durable.
    async fn commit(self: Box<Self>) -> StoreResult<()>;

    /// The sync scopes this transaction recorded changes in so far (each once).
    fn recorded_scopes(&self) -> Vec<String> {
        Vec::new()
    }

    /// Commits without waiting for the commit to be durable; the answer resolves once it is.
    /// Later write transactions see its writes at once; readers see them once durable. The
    /// caller must then call [`Store::flush`] (a later commit that waits also makes it
    /// durable); so a caller that commits several transactions in a row pays for one durable
    /// write, and tells nobody about them before awaiting each answer. Polling the answer
    /// never waits for anything but that. By default it is [`Tx::commit`].
    async fn commit_later(self: Box<Self>) -> StoreResult<Durable> {
        self.commit().await?;
        Ok(Box::pin(std::future::ready(Ok(()))))
    }
}

/// A commit made with [`Tx::commit_later`]: resolves once it is durable, or failed.
pub type Durable = std::pin::Pin<Box<dyn std::future::Future<Output = StoreResult<()>> + Send>>;

/// A page request: rows after `after` (exclusive), at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct Page<K> {
    /// The last key of the previous page.
    pub after: Option<K>,
    /// How many rows at most.
    pub limit: u32,
}

/// Companies (the tenant registry; not itself tenant-scoped).
#[async_trait]
pub trait CompanyRepo {
    /// Stores a new company and starts its audit chain.
    async fn insert_company(&mut self, company: &Company) -> StoreResult<()>;
    /// The company with this slug.
    async fn company_by_slug(&mut self, slug: &CompanySlug) -> StoreResult<Option<Company>>;
    /// The company with this id.
    async fn company_by_id(&mut self, id: CompanyId) -> StoreResult<Option<Company>>;
    /// Replaces a company's branding, setting its new version.
    async fn update_company_branding(
        &mut self,
        id: CompanyId,
        branding: &Branding,
        version: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Company>;
    /// Sets a company's subscription status.
    async fn update_subscription_status(
        &mut self,
        id: CompanyId,
        status: SubscriptionStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Every company id, oldest first.
    async fn list_company_ids(&mut self) -> StoreResult<Vec<CompanyId>>;
    /// Sets whether owners and admins must sign in with a second factor.
    async fn update_company_security(
        &mut self,
        id: CompanyId,
        require_mfa: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<Company>;
    /// Sets the purchasing settings (the parts markup, whether stock may go below zero) with the
    /// version the change-log row took.
    async fn update_company_purchasing(
        &mut self,
        id: CompanyId,
        markup: bosun_domain::company::MarkupBasisPoints,
        negative_stock: bosun_domain::stock::NegativeStock,
        version: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Company>;
    /// Sets the plan and, for an enterprise, its agreed rate.
    async fn update_company_plan(
        &mut self,
        id: CompanyId,
        plan: Plan,
        rate_limit_per_minute: Option<i64>,
        at: DateTime<Utc>,
    ) -> StoreResult<Company>;
}

/// People and their memberships.
#[async_trait]
pub trait UserRepo {
    /// Stores a new login. A taken email is a `Conflict`.
    async fn insert_user(&mut self, user: &User) -> StoreResult<()>;
    /// The login with this email.
    async fn user_by_email(&mut self, email: &Email) -> StoreResult<Option<User>>;
    /// The login with this id.
    async fn user_by_id(&mut self, id: UserId) -> StoreResult<Option<User>>;
    /// Changes a person's display name.
    async fn update_user_name(&mut self, id: UserId, name: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Adds a person to a company. An existing membership is a `Conflict`.
    async fn insert_membership(&mut self, m: &Membership) -> StoreResult<()>;
    /// A person's membership of `company`.
    async fn membership(&mut self, company: CompanyId, user: UserId) -> StoreResult<Option<Membership>>;
    /// Replaces role, specialisation, active flag and version.
    async fn update_membership(&mut self, m: &Membership) -> StoreResult<Membership>;
    /// The company's people, ordered by user id.
    async fn list_members(&mut self, company: CompanyId, page: Page<UserId>) -> StoreResult<Vec<Member>>;
    /// The people on a vessel (not taken off it), ordered by user id.
    async fn list_vessel_crew(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        page: Page<UserId>,
    ) -> StoreResult<Vec<CrewMember>>;
    /// How many active owners the company has.
    async fn count_active_owners(&mut self, company: CompanyId) -> StoreResult<i64>;
    /// Every company a person belongs to (read before a tenant is chosen, at login).
    async fn memberships_of_user(&mut self, user: UserId) -> StoreResult<Vec<Membership>>;
}

/// Vessels, departments, crew membership.
#[async_trait]
pub trait VesselRepo {
    /// Stores a new vessel. A taken IMO number within the company is a `Conflict`.
    async fn insert_vessel(&mut self, v: &Vessel) -> StoreResult<()>;
    /// One vessel of the company.
    async fn vessel(&mut self, company: CompanyId, id: VesselId) -> StoreResult<Option<Vessel>>;
    /// Replaces a vessel's fields and version.
    async fn update_vessel(&mut self, v: &Vessel) -> StoreResult<Vessel>;
    /// The company's vessels ordered by id; only those `member` reaches when given.
    async fn list_vessels(
        &mut self,
        company: CompanyId,
        member: Option<Reach>,
        page: Page<VesselId>,
    ) -> StoreResult<Vec<Vessel>>;
    /// Adds a department.
    async fn insert_department(&mut self, d: &Department) -> StoreResult<()>;
    /// A vessel's departments, by name.
    async fn list_departments(&mut self, company: CompanyId, vessel: VesselId) -> StoreResult<Vec<Department>>;
    /// Puts a person on a vessel or updates their rotation.
    async fn upsert_vessel_member(&mut self, m: &VesselMember) -> StoreResult<()>;
    /// A person's membership of a vessel.
    async fn vessel_member(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        user: UserId,
    ) -> StoreResult<Option<VesselMember>>;
    /// The vessels a person or API key reaches.
    async fn reachable_vessel_ids(&mut self, company: CompanyId, reach: Reach) -> StoreResult<Vec<VesselId>>;
    /// Whether a person or API key reaches a vessel.
    async fn reaches_vessel(&mut self, company: CompanyId, vessel: VesselId, reach: Reach) -> StoreResult<bool>;
    /// Ends a person's membership of a vessel (they may be put on its rotation again later).
    async fn remove_vessel_member(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
}

/// A stored refresh token (only its hash is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    /// Its id.
    pub id: RefreshTokenId,
    /// The company the session is for.
    pub company_id: CompanyId,
    /// The login it descends from.
    pub family_id: SessionFamilyId,
    /// Whose session.
    pub user_id: UserId,
    /// SHA-256 of the secret.
    pub token_hash: Vec<u8>,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// When the whole family expires, however often it is rotated.
    pub family_expires_at: DateTime<Utc>,
    /// When it was exchanged for its successor.
    pub used_at: Option<DateTime<Utc>>,
    /// When it (or its family) was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What the server needs to know about a caller on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionStanding {
    /// The membership as it is now (role changes apply at once).
    pub membership: Membership,
    /// Whether the session family has been revoked (logout, disable, reuse).
    pub family_revoked: bool,
    /// Whether the sign-in passed a second factor.
    pub mfa: bool,
    /// The company's rules for this caller, as they are now.
    pub company: CompanyTerms,
}

/// What a company's settings say about every request of its people and keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompanyTerms {
    /// The plan (rate limits).
    pub plan: Plan,
    /// The agreed rate of an enterprise plan.
    pub rate_limit_per_minute: Option<i64>,
    /// Whether owners and admins must have signed in with a second factor.
    pub require_mfa: bool,
}

/// Sessions, login throttling and server secrets.
#[async_trait]
pub trait SessionRepo {
    /// Stores a new session (a sign-in).
    async fn insert_session(&mut self, s: &Session) -> StoreResult<()>;
    /// One session of the company.
    async fn session(&mut self, company: CompanyId, id: SessionFamilyId) -> StoreResult<Option<Session>>;
    /// A person's sessions in the company that are not ended, newest first.
    async fn list_sessions(&mut self, company: CompanyId, user: UserId) -> StoreResult<Vec<Session>>;
    /// Records a use (a refresh) of a session.
    async fn touch_session(
        &mut self,
        company: CompanyId,
        id: SessionFamilyId,
        at: DateTime<Utc>,
        ip: Option<&str>,
    ) -> StoreResult<()>;
    /// Marks that the session's person proved a second factor during it.
    async fn mark_session_mfa(&mut self, company: CompanyId, id: SessionFamilyId) -> StoreResult<()>;
    /// Stores a refresh token.
    async fn insert_refresh_token(&mut self, t: &RefreshToken) -> StoreResult<()>;
    /// The refresh token with this hash.
    async fn refresh_token_by_hash(&mut self, company: CompanyId, hash: &[u8]) -> StoreResult<Option<RefreshToken>>;
    /// Marks a token as exchanged.
    async fn mark_refresh_token_used(
        &mut self,
        company: CompanyId,
        id: RefreshTokenId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Whether a token of the family issued after `token` has already been used (then `token`
    /// is no longer the immediately preceding one).
    async fn family_used_after(&mut self, token: &RefreshToken) -> StoreResult<bool>;
    /// Ends a session: revokes it and every token of its family.
    async fn revoke_family(
        &mut self,
        company: CompanyId,
        family: SessionFamilyId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Revokes every session a person has in a company, but `keep` when given.
    async fn revoke_user_sessions(
        &mut self,
        company: CompanyId,
        user: UserId,
        keep: Option<SessionFamilyId>,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The caller's membership and whether their session family still stands.
    async fn session_standing(
        &mut self,
        company: CompanyId,
        user: UserId,
        family: SessionFamilyId,
    ) -> StoreResult<Option<SessionStanding>>;
    /// A throttle key's counter, held until the transaction ends (two attempts counting at
    /// once both count).
    async fn throttle_state(&mut self, key: &str) -> StoreResult<Option<ThrottleCount>>;
    /// Stores a throttle key's counter.
    async fn throttle_record(&mut self, key: &str, count: &ThrottleCount) -> StoreResult<()>;
    /// Forgets a throttle key (after a successful login).
    async fn throttle_clear(&mut self, key: &str) -> StoreResult<()>;
    /// Reads a named server secret, creating it from `fresh` when absent (the first instance wins).
    async fn server_secret(&mut self, name: &str, fresh: &[u8], at: DateTime<Utc>) -> StoreResult<Vec<u8>>;
}

/// Requests counted per rate-limit key and minute, shared by every instance on one database.
#[async_trait]
pub trait RateWindowRepo {
    /// Adds each count to its key's window, answering each window's total after the addition
    /// (every instance's requests), in the order given.
    async fn add_rate_counts(&mut self, counts: &[(String, DateTime<Utc>, i64)]) -> StoreResult<Vec<i64>>;
    /// Forgets windows that started before `before`.
    async fn prune_rate_windows(&mut self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// A filter over the audit trail.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this action.
    pub action: Option<String>,
    /// Only this entity kind.
    pub entity: Option<String>,
    /// Only this entity id.
    pub entity_id: Option<String>,
    /// Only this actor.
    pub actor: Option<UserId>,
    /// Only this outcome.
    pub outcome: Option<String>,
    /// Only at or after.
    pub since: Option<DateTime<Utc>>,
    /// Only before.
    pub until: Option<DateTime<Utc>>,
}

/// The company's audit chain.
#[async_trait]
pub trait AuditRepo {
    /// Appends an entry at the head of the company's chain.
    async fn append_audit(&mut self, company: CompanyId, entry: &NewAuditEntry) -> StoreResult<AuditEntry>;
    /// Appends entries in order at the head of the company's chain, as many
    /// [`AuditRepo::append_audit`] calls would (PostgreSQL writes them in three statements).
    async fn append_audits(&mut self, company: CompanyId, entries: &[NewAuditEntry]) -> StoreResult<()>;
    /// Entries matching `filter`, newest first, before seq `page.after` when given.
    async fn list_audit(
        &mut self,
        company: CompanyId,
        filter: &AuditFilter,
        page: Page<i64>,
    ) -> StoreResult<Vec<AuditEntry>>;
    /// Entries in chain order from seq `after` (exclusive), for verification.
    async fn audit_chain(&mut self, company: CompanyId, after: i64, limit: u32) -> StoreResult<Vec<AuditEntry>>;
    /// The chain head: last seq and hash.
    async fn audit_head(&mut self, company: CompanyId) -> StoreResult<(i64, String)>;
}

/// One change of a synced row, for the change log.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// `vessel:{id}` or `company:{id}`.
    pub scope: String,
    /// The table (`vessel`, `membership`, ...).
    pub entity: &'static str,
    /// The row.
    pub row_id: Uuid,
    /// `insert`, `update` or `delete`.
    pub op: &'static str,
    /// The changed fields and their new values.
    pub fields: serde_json::Value,
    /// When.
    pub at: DateTime<Utc>,
}

/// Where a change came from when a sync client's queued mutation made it: recorded with every
/// change the mutation writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeOrigin {
    /// The client (one replica on one device).
    pub client_id: Uuid,
    /// The client's id for the mutation.
    pub mutation_id: i64,
    /// The client's hybrid logical clock when it made the mutation, as it sent it.
    pub hlc: Option<String>,
}

/// A sync client as the server knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncClient {
    /// The client.
    pub client_id: Uuid,
    /// The principal (person or API key) it is bound to.
    pub user_id: Uuid,
    /// The highest mutation id applied or rejected.
    pub last_mutation_id: i64,
}

/// A mutation the server refused for good.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncRejection {
    /// The client.
    pub client_id: Uuid,
    /// The client's id for the mutation.
    pub mutation_id: i64,
    /// The mutator it named.
    pub name: String,
    /// Its arguments, as sent.
    pub args: serde_json::Value,
    /// The problem code (`validation_failed`, `forbidden`, `not_found`, ...).
    pub code: String,
    /// Why, for people.
    pub detail: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A concurrent write of one field that lost, kept with the value that won (`sync_conflicts`).
#[derive(Debug, Clone, PartialEq)]
pub struct SyncConflict {
    /// The record's id (UUIDv7).
    pub id: Uuid,
    /// The scope of the row (`vessel:{id}`).
    pub scope: String,
    /// The kind of row (`fault`, `equipment`, ...).
    pub entity: String,
    /// The row.
    pub row_id: Uuid,
    /// The field.
    pub field: String,
    /// The value stored.
    pub winner: serde_json::Value,
    /// The value not stored (or overwritten).
    pub loser: serde_json::Value,
    /// Whether the pushed mutation won (`winner`) or lost (`loser`).
    pub mutation_side: String,
    /// The pushed mutation's name, arguments and origin.
    pub mutation_name: String,
    /// Its arguments as sent.
    pub mutation_args: serde_json::Value,
    /// The client that pushed it.
    pub client_id: Uuid,
    /// The client's id for it.
    pub mutation_id: i64,
    /// Its hybrid logical clock (clamped to the server's receive time).
    pub mutation_hlc: String,
    /// The person whose mutation it was.
    pub by_user: Uuid,
    /// The change that wrote the value the mutation met: its sequence number.
    pub other_seq: i64,
    /// That change's hybrid logical clock.
    pub other_hlc: String,
    /// That change's client (none for a write made online).
    pub other_client_id: Option<Uuid>,
    /// `open` or `resolved`.
    pub state: String,
    /// The side kept by the resolution.
    pub kept: Option<String>,
    /// Who resolved it.
    pub resolved_by: Option<Uuid>,
    /// When.
    pub resolved_at: Option<DateTime<Utc>>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// A file's bytes arriving in chunks (`sync_uploads`), addressed by their SHA-256.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncUpload {
    /// SHA-256 of the whole file, hex.
    pub sha256: String,
    /// Its size, announced when the upload began.
    pub size: i64,
    /// Bytes received so far, in order.
    pub received: i64,
    /// The vessel whose records it is for (checked for access when it began).
    pub vessel_id: Uuid,
    /// Who began it.
    pub created_by: Uuid,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Once complete: what the server found the file to be.
    pub stored: Option<StoredUpload>,
}

/// What a completed upload turned out to be, judged by the server from its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUpload {
    /// Its type by content.
    pub content_type: String,
    /// `photo` or `document`.
    pub kind: String,
    /// Whether a thumbnail was made.
    pub has_thumbnail: bool,
    /// When it was complete.
    pub completed_at: DateTime<Utc>,
}

/// Which conflicts to list.
#[derive(Debug, Clone, Default)]
pub struct ConflictFilter {
    /// Only this scope.
    pub scope: Option<String>,
    /// Only `open` or `resolved` ones.
    pub state: Option<String>,
}

/// Sync clients and what became of their queued mutations.
#[async_trait]
pub trait SyncRepo {
    /// The client, if it is known.
    async fn sync_client(&mut self, company: CompanyId, client: Uuid) -> StoreResult<Option<SyncClient>>;
    /// Registers the client for `user` unless it is known already (bound to whoever first used it).
    async fn register_sync_client(
        &mut self,
        company: CompanyId,
        client: Uuid,
        user: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Moves the client's `last_mutation_id` to `mutation`, only forward: `false` when it is
    /// there already (another transaction applied the mutation first).
    async fn advance_sync_client(
        &mut self,
        company: CompanyId,
        client: Uuid,
        mutation: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Records a refused mutation.
    async fn insert_sync_rejection(&mut self, company: CompanyId, r: &SyncRejection) -> StoreResult<()>;
    /// The client's rejections with ids in `from..=to`, in id order.
    async fn sync_rejections(
        &mut self,
        company: CompanyId,
        client: Uuid,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<SyncRejection>>;
    /// The clients bound to `user`.
    async fn sync_clients_of(&mut self, company: CompanyId, user: Uuid) -> StoreResult<Vec<SyncClient>>;
    /// Where the changes of a scope after `after_seq` came from, for those a sync client's
    /// mutation made, in order.
    async fn change_origins(
        &mut self,
        company: CompanyId,
        scope: &str,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, ChangeOrigin)>>;
    /// Stamps every change this transaction records from now on with `origin`.
    fn set_change_origin(&mut self, origin: Option<ChangeOrigin>);
    /// The last `limit` changes of one row, oldest first, each with its origin when a sync
    /// client's mutation made it.
    async fn row_history(
        &mut self,
        company: CompanyId,
        entity: &str,
        row: Uuid,
        limit: u32,
    ) -> StoreResult<Vec<(i64, Change, Option<ChangeOrigin>)>>;
    /// Records a conflict.
    async fn insert_sync_conflict(&mut self, company: CompanyId, c: &SyncConflict) -> StoreResult<()>;
    /// One conflict.
    async fn sync_conflict(&mut self, company: CompanyId, id: Uuid) -> StoreResult<Option<SyncConflict>>;
    /// Conflicts matching the filter, by id, after `after`.
    async fn sync_conflicts(
        &mut self,
        company: CompanyId,
        filter: &ConflictFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> StoreResult<Vec<SyncConflict>>;
    /// The upload of the file with this hash, if one began.
    async fn sync_upload(&mut self, company: CompanyId, sha256: &str) -> StoreResult<Option<SyncUpload>>;
    /// Locks the upload's row, if there is one, until this transaction ends: an attach naming
    /// the file and the upload completing it are ordered, so neither misses the other.
    async fn hold_sync_upload(&mut self, company: CompanyId, sha256: &str) -> StoreResult<()>;
    /// Begins an upload unless one of this hash exists already.
    async fn begin_sync_upload(&mut self, company: CompanyId, u: &SyncUpload) -> StoreResult<()>;
    /// Appends a chunk at `offset`, only if the upload has received exactly `offset` bytes and
    /// is not complete; `false` otherwise (nothing written).
    async fn append_sync_upload(
        &mut self,
        company: CompanyId,
        sha256: &str,
        offset: i64,
        bytes: &[u8],
    ) -> StoreResult<bool>;
    /// The upload's chunks at or after `from`, in order, at most `limit`.
    async fn sync_upload_chunks(
        &mut self,
        company: CompanyId,
        sha256: &str,
        from: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, Vec<u8>)>>;
    /// Marks the upload complete with what its bytes are, and deletes its chunks; `NotFound`
    /// when the upload is gone (expired meanwhile).
    async fn complete_sync_upload(
        &mut self,
        company: CompanyId,
        sha256: &str,
        stored: &StoredUpload,
    ) -> StoreResult<()>;
    /// Deletes the upload and its chunks (bytes that did not match their hash).
    async fn discard_sync_upload(&mut self, company: CompanyId, sha256: &str) -> StoreResult<()>;
    /// Discards every upload of the company begun before `before` and not completed, with its
    /// chunks; answers how many went.
    async fn expire_sync_uploads(&mut self, company: CompanyId, before: DateTime<Utc>) -> StoreResult<u64>;
    /// Marks an open conflict resolved; `false` when it was resolved already.
    async fn resolve_sync_conflict(
        &mut self,
        company: CompanyId,
        id: Uuid,
        kept: &str,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
}

/// The sync change log: what the offline sync protocol streams to clients.
#[async_trait]
pub trait ChangeLog {
    /// Appends a change, allocating the scope's next sequence number inside this transaction.
    async fn record_change(&mut self, company: CompanyId, change: &Change) -> StoreResult<i64>;
    /// Appends changes in order, as many [`ChangeLog::record_change`] calls would, answering
    /// each one's sequence number (PostgreSQL writes each scope's in two statements).
    async fn record_changes(&mut self, company: CompanyId, changes: &[Change]) -> StoreResult<Vec<i64>>;
    /// Locks the scope's sequence until this transaction ends, without taking a number (no
    /// change of the scope can commit meanwhile); answers its last sequence number.
    async fn lock_scope(&mut self, company: CompanyId, scope: &str) -> StoreResult<i64>;
    /// Changes of a scope after `after_seq`, in order.
    async fn changes_since(
        &mut self,
        company: CompanyId,
        scope: &str,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, Change)>>;
    /// Per scope of the company: the last sequence number among changes made before `before`
    /// and the position compaction reached last time (`docs/SYNC.md` "Compaction").
    async fn compaction_targets(
        &mut self,
        company: CompanyId,
        before: DateTime<Utc>,
    ) -> StoreResult<Vec<CompactionTarget>>;
    /// Changes of a scope up to `upto_seq`, ordered by row and then sequence, after the
    /// position `after` (entity, row, sequence).
    async fn changes_by_row(
        &mut self,
        company: CompanyId,
        scope: &str,
        upto_seq: i64,
        after: (&str, Uuid, i64),
        limit: u32,
    ) -> StoreResult<Vec<(i64, Change)>>;
    /// Replaces a change's operation and fields (compaction folds a row's earlier changes
    /// into its last one); its stamps stay.
    async fn rewrite_change(
        &mut self,
        company: CompanyId,
        scope: &str,
        seq: i64,
        op: &str,
        fields: &serde_json::Value,
    ) -> StoreResult<()>;
    /// Deletes a change that a later change of the same row now carries.
    async fn delete_change(&mut self, company: CompanyId, scope: &str, seq: i64) -> StoreResult<()>;
    /// Records that compaction folded the scope up to `seq`.
    async fn mark_compacted(&mut self, company: CompanyId, scope: &str, seq: i64) -> StoreResult<()>;
    /// Deletes the scope's delete changes made before `before` and numbered at most `upto_seq`,
    /// with every delete change numbered below the last of those, and raises the scope's
    /// horizon to it; answers how many went.
    async fn drop_tombstones(
        &mut self,
        company: CompanyId,
        scope: &str,
        before: DateTime<Utc>,
        upto_seq: i64,
    ) -> StoreResult<u64>;
    /// The company's scopes, each with its head and horizon ([`ScopeMarks`]), read in one go
    /// for a pull.
    async fn scope_marks(&mut self, company: CompanyId) -> StoreResult<std::collections::BTreeMap<String, ScopeMarks>>;
}

/// Where a scope's numbering stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScopeMarks {
    /// The last sequence number it gave. A device that has seen past it holds changes this
    /// database no longer has (it was restored).
    pub head: i64,
    /// A position below it may have missed a dropped delete (0: none was dropped).
    pub horizon: i64,
}

/// A scope compaction may fold: changes up to `upto_seq` are old enough, and it folded up to
/// `compacted_seq` before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactionTarget {
    /// `vessel:{id}` or `company:{id}`.
    pub scope: String,
    /// The last change made before the cut-off, if any.
    pub upto_seq: Option<i64>,
    /// Where compaction stopped last time (0: never ran).
    pub compacted_seq: i64,
}
