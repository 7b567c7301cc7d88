//! SECURITY.md, "Durability and recovery": `kill -9` under write load loses no acknowledged
//! write, leaves a file that passes `integrity_check`, and an audit chain that holds.
//! `BOSUN_DURABILITY_TRIALS` runs more trials (see `scripts/durability-bench.sh`).

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock

mod support;

use support::durability::{Plan, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_under_write_load_loses_no_acknowledged_write() {
    let plan = Plan::from_env();
    let trials = run(&plan).await;
    assert_eq!(trials.len(), plan.trials);
    for (n, t) in trials.iter().enumerate() {
        let n = n + 1;
        assert!(t.acknowledged > 0, "trial {n}: no write was acknowledged before the kill");
        assert!(t.refused.is_empty(), "trial {n}: writes were refused before the kill: {:?}", t.refused);
        assert!(t.lost.is_empty(), "trial {n}: {} acknowledged writes were lost: {:?}", t.lost.len(), t.lost);
        assert_eq!(t.integrity, "ok", "trial {n}: integrity_check after the kill");
        assert!(t.audit_holds, "trial {n}: bosun audit verify after the restart: {}", t.audit_report);
        let entries: usize = t
            .audit_report
            .split_once("the chain holds (")
            .and_then(|(_, rest)| rest.split_once(" entries"))
            .and_then(|(n, _)| n.parse().ok())
            .unwrap_or(0);
        assert!(
            entries >= t.acknowledged,
            "trial {n}: the chain has {entries} entries for {} acknowledged vessels: {}",
            t.acknowledged,
            t.audit_report
        );
    }
}
