//! Ports for accounts: invitations (per company), password resets and second factors (per
//! login, which is global like `users`), and API keys (per company).

use async_trait::async_trait;
use bosun_domain::account::{ApiKey, Invitation, PasswordReset, UserMfa};
use bosun_domain::person::Email;
use bosun_domain::{ApiKeyId, CompanyId, InvitationId, UserId};
use chrono::{DateTime, Utc};

use crate::{Page, StoreResult};

/// Invitations, password resets, passwords and second factors.
#[async_trait]
pub trait AccountRepo {
    /// Stores an invitation. An open one for the same email and company is a `Conflict`.
    async fn insert_invitation(&mut self, inv: &Invitation) -> StoreResult<()>;
    /// One invitation of the company.
    async fn invitation(&mut self, company: CompanyId, id: InvitationId) -> StoreResult<Option<Invitation>>;
    /// The invitation whose token hashes to `hash`.
    async fn invitation_by_token(&mut self, company: CompanyId, hash: &[u8]) -> StoreResult<Option<Invitation>>;
    /// The open (neither accepted nor revoked) invitation for `email`, expired or not.
    async fn open_invitation_for(&mut self, company: CompanyId, email: &Email) -> StoreResult<Option<Invitation>>;
    /// The company's open invitations, by id.
    async fn list_open_invitations(
        &mut self,
        company: CompanyId,
        page: Page<InvitationId>,
    ) -> StoreResult<Vec<Invitation>>;
    /// Marks an open invitation accepted by `by`; `NotFound` when it is no longer open (so two
    /// acceptances racing each other make one membership).
    async fn accept_invitation(
        &mut self,
        company: CompanyId,
        id: InvitationId,
        by: UserId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Withdraws an open invitation; `NotFound` when it is not open.
    async fn revoke_invitation(&mut self, company: CompanyId, id: InvitationId, at: DateTime<Utc>) -> StoreResult<()>;

    /// Stores a password reset.
    async fn insert_password_reset(&mut self, r: &PasswordReset) -> StoreResult<()>;
    /// The reset whose token hashes to `hash`.
    async fn password_reset_by_token(&mut self, hash: &[u8]) -> StoreResult<Option<PasswordReset>>;
    /// Marks every unused reset of the login used (a reset is single-use, and setting a
    /// password spends the others too); `NotFound` when `id` was already used.
    async fn spend_password_resets(
        &mut self,
        id: bosun_domain::PasswordResetId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Replaces a login's password hash.
    async fn update_user_password(&mut self, user: UserId, hash: &str, at: DateTime<Utc>) -> StoreResult<()>;

    /// A login's second factor, confirmed or being enrolled.
    async fn user_mfa(&mut self, user: UserId) -> StoreResult<Option<UserMfa>>;
    /// Starts (or restarts) enrolment with a new secret; refused (`Conflict`) once confirmed.
    async fn begin_mfa_enrolment(&mut self, mfa: &UserMfa) -> StoreResult<()>;
    /// Confirms enrolment, recording the step of the code that proved it.
    async fn confirm_mfa(&mut self, user: UserId, step: i64, at: DateTime<Utc>) -> StoreResult<()>;
    /// Records that the code of `step` was used: false when that step or a later one was
    /// already used (each code works once), true otherwise.
    async fn use_mfa_step(&mut self, user: UserId, step: i64, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Removes the second factor and its recovery codes.
    async fn remove_mfa(&mut self, user: UserId) -> StoreResult<()>;
    /// Replaces the recovery codes with these hashes.
    async fn replace_recovery_codes(&mut self, user: UserId, hashes: &[Vec<u8>]) -> StoreResult<()>;
    /// Spends a recovery code: true when it existed unused.
    async fn use_recovery_code(&mut self, user: UserId, hash: &[u8], at: DateTime<Utc>) -> StoreResult<bool>;
    /// How many recovery codes are left.
    async fn count_recovery_codes(&mut self, user: UserId) -> StoreResult<i64>;
}

/// API keys of a company.
#[async_trait]
pub trait ApiKeyRepo {
    /// Stores a key and the vessels it may reach.
    async fn insert_api_key(&mut self, key: &ApiKey) -> StoreResult<()>;
    /// The key whose secret hashes to `hash`, with its vessels.
    async fn api_key_by_token(&mut self, company: CompanyId, hash: &[u8]) -> StoreResult<Option<ApiKey>>;
    /// One key, with its vessels.
    async fn api_key(&mut self, company: CompanyId, id: ApiKeyId) -> StoreResult<Option<ApiKey>>;
    /// The company's keys (revoked and expired ones too), newest first.
    async fn list_api_keys(&mut self, company: CompanyId) -> StoreResult<Vec<ApiKey>>;
    /// Revokes a key; `NotFound` when it is unknown or already revoked.
    async fn revoke_api_key(&mut self, company: CompanyId, id: ApiKeyId, at: DateTime<Utc>) -> StoreResult<()>;
    /// Records a use.
    async fn touch_api_key(
        &mut self,
        company: CompanyId,
        id: ApiKeyId,
        at: DateTime<Utc>,
        ip: Option<&str>,
    ) -> StoreResult<()>;
}
