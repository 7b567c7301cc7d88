//! People in a company: listing, role changes, disabling. People join a company by accepting
//! an invitation (`invitations.rs`); [`UserService::add`] is for the operator's command line and
//! the demo seed, which run on the server itself.

use bosun_domain::permissions::Action;
use bosun_domain::person::{
    Email, Member, Membership, Role, RoleChangeError, Specialisation, User, check_new_password, check_role_change,
};
use bosun_domain::{CompanyId, UserId, check_text};
use bosun_store::{Change, Page};
use serde::Deserialize;
use serde_json::json;

use crate::accounts::auth::PasswordHasherPool;
use crate::work::{Refusal, UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, RequestMeta, Result, Violations};

/// A person to add, as submitted.
#[derive(Debug, Clone)]
pub struct NewPerson {
    /// Login.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Password for a new login; ignored when the email already has a login.
    pub password: Option<String>,
    /// Role in this company.
    pub role: String,
    /// Trade.
    pub specialisation: Option<String>,
}

/// Changes to a person, as submitted; absent fields stay.
#[derive(Debug, Clone, Default)]
pub struct PersonUpdate {
    /// New display name.
    pub name: Option<String>,
    /// New role.
    pub role: Option<String>,
    /// New trade (`Some(None)` clears it).
    pub specialisation: Option<Option<String>>,
    /// Enable or disable.
    pub active: Option<bool>,
}

/// Changes a person's name, role, trade or active flag (`update_person.v1`); absent fields
/// stay. Disabling ends their sessions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdatePerson {
    /// The person.
    pub user_id: UserId,
    /// New display name, 1–120 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// New role.
    #[serde(default)]
    pub role: Option<Role>,
    /// New trade (`null` clears it, absent keeps it).
    #[serde(default, deserialize_with = "double_option")]
    pub specialisation: Option<Option<Specialisation>>,
    /// Enable or disable.
    #[serde(default)]
    pub active: Option<bool>,
}

/// A field that may be absent (`None`), null (`Some(None)`) or a value.
fn double_option<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

impl UpdatePerson {
    /// The change of `user` as submitted in text (an HTTP body), every problem at once.
    pub fn parse(user: UserId, input: PersonUpdate) -> Result<Self> {
        let mut v = Violations::default();
        if let Some(n) = &input.name {
            v.check(check_text("name", n, 1, 120));
        }
        let role = input.role.as_deref().and_then(|r| v.check(r.parse::<Role>()));
        let specialisation = input
            .specialisation
            .map(|s| s.as_deref().map(|s| s.parse::<Specialisation>()).transpose())
            .and_then(|r| v.check(r));
        v.finish()?;
        Ok(Self { user_id: user, name: input.name, role, specialisation, active: input.active })
    }
}

mutator!(UpdatePerson, "update_person.v1", Member, |app, uow, actor, m| { app.users.update(uow, actor, m).await });

/// People use cases.
#[derive(Clone)]
pub struct UserService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
    pub(crate) hasher: PasswordHasherPool,
}

pub(crate) fn member_json(m: &Member) -> serde_json::Value {
    json!({
        "user_id": m.user.id, "email": m.user.email.as_str(), "name": m.user.name,
        "role": m.membership.role.as_str(), "specialisation": m.membership.specialisation.map(|s| s.as_str()),
        "active": m.membership.active,
    })
}

fn role_error(e: RoleChangeError) -> Error {
    match e {
        RoleChangeError::OwnerOnly => Error::Forbidden,
        RoleChangeError::LastOwner => Error::Conflict { code: "last_owner", message: e.to_string() },
    }
}

impl UserService {
    /// The company's people, a page at a time.
    pub async fn list(&self, actor: &Actor, page: Page<UserId>) -> Result<(Vec<Member>, Option<UserId>)> {
        self.deps.authorize(actor, Action::UserList, "user", None).await?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let mut rows = tx.list_members(actor.company_id, Page { after: page.after, limit: page.limit + 1 }).await?;
        let next = if rows.len() > page.limit as usize {
            rows.truncate(page.limit as usize);
            rows.last().map(|m| m.user.id)
        } else {
            None
        };
        Ok((rows, next))
    }

    /// Adds a person to `company` directly, without an invitation: only for the command line
    /// and the demo seed (`by` is absent there), never for a request. An email that already
    /// has a login joins with it, and its password is left as it is.
    /// Answers the member and whether their login already existed.
    pub async fn add(
        &self,
        company: CompanyId,
        by: Option<UserId>,
        meta: &RequestMeta,
        input: NewPerson,
    ) -> Result<(Member, bool)> {
        let mut v = Violations::default();
        let email = v.check(Email::parse("email", &input.email));
        let name = v.check(check_text("name", &input.name, 1, 120));
        let role = v.check(input.role.parse::<Role>());
        let specialisation = input.specialisation.as_deref().and_then(|s| v.check(s.parse::<Specialisation>()));
        if let Some(p) = &input.password {
            v.check(check_new_password("password", p));
        }
        v.finish()?;
        let (Some(email), Some(name), Some(role)) = (email, name, role) else {
            return Err(Error::Internal("checked fields".into()));
        };
        let now = self.deps.clock.now();

        let existing = {
            let mut tx = self.deps.store.begin(Some(company)).await?;
            tx.user_by_email(&email).await?
        };
        let (user, existed) = match existing {
            Some(u) => (u, true),
            None => {
                let Some(password) = input.password.as_deref() else {
                    return Err(Error::Invalid(vec![bosun_domain::Violation::new(
                        "password",
                        "required",
                        "a password is required for a new login",
                    )]));
                };
                let hash = self.hasher.hash(password).await?;
                let u =
                    User { id: self.deps.ids.id(), email, name, password_hash: hash, created_at: now, updated_at: now };
                (u, false)
            }
        };
        let mut tx = self.deps.store.begin(Some(company)).await?;
        if tx.membership(company, user.id).await?.is_some() {
            return Err(Error::Conflict {
                code: "email_taken",
                message: "this person is already in the company".into(),
            });
        }
        if !existed {
            tx.insert_user(&user).await.map_err(|e| match e {
                bosun_store::StoreError::Conflict(_) => {
                    Error::Conflict { code: "email_taken", message: "this email already has a login".into() }
                }
                e => e.into(),
            })?;
        }
        let mut membership = Membership {
            company_id: company,
            user_id: user.id,
            role,
            specialisation,
            active: true,
            version: 0,
            created_at: now,
            updated_at: now,
        };
        let member = Member { user, membership: membership.clone() };
        let fields = member_json(&member);
        membership.version =
            tx.record_change(company, &self.change(company, member.user.id, "insert", fields.clone())).await?;
        tx.insert_membership(&membership).await?;
        self.deps
            .audit(&mut tx, company, by, meta, Audit::ok("user.create", "user", member.user.id).after(fields))
            .await?;
        tx.commit().await?;
        Ok((Member { membership, ..member }, existed))
    }

    fn change(&self, company: CompanyId, user: UserId, op: &'static str, fields: serde_json::Value) -> Change {
        Change {
            scope: format!("company:{company}"),
            entity: "membership",
            row_id: user.0,
            op,
            fields,
            at: self.deps.clock.now(),
        }
    }

    async fn update(&self, uow: &mut UnitOfWork, actor: &Actor, input: &UpdatePerson) -> Result<Member> {
        let company = actor.company_id;
        let user = input.user_id;
        let scope = format!("company:{company}");
        uow.hold_scope(company, &scope).await?;
        let before_m = uow.tx.membership(company, user).await?.ok_or(Error::NotFound)?;
        let before_u = uow.tx.user_by_id(user).await?.ok_or(Error::NotFound)?;
        let refused =
            || Error::Refused(Refusal { action: Action::UserUpdate, entity: "user", id: Some(user.to_string()) });
        actor.permit(Action::UserUpdate, "user", user)?;

        let mut name = input.name.as_deref().map(|n| check_text("name", n, 1, 120)).transpose()?;
        let (mut role, mut specialisation, mut active) = (input.role, input.specialisation, input.active);
        // A pushed edit made against a base version is decided field by field (`docs/SYNC.md`
        // "Conflicts"): a field it gives that someone changed since goes by clock, the other
        // value kept as a conflict; a field given unchanged from the base leaves the stored one.
        if let Some(since) = uow.since_base(company, "membership", user.0).await? {
            let now = member_json(&Member { user: before_u.clone(), membership: before_m.clone() });
            let at = (scope.as_str(), "membership", user.0);
            let given = [
                ("name", name.as_ref().map(|n| json!(n))),
                ("role", role.map(|r| json!(r.as_str()))),
                ("specialisation", specialisation.map(|s| json!(s.map(|s| s.as_str())))),
                ("active", active.map(|a| json!(a))),
            ];
            for (field, mine) in given {
                let Some(mine) = mine else { continue };
                if !since.written(field, &mine, &now[field])
                    || !uow.field_applies(&self.deps, actor, at, &since, field, (&mine, &now[field])).await?
                {
                    match field {
                        "name" => name = None,
                        "role" => role = None,
                        "specialisation" => specialisation = None,
                        _ => active = None,
                    }
                }
            }
        }
        // The name belongs to the login, which other companies may share (a contractor): one
        // company renaming it would change what the others see.
        if name.as_ref().is_some_and(|n| *n != before_u.name) {
            // Read apart from the unit (its transaction is the company's), committed data only.
            let mut tx = self.deps.store.begin_read(None).await?;
            if tx.memberships_of_user(user).await?.iter().any(|other| other.company_id != company) {
                return Err(Error::Conflict {
                    code: "shared_login",
                    message: "this person's login is shared with another company; its name cannot be changed here"
                        .into(),
                });
            }
        }

        let mut m = before_m.clone();
        if let Some(role) = role {
            if let Err(e) = check_role_change(actor.role, m.role, role) {
                return Err(match role_error(e) {
                    Error::Forbidden => refused(),
                    other => other,
                });
            }
            m.role = role;
        }
        if let Some(s) = specialisation {
            m.specialisation = s;
        }
        if let Some(active) = active {
            if m.role == Role::Owner && actor.role != Role::Owner && active != m.active {
                return Err(refused());
            }
            m.active = active;
        }
        let now = self.deps.clock.now();
        m.updated_at = now;

        let tx = &mut uow.tx;
        let before = Member { user: before_u.clone(), membership: before_m.clone() };
        if let Some(n) = &name {
            tx.update_user_name(user, n, now).await?;
        }
        let after_user = User { name: name.clone().unwrap_or(before_u.name.clone()), ..before_u };
        let after = Member { user: after_user, membership: m.clone() };
        m.version = tx.record_change(company, &self.change(company, user, "update", member_json(&after))).await?;
        let m = tx.update_membership(&m).await?;
        let was_owner = before_m.role == Role::Owner && before_m.active;
        let is_owner = m.role == Role::Owner && m.active;
        if was_owner && !is_owner && tx.count_active_owners(company).await? == 0 {
            return Err(role_error(RoleChangeError::LastOwner));
        }
        if before_m.active && !m.active {
            tx.revoke_user_sessions(company, user, None, now).await?;
        }
        let action = if before_m.role != m.role { "user.role_change" } else { "user.update" };
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok(action, "user", user).before(member_json(&before)).after(member_json(&after)),
            )
            .await?;
        Ok(Member { membership: m, ..after })
    }
}
