//! DuckDB's function catalog: every scalar, aggregate and macro function
//! with its overloads, as DuckDB 1.4.4's `duckdb_functions()` lists them
//! (`functions.tsv`). It decides whether a function exists and whether a
//! call has an overload that accepts its arguments, and gives the result
//! type where the overload fixes it.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::types::Type;

const TABLE: &str = include_str!("functions.tsv");

/// Functions the binder handles itself; DuckDB binds them as special forms,
/// so they are not in `duckdb_functions()`.
const SPECIAL_FORMS: &[&str] = &[
    "coalesce",
    "ifnull",
    "nullif",
    "if",
    "grouping",
    "grouping_id",
    "row_number",
    "rank",
    "dense_rank",
    "rank_dense",
    "percent_rank",
    "cume_dist",
    "ntile",
    "lag",
    "lead",
    "first_value",
    "last_value",
    "nth_value",
    "columns",
    "unnest",
    "try",
    "struct_pack",
    "row",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Scalar,
    Aggregate,
    Macro,
}

/// One overload.
#[derive(Debug)]
pub(crate) struct Signature {
    pub kind: Kind,
    pub returns: &'static str,
    pub params: Vec<&'static str>,
    pub varargs: Option<&'static str>,
    /// The types above, parsed at the first call that matches them.
    parsed: OnceLock<ParsedSignature>,
}

/// The parameter and result types of an overload, parsed.
#[derive(Debug)]
struct ParsedSignature {
    params: Vec<Param>,
    varargs: Option<Param>,
    returns: Param,
}

/// The type of a parameter past the ones an overload lists.
static ANY_PARAM: Param = Param::Any(None);

impl Signature {
    fn parsed(&self) -> &ParsedSignature {
        self.parsed.get_or_init(|| ParsedSignature {
            params: self.params.iter().map(|p| Param::parse(p)).collect(),
            varargs: self.varargs.map(Param::parse),
            returns: Param::parse(self.returns),
        })
    }

    /// Returns the type of parameter `i`: a listed one, the varargs type,
    /// or ANY.
    fn param(&self, i: usize) -> &Param {
        let parsed = self.parsed();
        parsed
            .params
            .get(i)
            .or(parsed.varargs.as_ref())
            .unwrap_or(&ANY_PARAM)
    }

    /// Renders the overload as `name(A, B, C...)`.
    pub(crate) fn display(&self, name: &str) -> String {
        let mut params: Vec<String> = self.params.iter().map(|p| p.to_string()).collect();
        if let Some(varargs) = self.varargs {
            params.push(format!("{varargs}..."));
        }
        format!("{name}({})", params.join(", "))
    }

    fn accepts_count(&self, count: usize) -> bool {
        if self.kind == Kind::Macro {
            // Macro parameters may have defaults, which the catalog omits.
            return count <= self.params.len() || self.varargs.is_some();
        }
        count == self.params.len() || (self.varargs.is_some() && count >= self.params.len())
    }
}

fn catalog() -> &'static HashMap<&'static str, Vec<Signature>> {
    static CATALOG: OnceLock<HashMap<&'static str, Vec<Signature>>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<Signature>> = HashMap::new();
        for line in TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut fields = line.split('\t');
            let (Some(kind), Some(name), Some(returns), Some(params), varargs) = (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
            ) else {
                continue;
            };
            let kind = match kind {
                "a" => Kind::Aggregate,
                "m" => Kind::Macro,
                _ => Kind::Scalar,
            };
            let params = if params.is_empty() {
                Vec::new()
            } else {
                params.split('|').collect()
            };
            let varargs = varargs.filter(|v| !v.is_empty());
            map.entry(name).or_default().push(Signature {
                kind,
                returns,
                params,
                varargs,
                parsed: OnceLock::new(),
            });
        }
        map
    })
}

/// The overloads of a function, or `None` when DuckDB has no such function.
pub(crate) fn signatures(name: &str) -> Option<&'static [Signature]> {
    catalog().get(name).map(Vec::as_slice)
}

pub(crate) fn is_special_form(name: &str) -> bool {
    SPECIAL_FORMS.contains(&name)
}

/// True when some overload of `name` is an aggregate.
pub(crate) fn is_aggregate(name: &str) -> bool {
    signatures(name).is_some_and(|s| s.iter().any(|sig| sig.kind == Kind::Aggregate))
}

/// Every function name, for did-you-mean help.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    catalog()
        .keys()
        .copied()
        .chain(SPECIAL_FORMS.iter().copied())
}

/// An argument, with what overload matching needs to know of it.
pub(crate) struct Argument<'a> {
    pub ty: &'a Type,
    /// String and integer literals cast to more types than columns do.
    pub string_literal: bool,
    pub integer_literal: bool,
}

/// The outcome of matching a call against a function's overloads.
pub(crate) enum CallMatch {
    /// An overload accepts the arguments; its result type when it is fixed.
    Found(Option<Type>),
    /// No overload takes this many arguments.
    WrongCount,
    /// No overload accepts these argument types.
    WrongTypes,
}

/// Matches a call against the overloads of `name`. Matching is lenient:
/// a parameter type the compiler cannot reason about (ANY, templates,
/// nested types) accepts anything of the right shape, so a mismatch is only
/// reported when no overload could accept the arguments under DuckDB's
/// implicit casts.
pub(crate) fn match_call(signatures: &[Signature], args: &[Argument]) -> CallMatch {
    let by_count: Vec<&Signature> = signatures
        .iter()
        .filter(|s| s.accepts_count(args.len()))
        .collect();
    if by_count.is_empty() {
        return CallMatch::WrongCount;
    }
    let accepting = by_count.iter().find(|signature| {
        signature.kind == Kind::Macro
            || args
                .iter()
                .enumerate()
                .all(|(i, arg)| implicitly_castable(arg, signature.param(i)))
    });
    let Some(signature) = accepting else {
        return CallMatch::WrongTypes;
    };
    let params: Vec<&Param> = (0..args.len()).map(|i| signature.param(i)).collect();
    CallMatch::Found(result_type(signature, &params, args))
}

/// A parameter type as the catalog writes it.
#[derive(Debug, PartialEq)]
enum Param {
    /// ANY, or a template letter such as T, K or V.
    Any(Option<char>),
    Lambda,
    /// `X[]`, `X[3]` or `X[ANY]`.
    List(Box<Param>),
    Map(Box<Param>, Box<Param>),
    Struct,
    /// A named scalar type; `None` for one Rocky does not model (BIT, TIME_NS, ...).
    Scalar(Option<Type>),
}

impl Param {
    fn parse(text: &str) -> Param {
        let text = text.trim();
        if text == "ANY" {
            return Param::Any(None);
        }
        if text.len() == 1 && text.chars().all(|c| c.is_ascii_uppercase()) {
            return Param::Any(text.chars().next());
        }
        if text == "LAMBDA" {
            return Param::Lambda;
        }
        if let Some(open) = text.rfind('[') {
            if text.ends_with(']') {
                return Param::List(Box::new(Param::parse(&text[..open])));
            }
        }
        if let Some(inner) = text.strip_prefix("MAP(").and_then(|t| t.strip_suffix(')')) {
            if let Some((key, value)) = inner.split_once(',') {
                return Param::Map(Box::new(Param::parse(key)), Box::new(Param::parse(value)));
            }
        }
        if text == "STRUCT"
            || text.starts_with("STRUCT(")
            || text == "UNION"
            || text.starts_with("UNION(")
        {
            return Param::Struct;
        }
        if text == "JSON" {
            return Param::Scalar(Some(Type::Json));
        }
        Param::Scalar(Type::from_name(text))
    }
}

/// The overload's result type, with template letters bound from the
/// arguments, or `None` when it depends on the arguments in ways the
/// catalog does not say (DECIMAL precision, ANY).
fn result_type(signature: &Signature, params: &[&Param], args: &[Argument]) -> Option<Type> {
    let mut bindings: Vec<(char, Type)> = Vec::new();
    for (param, arg) in params.iter().zip(args) {
        bind_template(param, arg.ty, &mut bindings);
    }
    let lambda = params.contains(&&Param::Lambda);
    match &signature.parsed().returns {
        Param::Scalar(Some(Type::Decimal { .. })) if signature.returns == "DECIMAL" => None,
        Param::Scalar(ty) => ty.clone(),
        Param::Any(Some(letter)) => lookup(&bindings, *letter),
        Param::List(inner) => match &**inner {
            Param::Any(Some(letter)) => lookup(&bindings, *letter).map(|t| Type::List(Box::new(t))),
            // `list_sort(ANY[]) -> ANY[]` and its kin return their input.
            Param::Any(None) if !lambda && matches!(params.first(), Some(Param::List(_))) => args
                .first()
                .map(|a| a.ty.as_argument())
                .filter(|t| matches!(t, Type::List(_))),
            Param::Scalar(ty) => ty.clone().map(|t| Type::List(Box::new(t))),
            _ => None,
        },
        _ => None,
    }
}

fn lookup(bindings: &[(char, Type)], letter: char) -> Option<Type> {
    bindings
        .iter()
        .find(|(l, _)| *l == letter)
        .map(|(_, t)| t.clone())
        .filter(|t| !t.is_unknown() && *t != Type::Null)
}

fn bind_template(param: &Param, ty: &Type, bindings: &mut Vec<(char, Type)>) {
    match (param, ty) {
        (Param::Any(Some(letter)), ty) if !bindings.iter().any(|(l, _)| l == letter) => {
            bindings.push((*letter, ty.clone()))
        }
        (Param::List(inner), Type::List(element) | Type::Array(element, _)) => {
            bind_template(inner, element, bindings)
        }
        (Param::Map(key, value), Type::Map(k, v)) => {
            bind_template(key, k, bindings);
            bind_template(value, v, bindings);
        }
        _ => {}
    }
}

/// Whether DuckDB casts `arg` to `param` implicitly when it picks an
/// overload. Unknown types are accepted, so this can only err towards
/// accepting.
fn implicitly_castable(arg: &Argument, param: &Param) -> bool {
    use Type::*;
    let from = arg.ty;
    if matches!(from, Unknown | Null) || arg.string_literal {
        return true;
    }
    let to = match param {
        Param::Any(_) | Param::Lambda => return true,
        Param::List(inner) => {
            return match from {
                List(element) | Array(element, _) => {
                    let element_arg = Argument {
                        ty: element,
                        string_literal: false,
                        integer_literal: false,
                    };
                    implicitly_castable(&element_arg, inner)
                }
                _ => false,
            };
        }
        Param::Map(..) => return matches!(from, Map(..)),
        Param::Struct => return matches!(from, Struct(_) | Union(_)),
        Param::Scalar(None) => return false,
        Param::Scalar(Some(to)) => to,
    };
    if matches!(from, List(_) | Array(..) | Struct(_) | Map(..) | Union(_)) {
        return false;
    }
    if from == to {
        return true;
    }
    if arg.integer_literal && to.is_numeric() {
        return true;
    }
    let rank = |t: &Type| match t {
        TinyInt | UTinyInt => Some(1),
        SmallInt | USmallInt => Some(2),
        Integer | UInteger => Some(3),
        BigInt | UBigInt => Some(4),
        HugeInt | UHugeInt => Some(5),
        _ => None,
    };
    match (from, to) {
        (f, t) if f.is_integer() && t.is_integer() => rank(f) <= rank(t),
        (f, Decimal { .. } | Float | Double) if f.is_integer() => true,
        (Decimal { .. }, Decimal { .. } | Float | Double) => true,
        (Float, Double) => true,
        (Date, Timestamp | TimestampTz) | (Timestamp, TimestampTz) => true,
        (TimestampS | TimestampMs | TimestampNs, Timestamp) => true,
        (Enum(_), Varchar) | (Varchar, Json) | (Json, Varchar) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(ty: &Type) -> Argument<'_> {
        Argument {
            ty,
            string_literal: false,
            integer_literal: false,
        }
    }

    #[test]
    fn catalog_has_duckdb_functions() {
        assert!(signatures("dayname").is_some());
        assert!(signatures("nosuch").is_none());
        assert!(is_aggregate("sum"));
        assert!(!is_aggregate("lower"));
    }

    #[test]
    fn varchar_column_does_not_match_sum() {
        let sum = signatures("sum").unwrap();
        assert!(matches!(
            match_call(sum, &[column(&Type::Varchar)]),
            CallMatch::WrongTypes
        ));
        assert!(matches!(
            match_call(sum, &[column(&Type::Integer)]),
            CallMatch::Found(_)
        ));
        assert!(matches!(
            match_call(sum, &[column(&Type::Integer), column(&Type::Integer)]),
            CallMatch::WrongCount
        ));
    }

    #[test]
    fn literals_cast_freely() {
        let lower = signatures("lower").unwrap();
        let text = Argument {
            ty: &Type::Varchar,
            string_literal: true,
            integer_literal: false,
        };
        assert!(matches!(
            match_call(lower, &[text]),
            CallMatch::Found(Some(Type::Varchar))
        ));
        assert!(matches!(
            match_call(lower, &[column(&Type::Integer)]),
            CallMatch::WrongTypes
        ));
    }
}
