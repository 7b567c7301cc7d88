//! Per-field conflicts of pushed mutations (`docs/SYNC.md` "Conflicts").
//!
//! A pushed mutation names the version of the row it was made against (`base_version`). The
//! fields it writes that another writer changed after that version are concurrent: the
//! greater `(hlc, client_id)` wins, except for status fields, which move forward only
//! ([`bosun_domain::fault::FaultStatus::rank`]), and for items decommissioned meanwhile
//! (delete beats update). Whichever side loses is kept in `sync_conflicts`: the overwritten
//! value, or the mutation's value that was not applied. The record is a synced row of the
//! row's scope (entity `sync_conflict`), listed at `GET /api/v1/sync/conflicts`, audited, and
//! resolved by an ordinary mutation ([`ResolveConflict`]).
//!
//! Which fields changed since the base version, and who wrote each last, is read from the
//! row's change log ([`bosun_store::SyncRepo::row_history`]) after the row's scope is locked,
//! so nothing can change them before the unit commits.

use std::collections::BTreeMap;

use bosun_domain::CompanyId;
use bosun_domain::fields::{Entity, FieldPolicy};
use bosun_domain::permissions::Action;
use bosun_store::{Change, ChangeOrigin, ConflictFilter, SyncConflict};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::mutators::Mutation;
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, App, Audit, Deps, Error, Result};

/// A pushed mutation, as the unit of work applying it knows it.
#[derive(Debug, Clone)]
pub struct SyncWrite {
    /// Client, mutation id and the clamped clock, stamped on every change the unit records.
    pub origin: ChangeOrigin,
    /// The clamped hybrid logical clock.
    pub hlc: u64,
    /// The version of the row the mutation was made against.
    pub base_version: Option<i64>,
    /// The mutator's name.
    pub name: String,
    /// Its arguments as sent.
    pub args: Value,
    /// The last mutation id this push moved the client to before this one, if any: a client
    /// found below it lost that earlier work (its batch failed to become durable), and this
    /// one must not move it past (`docs/SYNC.md` "Push").
    pub after: Option<i64>,
}

/// The hybrid logical clock at `t` with a zero counter: 48 bits of milliseconds, 16 of counter.
pub fn hlc_at(t: DateTime<Utc>) -> u64 {
    u64::try_from(t.timestamp_millis()).unwrap_or(0) << 16
}

/// Reads a hybrid logical clock: 16 hexadecimal digits.
pub fn parse_hlc(text: &str) -> Option<u64> {
    if text.len() == 16 { u64::from_str_radix(text, 16).ok() } else { None }
}

/// Writes a hybrid logical clock as 16 lowercase hexadecimal digits (text order is time order).
pub fn format_hlc(hlc: u64) -> String {
    format!("{hlc:016x}")
}

/// A client's clock with its time part clamped to the server's receive time (a device set to
/// 2030 must not win every conflict); one that is missing or unreadable counts as the receive
/// time.
pub fn clamp_hlc(sent: Option<&str>, received: DateTime<Utc>) -> u64 {
    let ceiling = hlc_at(received) | 0xffff;
    sent.and_then(parse_hlc).map_or(hlc_at(received), |h| h.min(ceiling))
}

/// The last write of a field: its change, clock and client (nil for a write made online).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The change's number in its scope.
    pub seq: i64,
    /// Its hybrid logical clock (for an online write, the time it was made).
    pub hlc: u64,
    /// The client whose mutation made it.
    pub client: Uuid,
}

/// What happened to a row since a pushed mutation's base version.
#[derive(Debug, Default, PartialEq)]
pub struct Since {
    /// The row's fields as of the base version (empty when the log does not hold them).
    pub base: serde_json::Map<String, Value>,
    /// Fields another writer changed after the base version, with their last write.
    pub changed: BTreeMap<String, Stamp>,
}

impl Since {
    /// Whether the person who made the mutation changed `field` from its base value to `mine`
    /// (when the base is unknown: whether `mine` differs from `current`).
    pub fn written(&self, field: &str, mine: &Value, current: &Value) -> bool {
        self.base.get(field).map_or(mine != current, |base| mine != base)
    }
}

/// The most changes of one row read to find its concurrent writes.
const HISTORY: u32 = 10_000;

/// Fields every write moves.
const BOOKKEEPING: &[&str] = &["id", "version", "updated_at"];

/// Folds a row's changes (oldest first) into its state at `base` and the last write after it
/// of each field, leaving out fields whose last write was `me`'s own.
pub fn fold(history: &[(i64, Change, Option<ChangeOrigin>)], base: i64, me: Uuid) -> Since {
    let mut state = serde_json::Map::new();
    let mut since = Since::default();
    let mut last: BTreeMap<String, Stamp> = BTreeMap::new();
    for (seq, change, origin) in history {
        let stamp = Stamp {
            seq: *seq,
            hlc: origin.as_ref().and_then(|o| o.hlc.as_deref()).and_then(parse_hlc).unwrap_or(hlc_at(change.at)),
            client: origin.as_ref().map_or(Uuid::nil(), |o| o.client_id),
        };
        if let Some(fields) = change.fields.as_object() {
            for (name, value) in fields {
                if BOOKKEEPING.contains(&name.as_str()) || state.get(name) == Some(value) {
                    continue;
                }
                if *seq > base {
                    last.insert(name.clone(), stamp.clone());
                }
                state.insert(name.clone(), value.clone());
            }
        }
        if *seq <= base {
            since.base = state.clone();
        }
    }
    since.changed = last.into_iter().filter(|(_, s)| s.client != me).collect();
    since
}

/// Whether the pushed mutation beats the write `other`: the greater `(hlc, client)` wins.
pub fn mutation_wins(w: &SyncWrite, other: &Stamp) -> bool {
    (w.hlc, w.origin.client_id) > (other.hlc, other.client)
}

/// Decides a pushed move of a status field that another writer changed since the mutation's
/// base version (`docs/SYNC.md` "Status fields move forward only"): a lower rank never
/// applies, an equal rank goes by clock, a higher rank applies, a reopening never does, and a
/// move that is not valid from the current status does not either.
pub fn status_move_applies(
    w: &SyncWrite,
    other: &Stamp,
    from_rank: u8,
    to_rank: u8,
    reopens: bool,
    valid: bool,
) -> bool {
    valid
        && !reopens
        && match to_rank.cmp(&from_rank) {
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => mutation_wins(w, other),
            std::cmp::Ordering::Greater => true,
        }
}

/// A pushed status move against the row's concurrent writes: `true` when it applies. When the
/// status changed since the base version, the side that lost is recorded (see
/// [`status_move_applies`]); a move to the status the row has already is done (`false`, no
/// record).
pub(crate) struct StatusMove<'a> {
    /// The row's scope.
    pub scope: String,
    /// The kind of row.
    pub entity: &'static str,
    /// The row.
    pub row: Uuid,
    /// Its status now, and that status's rank.
    pub from: (&'a str, u8),
    /// Where the mutation moves it, and its rank.
    pub to: (&'a str, u8),
    /// Whether the move reopens the row.
    pub reopens: bool,
    /// Whether the move is valid from the current status.
    pub valid: bool,
}

/// An edit of a row whose fields are decided one by one ([`UnitOfWork::edited_fields`]).
pub(crate) struct FieldEdit<'a, F> {
    /// The row's scope, entity and id.
    pub at: (&'a str, &'static str, Uuid),
    /// Its editable fields, by the names the row carries.
    pub names: &'a [&'a str],
    /// The version an online caller read; a newer stored one is `version_conflict`.
    pub seen: Option<i64>,
    /// The stored version.
    pub version: i64,
    /// What the caller sent.
    pub mine: &'a F,
    /// What is stored.
    pub current: &'a F,
}

impl UnitOfWork {
    /// The fields an edit writes. Online, the version the caller read must still be stored
    /// (`version_conflict`). A pushed edit made against a base version is decided field by
    /// field against what changed since: a field the device left as it was, or one another
    /// device won by clock, keeps the stored value (the loser kept as a conflict).
    pub(crate) async fn edited_fields<F: serde::Serialize + serde::de::DeserializeOwned + Clone>(
        &mut self,
        deps: &Deps,
        actor: &Actor,
        e: FieldEdit<'_, F>,
    ) -> Result<F> {
        let (scope, entity, row) = e.at;
        let since = self.since_base(actor.company_id, entity, row).await?;
        if let Some(seen) = e.seen.filter(|seen| since.is_none() && *seen != e.version) {
            return Err(Error::Conflict {
                code: "version_conflict",
                message: format!(
                    "the {} changed since version {seen}; it is now at {}",
                    entity.replace('_', " "),
                    e.version
                ),
            });
        }
        let Some(since) = since else { return Ok(e.mine.clone()) };
        let stored = serde_json::to_value(e.current).map_err(|err| Error::Internal(err.to_string()))?;
        let mut mine = serde_json::to_value(e.mine).map_err(|err| Error::Internal(err.to_string()))?;
        for field in e.names {
            let (mv, nv) = (mine[*field].clone(), stored[*field].clone());
            if !since.written(field, &mv, &nv)
                || !self.field_applies(deps, actor, (scope, entity, row), &since, field, (&mv, &nv)).await?
            {
                mine[*field] = nv;
            }
        }
        serde_json::from_value(mine).map_err(|err| Error::Internal(format!("merged {entity} fields: {err}")))
    }

    /// Decides a [`StatusMove`] for a pushed mutation (an online write always applies).
    pub(crate) async fn status_applies(&mut self, deps: &Deps, actor: &Actor, m: StatusMove<'_>) -> Result<bool> {
        let Some(since) = self.since_base(actor.company_id, m.entity, m.row).await? else { return Ok(true) };
        let (Some(other), Some(w)) = (since.changed.get("status").cloned(), self.sync.clone()) else {
            return Ok(true);
        };
        if m.from.0 == m.to.0 {
            return Ok(false);
        }
        let applies = status_move_applies(&w, &other, m.from.1, m.to.1, m.reopens, m.valid);
        let (winner, loser) = if applies { (m.to.0, m.from.0) } else { (m.from.0, m.to.0) };
        let decided = Decided {
            scope: m.scope,
            entity: m.entity,
            row: m.row,
            field: "status".to_owned(),
            winner: json!(winner),
            loser: json!(loser),
            mutation_won: applies,
            other,
        };
        self.record_conflict(deps, actor, decided).await?;
        Ok(applies)
    }

    /// Decides one field a pushed mutation writes by clock against the row's concurrent write
    /// of it, recording the loser: `true` when the mutation's value is to be stored. A field
    /// nobody else changed since the base version, or one already holding the value, is
    /// stored without a record.
    pub(crate) async fn field_applies(
        &mut self,
        deps: &Deps,
        actor: &Actor,
        at: (&str, &'static str, Uuid),
        since: &Since,
        field: &str,
        (mine, current): (&Value, &Value),
    ) -> Result<bool> {
        let (Some(other), Some(w)) = (since.changed.get(field).cloned(), self.sync.clone()) else { return Ok(true) };
        if mine == current {
            return Ok(true);
        }
        let won = mutation_wins(&w, &other);
        let (winner, loser) = if won { (mine, current) } else { (current, mine) };
        let decided = Decided {
            scope: at.0.to_owned(),
            entity: at.1,
            row: at.2,
            field: field.to_owned(),
            winner: winner.clone(),
            loser: loser.clone(),
            mutation_won: won,
            other,
        };
        self.record_conflict(deps, actor, decided).await?;
        Ok(won)
    }
}

/// One field decided against a concurrent write, to record.
#[derive(Debug, Clone)]
pub struct Decided {
    /// The row's scope (`vessel:{id}`).
    pub scope: String,
    /// The kind of row.
    pub entity: &'static str,
    /// The row.
    pub row: Uuid,
    /// The field.
    pub field: String,
    /// The value stored.
    pub winner: Value,
    /// The value not stored, or overwritten.
    pub loser: Value,
    /// Whether the pushed mutation's value is the one stored.
    pub mutation_won: bool,
    /// The concurrent write.
    pub other: Stamp,
}

impl UnitOfWork {
    /// For a pushed mutation made against a base version: what another writer changed in the
    /// row since. `None` for any other write (online, or an insert), which has no conflicts.
    /// Call it after [`UnitOfWork::hold_scope`].
    pub(crate) async fn since_base(&mut self, company: CompanyId, entity: &str, row: Uuid) -> Result<Option<Since>> {
        self.since_base_in(company, None, entity, row).await
    }

    /// [`UnitOfWork::since_base`], counting only the changes of `scope` when given: for a row
    /// whose id is not unique across scopes (a handover draft is its author's on each vessel).
    pub(crate) async fn since_base_in(
        &mut self,
        company: CompanyId,
        scope: Option<&str>,
        entity: &str,
        row: Uuid,
    ) -> Result<Option<Since>> {
        let Some((base, me)) = self.sync.as_ref().and_then(|w| Some((w.base_version?, w.origin.client_id))) else {
            return Ok(None);
        };
        let mut history = self.tx.row_history(company, entity, row, HISTORY).await?;
        if let Some(scope) = scope {
            history.retain(|(_, c, _)| c.scope == scope);
        }
        Ok(Some(fold(&history, base, me)))
    }

    /// For a pushed mutation, locks `scope` before the row is read for the decision, so that
    /// nothing changes it before commit. An online write needs no lock before its read: it
    /// checks the row's version after its change-log row is taken.
    pub(crate) async fn hold_scope(&mut self, company: CompanyId, scope: &str) -> Result<bool> {
        if self.sync.as_ref().is_some_and(|w| w.base_version.is_some()) {
            self.tx.lock_scope(company, scope).await?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Records a decided field: the conflict row, its change in the row's scope (conflicts sync
    /// like rows) and its audit entry. The id is reported in the push's answer.
    pub(crate) async fn record_conflict(&mut self, deps: &Deps, actor: &Actor, d: Decided) -> Result<Uuid> {
        let Some(w) = self.sync.clone() else {
            return Err(Error::Internal("a conflict outside a pushed mutation".into()));
        };
        let now = deps.clock.now();
        let c = SyncConflict {
            id: deps.ids.uuid(),
            scope: d.scope,
            entity: d.entity.to_owned(),
            row_id: d.row,
            field: d.field,
            winner: d.winner,
            loser: d.loser,
            mutation_side: if d.mutation_won { "winner" } else { "loser" }.to_owned(),
            mutation_name: w.name.clone(),
            mutation_args: w.args.clone(),
            client_id: w.origin.client_id,
            mutation_id: w.origin.mutation_id,
            mutation_hlc: format_hlc(w.hlc),
            by_user: actor.user_id.0,
            other_seq: d.other.seq,
            other_hlc: format_hlc(d.other.hlc),
            other_client_id: (!d.other.client.is_nil()).then_some(d.other.client),
            state: "open".to_owned(),
            kept: None,
            resolved_by: None,
            resolved_at: None,
            created_at: now,
        };
        let company = actor.company_id;
        self.tx.insert_sync_conflict(company, &c).await?;
        let row = conflict_json(&c);
        let change = Change {
            scope: c.scope.clone(),
            entity: "sync_conflict",
            row_id: c.id,
            op: "insert",
            fields: row.clone(),
            at: now,
        };
        self.tx.record_change(company, &change).await?;
        deps.audit(
            &mut self.tx,
            company,
            Some(actor.user_id),
            &actor.meta,
            Audit::ok("sync.conflict", "sync_conflict", c.id).after(row),
        )
        .await?;
        self.conflicts.push(c.id);
        Ok(c.id)
    }
}

/// A conflict record as it leaves the server (pull, list): everything but the mutation's
/// arguments, which stay on the server for a resolution.
pub fn conflict_json(c: &SyncConflict) -> Value {
    json!({
        "id": c.id, "scope": c.scope, "entity": c.entity, "row_id": c.row_id, "field": c.field,
        "winner": c.winner, "loser": c.loser, "mutation_side": c.mutation_side, "mutation_name": c.mutation_name,
        "client_id": c.client_id, "mutation_id": c.mutation_id, "mutation_hlc": c.mutation_hlc, "by_user": c.by_user,
        "other_seq": c.other_seq, "other_hlc": c.other_hlc, "other_client_id": c.other_client_id, "state": c.state,
        "kept": c.kept, "resolved_by": c.resolved_by, "resolved_at": c.resolved_at, "created_at": c.created_at,
    })
}

/// Whether `me`, reading under `policy`, may see a conflict on `entity`.`field` of row `row`:
/// not when the field is one their role may not read (a conflict on a supplier price is all
/// supplier price), nor on another person's handover draft.
pub fn conflict_visible(policy: FieldPolicy, me: Uuid, entity: &str, row: &str, field: &str) -> bool {
    // A handover draft is its author's alone, and so are the conflicts on it.
    if entity == "handover_draft" && row != me.to_string() {
        return false;
    }
    // A person's record is for those who may read the people directory.
    if entity == "membership" && !policy.reads_people() {
        return false;
    }
    Entity::named(entity)
        .is_none_or(|e| policy.hidden(e).all(|hidden| hidden.name() != field && !hidden.aliases().contains(&field)))
}

/// The permission that writes rows of `entity`, which deciding their conflicts takes too.
fn write_permission(entity: &str) -> Result<Action> {
    match entity {
        "fault" => Ok(Action::FaultManage),
        "parts_order" => Ok(Action::PartsManage),
        "equipment" => Ok(Action::EquipmentWrite),
        "part" => Ok(Action::CatalogueWrite),
        "work_order" => Ok(Action::WorkOrderManage),
        "maintenance_plan" => Ok(Action::PlanWrite),
        "procedure" => Ok(Action::ProcedureWrite),
        "vessel" => Ok(Action::VesselUpdate),
        "handover_draft" => Ok(Action::HandoverPrepare),
        "company" => Ok(Action::BrandingUpdate),
        "membership" => Ok(Action::UserUpdate),
        other => Err(Error::Internal(format!("a conflict on {other}, which has none"))),
    }
}

/// Which side of a conflict a resolution keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// The value stored: nothing changes but the record.
    Winner,
    /// The other value: written through the owning mutator, with its rules and permission.
    Loser,
}

impl Keep {
    fn as_str(self) -> &'static str {
        match self {
            Self::Winner => "winner",
            Self::Loser => "loser",
        }
    }
}

/// Settles a conflict (`resolve_conflict.v1`): keeps the stored value, or writes the other one
/// through the mutator that owns the field. A second resolution is `conflict_resolved`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveConflict {
    /// The conflict.
    pub conflict_id: Uuid,
    /// Which side to keep.
    pub keep: Keep,
}

mutator!(ResolveConflict, "resolve_conflict.v1", SyncConflict, |app, uow, actor, m| {
    app.resolve_conflict(uow, actor, m).await
});

impl App {
    /// A conflict the caller may see: in a scope they reach, on a field they may read.
    async fn visible_conflict(
        &self,
        tx: &mut Box<dyn bosun_store::Tx>,
        actor: &Actor,
        id: Uuid,
    ) -> Result<SyncConflict> {
        let c = tx.sync_conflict(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.reaches_scope(tx, actor, &c.scope).await?
            || !conflict_visible(
                FieldPolicy::of(actor.role),
                actor.user_id.0,
                &c.entity,
                &c.row_id.to_string(),
                &c.field,
            )
        {
            return Err(Error::NotFound);
        }
        Ok(c)
    }

    async fn reaches_scope(&self, tx: &mut Box<dyn bosun_store::Tx>, actor: &Actor, scope: &str) -> Result<bool> {
        let vessel = scope.strip_prefix("vessel:").and_then(|v| Uuid::parse_str(v).ok());
        match vessel {
            Some(v) => self.deps.sees_vessel(tx, actor, bosun_domain::VesselId(v)).await,
            None => Ok(scope == format!("company:{}", actor.company_id)),
        }
    }

    async fn resolve_conflict(&self, uow: &mut UnitOfWork, actor: &Actor, r: &ResolveConflict) -> Result<SyncConflict> {
        let company = actor.company_id;
        let c = self.visible_conflict(&mut uow.tx, actor, r.conflict_id).await?;
        actor.permit(write_permission(&c.entity)?, "sync_conflict", c.id)?;
        if c.state != "open" {
            return Err(resolved());
        }
        if r.keep == Keep::Loser {
            let current = uow.tx.row_history(company, &c.entity, c.row_id, HISTORY).await?;
            let row = fold(&current, i64::MAX, Uuid::nil()).base;
            let m = loser_mutation(&c, &row)?;
            // The chosen value is a decision, not a concurrent edit: written plainly.
            let sync = uow.sync.take();
            let applied = m.apply(self, uow, actor).await;
            uow.sync = sync;
            applied?;
        }
        let now = self.deps.clock.now();
        if !uow.tx.resolve_sync_conflict(company, c.id, r.keep.as_str(), actor.user_id.0, now).await? {
            return Err(resolved());
        }
        let settled = uow.tx.sync_conflict(company, c.id).await?.ok_or(Error::NotFound)?;
        let fields = conflict_json(&settled);
        let change = Change {
            scope: settled.scope.clone(),
            entity: "sync_conflict",
            row_id: settled.id,
            op: "update",
            fields: fields.clone(),
            at: now,
        };
        uow.tx.record_change(company, &change).await?;
        self.deps
            .audit(
                &mut uow.tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("sync.conflict.resolve", "sync_conflict", settled.id).after(fields),
            )
            .await?;
        Ok(settled)
    }

    /// Conflicts the caller may see (in scopes they reach, on fields they may read), by id
    /// after `after`; at most `limit`. Answers them and where to go on from.
    pub async fn list_conflicts(
        &self,
        actor: &Actor,
        filter: ConflictFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<(Vec<SyncConflict>, Option<Uuid>)> {
        const READ: u32 = 200;
        const READS: usize = 25;
        let mut tx = self.store.begin_read(Some(actor.company_id)).await?;
        let policy = FieldPolicy::of(actor.role);
        let mut reached: BTreeMap<String, bool> = BTreeMap::new();
        let mut out = Vec::new();
        let mut cursor = after;
        for _ in 0..READS {
            let page = tx.sync_conflicts(actor.company_id, &filter, cursor, READ).await?;
            let done = page.len() < READ as usize;
            for c in page {
                cursor = Some(c.id);
                let reaches = match reached.get(&c.scope) {
                    Some(r) => *r,
                    None => {
                        let r = self.reaches_scope(&mut tx, actor, &c.scope).await?;
                        reached.insert(c.scope.clone(), r);
                        r
                    }
                };
                if reaches && conflict_visible(policy, actor.user_id.0, &c.entity, &c.row_id.to_string(), &c.field) {
                    out.push(c);
                    if out.len() == limit as usize {
                        return Ok((out, cursor));
                    }
                }
            }
            if done {
                return Ok((out, None));
            }
        }
        // Many records out of reach in a row: answer what was found and where to go on.
        Ok((out, cursor))
    }
}

fn resolved() -> Error {
    Error::Conflict { code: "conflict_resolved", message: "this conflict is resolved already".into() }
}

/// The mutation that writes a conflict's losing value through the mutator owning its field.
fn loser_mutation(c: &SyncConflict, row: &serde_json::Map<String, Value>) -> Result<Mutation> {
    let not_resolvable = || Error::Conflict {
        code: "not_resolvable",
        message: format!("the other value of {}.{} cannot be written back; change it by hand", c.entity, c.field),
    };
    let (name, args) = match (c.entity.as_str(), c.field.as_str()) {
        ("fault", "assignee_id") if !c.loser.is_null() => {
            ("assign_fault.v1", json!({ "fault_id": c.row_id, "assignee_id": c.loser }))
        }
        ("fault", "status") => match c.loser.as_str() {
            Some("resolved") if c.mutation_side == "loser" && c.mutation_name == "resolve_fault.v1" => {
                ("resolve_fault.v1", c.mutation_args.clone())
            }
            Some("resolved") => return Err(not_resolvable()),
            Some("acknowledged") => ("acknowledge_fault.v1", json!({ "fault_id": c.row_id })),
            Some(status) => ("set_fault_status.v1", json!({ "fault_id": c.row_id, "status": status })),
            None => return Err(not_resolvable()),
        },
        ("parts_order", "status") => ("set_parts_order_status.v1", json!({ "order_id": c.row_id, "status": c.loser })),
        ("equipment", field) => {
            let mut fields = kept(row, crate::fleet::equipment::WRITABLE);
            fields.insert(field.to_owned(), c.loser.clone());
            ("update_equipment.v1", json!({ "equipment_id": c.row_id, "fields": fields }))
        }
        ("part", field) => {
            let mut fields = kept(row, crate::stock::PART_FIELDS);
            fields.insert(field.to_owned(), c.loser.clone());
            fields.insert("part_id".to_owned(), json!(c.row_id));
            ("update_part.v1", Value::Object(fields))
        }
        ("work_order", field) if crate::work_orders::WORK_ORDER_FIELDS.contains(&field) => {
            let mut fields = kept(row, crate::work_orders::WORK_ORDER_FIELDS);
            fields.insert(field.to_owned(), c.loser.clone());
            fields.insert("work_order_id".to_owned(), json!(c.row_id));
            ("update_work_order.v1", Value::Object(fields))
        }
        ("procedure", field) => {
            let mut fields = kept(row, crate::work_orders::procedures::PROCEDURE_FIELDS);
            fields.insert(field.to_owned(), c.loser.clone());
            fields.insert("procedure_id".to_owned(), json!(c.row_id));
            ("update_procedure.v1", Value::Object(fields))
        }
        ("maintenance_plan", field) => {
            let mut fields = kept(row, crate::plans::PLAN_FIELDS);
            fields.insert(field.to_owned(), c.loser.clone());
            fields.insert("plan_id".to_owned(), json!(c.row_id));
            ("update_maintenance_plan.v1", Value::Object(fields))
        }
        ("vessel", field) => {
            let mut fields = kept(row, &["kind", "name", "vessel_type", "imo", "specs"]);
            fields.insert(field.to_owned(), c.loser.clone());
            ("update_vessel.v1", json!({ "vessel_id": c.row_id, "fields": fields }))
        }
        ("company", field) => {
            let mut branding = kept(row, &["display_name", "logo_url", "primary_color"]);
            branding.insert(field.to_owned(), c.loser.clone());
            ("update_branding.v1", json!({ "company_id": c.row_id, "branding": branding }))
        }
        ("membership", field @ ("name" | "role" | "specialisation" | "active")) => {
            ("update_person.v1", json!({ "user_id": c.row_id, field: c.loser }))
        }
        ("handover_draft", field @ ("notes" | "item_notes")) => {
            let mut draft = kept(row, &["vessel_id", "notes", "item_notes"]);
            draft.insert(field.to_owned(), c.loser.clone());
            ("save_handover_notes.v1", Value::Object(draft))
        }
        _ => return Err(not_resolvable()),
    };
    Mutation::parse(name, args)
}

/// The fields `names` of a row as its last change left them.
fn kept(row: &serde_json::Map<String, Value>, names: &[&str]) -> serde_json::Map<String, Value> {
    names.iter().filter_map(|f| row.get(*f).map(|v| ((*f).to_owned(), v.clone()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(fields: Value, ms: i64) -> Change {
        Change {
            scope: "vessel:v".into(),
            entity: "fault",
            row_id: Uuid::nil(),
            op: "update",
            fields,
            at: DateTime::from_timestamp_millis(ms).unwrap_or_default(),
        }
    }

    fn from(client: u128, hlc: &str) -> Option<ChangeOrigin> {
        Some(ChangeOrigin { client_id: Uuid::from_u128(client), mutation_id: 1, hlc: Some(hlc.into()) })
    }

    #[test]
    fn hlcs_are_clamped_to_the_receive_time_and_read_only_as_sixteen_hex_digits() {
        let now = DateTime::from_timestamp_millis(1_000).unwrap_or_default();
        assert_eq!(format_hlc(hlc_at(now)), "0000000003e80000");
        assert_eq!(clamp_hlc(Some("0000000003e80007"), now), hlc_at(now) + 7, "a clock at the receive time is kept");
        assert_eq!(clamp_hlc(Some("0000000001f40000"), now), 500 << 16, "an earlier one too");
        assert_eq!(clamp_hlc(Some("ffffffffffff0000"), now), hlc_at(now) | 0xffff, "a clock in 10889 is not");
        assert_eq!(clamp_hlc(Some("soon"), now), hlc_at(now));
        assert_eq!(clamp_hlc(None, now), hlc_at(now));
        assert_eq!(parse_hlc("0000000003E80000"), Some(hlc_at(now)), "either case");
        assert_eq!(parse_hlc("3e80000"), None);
    }

    #[test]
    fn the_fold_finds_the_base_values_and_the_last_concurrent_write_of_each_field() {
        let me = Uuid::from_u128(7);
        let history = vec![
            (1, change(json!({ "id": 1, "status": "open", "assignee_id": null, "title": "Leak" }), 1), None),
            (2, change(json!({ "status": "acknowledged", "assignee_id": null, "title": "Leak" }), 2), None),
            (
                5,
                change(json!({ "status": "acknowledged", "assignee_id": "a", "title": "Leak" }), 5),
                from(9, "0000000000050003"),
            ),
            (6, change(json!({ "status": "in_progress", "assignee_id": "a" }), 6), from(7, "0000000000060000")),
            (8, change(json!({ "title": "Big leak", "version": 8 }), 8), None),
        ];
        let since = fold(&history, 2, me);
        assert_eq!(since.base["status"], "acknowledged");
        assert_eq!(since.base["assignee_id"], Value::Null);
        assert_eq!(since.changed.keys().collect::<Vec<_>>(), ["assignee_id", "title"], "status was last mine");
        assert_eq!(since.changed["assignee_id"], Stamp { seq: 5, hlc: 0x0005_0003, client: Uuid::from_u128(9) });
        assert_eq!(since.changed["title"], Stamp { seq: 8, hlc: 8 << 16, client: Uuid::nil() }, "online: its time");
        assert!(since.written("assignee_id", &json!("b"), &json!("a")));
        assert!(!since.written("title", &json!("Leak"), &json!("Big leak")), "unchanged from the base: not written");
        let nothing_since = fold(&history, 8, me);
        assert!(nothing_since.changed.is_empty());
        assert_eq!(nothing_since.base["title"], "Big leak");
    }

    #[test]
    fn the_greater_clock_wins_and_the_client_id_breaks_ties() {
        let w = |hlc: u64, client: u128| SyncWrite {
            origin: ChangeOrigin { client_id: Uuid::from_u128(client), mutation_id: 1, hlc: None },
            hlc,
            base_version: Some(1),
            name: "assign_fault.v1".into(),
            args: json!({}),
            after: None,
        };
        let other = Stamp { seq: 3, hlc: 100, client: Uuid::from_u128(5) };
        assert!(mutation_wins(&w(101, 1), &other));
        assert!(!mutation_wins(&w(99, 9), &other));
        assert!(mutation_wins(&w(100, 6), &other));
        assert!(!mutation_wins(&w(100, 4), &other));
    }

    #[test]
    fn a_conflict_on_a_field_a_role_may_not_read_is_not_theirs_to_see() {
        use bosun_domain::person::Role;
        let crew = FieldPolicy::of(Role::Crew);
        let (me, row) = (Uuid::from_u128(7), Uuid::from_u128(8).to_string());
        assert!(conflict_visible(crew, me, "fault", &row, "assignee_id"));
        assert!(!conflict_visible(crew, me, "fault", &row, "repair_seconds"));
        assert!(!conflict_visible(crew, me, "parts_order", &row, "supplier_unit_price_minor"));
        assert!(conflict_visible(FieldPolicy::of(Role::Manager), me, "parts_order", &row, "supplier_unit_price_minor"));
        let owner = FieldPolicy::of(Role::Owner);
        assert!(!conflict_visible(owner, me, "handover_draft", &row, "notes"), "another person's draft");
        assert!(conflict_visible(crew, me, "handover_draft", &me.to_string(), "notes"), "one's own draft");
    }
}
