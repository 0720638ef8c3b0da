//! The domain's closed sets of names, read from their `VARCHAR` columns exactly: an unknown
//! value fails the query (a deserialization error) instead of being taken for another.
//! Writes use `as_str()` of the same enums, so only known names are ever stored.

use diesel::deserialize::{self, FromSql, Queryable};
use diesel::mysql::{Mysql, MysqlValue};
use diesel::sql_types::Varchar;

use crate::domain::{AccountKind, AccountStatus, Currency, MovementKind, Role, Side};

macro_rules! read_exactly {
    ($($ty:ty => $parse:expr),+ $(,)?) => {
        $(
            impl Queryable<Varchar, Mysql> for $ty {
                type Row = String;

                fn build(row: String) -> deserialize::Result<Self> {
                    let parse: fn(&str) -> Option<$ty> = $parse;
                    parse(&row).ok_or_else(|| {
                        format!("unknown {} {row:?} in the database", stringify!($ty)).into()
                    })
                }
            }

            // By name too (`QueryableByName`, the sealer's locking `sql_query`).
            impl FromSql<Varchar, Mysql> for $ty {
                fn from_sql(value: MysqlValue<'_>) -> deserialize::Result<Self> {
                    let row = <String as FromSql<Varchar, Mysql>>::from_sql(value)?;
                    <$ty as Queryable<Varchar, Mysql>>::build(row)
                }
            }
        )+
    };
}

read_exactly!(
    Role => |raw| Role::ALL.into_iter().find(|r| r.as_str() == raw),
    AccountStatus => |raw| AccountStatus::from_stored(raw).ok(),
    AccountKind => |raw| AccountKind::from_stored(raw).ok(),
    MovementKind => |raw| MovementKind::from_stored(raw).ok(),
    Currency => |raw| Currency::parse(raw).ok(),
    Side => Side::from_stored,
);
