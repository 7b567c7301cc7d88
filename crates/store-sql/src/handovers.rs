//! Handover drafts and completed handovers; attachment metadata.

use async_trait::async_trait;
use bosun_domain::attachment::{Attachment, ParentKind};
use bosun_domain::handover::{Handover, HandoverDraft};
use bosun_domain::{AttachmentId, CompanyId, HandoverId, UserId, VesselId};
use bosun_store::{AttachmentRepo, HandoverRepo, Page, StoreError, StoreResult, VesselScope};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

use crate::rows::DbRow;
use crate::{SqlTx, limit, reachable_vessels, run};

macro_rules! handover_columns {
    () => {
        "company_id, id, vessel_id, outgoing_user_id, rotation_end, snapshot, completed_at, acknowledged_by, \
         acknowledged_at, version"
    };
}

fn handover_from(r: &DbRow) -> StoreResult<Handover> {
    let snapshot: Json<serde_json::Value> = r.get("snapshot")?;
    Ok(Handover {
        id: HandoverId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        outgoing_user_id: UserId(r.get("outgoing_user_id")?),
        rotation_end: r.get("rotation_end")?,
        snapshot: snapshot.0.to_string(),
        completed_at: r.get("completed_at")?,
        acknowledged_by: r.get::<Option<uuid::Uuid>>("acknowledged_by")?.map(UserId),
        acknowledged_at: r.get("acknowledged_at")?,
        version: r.get("version")?,
    })
}

fn json_text(field: &str, s: &str) -> StoreResult<Json<serde_json::Value>> {
    serde_json::from_str(s).map(Json).map_err(|e| StoreError::Other(format!("{field}: {e}")))
}

#[async_trait]
impl HandoverRepo for SqlTx {
    async fn handover_draft(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        user: UserId,
    ) -> StoreResult<Option<HandoverDraft>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_optional,
            "SELECT notes, item_notes FROM handover_drafts WHERE company_id = $1 AND vessel_id = $2 AND user_id = $3",
            company.0,
            vessel.0,
            user.0
        )?
        .map(|r| {
            let items: Json<serde_json::Value> = r.get("item_notes")?;
            Ok(HandoverDraft { notes: r.get("notes")?, item_notes: items.0.to_string() })
        })
        .transpose()
    }

    async fn save_handover_draft(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        user: UserId,
        d: &HandoverDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "INSERT INTO handover_drafts (company_id, vessel_id, user_id, notes, item_notes, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (company_id, vessel_id, user_id) DO UPDATE
                SET notes = excluded.notes, item_notes = excluded.item_notes, updated_at = excluded.updated_at",
            company.0,
            vessel.0,
            user.0,
            &d.notes,
            json_text("item_notes", &d.item_notes)?,
            at
        )?;
        Ok(())
    }

    async fn clear_handover_draft(&mut self, company: CompanyId, vessel: VesselId, user: UserId) -> StoreResult<()> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "DELETE FROM handover_drafts WHERE company_id = $1 AND vessel_id = $2 AND user_id = $3",
            company.0,
            vessel.0,
            user.0
        )?;
        Ok(())
    }

    async fn insert_handover(&mut self, h: &Handover) -> StoreResult<()> {
        self.scoped(h.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO handovers (company_id, id, vessel_id, outgoing_user_id, rotation_end, snapshot, completed_at,
                                    acknowledged_by, acknowledged_at, version, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $7)",
            h.company_id.0,
            h.id.0,
            h.vessel_id.0,
            h.outgoing_user_id.0,
            h.rotation_end,
            json_text("snapshot", &h.snapshot)?,
            h.completed_at,
            h.acknowledged_by.map(|u| u.0),
            h.acknowledged_at,
            h.version
        )?;
        Ok(())
    }

    async fn handover(&mut self, company: CompanyId, id: HandoverId) -> StoreResult<Option<Handover>> {
        self.scoped(company)?;
        const SQL: &str = concat!("SELECT ", handover_columns!(), " FROM handovers WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, SQL, company.0, id.0)?.as_ref().map(handover_from).transpose()
    }

    async fn acknowledge_handover(
        &mut self,
        company: CompanyId,
        id: HandoverId,
        by: UserId,
        at: DateTime<Utc>,
        version: i64,
    ) -> StoreResult<Handover> {
        self.scoped(company)?;
        let n = run!(
            self,
            execute,
            "UPDATE handovers SET acknowledged_by = $3, acknowledged_at = $4, version = $5
              WHERE company_id = $1 AND id = $2 AND acknowledged_at IS NULL",
            company.0,
            id.0,
            by.0,
            at,
            version
        )?;
        if n == 0 {
            return Err(StoreError::Conflict("the handover was already acknowledged".into()));
        }
        self.handover(company, id).await?.ok_or(StoreError::NotFound)
    }

    async fn list_handovers(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        page: Page<HandoverId>,
    ) -> StoreResult<Vec<Handover>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            handover_columns!(),
            " FROM handovers h WHERE h.company_id = $1 AND ($2 IS NULL OR h.id < $2) AND ($3 IS NULL OR h.vessel_id = $3)
                AND ($4 IS NULL OR h.vessel_id IN (",
            reachable_vessels!("$1", "$4", "$6"),
            "))
              ORDER BY h.id DESC LIMIT $5"
        );
        run!(
            self,
            fetch_all,
            SQL,
            company.0,
            page.after.map(|p| p.0),
            scope.vessel.map(|v| v.0),
            scope.member.map(|m| m.principal),
            limit(page.limit),
            scope.member.map(|m| m.since)
        )?
        .iter()
        .map(handover_from)
        .collect()
    }

    async fn last_handover(&mut self, company: CompanyId, vessel: VesselId) -> StoreResult<Option<Handover>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            handover_columns!(),
            " FROM handovers WHERE company_id = $1 AND vessel_id = $2 ORDER BY completed_at DESC, id DESC LIMIT 1"
        );
        run!(self, fetch_optional, SQL, company.0, vessel.0)?.as_ref().map(handover_from).transpose()
    }
}

macro_rules! attachment_columns {
    () => {
        "company_id, id, parent_kind, parent_id, vessel_id, kind, file_name, content_type, size_bytes, sha256, \
         has_thumbnail, pending, preview_sha256, uploaded_by, version, created_at"
    };
}

/// The pending attachments of a file: `pending = TRUE` is the partial index's condition in
/// both dialects, so the upload completing a file seeks them (`plans.rs`). Unordered: an
/// `ORDER BY id` would have SQLite walk the company's attachments by primary key instead (the
/// few rows are sorted after).
pub(crate) const PENDING_ATTACHMENTS_OF_FILE_SQL: &str = concat!(
    "SELECT ",
    attachment_columns!(),
    " FROM attachments WHERE company_id = $1 AND sha256 = $2 AND pending = TRUE AND deleted_at IS NULL"
);

fn attachment_from(r: &DbRow) -> StoreResult<Attachment> {
    Ok(Attachment {
        id: AttachmentId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        parent_kind: r.parse("parent_kind")?,
        parent_id: r.get("parent_id")?,
        vessel_id: VesselId(r.get("vessel_id")?),
        kind: r.parse("kind")?,
        file_name: r.get("file_name")?,
        content_type: r.get("content_type")?,
        size_bytes: r.get("size_bytes")?,
        sha256: r.get("sha256")?,
        has_thumbnail: r.get("has_thumbnail")?,
        pending: r.get("pending")?,
        preview_sha256: r.get("preview_sha256")?,
        uploaded_by: UserId(r.get("uploaded_by")?),
        version: r.get("version")?,
        created_at: r.get("created_at")?,
    })
}

#[async_trait]
impl AttachmentRepo for SqlTx {
    async fn insert_attachment(&mut self, a: &Attachment) -> StoreResult<()> {
        self.scoped(a.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO attachments (company_id, id, parent_kind, parent_id, vessel_id, kind, file_name, content_type,
                                      size_bytes, sha256, has_thumbnail, pending, preview_sha256, uploaded_by, version,
                                      created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            a.company_id.0,
            a.id.0,
            a.parent_kind.as_str(),
            a.parent_id,
            a.vessel_id.0,
            a.kind.as_str(),
            &a.file_name,
            &a.content_type,
            a.size_bytes,
            &a.sha256,
            a.has_thumbnail,
            a.pending,
            a.preview_sha256.as_deref(),
            a.uploaded_by.0,
            a.version,
            a.created_at
        )?;
        Ok(())
    }

    async fn attachment(&mut self, company: CompanyId, id: AttachmentId) -> StoreResult<Option<Attachment>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            attachment_columns!(),
            " FROM attachments WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL"
        );
        run!(self, fetch_optional, SQL, company.0, id.0)?.as_ref().map(attachment_from).transpose()
    }

    async fn list_attachments(
        &mut self,
        company: CompanyId,
        kind: ParentKind,
        parent: uuid::Uuid,
    ) -> StoreResult<Vec<Attachment>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            attachment_columns!(),
            " FROM attachments WHERE company_id = $1 AND parent_kind = $2 AND parent_id = $3 AND deleted_at IS NULL
              ORDER BY id"
        );
        run!(self, fetch_all, SQL, company.0, kind.as_str(), parent)?.iter().map(attachment_from).collect()
    }

    async fn list_pending_attachments_of_file(
        &mut self,
        company: CompanyId,
        sha256: &str,
    ) -> StoreResult<Vec<Attachment>> {
        self.scoped(company)?;
        let mut waiting = run!(self, fetch_all, PENDING_ATTACHMENTS_OF_FILE_SQL, company.0, sha256)?
            .iter()
            .map(attachment_from)
            .collect::<StoreResult<Vec<_>>>()?;
        waiting.sort_by_key(|a| a.id.0);
        Ok(waiting)
    }

    async fn complete_attachment(&mut self, a: &Attachment) -> StoreResult<()> {
        self.scoped(a.company_id)?;
        let done = run!(
            self,
            execute,
            "UPDATE attachments SET kind = $3, content_type = $4, size_bytes = $5, has_thumbnail = $6, pending = FALSE,
                                    version = $7
              WHERE company_id = $1 AND id = $2 AND pending = TRUE AND deleted_at IS NULL",
            a.company_id.0,
            a.id.0,
            a.kind.as_str(),
            &a.content_type,
            a.size_bytes,
            a.has_thumbnail,
            a.version
        )?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
