//! How much room the bank's tables take (InnoDB's estimates from `information_schema`): what
//! `teller bench --scale` reports beside its timings, to size a server's buffer pool and disk.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::{Connection, QueryResult};

#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct TableSize {
    #[diesel(sql_type = Text)]
    pub table: String,
    #[diesel(sql_type = BigInt)]
    pub data_bytes: i64,
    #[diesel(sql_type = BigInt)]
    pub index_bytes: i64,
}

/// The current database's tables, largest first.
pub fn table_sizes(conn: &mut Connection) -> QueryResult<Vec<TableSize>> {
    diesel::sql_query(
        "SELECT TABLE_NAME AS `table`, CAST(DATA_LENGTH AS SIGNED) AS data_bytes, \
                CAST(INDEX_LENGTH AS SIGNED) AS index_bytes \
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY DATA_LENGTH + INDEX_LENGTH DESC",
    )
    .load(conn)
}
