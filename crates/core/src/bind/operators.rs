//! Binary operators: comparison and arithmetic result types under
//! DuckDB 1.4's rules (DECIMAL width and scale, integer literals sized by
//! their value, date and time arithmetic), and the type mismatches they
//! report.

use sqlparser::ast::{BinaryOperator, Expr, Spanned};

use super::expr::ExprInfo;
use super::query::Binder;
use crate::types::{Type, MAX_DECIMAL_WIDTH};

/// The widest DECIMAL DuckDB stores in 64 bits.
const MAX_INT64_WIDTH: u8 = 18;

impl Binder<'_> {
    /// Labels both operands of a binary operator with their types.
    fn label_operands(&mut self, expr: &Expr, l: &ExprInfo, r: &ExprInfo) {
        if let Expr::BinaryOp { left, right, .. } = expr {
            let left_span = self.expr_span(left);
            let right_span = self.expr_span(right);
            self.label(left_span, format!("this is {}", l.ty));
            self.label(right_span, format!("this is {}", r.ty));
        }
    }

    pub(super) fn binary_type(
        &mut self,
        op: &BinaryOperator,
        l: &ExprInfo,
        r: &ExprInfo,
        expr: &Expr,
    ) -> Type {
        use BinaryOperator as B;
        if l.ty.is_unknown() || r.ty.is_unknown() {
            return match op {
                B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq | B::And | B::Or => {
                    Type::Boolean
                }
                _ => Type::Unknown,
            };
        }
        match op {
            B::Lt | B::LtEq | B::Gt | B::GtEq if !orderable(l, r) => {
                self.error(
                    "E0201",
                    expr.span(),
                    format!("cannot compare {} with {} using `{op}`", l.ty, r.ty),
                    Some(format!(
                        "DuckDB casts only for `=` and `<>`; cast one side, for example `CAST(... AS {})`",
                        if l.ty == Type::Varchar { &r.ty } else { &l.ty }
                    )),
                );
                self.label_operands(expr, l, r);
                Type::Boolean
            }
            B::Eq
            | B::NotEq
            | B::Lt
            | B::LtEq
            | B::Gt
            | B::GtEq
            | B::Spaceship
            | B::And
            | B::Or
            | B::Xor => Type::Boolean,
            // DuckDB's JSON extension: `->` extracts JSON, `->>` text, for
            // one path; a list of paths gives a list.
            B::Arrow | B::LongArrow
                if matches!(l.ty, Type::Json | Type::Varchar)
                    && matches!(r.ty, Type::Varchar | Type::Integer | Type::BigInt) =>
            {
                if matches!(op, B::Arrow) {
                    Type::Json
                } else {
                    Type::Varchar
                }
            }
            B::StringConcat => match (&l.ty, &r.ty) {
                (Type::List(_), _) => l.ty.clone(),
                // DuckDB folds a concatenation with a NULL literal to NULL.
                (Type::Null, _) | (_, Type::Null) => Type::Null,
                _ => Type::Varchar,
            },
            B::Plus
            | B::Minus
            | B::Multiply
            | B::Divide
            | B::Modulo
            | B::DuckIntegerDivide
            | B::MyIntegerDivide => arithmetic_type(op, l, r).unwrap_or_else(|| {
                self.error(
                    "E0201",
                    expr.span(),
                    format!("no operator `{op}` for {} and {}", l.ty, r.ty),
                    Some("cast an operand so both sides have compatible types".to_string()),
                );
                self.label_operands(expr, l, r);
                Type::Unknown
            }),
            _ => Type::Unknown,
        }
    }
}

/// True when a value of type `from` is not represented exactly once it is
/// converted to `to`: an exact numeric becoming FLOAT or DOUBLE.
pub(super) fn loses_precision_in(from: &Type, to: &Type) -> bool {
    use Type::*;
    match to {
        Double => matches!(from, Decimal { .. } | BigInt | UBigInt | HugeInt | UHugeInt),
        Float => matches!(
            from,
            Decimal { .. } | Integer | UInteger | BigInt | UBigInt | HugeInt | UHugeInt
        ),
        _ => false,
    }
}

/// The result type of arithmetic as DuckDB computes it, including DECIMAL
/// width and scale rules and integer literals sized by their value.
fn arithmetic_type(op: &BinaryOperator, l: &ExprInfo, r: &ExprInfo) -> Option<Type> {
    use BinaryOperator as B;
    use Type::*;
    let (a, b) = (&l.ty.as_argument(), &r.ty.as_argument());
    if let Some(ty) = temporal_arithmetic(op, a, b) {
        return Some(ty);
    }
    if !a.is_numeric() || !b.is_numeric() {
        return None;
    }
    // FLOAT stays FLOAT unless it meets a DOUBLE, also under `/` and `//`.
    let float =
        (matches!(a, Float) || matches!(b, Float)) && !matches!(a, Double) && !matches!(b, Double);
    if matches!(op, B::Divide) {
        return Some(if float { Float } else { Double });
    }
    let integer_divide = matches!(op, B::DuckIntegerDivide | B::MyIntegerDivide);
    if integer_divide && !(a.is_integer() && b.is_integer()) {
        return Some(if float { Float } else { Double });
    }
    if matches!(a, Double) || matches!(b, Double) {
        return Some(Double);
    }
    if matches!(a, Float) || matches!(b, Float) {
        return Some(Float);
    }
    if let (Decimal { .. }, _) | (_, Decimal { .. }) = (a, b) {
        return decimal_arithmetic(op, decimal_shape(l)?, decimal_shape(r)?);
    }
    // Integers: a literal takes the other side's type when it fits in it.
    let a = literal_fit(l, b);
    let b = literal_fit(r, &a);
    Type::common_supertype(&a, &b)
}

/// Arithmetic on dates, times, timestamps and intervals.
fn temporal_arithmetic(op: &BinaryOperator, a: &Type, b: &Type) -> Option<Type> {
    use BinaryOperator as B;
    use Type::*;
    Some(match (op, a, b) {
        (B::Plus, Date, t) | (B::Plus, t, Date) if t.is_integer() => Date,
        (B::Minus, Date, t) if t.is_integer() => Date,
        (B::Minus, Date, Date) => BigInt,
        (B::Plus, Date, Time) | (B::Plus, Time, Date) => Timestamp,
        (B::Minus, Date, Timestamp | TimestampTz)
        | (B::Minus, Timestamp | TimestampTz, Date)
        | (B::Minus, Timestamp, TimestampTz)
        | (B::Minus, TimestampTz, Timestamp) => Interval,
        (B::Plus, Interval, Time) => Time,
        (B::Plus | B::Minus, Date | Timestamp, Interval)
        | (B::Plus, Interval, Date | Timestamp) => Timestamp,
        (B::Plus | B::Minus, TimestampTz, Interval) | (B::Plus, Interval, TimestampTz) => {
            TimestampTz
        }
        (B::Minus, Timestamp, Timestamp) | (B::Minus, TimestampTz, TimestampTz) => Interval,
        (B::Plus | B::Minus, Interval, Interval) => Interval,
        (B::Plus | B::Minus, Time, Interval) => Time,
        (B::Multiply, Interval, t) | (B::Multiply, t, Interval) if t.is_numeric() => Interval,
        (B::Divide, Interval, t) if t.is_numeric() => Interval,
        _ => return None,
    })
}

/// DECIMAL arithmetic from the operands' (width, scale).
fn decimal_arithmetic(op: &BinaryOperator, (w1, s1): (u8, u8), (w2, s2): (u8, u8)) -> Option<Type> {
    use BinaryOperator as B;
    Some(match op {
        B::Multiply => {
            let scale = s1 + s2;
            let mut width = w1 + w2;
            // DuckDB keeps a product of two narrow decimals in 64 bits
            // and checks for overflow at run time instead of widening.
            if width > MAX_INT64_WIDTH && w1.max(w2) <= MAX_INT64_WIDTH && scale < MAX_INT64_WIDTH {
                width = MAX_INT64_WIDTH;
            }
            if scale > MAX_DECIMAL_WIDTH {
                Type::Double
            } else {
                Type::decimal(width.min(MAX_DECIMAL_WIDTH), scale)
            }
        }
        _ => {
            let scale = s1.max(s2);
            let digits = (w1 - s1).max(w2 - s2);
            let mut width = digits + scale + u8::from(matches!(op, B::Plus | B::Minus));
            if width > MAX_INT64_WIDTH && w1.max(w2) <= MAX_INT64_WIDTH {
                width = MAX_INT64_WIDTH;
            }
            Type::decimal(width.min(MAX_DECIMAL_WIDTH), scale)
        }
    })
}

/// Returns the (width, scale) an operand has in DECIMAL arithmetic. An integer
/// literal counts as its integer type here: `1 - DECIMAL(10,2)` is
/// DECIMAL(13,2) in DuckDB 1.4, as for an INTEGER column.
fn decimal_shape(info: &ExprInfo) -> Option<(u8, u8)> {
    match &info.ty {
        Type::Decimal { width, scale } => Some((*width, *scale)),
        ty => ty.integer_as_decimal(),
    }
}

fn literal_fit(info: &ExprInfo, other: &Type) -> Type {
    let Some(value) = info.literal else {
        return info.ty.clone();
    };
    let fits = match other {
        Type::TinyInt => i8::try_from(value).is_ok(),
        Type::SmallInt => i16::try_from(value).is_ok(),
        Type::Integer => i32::try_from(value).is_ok(),
        Type::BigInt => i64::try_from(value).is_ok(),
        Type::HugeInt => true,
        Type::UTinyInt => u8::try_from(value).is_ok(),
        Type::USmallInt => u16::try_from(value).is_ok(),
        Type::UInteger => u32::try_from(value).is_ok(),
        Type::UBigInt => u64::try_from(value).is_ok(),
        _ => false,
    };
    if fits {
        other.clone()
    } else {
        info.ty.clone()
    }
}

/// Returns whether DuckDB 1.4 orders values of these two types without an explicit
/// cast. Since DuckDB 0.10 a VARCHAR value is not cast for `<` and its kin,
/// though string literals still are.
fn orderable(l: &ExprInfo, r: &ExprInfo) -> bool {
    use Type::*;
    let loose = |v: &ExprInfo| v.string_literal || matches!(v.ty, Null | Unknown);
    if loose(l) || loose(r) || l.ty == r.ty {
        return true;
    }
    let text = |t: &Type| matches!(t, Varchar | Json | Enum(_));
    let temporal = |t: &Type| matches!(t, Date | Timestamp | TimestampTz);
    // Only a microsecond TIMESTAMP converts to TIMESTAMPTZ without a cast.
    let coarse_or_fine = |t: &Type| matches!(t, TimestampS | TimestampMs | TimestampNs);
    match (&l.ty, &r.ty) {
        (a, TimestampTz) | (TimestampTz, a) if coarse_or_fine(a) => return false,
        _ => {}
    }
    match (&l.ty.as_argument(), &r.ty.as_argument()) {
        (a, b) if a.is_numeric() && b.is_numeric() => true,
        (Boolean, b) | (b, Boolean) => b.is_integer(),
        (a, b) if text(a) && text(b) => true,
        (a, b) if temporal(a) && temporal(b) => true,
        (List(_) | Struct(_) | Map(..) | Union(_), _)
        | (_, List(_) | Struct(_) | Map(..) | Union(_)) => true,
        _ => false,
    }
}
