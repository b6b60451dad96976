//! DuckDB's logical types as the compiler reasons about them, printed the
//! way DuckDB's DESCRIBE prints them.

use std::fmt;

use sqlparser::ast::{DataType, ExactNumberInfo, TimezoneInfo};

/// Type names DuckDB accepts, for did-you-mean help.
pub(crate) const TYPE_NAMES: &[&str] = &[
    "BOOLEAN",
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "VARCHAR",
    "BLOB",
    "BIT",
    "UUID",
    "DATE",
    "TIME",
    "TIMESTAMP",
    "TIMESTAMPTZ",
    "TIMESTAMP_S",
    "TIMESTAMP_MS",
    "TIMESTAMP_NS",
    "INTERVAL",
    "TEXT",
    "JSON",
];

/// The widest DECIMAL DuckDB supports.
pub const MAX_DECIMAL_WIDTH: u8 = 38;

/// A DuckDB logical type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// The type of a bare NULL literal; DuckDB describes it as INTEGER.
    Null,
    Boolean,
    TinyInt,
    SmallInt,
    Integer,
    BigInt,
    HugeInt,
    UTinyInt,
    USmallInt,
    UInteger,
    UBigInt,
    UHugeInt,
    Float,
    Double,
    Decimal {
        width: u8,
        scale: u8,
    },
    Varchar,
    Blob,
    Bit,
    Uuid,
    Date,
    Time,
    /// TIME WITH TIME ZONE, as `current_time` returns.
    TimeTz,
    Timestamp,
    /// TIMESTAMP_S, TIMESTAMP_MS and TIMESTAMP_NS: timestamps stored in
    /// seconds, milliseconds or nanoseconds. Arithmetic and most functions
    /// convert them to TIMESTAMP first.
    TimestampS,
    TimestampMs,
    TimestampNs,
    TimestampTz,
    Interval,
    List(Box<Type>),
    /// A fixed-size ARRAY, such as `INTEGER[3]`.
    Array(Box<Type>, u32),
    /// A tagged UNION of named members.
    Union(Vec<(String, Type)>),
    Struct(Vec<(String, Type)>),
    Map(Box<Type>, Box<Type>),
    /// An ENUM with its values in order.
    Enum(Vec<String>),
    /// JSON: text that DuckDB's json extension parses.
    Json,
    /// A type the compiler could not infer; never printed as a real type.
    Unknown,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Null | Type::Integer => f.write_str("INTEGER"),
            Type::Boolean => f.write_str("BOOLEAN"),
            Type::TinyInt => f.write_str("TINYINT"),
            Type::SmallInt => f.write_str("SMALLINT"),
            Type::BigInt => f.write_str("BIGINT"),
            Type::HugeInt => f.write_str("HUGEINT"),
            Type::UTinyInt => f.write_str("UTINYINT"),
            Type::USmallInt => f.write_str("USMALLINT"),
            Type::UInteger => f.write_str("UINTEGER"),
            Type::UBigInt => f.write_str("UBIGINT"),
            Type::UHugeInt => f.write_str("UHUGEINT"),
            Type::Float => f.write_str("FLOAT"),
            Type::Double => f.write_str("DOUBLE"),
            Type::Decimal { width, scale } => write!(f, "DECIMAL({width},{scale})"),
            Type::Varchar => f.write_str("VARCHAR"),
            Type::Blob => f.write_str("BLOB"),
            Type::Bit => f.write_str("BIT"),
            Type::Uuid => f.write_str("UUID"),
            Type::Date => f.write_str("DATE"),
            Type::Time => f.write_str("TIME"),
            Type::TimeTz => f.write_str("TIME WITH TIME ZONE"),
            Type::Timestamp => f.write_str("TIMESTAMP"),
            Type::TimestampS => f.write_str("TIMESTAMP_S"),
            Type::TimestampMs => f.write_str("TIMESTAMP_MS"),
            Type::TimestampNs => f.write_str("TIMESTAMP_NS"),
            Type::TimestampTz => f.write_str("TIMESTAMP WITH TIME ZONE"),
            Type::Interval => f.write_str("INTERVAL"),
            Type::List(element) => write!(f, "{element}[]"),
            Type::Array(element, size) => write!(f, "{element}[{size}]"),
            Type::Struct(fields) => write_fields(f, "STRUCT", fields),
            Type::Union(members) => write_fields(f, "UNION", members),
            Type::Map(key, value) => write!(f, "MAP({key}, {value})"),
            Type::Enum(values) => {
                let quoted: Vec<String> = values
                    .iter()
                    .map(|v| format!("'{}'", v.replace('\'', "''")))
                    .collect();
                write!(f, "ENUM({})", quoted.join(", "))
            }
            Type::Json => f.write_str("JSON"),
            Type::Unknown => f.write_str("UNKNOWN"),
        }
    }
}

fn write_fields(f: &mut fmt::Formatter<'_>, kind: &str, fields: &[(String, Type)]) -> fmt::Result {
    write!(f, "{kind}(")?;
    for (i, (name, ty)) in fields.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        if name.is_empty() {
            // `row(1, 'a')` has unnamed fields: STRUCT(INTEGER, VARCHAR).
            write!(f, "{ty}")?;
        } else {
            write!(f, "{} {ty}", quote_field(name))?;
        }
    }
    f.write_str(")")
}

fn quote_field(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !crate::bind::is_keyword(name);
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

impl Type {
    /// Returns DECIMAL(width, scale) with the width clamped to 1 to 38 and
    /// the scale to at most the width, so `width - scale` never underflows.
    pub fn decimal(width: u8, scale: u8) -> Type {
        let width = width.clamp(1, MAX_DECIMAL_WIDTH);
        Type::Decimal {
            width,
            scale: scale.min(width),
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Type::Unknown)
    }

    /// True for the signed and unsigned integer types.
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            Type::TinyInt
                | Type::SmallInt
                | Type::Integer
                | Type::BigInt
                | Type::HugeInt
                | Type::UTinyInt
                | Type::USmallInt
                | Type::UInteger
                | Type::UBigInt
                | Type::UHugeInt
                | Type::Null
        )
    }

    pub fn is_numeric(&self) -> bool {
        self.is_integer() || matches!(self, Type::Float | Type::Double | Type::Decimal { .. })
    }

    pub fn is_temporal(&self) -> bool {
        matches!(
            self,
            Type::Date
                | Type::Time
                | Type::Timestamp
                | Type::TimestampS
                | Type::TimestampMs
                | Type::TimestampNs
                | Type::TimestampTz
                | Type::Interval
        )
    }

    /// The type a value takes when DuckDB passes it to an operator or a
    /// function: TIMESTAMP for the second, millisecond and nanosecond
    /// timestamps, a LIST for a fixed-size ARRAY.
    pub fn as_argument(&self) -> Type {
        match self {
            Type::TimestampS | Type::TimestampMs | Type::TimestampNs => Type::Timestamp,
            Type::Array(element, _) => Type::List(Box::new(element.as_argument())),
            other => other.clone(),
        }
    }

    /// The DECIMAL an integer type converts to in decimal arithmetic.
    pub fn integer_as_decimal(&self) -> Option<(u8, u8)> {
        match self {
            Type::TinyInt | Type::UTinyInt => Some((3, 0)),
            Type::SmallInt | Type::USmallInt => Some((5, 0)),
            Type::Integer | Type::Null => Some((10, 0)),
            Type::UInteger => Some((10, 0)),
            Type::BigInt => Some((19, 0)),
            Type::UBigInt => Some((20, 0)),
            Type::HugeInt | Type::UHugeInt => Some((38, 0)),
            _ => None,
        }
    }

    /// Rank of an integer type in DuckDB's implicit widening order.
    fn integer_rank(&self) -> Option<u8> {
        match self {
            Type::Null => Some(0),
            Type::TinyInt | Type::UTinyInt => Some(1),
            Type::SmallInt | Type::USmallInt => Some(2),
            Type::Integer | Type::UInteger => Some(3),
            Type::BigInt | Type::UBigInt => Some(4),
            Type::HugeInt | Type::UHugeInt => Some(5),
            _ => None,
        }
    }

    /// The type both operands convert to when DuckDB combines them, as in
    /// the branches of CASE, COALESCE or UNION. Returns `None` when DuckDB
    /// has no implicit conversion between them.
    pub fn common_supertype(a: &Type, b: &Type) -> Option<Type> {
        use Type::*;
        if a == b {
            return Some(a.clone());
        }
        match (a, b) {
            (Unknown, _) | (_, Unknown) => Some(Unknown),
            (Null, other) | (other, Null) => Some(other.clone()),
            (
                Decimal {
                    width: w1,
                    scale: s1,
                },
                Decimal {
                    width: w2,
                    scale: s2,
                },
            ) => {
                let scale = (*s1).max(*s2);
                let digits = (w1 - s1).max(w2 - s2);
                Some(Type::decimal(digits + scale, scale))
            }
            (Decimal { width, scale }, int) | (int, Decimal { width, scale })
                if int.is_integer() =>
            {
                let (int_width, _) = int.integer_as_decimal()?;
                let digits = (width - scale).max(int_width);
                if digits + scale > MAX_DECIMAL_WIDTH {
                    Some(Double)
                } else {
                    Some(Type::decimal(digits + scale, *scale))
                }
            }
            (Float | Double, other) | (other, Float | Double) if other.is_numeric() => {
                if matches!((a, b), (Float, Float)) {
                    Some(Float)
                } else {
                    Some(Double)
                }
            }
            _ if a.is_integer() && b.is_integer() => {
                let unsigned =
                    |t: &Type| matches!(t, UTinyInt | USmallInt | UInteger | UBigInt | UHugeInt);
                if a != &Null && b != &Null && unsigned(a) != unsigned(b) {
                    // A signed and an unsigned integer meet at the smallest
                    // signed type that holds both: UINTEGER and INTEGER at BIGINT.
                    let (ra, rb) = (a.integer_rank()?, b.integer_rank()?);
                    let signed_rank = |t: &Type, r: u8| if unsigned(t) { r + 1 } else { r };
                    return Some(match signed_rank(a, ra).max(signed_rank(b, rb)) {
                        1 => TinyInt,
                        2 => SmallInt,
                        3 => Integer,
                        4 => BigInt,
                        5 => HugeInt,
                        _ => Double,
                    });
                }
                let (ra, rb) = (a.integer_rank()?, b.integer_rank()?);
                Some(if ra >= rb { a.clone() } else { b.clone() })
            }
            // A VARCHAR value wins over other scalar types, as in DuckDB's
            // UNION of a BIGINT and a VARCHAR column. String literals are
            // left to the callers, since a literal takes the other side's type.
            (Varchar, other) | (other, Varchar)
                if !matches!(other, List(_) | Struct(_) | Map(..)) =>
            {
                Some(Varchar)
            }
            // Timestamps of two precisions meet at the finer one.
            (
                TimestampS | TimestampMs | Timestamp | TimestampNs,
                TimestampS | TimestampMs | Timestamp | TimestampNs,
            ) => {
                let rank = |t: &Type| match t {
                    TimestampS => 0,
                    TimestampMs => 1,
                    Timestamp => 2,
                    _ => 3,
                };
                Some(if rank(a) >= rank(b) {
                    a.clone()
                } else {
                    b.clone()
                })
            }
            (TimestampS | TimestampMs | TimestampNs, _)
            | (_, TimestampS | TimestampMs | TimestampNs) => {
                Type::common_supertype(&a.as_argument(), &b.as_argument())
            }
            (Array(x, n), Array(y, m)) if n == m => {
                Some(Array(Box::new(Type::common_supertype(x, y)?), *n))
            }
            (Array(..), _) | (_, Array(..)) => {
                Type::common_supertype(&a.as_argument(), &b.as_argument())
            }
            (Date, Timestamp) | (Timestamp, Date) => Some(Timestamp),
            (Date | Timestamp, TimestampTz) | (TimestampTz, Date | Timestamp) => Some(TimestampTz),
            (List(x), List(y)) => Some(List(Box::new(Type::common_supertype(x, y)?))),
            _ => None,
        }
    }

    /// Converts a type written in SQL to the DuckDB type it names.
    pub fn from_sql(data_type: &DataType) -> Option<Type> {
        use DataType as D;
        if invalid_decimal(data_type).is_some() {
            return None;
        }
        let ty = match data_type {
            D::Boolean | D::Bool => Type::Boolean,
            D::TinyInt(_) | D::Int2Unsigned(_) => Type::TinyInt,
            D::SmallInt(_) | D::Int2(_) | D::Int16 => Type::SmallInt,
            D::Int(_)
            | D::Integer(_)
            | D::Int4(_)
            | D::Int32
            | D::MediumInt(_)
            | D::Signed
            | D::SignedInteger => Type::Integer,
            D::BigInt(_) | D::Int8(_) | D::Int64 => Type::BigInt,
            D::HugeInt | D::Int128 => Type::HugeInt,
            D::UTinyInt | D::TinyIntUnsigned(_) | D::UInt8 => Type::UTinyInt,
            D::USmallInt | D::SmallIntUnsigned(_) | D::UInt16 => Type::USmallInt,
            D::IntUnsigned(_)
            | D::IntegerUnsigned(_)
            | D::Int4Unsigned(_)
            | D::UInt32
            | D::Unsigned
            | D::UnsignedInteger => Type::UInteger,
            D::UBigInt | D::BigIntUnsigned(_) | D::Int8Unsigned(_) | D::UInt64 => Type::UBigInt,
            D::UHugeInt | D::UInt128 => Type::UHugeInt,
            D::Real | D::Float4 | D::Float32 => Type::Float,
            D::Float(info) => match info {
                ExactNumberInfo::Precision(p) if *p > 24 => Type::Double,
                _ => Type::Float,
            },
            D::Double(_) | D::DoublePrecision | D::Float8 | D::Float64 => Type::Double,
            D::Decimal(info) | D::Numeric(info) | D::Dec(info) => match info {
                ExactNumberInfo::None => Type::decimal(18, 3),
                ExactNumberInfo::Precision(p) => Type::decimal(narrow(*p), 0),
                ExactNumberInfo::PrecisionAndScale(p, s) => {
                    Type::decimal(narrow(*p), narrow((*s).max(0) as u64))
                }
            },
            D::Varchar(_)
            | D::Char(_)
            | D::Character(_)
            | D::CharacterVarying(_)
            | D::CharVarying(_)
            | D::Nvarchar(_)
            | D::Text
            | D::String(_) => Type::Varchar,
            D::JSON => Type::Json,
            D::Blob(_) | D::Bytea | D::Binary(_) | D::Varbinary(_) | D::Bytes(_) => Type::Blob,
            D::Bit(_) | D::BitVarying(_) | D::VarBit(_) => Type::Bit,
            D::Uuid => Type::Uuid,
            D::Date => Type::Date,
            D::Time(_, _) => Type::Time,
            D::Datetime(_) | D::TimestampNtz(_) => Type::Timestamp,
            D::Timestamp(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => Type::TimestampTz,
            D::Timestamp(_, _) => Type::Timestamp,
            D::Interval { .. } => Type::Interval,
            D::Array(element) => {
                use sqlparser::ast::ArrayElemTypeDef as E;
                match element {
                    E::SquareBracket(inner, Some(size)) => Type::Array(
                        Box::new(Type::from_sql(inner)?),
                        (*size).min(u64::from(u32::MAX)) as u32,
                    ),
                    E::SquareBracket(inner, None)
                    | E::AngleBracket(inner)
                    | E::Parenthesis(inner) => Type::List(Box::new(Type::from_sql(inner)?)),
                    _ => return None,
                }
            }
            D::Map(key, value, _) => Type::Map(
                Box::new(Type::from_sql(key)?),
                Box::new(Type::from_sql(value)?),
            ),
            D::Struct(fields, _) => Type::Struct(
                fields
                    .iter()
                    .map(|field| {
                        let name = field
                            .field_name
                            .as_ref()
                            .map(|n| n.value.clone())
                            .unwrap_or_default();
                        Some((name, Type::from_sql(&field.field_type)?))
                    })
                    .collect::<Option<Vec<_>>>()?,
            ),
            D::Union(members) => Type::Union(
                members
                    .iter()
                    .map(|member| {
                        Some((
                            member.field_name.value.clone(),
                            Type::from_sql(&member.field_type)?,
                        ))
                    })
                    .collect::<Option<Vec<_>>>()?,
            ),
            D::Enum(members, _) => Type::Enum(
                members
                    .iter()
                    .map(|member| match member {
                        sqlparser::ast::EnumMember::Name(name) => name.clone(),
                        sqlparser::ast::EnumMember::NamedValue(name, _) => name.clone(),
                    })
                    .collect(),
            ),
            // `MAP(VARCHAR, INTEGER)` and other types with arguments come
            // through as a name with modifiers.
            D::Custom(name, modifiers) if !modifiers.is_empty() => {
                let args: Vec<String> = modifiers.iter().map(ToString::to_string).collect();
                return Type::from_name(&format!("{name}({})", args.join(", ")));
            }
            D::Custom(name, _) => return Type::from_name(&name.to_string()),
            _ => return None,
        };
        Some(ty)
    }

    /// Parses a type name as DuckDB prints or accepts it, such as
    /// `DECIMAL(15,2)`, `TIMESTAMPTZ` or `VARCHAR[]`.
    pub fn from_name(text: &str) -> Option<Type> {
        let text = text.trim();
        if let Some(element) = text.strip_suffix("[]") {
            return Some(Type::List(Box::new(Type::from_name(element)?)));
        }
        if let Some((element, size)) = text.strip_suffix(']').and_then(|t| t.rsplit_once('[')) {
            if let Ok(size) = size.trim().parse::<u32>() {
                return Some(Type::Array(Box::new(Type::from_name(element)?), size));
            }
        }
        let upper = text.to_ascii_uppercase();
        if let Some(args) = upper
            .strip_prefix("DECIMAL")
            .or_else(|| upper.strip_prefix("NUMERIC"))
        {
            let args = args.trim();
            if args.is_empty() {
                return Some(Type::decimal(18, 3));
            }
            let inner = args.strip_prefix('(')?.strip_suffix(')')?;
            let mut parts = inner.split(',').map(|p| p.trim().parse::<u8>());
            let width = parts.next()?.ok()?;
            let scale = match parts.next() {
                Some(scale) => scale.ok()?,
                None => 0,
            };
            return Some(Type::decimal(width, scale));
        }
        for (kind, make) in [
            ("STRUCT(", Type::Struct as fn(Vec<(String, Type)>) -> Type),
            ("UNION(", Type::Union),
        ] {
            if upper.starts_with(kind) && text.ends_with(')') {
                let mut fields = Vec::new();
                for field in split_top_level(&text[kind.len()..text.len() - 1]) {
                    let field = field.trim();
                    let (name, ty) = split_field(field)?;
                    fields.push((name, Type::from_name(ty)?));
                }
                return Some(make(fields));
            }
        }
        if upper.starts_with("MAP(") && text.ends_with(')') {
            let parts = split_top_level(&text["MAP(".len()..text.len() - 1]);
            if let [key, value] = parts.as_slice() {
                return Some(Type::Map(
                    Box::new(Type::from_name(key)?),
                    Box::new(Type::from_name(value)?),
                ));
            }
            return None;
        }
        if upper.starts_with("ENUM") {
            let open = text.find('(')?;
            let inner = text[open + 1..].strip_suffix(')')?;
            return Some(Type::Enum(parse_enum_values(inner)?));
        }
        let base = upper.split('(').next().unwrap_or("").trim();
        let ty = match base {
            "BOOLEAN" | "BOOL" | "LOGICAL" => Type::Boolean,
            "TINYINT" | "INT1" => Type::TinyInt,
            "SMALLINT" | "INT2" | "SHORT" => Type::SmallInt,
            "INTEGER" | "INT" | "INT4" | "SIGNED" => Type::Integer,
            "BIGINT" | "INT8" | "LONG" => Type::BigInt,
            "HUGEINT" | "INT128" => Type::HugeInt,
            "UTINYINT" => Type::UTinyInt,
            "USMALLINT" => Type::USmallInt,
            "UINTEGER" => Type::UInteger,
            "UBIGINT" => Type::UBigInt,
            "UHUGEINT" => Type::UHugeInt,
            "FLOAT" | "FLOAT4" | "REAL" => Type::Float,
            "DOUBLE" | "FLOAT8" => Type::Double,
            "VARCHAR" | "CHAR" | "BPCHAR" | "TEXT" | "STRING" => Type::Varchar,
            "JSON" => Type::Json,
            "BLOB" | "BYTEA" | "BINARY" | "VARBINARY" => Type::Blob,
            "BIT" | "BITSTRING" => Type::Bit,
            "UUID" => Type::Uuid,
            "DATE" => Type::Date,
            "TIME" => Type::Time,
            "TIMESTAMP" | "DATETIME" => Type::Timestamp,
            "TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE" => Type::TimestampTz,
            "TIMETZ" | "TIME WITH TIME ZONE" => Type::TimeTz,
            "TIMESTAMP_S" => Type::TimestampS,
            "TIMESTAMP_MS" => Type::TimestampMs,
            "TIMESTAMP_NS" => Type::TimestampNs,
            "INTERVAL" => Type::Interval,
            _ => return None,
        };
        Some(ty)
    }
}

/// Splits at commas outside parentheses and quotes.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, None::<char>, 0);
    for (i, c) in text.char_indices() {
        match (c, quoted) {
            ('"' | '\'', None) => quoted = Some(c),
            (q, Some(open)) if q == open => quoted = None,
            ('(', None) => depth += 1,
            (')', None) => depth -= 1,
            (',', None) if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Splits a struct field `name TYPE` or `"my name" TYPE`.
fn split_field(field: &str) -> Option<(String, &str)> {
    if let Some(rest) = field.strip_prefix('"') {
        let end = rest.find('"')?;
        return Some((rest[..end].to_string(), rest[end + 1..].trim()));
    }
    let (name, ty) = field.split_once(char::is_whitespace)?;
    Some((name.to_string(), ty.trim()))
}

/// Parses `'a', 'b'` into its values.
fn parse_enum_values(text: &str) -> Option<Vec<String>> {
    let mut values = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        match chars.next() {
            None => return Some(values),
            Some('\'') => {
                let mut value = String::new();
                loop {
                    match chars.next()? {
                        '\'' if chars.peek() == Some(&'\'') => {
                            chars.next();
                            value.push('\'');
                        }
                        '\'' => break,
                        c => value.push(c),
                    }
                }
                values.push(value);
            }
            Some(_) => return None,
        }
    }
}

/// Returns the width and scale of a DECIMAL whose scale is larger than
/// its width, or whose width is 0: DuckDB rejects both.
pub fn invalid_decimal(data_type: &DataType) -> Option<(u64, i64)> {
    use DataType as D;
    match data_type {
        D::Decimal(ExactNumberInfo::PrecisionAndScale(width, scale))
        | D::Numeric(ExactNumberInfo::PrecisionAndScale(width, scale))
        | D::Dec(ExactNumberInfo::PrecisionAndScale(width, scale))
            if *width == 0 || *scale < 0 || *scale as u64 > *width =>
        {
            Some((*width, *scale))
        }
        D::Decimal(ExactNumberInfo::Precision(0))
        | D::Numeric(ExactNumberInfo::Precision(0))
        | D::Dec(ExactNumberInfo::Precision(0)) => Some((0, 0)),
        _ => None,
    }
}

fn narrow(value: u64) -> u8 {
    value.min(u64::from(MAX_DECIMAL_WIDTH)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_describe_names() {
        assert_eq!(Type::decimal(15, 2).to_string(), "DECIMAL(15,2)");
        assert_eq!(Type::TimestampTz.to_string(), "TIMESTAMP WITH TIME ZONE");
        assert_eq!(Type::List(Box::new(Type::Varchar)).to_string(), "VARCHAR[]");
        assert_eq!(Type::Null.to_string(), "INTEGER");
    }

    #[test]
    fn parses_type_names() {
        assert_eq!(Type::from_name("DECIMAL(15,2)"), Some(Type::decimal(15, 2)));
        assert_eq!(Type::from_name("decimal"), Some(Type::decimal(18, 3)));
        assert_eq!(
            Type::from_name("INTEGER[]"),
            Some(Type::List(Box::new(Type::Integer)))
        );
        assert_eq!(Type::from_name("nonsense"), None);
        let items = Type::from_name("STRUCT(sku VARCHAR, \"unit price\" DECIMAL(9,2))[]").unwrap();
        assert_eq!(
            items.to_string(),
            "STRUCT(sku VARCHAR, \"unit price\" DECIMAL(9,2))[]"
        );
        assert_eq!(
            Type::from_name("MAP(VARCHAR, INTEGER[])")
                .unwrap()
                .to_string(),
            "MAP(VARCHAR, INTEGER[])"
        );
        let status = Type::Enum(vec!["active".into(), "it's".into()]);
        assert_eq!(
            Type::from_name("ENUM('active', 'it''s')"),
            Some(status.clone())
        );
        assert_eq!(status.to_string(), "ENUM('active', 'it''s')");
        for name in [
            "TIMESTAMP_S",
            "TIMESTAMP_MS",
            "TIMESTAMP_NS",
            "INTEGER[3]",
            "VARCHAR[2][]",
            "UNION(num INTEGER, str VARCHAR)",
        ] {
            assert_eq!(Type::from_name(name).unwrap().to_string(), name);
        }
    }

    #[test]
    fn supertype_widens_decimals() {
        let a = Type::decimal(15, 2);
        let b = Type::decimal(10, 4);
        assert_eq!(Type::common_supertype(&a, &b), Some(Type::decimal(17, 4)));
        assert_eq!(
            Type::common_supertype(&a, &Type::Integer),
            Some(Type::decimal(15, 2))
        );
        assert_eq!(
            Type::common_supertype(&Type::Integer, &Type::BigInt),
            Some(Type::BigInt)
        );
        assert_eq!(Type::common_supertype(&Type::Date, &Type::Boolean), None);
    }
}
