//! The store contract suite, run against both backends.

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock

use bosun_testkit::db::TestDb;

async fn open(db: TestDb) -> (Box<dyn bosun_store::Store>, TestDb) {
    let store = db.open().await;
    (Box::new(store), db)
}

mod sqlite {
    use super::*;
    bosun_store::store_contract_tests!(open(TestDb::sqlite()));
}

mod postgres {
    use super::*;
    bosun_store::store_contract_tests!(async { open(TestDb::postgres().await).await });
}
