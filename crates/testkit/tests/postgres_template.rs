//! `TestDb` on PostgreSQL: databases cloned at once from the migrated template (made first if
//! need be) open as current without migrating, and an empty database has no schema.

use bosun_store::{Store, StoreError};
use bosun_store_sql::{PgSettings, SqlStore};
use bosun_testkit::db::{TestDb, admin_url, template_name};
use sqlx::{Connection, PgConnection};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clones_of_the_template_open_as_current_and_an_empty_database_has_no_schema() {
    // Spawned, so the future must be `Send`; at once, so they race for the template.
    let clones: Vec<_> = (0..4).map(|_| tokio::spawn(TestDb::postgres())).collect();
    for clone in clones {
        let db = clone.await.expect("a clone is made");
        // Straight to the runtime role's store, which refuses a schema that is not current.
        let store = SqlStore::open(&db.url(), &PgSettings::default()).await.expect("a clone opens as current");
        store.close().await;
    }

    let mut admin = PgConnection::connect(&admin_url()).await.expect("the admin login connects");
    let flags: (bool, bool) = sqlx::query_as("SELECT datistemplate, datallowconn FROM pg_database WHERE datname = $1")
        .bind(template_name())
        .fetch_one(&mut admin)
        .await
        .expect("the template exists");
    assert_eq!(flags, (true, false), "the template is marked one, and no session may connect to it");
    admin.close().await.expect("the connection closes");

    let empty = TestDb::postgres_empty().await;
    match SqlStore::open(&empty.url(), &PgSettings::default()).await {
        Err(StoreError::Other(message)) => assert!(message.contains("no migration has run"), "{message}"),
        Err(other) => panic!("expected the refusal of an unmigrated schema, got {other:?}"),
        Ok(_) => panic!("an empty database opened as current"),
    }
    empty.open().await.close().await;
}
