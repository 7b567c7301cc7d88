//! A row from either backend, decoded by column name into types both backends support.

use bosun_store::{StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{Decode, Postgres, Row as _, Type};

use crate::sqlite::direct::{Column, Row};

pub(crate) enum DbRow {
    /// Read through `rusqlite` on SQLite, by a read or a write transaction.
    Direct(Row),
    Pg(PgRow),
}

impl DbRow {
    /// The value of column `col`.
    pub(crate) fn get<T>(&self, col: &str) -> StoreResult<T>
    where
        T: for<'r> Decode<'r, Postgres> + Type<Postgres> + Column,
    {
        let got = match self {
            Self::Direct(r) => r.get(col),
            Self::Pg(r) => r.try_get(col).map_err(|e| e.to_string()),
        };
        got.map_err(|e| StoreError::Other(format!("column {col}: {e}")))
    }

    /// A text column parsed into a domain value.
    pub(crate) fn parse<T: std::str::FromStr>(&self, col: &str) -> StoreResult<T> {
        let s: String = self.get(col)?;
        s.parse().map_err(|_| StoreError::Other(format!("column {col}: unexpected value {s:?}")))
    }

    /// An optional text column parsed into a domain value.
    pub(crate) fn parse_opt<T: std::str::FromStr>(&self, col: &str) -> StoreResult<Option<T>> {
        let s: Option<String> = self.get(col)?;
        s.map(|s| s.parse().map_err(|_| StoreError::Other(format!("column {col}: unexpected value {s:?}")))).transpose()
    }
}
