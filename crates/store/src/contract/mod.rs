//! The store contract: what every backend must do, written once and stamped out per backend
//! with [`store_contract_tests!`](crate::store_contract_tests). Each case gets a fresh, empty,
//! migrated store.

mod accounts;
mod assignments;
mod cases;
mod maintenance;
mod plans;
mod purchasing;
mod stock;

pub use accounts::*;
pub use assignments::*;
pub use cases::*;
pub use maintenance::*;
pub use plans::*;
pub use purchasing::*;
pub use stock::*;

/// Stamps out one `#[tokio::test]` per contract case. `$open` is an async expression giving
/// `(store, guard)`: a fresh store and whatever must live as long as it (a temp dir, a
/// database dropped afterwards).
#[macro_export]
macro_rules! store_contract_tests {
    ($open:expr) => {
        $crate::store_contract_tests!(@cases $open;
            companies_round_trip_and_slugs_are_unique,
            an_email_belongs_to_one_login,
            memberships_are_visible_only_to_their_company,
            vessels_are_visible_only_to_their_company,
            vessels_page_by_id_and_filter_by_member,
            a_rotation_that_ended_or_a_removal_ends_a_persons_reach,
            a_taken_imo_number_within_a_company_conflicts,
            departments_and_rotations_round_trip,
            the_audit_chain_appends_in_order_and_verifies,
            audit_entries_filter_and_page_newest_first,
            the_change_log_numbers_each_scope_without_gaps,
            sync_clients_advance_only_forward_and_keep_their_rejections,
            compaction_folds_and_drops_old_deletes_only_in_its_own_company,
            refresh_tokens_rotate_once_and_families_revoke,
            login_throttle_records_and_clears,
            the_standing_epoch_moves_with_every_committed_standing_change,
            the_first_server_secret_wins,
            a_dropped_transaction_leaves_nothing,
            a_read_transaction_sees_one_snapshot_of_committed_data_and_cannot_write,
            the_equipment_hierarchy_round_trips_and_filters,
            readings_are_kept_in_time_order,
            faults_round_trip_filter_and_page_newest_first,
            parts_orders_read_as_fault_requisitions_and_old_rows_wait_for_the_migration,
            parts_are_unique_by_number_key_and_list_by_number,
            locations_and_rules_are_one_per_name_and_per_part,
            stock_balances_equal_the_sum_of_their_ledger,
            plans_round_trip_are_claimed_when_due_and_count_their_completions,
            assignments_and_daily_reports_round_trip_and_find_overlaps,
            purchasing_rows_round_trip_and_list_by_vessel_and_status,
            handovers_keep_drafts_and_are_acknowledged_once,
            attachments_are_listed_by_their_record,
            analytics_aggregates_are_exact,
            split_repair_times_equal_the_mean_of_each_window,
            maintenance_records_are_visible_only_to_their_company,
            invitations_are_single_use_and_one_open_per_email,
            password_resets_are_spent_once_and_set_the_password,
            a_second_factor_is_enrolled_confirmed_and_each_step_used_once,
            sessions_are_listed_touched_and_ended_one_or_all_but_one,
            api_keys_keep_their_vessels_and_revoke_once,
            company_security_and_plan_are_part_of_every_standing,
            rate_windows_add_up_what_every_instance_counted,
        );
    };
    (@cases $open:expr; $($case:ident),* $(,)?) => {$(
        #[tokio::test]
        async fn $case() {
            let (store, _guard) = $open.await;
            $crate::contract::$case(&*store).await;
            store.close().await;
        }
    )*};
}
