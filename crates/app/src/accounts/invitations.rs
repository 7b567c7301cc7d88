//! Invitations: how a person joins a company.
//!
//! A login belongs to its person, not to the first company that typed their email. Adding a
//! person makes an invitation (single-use, expiring after `auth.invitation_days`, its token
//! kept hashed), e-mailed to them and shown once to the admin as a link (crews without e-mail
//! on board get it handed over). Until it is accepted they have no access. The answer to the
//! admin is the same whether or not the email already has a Bosun login, and shows nothing any
//! other company set.
//!
//! Accepting takes the token and either the password of the email's existing login (and its
//! second factor, when it has one: the login proves who they are, throttled like a sign-in),
//! or, for an email without a login, the password of a new one. Then the membership is made
//! (or a disabled one made active again with the invited role) and a session opened.
//! Inviting an email again replaces its open invitation; an admin may withdraw one.

use bosun_domain::account::{Invitation, InvitationStatus};
use bosun_domain::company::Company;
use bosun_domain::permissions::Action;
use bosun_domain::person::{Email, Member, Membership, Role, Specialisation, User, check_new_password};
use bosun_domain::{InvitationId, check_text};
use bosun_store::{Change, Page, StoreError};
use chrono::Duration;
use serde::Deserialize;
use serde_json::json;

use crate::accounts::auth::{AuthService, Session};
use crate::accounts::mail::{Mail, Outbox};
use crate::accounts::secrets::TenantSecret;
use crate::accounts::users::member_json;
use crate::work::{Refusal, UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, RequestMeta, Result, Violations};

/// Invites a person to the caller's company (`invite_person.v1`; `user.create`, and only
/// owners invite owners).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitePerson {
    /// Their email.
    pub email: String,
    /// The name the company knows them by.
    pub name: String,
    /// Their role in this company.
    pub role: Role,
    /// Their trade.
    #[serde(default)]
    pub specialisation: Option<Specialisation>,
}

impl InvitePerson {
    /// An invitation whose role and trade come as text (an HTTP body): every problem with the
    /// email, name, role and trade at once.
    pub fn parse(email: String, name: String, role: &str, specialisation: Option<&str>) -> Result<Self> {
        let mut v = Violations::default();
        v.check(Email::parse("email", &email));
        v.check(check_text("name", &name, 1, 120));
        let role = v.check(role.parse::<Role>());
        let specialisation = specialisation.and_then(|s| v.check(s.parse::<Specialisation>()));
        v.finish()?;
        let role = role.ok_or_else(|| Error::Internal("checked role".into()))?;
        Ok(Self { email, name, role, specialisation })
    }
}

/// Withdraws an open invitation (`revoke_invitation.v1`; `user.create`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeInvitation {
    /// The invitation.
    pub invitation_id: InvitationId,
}

mutator!(InvitePerson, "invite_person.v1", Invited, |app, uow, actor, m| {
    app.invitations.invite(uow, actor, m).await
});

mutator!(RevokeInvitation, "revoke_invitation.v1", (), |app, uow, actor, m| {
    app.invitations.revoke(uow, actor, m.invitation_id).await
});

/// A new invitation and its link (shown once).
#[derive(Debug, Clone)]
pub struct Invited {
    /// The invitation.
    pub invitation: Invitation,
    /// The address that accepts it: `{public_url}/invite#{token}` (the token rides in the
    /// fragment, which browsers never send to a server or put in a log).
    pub accept_url: String,
    /// Whether it was also sent by e-mail.
    pub emailed: bool,
}

/// How an invitation is accepted, as submitted.
#[derive(Debug, Clone)]
pub struct Acceptance {
    /// The token from the link.
    pub token: String,
    /// The existing login's password, or the new login's.
    pub password: String,
    /// The new login's name (defaults to the invitation's).
    pub name: Option<String>,
    /// The existing login's second-factor code, when it has one.
    pub mfa_code: Option<String>,
}

/// Invitation use cases.
#[derive(Clone)]
pub struct InvitationService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
    pub(crate) auth: AuthService,
    pub(crate) outbox: Outbox,
    pub(crate) public_url: String,
    pub(crate) days: i64,
}

fn invalid_invitation() -> Error {
    Error::Conflict {
        code: "invitation_invalid",
        message: "this invitation link is not valid any more (used, withdrawn or expired); ask for a new one".into(),
    }
}

impl InvitationService {
    async fn invite(&self, uow: &mut UnitOfWork, actor: &Actor, input: &InvitePerson) -> Result<Invited> {
        actor.permit_new(Action::UserCreate, "invitation", None::<InvitationId>)?;
        let mut v = Violations::default();
        let email = v.check(Email::parse("email", &input.email));
        let name = v.check(check_text("name", &input.name, 1, 120));
        v.finish()?;
        let (Some(email), Some(name)) = (email, name) else {
            return Err(Error::Internal("checked fields".into()));
        };
        let (role, specialisation) = (input.role, input.specialisation);
        if role == Role::Owner && actor.role != Role::Owner {
            return Err(Error::Refused(Refusal { action: Action::UserCreate, entity: "invitation", id: None }));
        }
        let now = self.deps.clock.now();
        let company = actor.company_id;
        let tx = &mut uow.tx;
        // Only this company's own people are compared: whether the email has a login elsewhere
        // is never looked at.
        if let Some(user) = tx.user_by_email(&email).await?
            && tx.membership(company, user.id).await?.is_some_and(|m| m.active)
        {
            return Err(Error::Conflict {
                code: "already_member",
                message: "this person is already in the company".into(),
            });
        }
        if let Some(open) = tx.open_invitation_for(company, &email).await? {
            tx.revoke_invitation(company, open.id, now).await?;
        }
        let token = TenantSecret::generate(&*self.deps.ids, company);
        let invitation = Invitation {
            id: self.deps.ids.id(),
            company_id: company,
            email,
            name,
            role,
            specialisation,
            token_hash: token.hash(),
            invited_by: Some(actor.user_id),
            created_at: now,
            expires_at: now + Duration::days(self.days),
            accepted_at: None,
            accepted_by: None,
            revoked_at: None,
        };
        tx.insert_invitation(&invitation).await?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("invitation.create", "invitation", invitation.id).after(invitation_json(&invitation)),
            )
            .await?;
        let company_row = tx.company_by_id(company).await?.ok_or(Error::NotFound)?;

        let accept_url = format!("{}/invite#{}", self.public_url, token.encode());
        let emailed = self.outbox.can_send();
        uow.send(invitation_mail(&invitation, &company_row, &accept_url, self.days));
        Ok(Invited { invitation, accept_url, emailed })
    }

    /// The company's open invitations, pending or expired (`user.list`).
    pub async fn list(
        &self,
        actor: &Actor,
        page: Page<InvitationId>,
    ) -> Result<(Vec<Invitation>, Option<InvitationId>)> {
        self.deps.authorize(actor, Action::UserList, "invitation", None).await?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let mut rows =
            tx.list_open_invitations(actor.company_id, Page { after: page.after, limit: page.limit + 1 }).await?;
        let next = if rows.len() > page.limit as usize {
            rows.truncate(page.limit as usize);
            rows.last().map(|i| i.id)
        } else {
            None
        };
        Ok((rows, next))
    }

    async fn revoke(&self, uow: &mut UnitOfWork, actor: &Actor, id: InvitationId) -> Result<()> {
        let tx = &mut uow.tx;
        let invitation = tx.invitation(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        actor.permit(Action::UserCreate, "invitation", id)?;
        if invitation.role == Role::Owner && actor.role != Role::Owner {
            return Err(Error::Refused(Refusal {
                action: Action::UserCreate,
                entity: "invitation",
                id: Some(id.to_string()),
            }));
        }
        let now = self.deps.clock.now();
        tx.revoke_invitation(actor.company_id, id, now).await.map_err(|e| match e {
            StoreError::NotFound => invalid_invitation(),
            e => e.into(),
        })?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("invitation.revoke", "invitation", id).before(invitation_json(&invitation)),
            )
            .await?;
        Ok(())
    }

    /// What a link invites to, for the page that accepts it: the invitation and its company.
    pub async fn lookup(&self, token: &str) -> Result<(Invitation, Company)> {
        let now = self.deps.clock.now();
        let token = TenantSecret::parse(token).ok_or_else(invalid_invitation)?;
        let mut tx = self.deps.store.begin_read(Some(token.company)).await?;
        let invitation = tx
            .invitation_by_token(token.company, &token.hash())
            .await?
            .filter(|i| i.status(now) == InvitationStatus::Pending)
            .ok_or_else(invalid_invitation)?;
        let company = tx.company_by_id(token.company).await?.ok_or_else(invalid_invitation)?;
        Ok((invitation, company))
    }

    /// Accepts an invitation: with the existing login's password (and second factor), or the
    /// password of a new login. Answers a session in the inviting company.
    pub async fn accept(&self, input: Acceptance, meta: &RequestMeta) -> Result<Session> {
        let (invitation, company) = self.lookup(&input.token).await?;
        let existing = self.deps.store.begin_read(None).await?.user_by_email(&invitation.email).await?;
        let now = self.deps.clock.now();
        let (user, mfa, new_login) = match existing {
            Some(_) => {
                let (user, mfa) = self
                    .auth
                    .verify_person(&invitation.email, &input.password, input.mfa_code.as_deref(), meta)
                    .await?;
                (user, mfa, false)
            }
            None => {
                let mut v = Violations::default();
                v.check(check_new_password("password", &input.password));
                let name = match input.name.as_deref() {
                    Some(n) => v.check(check_text("name", n, 1, 120)),
                    None => Some(invitation.name.clone()),
                };
                v.finish()?;
                let hash = self.auth.hasher().hash(&input.password).await?;
                let user = User {
                    id: self.deps.ids.id(),
                    email: invitation.email.clone(),
                    name: name.unwrap_or_else(|| invitation.name.clone()),
                    password_hash: hash,
                    created_at: now,
                    updated_at: now,
                };
                (user, false, true)
            }
        };

        let c = company.id;
        let mut tx = self.deps.store.begin(Some(c)).await?;
        if new_login {
            tx.insert_user(&user).await.map_err(|e| match e {
                // The email got a login meanwhile (another invitation accepted at the same
                // moment): accept again, signing in with it.
                StoreError::Conflict(_) => invalid_invitation(),
                e => e.into(),
            })?;
        }
        tx.accept_invitation(c, invitation.id, user.id, now).await.map_err(|e| match e {
            StoreError::NotFound => invalid_invitation(),
            e => e.into(),
        })?;
        let before = tx.membership(c, user.id).await?;
        let mut membership = Membership {
            company_id: c,
            user_id: user.id,
            role: invitation.role,
            specialisation: invitation.specialisation,
            active: true,
            version: 0,
            created_at: before.as_ref().map_or(now, |m| m.created_at),
            updated_at: now,
        };
        let member = Member { user: user.clone(), membership: membership.clone() };
        let op = if before.is_some() { "update" } else { "insert" };
        membership.version = tx
            .record_change(
                c,
                &Change {
                    scope: format!("company:{c}"),
                    entity: "membership",
                    row_id: user.id.0,
                    op,
                    fields: member_json(&member),
                    at: now,
                },
            )
            .await?;
        if before.is_some() {
            tx.update_membership(&membership).await?;
        } else {
            tx.insert_membership(&membership).await?;
        }
        self.deps
            .audit(
                &mut tx,
                c,
                Some(user.id),
                meta,
                Audit::ok("invitation.accept", "invitation", invitation.id)
                    .after(json!({ "user_id": user.id, "role": invitation.role.as_str(), "new_login": new_login })),
            )
            .await?;
        tx.commit().await?;
        self.auth.open_session(&user, membership, company, mfa, meta, "auth.login").await
    }
}

/// The audited fields of an invitation (never its token).
fn invitation_json(i: &Invitation) -> serde_json::Value {
    json!({
        "id": i.id, "email": i.email.as_str(), "name": i.name, "role": i.role.as_str(),
        "specialisation": i.specialisation.map(|s| s.as_str()), "expires_at": i.expires_at,
    })
}

fn invitation_mail(i: &Invitation, company: &Company, accept_url: &str, days: i64) -> Mail {
    let by = &company.branding.display_name;
    Mail {
        to: i.email.to_string(),
        subject: format!("You are invited to {by} on Bosun"),
        text: format!(
            "Hello {name},\n\n{by} invites you to Bosun, its maintenance system, as {role}.\n\n\
             Accept the invitation within {days} days at:\n{accept_url}\n\n\
             If you already have a Bosun login, sign in with it there; otherwise choose a password.\n\
             If you did not expect this, ignore this e-mail.\n",
            name = i.name,
            role = i.role.as_str(),
        ),
    }
}
