//! `Fixed4`: an exact decimal stored as BIGINT ten-thousandths (see `domain::money`).

use rust_decimal::Decimal;
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, QueryResult, TryGetError, TryGetable, Value};

use crate::domain::money::{from_storage, to_storage};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Fixed4(pub Decimal);

impl Fixed4 {
    pub const ZERO: Fixed4 = Fixed4(Decimal::ZERO);
}

impl From<Decimal> for Fixed4 {
    fn from(d: Decimal) -> Self {
        Fixed4(d)
    }
}

impl From<Fixed4> for Decimal {
    fn from(f: Fixed4) -> Self {
        f.0
    }
}

impl From<Fixed4> for Value {
    fn from(f: Fixed4) -> Self {
        Value::BigInt(Some(to_storage(f.0)))
    }
}

impl TryGetable for Fixed4 {
    fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
        i64::try_get_by(res, idx).map(|raw| Fixed4(from_storage(raw)))
    }
}

impl ValueType for Fixed4 {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        <i64 as ValueType>::try_from(v).map(|raw| Fixed4(from_storage(raw)))
    }

    fn type_name() -> String {
        "Fixed4".to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::BigInt
    }

    fn column_type() -> ColumnType {
        ColumnType::BigInteger
    }
}

impl Nullable for Fixed4 {
    fn null() -> Value {
        Value::BigInt(None)
    }
}

impl sea_orm::IntoActiveValue<Fixed4> for Fixed4 {
    fn into_active_value(self) -> sea_orm::ActiveValue<Fixed4> {
        sea_orm::ActiveValue::Set(self)
    }
}
