//! Return types of DuckDB's built-in functions, for the argument types
//! they are called with.

use crate::types::Type;

/// What kind of function a name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FunctionKind {
    Scalar,
    Aggregate,
    /// Only valid with OVER: ranking and offset functions.
    Window,
}

const AGGREGATES: &[&str] = &[
    "sum",
    "avg",
    "mean",
    "count",
    "count_star",
    "min",
    "max",
    "first",
    "last",
    "any_value",
    "arbitrary",
    "stddev",
    "stddev_samp",
    "stddev_pop",
    "var_samp",
    "var_pop",
    "variance",
    "median",
    "mode",
    "string_agg",
    "listagg",
    "group_concat",
    "list",
    "array_agg",
    "bool_and",
    "bool_or",
    "every",
    "product",
    "bit_and",
    "bit_or",
    "bit_xor",
    "approx_count_distinct",
    "quantile_cont",
    "quantile_disc",
    "quantile",
    "corr",
    "covar_pop",
    "covar_samp",
    "arg_max",
    "arg_min",
    "argmax",
    "argmin",
    "max_by",
    "min_by",
    "histogram",
    "entropy",
    "kurtosis",
    "skewness",
    "sumkahan",
    "fsum",
    "favg",
    "count_if",
    "countif",
    "approx_quantile",
    "regr_slope",
    "regr_intercept",
    "regr_r2",
    "regr_count",
    "regr_avgx",
    "regr_avgy",
    "bitstring_agg",
    "geomean",
    "geometric_mean",
];

const WINDOW_FUNCTIONS: &[&str] = &[
    "row_number",
    "rank",
    "dense_rank",
    "percent_rank",
    "cume_dist",
    "ntile",
    "lag",
    "lead",
    "first_value",
    "last_value",
    "nth_value",
    "rank_dense",
];

pub(crate) fn kind_of(name: &str) -> FunctionKind {
    if AGGREGATES.contains(&name) {
        FunctionKind::Aggregate
    } else if WINDOW_FUNCTIONS.contains(&name) {
        FunctionKind::Window
    } else {
        FunctionKind::Scalar
    }
}

/// Returns the result type of `name(args)`, or `None` for a function the
/// compiler does not know. `round_digits` is the constant second argument
/// of `round`, clamped at zero, which sets a DECIMAL result's scale.
pub(crate) fn return_type(name: &str, args: &[Type], round_digits: Option<u8>) -> Option<Type> {
    let first = args.first().cloned().unwrap_or(Type::Unknown);
    if args.iter().any(Type::is_unknown)
        && !matches!(
            name,
            "count" | "count_star" | "row_number" | "rank" | "dense_rank"
        )
    {
        return Some(Type::Unknown);
    }
    let ty = match name {
        // Aggregates.
        "sum" | "sumkahan" | "fsum" => match first {
            Type::Decimal { scale, .. } => Type::decimal(38, scale),
            Type::Float | Type::Double => Type::Double,
            Type::Boolean => Type::HugeInt,
            t if t.is_integer() => Type::HugeInt,
            Type::Interval => Type::Interval,
            _ => Type::Unknown,
        },
        "avg" | "mean" | "favg" => match first {
            Type::Interval | Type::Timestamp | Type::TimestampTz | Type::Time => first,
            _ => Type::Double,
        },
        "count"
        | "count_star"
        | "count_if"
        | "countif"
        | "approx_count_distinct"
        | "regr_count" => Type::BigInt,
        "min" | "max" | "first" | "last" | "any_value" | "arbitrary" | "mode" | "arg_max"
        | "arg_min" | "argmax" | "argmin" | "max_by" | "min_by" | "first_value" | "last_value"
        | "nth_value" | "lag" | "lead" | "quantile_disc" => first,
        "median" | "quantile" | "quantile_cont" | "approx_quantile" => match first {
            Type::Decimal { .. }
            | Type::Date
            | Type::Timestamp
            | Type::TimestampTz
            | Type::Time
            | Type::Interval => first,
            _ => Type::Double,
        },
        "stddev" | "stddev_samp" | "stddev_pop" | "var_samp" | "var_pop" | "variance" | "corr"
        | "covar_pop" | "covar_samp" | "entropy" | "kurtosis" | "skewness" | "regr_slope"
        | "regr_intercept" | "regr_r2" | "regr_avgx" | "regr_avgy" | "geomean"
        | "geometric_mean" | "percent_rank" | "cume_dist" => Type::Double,
        "product" => Type::Double,
        "string_agg" | "listagg" | "group_concat" => Type::Varchar,
        "list" | "array_agg" => Type::List(Box::new(first)),
        "bool_and" | "bool_or" | "every" => Type::Boolean,
        "bit_and" | "bit_or" | "bit_xor" => first,
        "histogram" => Type::Map(Box::new(first), Box::new(Type::UBigInt)),
        // Window functions.
        "row_number" | "rank" | "dense_rank" | "rank_dense" | "ntile" => Type::BigInt,
        // Scalars that keep their argument's type or unify their arguments.
        "if" => unify(args.get(1..).unwrap_or_default())?,
        "coalesce" | "ifnull" | "greatest" | "least" | "nullif" => unify(if name == "nullif" {
            &args[..1.min(args.len())]
        } else {
            args
        })?,
        "abs" | "sign" if first.is_numeric() => {
            if name == "sign" {
                Type::TinyInt
            } else {
                first
            }
        }
        "round" | "round_even" | "roundbankers" => match (&first, args.len()) {
            (Type::Decimal { width, .. }, 1) => Type::decimal(*width, 0),
            (Type::Decimal { width, scale }, _) => {
                Type::decimal(*width, (*scale).min(round_digits.unwrap_or(*scale)))
            }
            (t, _) if t.is_integer() => first,
            (Type::Float, _) => Type::Float,
            _ => Type::Double,
        },
        "ceil" | "ceiling" | "floor" | "trunc" => match &first {
            Type::Decimal { width, .. } => Type::decimal(*width, 0),
            // DuckDB 1.4 has no integer overloads of ceil and floor, so an
            // integer argument is cast to DOUBLE; trunc keeps the integer.
            t if t.is_integer() && name == "trunc" => first,
            Type::Float => Type::Float,
            _ => Type::Double,
        },
        "sqrt" | "cbrt" | "exp" | "ln" | "log" | "log2" | "log10" | "pow" | "power" | "sin"
        | "cos" | "tan" | "asin" | "acos" | "atan" | "atan2" | "degrees" | "radians" | "pi"
        | "random" | "epoch" => Type::Double,
        "mod" => unify(args)?,
        // Strings.
        "lower"
        | "upper"
        | "lcase"
        | "ucase"
        | "trim"
        | "ltrim"
        | "rtrim"
        | "concat"
        | "concat_ws"
        | "substring"
        | "substr"
        | "left"
        | "right"
        | "replace"
        | "reverse"
        | "lpad"
        | "rpad"
        | "repeat"
        | "md5"
        | "sha256"
        | "sha1"
        | "initcap"
        | "strftime"
        | "format"
        | "printf"
        | "regexp_replace"
        | "regexp_extract"
        | "split_part"
        | "translate"
        | "monthname"
        | "dayname"
        | "json_extract_string"
        | "string_agg_distinct"
        | "chr"
        | "uuid_string"
        | "hex"
        | "to_hex"
        | "base64"
        | "to_base64"
        | "typeof"
        | "strip_accents"
        | "quote"
        | "overlay"
        | "bar"
        | "current_schema"
        | "current_database" => Type::Varchar,
        "length"
        | "len"
        | "strlen"
        | "char_length"
        | "character_length"
        | "octet_length"
        | "bit_length"
        | "strpos"
        | "instr"
        | "position"
        | "ascii"
        | "unicode"
        | "array_length"
        | "hamming"
        | "levenshtein"
        | "damerau_levenshtein"
        | "date_diff"
        | "datediff"
        | "date_sub"
        | "datesub"
        | "year"
        | "month"
        | "day"
        | "dayofmonth"
        | "hour"
        | "minute"
        | "second"
        | "millisecond"
        | "microsecond"
        | "week"
        | "weekofyear"
        | "quarter"
        | "dayofweek"
        | "dow"
        | "isodow"
        | "dayofyear"
        | "doy"
        | "yearweek"
        | "isoyear"
        | "decade"
        | "century"
        | "millennium"
        | "era"
        | "date_part"
        | "datepart"
        | "epoch_ms"
        | "epoch_us"
        | "epoch_ns" => Type::BigInt,
        "hash" => Type::UBigInt,
        "contains" | "starts_with" | "ends_with" | "prefix" | "suffix" | "regexp_matches"
        | "regexp_full_match" | "like_escape" | "isnan" | "isinf" | "isfinite"
        | "list_contains" | "array_contains" => Type::Boolean,
        "string_split" | "str_split" | "split" | "regexp_split_to_array" | "string_to_array" => {
            Type::List(Box::new(Type::Varchar))
        }
        // Dates and times.
        "date_trunc" | "datetrunc" => args.get(1).cloned().unwrap_or(Type::Unknown),
        "current_date" | "today" | "make_date" | "last_day" => Type::Date,
        "make_timestamp" | "strptime" | "to_timestamp_ntz" => Type::Timestamp,
        "now"
        | "current_timestamp"
        | "get_current_timestamp"
        | "transaction_timestamp"
        | "to_timestamp" => Type::TimestampTz,
        "make_time" | "current_time" => Type::Time,
        "date_add" => match &first {
            Type::Date => Type::Timestamp,
            other => other.clone(),
        },
        "age" | "to_days" | "to_months" | "to_years" | "to_hours" | "to_minutes" | "to_seconds"
        | "to_weeks" => Type::Interval,
        // Lists.
        "list_value" | "list_pack" => Type::List(Box::new(unify(args)?)),
        "unnest" => match first {
            Type::List(element) | Type::Array(element, _) => *element,
            _ => Type::Unknown,
        },
        "list_extract" | "array_extract" | "list_element" => match first {
            Type::List(element) | Type::Array(element, _) => *element,
            Type::Varchar => Type::Varchar,
            _ => Type::Unknown,
        },
        "gen_random_uuid" | "uuid" => Type::Uuid,
        _ => return None,
    };
    Some(ty)
}

/// The common type of several values, as DuckDB picks it for COALESCE,
/// CASE branches and UNION columns. Returns `None` when two have none.
pub(crate) fn unify(types: &[Type]) -> Option<Type> {
    let mut result = Type::Null;
    for ty in types {
        result = Type::common_supertype(&result, ty)?;
    }
    Some(result)
}

/// Scalar functions that return NULL only when an argument is NULL.
const STRICT_SCALARS: &[&str] = &[
    "abs",
    "ceil",
    "ceiling",
    "floor",
    "round",
    "trunc",
    "sign",
    "even",
    "upper",
    "lower",
    "ucase",
    "lcase",
    "length",
    "len",
    "strlen",
    "char_length",
    "character_length",
    "octet_length",
    "bit_length",
    "trim",
    "ltrim",
    "rtrim",
    "replace",
    "reverse",
    "lpad",
    "rpad",
    "left",
    "right",
    "substring",
    "substr",
    "repeat",
    "starts_with",
    "ends_with",
    "contains",
    "prefix",
    "suffix",
    "md5",
    "sha256",
    "hash",
    "strip_accents",
    "translate",
    "date_trunc",
    "datetrunc",
    "strftime",
    "date_add",
    "make_date",
    "make_timestamp",
    "to_timestamp",
    "string_split",
    "str_split",
    "split",
    "regexp_replace",
    "regexp_matches",
    "regexp_full_match",
    "regexp_extract",
    "list_sort",
    "list_distinct",
    "list_reverse",
    "array_length",
    "list_concat",
    "array_concat",
    "cardinality",
    "to_json",
    "format",
    "printf",
    "ascii",
    "chr",
    "bit_count",
    "gcd",
    "lcm",
    "xor",
    "least_common_multiple",
    "greatest_common_divisor",
    "position",
    "strpos",
    "instr",
    "to_days",
    "to_hours",
    "to_minutes",
    "to_seconds",
    "to_months",
    "to_years",
];

/// Functions whose result is never NULL, whatever the arguments.
const NEVER_NULL: &[&str] = &[
    "concat",
    "typeof",
    "uuid",
    "gen_random_uuid",
    "random",
    "now",
    "current_timestamp",
    "current_date",
    "today",
    "get_current_timestamp",
    "list_value",
    "list_pack",
    "struct_pack",
    "row",
    "row_number",
    "rank",
    "dense_rank",
    "percent_rank",
    "cume_dist",
    "ntile",
    "count",
    "count_star",
    "grouping",
    "grouping_id",
];

/// Aggregates that, over a non-empty group of non-NULL values, never give NULL.
const STRICT_AGGREGATES: &[&str] = &[
    "sum",
    "min",
    "max",
    "avg",
    "mean",
    "first",
    "last",
    "any_value",
    "arbitrary",
    "arg_min",
    "arg_max",
    "argmin",
    "argmax",
    "min_by",
    "max_by",
    "bool_and",
    "bool_or",
    "every",
    "product",
    "string_agg",
    "listagg",
    "group_concat",
    "list",
    "array_agg",
    "median",
    "mode",
    "bit_and",
    "bit_or",
    "bit_xor",
    "approx_count_distinct",
    "histogram",
];

/// Where a call is made, for deciding whether it can return NULL.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CallSite {
    pub kind: FunctionKind,
    /// The SELECT has a plain GROUP BY, so every group has a row.
    pub grouped: bool,
    /// The call has a FILTER clause, which can leave a group empty.
    pub filtered: bool,
}

/// Returns true when a call of `name` can never return NULL, given which
/// of its arguments can never be NULL. Unknown functions may return NULL.
pub(crate) fn call_not_null(name: &str, site: CallSite, args_not_null: &[bool]) -> bool {
    let all_args = args_not_null.iter().all(|&a| a);
    if NEVER_NULL.contains(&name) {
        return true;
    }
    match site.kind {
        FunctionKind::Aggregate => {
            site.grouped && !site.filtered && all_args && STRICT_AGGREGATES.contains(&name)
        }
        // A frame can be empty, and offsets can fall outside the partition.
        FunctionKind::Window => false,
        FunctionKind::Scalar => match name {
            "coalesce" | "ifnull" | "greatest" | "least" => args_not_null.iter().any(|&a| a),
            "concat_ws" => args_not_null.first().copied().unwrap_or(false),
            "if" | "iff" => args_not_null.len() == 3 && args_not_null[1] && args_not_null[2],
            _ => all_args && STRICT_SCALARS.contains(&name),
        },
    }
}
