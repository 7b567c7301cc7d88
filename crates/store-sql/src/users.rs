//! People (global logins) and their memberships (per company).

use async_trait::async_trait;
use bosun_domain::person::{CrewMember, Email, Member, Membership, User};
use bosun_domain::vessel::VesselMember;
use bosun_domain::{CompanyId, DepartmentId, UserId, VesselId};
use bosun_store::{Page, StoreError, StoreResult, UserRepo};
use chrono::{DateTime, Utc};

use crate::rows::DbRow;
use crate::{Conn, SqlTx, expect_one, limit, postgres, run};

macro_rules! membership_columns {
    () => {
        "m.company_id, m.user_id, m.role, m.specialisation, m.active, m.version, m.created_at, m.updated_at"
    };
}
macro_rules! user_columns {
    () => {
        "u.id, u.email, u.name, u.password_hash, u.created_at AS user_created_at, u.updated_at AS user_updated_at"
    };
}

fn user_from(r: &DbRow) -> StoreResult<User> {
    let email: String = r.get("email")?;
    Ok(User {
        id: UserId(r.get("id")?),
        email: Email::parse("email", &email).map_err(|v| StoreError::Other(v.message))?,
        name: r.get("name")?,
        password_hash: r.get("password_hash")?,
        created_at: r.get("user_created_at")?,
        updated_at: r.get("user_updated_at")?,
    })
}

fn membership_from(r: &DbRow) -> StoreResult<Membership> {
    Ok(Membership {
        company_id: CompanyId(r.get("company_id")?),
        user_id: UserId(r.get("user_id")?),
        role: r.parse("role")?,
        specialisation: r.parse_opt("specialisation")?,
        active: r.get("active")?,
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

#[async_trait]
impl UserRepo for SqlTx {
    async fn insert_user(&mut self, u: &User) -> StoreResult<()> {
        run!(
            self,
            execute,
            "INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            u.id.0,
            u.email.as_str(),
            &u.name,
            &u.password_hash,
            u.created_at,
            u.updated_at
        )?;
        Ok(())
    }

    async fn user_by_email(&mut self, email: &Email) -> StoreResult<Option<User>> {
        const SQL: &str = concat!("SELECT ", user_columns!(), " FROM users u WHERE u.email = $1");
        run!(self, fetch_optional, SQL, email.as_str())?.as_ref().map(user_from).transpose()
    }

    async fn user_by_id(&mut self, id: UserId) -> StoreResult<Option<User>> {
        const SQL: &str = concat!("SELECT ", user_columns!(), " FROM users u WHERE u.id = $1");
        run!(self, fetch_optional, SQL, id.0)?.as_ref().map(user_from).transpose()
    }

    async fn update_user_name(&mut self, id: UserId, name: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let n = run!(self, execute, "UPDATE users SET name = $2, updated_at = $3 WHERE id = $1", id.0, name, at)?;
        expect_one(n)
    }

    async fn insert_membership(&mut self, m: &Membership) -> StoreResult<()> {
        self.scoped(m.company_id)?;
        self.mark_standing_changed();
        run!(self, execute,
            "INSERT INTO memberships (company_id, user_id, role, specialisation, active, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            m.company_id.0, m.user_id.0, m.role.as_str(), m.specialisation.map(|s| s.as_str()), m.active,
            m.version, m.created_at, m.updated_at)?;
        Ok(())
    }

    async fn membership(&mut self, company: CompanyId, user: UserId) -> StoreResult<Option<Membership>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            membership_columns!(),
            " FROM memberships m WHERE m.company_id = $1 AND m.user_id = $2 AND m.deleted_at IS NULL"
        );
        run!(self, fetch_optional, SQL, company.0, user.0)?.as_ref().map(membership_from).transpose()
    }

    async fn update_membership(&mut self, m: &Membership) -> StoreResult<Membership> {
        self.scoped(m.company_id)?;
        self.mark_standing_changed();
        let n = run!(
            self,
            execute,
            "UPDATE memberships SET role = $3, specialisation = $4, active = $5, version = $6, updated_at = $7
              WHERE company_id = $1 AND user_id = $2 AND deleted_at IS NULL",
            m.company_id.0,
            m.user_id.0,
            m.role.as_str(),
            m.specialisation.map(|s| s.as_str()),
            m.active,
            m.version,
            m.updated_at
        )?;
        expect_one(n)?;
        self.membership(m.company_id, m.user_id).await?.ok_or(StoreError::NotFound)
    }

    async fn list_members(&mut self, company: CompanyId, page: Page<UserId>) -> StoreResult<Vec<Member>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            membership_columns!(),
            ", ",
            user_columns!(),
            " FROM memberships m JOIN users u ON u.id = m.user_id
              WHERE m.company_id = $1 AND m.deleted_at IS NULL AND ($2 IS NULL OR m.user_id > $2)
              ORDER BY m.user_id LIMIT $3"
        );
        run!(self, fetch_all, SQL, company.0, page.after.map(|u| u.0), limit(page.limit))?
            .iter()
            .map(|r| Ok(Member { user: user_from(r)?, membership: membership_from(r)? }))
            .collect()
    }

    async fn list_vessel_crew(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        page: Page<UserId>,
    ) -> StoreResult<Vec<CrewMember>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            membership_columns!(),
            ", ",
            user_columns!(),
            ", vm.department_id, vm.rotation_start, vm.rotation_end, vm.updated_at AS rotation_updated_at
               FROM vessel_members vm
               JOIN memberships m ON m.company_id = vm.company_id AND m.user_id = vm.user_id AND m.deleted_at IS NULL
               JOIN users u ON u.id = vm.user_id
              WHERE vm.company_id = $1 AND vm.vessel_id = $2 AND vm.deleted_at IS NULL
                AND ($3 IS NULL OR vm.user_id > $3)
              ORDER BY vm.user_id LIMIT $4"
        );
        run!(self, fetch_all, SQL, company.0, vessel.0, page.after.map(|u| u.0), limit(page.limit))?
            .iter()
            .map(|r| {
                let member = Member { user: user_from(r)?, membership: membership_from(r)? };
                let rotation = VesselMember {
                    company_id: company,
                    vessel_id: vessel,
                    user_id: member.user.id,
                    department_id: r.get::<Option<uuid::Uuid>>("department_id")?.map(DepartmentId),
                    rotation_start: r.get("rotation_start")?,
                    rotation_end: r.get("rotation_end")?,
                    updated_at: r.get("rotation_updated_at")?,
                };
                Ok(CrewMember { member, rotation })
            })
            .collect()
    }

    async fn count_active_owners(&mut self, company: CompanyId) -> StoreResult<i64> {
        self.scoped(company)?;
        let row = run!(
            self,
            fetch_optional,
            "SELECT count(*) AS n FROM memberships
              WHERE company_id = $1 AND role = 'owner' AND active AND deleted_at IS NULL",
            company.0
        )?;
        row.map_or(Ok(0), |r| r.get("n"))
    }

    async fn memberships_of_user(&mut self, user: UserId) -> StoreResult<Vec<Membership>> {
        if let Conn::Pg(tx) = &mut self.conn {
            postgres::set_login_user(tx, user).await?;
        }
        const SQL: &str = concat!(
            "SELECT ",
            membership_columns!(),
            " FROM memberships m WHERE m.user_id = $1 AND m.deleted_at IS NULL ORDER BY m.company_id"
        );
        run!(self, fetch_all, SQL, user.0)?.iter().map(membership_from).collect()
    }
}
