//! Ports for spare parts and stock (ADR 0007): the company's catalogue, each vessel's
//! locations and rules, the insert-only ledger and the balance row kept with it.

use async_trait::async_trait;
use bosun_domain::stock::{
    Part, PartStockRule, PartSummary, Quantity, StockBalance, StockEntry, StockLocation, StockRule, Transfer,
};
use bosun_domain::{CompanyId, PartId, StockEntryId, StockLocationId, TransferId, UserId, VesselId};
use chrono::{DateTime, Utc};

use crate::{Page, StoreResult};

/// Which parts of the catalogue to list.
#[derive(Debug, Clone, Default)]
pub struct PartFilter {
    /// Only parts whose number, name or maker contains this text (any case).
    pub text: Option<String>,
    /// Only critical spares.
    pub critical_only: bool,
}

/// Which ledger entries to list (always of one vessel).
#[derive(Debug, Clone)]
pub struct StockEntryFilter {
    /// The vessel.
    pub vessel: VesselId,
    /// Only of this part.
    pub part: Option<PartId>,
    /// Only at this location.
    pub location: Option<StockLocationId>,
}

/// One row of a vessel's stock: a part with one of its balances (none when it only has a
/// rule) and its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockRow {
    /// The part, as a stock list shows it.
    pub part: PartSummary,
    /// A location and what it holds of the part.
    pub balance: Option<(StockLocationId, Quantity)>,
    /// The part's rule on the vessel.
    pub rule: Option<StockRule>,
}

/// A transfer as stored: the domain's transfer with who sent and received it, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTransfer {
    /// Its company.
    pub company_id: CompanyId,
    /// The part, places and quantities.
    pub transfer: Transfer,
    /// Who sent it.
    pub dispatched_by: UserId,
    /// When.
    pub dispatched_at: DateTime<Utc>,
    /// Who received it.
    pub received_by: Option<UserId>,
    /// When.
    pub received_at: Option<DateTime<Utc>>,
    /// Version (sync sequence of its last change).
    pub version: i64,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// The parts catalogue, stock locations, rules, the ledger and its balances.
#[async_trait]
pub trait StockRepo {
    /// Adds a part; a number whose key is taken is a `Conflict`.
    async fn insert_part(&mut self, p: &Part) -> StoreResult<()>;
    /// One part.
    async fn part(&mut self, company: CompanyId, id: PartId) -> StoreResult<Option<Part>>;
    /// The part whose number has this key (`part_number_key`).
    async fn part_by_number_key(&mut self, company: CompanyId, key: &str) -> StoreResult<Option<Part>>;
    /// Replaces a part's fields and version; a number whose key another part holds is a
    /// `Conflict`.
    async fn update_part(&mut self, p: &Part) -> StoreResult<Part>;
    /// Parts matching `filter`, by number key then id, after `page.after` (a part id whose
    /// number key orders the page).
    async fn list_parts(
        &mut self,
        company: CompanyId,
        filter: &PartFilter,
        page: Page<PartId>,
    ) -> StoreResult<Vec<Part>>;

    /// Adds a location; a name whose key is taken on the vessel is a `Conflict`.
    async fn insert_stock_location(&mut self, l: &StockLocation) -> StoreResult<()>;
    /// One location.
    async fn stock_location(&mut self, company: CompanyId, id: StockLocationId) -> StoreResult<Option<StockLocation>>;
    /// A vessel's locations, by name.
    async fn stock_locations(&mut self, company: CompanyId, vessel: VesselId) -> StoreResult<Vec<StockLocation>>;

    /// Sets a part's rule on a vessel (one per vessel and part: a second replaces the first's
    /// quantities, version and time, and keeps its id).
    async fn put_stock_rule(&mut self, r: &PartStockRule) -> StoreResult<PartStockRule>;
    /// A part's rule on a vessel.
    async fn stock_rule(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        part: PartId,
    ) -> StoreResult<Option<PartStockRule>>;
    /// A vessel's rules.
    async fn stock_rules(&mut self, company: CompanyId, vessel: VesselId) -> StoreResult<Vec<PartStockRule>>;

    /// Appends a ledger entry with the version its change-log row took (insert-only: the
    /// same id twice is a `Conflict`).
    async fn insert_stock_entry(&mut self, e: &StockEntry, version: i64) -> StoreResult<()>;
    /// One ledger entry.
    async fn stock_entry(&mut self, company: CompanyId, id: StockEntryId) -> StoreResult<Option<StockEntry>>;
    /// Ledger entries matching `filter`, newest id first, before `page.after`.
    async fn stock_entries(
        &mut self,
        company: CompanyId,
        filter: &StockEntryFilter,
        page: Page<StockEntryId>,
    ) -> StoreResult<Vec<StockEntry>>;

    /// The balance of a part at a location. The caller holds the vessel's scope lock
    /// (`ChangeLog::lock_scope`) when it means to write it back.
    async fn stock_balance(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        location: StockLocationId,
        part: PartId,
    ) -> StoreResult<Option<StockBalance>>;
    /// Writes a balance (inserted the first time, its on-hand, version and time replaced after).
    async fn put_stock_balance(&mut self, b: &StockBalance) -> StoreResult<()>;
    /// A vessel's stock in one statement: each part it holds or has a rule for, once per
    /// location holding it (once with no balance when it only has a rule), by part number,
    /// at most `limit` rows.
    async fn vessel_stock(&mut self, company: CompanyId, vessel: VesselId, limit: u32) -> StoreResult<Vec<StockRow>>;
    /// Stores a new transfer.
    async fn insert_transfer(&mut self, t: &StoredTransfer) -> StoreResult<()>;
    /// One transfer.
    async fn transfer(&mut self, company: CompanyId, id: TransferId) -> StoreResult<Option<StoredTransfer>>;
    /// Writes a transfer's receipt, version and time.
    async fn update_transfer(&mut self, t: &StoredTransfer) -> StoreResult<()>;
    /// Transfers from or to `vessel`, newest id first, before `page.after`; only those in
    /// transit when asked.
    async fn list_transfers(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        in_transit_only: bool,
        page: Page<TransferId>,
    ) -> StoreResult<Vec<StoredTransfer>>;
    /// What is in transit to `vessel` (sent, not yet received), per part, by part.
    async fn incoming_transfers(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
    ) -> StoreResult<Vec<(PartId, Quantity)>>;
    /// A vessel's balances, of one part when given, by part then location.
    async fn stock_balances(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        part: Option<PartId>,
    ) -> StoreResult<Vec<StockBalance>>;
}
