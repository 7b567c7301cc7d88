//! The query plans SQLite chooses for the reads that grow with a company's history, checked so
//! that a change of query or index cannot quietly turn a seek into a scan of every fault. The
//! store runs SQLite without table statistics (no `ANALYZE`): plans follow from the statements'
//! shape and the indexes alone, so they are the same on every vessel's database.

#![cfg(test)]

use bosun_domain::{EquipmentId, UserId, VesselId};
use bosun_store::{FaultFilter, MttrGroup, Store, VesselScope};

use crate::SqlStore;
use crate::analytics::sql;
use crate::sqlite::{SqliteSettings, open};

/// The plan of `statement`, its lines joined, with every parameter bound to NULL.
async fn plan(store: &SqlStore, statement: &str) -> String {
    let SqlStore::Sqlite(s) = store else { unreachable!("a SQLite store") };
    let params = (1..=20).filter(|n| statement.contains(&format!("${n}"))).count();
    let explain = format!("EXPLAIN QUERY PLAN {statement}");
    let mut q = sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(explain));
    for _ in 0..params {
        q = q.bind(None::<String>);
    }
    q.fetch_all(s.readers()).await.unwrap().into_iter().map(|r| r.3).collect::<Vec<_>>().join(" | ")
}

fn scopes() -> [VesselScope; 3] {
    [
        VesselScope::default(),
        VesselScope { vessel: Some(VesselId::new()), member: None },
        VesselScope {
            vessel: None,
            member: Some(bosun_store::Reach { principal: UserId::new().0, since: chrono::NaiveDate::MIN }),
        },
    ]
}

/// Asserts the plan reads faults through `index` alone (no table rows) and never scans them.
fn assert_uses(plan: &str, index: &str, what: &str) {
    assert!(plan.contains(&format!("USING COVERING INDEX {index} ")), "{what} should read {index} alone: {plan}");
    for table in ["faults", "f"] {
        assert!(
            !plan.contains(&format!("SCAN {table} ")) && !plan.ends_with(&format!("SCAN {table}")),
            "{what} scans: {plan}"
        );
    }
}

async fn store(dir: &tempfile::TempDir) -> SqlStore {
    open(&SqliteSettings::new(dir.path().join("bosun.db"))).await.unwrap()
}

#[tokio::test]
async fn an_equipment_page_reads_only_its_own_faults() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir).await;
    let page = FaultFilter {
        scope: VesselScope { vessel: Some(VesselId::new()), member: None },
        equipment: Some(EquipmentId::new()),
        ..FaultFilter::default()
    };
    for paged in [false, true] {
        let p = plan(&s, &crate::faults::list_faults_sql(&page, paged)).await;
        assert!(p.contains("USING INDEX faults_by_equipment_newest"), "an item's fault history: {p}");
        assert!(!p.contains("SCAN") && !p.contains("TEMP B-TREE"), "an item's history is read in order: {p}");
    }
    let p = plan(&s, crate::equipment::EQUIPMENT_DOWN_SQL).await;
    assert_uses(&p, "faults_unresolved", "items down by critical faults");
    // The page's own faults are whole rows: the index finds them, the table gives them.
    let p = plan(&s, &crate::faults::list_faults_sql(&page, false)).await;
    assert!(p.contains("USING INDEX faults_by_equipment_newest (company_id=? AND equipment_id=?)"), "{p}");
    s.close().await;
}

#[tokio::test]
async fn dashboard_aggregates_read_their_own_index() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir).await;
    for scope in scopes() {
        let p = plan(&s, &sql::unresolved_by_severity(scope)).await;
        assert_uses(&p, "faults_unresolved", "unresolved by severity and age");
        assert!(!p.contains("TEMP B-TREE"), "unresolved faults are grouped in the index's order: {p}");
        for group in [None, Some(MttrGroup::Vessel), Some(MttrGroup::Severity), Some(MttrGroup::Month)] {
            let p = plan(&s, &sql::mttr(scope, group, false)).await;
            assert_uses(&p, "faults_by_resolution", "MTTR");
        }
        let p = plan(&s, &sql::mttr_split(scope, false)).await;
        assert_uses(&p, "faults_by_resolution", "the dashboard's MTTR");
        assert_eq!(p.matches("faults_by_resolution").count(), 2, "a range per window: {p}");
        let p = plan(&s, &sql::failure_spans(scope)).await;
        assert_uses(&p, "faults_by_equipment_report", "report spans (top items, MTBF)");
        assert!(p.starts_with("MATERIALIZE spans"), "the spans are counted before any row is returned: {p}");
        let p = plan(&s, &sql::parts_spend(scope, false)).await;
        for index in ["requisitions_by_created", "purchase_orders_by_created", "purchase_order_lines_order"] {
            assert!(
                p.contains(&format!("USING COVERING INDEX {index} ")),
                "parts spend should read {index} alone: {p}"
            );
        }
        for table in ["r", "o", "l", "requisitions", "purchase_orders", "purchase_order_lines"] {
            assert!(
                !p.contains(&format!("SCAN {table} ")) && !p.ends_with(&format!("SCAN {table}")),
                "parts spend scans: {p}"
            );
        }
    }
    s.close().await;
}

#[tokio::test]
async fn an_upload_completing_a_file_seeks_the_attachments_waiting_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir).await;
    let p = plan(&s, crate::handovers::PENDING_ATTACHMENTS_OF_FILE_SQL).await;
    assert!(p.contains("USING INDEX attachments_pending_by_file (company_id=? AND sha256=?)"), "{p}");
    assert!(!p.contains("SCAN attachments"), "{p}");
    s.close().await;
}
